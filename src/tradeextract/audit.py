"""Audit a written dataset: read output/ back, find a fact, say where each cue came from, show it on a terminal.

`show` and the HTML report both read the files `extract` wrote (facts.csv,
evidence.jsonl, unlinked.csv, documents.csv) and the articles in the corpus,
so they audit exactly what was published, not a fresh run.
"""
from __future__ import annotations

import csv
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .corpus import Article
from .errors import TradeExtractError

# The order fields are listed in, and their colour on a terminal (and in the report's CSS).
FIELD_ORDER = ["entity", "partner", "flow", "product", "measure", "sign", "qualifier", "period", "share_of"]
_FIELD_RANK = {name: i for i, name in enumerate(FIELD_ORDER)}
FIELD_COLOURS = {"entity": "green", "partner": "magenta", "flow": "blue", "product": "yellow",
                 "period": "cyan", "share_of": "yellow", "sign": "red", "qualifier": "red", "measure": "white"}


@dataclass
class AuditData:
    """The four output files, read back as plain strings (as a reviewer would see them)."""

    output: Path
    facts: list[dict]
    evidence: dict[str, dict]
    unlinked: list[dict]
    documents: list[dict]
    _by_id: dict[str, dict] = field(default_factory=dict, repr=False)

    def fact(self, fact_id: str) -> dict:
        """The row of `fact_id`; a unique prefix of at least 4 characters will do."""
        if not self._by_id:
            self._by_id = {f["fact_id"]: f for f in self.facts}
        if fact_id in self._by_id:
            return self._by_id[fact_id]
        matches = [f for i, f in self._by_id.items() if len(fact_id) >= 4 and i.startswith(fact_id)]
        if len(matches) == 1:
            return matches[0]
        if matches:
            raise TradeExtractError(f"fact id {fact_id!r} is ambiguous in {self.output}/facts.csv "
                                    f"({len(matches)} facts start with it): give more characters")
        raise TradeExtractError(f"no fact {fact_id!r} in {self.output}/facts.csv (fact ids are its first column)")


def _read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def load_output(output: Path | str = "output") -> AuditData:
    """Read facts.csv, evidence.jsonl, unlinked.csv and documents.csv from `output`."""
    output = Path(output)
    names = ("facts.csv", "evidence.jsonl", "unlinked.csv", "documents.csv")
    missing = [n for n in names if not (output / n).is_file()]
    if missing:
        raise TradeExtractError(f"{output}/{missing[0]} not found: run `tradeextract extract` first "
                                f"(or pass --output with the folder it wrote to)")
    evidence = {}
    with (output / "evidence.jsonl").open(encoding="utf-8") as fh:
        for number, line in enumerate(fh, start=1):
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                raise TradeExtractError(f"{output}/evidence.jsonl:{number}: not JSON ({exc.msg})") from None
            evidence[record["fact_id"]] = record
    return AuditData(output, _read_csv(output / "facts.csv"), evidence, _read_csv(output / "unlinked.csv"),
                     _read_csv(output / "documents.csv"))


def audited_article(corpus: Path | str, doc_id: str, sha256: str = "") -> tuple[Article | None, str]:
    """The article as `extract` read it (offsets refer to its text), and a warning if it changed since."""
    from .corpus import parse_article

    path = Path(corpus) / doc_id
    if not path.is_file():
        return None, f"{path} not found: the article is not in the corpus any more"
    raw = path.read_bytes()
    warning = ""
    if sha256 and hashlib.sha256(raw).hexdigest() != sha256:
        warning = f"{path} changed since `extract` ran: offsets may be off (run `tradeextract extract`)"
    return parse_article(raw, doc_id), warning


def describe_source(cue: dict) -> str:
    """Where a cue came from, in words: "same sentence", "earlier sentence 29 (chars 4219-4335)", ..."""
    source = cue.get("source", "default")
    if source == "earlier sentence" and cue.get("sentence_start") is not None:
        return f"earlier sentence {cue['sentence']} (chars {cue['sentence_start']}-{cue['sentence_end']})"
    if source == "title":
        return "the title"
    if source == "first sentence":
        return "the article's first sentence (its title names no economy that reports trade)"
    if source == "most named":
        return "the economy the article names most (its title names none)"
    if source == "publication date":
        when = cue.get("published", "")
        how = cue.get("published_source", "")
        return f"the publication date {when} ({how})".replace(" ()", "").strip() if when else "the publication date"
    if source == "default":
        return "a default" + (f" (rule {cue['rule']})" if cue.get("rule") else "")
    return source


def ordered_cues(record: dict) -> list[dict]:
    """The cues of an evidence record, entity first, in FIELD_ORDER; unknown fields last."""
    return sorted(record.get("cues", []), key=lambda c: _FIELD_RANK.get(c["field"], len(_FIELD_RANK)))


# ---------------------------------------------------------------- the terminal view
Style = Callable[[str, str], str]  # (text, field or "figure") -> styled text


def _plain(text: str, label: str) -> str:
    return f"[[{text}]]" if "figure" in label.split(",") else f"[{text}]{{{label}}}"


def _coloured(text: str, label: str) -> str:
    import click

    if "figure" in label.split(","):
        return click.style(text, fg="black", bg="yellow", bold=True)
    colour = FIELD_COLOURS.get(label.split(",")[0], "white")
    return click.style(text, fg=colour, bold=True, underline=True)


def _highlight(text: str, span: tuple[int, int], marks: list[tuple[int, int, str]], style: Style) -> str:
    """`text[span]` with non-overlapping marks styled; the earlier mark in the list wins an overlap."""
    chosen: list[tuple[int, int, str]] = []
    for start, end, label in marks:
        if not (span[0] <= start < end <= span[1]):
            continue
        same = next((i for i, c in enumerate(chosen) if (c[0], c[1]) == (start, end)), None)
        if same is not None:
            if label not in chosen[same][2].split(","):
                chosen[same] = (start, end, chosen[same][2] + "," + label)
            continue
        if any(start < c[1] and c[0] < end for c in chosen):
            continue
        chosen.append((start, end, label))
    out, at = [], span[0]
    for start, end, label in sorted(chosen):
        out.append(text[at:start])
        out.append(style(text[start:end], label))
        at = end
    out.append(text[at:span[1]])
    return "".join(out)


def _line_of(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, len(text) if end < 0 else end


def render_fact(data: AuditData, fact_id: str, corpus: Path | str = "corpus", colour: bool = False) -> str:
    """A fact as a reviewer reads it: its row, its sentence with the figure and cues marked, each cue's source."""
    row = data.fact(fact_id)
    record = data.evidence.get(row["fact_id"], {"cues": [], "rule": row["rule"]})
    document = next((d for d in data.documents if d["doc_id"] == row["doc_id"]), {})
    article, warning = audited_article(corpus, row["doc_id"], document.get("sha256", ""))
    text = article.text if article else ""
    style = _coloured if colour else _plain
    start, end = int(row["start"]), int(row["end"])
    cues = ordered_cues(record)

    lines = [f"fact {row['fact_id']}  {row['doc_id']}  chars {start}-{end}  rule {row['rule']}"]
    if warning:
        lines.append(f"warning: {warning}")
    value = f"{row['measure']} {row['value']} {row['unit']}" + (f" ({row['qualifier']})" if row["qualifier"] else "")
    lines.append(f"  {row['text']!r} = {value}")
    entity = row["entity"] + (f" ({row['entity_type']})" if row["entity_type"] else "")
    for name, shown in [("entity", entity), ("partner", row["partner"]), ("flow", row["flow"]),
                        ("product", row["product"]), ("indicator", row["indicator"]),
                        ("period", f"{row['period']} ({row['period_start']} to {row['period_end']})"),
                        ("share_of", row["share_of"])]:
        if shown:
            lines.append(f"  {name:<10}{shown}")

    if text:
        marks = [(start, end, "figure")] + [(c["start"], c["end"], c["field"]) for c in cues
                                            if c.get("start") is not None]
        own = (record.get("sentence_start"), record.get("sentence_end"))
        if own[0] is None:
            own = _line_of(text, start)
        spans = {own: "sentence"}
        for c in cues:
            if c.get("start") is None:
                continue
            if c.get("sentence_start") is not None:
                span = (c["sentence_start"], c["sentence_end"])
            else:  # the title or the front matter: show its line
                span = _line_of(text, c["start"])
            if not any(s[0] <= c["start"] and c["end"] <= s[1] for s in spans):
                spans[span] = describe_source(c)
        for span, label in sorted(spans.items(), key=lambda item: (item[0] != own, item[0])):
            heading = "its sentence" if span == own else label.split(" (chars")[0]
            lines.append("")
            lines.append(f"{heading}, chars {span[0]}-{span[1]}:")
            lines.append("  " + _highlight(text, span, marks, style))

    lines.append("")
    lines.append("cues:")
    for c in cues:
        where = f"{c['start']}-{c['end']}" if c.get("start") is not None else "-"
        name = style(c["field"], c["field"]) if colour else c["field"]
        pad = " " * max(1, 10 - len(c["field"]))
        cue_text = repr(c["text"]) if c.get("text") else "-"
        lines.append(f"  {name}{pad}{c['value'] or '-':<22} {cue_text:<24} {where:<11} "
                     f"{c.get('rule') or '-':<28} {describe_source(c)}")
    rules = [record.get("rule") or row["rule"]] + [c["rule"] for c in cues if c.get("rule")]
    lines.append("")
    lines.append("rules: " + ", ".join(dict.fromkeys(rules)))
    return "\n".join(lines)
