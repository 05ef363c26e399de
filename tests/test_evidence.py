"""evidence.jsonl and unlinked.csv: every figure can be traced to its cues, every other number is listed."""
from __future__ import annotations

import csv
import io
import json

import pytest

from tradeextract.dataset import write_dataset

# Sources that need no offsets: the field was not read off the text of a sentence.
NO_TEXT_SOURCES = {"default", "title", "publication date"}


@pytest.fixture(scope="module")
def written(seed_results, tmp_path_factory):
    out = tmp_path_factory.mktemp("output")
    write_dataset(seed_results, out)
    facts = list(csv.DictReader(io.StringIO((out / "facts.csv").read_text(encoding="utf-8"))))
    evidence = [json.loads(line) for line in (out / "evidence.jsonl").read_text(encoding="utf-8").splitlines()]
    texts = {r.article.doc_id: r.article.text for r in seed_results}
    return facts, evidence, texts


def test_one_evidence_line_per_fact_in_the_same_order(written):
    facts, evidence, _ = written
    assert [e["fact_id"] for e in evidence] == [f["fact_id"] for f in facts]
    assert all(list(e)[0] == "fact_id" for e in evidence)


@pytest.mark.parametrize("field", ["entity", "period"])
def test_every_seed_fact_names_a_cue_for_entity_and_period(written, field):
    """The issue's bar: a cue with valid offsets, or a source that says it is a default (or title, date)."""
    facts, evidence, texts = written
    for fact, record in zip(facts, evidence):
        cues = [c for c in record["cues"] if c["field"] == field]
        assert cues, f"{fact['fact_id']} {fact['text']!r}: no {field} cue"
        for cue in cues:
            assert cue["value"] == fact[field], (fact["fact_id"], cue)
            if cue["start"] is None:
                assert cue["source"] in NO_TEXT_SOURCES, (fact["fact_id"], cue)
            else:
                assert texts[fact["doc_id"]][cue["start"]:cue["end"]] == cue["text"], (fact["fact_id"], cue)


def test_every_cue_offset_and_sentence_is_valid(written):
    facts, evidence, texts = written
    for fact, record in zip(facts, evidence):
        text = texts[record["doc_id"]]
        assert text[record["start"]:record["end"]] == record["text"]
        assert text[record["sentence_start"]:record["sentence_end"]] == fact["sentence"]
        for cue in record["cues"]:
            if cue["start"] is not None:
                assert text[cue["start"]:cue["end"]] == cue["text"], cue
            if cue["source"] in ("same sentence", "earlier sentence") and cue["start"] is not None:
                assert cue["sentence_start"] <= cue["start"] and cue["end"] <= cue["sentence_end"], cue
            if cue["source"] == "same sentence":
                assert cue["sentence_start"] <= record["start"] < cue["sentence_end"], cue
            if cue["source"] == "earlier sentence":
                assert cue["sentence_end"] <= record["start"], cue
                assert cue["sentence_text"] == text[cue["sentence_start"]:cue["sentence_end"]], cue


def test_an_entity_from_the_sentence_before_says_which_sentence(written):
    """The issue's example: "Among them, exports reached 4.19 trillion yuan" is Zhejiang's, said just before."""
    _, evidence, texts = written
    record = next(e for e in evidence if e["text"] == "4.19 trillion yuan")
    entity = next(c for c in record["cues"] if c["field"] == "entity")
    assert (entity["value"], entity["text"], entity["source"]) == ("Zhejiang", "Zhejiang", "earlier sentence")
    assert entity["sentence_text"].startswith("In 2025, the total import and export volume of Zhejiang")
    assert texts[record["doc_id"]][entity["start"]:entity["end"]] == "Zhejiang"


def test_a_period_from_the_publication_date_names_the_date(extractor):
    from tradeextract.dataset import evidence_record
    from tradeextract.extract import article_from_text
    import datetime as dt

    article = article_from_text("Vietnam's exports rose to $4 billion.", published=dt.date(2026, 2, 10))
    result = extractor.process(article)
    (fact,) = result.facts
    period = next(c for c in evidence_record(fact, result)["cues"] if c["field"] == "period")
    assert period["source"] == "publication date" and period["published"] == "2026-02-10"
    assert article.text[period["start"]:period["end"]] == period["text"] == "2026-02-10"


def test_every_number_of_the_seeds_is_a_fact_or_unlinked(extractor, seed_results):
    """A reviewer sees what was left out: each numeric mention of the body gives a fact or an unlinked row."""
    for result in seed_results:
        article = result.article
        doc = extractor.nlp(article.text)
        numbers = {(n.start, n.end) for n in doc._.numbers if n.start >= article.body_start}
        accounted = {(f.start, f.end) for f in result.facts} | {(u.start, u.end) for u in result.unlinked}
        assert numbers == accounted, article.doc_id
        for u in result.unlinked:
            assert u.reason and article.text[u.start:u.end] == u.text and u.text in u.sentence
