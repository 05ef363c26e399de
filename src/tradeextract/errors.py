"""Errors a user can act on: each names the file, the line and what is wrong."""
from __future__ import annotations

from pathlib import Path


class TradeExtractError(Exception):
    """Base class: a problem the CLI reports in one line, without a traceback."""


class RulesError(TradeExtractError):
    """A rules file that cannot be used: bad YAML, unknown key, duplicate id, bad regex."""

    def __init__(self, path: Path | str, line: int | None, problem: str):
        self.path = Path(path)
        self.line = line
        self.problem = problem
        where = f"{self.path}:{line}" if line else str(self.path)
        super().__init__(f"{where}: {problem}")


class ArticleError(TradeExtractError):
    """An article that cannot be read as text (binary, not UTF-8, empty)."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: {problem}")


class ContractError(TradeExtractError):
    """Rows that break the dataset contract (docs/DATASET.md): a bug, found before anything is written."""

    def __init__(self, table: str, problems: list[str]):
        self.table = table
        self.problems = problems
        super().__init__(f"{table} breaks the dataset contract, nothing was written (a bug: please report it): "
                         + " | ".join(problems[:5]) + (f" | and {len(problems) - 5} more" if len(problems) > 5 else ""))


class OutputError(TradeExtractError):
    """The dataset could not be written (no space, no permission); the previous output is left as it was."""

    def __init__(self, path: Path | str, problem: str):
        self.path = Path(path)
        self.problem = problem
        super().__init__(f"{self.path}: cannot write the dataset ({problem}); the previous output is unchanged")


class SkippedArticlesError(TradeExtractError):
    """With --strict: some articles could not be read, so nothing was written."""

    def __init__(self, skipped: list[tuple[str, str]]):
        self.skipped = skipped
        first = "; ".join(f"{doc_id}: {status}" for doc_id, status in skipped[:3])
        more = f" and {len(skipped) - 3} more" if len(skipped) > 3 else ""
        super().__init__(f"{len(skipped)} article(s) skipped, nothing written (--strict): {first}{more}")
