"""Reading a written dataset back for audit: cues from the title and the front matter, stale articles."""
from __future__ import annotations

import pytest

from tradeextract.audit import describe_source, load_output, render_fact
from tradeextract.corpus import read_article
from tradeextract.dataset import write_dataset
from tradeextract.errors import TradeExtractError

ARTICLE = """---
title: Vietnam's exports rise in October
date: 2025-11-06
---
Exports rose 7.3% year on year to US$35.1 billion in October.
"""


@pytest.fixture
def project(extractor, tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "vn.txt").write_text(ARTICLE, encoding="utf-8")
    write_dataset([extractor.process(read_article(corpus / "vn.txt", corpus))], tmp_path / "output")
    return tmp_path


def test_an_entity_from_the_title_is_shown_in_the_front_matter(project):
    data = load_output(project / "output")
    fact = next(f for f in data.facts if f["text"] == "US$35.1 billion")
    entity = next(c for c in data.evidence[fact["fact_id"]]["cues"] if c["field"] == "entity")
    assert (entity["source"], entity["text"]) == ("title", "Vietnam")
    assert ARTICLE[entity["start"]:entity["end"]] == "Vietnam"
    shown = render_fact(data, fact["fact_id"], project / "corpus")
    assert "the title, chars 4-44:\n  title: [Vietnam]{entity}'s exports rise in October" in shown
    assert "[[US$35.1 billion]] [in October]{period}." in shown


def test_a_changed_article_is_flagged(project):
    (project / "corpus" / "vn.txt").write_text(ARTICLE.replace("7.3%", "7.4%"), encoding="utf-8")
    data = load_output(project / "output")
    shown = render_fact(data, data.facts[0]["fact_id"], project / "corpus")
    assert "changed since `extract` ran: offsets may be off" in shown.splitlines()[1]


def test_a_prefix_must_be_unique_and_long_enough(project):
    data = load_output(project / "output")
    with pytest.raises(TradeExtractError, match="no fact"):
        data.fact(data.facts[0]["fact_id"][:3])
    assert data.fact(data.facts[0]["fact_id"][:6]) is data.facts[0]


def test_sources_in_words():
    assert describe_source({"source": "same sentence"}) == "same sentence"
    assert describe_source({"source": "earlier sentence", "sentence": 3, "sentence_start": 10,
                            "sentence_end": 20}) == "earlier sentence 3 (chars 10-20)"
    assert describe_source({"source": "publication date", "published": "2026-02-10",
                            "published_source": "metadata"}) == "the publication date 2026-02-10 (metadata)"
    assert describe_source({"source": "default", "rule": "flow-default"}) == "a default (rule flow-default)"
