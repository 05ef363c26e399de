"""Score extracted facts against hand-labelled gold, exactly as the contract's "Scoring" section says.

Within one article a predicted row and a gold row pair when their [start, end)
spans overlap and their measure is equal; each row pairs at most once,
earliest spans first. A pair is *linked* when it also agrees on entity,
partner, flow, measure, unit, qualifier, period_start, period_end and value
(within 0.5% relative).
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .records import COLUMNS

LINK_FIELDS = ["entity", "partner", "flow", "measure", "unit", "qualifier", "period_start", "period_end", "value"]
REPORT_FIELDS = ["entity", "entity_type", "partner", "flow", "product", "indicator", "measure", "value", "unit",
                 "qualifier", "period_start", "period_end", "share_of"]
ALIASES = {
    "eu": "european union", "us": "united states", "u.s.": "united states", "usa": "united states",
    "korea": "south korea", "republic of korea": "south korea", "viet nam": "vietnam",
    "euro zone": "euro area", "eurozone": "euro area", "uk": "united kingdom", "britain": "united kingdom",
}


def normalise_name(name: str) -> str:
    """Case, a leading "the", and the suffixes province/city/region do not count; aliases are one name."""
    text = re.sub(r"\s+", " ", str(name).strip().lower())
    text = re.sub(r"^the ", "", text)
    text = re.sub(r" (province|city|region)$", "", text)
    return ALIASES.get(text, text)


def name_set(value: str) -> frozenset[str]:
    if not isinstance(value, str) or not value.strip():
        return frozenset()
    return frozenset(normalise_name(part) for part in value.split(" + "))


def field_agrees(name: str, predicted, gold) -> bool:
    if name in ("entity", "partner"):
        return name_set(predicted) == name_set(gold)
    if name == "value":
        try:
            p, g = float(predicted), float(gold)
        except (TypeError, ValueError):
            return False
        if g == 0:
            return p == 0
        return math.isclose(p, g, rel_tol=0.005)
    return _text(predicted).lower() == _text(gold).lower()


def _text(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


@dataclass
class Pair:
    predicted: dict
    gold: dict

    @property
    def disagreements(self) -> list[str]:
        return [f for f in LINK_FIELDS if not field_agrees(f, self.predicted.get(f), self.gold.get(f))]


@dataclass
class Score:
    """Counts for one article or for all of them."""

    n_predicted: int = 0
    n_gold: int = 0
    pairs: list[Pair] = field(default_factory=list)
    missed: list[dict] = field(default_factory=list)
    extra: list[dict] = field(default_factory=list)

    @property
    def linked(self) -> int:
        return sum(1 for p in self.pairs if not p.disagreements)

    def prf(self, hits: int) -> tuple[float, float, float]:
        precision = hits / self.n_predicted if self.n_predicted else 0.0
        recall = hits / self.n_gold if self.n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return precision, recall, f1

    @property
    def detection(self) -> tuple[float, float, float]:
        return self.prf(len(self.pairs))

    @property
    def linking(self) -> tuple[float, float, float]:
        return self.prf(self.linked)

    def field_agreement(self) -> dict[str, float]:
        if not self.pairs:
            return {f: 0.0 for f in REPORT_FIELDS}
        return {f: sum(field_agrees(f, p.predicted.get(f), p.gold.get(f)) for p in self.pairs) / len(self.pairs)
                for f in REPORT_FIELDS}

    def add(self, other: "Score") -> None:
        self.n_predicted += other.n_predicted
        self.n_gold += other.n_gold
        self.pairs += other.pairs
        self.missed += other.missed
        self.extra += other.extra


def pair_rows(predicted: list[dict], gold: list[dict]) -> Score:
    """Pair the rows of one article: overlapping spans, equal measure, earliest spans first."""
    score = Score(len(predicted), len(gold))
    free = sorted(predicted, key=lambda r: (int(r["start"]), int(r["end"])))
    used: set[int] = set()
    for g in sorted(gold, key=lambda r: (int(r["start"]), int(r["end"]))):
        match = None
        for i, p in enumerate(free):
            if i in used:
                continue
            if int(p["start"]) < int(g["end"]) and int(g["start"]) < int(p["end"]) and \
                    _text(p["measure"]).lower() == _text(g["measure"]).lower():
                match = i
                break
        if match is None:
            score.missed.append(g)
        else:
            used.add(match)
            score.pairs.append(Pair(free[match], g))
    score.extra = [p for i, p in enumerate(free) if i not in used]
    return score


def score_frames(predicted: pd.DataFrame, gold: pd.DataFrame) -> tuple[Score, dict[str, Score]]:
    """The overall score and one per article (articles with gold, or with predictions)."""
    total = Score()
    per_doc: dict[str, Score] = {}
    docs = sorted(set(gold["doc_id"]) | set(predicted["doc_id"]))
    for doc in docs:
        p_rows = predicted[predicted["doc_id"] == doc].to_dict("records")
        g_rows = gold[gold["doc_id"] == doc].to_dict("records")
        score = pair_rows(p_rows, g_rows)
        per_doc[doc] = score
        total.add(score)
    return total, per_doc


# --------------------------------------------------------------- gold files
def load_gold(gold_dir: Path, corpus: Path) -> pd.DataFrame:
    """Gold rows from `gold_dir`: contract CSVs, and/or hand labels in JSONL located by a `ctx` string."""
    frames = []
    for path in sorted(gold_dir.glob("*.csv")):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if "doc_id" in frame.columns and "start" in frame.columns:
            frames.append(frame)
    for path in sorted(gold_dir.glob("*.jsonl")):
        frames.append(pd.DataFrame(labels_to_rows(path, corpus)))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    gold = pd.concat(frames, ignore_index=True)
    # A folder may hold the same labels twice (gold.csv with offsets and the JSONL it was made from,
    # as the shared devset does): one figure is one gold row.
    gold["start"], gold["end"] = gold["start"].astype(int), gold["end"].astype(int)
    gold = gold.drop_duplicates(subset=["doc_id", "start", "end", "measure"], keep="first").reset_index(drop=True)
    for column in COLUMNS:
        if column not in gold.columns:
            gold[column] = ""
    return gold[COLUMNS]


def labels_to_rows(path: Path, corpus: Path) -> list[dict]:
    """Hand labels (`doc`, `text`, `ctx` + contract fields) -> contract rows with exact offsets."""
    rows = []
    texts: dict[str, str] = {}
    for line_no, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        label = json.loads(line)
        doc = label["doc"]
        if doc not in texts:
            texts[doc] = (corpus / doc).read_bytes().decode("utf-8")
        text = texts[doc]
        ctx, figure = label["ctx"], label["text"]
        at = text.find(ctx)
        if at < 0 or text.find(ctx, at + 1) >= 0 or figure not in ctx:
            raise ValueError(f"{path}:{line_no}: ctx must occur exactly once in {doc} and contain the text")
        start = at + ctx.index(figure)
        row = {c: label.get(c, "") for c in COLUMNS}
        row.update(doc_id=doc, start=start, end=start + len(figure), text=figure)
        rows.append(row)
    return rows
