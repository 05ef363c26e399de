"""Each article's part of the dataset (dataset.render_part), kept between runs so that only new work is done.

An entry is keyed by the article's bytes and doc_id, the rules' digest and the
code (the package version and a digest of its modules): an unchanged article
is read back, a changed or added one is processed, and changing a rule or the
code makes every key new. Entries are JSON (never pickles), one file each,
written through a rename so that a killed run leaves none half written.
Entries the last run did not use are removed, so the cache holds one corpus.
An entry is the article's rendered rows (CSV, evidence, Parquet cells), already
checked against the contract: a warm run only reads and concatenates them.
"""
from __future__ import annotations

import functools
import hashlib
import json
import os
import tempfile
from pathlib import Path

try:  # a warm run is mostly decoding cached parts: orjson reads them several times faster
    from orjson import loads as _loads
except ImportError:  # pragma: no cover - a declared dependency; the standard library reads the same JSON
    _loads = json.loads

FORMAT = 2  # bumped when the layout of an entry changes


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


class ResultCache:
    """A folder of entries, one JSON file per article's part."""

    def __init__(self, folder: Path | str):
        self.folder = Path(folder)
        self.used: set[str] = set()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def has(self, key: str) -> bool:
        """Whether an entry is stored under `key` (it is then kept by `prune`)."""
        self.used.add(key)
        return self._path(key).is_file()

    def get(self, key: str):
        """The data stored under `key`, or None (an unreadable entry counts as missing)."""
        self.used.add(key)
        try:
            data = _loads(self._path(key).read_bytes())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and "doc_id" in data and "columns" in data else None

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
