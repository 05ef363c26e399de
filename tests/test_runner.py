"""The engines and the cache never change the output: byte-identical to a cold run in every case."""
from __future__ import annotations

import shutil

import pytest

from tradeextract import runner
from tradeextract.dataset import write_dataset
from tradeextract.runner import run_corpus

FILES = ("facts.csv", "documents.csv", "evidence.jsonl", "unlinked.csv")


@pytest.fixture()
def small_corpus(root, tmp_path):
    """The seeds and three test articles: a corpus that runs in a few seconds."""
    corpus = tmp_path / "corpus"
    shutil.copytree(root / "corpus", corpus)
    for path in sorted((root / "tests" / "articles").iterdir())[:3]:
        shutil.copy(path, corpus / path.name)
    return corpus


def _dataset(results, folder):
    write_dataset(results, folder)
    return {name: (folder / name).read_bytes() for name in FILES}


def _counting(monkeypatch):
    """Count the articles actually processed (the local engine calls process_bytes once per article)."""
    seen: list[str] = []
    original = runner.process_bytes

    def counted(doc_id, raw, rules_dir):
        seen.append(doc_id)
        return original(doc_id, raw, rules_dir)

    monkeypatch.setattr(runner, "process_bytes", counted)
    return seen


def test_the_cache_does_only_new_work_and_changes_nothing(root, small_corpus, tmp_path, monkeypatch):
    rules, cache = root / "rules", tmp_path / "cache"
    seen = _counting(monkeypatch)
    cold = _dataset(run_corpus(small_corpus, rules, cache_dir=cache), tmp_path / "cold")
    assert len(seen) == 5
    seen.clear()
    assert _dataset(run_corpus(small_corpus, rules, cache_dir=cache), tmp_path / "warm") == cold
    assert seen == []  # nothing unchanged is processed again

    # a changed article, an added one and a removed one: only the first two are processed
    changed = sorted(small_corpus.iterdir())[-1]
    changed.write_text(changed.read_text(encoding="utf-8") + "\nExports rose 3.1% to $2.5 billion in 2024.\n",
                       encoding="utf-8")
    shutil.copy(root / "tests" / "devset" / "articles" / sorted(
        p.name for p in (root / "tests" / "devset" / "articles").iterdir())[0], small_corpus / "added.txt")
    (small_corpus / sorted(p.name for p in small_corpus.iterdir())[0]).unlink()
    seen.clear()
    incremental = _dataset(run_corpus(small_corpus, rules, cache_dir=cache), tmp_path / "incremental")
    assert sorted(seen) == sorted(["added.txt", changed.name])
    assert incremental == _dataset(run_corpus(small_corpus, rules), tmp_path / "fresh")
    assert len(list(cache.glob("*/*.json"))) == 5  # the removed and the old version are gone


def test_a_rule_change_processes_everything(root, small_corpus, tmp_path, monkeypatch):
    rules, cache = tmp_path / "rules", tmp_path / "cache"
    shutil.copytree(root / "rules", rules)
    run_corpus(small_corpus, rules, cache_dir=cache)
    with open(rules / "products.yaml", "a", encoding="utf-8") as fh:
        fh.write("\n# a comment is a change too\n")
    seen = _counting(monkeypatch)
    run_corpus(small_corpus, rules, cache_dir=cache)
    assert len(seen) == 5


def test_a_corrupt_cache_entry_is_processed_again(root, small_corpus, tmp_path):
    cache = tmp_path / "cache"
    cold = _dataset(run_corpus(small_corpus, root / "rules", cache_dir=cache), tmp_path / "cold")
    for entry in cache.glob("*/*.json"):
        entry.write_text("{not json", encoding="utf-8")
    assert _dataset(run_corpus(small_corpus, root / "rules", cache_dir=cache), tmp_path / "again") == cold


def test_two_processes_give_the_same_bytes(root, small_corpus, tmp_path):
    one = _dataset(run_corpus(small_corpus, root / "rules"), tmp_path / "one")
    assert _dataset(run_corpus(small_corpus, root / "rules", jobs=2), tmp_path / "two") == one


def test_a_dask_cluster_gives_the_same_bytes(root, small_corpus, tmp_path):
    import distributed  # the test extra installs it: a missing Dask fails here, it is not skipped

    one = _dataset(run_corpus(small_corpus, root / "rules"), tmp_path / "one")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster:
        results = run_corpus(small_corpus, root / "rules", engine="dask", scheduler=cluster.scheduler_address)
    assert _dataset(results, tmp_path / "dask") == one
