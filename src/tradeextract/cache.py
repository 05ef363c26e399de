"""The results of each article, kept between runs so that only new work is done.

An entry is keyed by the article's bytes and doc_id, the rules' digest and the
code (the package version and a digest of its modules): an unchanged article
is read back, a changed or added one is processed, and changing a rule or the
code makes every key new. Entries are JSON (never pickles), one file each,
written through a rename so that a killed run leaves none half written.
Entries the last run did not use are removed, so the cache holds one corpus.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, fields
from pathlib import Path

from .corpus import Article
from .records import Cue, Fact, Unlinked

FORMAT = 1  # bumped when the layout of an entry changes
# Every field of these records is a plain value (str, int, float, None): no deep copies needed.
_FACT_FIELDS = tuple(f.name for f in fields(Fact) if f.name != "cues")
_CUE_FIELDS = tuple(f.name for f in fields(Cue))
_UNLINKED_FIELDS = tuple(f.name for f in fields(Unlinked))


@functools.lru_cache(maxsize=1)
def code_digest() -> str:
    """The package version and the bytes of its modules: a code change invalidates every entry."""
    from . import __version__

    sha = hashlib.sha256(f"{__version__}\0{FORMAT}\0".encode())
    package = Path(__file__).resolve().parent
    for module in sorted(package.glob("*.py")):
        sha.update(module.name.encode() + b"\0" + module.read_bytes() + b"\0")
    return sha.hexdigest()


def entry_key(raw: bytes, doc_id: str, rules_digest: str) -> str:
    """The key of one article's entry."""
    sha = hashlib.sha256()
    for part in (code_digest().encode(), rules_digest.encode(), doc_id.encode("utf-8"), raw):
        sha.update(len(part).to_bytes(8, "little") + part)
    return sha.hexdigest()


def result_to_json(result) -> dict:
    """An ArticleResult as plain JSON data (the cache's entries and what workers send back)."""
    article = asdict(result.article)
    article["published"] = result.article.published.isoformat() if result.article.published else None
    return {
        "article": article,
        "facts": [{**{name: getattr(fact, name) for name in _FACT_FIELDS},
                   "cues": [{name: getattr(c, name) for name in _CUE_FIELDS} for c in fact.cues]}
                  for fact in result.facts],
        "unlinked": [{name: getattr(u, name) for name in _UNLINKED_FIELDS} for u in result.unlinked],
        "n_sentences": result.n_sentences,
        "sentences": [list(s) for s in result.sentences],
    }


def result_from_json(data: dict):
    """The ArticleResult that `result_to_json` wrote."""
    from .extract import ArticleResult

    article = dict(data["article"])
    article["published"] = dt.date.fromisoformat(article["published"]) if article["published"] else None
    facts = [Fact(**{**f, "cues": tuple(Cue(**c) for c in f["cues"])}) for f in data["facts"]]
    return ArticleResult(Article(**article), facts, [Unlinked(**u) for u in data["unlinked"]],
                         data["n_sentences"], [tuple(s) for s in data["sentences"]])


class ResultCache:
    """A folder of entries, one JSON file per article result."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, key: str):
        """The result stored under `key`, or None (an unreadable entry counts as missing)."""
        self.used.add(key)
        try:
            return result_from_json(json.loads(self._path(key).read_text(encoding="utf-8")))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def put(self, key: str, data: dict) -> None:
        """Store a result's JSON data under `key`."""
        self.used.add(key)
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".entry.", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dump() is pure Python
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def prune(self) -> None:
        """Remove the entries this run did not use (removed or changed articles, old rules)."""
        if not self.folder.is_dir():
            return
        for path in self.folder.glob("*/*"):
            if path.suffix == ".json" and path.stem in self.used:
                continue
            path.unlink(missing_ok=True)
