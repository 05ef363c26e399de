"""The period scanner skips a pattern only where it cannot match: the same mentions as scanning every time."""
from __future__ import annotations

import re

import pytest

from tradeextract.periods import PeriodScanner
from tradeextract.prefilter import fold, required_literals
from tradeextract.rules import load_rules


def test_required_literals_of_simple_patterns():
    assert required_literals(re.compile(r"\bas of (?:May|June)\b", re.I)) == {"as of "}
    assert required_literals(re.compile(r"\b(?:the )?(?:first|second) half", re.I)) == {" half"}
    assert required_literals(re.compile(r"\bQ[1-4]\b")) is None


def test_fold_keeps_what_ignorecase_matches():
    # "ı", "ſ" and the Kelvin sign match i, s and k under re.IGNORECASE: folded, they are found.
    assert fold("Fırſt \u212aWh") == "first kwh"
    assert len(fold("İstanbul – été")) == len("İstanbul – été")


@pytest.mark.parametrize("text", [
    "Exports in the fırst half of ſeptember 2023 rose; AS OF March 5 and Q3 2024.",
    "THE FIRST TWO MONTHS OF 2024, the same period last year, the previous month.",
    "fİrst quarter, ﬁrst quarter, no period here at all, 2025.",
])
def test_the_scanner_finds_what_it_would_without_the_filter(root, text):
    scanner = PeriodScanner(load_rules(root / "rules"))
    found = scanner.scan(text)
    scanner.needs = [None] * len(scanner.needs)
    assert found == scanner.scan(text)
