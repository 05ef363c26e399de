"""Records -> files: facts.csv, documents.csv (the contract), facts.parquet, evidence.jsonl, unlinked.csv.

The tables are checked against the contract's schemas (schema.py) before
anything is written; then the whole dataset goes into `output/` in one step
(publish.py), so a run killed at any moment leaves the old dataset or the
new one, complete.

The CSVs are opened by people in spreadsheets: a free-text cell that a
spreadsheet would take for a formula gets a leading apostrophe (OWASP's
advice on CSV injection). `text` stays exact, so `file_text[start:end] ==
text` holds in facts.csv too, and facts.parquet keeps every cell exact for
programs.
"""
from __future__ import annotations

import bisect
import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from pathlib import Path

import pandas as pd

from .publish import publish
from .records import COLUMNS, Fact
from .schema import DOCUMENTS_SCHEMA, UNLINKED_SCHEMA, facts_schema, validate

DOCUMENT_COLUMNS = ["doc_id", "title", "published", "published_source", "sha256", "n_sentences", "n_facts", "status"]
UNLINKED_COLUMNS = ["doc_id", "text", "start", "end", "reason", "sentence"]
# Cells of free text (from the article, or names shown beside it): made safe for spreadsheets.
FREE_TEXT = {"entity", "partner", "product", "indicator", "share_of", "sentence", "title"}
_FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def facts_frame(facts: list[Fact]) -> pd.DataFrame:
    """The facts as a DataFrame with the contract's columns, sorted by doc_id then start."""
    return _frame([f.row() for f in sorted(facts, key=lambda f: (f.doc_id, f.start, f.end, f.measure))])


def _frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=COLUMNS).astype({"value": "float64", "start": "int64", "end": "int64"})


def _format_value(value: float) -> str:
    """Numbers as plain decimals: 5550000000000, 5.4, -3.1, 33.333 (no exponent, no trailing .0)."""
    # 4.19 * 10**12 is 4190000000000.0005 in binary floating point: keep 15 significant
    # digits (what a double holds exactly) before fixing 6 decimals, so no such noise is printed.
    text = f"{float(f'{value:.15g}'):.6f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def spreadsheet_safe(cell: str) -> str:
    """A cell a spreadsheet would read as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.

    Leading spaces are looked through too: some spreadsheets drop them before reading the cell.
    """
    return "'" + cell if cell.lstrip(" ").startswith(_FORMULA_TRIGGERS) else cell


def _csv_text(header: list[str], rows: list[list]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    # csv quotes a field holding "\n" but not one holding a lone "\r", which readers then
    # take for a line break: a row with one is quoted whole.
    quoted = csv.writer(buffer, lineterminator="\n", quoting=csv.QUOTE_ALL)
    free = [column in FREE_TEXT for column in header]
    writer.writerow(header)
    for row in rows:
        row = [spreadsheet_safe(cell) if is_free and isinstance(cell, str) else cell
               for cell, is_free in zip(row, free)]
        (quoted if any(isinstance(cell, str) and "\r" in cell for cell in row) else writer).writerow(row)
    return buffer.getvalue()


def _parquet_bytes(frame: pd.DataFrame) -> bytes:
    """facts.parquet: the exact cells, periods as dates, no library versions in the metadata."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    types = {"value": pa.float64(), "start": pa.int64(), "end": pa.int64(),
             "period_start": pa.date32(), "period_end": pa.date32()}
    schema = pa.schema([pa.field(c, types.get(c, pa.string())) for c in frame.columns])
    columns = {c: frame[c].tolist() for c in frame.columns}
    for c in ("period_start", "period_end"):
        columns[c] = [dt.date.fromisoformat(v) if v else None for v in columns[c]]
    buffer = io.BytesIO()
    pq.write_table(pa.table(columns, schema=schema), buffer, compression="zstd")
    return buffer.getvalue()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# Read once: mkstemp creates files readable by their owner alone, but the dataset and the
# report are meant to be shared, so they get the mode a plain open() would give them.
_FILE_MODE = 0o666 & ~_umask()


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename (atomic on one filesystem)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, _FILE_MODE)
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


_DATE_LINE = re.compile(r"^date:[ \t]*['\"]?(?P<date>[^'\"\n]*?)['\"]?[ \t]*$", re.MULTILINE)


def evidence_record(fact: Fact, result) -> dict:
    """One line of evidence.jsonl: the fact, then the cue behind each field and where it stands.

    A cue that stands in a sentence gets that sentence's offsets; one from an
    earlier sentence also gets its text, so a reviewer sees which sentence it
    was. A period taken from the publication date names that date, and its
    offsets in the front matter when it was written there.
    """
    article = result.article
    starts = [s for s, _ in result.sentences]
    record = {"fact_id": fact.fact_id, "doc_id": fact.doc_id, "text": fact.text, "start": fact.start,
              "end": fact.end, "rule": fact.rule}
    if result.sentences:
        record["sentence_start"], record["sentence_end"] = result.sentences[_sentence_at(starts, fact.start)]
    record["cues"] = []
    for cue in fact.evidence()["cues"]:
        if cue["start"] is not None and cue["source"] in ("same sentence", "earlier sentence"):
            # The offsets decide which sentence a cue stands in: a cue carried over from
            # an earlier sentence may bear the index of the sentence it was used in.
            cue["sentence"] = _sentence_at(starts, cue["start"])
        index = cue["sentence"]
        if index is not None and 0 <= index < len(result.sentences):
            start, end = result.sentences[index]
            cue["sentence_start"], cue["sentence_end"] = start, end
            if cue["source"] == "earlier sentence":
                cue["sentence_text"] = article.text[start:end]
        if cue["source"] == "publication date" and article.published:
            cue["published"] = article.published.isoformat()
            cue["published_source"] = article.published_source
            line = _DATE_LINE.search(article.text, 0, article.body_start) if article.body_start else None
            if cue["start"] is None and line and line.group("date"):
                cue["text"], cue["start"], cue["end"] = line.group("date"), line.start("date"), line.end("date")
        record["cues"].append(cue)
    return record


def _sentence_at(starts: list[int], offset: int) -> int:
    """Index of the sentence that holds `offset`, given the sentences' start offsets."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


def write_dataset(results, output: Path) -> None:
    """Check the tables against the contract, then put the whole dataset into `output` at once."""
    facts = sorted((f for r in results for f in r.facts), key=lambda f: (f.doc_id, f.start, f.end, f.measure))
    result_of = {id(f): r for r in results for f in r.facts}
    rows = [f.row() for f in facts]
    frame = _frame(rows).astype({c: "str" for c in COLUMNS if c not in ("value", "start", "end")})
    validate(frame, facts_schema({r.article.doc_id: r.article.text for r in results}), "facts")
    fact_rows = [[_format_value(row[c]) if c == "value" else row[c] for c in COLUMNS] for row in rows]
    documents = []
    for r in sorted(results, key=lambda r: r.article.doc_id):
        a = r.article
        documents.append([a.doc_id, a.title, a.published.isoformat() if a.published else "", a.published_source,
                          a.sha256, r.n_sentences, len(r.facts), a.status])
    validate(pd.DataFrame(documents, columns=DOCUMENT_COLUMNS).astype(
        {"n_sentences": "int64", "n_facts": "int64"}), DOCUMENTS_SCHEMA, "documents")
    unlinked = sorted((u for r in results for u in r.unlinked), key=lambda u: (u.doc_id, u.start))
    unlinked_rows = [[u.doc_id, u.text, u.start, u.end, u.reason, u.sentence] for u in unlinked]
    validate(pd.DataFrame(unlinked_rows, columns=UNLINKED_COLUMNS).astype(
        {"doc_id": "str", "text": "str", "start": "int64", "end": "int64", "reason": "str", "sentence": "str"}),
        UNLINKED_SCHEMA, "unlinked")  # typed even when empty: an article may leave no number unlinked
    evidence = "".join(json.dumps(evidence_record(f, result_of[id(f)]), ensure_ascii=False) + "\n" for f in facts)
    files = {
        "documents.csv": _csv_text(DOCUMENT_COLUMNS, documents).encode("utf-8"),
        "evidence.jsonl": evidence.encode("utf-8"),
        "unlinked.csv": _csv_text(UNLINKED_COLUMNS, unlinked_rows).encode("utf-8"),
        "facts.csv": _csv_text(COLUMNS, fact_rows).encode("utf-8"),
        "facts.parquet": _parquet_bytes(frame),
    }
    # The text that offsets refer to, where it is not the file read as UTF-8 (a web page,
    # another encoding), so that file_text[start:end] == text can still be checked.
    for r in results:
        if r.article.status == "ok" and r.article.derived:
            files[f"texts/{r.article.doc_id}.txt"] = r.article.text.encode("utf-8")
    publish(files, output)
