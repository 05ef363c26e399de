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

from .cache import ResultCache, entry_key, result_from_json, result_to_json
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
               progress: Callable[[Iterable], Iterable] | None = None) -> list:
    """The ArticleResult of every article under `corpus`, in order; only uncached ones are processed."""
    corpus, rules_dir = Path(corpus), Path(rules_dir)
    rules = load_rules(rules_dir)  # a broken rules file stops the run before any article is read
    cache = ResultCache(cache_dir) if cache_dir is not None else None
    results: dict[str, object] = {}
    tasks: list[Task] = []
    order: list[str] = []
    for path in discover(corpus):
        doc_id = doc_id_of(path, corpus)
        order.append(doc_id)
        try:
            raw = path.read_bytes()
        except OSError as exc:
            results[doc_id] = _unreadable(doc_id, exc)
            continue
        key = entry_key(raw, doc_id, rules.digest)
        cached = cache.get(key) if cache is not None else None
        if cached is not None:
            results[doc_id] = cached
        else:
            tasks.append(Task(path, doc_id, key))
    if tasks:
        work = progress(tasks) if progress else tasks
        for task, data in zip(tasks, _engine(engine)(work, rules_dir, jobs, scheduler)):
            if cache is not None and not data["article"]["status"].startswith("skipped: cannot read"):
                cache.put(task.key, data)
            results[task.doc_id] = result_from_json(data)
    if cache is not None:
        cache.prune()
    return [results[doc_id] for doc_id in order]


def _unreadable(doc_id: str, exc: OSError):
    from .extract import ArticleResult

    return ArticleResult(Article(doc_id=doc_id, text="", sha256="",
                                 status=f"skipped: cannot read the file ({exc.strerror or exc})"))


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
    """One article's result as JSON data: what every engine runs, in whichever process."""
    from .extract import _process_or_skip

    return result_to_json(_process_or_skip(_extractor(rules_dir), parse_article(raw, doc_id)))


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
