"""The HTML report: one self-contained file to audit every figure in a browser.

It reads what `extract` wrote (facts.csv, evidence.jsonl, unlinked.csv,
documents.csv) and the articles in the corpus, and embeds them as JSON in
one HTML file with its CSS and script inlined: no network, no CDN. The
facts table is paginated and each article's text (with its evidence) sits
in its own JSON block that the page parses only when the article is shown,
so a report of a thousand articles opens as fast as one of two.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .audit import AuditData, audited_article, describe_source, load_output, ordered_cues
from .dataset import atomic_write

# facts.csv columns the page shows and filters on; `sentence` is left out (the
# page cuts it from the article text by the evidence's offsets instead).
REPORT_COLUMNS = ["fact_id", "doc_id", "entity", "entity_type", "partner", "flow", "product", "indicator",
                  "measure", "value", "unit", "qualifier", "period", "period_start", "period_end", "share_of",
                  "text", "start", "end", "rule"]
# Articles rendered as the page opens; past this many, each is rendered when scrolled near.
EAGER_ARTICLES = 40


@dataclass(frozen=True)
class ReportSummary:
    path: Path
    articles: int
    facts: int
    unlinked: int
    warnings: tuple[str, ...]


def _json(value) -> str:
    """JSON safe inside a <script> element: no "<" can close it or open a comment."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")


def _cue_array(cue: dict, text: str, wheres: dict[str, int]) -> list:
    """[field, value, text, start, end, where, rule, sentence_start, sentence_end], compactly.

    The cue's words are left out when the article's text at its offsets gives
    them, "where" is an index into the article's list of sources, and the
    sentence offsets are kept only for a cue from an earlier sentence (the
    page quotes that sentence).
    """
    start, end = cue.get("start"), cue.get("end")
    words = cue.get("text", "")
    where = describe_source(cue)
    earlier = cue.get("source") == "earlier sentence"
    return [cue["field"], cue.get("value", ""), None if start is not None and text[start:end] == words else words,
            start, end, wheres.setdefault(where, len(wheres)), cue.get("rule", ""),
            cue.get("sentence_start") if earlier else None, cue.get("sentence_end") if earlier else None]


def report_payload(data: AuditData, corpus: Path | str) -> tuple[dict, list[dict], list[str]]:
    """The page's data: the index (facts, documents, unlinked numbers), one payload per article, warnings."""
    doc_index = {d["doc_id"]: i for i, d in enumerate(data.documents)}
    facts = [[f[c] for c in REPORT_COLUMNS] for f in data.facts]
    reasons: dict[str, int] = {}
    unlinked = [[doc_index.get(u["doc_id"], -1), u["text"], int(u["start"]), int(u["end"]),
                 reasons.setdefault(u["reason"], len(reasons))] for u in data.unlinked]
    # An unlinked number's sentence is only needed once it is clicked: it goes with its article.
    sentences_of: dict[str, list[str]] = {}
    for u in data.unlinked:
        sentences_of.setdefault(u["doc_id"], []).append(u["sentence"])
    facts_of: dict[str, list[dict]] = {}
    for fact in data.facts:
        facts_of.setdefault(fact["doc_id"], []).append(fact)
    documents, articles, warnings = [], [], []
    for d in data.documents:
        article, warning = (None, "") if d["status"] != "ok" else audited_article(corpus, d["doc_id"], d["sha256"])
        if warning:
            warnings.append(warning)
        text = article.text if article else ""
        wheres: dict[str, int] = {}
        evidence = {}
        for fact in facts_of.get(d["doc_id"], []):
            record = data.evidence.get(fact["fact_id"], {})
            evidence[fact["fact_id"]] = {
                "sentence": [record.get("sentence_start"), record.get("sentence_end")],
                "cues": [_cue_array(c, text, wheres) for c in ordered_cues(record)],
            }
        documents.append({"id": d["doc_id"], "title": d["title"], "published": d["published"],
                          "published_source": d["published_source"], "status": d["status"],
                          "n_facts": int(d["n_facts"] or 0), "n_sentences": int(d["n_sentences"] or 0),
                          "warning": warning, "length": len(text)})
        articles.append({"text": text, "body_start": article.body_start if article else 0,
                         "wheres": list(wheres), "evidence": evidence,
                         "unlinked_sentences": sentences_of.get(d["doc_id"], [])})
    index = {"columns": REPORT_COLUMNS, "facts": facts, "documents": documents, "unlinked": unlinked,
             "reasons": list(reasons),
             "eager": len(documents) <= EAGER_ARTICLES, "output": str(data.output)}
    return index, articles, warnings


def _asset(name: str) -> str:
    return resources.files("tradeextract").joinpath("report_assets", name).read_text(encoding="utf-8")


def build_report(output: Path | str = "output", corpus: Path | str = "corpus") -> tuple[str, ReportSummary]:
    """The report's HTML for the dataset in `output` and the articles in `corpus`."""
    data = load_output(output)
    index, articles, warnings = report_payload(data, corpus)
    blocks = "\n".join(f'<script type="application/json" id="doc-{i}">{_json(a)}</script>'
                       for i, a in enumerate(articles))
    parts = {
        "CSS": _asset("report.css"),
        "SCRIPT": _asset("report.js"),
        "INDEX": _json(index),
        "ARTICLES": blocks,
        "TITLE": f"tradeextract report: {data.output}".replace("&", "&amp;").replace("<", "&lt;"),
    }
    # One pass, so nothing inserted (an article, say) is taken for a placeholder.
    html = re.sub(r"\{\{(CSS|SCRIPT|INDEX|ARTICLES|TITLE)\}\}", lambda m: parts[m.group(1)], _asset("report.html"))
    summary = ReportSummary(Path(output) / "report.html", len(data.documents), len(data.facts),
                            len(data.unlinked), tuple(warnings))
    return html, summary


def write_report(output: Path | str = "output", corpus: Path | str = "corpus",
                 path: Path | str | None = None) -> ReportSummary:
    """Write the report (to `output`/report.html unless `path` is given), atomically."""
    html, summary = build_report(output, corpus)
    target = Path(path) if path is not None else Path(output) / "report.html"
    atomic_write(target, html)
    return ReportSummary(target, summary.articles, summary.facts, summary.unlinked, summary.warnings)
