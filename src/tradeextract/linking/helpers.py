"""Small functions the linker shares: cues, lists of names, units of lists."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from ..mentions import CueMention, EconomyMention, SentenceView
from ..numbers import NumberMention
from ..periods import Period
from ..records import Cue
from .patterns import _LIST_JOIN


# ------------------------------------------------------------------ helpers
def _cue(field_name: str, value: str, text: str, start: int, end: int, view: SentenceView, rule: str) -> Cue:
    return Cue(field_name, value, text, start, end, "same sentence", view.index, rule)


def _date(iso: str):
    import datetime as dt

    return dt.date.fromisoformat(iso)


@lru_cache(maxsize=512)
def _home_currencies(entity: str, entity_type: str) -> tuple[str, ...]:
    """The currencies an economy uses (babel's territory data), for reading a shared currency word."""
    import pycountry
    from babel.numbers import get_territory_currencies

    name = "China" if entity_type in ("province", "city", "county") else entity
    try:
        country = pycountry.countries.lookup(name)
    except LookupError:
        return ()
    try:
        return tuple(get_territory_currencies(country.alpha_2))
    except Exception:  # an unknown territory to babel
        return ()


def name_set_of(names: str) -> frozenset[str]:
    return frozenset(n.strip().lower() for n in names.split(" + ") if n.strip())


def _is_policy_rate(cue: CueMention, number: NumberMention, view: SentenceView) -> bool:
    """"tariffs of 10 to 20 percent", "a 25% duty", "the tariff was cut to 15 percent": a rate that is set.

    Not "duties fell 35.6 percent" (a change of what the duties bring in), nor a
    figure in another clause ("untouched by tariffs, made up 56 per cent").
    """
    if cue.start >= number.end:
        return bool(re.fullmatch(r"\s*(?:[a-z]+\s+)?", view.between(number.end, cue.start)))
    gap = view.between(cue.end, number.start)
    if "," in gap or any(cue.end <= c.start < number.start for c in view.cues_of("SHARE")):
        return False
    shape = re.fullmatch(r"(?:\s*[\w-]+){0,7}\s*(?:[\d.]+\s*(?:%|percent|per\s+cent)?\s*(?:to|and|-|–)\s*)?", gap)
    return bool(shape) and (not gap.strip() or re.search(r"\b(?:of|at|to|from|on)\b", gap) is not None)


def _listed(view: SentenceView) -> set[int]:
    """Economy mentions that stand in a list of two or more entities."""
    entities = [m for m in view.economies if m.role in ("entity", "anaphor")]
    out: set[int] = set()
    for a, b in zip(entities, entities[1:]):
        if _LIST_JOIN.match(view.between(a.end, b.start)):
            out.update({id(a), id(b)})
    return out


def _single_month(period: Period | None) -> bool:
    return period is not None and period.start.year == period.end.year and period.start.month == period.end.month \
        and period.start.day == 1


def _share_list_units(view: SentenceView) -> list[NumberMention]:
    """Give bare numbers in a list the unit of the figure that closes it ("18, 11.9 and 6.9 per cent")."""
    numbers = list(view.numbers)
    for i in range(len(numbers) - 2, -1, -1):
        here, nxt = numbers[i], numbers[i + 1]
        if here.kind == "bare" and nxt.kind in ("percent", "points") and re.fullmatch(
                r"\s*(?:,|and|,\s*and|or|to|-|–)\s*", view.between(here.end, nxt.start)):
            numbers[i] = replace(here, kind=nxt.kind, unit=nxt.unit, rule=nxt.rule)
    return numbers


# "increased by 7.2% and decreased by 3.5% respectively": changes of either sign in one run
_CHANGE_VERB_GAP = re.compile(r"\s*,?\s*(?:and|while)\s+(?:(?:increased|decreased|rose|fell|grew|declined|dropped|"
                              r"climbed|slipped|edged\s+(?:up|down)|went\s+(?:up|down)|up|down)\s+(?:by\s+)?)?", re.IGNORECASE)


def _chains(view: SentenceView, readings: list) -> list[list[NumberMention]]:
    """Runs of figures of one kind joined by commas or "and" ("3.5%, 3.7% and 11.5%")."""
    chains: list[list[NumberMention]] = []
    last_key = None
    for number, reading in readings:
        key = (reading.measure, reading.unit if reading.measure != "level" else "amount")
        gap = view.between(chains[-1][-1].end, number.start) if chains else ""
        if chains and key == last_key and (re.fullmatch(r"\s*(?:,|and|,\s*and|or)\s*", gap) or (
                reading.measure == "change" and _CHANGE_VERB_GAP.fullmatch(gap))):
            chains[-1].append(number)
        else:
            chains.append([number])
        last_key = key
    return chains


def _singular(noun: str) -> str:
    noun = noun.lower()
    if noun.endswith("ies"):
        return noun[:-3] + "y"
    if noun.endswith("es") and noun[:-2].endswith(("ss", "x", "ch", "sh", "z")):
        return noun[:-2]
    return noun[:-1] if noun.endswith("s") else noun


def _unique(items: list[str]) -> list[str]:
    seen: list[str] = []
    for item in items:
        if item not in seen:
            seen.append(item)
    return seen


def _distinct(mentions: list[EconomyMention]) -> list[EconomyMention]:
    out: list[EconomyMention] = []
    for m in mentions:
        if m.economy and all(o.economy.canonical != m.economy.canonical for o in out):
            out.append(m)
    return out


def _distinct_cues(cues: list[CueMention]) -> list[CueMention]:
    out: list[CueMention] = []
    for c in cues:
        if all(o.value != c.value for o in out):
            out.append(c)
    return out


def _split_flow_pair(cue: CueMention) -> list[str] | None:
    """"exports and imports" read as two flows, in the order written."""
    m = re.fullmatch(r"(export|import)s?\s+and\s+(export|import)s?", cue.text, re.IGNORECASE)
    if not m or m.group(1).lower() == m.group(2).lower():
        return None
    return [m.group(1).lower(), m.group(2).lower()]


def _trailing_list(view: SentenceView, mentions: list[EconomyMention]) -> list[EconomyMention]:
    """The run of names joined by commas/"and" that ends with the last mention."""
    group = [mentions[-1]]
    for m in reversed(mentions[:-1]):
        if _LIST_JOIN.match(view.between(m.end, group[0].start)) and not group[0].possessive and not m.possessive:
            group.insert(0, m)
        else:
            break
    return group


def _clean_whole(text: str) -> str:
    text = re.sub(r"^(?:the|its|their)\s+", "", text.strip(), flags=re.IGNORECASE)
    return text.strip(" \"'“”")


def _apposition(view: SentenceView, number: NumberMention) -> tuple[int, int] | None:
    """The span of an apposition between the figure's subject and its verb, if any.

    "Mpumalanga, home to most of the country's coal mines, exported goods worth
    9.84 billion rand": a name, then ", ... ," closing before the figure. Words in
    it describe the name; they are not the figure's entity or product.
    """
    for mention in reversed(view.economies):  # the nearest subject before the figure
        if mention.economy is None or mention.end > number.start or mention.role not in ("entity", "anaphor"):
            continue
        rest = view.between(mention.end, number.start)
        found = re.match(r"\s*,([^,;()]{4,120}),", rest)
        if found is None or re.search(r"\d", found.group(1)) or re.match(r"\s*(?:and|or|&)\b", found.group(1)):
            continue  # "Beijing, and Fujian, with a total of": a list goes on, no apposition
        start, end = mention.end + found.start(1), mention.end + found.end(1)
        if any(start <= m.start and m.end <= end and m.role == "entity" and m.economy is not None
               and re.fullmatch(r"\s*(?:the\s+)?", view.between(start, m.start)) for m in view.economies):
            continue  # "Jiangsu, Zhejiang, and Shanghai": the next name of a list
        return start, end
    return None
