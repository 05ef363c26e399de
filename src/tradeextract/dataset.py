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

import csv
import datetime as dt
import io
import json
import os
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
    rows = [f.row() for f in sorted(facts, key=lambda f: (f.doc_id, f.start, f.end, f.measure))]
    frame = pd.DataFrame(rows, columns=COLUMNS)
    return frame.astype({"value": "float64", "start": "int64", "end": "int64"})


def _format_value(value: float) -> str:
    """Numbers as plain decimals: 5550000000000, 5.4, -3.1, 33.333 (no exponent, no trailing .0)."""
    text = f"{value:.6f}".rstrip("0").rstrip(".")
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


def atomic_write(path: Path, text: str) -> None:
    """Write `text` to `path` through a temporary file and a rename (atomic on one filesystem)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_dataset(results, output: Path) -> None:
    """Check the tables against the contract, then put the whole dataset into `output` at once."""
    facts = sorted((f for r in results for f in r.facts), key=lambda f: (f.doc_id, f.start, f.end, f.measure))
    frame = facts_frame(facts).astype({c: "str" for c in COLUMNS if c not in ("value", "start", "end")})
    validate(frame, facts_schema({r.article.doc_id: r.article.text for r in results}), "facts")
    fact_rows = []
    for fact in facts:
        row = fact.row()
        row["value"] = _format_value(row["value"])
        fact_rows.append([row[c] for c in COLUMNS])
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
        {"start": "int64", "end": "int64"}), UNLINKED_SCHEMA, "unlinked")
    evidence = "".join(json.dumps(f.evidence(), ensure_ascii=False, sort_keys=False) + "\n" for f in facts)
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
