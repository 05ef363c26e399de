"""Numbers are found and normalised as written (cases in tests/data/numbers.yml)."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tradeextract.numbers import number_scanner
from tradeextract.rules import load_rules

CASES = yaml.safe_load((Path(__file__).parent / "data" / "numbers.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scanner(root):
    return number_scanner(load_rules(root / "rules"))


@pytest.mark.parametrize("case", CASES, ids=[c["text"] for c in CASES])
def test_number_normalisation(scanner, case):
    mentions = scanner.scan(case["text"])
    assert mentions, f"no number found in {case['text']!r}"
    first = mentions[0]
    assert first.kind == case["kind"]
    assert first.unit == case["unit"]
    assert first.value == pytest.approx(case["value"], rel=1e-3)
    assert first.negative == case.get("negative", False)
    assert case["text"][first.start:first.end] == first.text


def test_year_on_year_is_no_duration(scanner):
    """quantulum3 reads "year-on-year" as a span of time; we read no number there."""
    assert scanner.scan("up 5.4% year-on-year")[0].text == "5.4%"
    assert len(scanner.scan("up 5.4% year-on-year")) == 1


def test_bracketed_conversion_is_not_negative(scanner):
    """quantulum3 takes "($88.46 billion)" for a negative amount; the contract wants it positive."""
    mentions = scanner.scan("630 billion yuan ($88.46 billion)")
    assert [m.value for m in mentions] == [630e9, 88.46e9]
    assert not any(m.negative for m in mentions)
