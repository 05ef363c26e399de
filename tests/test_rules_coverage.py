"""Every rule in rules/ is exercised by at least one test text (cases, test articles, seeds, devset).

A rule is exercised when it matches in a text (a cue word, an economy's name,
a period or number pattern) or decides a field of a fact (the linking
strategies and defaults). A rule no text exercises is untested data: write a
case for it, or drop it.
"""
from __future__ import annotations

import datetime as dt
import re

import pytest

from case_check import load_cases
from tradeextract.corpus import discover, read_article
from tradeextract.extract import article_from_text


def _date(value) -> dt.date | None:
    return dt.date.fromisoformat(value) if isinstance(value, str) else value


@pytest.fixture(scope="module")
def exercised(extractor, root):
    used: set[str] = set()
    articles = [article_from_text(c["text"], f"{c['id']}.txt", published=_date(c.get("published")),
                                  title=c.get("title", ""))
                for c in load_cases()]
    for folder in (root / "tests" / "articles", root / "corpus", root / "tests" / "devset" / "articles"):
        articles += [read_article(p, folder) for p in discover(folder)]
    org_words = extractor.gazetteer.organisation_words
    stop_names = {n: e["id"] for e in extractor.rules.section("economies.yaml", "not_economies") for n in e["names"]}
    for article in articles:
        doc = extractor.nlp(article.text)
        used.update(span.id_ for span in doc.spans.get("vocab", []))
        for span in doc.spans.get("economies", []):
            economy = extractor.gazetteer.lookup(span.text)
            if economy is not None:
                used.add(economy.rule)
            following = re.match(r"\s+([A-Z][\w-]*)", article.text[span.end_char:span.end_char + 40])
            if following and following.group(1) in org_words:
                used.add("org-words")
        used.update(rule for name, rule in stop_names.items() if re.search(rf"\b{re.escape(name)}\b", article.text))
        for number in doc._.numbers or []:
            used.update({number.rule, number.scale_rule})
            for entry in extractor.rules.section("currencies.yaml", "shared_symbols"):
                if number.kind == "money" and entry["symbol"] in number.text:
                    used.add(entry["id"])  # a symbol several currencies share, read by the economy
        used.update(p.rule for p in doc._.periods or [])
        for fact in extractor.process(article).facts:
            used.add(fact.rule)
            used.update(cue.rule for cue in fact.cues)
            if any(cue.rule.startswith("per-fiscal-year") for cue in fact.cues):
                used.add("fy-start")  # the fiscal-year table decided the months of the period
    return used


def test_every_rule_is_exercised(extractor, exercised):
    missing = sorted(rule_id for rule_id in extractor.rules.by_id if rule_id not in exercised)
    assert not missing, f"rules no test text exercises: {missing}"
