"""Per-sentence view of what the pipeline found: numbers, economies (with their role), periods, cues.

The linker reads only this view, so every decision it takes can point at a
span of the article.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span

from .gazetteer import Economy, Gazetteer
from .numbers import NumberMention
from .periods import PeriodMention
from .rules import RuleSet


@dataclass(frozen=True)
class CueMention:
    """A vocabulary hit: label (FLOW, INDICATOR, PRODUCT, CHANGE_UP...), its meaning and rule."""

    label: str
    value: str
    text: str
    start: int
    end: int
    rule: str


@dataclass
class EconomyMention:
    economy: Economy | None  # None for an anaphor not yet resolved
    text: str
    start: int
    end: int
    rule: str
    role: str = "entity"  # entity | partner | scope (a whole, a comparison) | anaphor
    refers_to: str = ""  # for anaphora: the entity type they stand for
    possessive: bool = False
    group: str = ""  # an anaphor standing for a list of partners ("the two"): their joined names


@dataclass
class SentenceView:
    index: int
    start: int
    end: int
    text: str
    numbers: list[NumberMention] = field(default_factory=list)
    economies: list[EconomyMention] = field(default_factory=list)
    periods: list[PeriodMention] = field(default_factory=list)
    cues: list[CueMention] = field(default_factory=list)

    def between(self, start: int, end: int) -> str:
        """The article text between two offsets that fall in this sentence."""
        return self.text[max(start, self.start) - self.start:max(end, self.start) - self.start]

    def cues_of(self, *labels: str) -> list[CueMention]:
        return [c for c in self.cues if c.label in labels]


def cue_meanings(rules: RuleSet) -> dict[str, str]:
    """Rule id -> what a hit of it means (the flow, indicator, product, qualifier...)."""
    meaning: dict[str, str] = {}
    for entry in rules.section("flows.yaml", "flows"):
        meaning[entry["id"]] = entry["flow"]
    for entry in rules.section("flows.yaml", "indicators"):
        meaning[entry["id"]] = entry["indicator"]
    for entry in rules.section("products.yaml", "products"):
        meaning[entry["id"]] = entry["product"]
    for entry in rules.section("cues.yaml", "qualifiers"):
        meaning[entry["id"]] = entry["qualifier"]
    for entry in rules.section("cues.yaml", "not_facts"):
        meaning[entry["id"]] = entry["kind"]
    for section in ("anaphora", "epithets"):
        for entry in rules.section("anaphora.yaml", section):
            meaning[entry["id"]] = entry["refers_to"]
    return meaning


_PARTNER_PREP = re.compile(r"(?<!according )\b(?:to|with|from|toward|towards|into)\s+(?:the\s+)?[\"“]?$", re.IGNORECASE)
_IN_BEFORE = re.compile(r"\S\s+(?:in|across|throughout)\s+(?:the\s+)?$", re.IGNORECASE)
# The word patterns read before a name or figure end at it and span a few words: they are
# searched in this many characters before it, not in the whole sentence so far (a search
# tries every start position, so a long sentence made every name cost more).
TAIL = 160
# How high an economy stands: a name "in" a higher one is where, not who ("cities in China").
LEVEL = {"county": 0, "city": 1, "province": 2, "region": 2, "territory": 3, "country": 3, "bloc": 4, "group": 4}
_LIST_GAP = re.compile(r"^\s*(?:,|\band\b|\bor\b|&|,\s*and\b|\bas\s+well\s+as\b)?\s*(?:the\s+)?(?:[\w-]+-member\s+)?$", re.IGNORECASE)
_GROUP_ANAPHOR = re.compile(r"^(?:the|these|those)\s+(?:two|three|four|five)?\s*(?:countries|markets|economies|partners|destinations)$", re.IGNORECASE)
# A name after these words is a comparison or a whole, not what the figure is about.
_SCOPE_BEFORE = re.compile(
    r"(?:,\s*including|\b(?:than|after|behind|among|outside|compared with|versus|vs\.?|ahead of|overtaking|overtook"
    r"|surpassing|surpassed|outpacing|outpaced|outstripping|outstripped)"
    r"|(?:%|\bpercent|\bper cent|\bpct|\btotal|\bshare|\bproportion|\bhalf|\bthird|\bfifth|\bquarter)\s+of)"
    r"\s+(?:the\s+)?$", re.IGNORECASE)
_ANAPHOR_SCOPE = re.compile(r"\b(?:in|of|across|among|than)\s+(?:the\s+)?$", re.IGNORECASE)
_ENTITY_AFTER = re.compile(
    r"^\s*(?:'s|’s|(?:,[^,;]{3,80},)?\s*(?:[A-Z][a-z]+\s+)?(?:exported|imported|posted|recorded|registered|ran|reported|logged|booked|exports|imports|trade|foreign trade|'s)\b)", re.UNICODE)


def sentence_views(doc: Doc, gazetteer: Gazetteer, meanings: dict[str, str], body_start: int,
                   main: Economy | None) -> list[SentenceView]:
    """Split the Doc's results by sentence and assign each economy mention its role."""
    views: list[SentenceView] = []
    numbers = sorted(doc._.numbers or [], key=lambda n: n.start)
    periods = sorted(doc._.periods or [], key=lambda p: p.start)
    economies = sorted(doc.spans.get("economies", []), key=lambda s: (s.start_char, -len(s.text)))
    vocab = _longest_first(doc.spans.get("vocab", []))
    cues = [CueMention(s.label_, meanings.get(s.id_, ""), s.text, s.start_char, s.end_char, s.id_) for s in vocab]
    # Each list is sorted by start: a sentence takes a slice of it (bisect), not a pass over all of it.
    number_starts = [n.start for n in numbers]
    period_starts = [p.start for p in periods]
    cue_starts = [c.start for c in cues]
    economy_starts = [e.start_char for e in economies]
    for index, sent in enumerate(doc.sents):
        start, end = sent.start_char, sent.end_char
        if end <= body_start or not sent.text.strip():
            continue
        view = SentenceView(index, start, end, sent.text)
        view.numbers = [n for n in _within(numbers, number_starts, start, end) if n.end <= end]
        view.periods = [p for p in _within(periods, period_starts, start, end) if p.end <= end]
        view.cues = [c for c in _within(cues, cue_starts, start, end) if c.end <= end]
        # "116.2 billion U.S. dollars": a name inside a figure is its currency, not an economy
        named_outside_figures = [s for s in _within(economies, economy_starts, start, end)
                                 if not any(n.start <= s.start_char and s.end_char <= n.end for n in view.numbers)]
        view.economies = _economy_mentions(view, named_outside_figures, gazetteer, main)
        views.append(view)
    return views


def _within(items: list, starts: list[int], start: int, end: int) -> list:
    """The items (sorted by start) that start in [start, end)."""
    return items[bisect_left(starts, start):bisect_left(starts, end)]


def _longest_first(spans) -> list[Span]:
    """Within each label, drop spans covered by a longer one ("trade" inside "foreign trade")."""
    # Plain tuples: reading a Span's attributes costs far more than comparing ints.
    items = sorted(((span.label_, span.start_char, span.end_char, span) for span in spans),
                   key=lambda t: (t[1] - t[2], t[1]))
    kept: list[tuple[str, int, int, Span]] = []
    for label, start, end, span in items:
        inside = [k for k in kept if k[1] <= start and end <= k[2]]
        if any(k[0] == label for k in inside):
            continue
        # "Ministry of Development, Industry, Trade and Services": a capitalised flow word inside a name
        if label == "FLOW" and span.text[:1].isupper() and _inside_a_name(span):
            continue
        # A flow word inside an indicator or product phrase ("export prices") is not a flow of its own.
        if label == "FLOW" and any(k[0] in ("INDICATOR", "NOT_FLOW") for k in inside):
            continue
        # "made up" is a share, not a rise; "up to" a bound: a cue word inside a longer cue of another kind
        if label in ("CHANGE_UP", "CHANGE_DOWN", "QUALIFIER") and any(
                k[0] in ("SHARE", "QUALIFIER", "RANK", "CHANGE_UP", "CHANGE_DOWN") and k[0] != label
                and (k[2] - k[1]) > (end - start) for k in inside):
            continue
        kept.append((label, start, end, span))
    return [k[3] for k in sorted(kept, key=lambda k: k[1])]


def _inside_a_name(span: Span) -> bool:
    """A capitalised word between capitalised words (or after "X, Y and") is part of a proper name."""
    doc = span.doc
    if span[0].is_sent_start:
        return False
    before = doc[span.start - 1] if span.start > 0 else None
    after = doc[span.end] if span.end < len(doc) else None
    return bool((before is not None and before.text[:1].isupper() and before.is_alpha)
                or (after is not None and after.text[:1].isupper() and after.is_alpha)
                or (span.start > 1 and before.text in (",", "and") and doc[span.start - 2].text[:1].isupper()))


def _economy_mentions(view: SentenceView, spans: list[Span], gazetteer: Gazetteer,
                      main: Economy | None) -> list[EconomyMention]:
    mentions: list[EconomyMention] = []
    last_end = -1
    for span in spans:
        if span.start_char < last_end:
            continue  # overlapping shorter name ("Hong" inside "Hong Kong")
        economy = gazetteer.lookup(span.text)
        if economy is None:
            continue
        next_word = re.match(r"\s+([A-Z][\w-]*)", view.between(span.end_char, view.end))
        if next_word and next_word.group(1) in gazetteer.organisation_words:
            continue  # "Ningbo Customs", "China Daily": an organisation, not the economy
        if re.match(r"\s+(?:dollars?|yuan|euros?|yen|won|pounds?|pesos?|rupees?|ringgit|baht|currency)\b",
                    view.between(span.end_char, view.end), re.IGNORECASE):
            continue  # "In U.S. dollar terms": a currency, not the economy
        if (re.match(r"-[A-Z]", view.between(span.end_char, span.end_char + 2))
                or re.search(r"[A-Za-z]-$", view.between(span.start_char - 2, span.start_char))):
            continue  # "China-Europe Railway Express", "US-China talks": a compound, not the economy itself
        last_end = span.end_char
        complement = gazetteer.complement(view.between(span.start_char - 40, span.start_char), economy)
        if complement is not None:  # "countries other than the United States": one partner group
            group, length = complement
            start = span.start_char - length
            mentions.append(EconomyMention(group, view.between(start, span.end_char), start, span.end_char, group.rule))
            continue
        mentions.append(EconomyMention(economy, span.text, span.start_char, span.end_char, economy.rule))
    epithets = [c for c in view.cues_of("ANAPHOR") if c.value == "any"]
    # "Europe's largest economy" names Germany, not Europe: the epithet swallows the name in it.
    mentions = [m for m in mentions if not any(m.start < e.end and e.start < m.end for e in epithets)]
    # "the Asian neighbor": an anaphor phrase with a demonym in it is the anaphor, not the region
    longer = [c for c in view.cues_of("ANAPHOR")]
    mentions = [m for m in mentions if not any(c.start <= m.start and m.end <= c.end and (c.end - c.start) > (m.end - m.start)
                                               for c in longer)]
    for cue in view.cues_of("ANAPHOR"):
        if any(m.start < cue.end and cue.start < m.end for m in mentions):
            continue
        mentions.append(EconomyMention(None, cue.text, cue.start, cue.end, cue.rule, role="anaphor",
                                       refers_to=cue.value))
    mentions.sort(key=lambda m: m.start)
    previous: EconomyMention | None = None
    for mention in mentions:
        before = view.between(view.start, mention.start)
        tail = before[-TAIL:]  # the patterns below end at the name: a search of the whole prefix tries every start
        after = view.between(mention.end, view.end)
        mention.possessive = after.startswith(("'s", "’s")) or mention.text.endswith(("'s", "’s"))
        joined_to_previous = (previous is not None and not mention.possessive
                              and _LIST_GAP.match(view.between(previous.end, mention.start)))
        if mention.role == "anaphor":
            if previous is not None and previous.economy is not None and re.fullmatch(
                    r"\s*,\s*", view.between(previous.end, mention.start)) and mention.refers_to != "any":
                mention.role = "scope"  # "Xiamen, the province's biggest trading city": an apposition
            elif _PARTNER_PREP.search(tail) or (mention.refers_to == "partner" and re.search(
                    r"\b(?:exports?|imports?|shipments|sales|deliveries)\s+$", tail, re.IGNORECASE)):
                mention.role = "partner"  # "to the two", "exports there"
            elif mention.refers_to == "partner" and not _GROUP_ANAPHOR.match(mention.text):
                mention.role = "drop"  # "there", "both": a partner only after "to", "from", "with"
            elif mention.refers_to == "partner":
                mention.role = "partner"  # "The three countries absorbed 39.37 percent"
            elif mention.refers_to != "any" and (_SCOPE_BEFORE.search(tail) or _ANAPHOR_SCOPE.search(tail + " ")) \
                    and (not mention.possessive or re.search(r"\bamong\s+$", tail)):
                mention.role = "scope"
        elif joined_to_previous and previous.role in ("partner", "scope"):
            mention.role = previous.role
        elif _PARTNER_PREP.search(tail):
            mention.role = "partner"
        elif _SCOPE_BEFORE.search(tail) and not mention.possessive and not _ENTITY_AFTER.match(after) \
                and not re.match(r"\s*(?:\(|(?:at|with)\s)\s*\S{0,4}\d", after):  # "ahead of India at SR25.0 billion": listed
            mention.role = "scope"
        elif re.fullmatch(r"\s*(?:In|For|Among|Across)\s+(?:the\s+)?", before) and re.match(r"^\s*,", after):
            mention.role = "entity"  # "In Germany, exports ...": the sentence's topic
        elif mention.rule == "demonym" and mention.economy.type == "region":
            # "Asian destinations", "African markets" name the region; "the South Asian nation" does not
            mention.role = "partner" if re.match(
                r"^\s+(?:destinations|markets|countries|economies|buyers|partners|customers)\b", after) and not re.search(
                r"\b(?:South|North|East|West|Central|Southeast|Northeast)\s*$", tail) else "drop"
        elif mention.rule == "demonym":
            # "German exports", "German industrial production": the economy itself; "Japanese utilities",
            # "Chinese steel mills": an adjective in passing
            trade_noun = any(c.label in ("FLOW", "INDICATOR") and 0 <= c.start - mention.end <= 25
                             for c in view.cues) or re.match(
                r"^\s+(?:[a-z-]+\s+){0,2}?(?:trade|exports?|imports?|economy|surplus|deficit|shipments|production|output|GDP)\b", after)
            mention.role = "entity" if trade_noun else "scope"
        elif (_IN_BEFORE.search(tail) and main is not None and not mention.possessive
              and LEVEL.get(mention.economy.type, 0) > LEVEL.get(main.type, 0)):
            mention.role = "scope"
        elif (mention.possessive and main is not None and mention.economy.canonical != main.canonical
              and mention.economy.type in ("country", "bloc", "region", "territory") and not mention.economy.within
              and re.match(r"^(?:'s|’s)\s+(?:combined\s+|total\s+)?(?:share|purchases|orders|demand|buying)\b", after)):
            mention.role = "partner"  # "lifting China's share of the total": China's share of our exports
        elif mention.economy.within or mention.economy.type in ("province", "city", "county") or mention.possessive:
            mention.role = "entity"
        elif main is not None and mention.economy.canonical != main.canonical and not _ENTITY_AFTER.match(after):
            mention.role = "partner"
        previous = mention
    _partners_of_possessive(view, mentions)
    return [m for m in mentions if m.role != "drop"]


_PARTNER_NOUN_AFTER = re.compile(
    r"^(?:'s|’s)\s+(?:[\w-]+\s+){0,3}?(?:partners?|markets?|sources?|suppliers?|buyers?|destinations?|customers?)\b",
    re.IGNORECASE)


def _partners_of_possessive(view: SentenceView, mentions: list[EconomyMention]) -> None:
    """"ASEAN remained China's largest trading partner": B's partner makes B the entity, A the partner."""
    for owner in mentions:
        # "Hong Kong remained the city's largest export market": the anaphor owns the partner too
        anaphor = owner.economy is None and owner.role == "anaphor" and owner.refers_to != "partner"
        if (owner.economy is None and not anaphor) or not _PARTNER_NOUN_AFTER.match(
                view.between(owner.end - 2 if owner.text.endswith(("'s", "’s")) else owner.end, view.end)):
            continue
        if not anaphor:
            owner.role = "entity"
        for other in mentions:
            if other is not owner and other.start < owner.start and other.role == "entity" and other.economy \
                    and not other.possessive and (anaphor or other.economy.canonical != owner.economy.canonical):
                other.role = "partner"
