"""The committed dataset in output/ is what `extract` makes of corpus/, byte for byte."""
from __future__ import annotations

import csv
import io

from tradeextract.dataset import write_dataset


def test_committed_output_is_fresh(seed_results, root, tmp_path):
    write_dataset(seed_results, tmp_path)
    for name in ("facts.csv", "documents.csv", "evidence.jsonl", "unlinked.csv"):
        committed = (root / "output" / name).read_bytes()
        assert committed == (tmp_path / name).read_bytes(), f"output/{name} is stale: run `tradeextract extract`"
    # Parquet bytes carry the writer's version: compare the table instead.
    import pyarrow.parquet as pq

    assert pq.read_table(root / "output" / "facts.parquet").equals(pq.read_table(tmp_path / "facts.parquet")), \
        "output/facts.parquet is stale: run `tradeextract extract`"


def test_two_runs_are_byte_identical(extractor, root, tmp_path):
    from tradeextract.corpus import discover, read_article

    corpus = root / "corpus"
    first, second = tmp_path / "a", tmp_path / "b"
    write_dataset([extractor.process(read_article(p, corpus)) for p in discover(corpus)], first)
    write_dataset([extractor.process(read_article(p, corpus)) for p in discover(corpus)], second)
    assert (first / "facts.csv").read_bytes() == (second / "facts.csv").read_bytes()


def test_every_offset_points_at_its_text(seed_results, root):
    for result in seed_results:
        text = (root / "corpus" / result.article.doc_id).read_bytes().decode("utf-8")
        for fact in result.facts:
            assert text[fact.start:fact.end] == fact.text


def test_facts_csv_has_the_contract_columns_and_order(root):
    rows = list(csv.DictReader(io.StringIO((root / "output" / "facts.csv").read_text(encoding="utf-8"))))
    from tradeextract.records import COLUMNS

    assert list(rows[0].keys()) == COLUMNS
    keys = [(r["doc_id"], int(r["start"])) for r in rows]
    assert keys == sorted(keys)


def test_values_are_written_without_floating_point_noise():
    from tradeextract.dataset import _format_value

    assert _format_value(4.19 * 10**12) == "4190000000000"  # 4190000000000.0005 as a double
    assert _format_value(100 / 3) == "33.333333"
    assert [_format_value(v) for v in (5.4, -3.1, -0.0, 3.7, 0.1 + 0.2)] == ["5.4", "-3.1", "0", "3.7", "0.3"]


def test_written_files_are_readable_like_any_other(seed_results, tmp_path):
    import os

    mask = os.umask(0o022)
    os.umask(mask)
    write_dataset(seed_results, tmp_path)
    assert (tmp_path / "facts.csv").stat().st_mode & 0o777 == 0o666 & ~mask
