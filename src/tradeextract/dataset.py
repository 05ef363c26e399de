"""Records -> files: facts.csv, documents.csv (the contract), facts.parquet, evidence.jsonl, unlinked.csv.

Each article is rendered once into its part (render_part: its CSV rows,
evidence lines and Parquet cells), checked against the contract's schemas
(schema.py) when it is first processed, and cached (cache.py). The dataset is
the parts joined in doc_id order, streamed into a staging folder and put into
`output/` in one step (publish.py), so a run killed at any moment leaves the
old dataset or the new one, complete, and memory does not grow with the corpus.

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
import operator
import os
import tempfile
from pathlib import Path

import pandas as pd

from .evidence import evidence_lines, evidence_record  # noqa: F401 - evidence_record: public here too
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


def render_part(result) -> dict:
    """One article's share of the dataset, rendered: its CSV rows, evidence lines and Parquet cells.

    Facts sort by doc_id then start, so the dataset is these parts joined in doc_id
    order. What the checks need (`check`) travels with a new part and is dropped
    once the part has passed them; the rest is what the cache keeps (JSON data).
    """
    a = result.article
    facts = sorted(result.facts, key=lambda f: (f.doc_id, f.start, f.end, f.measure))
    cells = [_fact_cells(f) for f in facts]  # each fact's cells, in COLUMNS order
    document = [a.doc_id, a.title, a.published.isoformat() if a.published else "", a.published_source,
                a.sha256, result.n_sentences, len(result.facts), a.status]
    unlinked = sorted(result.unlinked, key=lambda u: (u.doc_id, u.start))
    unlinked_rows = [[u.doc_id, u.text, u.start, u.end, u.reason, u.sentence] for u in unlinked]
    csv_facts = [list(row) for row in cells]
    for row in csv_facts:
        row[_VALUE] = _format_value(row[_VALUE])
    return {
        "doc_id": a.doc_id,
        "status": a.status,
        "n_facts": len(facts),
        "documents": _csv_rows(DOCUMENT_COLUMNS, [document]),
        "facts": _csv_rows(COLUMNS, csv_facts),
        "unlinked": _csv_rows(UNLINKED_COLUMNS, unlinked_rows),
        "evidence": evidence_lines(facts, result),
        "columns": {c: list(column) for c, column in zip(COLUMNS, zip(*cells))} if cells
        else {c: [] for c in COLUMNS},
        "text": a.text if a.status == "ok" and a.derived else None,  # kept beside the output (texts/)
        "check": {"text": a.text, "document": document, "unlinked": unlinked_rows},
    }


# A fact's cells in COLUMNS order (fact_id is a cached property of Fact): Fact.row() without the dict.
_fact_cells = operator.attrgetter(*COLUMNS)
_VALUE = COLUMNS.index("value")


def _csv_rows(header: list[str], rows: list[list]) -> str:
    """The rows as _csv_text writes them, without the header line.

    The csv module scans every character of every cell, in C but slowly, and the
    same cells (a sentence, an economy) come back row after row: here each distinct
    str cell is made safe and quoted once, as csv would (quotes around one holding a
    comma, quote or "\n", quotes inside doubled), and rows are the cells joined by
    commas. Other cells are written as csv writes them (str(), "" for None, repr() of
    a float). A "\r" anywhere sends all the rows through _csv_text, which quotes such
    a row whole.
    """
    if len(header) < 2:  # csv writes a lone empty cell as "": not worth a special case
        return _csv_text(header, rows)[len(_csv_text(header, [])):]
    plain, free = _CsvCells(), _CsvCells(spreadsheet=True)
    columns = [free if column in FREE_TEXT else plain for column in header]
    try:
        lines = [",".join([cells[cell] if cell.__class__ is str else cells.other(cell)
                           for cells, cell in zip(columns, row)]) for row in rows]
    except _CarriageReturn:
        return _csv_text(header, rows)[len(_csv_text(header, [])):]
    return "".join(line + "\n" for line in lines)


class _CarriageReturn(Exception):
    """A cell holds "\r": the row must be quoted whole."""


class _CsvCells(dict):
    """str cell -> its text in a CSV row (made spreadsheet-safe first for a free-text column)."""

    def __init__(self, spreadsheet: bool = False):
        super().__init__()
        self.spreadsheet = spreadsheet

    def __missing__(self, cell: str) -> str:
        if self.spreadsheet:
            cell_text = spreadsheet_safe(cell)
        else:
            cell_text = cell
        text = self[cell] = _quoted(cell_text)
        return text

    def other(self, cell) -> str:
        """A cell that is not a str, as csv writes it (never made spreadsheet-safe: not text)."""
        return _quoted("" if cell is None else repr(cell) if isinstance(cell, float) else str(cell))


def _quoted(text: str) -> str:
    if "\r" in text:
        raise _CarriageReturn
    if "," in text or '"' in text or "\n" in text:
        return '"' + text.replace('"', '""') + '"'
    return text


def check_parts(parts: list[dict]) -> None:
    """The contract's checks (schema.py) over new parts, a batch at once; ContractError if one fails."""
    if not parts:
        return
    columns = {c: [v for p in parts for v in p["columns"][c]] for c in COLUMNS}
    frame = _frame_of(columns).astype({c: "str" for c in COLUMNS if c not in ("value", "start", "end")})
    validate(frame, facts_schema({p["doc_id"]: p["check"]["text"] for p in parts}), "facts")
    validate(pd.DataFrame([p["check"]["document"] for p in parts], columns=DOCUMENT_COLUMNS).astype(
        {"n_sentences": "int64", "n_facts": "int64"}), DOCUMENTS_SCHEMA, "documents")
    validate(pd.DataFrame([row for p in parts for row in p["check"]["unlinked"]], columns=UNLINKED_COLUMNS).astype(
        {"doc_id": "str", "text": "str", "start": "int64", "end": "int64", "reason": "str", "sentence": "str"}),
        UNLINKED_SCHEMA, "unlinked")  # typed even when empty: an article may leave no number unlinked


def facts_frame_of(parts: list[dict]) -> pd.DataFrame:
    """The facts of parts (in doc_id order) as facts_frame gives them."""
    return _frame_of({c: [v for p in parts for v in p["columns"][c]] for c in COLUMNS})


def read_facts_frame(path: Path) -> pd.DataFrame:
    """facts.parquet read back as facts_frame gives the facts (periods as ISO strings, "" when none)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    # Converted by Arrow, column by column: no Python object per cell (a large corpus has millions).
    table = pq.read_table(path)
    for c in ("period_start", "period_end"):
        table = table.set_column(table.schema.get_field_index(c), c,
                                 pc.fill_null(pc.cast(table[c], pa.string()), ""))
    return table.to_pandas()


def _frame_of(columns: dict[str, list]) -> pd.DataFrame:
    return pd.DataFrame(columns, columns=COLUMNS).astype({"value": "float64", "start": "int64", "end": "int64"})


_PARQUET_TYPES = {"value": "float64", "start": "int64", "end": "int64", "period_start": "date32",
                  "period_end": "date32"}
# Rows per row group of facts.parquet: a fixed count, so the bytes do not depend on how the
# rows arrived (the cache, the engine); a dataset below it is one group, as pq.write_table makes.
PARQUET_ROW_GROUP = 65_536


class DatasetWriter:
    """Writes parts, in doc_id order, straight into a staging folder; `publish` swaps it in.

    New parts (those with `check`) are checked a batch at a time before anything is
    published; `on_checked(part)` is called for each once it has passed. Memory
    stays bounded whatever the number of articles: only a batch of new parts and
    less than a row group of Parquet cells are held.
    """

    CHECK_ROWS = 20_000  # facts per batch of checks (one pandera call costs tens of milliseconds)

    def __init__(self, output: Path, on_checked=None):
        from .publish import open_stage

        self.output = Path(output)
        self.stage = open_stage(self.output)
        self.on_checked = on_checked
        self.pending: list[dict] = []
        self.pending_rows = 0
        self.fact_ids: set[str] = set()
        self.last_doc_id: str | None = None
        self.n_articles = self.n_facts = 0
        self.skipped: list[tuple[str, str]] = []
        self._cells: dict[str, list] = {c: [] for c in COLUMNS}
        self._parquet = None
        self._files = {}
        for name, header in (("documents.csv", DOCUMENT_COLUMNS), ("facts.csv", COLUMNS),
                             ("unlinked.csv", UNLINKED_COLUMNS), ("evidence.jsonl", None)):
            fh = open(self.stage / name, "w", encoding="utf-8", newline="")
            if header is not None:
                fh.write(_csv_text(header, []))
            self._files[name] = fh

    def add(self, part: dict) -> None:
        doc_id = part["doc_id"]
        if self.last_doc_id is not None and doc_id <= self.last_doc_id:
            raise ValueError(f"parts must come in doc_id order ({doc_id!r} after {self.last_doc_id!r})")
        self.last_doc_id = doc_id
        self.n_articles += 1
        self.n_facts += part["n_facts"]
        if part["status"] != "ok":
            self.skipped.append((doc_id, part["status"]))
        for fact_id in part["columns"]["fact_id"]:
            if fact_id in self.fact_ids:
                from .errors import ContractError

                raise ContractError("facts", [f"fact_id: field_uniqueness ({fact_id!r} in {doc_id!r} and before)"])
            self.fact_ids.add(fact_id)
        self._files["documents.csv"].write(part["documents"])
        self._files["facts.csv"].write(part["facts"])
        self._files["unlinked.csv"].write(part["unlinked"])
        self._files["evidence.jsonl"].write(part["evidence"])
        if part.get("text") is not None:
            path = self.stage / "texts" / f"{doc_id}.txt"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(part["text"].encode("utf-8"))
        for c in COLUMNS:
            self._cells[c].extend(part["columns"][c])
        if len(self._cells["fact_id"]) >= PARQUET_ROW_GROUP:
            self._write_row_groups(final=False)
        if part.get("check") is not None:
            self.pending.append(part)
            self.pending_rows += part["n_facts"]
            if self.pending_rows >= self.CHECK_ROWS:
                self._check()

    def _check(self) -> None:
        check_parts(self.pending)
        for part in self.pending:
            del part["check"]
            if self.on_checked is not None:
                self.on_checked(part)
        self.pending, self.pending_rows = [], 0

    def _write_row_groups(self, final: bool) -> None:
        import pyarrow.parquet as pq

        n = len(self._cells["fact_id"])
        if self._parquet is None:
            self._parquet = pq.ParquetWriter(str(self.stage / "facts.parquet"), _parquet_schema(),
                                             compression="zstd")
        done = 0
        while n - done >= PARQUET_ROW_GROUP or (final and n - done > 0):
            end = min(done + PARQUET_ROW_GROUP, n)
            self._parquet.write_table(_parquet_table({c: v[done:end] for c, v in self._cells.items()}),
                                      row_group_size=PARQUET_ROW_GROUP)
            done = end
        self._cells = {c: v[done:] for c, v in self._cells.items()}

    def close(self) -> None:
        """Check what is left, finish every file (on disk, flushed) in the staging folder."""
        self._check()
        if self._parquet is None:  # under one row group: written at once, as it always was
            import pyarrow.parquet as pq

            pq.write_table(_parquet_table(self._cells), str(self.stage / "facts.parquet"), compression="zstd")
        else:
            self._write_row_groups(final=True)
            self._parquet.close()
            self._parquet = None
        for fh in self._files.values():
            fh.close()

    def publish(self) -> None:
        from .publish import publish_stage

        self.close()
        publish_stage(self.stage, self.output)

    def abandon(self) -> None:
        import shutil

        for fh in self._files.values():
            fh.close()
        if self._parquet is not None:
            try:
                self._parquet.close()
            except Exception:  # noqa: BLE001 - the folder goes anyway
                pass
        shutil.rmtree(self.stage, ignore_errors=True)


def _parquet_schema():
    import pyarrow as pa

    types = {"value": pa.float64(), "start": pa.int64(), "end": pa.int64(),
             "period_start": pa.date32(), "period_end": pa.date32()}
    return pa.schema([pa.field(c, types.get(c, pa.string())) for c in COLUMNS])


def _parquet_table(cells: dict[str, list]):
    """Cells of facts.parquet as a table: the exact cells, periods as dates."""
    import pyarrow as pa

    columns = dict(cells)
    columns["value"] = [float(v) for v in columns["value"]]
    for c in ("period_start", "period_end"):
        columns[c] = [dt.date.fromisoformat(v) if v else None for v in columns[c]]
    return pa.table(columns, schema=_parquet_schema())


def write_parts(parts, output: Path, on_checked=None) -> DatasetWriter:
    """Write parts (in doc_id order) and put the dataset into `output` at once; the writer, for its counts."""
    writer = DatasetWriter(output, on_checked)
    try:
        for part in parts:
            writer.add(part)
        writer.publish()
    except BaseException:
        writer.abandon()
        raise
    return writer


def write_dataset(results, output: Path) -> None:
    """Check the tables against the contract, then put the whole dataset into `output` at once.

    `results` are ArticleResults or parts (render_part), in any order.
    """
    parts = [r if isinstance(r, dict) else render_part(r) for r in results]
    write_parts(sorted(parts, key=lambda p: p["doc_id"]), output)
