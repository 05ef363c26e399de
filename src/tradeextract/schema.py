"""The contract's tables as pandera schemas, checked before anything is written.

A row that fails is a bug of the extractor, not of the article: the run stops
with `ContractError` naming the column, the check and the first rows that fail,
and the previous output stays as it was.
"""
from __future__ import annotations

from typing import Mapping

import pandas as pd
import pandera.pandas as pa
from pandera import Check

from .errors import ContractError
from .rules import ENTITY_TYPES, FLOWS, QUALIFIERS

MEASURES = {"level", "change", "share", "rank"}
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"
# What makes a spreadsheet read a cell as a formula (OWASP). A figure may start with
# a minus sign before a digit ("-82.5 per cent", as the contract keeps it): a
# negative number, never a formula that runs anything.
FORMULA_START = r"^(?:[=+@\t\r]|-(?!\d))"


def _text(*checks: Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, checks=list(checks), nullable=nullable)


def _one_of(values: set[str], empty: bool = True) -> pa.Column:
    return _text(Check.isin(sorted(values | ({""} if empty else set()))))


def _iso_or_empty() -> pa.Column:
    return _text(Check.str_matches(f"{ISO_DATE}|^$"))


_NOT_EMPTY = Check.str_length(min_value=1)
_NO_FORMULA = Check(lambda s: ~s.str.contains(FORMULA_START, regex=True), error="a figure never starts a formula")


def facts_schema(texts: Mapping[str, str] | None = None) -> pa.DataFrameSchema:
    """facts.csv as the contract defines it; with `texts` (doc_id -> article text) offsets are checked too."""
    checks = [
        Check(lambda df: (df["period_start"] == "") == (df["period_end"] == ""),
              error="period_start and period_end are both set or both empty"),
        Check(lambda df: df["period_start"] <= df["period_end"], error="period_start <= period_end"),
        Check(lambda df: df["end"] - df["start"] == df["text"].str.len(), error="end - start == len(text)"),
    ]
    if texts is not None:
        checks.append(Check(lambda df: pd.Series(
            [texts.get(d, "")[s:e] == t for d, s, e, t in zip(df["doc_id"], df["start"], df["end"], df["text"])],
            index=df.index, dtype=bool), error="file_text[start:end] == text"))
    return pa.DataFrameSchema({
        "fact_id": _text(Check.str_matches(r"^[0-9a-f]{16}$")),
        "doc_id": _text(_NOT_EMPTY),
        "entity": _text(),
        "entity_type": _one_of(ENTITY_TYPES),
        "partner": _text(),
        "flow": _one_of(FLOWS),
        "product": _text(),
        "indicator": _text(_NOT_EMPTY),
        "measure": _one_of(MEASURES, empty=False),
        "value": pa.Column("float64", Check(lambda s: s.abs() < float("inf"), error="value is a finite number")),
        "unit": _text(_NOT_EMPTY),
        "qualifier": _one_of(QUALIFIERS),
        "period": _text(),
        "period_start": _iso_or_empty(),
        "period_end": _iso_or_empty(),
        "share_of": _text(),
        "text": _text(_NOT_EMPTY, _NO_FORMULA),
        "start": pa.Column("int64", Check.ge(0)),
        "end": pa.Column("int64", Check.ge(1)),
        "sentence": _text(),
        "rule": _text(_NOT_EMPTY),
    }, checks=checks, strict=True, ordered=True, unique=["fact_id"])


DOCUMENTS_SCHEMA = pa.DataFrameSchema({
    "doc_id": _text(_NOT_EMPTY),
    "title": _text(),
    "published": _iso_or_empty(),
    "published_source": _one_of({"metadata", "inferred"}),
    "sha256": _text(Check.str_matches(r"^(?:[0-9a-f]{64})?$")),
    "n_sentences": pa.Column("int64", Check.ge(0)),
    "n_facts": pa.Column("int64", Check.ge(0)),
    "status": _text(Check.str_matches(r"^(?:ok$|skipped: .)")),
}, strict=True, ordered=True, unique=["doc_id"])


UNLINKED_SCHEMA = pa.DataFrameSchema({
    "doc_id": _text(_NOT_EMPTY),
    "text": _text(_NOT_EMPTY, _NO_FORMULA),
    "start": pa.Column("int64", Check.ge(0)),
    "end": pa.Column("int64", Check.ge(1)),
    "reason": _text(_NOT_EMPTY),
    "sentence": _text(),
}, strict=True, ordered=True)


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, table: str) -> pd.DataFrame:
    """`frame` if it meets `schema`, else ContractError with the failing checks and rows."""
    try:
        return schema.validate(frame, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        problems = []
        for (column, check), group in cases.groupby(["column", "check"], dropna=False, sort=False):
            rows = [int(i) for i in group["index"].dropna().head(3)]
            where = "; ".join(_describe(frame, i) for i in rows) or ", ".join(map(str, group["failure_case"].head(3)))
            problems.append(f"{column or 'table'}: {check} ({where})")
        raise ContractError(table, problems) from None
    except pa.errors.SchemaError as exc:  # pragma: no cover - lazy validation collects all errors
        raise ContractError(table, [str(exc).splitlines()[0]]) from None


def _describe(frame: pd.DataFrame, index: int) -> str:
    row = frame.loc[index]
    parts = [f"row {index}"] + [f"{c} {str(row[c])[:40]!r}" for c in ("doc_id", "text") if c in row]
    return " ".join(parts)
