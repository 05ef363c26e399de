"""Any text in: no crash, and every fact's offsets (and its cues') point at its text."""
from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeextract.dataset import evidence_record
from tradeextract.extract import article_from_text

TRADE_WORDS = st.sampled_from([
    "exports", "imports", "rose", "fell", "5.4%", "US$12.3 billion", "(", ")", "respectively", "China", "Zhejiang",
    "the province", "in 2024", "first three quarters", "deficit", "half", "one-third", "%", "999999999999999999",
    "per cent", "RMB", "yuan", ",", ".", "\n", "ranking", "third", "from", "a year earlier", "—", "’s", "Q3",
])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.text(max_size=400), st.lists(TRADE_WORDS, max_size=80).map(" ".join)))
def test_any_text_gives_valid_rows(extractor, text):
    article = article_from_text(text, "fuzz.txt")
    result = extractor.process(article)
    for fact in result.facts:
        assert article.text[fact.start:fact.end] == fact.text
        assert fact.period_start <= fact.period_end
        for cue in evidence_record(fact, result)["cues"]:
            if cue["start"] is not None:
                assert article.text[cue["start"]:cue["end"]] == cue["text"]


def test_pathological_input_finishes_quickly(extractor):
    hostile = "9" * 5000 + " " + "%" * 5000 + " " + "(" * 2000 + "5%" + ")" * 2000 + " 1," * 3000
    started = time.perf_counter()
    extractor.process(article_from_text(hostile, "hostile.txt"))
    # a generous bound: catastrophic regex backtracking takes minutes, not seconds
    assert time.perf_counter() - started < 60
