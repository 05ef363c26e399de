"""The fast writers of a part (evidence lines, CSV rows) give exactly what the plain ones give."""
from __future__ import annotations

import datetime as dt
import json

from hypothesis import given, settings
from hypothesis import strategies as st

from tradeextract.corpus import Article
from tradeextract.dataset import COLUMNS, DOCUMENT_COLUMNS, UNLINKED_COLUMNS, _csv_rows, _csv_text
from tradeextract.evidence import evidence_lines, evidence_record
from tradeextract.extract import ArticleResult
from tradeextract.records import Cue, Fact

TEXT = st.text(st.sampled_from("ab ,\"\n\r=+-@\t'é中\u2028\x00"), max_size=12)
OFFSET = st.one_of(st.none(), st.integers(-3, 60))
SOURCES = st.sampled_from(["same sentence", "earlier sentence", "title", "publication date", "default"])
CUES = st.builds(Cue, field=st.sampled_from(["entity", "flow", "period"]), value=TEXT, text=TEXT,
                 start=st.one_of(OFFSET, st.just(True), st.just(2.5)), end=OFFSET, source=SOURCES,
                 sentence=OFFSET, rule=st.sampled_from(["r1", "r\"2"]))


@st.composite
def results(draw):
    text = draw(st.text(st.sampled_from("ab .\n\"é"), min_size=1, max_size=60))
    cuts = sorted(draw(st.lists(st.integers(0, len(text)), max_size=6)))
    sentences = [(a, b) for a, b in zip(cuts, cuts[1:]) if a < b]
    published = draw(st.one_of(st.none(), st.dates(dt.date(2000, 1, 1), dt.date(2030, 1, 1))))
    front = draw(st.booleans())
    if front:
        text = f"date: {published or 'x'}\n" + text
    article = Article(doc_id="d.txt", text=text, sha256="", published=published,
                      published_source="metadata" if published else "", body_start=8 if front else 0)
    pool = draw(st.lists(CUES, max_size=5))
    facts = [Fact("d.txt", "E", "economy", "", "exports", "", "value", "level", 1.0, "USD", "", "", "", "", "",
                  draw(TEXT), start, start + 1, "", draw(st.sampled_from(["r", "é"])),
                  cues=tuple(draw(st.lists(st.sampled_from(pool), max_size=4)) if pool else ()))
             for start in draw(st.lists(st.integers(0, 60), max_size=5))]
    return ArticleResult(article, facts=facts, sentences=sentences)


@settings(max_examples=400, deadline=None)
@given(results())
def test_evidence_lines_are_what_json_dumps_writes(result):
    expected = "".join(json.dumps(evidence_record(f, result), ensure_ascii=False) + "\n" for f in result.facts)
    assert evidence_lines(result.facts, result) == expected


CELLS = st.one_of(TEXT, st.none(), st.integers(-5, 5), st.booleans(), st.floats(allow_nan=False), TEXT)


@settings(max_examples=400, deadline=None)
@given(st.sampled_from([COLUMNS, DOCUMENT_COLUMNS, UNLINKED_COLUMNS, ["title"], ["text"]]), st.data())
def test_csv_rows_are_what_the_csv_module_writes(header, data):
    rows = data.draw(st.lists(st.lists(CELLS, min_size=len(header), max_size=len(header)), max_size=4))
    assert _csv_rows(header, rows) == _csv_text(header, rows)[len(_csv_text(header, [])):]
