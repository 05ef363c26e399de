"""Compare the extractor's facts for one sentence-level case with the case's expected facts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml

from tradeextract.evaluate import field_agrees
from tradeextract.extract import article_from_text
from tradeextract.periods import parse_label

CASES_DIR = Path(__file__).parent / "cases"
# The contract's linked fields, plus the period label. `product`, `share_of` and most indicator names
# are worded by the rules and not scored; a case's indicator is checked where it is trade or trade balance.
FIELDS = ["entity", "partner", "flow", "measure", "value", "unit", "qualifier", "period", "indicator"]
CHECKED_INDICATORS = {"trade", "trade balance"}


def load_cases() -> list[dict]:
    cases = []
    for path in sorted(CASES_DIR.glob("*.yml")):
        for case in yaml.safe_load(path.read_text(encoding="utf-8")) or []:
            case["_file"] = path.name
            cases.append(case)
    return cases


def problems(extractor, case: dict) -> list[str]:
    """Everything that differs between the extractor and the case; [] when it agrees."""
    published = case.get("published")
    if isinstance(published, str):
        published = dt.date.fromisoformat(published)
    article = article_from_text(case["text"], f"{case['id']}.txt", published=published, title=case.get("title", ""))
    facts = sorted(extractor.process(article).facts, key=lambda f: f.start)
    body = article.text[article.body_start:]
    out: list[str] = []
    expected = case.get("facts") or []
    remaining = list(facts)
    for exp in expected:
        at = body.find(exp["text"])
        start, end = article.body_start + at, article.body_start + at + len(exp["text"])
        match = next((f for f in remaining if f.start < end and start < f.end and f.measure == exp.get("measure", f.measure)), None)
        if match is None:
            out.append(f"missed {exp['text']!r} ({exp.get('measure')})")
            continue
        remaining.remove(match)
        for name in FIELDS:
            if name not in exp or (name == "indicator" and exp[name] not in CHECKED_INDICATORS):
                continue
            want = "" if exp[name] is None else exp[name]
            got = getattr(match, name)
            if name == "period":
                if parse_label(str(want)) != (dt.date.fromisoformat(match.period_start), dt.date.fromisoformat(match.period_end)):
                    out.append(f"{exp['text']!r} period: got {got!r}, want {want!r}")
                continue
            if not field_agrees(name if name in ("entity", "partner", "value") else "x", got, str(want) if name != "value" else want):
                out.append(f"{exp['text']!r} {name}: got {got!r}, want {want!r}")
    for extra in remaining:
        out.append(f"extra {extra.text!r} ({extra.measure}, {extra.entity}, {extra.period})")
    return out
