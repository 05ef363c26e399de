"""Run the extraction over a corpus: in this process, in N processes, or on a Dask cluster.

Every engine does the same thing per article (bytes in, a result as JSON data
out, see cache.py) and the results come back in the corpus's order, so the
dataset written from them is byte-identical whichever engine ran. Articles
whose bytes, rules and code are unchanged since the last run are read back
from the cache instead; articles stream through (a bounded number in flight).

A Dask worker gets the rules' files with the first task and needs only the
package installed: it does not have to see the corpus or the rules folder.
"""
from __future__ import annotations

import os
import tempfile
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from .cache import ResultCache, entry_key
from .corpus import Article, discover, doc_id_of, parse_article
from .rules import load_rules

ENGINES = ("local", "dask")


@dataclass(frozen=True)
class Task:
    """One article still to process: where it is, its id and its cache key."""

    path: Path
    doc_id: str
    key: str


def default_cache_dir(output: Path) -> Path:
    """Where the cache of an output folder lives: beside it, out of the folder that is swapped."""
    output = Path(os.path.abspath(output))
    return output.parent / ".tradeextract-cache" / output.name


def run_corpus(corpus: Path | str, rules_dir: Path | str = "rules", *, jobs: int = 1, engine: str = "local",
               scheduler: str | None = None, cache_dir: Path | str | None = None,
               progress: Callable[[Iterable], Iterable] | None = None) -> list[dict]:
    """The part (dataset.render_part) of every article under `corpus`, in order; only uncached ones are processed.

    Everything is held in memory: `CorpusRun` streams the parts into a writer instead.
    """
    from .dataset import check_parts

    run = CorpusRun(corpus, rules_dir, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=cache_dir,
                    progress=progress)
    parts = list(run.parts())
    new = [p for p in parts if p.get("check") is not None]
    check_parts(new)
    for part in new:
        run.checked(part)
    run.finish()
    return parts


def write_corpus(corpus: Path | str, output: Path | str, rules_dir: Path | str = "rules", *, jobs: int = 1,
                 engine: str = "local", scheduler: str | None = None, cache_dir: Path | str | None = None,
                 progress: Callable[[Iterable], Iterable] | None = None, strict: bool = False,
                 on_skipped: Callable[[str, str], None] | None = None):
    """Extract every article under `corpus` into the dataset `output`, streaming; the writer (its counts).

    Parts go straight into the staging folder in doc_id order; new ones are checked
    and then cached; the folder is swapped in at the end (nothing is published if
    anything fails, or with `strict` if an article was skipped).
    """
    from .dataset import DatasetWriter
    from .errors import SkippedArticlesError

    run = CorpusRun(corpus, rules_dir, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=cache_dir,
                    progress=progress)
    writer = DatasetWriter(Path(output), on_checked=run.checked)
    try:
        for part in run.parts():
            writer.add(part)
            if on_skipped is not None and part["status"] != "ok":
                on_skipped(part["doc_id"], part["status"])
        if strict and writer.skipped:
            raise SkippedArticlesError(writer.skipped)
        writer.publish()
    except BaseException:
        writer.abandon()
        raise
    run.finish()
    return writer


class CorpusRun:
    """One run over a corpus: its articles' parts in doc_id order, cached ones read back as their turn comes.

    A new part carries `check` (what the contract's checks need, schema.py): the
    writer checks it, then hands it to `checked`, which drops `check` and keeps
    the part in the cache. `finish` removes the entries this run did not use.
    """

    def __init__(self, corpus: Path | str, rules_dir: Path | str = "rules", *, jobs: int = 1,
                 engine: str = "local", scheduler: str | None = None, cache_dir: Path | str | None = None,
                 progress: Callable[[Iterable], Iterable] | None = None):
        self.corpus, self.rules_dir = Path(corpus), Path(rules_dir)
        self.rules = load_rules(self.rules_dir)  # a broken rules file stops the run before any article is read
        self.cache = ResultCache(cache_dir) if cache_dir is not None else None
        self.jobs, self.engine, self.scheduler, self.progress = jobs, engine, scheduler, progress
        self._engine = _engine(engine)  # an unknown engine is an error before any article is read
        self.plan: list[tuple[str, object]] = []  # (doc_id, Task | cache key | OSError)
        for path in discover(self.corpus):  # sorted by doc_id
            doc_id = doc_id_of(path, self.corpus)
            try:
                raw = path.read_bytes()
            except OSError as exc:
                self.plan.append((doc_id, exc))
                continue
            key = entry_key(raw, doc_id, self.rules.digest)
            if self.cache is not None and self.cache.has(key):
                self.plan.append((doc_id, key))
            else:
                self.plan.append((doc_id, Task(path, doc_id, key)))

    def parts(self) -> Iterator[dict]:
        tasks = [item for _, item in self.plan if isinstance(item, Task)]
        processed = iter(())
        if tasks:
            work = self.progress(tasks) if self.progress else tasks
            processed = iter(zip(tasks, self._engine(work, self.rules_dir, self.jobs, self.scheduler)))
        for doc_id, item in self.plan:
            if isinstance(item, Task):
                task, part = next(processed)
                if not part["status"].startswith("skipped: cannot read"):
                    part["_key"] = task.key
                yield part
            elif isinstance(item, str):
                part = self.cache.get(item)
                if part is None:  # an entry gone or damaged since: processed here
                    part = self._process_here(Task(self.corpus / doc_id, doc_id, item))
                    part["_key"] = item
                yield part
            else:
                yield _unreadable(doc_id, item)

    def _process_here(self, task: Task) -> dict:
        doc_id, raw = next(_inputs([task]))
        return process_bytes(doc_id, raw, str(self.rules_dir.resolve()))

    def checked(self, part: dict) -> None:
        """A part that passed the checks: cached (when it came from processing)."""
        part.pop("check", None)
        key = part.pop("_key", None)
        if self.cache is not None and key is not None:
            self.cache.put(key, part)

    def finish(self) -> None:
        if self.cache is not None:
            self.cache.prune()


def _unreadable(doc_id: str, exc: OSError) -> dict:
    from .dataset import render_part
    from .extract import ArticleResult

    return render_part(ArticleResult(Article(doc_id=doc_id, text="", sha256="",
                                             status=f"skipped: cannot read the file ({exc.strerror or exc})")))


def _engine(name: str):
    if name not in ENGINES:
        raise ValueError(f"unknown engine {name!r} (expected one of {', '.join(ENGINES)})")
    return {"local": _run_local, "dask": _run_dask}[name]


def _inputs(tasks: Iterable[Task]) -> Iterator[tuple[str, bytes]]:
    """Each task's doc_id and bytes, read when it is its turn (a file gone meanwhile reads as empty)."""
    for task in tasks:
        try:
            yield task.doc_id, task.path.read_bytes()
        except OSError:
            yield task.doc_id, b""


# --- one process, or N on this machine ------------------------------------------------------------

_EXTRACTORS: dict[str, object] = {}  # per process: building one loads the gazetteer (seconds)


def _extractor(rules_dir: str):
    from .extract import Extractor

    if rules_dir not in _EXTRACTORS:
        _EXTRACTORS[rules_dir] = Extractor(rules_dir)
    return _EXTRACTORS[rules_dir]


def process_bytes(doc_id: str, raw: bytes, rules_dir: str) -> dict:
    """One article's part of the dataset (dataset.render_part): what every engine runs, in whichever process."""
    from .dataset import render_part
    from .extract import _process_or_skip

    return render_part(_process_or_skip(_extractor(rules_dir), parse_article(raw, doc_id)))


def _run_local(tasks: Iterable[Task], rules_dir: Path, jobs: int, scheduler: str | None) -> Iterator[dict]:
    rules = str(Path(rules_dir).resolve())
    if jobs <= 1:
        for doc_id, raw in _inputs(tasks):
            yield process_bytes(doc_id, raw, rules)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    # spawn, not fork: a forked copy of a process with threads (a progress bar, a client) can hang.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context, initializer=_extractor,
                             initargs=(rules,)) as pool:
        yield from _bounded(lambda item: pool.submit(process_bytes, item[0], item[1], rules),
                            _inputs(tasks), 4 * jobs, lambda future: future.result())


def _bounded(submit, items: Iterable, window: int, result) -> Iterator:
    """Submit items keeping at most `window` in flight; yield their results in order."""
    pending: deque = deque()
    for item in items:
        pending.append(submit(item))
        if len(pending) >= window:
            yield result(pending.popleft())
    while pending:
        yield result(pending.popleft())


# --- a Dask cluster ------------------------------------------------------------------------------

def _run_dask(tasks: Iterable[Task], rules_dir: Path, jobs: int, scheduler: str | None) -> Iterator[dict]:
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        from .errors import TradeExtractError

        raise TradeExtractError('--engine dask needs Dask: pip install "tradeextract[cluster]"') from None
    rules_files = {p.name: p.read_bytes() for p in sorted(Path(rules_dir).iterdir()) if p.is_file()}
    cluster = None
    if scheduler is None:  # no cluster named: one on this machine, `jobs` worker processes
        cluster = LocalCluster(n_workers=max(jobs, 1), threads_per_worker=1, processes=True,
                               dashboard_address=None)
    client = Client(scheduler or cluster)
    try:
        rules = client.scatter(rules_files, broadcast=True)
        n_workers = max(len(client.scheduler_info().get("workers", {})), 1)
        yield from _bounded(lambda item: client.submit(process_on_worker, item[0], item[1], rules, pure=False),
                            _inputs(tasks), 8 * n_workers, lambda future: future.result())
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def process_on_worker(doc_id: str, raw: bytes, rules_files: dict[str, bytes]) -> dict:
    """`process_bytes` on a worker that may not see our files: the rules come with the task."""
    return process_bytes(doc_id, raw, _materialised_rules(rules_files))


def _materialised_rules(rules_files: dict[str, bytes]) -> str:
    """A folder on this worker holding the rules' files, one per distinct content (kept for reuse)."""
    import hashlib

    sha = hashlib.sha256()
    for name, data in sorted(rules_files.items()):
        sha.update(name.encode() + b"\0" + data + b"\0")
    folder = Path(tempfile.gettempdir()) / f"tradeextract-rules-{sha.hexdigest()[:16]}"
    if not folder.is_dir():
        stage = Path(tempfile.mkdtemp(prefix=".tradeextract-rules-", dir=folder.parent))
        for name, data in rules_files.items():
            (stage / name).write_bytes(data)
        try:
            os.rename(stage, folder)
        except OSError:  # another process of this worker's machine put it there first
            import shutil

            shutil.rmtree(stage, ignore_errors=True)
    return str(folder)
