"""A pytest-regressions snapshot of the seeds' facts.csv: any change in output shows up in review.

This pins output, not truth (truth is tests/gold/). After an intended change,
regenerate with `pytest tests/test_snapshot.py --force-regen` and review the diff.
"""
from __future__ import annotations

from tradeextract.dataset import write_dataset


def test_seed_facts_snapshot(seed_results, tmp_path, file_regression):
    write_dataset(seed_results, tmp_path)
    file_regression.check((tmp_path / "facts.csv").read_text(encoding="utf-8"), extension=".csv")
