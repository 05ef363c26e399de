"""The Python API: `extract(corpus, output)` runs every stage and writes the dataset.

    read article -> spaCy pipeline -> sentence views -> linker -> facts -> files
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, fields, is_dataclass, replace
from pathlib import Path
from typing import Callable, Iterable, Iterator

import pandas as pd

import datetime as dt

from .corpus import Article, parse_article
from .gazetteer import Economy, Gazetteer
from .linking import Linker
from .mentions import SentenceView, cue_meanings, sentence_views
from .pipeline import build_nlp
from .records import Cue, Fact, Unlinked


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
        self.linker.continued_symbols = [(e["symbol"], frozenset(e["codes"]), e["id"])
                                         for e in self.rules.section("currencies.yaml", "continued_symbols")]
        fiscal = self.rules.section("periods.yaml", "fiscal_years")
        self.linker.fiscal_years = dict(fiscal[0]) if fiscal else {}
        self.linker.counted_rules = {w.lower(): e["id"] for e in self.rules.section("numbers.yaml", "counted")
                                     for w in e["words"]}

    def process(self, article: Article) -> ArticleResult:
        """Facts and unlinked numbers of one article (an unreadable one gives neither)."""
        if article.status != "ok":
            return ArticleResult(article)
        views: list[SentenceView] = []
        spans: list[tuple[int, int]] = []
        n_sentences = n_seen = 0
        main = None
        # A long article is read in pieces (whole lines) so that time stays linear in
        # its length; the linker still walks all its sentences in one pass.
        for offset, piece in text_pieces(article.text):
            doc = self.nlp(piece)
            body_start = max(0, article.body_start - offset)
            if offset == 0:
                main = main_economy(article, doc, self.gazetteer)
            piece_views = sentence_views(doc, self.gazetteer, self.meanings, body_start,
                                         main[0] if main else None)
            views += [_shifted(v, offset, n_seen) for v in piece_views] if offset else piece_views
            sentences = list(doc.sents)
            spans += [_trimmed(article.text, s.start_char + offset, s.end_char + offset) for s in sentences]
            n_seen += len(sentences)
            n_sentences += sum(1 for s in sentences if s.end_char > body_start and s.text.strip())
        facts, unlinked = self.linker.link(article, views, main)
        facts.sort(key=lambda f: (f.start, f.measure))
        return ArticleResult(article, facts, unlinked, n_sentences, spans)


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """The span without its leading and trailing whitespace."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# Articles up to this many characters go through spaCy whole (every article of the
# seeds and the devset does); longer ones in pieces of about this size. Some steps
# compare every mention of a Doc with every other, so one Doc of 50 MB would not end.
PIECE_CHARS = 20_000


def text_pieces(text: str, limit: int = PIECE_CHARS) -> Iterator[tuple[int, str]]:
    """Split `text` into (offset, piece) that join back to it: at line breaks, else at a space."""
    start = 0
    while start < len(text):
        end = min(start + limit, len(text))
        if end < len(text):
            cut = text.rfind("\n", start, end)
            if cut < 0:  # a line longer than the limit: cut it at its last space
                cut = max(text.rfind(" ", start, end), text.rfind("\t", start, end))
            if cut >= start:
                end = cut + 1
        yield start, text[start:end]
        start = end


def _shifted(view: SentenceView, offset: int, index: int) -> SentenceView:
    """A sentence view of a piece, moved to the article's offsets and sentence numbers."""
    moved = replace(view, index=view.index + index, start=view.start + offset, end=view.end + offset)
    for f in fields(view):  # numbers, economies, periods, cues: every mention with offsets
        items = getattr(view, f.name)
        if isinstance(items, list):
            setattr(moved, f.name, [replace(m, start=m.start + offset, end=m.end + offset)
                                    if is_dataclass(m) and hasattr(m, "start") and hasattr(m, "end") else m
                                    for m in items])
    return moved


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
    lede = _lede_subject(article, spans, gazetteer)
    if lede is not None and (first is None or gazetteer.lookup(first.text).canonical != gazetteer.lookup(lede.text).canonical) \
            and not _reports_on(article.text, first):
        # "Dairy and China lift September goods exports" over "New Zealand's goods exports rose ...":
        # a title's name that is no reporter of trade yields to the first sentence's subject
        economy = gazetteer.lookup(lede.text)
        return economy, Cue("entity", economy.canonical, lede.text, lede.start_char, lede.end_char,
                            "first sentence", None, economy.rule)
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


# A name that reports its own trade: "New Zealand's goods exports", "Japan posted", "Malaysia's trade".
_REPORTS_AFTER = re.compile(
    r"(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:exports?|imports?|trade|shipments|surplus|deficit|economy)\b"
    r"|\s+(?:posted|recorded|reported|logged|booked|ran|registered|exported|imported|shipped)\b")


def _reports_on(text: str, span) -> bool:
    return span is not None and _REPORTS_AFTER.match(text, span.end_char) is not None


def _lede_subject(article: Article, spans, gazetteer: Gazetteer):
    """The economy whose trade the article's first sentence reports ("New Zealand's goods exports rose")."""
    body = article.text[article.body_start:]
    dateline = _DATELINE.match(article.text, article.body_start)
    start = dateline.end() if dateline else article.body_start
    end = article.body_start + min(len(body), *(i for i in (body.find(". "), body.find("\n")) if i >= 0), 400)
    for span in spans:
        if start <= span.start_char < end and gazetteer.lookup(span.text) is not None:
            if re.search(r"\b(?:to|with|from|into|in)\s+(?:the\s+)?$", article.text[max(0, span.start_char - 12):span.start_char]):
                continue
            return span if _reports_on(article.text, span) else None
    return None


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
    """Every article through one extractor; one that makes it fail is skipped, not the run."""
    extractor = Extractor(rules_dir)
    items = list(articles)
    iterator = progress(items) if progress else items
    return [_process_or_skip(extractor, a) for a in iterator]


def _process_or_skip(extractor: Extractor, article: Article) -> ArticleResult:
    try:
        return extractor.process(article)
    except Exception as exc:  # noqa: BLE001 - a bug on one article must not lose the others
        problem = f"{type(exc).__name__}: {exc}".splitlines()[0][:200]
        return ArticleResult(replace(article, status=f"skipped: extraction failed ({problem}); a bug, please report it"))


def extract(corpus: Path | str = "corpus", output: Path | str | None = "output", rules: Path | str = "rules",
            progress: Callable[[Iterable], Iterable] | None = None, strict: bool = False, *, jobs: int = 1,
            engine: str = "local", scheduler: str | None = None, cache: bool = True,
            cache_dir: Path | str | None = None) -> pd.DataFrame:
    """Extract every article under `corpus`; write the dataset to `output` (unless None); return the facts.

    Unreadable files are skipped (their reason is in documents.csv); with `strict`
    they raise SkippedArticlesError before anything is written. Articles unchanged
    since the last run into `output` come from its cache (runner.py); `jobs`,
    `engine` ("local" or "dask") and `scheduler` say where the others are processed.
    """
    from .dataset import check_parts, facts_frame_of, read_facts_frame
    from .errors import SkippedArticlesError
    from .runner import CorpusRun, default_cache_dir, write_corpus

    folder = None
    if cache and (cache_dir is not None or output is not None):
        folder = Path(cache_dir) if cache_dir is not None else default_cache_dir(Path(output))
    if output is not None:
        write_corpus(corpus, output, rules, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=folder,
                     progress=progress, strict=strict)
        return read_facts_frame(Path(output) / "facts.parquet")
    run = CorpusRun(corpus, rules, jobs=jobs, engine=engine, scheduler=scheduler, cache_dir=folder,
                    progress=progress)
    parts = list(run.parts())
    skipped = [(p["doc_id"], p["status"]) for p in parts if p["status"] != "ok"]
    if strict and skipped:
        raise SkippedArticlesError(skipped)
    new = [p for p in parts if p.get("check") is not None]
    check_parts(new)
    for part in new:
        run.checked(part)
    run.finish()
    return facts_frame_of(parts)
