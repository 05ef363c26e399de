"""Put a whole set of files into an output folder in one step.

Everything is written and flushed to disk in a new folder beside `output/`,
together with whatever else `output/` holds (as hard links), and the two
folders are swapped by one rename (Linux renameat2 with RENAME_EXCHANGE). A
run killed at any moment leaves the old dataset or the new one, complete,
never a mix. Where the swap is not available (another system, a filesystem
without it) the files are moved in one by one, facts.csv last: each file is
then whole at every moment, though for an instant they may come from two runs.
"""
from __future__ import annotations

import ctypes
import errno
import glob
import os
import secrets
import shutil
import sys
from pathlib import Path

from .errors import OutputError

# What `extract` writes into output/; anything else found there is kept.
MANAGED = {"facts.csv", "documents.csv", "evidence.jsonl", "unlinked.csv", "facts.parquet", "texts"}


def publish(files: dict[str, bytes], output: Path) -> None:
    """Make `files` (relative path -> bytes) the dataset in `output`, all at once."""
    stage = open_stage(output)
    try:
        for name, data in sorted(files.items()):
            _write_file(stage / name, data)
    except OSError as exc:
        shutil.rmtree(stage, ignore_errors=True)
        raise OutputError(Path(os.path.realpath(output)), exc.strerror or str(exc)) from None
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise
    publish_stage(stage, output, synced=True)


def open_stage(output: Path) -> Path:
    """A new, empty staging folder beside `output`, for the files of the next dataset."""
    output = Path(os.path.realpath(output))
    if output.exists() and not output.is_dir():
        raise OutputError(output, "it is a file, not a folder")
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(output)
        stage = output.parent / f".{output.name}.new-{os.getpid()}-{secrets.token_hex(4)}"
        os.mkdir(stage)
    except OSError as exc:
        raise OutputError(output, exc.strerror or str(exc)) from None
    return stage


def publish_stage(stage: Path, output: Path, synced: bool = False) -> None:
    """Make the files written into `stage` (open_stage) the dataset in `output`, all at once."""
    output = Path(os.path.realpath(output))
    try:
        if not synced:  # files written by the caller: on disk before the swap
            for folder, _, names in os.walk(stage):
                for name in names:
                    _fsync(Path(folder) / name)
        if output.is_dir():
            os.chmod(stage, output.stat().st_mode & 0o7777)
            _carry_over(output, stage)
        _fsync_tree(stage)
        if not output.exists():
            os.rename(stage, output)
        elif not _exchange(stage, output):
            _move_each(stage, output)
        # else `stage` now holds the old dataset, removed below
        _fsync(output.parent)
    except OSError as exc:
        raise OutputError(output, exc.strerror or str(exc)) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _write_file(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _carry_over(output: Path, stage: Path) -> None:
    """Files of `output` that `extract` does not write (a report, a README) come along, as hard links."""
    for entry in output.iterdir():
        if entry.name in MANAGED or (stage / entry.name).exists():
            continue
        if entry.is_symlink():
            os.symlink(os.readlink(entry), stage / entry.name)
        elif entry.is_dir():
            shutil.copytree(entry, stage / entry.name, symlinks=True, copy_function=_link_or_copy)
        else:
            _link_or_copy(entry, stage / entry.name)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _fsync(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - folders cannot be opened there
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(root: Path) -> None:
    for folder, _, _ in os.walk(root):
        _fsync(Path(folder))


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step; False where the system cannot."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def _move_each(stage: Path, output: Path) -> None:
    """Without the swap: move each entry `extract` writes into place, facts.csv last; drop stale ones."""
    for name in sorted(MANAGED, key=lambda n: n == "facts.csv"):
        new, old = stage / name, output / name
        if old.is_dir() and not old.is_symlink():
            os.rename(old, stage / f".old-{name}")
        if new.exists():
            os.replace(new, old)
        elif old.exists() or old.is_symlink():
            old.unlink()


def _remove_abandoned(output: Path) -> None:
    """Folders left beside `output` by runs that were killed (their process is gone)."""
    for stage in output.parent.glob(f".{glob.escape(output.name)}.new-*"):
        pid = stage.name.rsplit(".new-", 1)[1].split("-", 1)[0]
        if pid.isdigit() and int(pid) != os.getpid() and not _alive(int(pid)):
            shutil.rmtree(stage, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
