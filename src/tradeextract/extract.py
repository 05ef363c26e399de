"""The Python API: `extract(corpus, output)` runs every stage and writes the dataset.

    read article -> spaCy pipeline -> sentence views -> linker -> facts -> files
"""
from __future__ import annotations

import re
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable

import pandas as pd

import datetime as dt

from .corpus import Article, discover, parse_article, read_article
from .gazetteer import Economy, Gazetteer
from .linking import Linker
from .mentions import SentenceView, cue_meanings, sentence_views
from .pipeline import build_nlp
from .records import Cue, Fact, Unlinked
from .rules import RuleSet


@dataclass
class ArticleResult:
    article: Article
    facts: list[Fact] = field(default_factory=list)
    unlinked: list[Unlinked] = field(default_factory=list)
    n_sentences: int = 0
    # Character span of every sentence of the Doc, by the index cues carry (`Cue.sentence`),
    # whitespace trimmed, so the evidence can say which earlier sentence a cue stands in.
    sentences: list[tuple[int, int]] = field(default_factory=list)


class Extractor:
    """The pipeline and linker for one rules directory, built once and reused for every article."""

    def __init__(self, rules_dir: Path | str = "rules"):
        self.nlp, self.rules, self.gazetteer = build_nlp(rules_dir)
        self.meanings = cue_meanings(self.rules)
        counted = {w: e["unit"] for e in self.rules.section("numbers.yaml", "counted") for w in e["words"]}
        indicator_flows = {e["id"]: e["flow"] for e in self.rules.section("flows.yaml", "indicators") if "flow" in e}
        not_goods = {e["unit"] for e in self.rules.section("numbers.yaml", "counted") if e.get("goods") is False}
        shared = {e["symbol"]: dict(e["codes"]) for e in self.rules.section("currencies.yaml", "shared_symbols")}
        self.linker = Linker(counted, indicator_flows, not_goods, shared)

    def process(self, article: Article) -> ArticleResult:
        """Facts and unlinked numbers of one article (an unreadable one gives neither)."""
        if article.status != "ok":
            return ArticleResult(article)
        doc = self.nlp(article.text)
        sentences = [s for s in doc.sents if s.end_char > article.body_start and s.text.strip()]
        main = main_economy(article, doc, self.gazetteer)
        views = sentence_views(doc, self.gazetteer, self.meanings, article.body_start,
                               main[0] if main else None)
        facts, unlinked = self.linker.link(article, views, main)
        facts.sort(key=lambda f: (f.start, f.measure))
        spans = [_trimmed(article.text, s.start_char, s.end_char) for s in doc.sents]
        return ArticleResult(article, facts, unlinked, len(sentences), spans)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def article_from_text(text: str, doc_id: str = "text.txt", published: "dt.date | None" = None,
                      title: str = "") -> Article:
    """An in-memory article (for notebooks and tests): front matter is added for the date and title."""
    if published is None and not title:
        return parse_article(text.encode("utf-8"), doc_id)
    head = "---\n" + (f"title: {title}\n" if title else "") + (f"date: {published.isoformat()}\n" if published else "") + "---\n"
    return parse_article((head + text).encode("utf-8"), doc_id)


def main_economy(article: Article, doc, gazetteer: Gazetteer) -> tuple[Economy, Cue] | None:
    """The economy the article is about: the first subject its title names, else the one named most."""
    spans = sorted(doc.spans.get("economies", []), key=lambda s: s.start_char)
    title_start = article.text.find(article.title, 0, article.body_start) if article.title and article.body_start else -1
    if title_start >= 0:
        title_end = title_start + len(article.title)
    else:  # no title in the metadata: the first line is the title
        title_start = article.body_start
        title_end = title_start + len(article.text[title_start:].split("\n", 1)[0])
    title_spans = [s for s in spans if title_start >= 0 and title_start <= s.start_char < title_end]
    first = _subject_of(article.text, title_spans, gazetteer)
    if first is not None:
        economy = gazetteer.lookup(first.text)
        return economy, Cue("entity", economy.canonical, first.text, first.start_char, first.end_char,
                            "title", None, economy.rule)
    # "SEOUL, Oct. 1 (Yonhap) --": a wire dateline names the capital of the economy reported on
    dateline = _DATELINE.match(article.text, article.body_start)
    if dateline and dateline.group("city").upper() in gazetteer.capitals:
        economy = gazetteer.capitals[dateline.group("city").upper()]
        return economy, Cue("entity", economy.canonical, dateline.group("city"), dateline.start("city"),
                            dateline.end("city"), "title", None, "dateline-capital")
    counts = Counter(gazetteer.lookup(s.text).canonical for s in spans if s.start_char >= article.body_start
                     and gazetteer.lookup(s.text))
    if not counts:
        return None
    best = counts.most_common(1)[0][0]
    span = next(s for s in spans if gazetteer.lookup(s.text) and gazetteer.lookup(s.text).canonical == best
                and s.start_char >= article.body_start)
    economy = gazetteer.lookup(span.text)
    return economy, Cue("entity", economy.canonical, span.text, span.start_char, span.end_char,
                        "most named", None, economy.rule)


_DATELINE = re.compile(r"(?P<city>[A-Z][A-Z .'-]{2,30}?)(?:,\s+[A-Z][a-z]{2,4}\.?\s+\d{1,2})?\s*(?:\([^)]{1,40}\))?\s*(?:--|—|–|-)\s")


def _subject_of(text: str, spans, gazetteer: Gazetteer):
    """The first name in a title that is not a partner ("exports to America")."""
    for span in spans:
        before = text[max(0, span.start_char - 12):span.start_char]
        if gazetteer.lookup(span.text) is None or re.search(
                r"\b(?:to|with|from|into)\s+(?:the\s+)?$", before, re.IGNORECASE):
            continue
        next_word = re.match(r"\s+([A-Z][\w-]*)", text[span.end_char:span.end_char + 40])
        if next_word and next_word.group(1) in gazetteer.organisation_words:
            continue  # "China National Radio": the publisher, not the subject
        return span
    return None


def run(articles: Iterable[Article], rules_dir: Path | str = "rules",
        progress: Callable[[Iterable], Iterable] | None = None) -> list[ArticleResult]:
    extractor = Extractor(rules_dir)
    items = list(articles)
    iterator = progress(items) if progress else items
    return [extractor.process(a) for a in iterator]


def extract(corpus: Path | str = "corpus", output: Path | str | None = "output", rules: Path | str = "rules",
            progress: Callable[[Iterable], Iterable] | None = None) -> pd.DataFrame:
    """Extract every article under `corpus`; write the dataset to `output` (unless None); return the facts."""
    from .dataset import facts_frame, write_dataset

    corpus = Path(corpus)
    articles = (read_article(p, corpus) for p in discover(corpus))
    results = run(articles, rules, progress)
    if output is not None:
        write_dataset(results, Path(output))
    return facts_frame([f for r in results for f in r.facts])
