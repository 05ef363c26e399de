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


COMMON_FORMS = ["a third", "one-third", "two-fifths", "a fifth", "one-fifth", "half", "a quarter", "three quarters",
                "two-thirds", "fourteen", "nine", "twenty", "twenty-five", "one million", "two billion",
                "ninety-nine", "three hundred", "eleven", "a half"]


@pytest.mark.parametrize("surface", COMMON_FORMS)
def test_common_spelled_out_forms_agree_with_quantulum3(surface):
    """Common forms are read without loading quantulum3; they must read as quantulum3 reads them."""
    from tradeextract.numbers import _common_spelled_out, _quantulum_spelled_out

    ours = _common_spelled_out(surface)
    assert ours is not None
    assert ours == pytest.approx(_quantulum_spelled_out(surface), rel=1e-9)


def test_a_tenth_is_read_where_quantulum3_misreads_it():
    """quantulum3 reads "a tenth" as 1; the common-forms table reads 0.1 (10 percent)."""
    from tradeextract.numbers import _common_spelled_out

    assert _common_spelled_out("a tenth") == pytest.approx(0.1)
