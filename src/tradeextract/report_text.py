"""Plain-text rendering of an evaluation, for the terminal."""
from __future__ import annotations

from typing import Callable

from .evaluate import LINK_FIELDS, Score


def _fmt(prf: tuple[float, float, float]) -> str:
    return f"P {prf[0]:.3f}  R {prf[1]:.3f}  F1 {prf[2]:.3f}"


def print_score(total: Score, per_doc: dict[str, Score], details: bool, echo: Callable[[str], None]) -> None:
    echo(f"gold facts {total.n_gold}, predicted {total.n_predicted}, paired {len(total.pairs)}, "
         f"linked {total.linked}")
    echo(f"detection  {_fmt(total.detection)}")
    echo(f"linked     {_fmt(total.linking)}")
    echo("per field (share of paired rows that agree):")
    for name, share in total.field_agreement().items():
        echo(f"  {name:<13}{share:.3f}")
    echo("per article:                               gold  pred  det-F1  link-F1")
    for doc, score in per_doc.items():
        echo(f"  {doc[:40]:<40} {score.n_gold:>5} {score.n_predicted:>5}  {score.detection[2]:.3f}   {score.linking[2]:.3f}")
    if not details:
        return
    for doc, score in per_doc.items():
        problems = [p for p in score.pairs if p.disagreements]
        if not (score.missed or score.extra or problems):
            continue
        echo(f"\n== {doc}")
        for g in score.missed:
            echo(f"  missed   {g['start']:>5} {g['text']!r} {g['measure']} {g['entity']} {g['period_start']}")
        for p in score.extra:
            echo(f"  extra    {p['start']:>5} {p['text']!r} {p['measure']} {p['entity']} {p['period']}")
        for pair in problems:
            diffs = ", ".join(f"{f}: {pair.predicted.get(f)!s} != {pair.gold.get(f)!s}" for f in pair.disagreements
                              if f in LINK_FIELDS)
            echo(f"  mislink  {pair.gold['start']:>5} {pair.gold['text']!r}: {diffs}")
