"""A fact is a typed record with the contract's columns, plus the cues that decided it."""
from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass, field, fields

COLUMNS = [
    "fact_id", "doc_id", "entity", "entity_type", "partner", "flow", "product", "indicator",
    "measure", "value", "unit", "qualifier", "period", "period_start", "period_end", "share_of",
    "text", "start", "end", "sentence", "rule",
]


@dataclass(frozen=True)
class Cue:
    """Why a field got its value: the words behind it, where they stand, and the rule."""

    field: str
    value: str
    text: str = ""
    start: int | None = None
    end: int | None = None
    source: str = "default"  # same sentence | earlier sentence | title | publication date | default
    sentence: int | None = None  # index of the sentence the cue stands in
    rule: str = ""


_CUE_FIELDS = tuple(f.name for f in fields(Cue))


@dataclass(frozen=True)
class Fact:
    """One row of facts.csv."""

    doc_id: str
    entity: str
    entity_type: str
    partner: str
    flow: str
    product: str
    indicator: str
    measure: str
    value: float
    unit: str
    qualifier: str
    period: str
    period_start: str
    period_end: str
    share_of: str
    text: str
    start: int
    end: int
    sentence: str
    rule: str
    cues: tuple[Cue, ...] = field(default=(), compare=False)

    @functools.cached_property
    def fact_id(self) -> str:  # cached: the writer asks for it several times per fact
        return fact_id(self.doc_id, self.start, self.end, self.measure)

    def row(self) -> dict:
        """The contract's columns, in order."""
        return {c: self.fact_id if c == "fact_id" else getattr(self, c) for c in COLUMNS}

    def evidence(self) -> dict:
        # Cue fields are plain values: a dict of them is what asdict() gives, without its deep copies.
        return {"fact_id": self.fact_id, "rule": self.rule,
                "cues": [{name: getattr(c, name) for name in _CUE_FIELDS} for c in self.cues]}


def fact_id(doc_id: str, start: int, end: int, measure: str) -> str:
    """First 16 hex digits of sha1 over doc_id, start, end, measure joined by \\x1f."""
    key = "\x1f".join([doc_id, str(start), str(end), measure])
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Unlinked:
    """A numeric mention that gave no fact, and why."""

    doc_id: str
    text: str
    start: int
    end: int
    reason: str
    sentence: str
