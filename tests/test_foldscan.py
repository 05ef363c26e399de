"""foldscan: a pattern's twin finds exactly what the pattern finds, whatever the text."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from tradeextract.foldscan import Twin, fold
from tradeextract.numbers import number_scanner
from tradeextract.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
# Characters IGNORECASE treats specially: dotless and dotted i, long s, the Kelvin sign,
# Greek sigmas and iotas (one of them a combining mark), the micro sign; plus ordinary news text.
TRICKY = "ıİſ\u212aΣσςιΙ\u0345\u1fbeµμÅå−–—’“”€£¥₹%$.,;:/()-\n\t "
WORDS = ["January", "JANUARY", "may", "May", "Dec.", "first", "FIRST", "third", "quarter", "Q3", "H1",
         "2025", "1,234.5", "US$", "usd", "Rs.", "RMB", "yuan", "percent", "pct", "bn", "No. 3", "a third",
         "two-thirds", "half", "to seven", "last year", "the same period", "fiscal 2024-25", "fırst",
         "ſecond", "\u212aRW", "3rd", "-4.5", "−2", "per cent", "lakh crore", "VNĐ", "vnđ", "the year"]


def _texts(seed: int, count: int = 300) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(1, 25)):
            if rng.random() < 0.7:
                parts.append(rng.choice(WORDS))
            else:
                parts.append("".join(rng.choice(TRICKY + "abcXYZ019") for _ in range(rng.randint(1, 4))))
            parts.append(rng.choice([" ", " ", "", "\n", ", "]))
        texts.append("".join(parts))
    return texts


def _signature(matches) -> list:
    return [(m.span(), m.group(0), m.groupdict()) for m in matches]


def _rule_patterns() -> list[re.Pattern]:
    rules = load_rules(ROOT / "rules")
    scanner = number_scanner(rules)
    return [scanner.pattern, scanner.word_pattern] + [e["_compiled"] for e in rules.section("periods.yaml", "periods")]


def test_fold_keeps_offsets_and_folds_case_twins():
    text = "Fırſt \u212aWh İstanbul – ÉTÉ ΣΙ\u0345"
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded.startswith("first kwh istanbul – été")
    assert fold("PLAIN ascii") == "plain ascii"


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_twins_of_the_rules_find_what_the_rules_find(seed):
    texts = _texts(seed)
    for pattern in _rule_patterns():
        twin = Twin(pattern)
        assert twin.twin is not None  # every rule pattern gets one (else there is no speed-up)
        for text in texts:
            assert _signature(twin.finditer(text)) == _signature(pattern.finditer(text)), (pattern.pattern[:60], text)


@pytest.mark.parametrize("source,flags", [
    (r"\bstraße\b", re.I), (r"(?-i:May)\b|\bjune", re.I), (r"(?<![a-z])k\w+", re.I), (r"[^s]i", re.I),
    (r"(?-i:[^A])b", re.I), (r"ι+", re.I), (r"(?i)x(?!(?-i:Y))", 0), (r"a|", re.I), (r"(a)\1", re.I),
    (r"σ\w", re.I), (r"(?s:.)k", re.I), (r"\bno\.\s?(?P<n>\d+)", re.I),
    # starters (a first-character class): optional parts, empty alternatives, look-arounds first
    (r"\b(?:in |of )?(?P<m>jan|feb)\d?", re.I), (r"x?y*z", re.I), (r"(?:a|b?)c", re.I), (r"(?:a?)+b", re.I),
    (r"(?<=\bto )(?:one|two)\b", re.I), (r"(?:(?<=\bto )|(?<=\bat ))(?:one|two)\b|\bhalf", re.I),
    (r"(?=\d)\d+(?:st|nd)", re.I), (r"(?:[xy]|\s)\d", re.I),
])
def test_twins_of_odd_patterns_agree(source, flags):
    """(The rule patterns above also run through starters: test_starters_of_the_rules.)"""
    pattern = re.compile(source, flags)
    twin = Twin(pattern)
    for text in _texts(7, 200) + ["Straße STRASSE straße", "May may MAY June", "aB Ab ab", "ΣΙͅι ς"]:
        assert _signature(twin.finditer(text)) == _signature(pattern.finditer(text)), (source, text)


def test_starters_of_the_rules():
    """Most rule patterns get a starter (foldscan._starter): a class every match begins with."""
    twins = [Twin(pattern) for pattern in _rule_patterns()]
    assert sum(t.starter is not None for t in twins) >= len(twins) // 2
    starter = Twin(re.compile(r"\b(?:in |of )?(?:jan|feb)", re.I)).starter
    assert starter is not None and starter.match("in jan") and not starter.match("x jan")
