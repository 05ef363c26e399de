"""Period expressions resolve to the contract's labels and ISO dates (cases in tests/data/periods.yml)."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from tradeextract.periods import Period, PeriodScanner, resolve
from tradeextract.rules import load_rules

CASES = yaml.safe_load((Path(__file__).parent / "data" / "periods.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scanner(root):
    return PeriodScanner(load_rules(root / "rules"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_period_resolution(scanner, case):
    mentions = [m for m in scanner.scan(case["text"]) if m.kind != "date"]
    if case["label"] is None:
        assert mentions == []
        return
    assert len(mentions) == 1, mentions
    anchor = None
    if case.get("anchor"):
        start, end, style = case["anchor"]
        anchor = Period(start, end, style)
    period = resolve(mentions[0], case["published"], anchor)
    assert period is not None
    assert period.label == case["label"]
    if "start" in case:
        assert period.start == case["start"] and period.end == case["end"]


def test_period_shift_keeps_month_ends():
    feb = Period(dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month")
    assert feb.shifted(years=-1).end == dt.date(2023, 2, 28)
