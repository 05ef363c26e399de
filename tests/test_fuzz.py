"""Any text in: no crash, every row within the contract, time linear in the length.

The numbers of examples below are the CI budget; FUZZ_SCALE=20 searches twenty
times longer (about ten minutes on a laptop).
"""
from __future__ import annotations

import csv
import io
import os
import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tradeextract.dataset import evidence_record
from tradeextract.corpus import parse_article
from tradeextract.dataset import FREE_TEXT, _csv_text, facts_frame, spreadsheet_safe
from tradeextract.extract import article_from_text
from tradeextract.records import COLUMNS
from tradeextract.schema import facts_schema, validate

TRADE_WORDS = st.sampled_from([
    "exports", "imports", "rose", "fell", "5.4%", "US$12.3 billion", "(", ")", "respectively", "China", "Zhejiang",
    "the province", "in 2024", "first three quarters", "deficit", "half", "one-third", "%", "999999999999999999",
    "per cent", "RMB", "yuan", ",", ".", "\n", "ranking", "third", "from", "a year earlier", "—", "’s", "Q3",
])
# Pieces that have broken text processors before: long digit runs, runs of signs and
# brackets, separators without digits, control and formatting characters.
HOSTILE_PIECES = st.one_of(
    st.integers(1, 400).map(lambda n: "9" * n),
    st.integers(1, 400).map(lambda n: "%" * n),
    st.integers(1, 200).map(lambda n: "(" * n + "5%" + ")" * n),
    st.integers(1, 100).map(lambda n: "1," * n),
    st.integers(1, 100).map(lambda n: "-" * n + "5"),
    st.sampled_from(["\r", "\r\n", "\u2028", "\x00", "\u200b", "\u202e", "\ufeff", "\t", "=", "+", "@", "e\u0301",
                     "１２３", "٣٫٥", "¾", "Ⅻ", "𝟓", "ⅷ", "$", "€", "-", "−", "...", "....5", "5..", ".5.5.5"]),
)
TEXTS = st.one_of(
    st.text(max_size=400),
    st.lists(TRADE_WORDS, max_size=80).map(" ".join),
    st.lists(st.one_of(TRADE_WORDS, HOSTILE_PIECES, st.text(max_size=5)), max_size=60).map(" ".join),
    st.lists(st.one_of(TRADE_WORDS, HOSTILE_PIECES), max_size=60).map("".join),
)
SCALE = int(os.environ.get("FUZZ_SCALE", "1"))


def _check(extractor, article):
    result = extractor.process(article)
    for fact in result.facts:
        assert article.text[fact.start:fact.end] == fact.text
        assert fact.period_start <= fact.period_end
        for cue in evidence_record(fact, result)["cues"]:
            if cue["start"] is not None:
                assert article.text[cue["start"]:cue["end"]] == cue["text"]
    for number in result.unlinked:
        assert article.text[number.start:number.end] == number.text
    frame = facts_frame(result.facts).astype({c: "str" for c in COLUMNS if c not in ("value", "start", "end")})
    validate(frame, facts_schema({article.doc_id: article.text}), "facts")
    return result


@settings(max_examples=300 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_any_text_gives_rows_within_the_contract(extractor, text):
    _check(extractor, article_from_text(text, "fuzz.txt"))


@settings(max_examples=100 * SCALE, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS, st.dates(), st.text(max_size=40))
def test_any_text_with_front_matter_gives_rows_within_the_contract(extractor, text, published, title):
    _check(extractor, article_from_text(text, "fuzz.txt", published=published, title=title.replace("\n", " ")))


@settings(max_examples=300 * SCALE, deadline=None)
@given(st.binary(max_size=600), st.sampled_from(["a.txt", "a.html", "a"]))
def test_any_bytes_are_read_or_skipped_with_a_reason(raw, name):
    article = parse_article(raw, name)
    assert article.status == "ok" or (article.status.startswith("skipped: ") and article.text == "")


@settings(max_examples=200 * SCALE, deadline=None)
@given(st.lists(st.lists(st.text(max_size=30), min_size=3, max_size=3), max_size=5))
def test_csv_cells_read_back_and_never_start_a_formula(rows):
    text = _csv_text(["title", "text", "sentence"], rows)
    back = list(csv.reader(io.StringIO(text, newline="")))
    assert back[0] == ["title", "text", "sentence"]
    assert back[1:] == [[spreadsheet_safe(t), x, spreadsheet_safe(s)] for t, x, s in rows]
    assert {"title", "sentence"} <= FREE_TEXT
    for title, _, sentence in back[1:]:
        assert not title.lstrip(" ").startswith(("=", "+", "-", "@", "\t", "\r"))
        assert not sentence.startswith(("=", "+", "-", "@", "\t", "\r"))


HOSTILE_RUNS = {
    "digits": lambda n: "9" * n,
    "percent signs": lambda n: "%" * n,
    "nested brackets": lambda n: "(" * (n // 2) + "5%" + ")" * (n // 2),
    "thousands separators": lambda n: "1," * (n // 2),
    "signs": lambda n: "-" * (n - 1) + "5",
    "figures without breaks": lambda n: ("exports rose 5.4% to US$12.3 billion, " * (n // 38 + 1))[:n],
    "number words": lambda n: ("one-third half a quarter " * (n // 25 + 1))[:n],
}


def test_pathological_input_takes_time_linear_in_its_length(extractor):
    extractor.process(article_from_text("warm up 5%", "w.txt"))
    for name, make in HOSTILE_RUNS.items():
        costs = []
        for n in (20_000, 80_000):
            started = time.perf_counter()
            _check(extractor, article_from_text(make(n), "hostile.txt"))
            costs.append(time.perf_counter() - started)
        # four times the text: about four times the time; a quadratic step would take sixteen
        assert costs[1] < 8 * costs[0] + 1.0, (name, costs)
        assert costs[1] < 30, (name, costs)
