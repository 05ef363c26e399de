"""The dataset goes into output/ in one step: a run killed at any moment leaves a whole dataset."""
from __future__ import annotations

import csv
import os
import random
import signal
import time
from pathlib import Path

import pytest

from tradeextract import publish as publishing
from tradeextract.dataset import write_dataset
from tradeextract.errors import OutputError
from tradeextract.records import COLUMNS


def _files(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def datasets(seed_results, tmp_path_factory):
    """Two different datasets as files: the seeds, and the seeds without their first article."""
    old, new = tmp_path_factory.mktemp("old"), tmp_path_factory.mktemp("new")
    write_dataset(seed_results, old)
    write_dataset(seed_results[1:], new)
    return _files(old), _files(new)


def test_other_files_in_output_are_kept_and_stale_ones_dropped(tmp_path):
    output = tmp_path / "output"
    publishing.publish({"facts.csv": b"a\n", "texts/old.html.txt": b"old"}, output)
    (output / "report.html").write_text("<html>report</html>")
    (output / "notes").mkdir()
    (output / "notes" / "a.md").write_text("keep me")
    publishing.publish({"facts.csv": b"b\n"}, output)
    assert _files(output) == {"facts.csv": b"b\n", "report.html": b"<html>report</html>", "notes/a.md": b"keep me"}
    assert [p.name for p in tmp_path.iterdir()] == ["output"]  # nothing left beside it


@pytest.mark.parametrize("exchange", [True, False], ids=["swap", "one-by-one"])
def test_publish_replaces_the_whole_dataset(tmp_path, monkeypatch, datasets, exchange):
    old, new = datasets
    if not exchange:
        monkeypatch.setattr(publishing, "_exchange", lambda a, b: False)
    output = tmp_path / "output"
    publishing.publish(old, output)
    assert _files(output) == old
    publishing.publish(new, output)
    assert _files(output) == new


def test_output_that_is_a_file_is_an_error(tmp_path):
    (tmp_path / "output").write_text("not a folder")
    with pytest.raises(OutputError, match="it is a file, not a folder"):
        publishing.publish({"facts.csv": b"x"}, tmp_path / "output")


def _slow_write(path: Path, data: bytes) -> None:
    """The real writer's steps, in small pieces with pauses, so that a kill lands inside a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as fh:
        for i in range(0, len(data), 2048):
            fh.write(data[i:i + 2048])
            fh.flush()
            time.sleep(0.001)
        os.fsync(fh.fileno())


def _readable_facts(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == COLUMNS
    return rows


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork to kill a writer mid-way")
@pytest.mark.parametrize("exchange", [True, False], ids=["swap", "one-by-one"])
def test_sigkill_while_writing_leaves_a_whole_dataset(tmp_path, datasets, exchange):
    old, new = datasets
    output = tmp_path / "output"
    publishing.publish(old, output)
    started = time.perf_counter()
    outcomes = set()
    rng = random.Random(6)
    for _ in range(24):
        before = _files(output)
        pid = os.fork()
        if pid == 0:  # the child: write the other dataset slowly, then leave at once
            try:
                publishing._write_file = _slow_write
                if not exchange:
                    publishing._exchange = lambda a, b: False
                publishing.publish(new if before == old else old, output)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0, 0.15))
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        after = _files(output)
        assert after["facts.csv"] in (old["facts.csv"], new["facts.csv"])
        assert _readable_facts(output / "facts.csv")
        if exchange:
            assert after in (old, new), "a mix of two runs"
            outcomes.add("old" if after == before else "new")
        else:
            assert all(after.get(name) in (old.get(name), new.get(name)) for name in set(old) | set(new))
    if exchange:
        assert outcomes == {"old", "new"}, "kills should land both before and after the swap"
    publishing.publish(new, output)  # the next run clears what the killed ones left beside output/
    assert [p.name for p in tmp_path.iterdir()] == ["output"]
    assert _files(output) == new
    assert time.perf_counter() - started < 60
