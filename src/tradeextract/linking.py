"""Link each number to what it states: economy, partner, flow, indicator, measure, period.

The linker walks an article sentence by sentence and keeps an explicit
discourse state: the economy being talked about, the period last set, the
flow and indicator of the sentence before. Every field of a fact comes with
a `Cue` saying which words decided it and where they stand (this sentence,
an earlier one, the title, the publication date, or a default), so the
audit can show why a number was linked as it was.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from .corpus import Article
from .gazetteer import Economy
from .mentions import CueMention, EconomyMention, SentenceView
from .numbers import NumberMention
from .periods import Period, PeriodMention, is_over, resolve, year_period
from .records import Cue, Fact, Unlinked

_CALENDAR_AFTER = re.compile(
    r"^(?:st|nd|rd|th)?\s*(?:consecutive|straight|successive|running|in a row|(?:working\s+)?days?\b|weeks?\b|"
    r"months?\b|years?\b|quarters?\b|hours?\b|-year|-month|-day|times in a row)", re.IGNORECASE)
_BASE_BEFORE = re.compile(r"\b(?:from|compared\s+with|compared\s+to|against|versus|vs\.?|(?<!more )(?<!less )(?<!fewer )(?<!rather )(?<!other )than|up\s+from|down\s+from|beating|eclipsed|previous\s+record\s+of)\s+(?:(?:a|an|the)\s+)?(?:[a-z]+\s+)?(?:(?:surplus|deficit|total|level|figure|gain|rise|increase|decline|drop)\s+of\s+)?(?-i:[^\d\sa-z]{0,4})\s?$", re.IGNORECASE)
# What may stand between a figure and the period it belongs to ("US$5.74 billion set in October 2021")
_ATTACH_GAP = re.compile(r"\s*(?:(?-i:[a-z-]+)\s+){0,2}?(?:gain|rise|increase|decline|drop|growth|surplus|deficit)?\s*(?:(?:which\s+was\s+|that\s+was\s+)?(?:recorded|registered|reported|seen|set|posted|booked|logged|reached)\s+)?(?:in|for|of|during|a|as\s+of)?\s*", re.IGNORECASE)
_POSSESSIVE_PERIOD = re.compile(r"^(?:'s|’s)\s+(?:[a-z]+\s+){0,3}?(?:of\s+)?[^\d\s]{0,4}\s?$", re.IGNORECASE)
_CHANGE_AMOUNT_BEFORE = re.compile(
    r"(?:\bby|\b(?:increase|decrease|rise|fall|drop|decline|gain|jump|growth|reduction|contraction|expansion|widening|narrowing),?\s+of)\s+(?:(?:about|nearly|some|around|over|more than|almost|roughly|just over|just under)\s+)?[^\d\s]{0,4}\s?$",
    re.IGNORECASE)
_MULTIPLE_AFTER = re.compile(r"^,?\s*more\s+than\s+(?:double|triple|twice|half|treble)", re.IGNORECASE)
_OR_AFTER_CHANGE = re.compile(r"\d\s?(?:%|percent|per\s+cent|pct)\s*,?\s*or\s+(?-i:[^\d\sa-z]{0,4})\s?$", re.IGNORECASE)
_CHANGE_AMOUNT_AFTER = re.compile(
    r"^(?:,?\s*or\s+[\d.,]+\s*(?:%|percent|per\s+cent|pct),?)?,?\s*(?:(?P<dir>more|less|higher|lower|fewer|above|below)\b(?:\s+than)?|(?P<dir2>smaller|larger|bigger|wider|narrower|greater)\s+than\b)",
    re.IGNORECASE)
_SHARE_AFTER = re.compile(r"^\s*(?:of|in)\s+(?:the\s+)?(?P<whole>[^,.;()]{2,60}?)(?=[,.;()]|\s+(?:in|and|while|for|from|as|making|with|to)\b|$)", re.IGNORECASE)
_TO_BEFORE = re.compile(r"\b(?:to|at|reaching|reached|was|were|stood at|hit)\s+(?:(?:about|nearly|some|around|over|more than|almost|roughly)\s+)?$", re.IGNORECASE)
_RANK_BEFORE = re.compile(r"\b(?:ranking|ranked|ranks|rank|came|placed|placing|remained|remains|was|is|putting\s+(?:\w+\s+){1,3}?|maintains?\s+(?:its|their)|to)\s+(?:(?:the|its|their)\s+)?$", re.IGNORECASE)
_RANK_AFTER = re.compile(r"^(?:\s*(?:and|to)\s+\w+)?\s*(?:-(?:largest|biggest|leading)\b(?!\s+economy)|nationwide|in the (?:country|nation|world|province)|place|position|positions|among|largest|biggest|-largest|-biggest|with\b|,? with)", re.IGNORECASE)
_NOT_RANK_AFTER = re.compile(r"^\s*(?:time|half|quarter|quarters|month|months|year|years|shift|transition|consecutive|straight|successive|-highest|-lowest|highest|lowest|in a row|province|city|country|one|ten|10|days|week)", re.IGNORECASE)
_NUMBER_OF = re.compile(r"\bnumber of\s+(?P<what>(?:[\"“”'\w-]+\s+){0,4}?)(?P<noun>[A-Za-z-]+s)\b[^.;]*?\b(?:to|at|reached|reaching|was|of|exceeding|exceeded|topping|topped|surpassing|hit|hitting|totaling|totalling|totalled|totaled)\s+(?:(?:more than|over|about|nearly|some|around)\s+)?$", re.IGNORECASE)
# "Of the 21 prefecture-level cities in the province, 16 achieved ..." / "Fourteen of the province's 16 cities"
_OF_THE_BEFORE = re.compile(r"\bOf the (?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|twenty|thirty) (?P<what>(?:[\w-]+ ){0,3}?)(?P<noun>[A-Za-z-]+s)\b[^,.;]*,\s*$", re.IGNORECASE)
_OF_THE_AFTER = re.compile(r"^\s+of\s+(?:the\s+)?(?:[\w'’-]+\s+){0,2}?(?<!top\s)(?:\d+|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty)\s+(?P<what>(?:[\w-]+\s+){0,2}?)(?P<noun>[A-Za-z-]+s)\b", re.IGNORECASE)
# "42.1 million laptops": a scaled number of a thing
_SCALED_NOUN_AFTER = re.compile(r"^\s+(?:[a-z-]+\s+)?(?P<noun>[a-z][a-z-]+s)\b")
_COUNT_NOUN_AFTER = re.compile(r"^\s+(?:[A-Za-z-]+\s+){0,3}?(?P<noun>{nouns})\b", re.IGNORECASE)
_RESPECTIVELY = re.compile(r"\brespectively\b", re.IGNORECASE)
_EACH = re.compile(r"\beach\b", re.IGNORECASE)
_PRONOUN_POSSESSIVE = re.compile(r"\b(?:its|their)\s+$", re.IGNORECASE)
_PARTNER_AFTER = re.compile(r"\s*(?:worth\s+)?(?:of\s+\w+\s+)?(?:went|go|goes|going|was\s+shipped|were\s+shipped|shipped|sent|exported|headed|bound)?\s*(?:to|from|with)\s+(?:the\s+)?", re.IGNORECASE)
_CHAINED_WHOLE = re.compile(r"^(?:\s*(?:,|and|,\s*and)\s*[\d.,]+\s*(?:%|percent|per\s+cent|pct))+\s*(?:of|in)\s+(?:the\s+)?", re.IGNORECASE)
_TRANSACTION_VERBS = {"bought", "buys", "bought up", "purchased", "sold", "sells", "took", "takes", "absorbed",
                      "shipped", "sent", "supplied"}
_CLAUSE_BREAK = re.compile(r";|,\s*(?:while|whereas|but)\b|\bwhile\b|\bwhereas\b", re.IGNORECASE)
_RANGE_TO = re.compile(r"^\s*(?:to|-|–|through)\s*$")


@dataclass
class Held:
    """A value the discourse state holds, with the cue that set it."""

    value: object
    cue: Cue


@dataclass
class DiscourseState:
    """What the article has established so far: read by later sentences, shown in the audit."""

    main: Held | None = None  # the economy the article is about
    entity: Held | None = None  # the economy last talked about
    by_type: dict[str, Held] = field(default_factory=dict)  # last economy of each type talked about
    named_by_type: dict[str, Held] = field(default_factory=dict)  # last economy of each type named at all
    partner: Held | None = None  # the partner (or list of partners) last named ("the Asian neighbor", "the two")
    partner_by_type: dict[str, Held] = field(default_factory=dict)  # last partner of each type ("the country")
    last_named: Held | None = None  # the economy named last, whatever its role
    recent_partners: list[str] = field(default_factory=list)  # partners in the order last named
    measured: Held | None = None  # the partner of the last figure, carried with its flow
    measured_paragraph: int = -1
    period: Held | None = None  # the period last set
    month: Held | None = None  # the single month last set ("for the month")
    main_period: Held | None = None  # the first period the article set: what it reports on
    paragraph: int = 0  # the paragraph of the sentence being read
    flow: Held | None = None  # flow/indicator of the previous sentence
    indicator: Held | None = None


@dataclass
class Reading:
    """What the words around a number say about it, before any discourse is consulted."""

    measure: str
    unit: str
    value: float
    sign: int
    qualifier: str
    cues: list[Cue]
    counted_economies: str = ""  # "the number of trillion-yuan provinces": the indicator it names


class Linker:
    """Turns the sentence views of one article into facts and unlinked numbers."""

    def __init__(self, counted_nouns: dict[str, str], indicator_flows: dict[str, str] | None = None,
                 not_goods: set[str] | None = None, shared_symbols: dict[str, dict[str, str]] | None = None):
        self.shared_symbols = shared_symbols or {}
        self.not_goods = not_goods or set()
        self.indicator_flows = indicator_flows or {}
        self._last_compared: Fact | None = None
        self.counted_rules: dict[str, str] = {}  # counted noun -> its rule id, for the evidence
        nouns = "|".join(sorted((re.escape(n) for n in counted_nouns), key=len, reverse=True)) or "(?!)"
        self.count_after = re.compile(_COUNT_NOUN_AFTER.pattern.replace("{nouns}", nouns), re.IGNORECASE)
        self.counted = {n.lower(): u for n, u in counted_nouns.items()}

    # ----------------------------------------------------------------- article
    def link(self, article: Article, views: list[SentenceView], main: tuple[Economy, Cue] | None
             ) -> tuple[list[Fact], list[Unlinked]]:
        state = DiscourseState()
        if main:
            state.main = Held(main[0], main[1])
        facts: list[Fact] = []
        unlinked: list[Unlinked] = []
        for view in views:
            paragraph = article.text.count("\n", 0, view.start)
            if paragraph != state.paragraph and state.main_period is not None and state.period is not None \
                    and state.period.value != state.main_period.value \
                    and not state.period.value.contains(state.main_period.value) \
                    and not state.main_period.value.contains(state.period.value):
                state.period = state.main_period  # a new paragraph returns to what the article reports on
            state.paragraph = paragraph
            self._resolve_anaphora(view, state)
            sentence_facts, sentence_unlinked = self._link_sentence(article, view, state)
            facts += sentence_facts
            unlinked += sentence_unlinked
            self._update_state(view, state, article, sentence_facts)
        return facts, unlinked

    def _resolve_anaphora(self, view: SentenceView, state: DiscourseState) -> None:
        for mention in view.economies:
            if mention.economy is not None:
                continue
            if mention.role == "partner":
                earlier = [m for m in view.economies if m.role == "partner" and m.economy is not None
                           and m.end <= mention.start and (mention.refers_to == "partner" or m.economy.type == mention.refers_to)]
                if not earlier and mention.refers_to == "any" and state.last_named is not None:
                    mention.economy = state.last_named.value  # "Shipments to the world's second-largest economy"
                    continue
                if not earlier and mention.refers_to in state.partner_by_type:
                    mention.economy = state.partner_by_type[mention.refers_to].value
                    continue
                if earlier:
                    group = _trailing_list(view, earlier)
                    mention.economy = earlier[-1].economy
                    if len(group) > 1 and mention.refers_to == "partner":
                        mention.group = " + ".join(_unique([m.economy.canonical for m in group]))
                    continue
                counted = re.search(r"\b(two|three|four|five)\b", mention.text, re.IGNORECASE)
                if mention.refers_to == "partner" and counted and len(state.recent_partners) >= 2:
                    # "The three countries absorbed 39.37 percent": the last three partners named
                    n = {"two": 2, "three": 3, "four": 4, "five": 5}[counted.group(1).lower()]
                    names = state.recent_partners[-n:]
                    mention.group = " + ".join(names)
                    mention.economy = Economy(names[0], "group", mention.rule)
                    continue
                if mention.refers_to == "partner" and state.partner is not None:
                    mention.group = state.partner.value
                    mention.economy = Economy(state.partner.value.split(" + ")[0], "group", mention.rule)
                    continue
                held = state.named_by_type.get(mention.refers_to)
                if held is None and mention.refers_to == "region":
                    held = state.named_by_type.get("bloc")
                if held is not None:
                    mention.economy = held.value
                continue
            types = {mention.refers_to} | ({"territory", "country"} if mention.refers_to == "city" else set())
            same_sentence = [m for m in view.economies if m.economy is not None and m.end <= mention.start
                             and m.role == "entity" and m.economy.type in types]
            if same_sentence:  # "Zhengzhou, the provincial capital, ..., and the city's exports"
                mention.economy = same_sentence[-1].economy
                continue
            held = state.by_type.get(mention.refers_to) if mention.refers_to != "any" else None
            if held is None and state.main is not None and (
                    mention.refers_to in ("any", state.main.value.type) or state.entity is None):
                held = state.main
            if held is None:
                held = state.entity
            if held is not None:
                mention.economy = held.value
                mention.rule = mention.rule

    def _update_state(self, view: SentenceView, state: DiscourseState, article: Article,
                      facts: list[Fact] | None = None) -> None:
        listed = _listed(view)
        main = state.main.value if state.main else None
        for mention in view.economies:
            if mention.economy is not None and mention.role != "anaphor":
                state.named_by_type[mention.economy.type] = Held(mention.economy, _cue(
                    "partner", mention.economy.canonical, mention.text, mention.start, mention.end, view, mention.rule))
                if mention.role == "partner":
                    state.partner_by_type[mention.economy.type] = state.named_by_type[mention.economy.type]
                    name = mention.economy.canonical
                    state.recent_partners = [p for p in state.recent_partners if p != name][-9:] + [name]
                state.last_named = state.named_by_type[mention.economy.type]
        partners = [m for m in view.economies if m.role == "partner" and m.economy is not None]
        if partners:
            group = _trailing_list(view, partners)
            names = " + ".join(_unique([m.economy.canonical for m in group]))
            state.partner = Held(names, _cue("partner", names, view.between(group[0].start, group[-1].end),
                                             group[0].start, group[-1].end, view, group[-1].rule))
        for mention in view.economies:
            if mention.economy is None or mention.role not in ("entity", "anaphor") or id(mention) in listed:
                continue  # a list of economies ("A, B and C") is a passing comparison, not the new focus
            if not self._focus_worthy(view, mention, main, facts):
                continue  # "Russia's invasion of Ukraine": named in passing, not what the article measures
            cue = _cue("entity", mention.economy.canonical, mention.text, mention.start, mention.end,
                       view, mention.rule)
            state.entity = Held(mention.economy, cue)
            state.by_type[mention.economy.type] = state.entity
        topic = self._sentence_periods(view, state, article)
        if topic and state.main_period is None:
            state.main_period = topic[0]
        if topic and state.main_period is not None and topic[0].value.end < state.main_period.value.start:
            # "Over 2024 the UK sold ...": a look back at an earlier period, not a new topic
            topic = []
            if state.period is not None and state.period.value.end < state.main_period.value.start:
                state.period = state.main_period
        if topic:
            state.period = topic[0]
            single = [h for h in topic if h.value.style == "month" and h.value.start.month == h.value.end.month
                      and h.value.start.year == h.value.end.year]
            if single:
                state.month = single[0]
        flows = view.cues_of("FLOW", "INDICATOR")
        used = [c for f in (facts or []) for c in f.cues if c.field == "flow" and c.start is not None]
        if used:
            cue = next((c for c in flows if c.start == used[-1].start), None)
            if cue is not None:
                flows = [cue]  # "That was up from ...": what the last figure measured
        if flows:
            last = flows[-1]
            state.flow = Held(last, _cue("flow", last.value, last.text, last.start, last.end, view, last.rule))

    def _focus_worthy(self, view: SentenceView, mention: EconomyMention, main: Economy | None,
                      facts: list[Fact] | None) -> bool:
        """Whether a named economy becomes the one in focus for the sentences that follow."""
        economy = mention.economy
        if facts and any(name_set_of(economy.canonical) <= name_set_of(f.entity) for f in facts):
            return True
        if main is not None and (economy.canonical == main.canonical or economy.within == main.canonical
                                 or economy.within == main.within and economy.within):
            return True
        if economy.type in ("province", "city", "county") or mention.role == "anaphor":
            return True
        after = view.between(mention.end, view.end)
        return bool(re.match(r"^(?:'s|’s)?\s+(?:[\w-]+\s+){0,2}?(?:exports?|imports?|trade|shipments|surplus|deficit|economy)\b",
                             after, re.IGNORECASE))

    # ---------------------------------------------------------------- sentence
    def _attachments(self, view: SentenceView, state: DiscourseState) -> dict[int, tuple[PeriodMention, bool]]:
        """Periods that belong to one figure, by the figure's start; the flag marks a base figure.

        "from US$345.28 billion in 2020", "March's US$26.5 billion", "compared with
        HK$53.2 billion in September 2024 and HK$25.4 billion in August 2025".
        """
        out: dict[int, tuple[PeriodMention, bool]] = {}
        periods = [p for p in view.periods if p.kind != "date"]
        previous_base = False
        for number in view.numbers:
            before = view.between(view.start, number.start)
            base = bool(_BASE_BEFORE.search(before)) or (
                previous_base and re.search(r"\b(?:and|or)\s+[^\d\s]{0,4}\s?$", before) is not None)
            found = None
            for mention in periods:
                if mention.kind == "year" and not mention.group("year") and mention.group("rel").lower() not in ("last", "previous", "past"):
                    continue  # "this year" after a figure qualifies the sentence's period; it names no base
                if mention.start < number.end:
                    if mention.end <= number.start and _POSSESSIVE_PERIOD.match(view.between(mention.end, number.start)):
                        found, base = mention, True
                    continue
                gap = re.sub(r"\([^()]*\)", "", view.between(number.end, mention.start))
                if _ATTACH_GAP.fullmatch(gap) and len(gap) <= 30:
                    found = mention
                elif mention.base and re.fullmatch(r"\s*(?:from\s+|than\s+|over\s+)?", gap):
                    found = mention
                break
            if found is not None:
                if found.base:
                    base = True
                current = state.period.value if state.period else None
                resolved = resolve(found, None, current) if current and not found.base else None
                if resolved is not None and current is not None and resolved.end < current.start and re.search(
                        r"\b(?:reached|set|recorded|registered|seen|posted|booked|logged)\b", view.between(number.end, found.start)):
                    base = True  # a figure of an earlier period named in passing ("the peak ... reached in 2018")
                out[number.start] = (found, base)
            previous_base = base and found is not None
        return out

    def _sentence_periods(self, view: SentenceView, state: DiscourseState, article: Article,
                          attached: dict[int, tuple[PeriodMention, bool]] | None = None) -> list[Held]:
        """Periods that scope the sentence (not dates, not base or comparison periods)."""
        out = []
        anchor = state.period.value if state.period else None
        attached = attached if attached is not None else self._attachments(view, state)
        base_attached = {m.start for m, base in attached.values() if base}
        for mention in view.periods:
            if mention.kind == "date" or mention.base or mention.start in base_attached:
                continue
            before = view.between(view.start, mention.start)
            if (re.search(r"\b(?:since|than|until|before|after|from|began in|compared with|against)\s+(?:the\s+)?(?:\w+\s+)?$", before, re.IGNORECASE)
                    or re.search(r"\b(?:on|over)\s+(?:the\s+)?$", before, re.IGNORECASE)) \
                    and not re.fullmatch(r"\s*(?:Over|During|Throughout)\s+(?:the\s+)?", before):
                continue
            if re.search(r"\bsince\b[^,;]*$", before, re.IGNORECASE):
                continue  # "the largest since comparable data became available in 1979"
            if re.match(r"^\s*(?:-|–)?\s*(?:year|month)|^(?:'s|’s)|^\s+(?:level|figure|peak|high|low|record|total)\b",
                        view.between(mention.end, view.end)):
                continue
            if mention.kind == "year" and re.match(r"^\s+(?!(?:Annual|Full|First|Second|Third|Fourth|Half|Year|Quarter)\b)(?-i:[A-Z])",
                                                   view.between(mention.end, view.end)):
                continue  # "the 2025 EY China Overseas Investment Forum": part of a name
            period = self._resolve(mention, article, state, anchor)
            if period is None:
                continue
            out.append(Held(period, _cue("period", period.label, mention.text, mention.start, mention.end,
                                         view, mention.rule)))
        return out

    def _resolve(self, mention: PeriodMention, article: Article, state: DiscourseState,
                 anchor: Period | None) -> Period | None:
        """Resolve a period; "the month" is the single month the article last set."""
        if mention.kind == "this_month":
            return state.month.value if state.month else None
        if mention.kind == "last_n_months":
            from .periods import _add_months, _count

            end = state.month.value if state.month else anchor
            n = _count(mention.group("n"))
            if end is None or not 1 <= n <= 12:
                return None
            return Period(_add_months(end.end.replace(day=1), -(n - 1)), end.end, "month")
        return resolve(mention, article.published, anchor)

    def _link_sentence(self, article: Article, view: SentenceView, state: DiscourseState
                       ) -> tuple[list[Fact], list[Unlinked]]:
        facts: list[Fact] = []
        unlinked: list[Unlinked] = []
        attached = self._attachments(view, state)
        topic_periods = self._sentence_periods(view, state, article, attached)
        readings: list[tuple[NumberMention, Reading]] = []
        view.numbers = _share_list_units(view)
        for number in view.numbers:
            reason = self._not_a_fact(number, view, attached.get(number.start), article, state)
            if reason:
                unlinked.append(Unlinked(article.doc_id, number.text, number.start, number.end, reason, view.text.strip()))
                continue
            reading = self._read(number, view)
            if reading is None:
                unlinked.append(Unlinked(article.doc_id, number.text, number.start, number.end,
                                         "no statistic (a bare number with no unit)", view.text.strip()))
                continue
            readings.append((number, reading))
        distributed = self._respectively(view, readings)
        previous: Fact | None = None
        previous_number: NumberMention | None = None
        for number, reading in readings:
            conversion = previous is not None and previous_number is not None and self._is_conversion(
                view, previous_number, number, reading, previous)
            compared = self._compared_with(view, number, reading, facts) if not conversion else None
            if compared is not None and reading.unit == "percent" and reading.measure != compared.measure:
                reading = replace(reading, measure=compared.measure)  # "down from 55 percent": a share, like "half"
            if conversion:
                fact = self._convert(previous, number, reading, view)
            elif compared is not None:
                fact = self._link_number(article, view, state, number, reading, topic_periods,
                                         distributed.get(number.start, {}), attached.get(number.start))
                if fact is not None:
                    fact = self._as_compared(fact, compared, reading, view)
            else:
                fact = self._link_number(article, view, state, number, reading, topic_periods,
                                         distributed.get(number.start, {}), attached.get(number.start))
            if fact is None:
                unlinked.append(Unlinked(article.doc_id, number.text, number.start, number.end,
                                         "no economy found", view.text.strip()))
                continue
            if previous is not None and not conversion and compared is None and number.start not in distributed:
                fact = self._same_subject(view, previous, previous_number, number, fact)
            period_ok = fact.period_end and is_over(Period(_date(fact.period_start), _date(fact.period_end), "day"),
                                                      article.published)
            if not period_ok:
                unlinked.append(Unlinked(article.doc_id, number.text, number.start, number.end,
                                         "projection (period not over at publication)" if fact.period_end else "no period found",
                                         view.text.strip()))
                continue
            facts.append(fact)
            previous, previous_number = fact, number
        if facts:
            last = facts[-1]
            partner_cue = next((c for c in reversed(last.cues) if c.field == "partner"), None)
            state.measured = Held(last.partner, partner_cue) if last.partner and partner_cue else None
            state.measured_paragraph = state.paragraph
        elif view.cues_of("FLOW", "INDICATOR"):
            state.measured = None
        return facts, unlinked

    # ---------------------------------------------------------- non-facts
    def _not_a_fact(self, number: NumberMention, view: SentenceView, attached=None, article=None, state=None) -> str:
        for period in view.periods:
            if period.start <= number.start and number.end <= period.end:
                return "a date" if period.kind == "date" else "a period"
        after = view.between(number.end, view.end)
        before = view.between(view.start, number.start)
        if number.kind in ("bare", "ordinal", "word", "fraction") and _CALENDAR_AFTER.match(after):
            return "calendar count"
        if number.kind in ("bare", "ordinal", "word") and re.search(r"\b(?:top|first|last|past|over|for|the)\s+$", before, re.IGNORECASE) and re.match(r"^\s*(?:\w+\s+)?(?:markets?|partners?|destinations?|months?|years?|days?|cities|provinces)", after, re.IGNORECASE):
            return "a count of items (no statistic)"
        if number.kind == "money" and not number.scaled and number.value < 10000 and re.search(r"\.\d{3}\b", number.text) \
                and re.match(r"^\s+worth\b", after):
            return "scale word missing (\"USD 113.834 worth\")"
        if before.rstrip().endswith(("\"", "“", "'")) and after.lstrip().startswith(("\"", "”", "'")):
            return "a quoted name"
        if any(c.start <= number.start and number.end <= c.end for c in view.cues_of("ANAPHOR")):
            return "an epithet (\"the world's second-largest economy\")"
        policy_before = [c for c in view.cues_of("NOT_FACT") if c.value == "policy setting" and c.end <= number.start]
        if number.kind == "percent" and policy_before and re.search(
                r"\b(?:cut|raised|lowered|hiked|kept|held|left|reduced|increased)\s+(?:it|them|the\s+rate)\s+(?:to|at)\s+$", before, re.IGNORECASE):
            return "policy setting (tariff, duty, quota)"
        for cue in view.cues_of("NOT_FACT"):
            near_before = (cue.end <= number.start and (number.start - cue.end) < 120 and cue.value == "projection"
                           and not re.search(r";|,\s*(?:and|but|while|whereas|after|having)\b|\.\s", view.between(cue.end, number.start)))
            near_after = cue.start >= number.end and (cue.start - number.end) < 25
            if cue.value == "projection" and (near_before or near_after):
                if re.match(r"^\s*of\s+(?:the|its|their)?\s*(?:annual|full-year|yearly|\w+'s)?\s*(?:target|estimate|goal|plan)", after, re.IGNORECASE):
                    continue  # "76.4 percent of the annual target": a share of a target is a fact
                if attached is not None and attached[1] and article is not None and number.kind in ("money", "count") \
                        and _BASE_BEFORE.search(before):
                    own = resolve(attached[0], article.published, state.period.value if state and state.period else None)
                    if own is not None and is_over(own, article.published):
                        continue  # "up from $632.4 billion in 2023": a figure of an ended period
                return "projection or expectation"
            if cue.value == "policy setting" and number.kind == "percent" and _is_policy_rate(cue, number, view):
                return "policy setting (tariff, duty, quota)"
            if cue.value == "event ordinal" and number.kind == "ordinal" and 0 <= cue.start - number.end < 60:
                return "an event's ordinal"
        return ""

    # ------------------------------------------------------------- reading
    def _read(self, number: NumberMention, view: SentenceView) -> Reading | None:
        before = view.between(view.start, number.start)
        after = view.between(number.end, view.end)
        cues: list[Cue] = []
        unit = number.unit
        value = number.value
        kind = number.kind
        if kind == "ordinal":
            from_rank = re.search(r"\b(?:up|down)?\s*from\s+$", before, re.IGNORECASE) and any(
                c.end <= number.start for c in view.cues_of("RANK"))
            named_rank = re.search(r"(?-i:[A-Z][\w.]*)\s+$", before) and re.match(r"^\s+(?:at|with)\b", after) and any(
                m.end <= number.start and re.fullmatch(r"\s*", view.between(m.end, number.start)) for m in view.economies)
            if _NOT_RANK_AFTER.match(after) or not (_RANK_BEFORE.search(before) or _RANK_AFTER.match(after) or from_rank
                                                    or named_rank):
                return None
            cues.append(_cue("measure", "rank", number.text, number.start, number.end, view, number.rule))
            return Reading("rank", "rank", value, 1, "", cues)
        counted_economies = ""
        if kind == "count" and unit in self.not_goods and not any(c.end <= number.start for c in view.cues_of("INDICATOR")):
            counted_economies = f"number of {unit}s"
        if kind in ("bare", "word"):
            counted = self.count_after.match(after)
            number_of = _NUMBER_OF.search(before) or _OF_THE_BEFORE.search(before) or _OF_THE_AFTER.match(after)
            scaled_noun = _SCALED_NOUN_AFTER.match(after) if number.scaled else None
            if counted:
                unit = self.counted[counted.group("noun").lower()]
                noun_at = number.end + counted.start("noun")
                cues.append(_cue("unit", unit, counted.group("noun"), noun_at, noun_at + len(counted.group("noun")),
                                 view, self.counted_rules.get(counted.group("noun").lower(), "")))
                if unit in self.not_goods and not any(c.end <= number.start for c in view.cues_of("INDICATOR")):
                    counted_economies = f"number of {counted.group('noun').lower()}"
            elif number_of:
                unit = _singular(number_of.group("noun"))
                if unit not in self.counted.values() or unit in self.not_goods:
                    # a count of economies or firms meeting a bar: its own indicator, no flow
                    what = re.sub(r"[\"“”']", "", number_of.group("what") + number_of.group("noun")).strip()
                    counted_economies = f"number of {what}"
            elif scaled_noun:
                unit = _singular(scaled_noun.group("noun"))
            elif _CHANGE_AMOUNT_AFTER.match(after) and (previous_count := self._previous_count(view, number)):
                unit = previous_count
            else:
                return None
            kind = "count"
        measure = "level"
        if kind in ("percent", "fraction"):
            measure = self._percent_measure(number, view, before, after)
        elif kind == "points":
            measure = "change"
        elif kind == "times":
            measure = "change"
        elif kind in ("money", "count"):
            if _CHANGE_AMOUNT_BEFORE.search(before) or (_CHANGE_AMOUNT_AFTER.match(after)
                                                        and not _MULTIPLE_AFTER.match(after)):
                measure = "change"
            elif self._right_after_change_word(number, view) or _OR_AFTER_CHANGE.search(before):
                measure = "change"
        cues.append(_cue("measure", measure, number.text, number.start, number.end, view, number.rule))
        qualifier = ""
        qual_cue = self._qualifier(number, view)
        if qual_cue:
            qualifier = qual_cue.value
            cues.append(qual_cue)
        sign = -1 if number.negative else 1
        return Reading(measure, unit, value, sign, qualifier, cues, counted_economies)

    def _right_after_change_word(self, number: NumberMention, view: SentenceView) -> bool:
        """"rose $19.5 billion, or 24.7%, to $98.4 billion": an amount straight after a change verb."""
        for cue in view.cues_of("CHANGE_UP", "CHANGE_DOWN"):
            gap = view.between(cue.end, number.start)
            if cue.end <= number.start and re.fullmatch(r"\s*(?:(?:by|about|nearly|some|almost|around|roughly|more than|over)\s+)*", gap):
                return cue.text.lower() not in ("up", "down", "higher", "lower", "below", "above")
        return False

    def _previous_count(self, view: SentenceView, number: NumberMention) -> str:
        """The unit of the count just before ("reached 27,635, 1,948 more than ..."), if any."""
        earlier = [n for n in view.numbers if n.end <= number.start and n.kind in ("bare", "count", "word")]
        if not earlier:
            return ""
        reading = self._read(earlier[-1], view) if earlier[-1].kind != "count" else None
        return earlier[-1].unit if earlier[-1].kind == "count" else (reading.unit if reading else "")

    def _percent_measure(self, number: NumberMention, view: SentenceView, before: str, after: str) -> str:
        if _CHANGE_AMOUNT_AFTER.match(after):
            return "change"  # "bought 6.2 per cent less", "0.6 per cent higher than"
        if re.match(r"^\s*of\b", after, re.IGNORECASE) and not re.match(r"^\s*of\s+(?:growth|increase)", after, re.IGNORECASE):
            return "share"
        clause_start = max([view.start] + [n.end for n in view.numbers if n.end <= number.start])
        shares = [c for c in view.cues_of("SHARE") if c.end <= number.start and c.start >= clause_start - 80]
        changes = [c for c in view.cues_of("CHANGE_UP", "CHANGE_DOWN") if c.end <= number.start]
        if shares and (not changes or shares[-1].start > changes[-1].start or _TO_BEFORE.search(before)):
            if number.start - shares[-1].end < 100:
                return "share"
        if re.match(r"^\s*(?:of|in)\s+(?:the\s+)?(?:national|provincial|country's|province's|city's)?\s*(?:total|share|market)", after, re.IGNORECASE):
            return "share"
        if re.match(r"^\s*(?:share|slice|portion|proportion|chunk)\b(?!\s+(?:price|index|market))", after, re.IGNORECASE):
            return "share"  # "a 34.5 per cent slice of total exports"
        amount = [n for n in view.numbers if n.end <= number.start and n.kind == "money"
                  and re.fullmatch(r"\s*\(\s*", view.between(n.end, number.start))]
        signed = number.negative or before.endswith("+")
        if amount and not signed and re.match(r"^\s*(?:share\s*)?\)", after) and not [
                c for c in view.cues_of("CHANGE_UP", "CHANGE_DOWN")
                if c.end <= amount[0].start and not re.search(r"[,;]", view.between(c.end, amount[0].start))]:
            return "share"  # "the second-largest market at USD 2.86 billion (15.1 percent)"
        restated = [n for n in view.numbers if n.end <= number.start and n.kind in ("money", "count")
                    and re.fullmatch(r"\s*,?\s*or\s+(?:about|roughly|nearly|some|around|almost)?\s*", view.between(n.end, number.start))]
        shares_before = [c for c in view.cues_of("SHARE") if c.end <= number.start]
        if restated and shares_before and not self._right_after_change_word(restated[0], view) \
                and not _CHANGE_AMOUNT_BEFORE.search(view.between(view.start, restated[0].start)):
            return "share"  # "declined 2.7 percent to 441.2 billion yuan, or 53.4 percent" after "accounting for"
        earlier = [n for n in view.numbers if n.end <= number.start and n.kind in ("percent", "fraction")
                   and re.match(r"^\s*of\b", view.between(n.end, view.end))]
        if earlier and not [c for c in view.cues_of("CHANGE_UP", "CHANGE_DOWN") if earlier[-1].end <= c.start < number.start]:
            return "share"  # "... 26.7 per cent of imports, followed by China ... with 18, 11.9 ... per cent"
        return "change"

    def _qualifier(self, number: NumberMention, view: SentenceView) -> Cue | None:
        for cue in reversed(view.cues_of("QUALIFIER")):
            if cue.end > number.start:
                continue
            gap = view.between(cue.end, number.start)
            if any(n.end <= cue.start and re.fullmatch(r"\s*", view.between(n.end, cue.start)) for n in view.numbers):
                return None  # "3.05 per cent more than X": a comparison, not a bound on X
            if re.fullmatch(r"[\s(\"“]*(?:(?:the|a|an|by|to|of|at|its|their|reaching|being)\s+)*[\"“]?", gap, re.IGNORECASE):
                return _cue("qualifier", cue.value, cue.text, cue.start, cue.end, view, cue.rule)
            return None
        return None

    # ------------------------------------------------------- respectively
    def _respectively(self, view: SentenceView, readings: list[tuple[NumberMention, Reading]]) -> dict:
        """"A and B rose 3% and 5% respectively": the i-th figure of each run goes to the i-th item.

        Without "respectively", a run of k figures joined by "and" right after a
        list of exactly k partners, economies or flows is read the same way
        ("Purchases from the US and Britain edged down 0.3 percent and 0.6 percent").
        """
        out: dict[int, dict] = {}
        self._ranges(view, readings, out)
        cuts = [view.start + m.start() for m in _RESPECTIVELY.finditer(view.text)]
        for numbers in _chains(view, readings):
            if len(numbers) < 2 or numbers[0].start in out:
                continue
            # "respectively" right after the chain (or right before it: "..., respectively, to X and Y")
            explicit = any(0 <= cut - numbers[-1].end and not re.search(r";|\.\s|,\s*(?:while|whereas|but)\b",
                                                                          view.between(numbers[-1].end, cut))
                           for cut in cuts) or any(0 <= numbers[0].start - cut <= 30 for cut in cuts)
            for field_name, items in self._item_lists(view, numbers[0].start, implicit=not explicit):
                if len(items) == len(numbers):
                    for number, item in zip(numbers, items):
                        out.setdefault(number.start, {})[field_name] = item
                    break
        return out

    def _ranges(self, view: SentenceView, readings: list[tuple[NumberMention, Reading]], out: dict) -> None:
        """"A, B and C hold the 2nd to 4th places": the range's ends go to the list's ends."""
        ranks = [n for n, r in readings if r.measure == "rank"]
        for first, last in zip(ranks, ranks[1:]):
            if not _RANGE_TO.match(view.between(first.end, last.start)):
                continue
            entities = _distinct([m for m in view.economies if m.role in ("entity", "anaphor") and m.economy
                                  and m.end <= first.start])
            if len(entities) >= 2:
                group = _trailing_list(view, entities)
                if len(group) >= 2:
                    out.setdefault(first.start, {})["entity"] = group[0]
                    out.setdefault(last.start, {})["entity"] = group[-1]

    def _item_lists(self, view: SentenceView, before: int, implicit: bool = False) -> list[tuple[str, list]]:
        """Candidate lists the figures may be distributed over, nearest list first within each kind."""
        lists: list[tuple[str, list]] = []
        partners = [m for m in view.economies if m.role == "partner" and m.economy and m.end <= before]
        entities = [m for m in view.economies if m.role in ("entity", "anaphor") and m.economy and m.end <= before]
        if partners:
            lists.append(("partner", _distinct(_trailing_list(view, partners))))
        if entities:
            lists.append(("entity", _distinct(_trailing_list(view, entities))))
        named = [m for m in view.economies if m.role in ("entity", "partner") and m.economy and m.end <= before]
        if named:
            mixed = _distinct(_trailing_list(view, named))
            if any(m.role == "partner" for m in mixed):
                lists.append(("partner", mixed))  # "ASEAN, the EU and the United States" where some read as partners
        flows = [c for c in view.cues_of("FLOW") if c.start < before]
        products = [c for c in view.cues_of("PRODUCT") if c.start < before]
        if not implicit:
            lists.append(("product", _distinct_cues(products)))
        split = _split_flow_pair(flows[-1]) if flows else None
        if split:
            lists.append(("flow", split))
        if implicit:
            return lists
        lists.append(("flow", _distinct_cues(flows)))
        periods = [p for p in view.periods if p.start < before and p.kind != "date"]
        lists.append(("period", periods))
        # Items after the figures ("... 107 percent, 40.8 percent ... in A, B and C respectively")
        later = [m for m in view.economies if m.role in ("entity", "partner") and m.start >= before]
        lists.append(("entity_after", _distinct(later)))
        return lists

    # ---------------------------------------------------------- the fields
    def _link_number(self, article: Article, view: SentenceView, state: DiscourseState, number: NumberMention,
                     reading: Reading, topic_periods: list[Held], assigned: dict,
                     attached: tuple[PeriodMention, bool] | None = None) -> Fact | None:
        cues = list(reading.cues)
        rule = "link-clause"
        before_text = view.between(view.start, number.start)

        # --- entity
        entity, entity_cue, group = self._entity(view, state, number, assigned)
        if entity_cue.source != "same sentence":
            rule = "link-carry"
        if "entity" in assigned or "entity_after" in assigned:
            rule = "link-respectively"
        if group:
            rule = "link-group"
        if entity is None:
            return None
        entity_name, entity_type = entity
        cues.append(entity_cue)

        # --- partner
        partner, partner_cue = self._partner(view, number, assigned)

        if partner_cue:
            cues.append(partner_cue)
            if "partner" in assigned:
                rule = "link-respectively"

        # --- flow and indicator
        flow, indicator, flow_cue, balance_sign = self._flow(view, state, number, assigned, reading.measure == "rank",
                                                             reading.measure == "share")
        if not partner and flow_cue.source == "earlier sentence" and state.measured is not None \
                and state.measured_paragraph == state.paragraph:
            # "That is a slide of roughly a third": what was measured before, partner included
            partner = state.measured.value
            cues.append(replace(state.measured.cue, source="earlier sentence"))
        if reading.counted_economies:
            flow, indicator = "", reading.counted_economies
            flow_cue = Cue("flow", "", source="same sentence", sentence=view.index, rule="cnt-number-of")
        cues.append(flow_cue)

        # --- product
        product = ""
        product_cue = assigned.get("product")
        if product_cue is None:
            candidates = [c for c in view.cues_of("PRODUCT") if c.end <= number.start
                          and not re.search(r"[;]", view.between(c.end, number.start))]
            product_cue = candidates[-1] if candidates else None
        if product_cue is not None:
            product = product_cue.value
            cues.append(_cue("product", product, product_cue.text, product_cue.start, product_cue.end, view, product_cue.rule))

        # --- sign
        value = reading.value
        sign = reading.sign
        if reading.measure == "change" and reading.unit != "times":
            direction, direction_cue = self._direction(view, number)
            if direction_cue:
                cues.append(direction_cue)
            sign *= direction
            if indicator == "trade balance":
                sign *= balance_sign
        elif reading.measure == "level" and indicator == "trade balance":
            sign *= balance_sign
        value = round(sign * value, 6)

        # --- period
        period, period_cue = self._period(article, view, state, number, reading, topic_periods, assigned, attached)
        if period is None:
            return None
        cues.append(period_cue)
        if period_cue.rule.startswith("base"):
            rule = "link-base-period"

        # --- share_of
        share_of = ""
        if reading.measure == "share":
            whole = _SHARE_AFTER.match(view.between(number.end, view.end))
            share_of = _clean_whole(whole.group("whole")) if whole else "total"
            cues.append(Cue("share_of", share_of, source="same sentence" if whole else "default", sentence=view.index))
            if whole is not None:
                whole_start = number.end + whole.start("whole")
                whole_flows = [c for c in view.cues_of("FLOW") if whole_start <= c.start < number.end + whole.end("whole")]
                previous_end = max([view.start] + [n.end for n in view.numbers if n.end <= number.start])
                subject_flow = [c for c in view.cues_of("FLOW") if previous_end <= c.start and c.end <= number.start
                                and not re.search(r"[;]|,\s*(?:while|and)\b", view.between(c.end, number.start))
                                and not re.search(r"\bof\s+(?:the\s+)?(?:[\w-]+(?:'s|’s)\s+)?(?:total\s+)?$",
                                                  view.between(view.start, c.start))]
                if whole_flows and flow != whole_flows[0].value and indicator == "trade" and not subject_flow \
                        and "flow" not in assigned:
                    flow = whole_flows[0].value  # "one-fifth of the province's exports"
                    cues.append(_cue("flow", flow, whole_flows[0].text, whole_flows[0].start, whole_flows[0].end, view,
                                     whole_flows[0].rule))
            owner = self._whole_owner(view, number, whole)
            if owner is not None and name_set_of(owner.economy.canonical) != name_set_of(entity_name) \
                    and entity_type in ("country", "bloc", "territory"):
                # "ASEAN accounted for 15.9 percent of China's foreign trade": China's share, ASEAN its partner
                if not partner and entity_type in ("country", "bloc", "region", "territory") \
                        and entity_cue.source == "same sentence":
                    partner = entity_name
                entity_name, entity_type = owner.economy.canonical, owner.economy.type
                cues.append(_cue("entity", entity_name, owner.text, owner.start, owner.end, view, owner.rule))

        if indicator == "trade balance":
            flow = ""
        if partner and name_set_of(partner) == name_set_of(entity_name):
            partner = ""  # an economy does not trade with itself
        unit = reading.unit
        if number.alternatives:
            # "61.8 billion riyals" in a Saudi story is SAR, in a Qatari one QAR
            home = _home_currencies(entity_name, entity_type)
            mine = [c for c in (unit, *number.alternatives) if c in home]
            if mine:
                unit = mine[0]
        for symbol, codes in self.shared_symbols.items():
            if symbol in number.text and entity_name in codes and not re.search(r"[A-Z]" + re.escape(symbol), number.text):
                unit = codes[entity_name]  # "¥1.62 trillion" in a Japanese story is yen
        paren = re.search(r"\(\s*$", before_text) and entity_cue.rule == "link-parenthetical"
        return Fact(
            doc_id=article.doc_id, entity=entity_name, entity_type=entity_type, partner=partner, flow=flow,
            product=product, indicator=indicator, measure=reading.measure, value=value, unit=unit,
            qualifier=reading.qualifier, period=period.label, period_start=period.start.isoformat(),
            period_end=period.end.isoformat(), share_of=share_of, text=number.text, start=number.start,
            end=number.end, sentence=view.text.strip(), rule="link-parenthetical" if paren else rule,
            cues=tuple(cues))

    def _whole_owner(self, view: SentenceView, number: NumberMention, whole) -> EconomyMention | None:
        """The economy whose whole a share is of, when the text names it ("of China's exports")."""
        if whole is None:
            # a list of shares shares its whole: "15.9 percent, 12.9 percent and 11.2 percent of China's trade"
            chained = _CHAINED_WHOLE.match(view.between(number.end, view.end))
            if chained is None:
                return None
            start = number.end + chained.end()
        else:
            start = number.end + whole.start("whole")
        first = next((m for m in view.economies if m.economy and start <= m.start < start + 4), None)
        if first is None or first.role == "anaphor":
            return None
        attributive = re.match(r"^\s+(?:total\s+|goods\s+|merchandise\s+)?(?:exports?|imports?|trade|shipments)\b",
                               view.between(first.end, view.end), re.IGNORECASE)
        return first if first.possessive or attributive else None

    def _entity(self, view: SentenceView, state: DiscourseState, number: NumberMention, assigned: dict):
        for key in ("entity", "entity_after"):
            if key in assigned and assigned[key].economy is not None:
                m: EconomyMention = assigned[key]
                return (m.economy.canonical, m.economy.type), _cue(
                    "entity", m.economy.canonical, m.text, m.start, m.end, view, "link-respectively"), False
        # "Hubei (18.2%)": a figure in brackets right after a name belongs to it
        for m in view.economies:
            if m.economy and m.role in ("entity", "anaphor") and re.fullmatch(r"\s*\(\s*[^\d()]{0,12}", view.between(m.end, number.start)):
                return (m.economy.canonical, m.economy.type), _cue(
                    "entity", m.economy.canonical, m.text, m.start, m.end, view, "link-parenthetical"), False
        candidates = [m for m in view.economies if m.economy and m.role in ("entity", "anaphor")]
        before = [m for m in candidates if m.end <= number.start]
        # its/their right before the figure's noun phrase points to the economy in focus
        if before:
            group = _trailing_list(view, before)
            together = re.search(r"\b(?:together|combined|jointly|collectively)\b",
                                 view.between(group[-1].end, number.start), re.IGNORECASE)
            if len(group) > 1 and (together or not _RESPECTIVELY.search(view.text)):
                names = " + ".join(_unique([m.economy.canonical for m in group]))
                if " + " in names:
                    return (names, "group"), _cue("entity", names, view.between(group[0].start, group[-1].end),
                                                  group[0].start, group[-1].end, view, "link-group"), True
            chosen = self._preferred(view, before, number)
            return (chosen.economy.canonical, chosen.economy.type), _cue(
                "entity", chosen.economy.canonical, chosen.text, chosen.start, chosen.end, view, chosen.rule), False
        following = [m for m in candidates if m.start >= number.end and m.role == "entity"]
        if following and re.fullmatch(r"\s*(?:in|at|for)\s+(?:the\s+)?", view.between(number.end, following[0].start)):
            group = [following[0]]
            for m in following[1:]:
                if _LIST_JOIN.match(view.between(group[-1].end, m.start)):
                    group.append(m)
                else:
                    break
            names = " + ".join(_unique([m.economy.canonical for m in group]))
            etype = "group" if len(group) > 1 else group[0].economy.type
            return (names, etype), _cue("entity", names, view.between(group[0].start, group[-1].end),
                                        group[0].start, group[-1].end, view, "link-group" if len(group) > 1 else group[0].rule), len(group) > 1
        after = [m for m in candidates if m.start >= number.end and m.role == "entity"
                 and not re.search(r"\b(?:of|in|than|after)\s+(?:the\s+)?$", view.between(number.end, m.start), re.IGNORECASE)
                 and not re.search(r"[,;]", view.between(number.end, m.start)) and m.start - number.end < 60]
        if after and len(after) == 1:
            m = after[0]
            return (m.economy.canonical, m.economy.type), _cue(
                "entity", m.economy.canonical, m.text, m.start, m.end, view, m.rule), False
        held = state.entity or state.main
        if held is None:
            return None, Cue("entity", ""), False
        economy: Economy = held.value
        cue = replace(held.cue, source="earlier sentence" if held.cue.sentence is not None and held.cue.sentence != view.index
                      else held.cue.source)
        return (economy.canonical, economy.type), cue, False

    def _preferred(self, view: SentenceView, before: list[EconomyMention], number: NumberMention) -> EconomyMention:
        """The nearest economy before the figure; a possessive ("the city's") beats a place ("in X")."""
        nearest = before[-1]
        for m in reversed(before[:-1]):
            if m.possessive and re.search(r"\bin\s+(?:the\s+)?$", view.between(view.start, nearest.start), re.IGNORECASE):
                return m
        return nearest

    def _partner(self, view: SentenceView, number: NumberMention, assigned: dict):
        if "partner" in assigned:
            m = assigned["partner"]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, "link-respectively")
        # "€48.1 billion went to euro area countries": a partner right after the figure
        following = [m for m in view.economies if m.role == "partner" and m.economy and m.start >= number.end
                     and _PARTNER_AFTER.fullmatch(view.between(number.end, m.start))]
        bracketed = [m for m in view.economies if m.role == "partner" and m.economy
                     and re.fullmatch(r"\s*\(\s*[^\d()]{0,12}", view.between(m.end, number.start))]
        if bracketed:
            m = bracketed[-1]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, "link-parenthetical")
        if following:
            m = following[0]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, m.rule)
        partners = [m for m in view.economies if m.role == "partner" and m.economy and m.end <= number.start]
        if not partners:
            return "", None
        group = _trailing_list(view, partners)
        last = group[-1]
        if last.group:
            return last.group, _cue("partner", last.group, last.text, last.start, last.end, view, last.rule)
        # A new clause between the partner and the figure ends the partner's reach.
        if _CLAUSE_BREAK.search(view.between(last.end, number.start)):
            return "", None
        names = " + ".join(_unique([m.economy.canonical for m in group]))
        return names, _cue("partner", names, view.between(group[0].start, last.end), group[0].start, last.end, view,
                           last.rule)

    def _flow(self, view: SentenceView, state: DiscourseState, number: NumberMention, assigned: dict,
              rank: bool = False, share: bool = False):
        """The flow (or other indicator) of the nearest cue before the figure, else after it, else carried."""
        if isinstance(assigned.get("flow"), str):
            flow = assigned["flow"]
            pair = [c for c in view.cues_of("FLOW") if c.end <= number.start][-1]
            return flow, "trade", _cue("flow", flow, pair.text, pair.start, pair.end, view, "link-respectively"), 1
        cue: CueMention | None = assigned.get("flow") if isinstance(assigned.get("flow"), CueMention) else None
        source = "same sentence"
        if cue is None:
            candidates = [c for c in view.cues_of("FLOW", "INDICATOR") if c.end <= number.start]
            after = [c for c in view.cues_of("FLOW", "INDICATOR") if c.start >= number.end
                     and (rank or (c.start - number.end < 30 and not re.search(r"[,;]", view.between(number.end, c.start))))]
            right = [c for c in after if re.fullmatch(r"\s*(?:[a-z]+\s+)?(?:in|of)\s+(?:the\s+)?", view.between(number.end, c.start))
                     and not (share and re.match(r"\s*of\b", view.between(number.end, c.start)))]
            balance_before = candidates and candidates[-1].label == "INDICATOR" and not re.search(
                r"[,;]", view.between(candidates[-1].end, number.start))
            cue = right[0] if right and not balance_before else (
                candidates[-1] if candidates else (after[0] if after else None))
            if cue is not None and cue.label == "FLOW" and len(candidates) > 1 and cue is candidates[-1] \
                    and candidates[-2].label == "INDICATOR" and re.fullmatch(
                        r"\s*(?:on|in|of|for)\s+(?:the\s+)?(?:[a-z-]+\s+)?", view.between(candidates[-2].end, cue.start)):
                cue = candidates[-2]  # "the surplus on goods trade": a balance of trade, not a flow
            # a balance word earlier in the clause governs a later flow word ("surplus with X ... imports")
        if cue is None and state.flow is not None:
            cue = state.flow.value
            source = "earlier sentence"
        balance_sign = 1
        neg = [c for c in view.cues_of("BAL_NEG", "BAL_POS") if c.end <= number.start]
        if neg:
            balance_sign = -1 if neg[-1].label == "BAL_NEG" else 1
        elif cue is not None and cue.label == "INDICATOR" and cue.rule == "ind-trade-balance":
            balance_sign = -1 if re.search(r"deficit|shortfall|red|gap", cue.text, re.IGNORECASE) else 1
        if cue is None:
            return "total", "trade", Cue("flow", "total", source="default", rule="flow-default"), 1
        if cue.label == "FLOW" and cue.text.lower() in _TRANSACTION_VERBS and any(
                m.role == "partner" and (0 <= cue.start - m.end <= 3 or re.fullmatch(r",[^,;]{3,80},\s*", view.between(m.end, cue.start)))
                for m in view.economies):  # "Vietnam, the largest market in the bloc, bought ..."
            inverse = {"export": "import", "import": "export"}.get(cue.value, cue.value)
            c = _cue("flow", inverse, cue.text, cue.start, cue.end, view, cue.rule)
            return inverse, "trade", c, balance_sign  # the partner's purchase is the economy's export
        c = _cue("flow", cue.value, cue.text, cue.start, cue.end, view, cue.rule)
        if source == "earlier sentence":
            c = replace(c, source="earlier sentence")
        if cue.label == "FLOW":
            return cue.value, "trade", c, balance_sign
        own_flow = self.indicator_flows.get(cue.rule, "")
        named = [f for f in view.cues_of("FLOW") if cue.end <= f.start and re.fullmatch(
            r"\s*(?:of|for|in)\s+(?:the\s+)?", view.between(cue.end, f.start))]
        if not own_flow and named and cue.rule != "ind-trade-balance":
            own_flow = named[0].value  # "the volume index of imports"
        return own_flow, cue.value, c, balance_sign

    def _direction(self, view: SentenceView, number: NumberMention) -> tuple[int, Cue | None]:
        comparative = _CHANGE_AMOUNT_AFTER.match(view.between(number.end, view.end))
        if comparative:
            word = (comparative.group("dir") or comparative.group("dir2") or "").lower()
            direction = -1 if word in ("less", "lower", "fewer", "below", "smaller", "narrower") else 1
            at = number.end + comparative.start("dir" if comparative.group("dir") else "dir2")
            return direction, _cue("sign", "negative" if direction < 0 else "positive", word, at, at + len(word),
                                   view, "chg-down" if direction < 0 else "chg-up")
        words = view.cues_of("CHANGE_UP", "CHANGE_DOWN")
        right = [c for c in words if 0 <= c.start - number.end <= 12
                 and not re.search(r"[,;]", view.between(number.end, c.start))]
        left = [c for c in words if c.end <= number.start]
        chosen = right[0] if right else (left[-1] if left else None)
        if chosen is None:
            return 1, None
        direction = -1 if chosen.label == "CHANGE_DOWN" else 1
        return direction, _cue("sign", "negative" if direction < 0 else "positive", chosen.text, chosen.start,
                               chosen.end, view, chosen.rule)

    def _period(self, article: Article, view: SentenceView, state: DiscourseState, number: NumberMention,
                reading: Reading, topic_periods: list[Held], assigned: dict,
                attached: tuple[PeriodMention, bool] | None):
        anchor_held = self._topic_for(number, topic_periods, view) or state.period
        anchor = anchor_held.value if anchor_held else None
        if isinstance(assigned.get("period"), PeriodMention):
            mention = assigned["period"]
            period = self._resolve(mention, article, state, anchor)
            if period:
                return period, _cue("period", period.label, mention.text, mention.start, mention.end, view, "link-respectively")
        # A period of the figure's own: "from US$345.28 billion in 2020", "March's US$26.5 billion"
        if attached is not None and reading.measure == "change" and (
                re.search(r"\b(?:from|than|over|on|against|versus|compared|those\s+of|that\s+of)\b",
                          view.between(number.end, attached[0].start), re.IGNORECASE)
                or (attached[0].base and not re.search(r"\b(?:increase|decrease|rise|fall|drop|decline|gain|growth|contraction)\b",
                                                       view.between(number.end, attached[0].start), re.IGNORECASE))):
            attached = None  # "grew 16.1% from a year earlier": the base of the change, not its period
        if attached is not None and reading.measure == "change" and not attached[0].base and state.period is not None \
                and attached[0].start >= number.end and not _BASE_BEFORE.search(view.between(view.start, number.start)) \
                and not re.search(r"\b(?:gain|rise|increase|decline|drop|fall|expansion|contraction|decrease|growth)\b",
                                  view.between(number.end, attached[0].start), re.IGNORECASE):
            own = resolve(attached[0], article.published, state.period.value)
            if own is not None and own.end < state.period.value.start:
                attached = None  # "more than double its 2018 level": an earlier period is what it is compared with
        if attached is not None:
            mention, _ = attached
            period = self._resolve(mention, article, state, anchor)
            if period:
                return period, _cue("period", period.label, mention.text, mention.start, mention.end, view, mention.rule)
        # "..., when exports were valued at X": the period just named
        for mention in reversed([p for p in view.periods if p.end <= number.start and p.kind != "date"]):
            if re.search(r",\s*when\b", view.between(mention.end, number.start)):
                period = self._resolve(mention, article, state, anchor)
                if period:
                    return period, _cue("period", period.label, mention.text, mention.start, mention.end, view, mention.rule)
            break
        # "A year earlier the country had booked a surplus of ...": a base phrase opening the sentence
        for mention in view.periods:
            if mention.base and mention.start - view.start < 4 and anchor is not None:
                period = resolve(mention, article.published, anchor)
                if period:
                    return period, _cue("period", period.label, mention.text, mention.start, mention.end, view, mention.rule)
        if anchor_held is not None:
            cue = anchor_held.cue
            if cue.sentence != view.index:
                cue = replace(cue, source="earlier sentence")
            monthly = _MONTH_ON_MONTH.search(view.between(number.start - 80, number.end + 60))
            if monthly and state.month is not None and not _single_month(anchor) and anchor.contains(state.month.value):
                # "increased 0.9 per cent from February": a monthly figure inside a wider period set before;
                # the discourse is back on that month for the sentences that follow
                state.period = state.month
                return state.month.value, replace(state.month.cue, source="earlier sentence")
            return anchor, cue
        if article.published:
            period = year_period(article.published.year if article.published.month > 2 else article.published.year - 1)
            return period, Cue("period", period.label, source="publication date", rule="per-publication-year")
        return None, Cue("period", "")

    def _topic_for(self, number: NumberMention, topic_periods: list[Held], view: SentenceView | None = None) -> Held | None:
        before = [h for h in topic_periods if h.cue.end is not None and h.cue.end <= number.start]
        if view is not None:
            # "Gold imports, which soared in 2023 as ..., plunged 41.4%": a relative clause's period is its own
            before = [h for h in before if not (
                re.search(r",\s*(?:which|who|that|when)\b[^,]*$", view.between(view.start, h.cue.start))
                and "," in view.between(h.cue.end, number.start))]
            after = [h for h in topic_periods if h.cue.start is not None and h.cue.start >= number.end
                     and not re.search(r"\b(?:after|when|since|because|before|as|while|whereas)\b|[;]",
                                       view.between(number.end, h.cue.start))]
            if not before:
                return after[0] if after else None
            if after and _CLAUSE_BREAK.search(view.between(before[-1].cue.end, number.start)):
                return after[0]  # "..., while the economy grew 5.4 per cent in the third quarter"
        if before:
            nearest = before[-1]
            inner = [h for h in topic_periods if h is not nearest and nearest.value.contains(h.value)
                     and h.value != nearest.value and nearest.value.style == "year"
                     and re.search(r"\b(?:this|the) year\b|\byear to date\b", nearest.cue.text or "", re.IGNORECASE)]
            return inner[0] if inner else nearest  # "As of June 30 ... this year": the as-of period
        return topic_periods[0] if topic_periods else None

    def _same_subject(self, view: SentenceView, previous: Fact, previous_number: NumberMention,
                      number: NumberMention, fact: Fact) -> Fact:
        """"reached 107,000, an increase of 10.3%": nothing new named between two figures, same subject."""
        gap = view.between(previous_number.end, number.start)
        if _CLAUSE_BREAK.search(gap) or re.search(r"\.\s", gap):
            return fact
        if fact.rule in ("link-group", "link-respectively", "link-parenthetical") or previous.rule == "link-respectively":
            return fact
        if any(previous_number.end <= c.start and c.end <= number.start
               for c in view.cues_of("FLOW", "INDICATOR", "PRODUCT", "BAL_NEG", "BAL_POS")):
            return fact
        if any(previous_number.end <= m.start and m.end <= number.start and not (
                m.economy is not None and name_set_of(m.economy.canonical) <= name_set_of(previous.entity))
               for m in view.economies):
            return fact  # a new economy named between the two figures
        if any(c.field in ("flow", "entity", "partner", "product") and c.start is not None
               and previous_number.end <= c.start and c.source == "same sentence" for c in fact.cues):
            return fact  # "grew 12.8 pct, outpaced by a 34.6 pct surge in imports": its own words
        if (fact.entity, fact.partner, fact.flow, fact.indicator, fact.product) == (
                previous.entity, previous.partner, previous.flow, previous.indicator, previous.product):
            return fact
        return replace(fact, entity=previous.entity, entity_type=previous.entity_type, partner=previous.partner,
                       flow=previous.flow, indicator=previous.indicator, product=previous.product)

    # -------------------------------------------------------- comparisons
    def _compared_with(self, view: SentenceView, number: NumberMention, reading: Reading, facts: list[Fact]) -> Fact | None:
        """"compared with HK$53.2 billion", "against 30 per cent in 1997": the figure it is compared to."""
        before = view.between(view.start, number.start)
        if facts and facts[-1].rule == "link-comparison" and re.search(r"\b(?:and|or)\s+(?-i:[^\d\sa-z]{0,4})\s?$", before):
            return self._last_compared
        stripped = re.sub(r"(?:\b(?:more|less|fewer)\s+than|\b(?:about|nearly|almost|around|some|over|roughly|just\s+over|just\s+under))\s+(?:a\s+)?$",
                          "", before, flags=re.IGNORECASE)
        if stripped == before and re.search(r"\b(?:more|less|fewer|rather|other)\s+than\s+\S{0,4}\s?$", before, re.IGNORECASE):
            return None  # "more than $10 billion": a bound, not a comparison
        if not _BASE_BEFORE.search(stripped) or not facts:
            return None
        before = stripped
        same_unit = [f for f in facts if f.unit == reading.unit and f.sentence == view.text.strip()]
        if reading.measure == "level" and any(f.measure == "level" for f in same_unit):
            same_unit = [f for f in same_unit if f.measure == "level"]
        self._last_compared = same_unit[-1] if same_unit else None
        return self._last_compared

    def _as_compared(self, fact: Fact, compared: Fact, reading: Reading, view: SentenceView) -> Fact:
        sign = -1 if (compared.indicator == "trade balance" and compared.value < 0 and compared.measure == "level") else 1
        value = abs(fact.value) * sign if fact.measure != "change" or reading.unit != "percent" else fact.value
        if compared.indicator == "trade balance" and any(
                compared.end <= c.start < fact.start for c in view.cues_of("BAL_NEG", "BAL_POS")):
            value = fact.value  # "compared with a deficit of $14.9 billion": its own sign
        measure = fact.measure
        cues = fact.cues + (Cue("measure", measure, compared.text, compared.start, compared.end, "same sentence",
                                None, "link-comparison"),)
        return replace(fact, entity=compared.entity, entity_type=compared.entity_type, partner=compared.partner,
                       flow=compared.flow, product=compared.product, indicator=compared.indicator, measure=measure,
                       value=value, share_of=compared.share_of if measure == "share" else fact.share_of,
                       rule="link-comparison", cues=cues)

    # -------------------------------------------------------- conversions
    def _is_conversion(self, view: SentenceView, prev_number: NumberMention, number: NumberMention,
                       reading: Reading, previous: Fact) -> bool:
        gap = view.between(prev_number.end, number.start)
        return (prev_number.kind == number.kind == "money" and prev_number.unit != number.unit
                and bool(re.fullmatch(r"\s*(?:\(|,\s*or|or|/)\s*(?:about|around|approximately|roughly|nearly|some|or)?\s*", gap)))

    def _convert(self, previous: Fact, number: NumberMention, reading: Reading, view: SentenceView) -> Fact:
        sign = -1 if previous.value < 0 else 1
        cues = tuple(reading.cues) + tuple(c for c in previous.cues if c.field not in ("measure", "qualifier"))
        return replace(previous, value=round(sign * reading.value, 6), unit=reading.unit, qualifier=reading.qualifier,
                       text=number.text, start=number.start, end=number.end, rule="link-conversion", cues=cues)


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
    shape = re.fullmatch(r"(?:\s*[a-z]+){0,7}\s*(?:[\d.]+\s*(?:%|percent|per\s+cent)?\s*(?:to|and|-|–)\s*)?", gap)
    return bool(shape) and (not gap.strip() or re.search(r"\b(?:of|at|to|from|on)\b", gap) is not None)


def _listed(view: SentenceView) -> set[int]:
    """Economy mentions that stand in a list of two or more entities."""
    entities = [m for m in view.economies if m.role in ("entity", "anaphor")]
    out: set[int] = set()
    for a, b in zip(entities, entities[1:]):
        if _LIST_JOIN.match(view.between(a.end, b.start)):
            out.update({id(a), id(b)})
    return out


_MONTH_ON_MONTH = re.compile(
    r"\bmonth-on-month\b|\bon the month\b|\bm-o-m\b|\bfrom the (?:previous|prior) month\b|\bfrom (?-i:January|February|March|April|May|June|July|August|September|October|November|December)\b(?!\s+\d)(?!\s*(?:to|through|-|–|and)\b)",
    re.IGNORECASE)


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


def _chains(view: SentenceView, readings: list) -> list[list[NumberMention]]:
    """Runs of figures of one kind joined by commas or "and" ("3.5%, 3.7% and 11.5%")."""
    chains: list[list[NumberMention]] = []
    last_key = None
    for number, reading in readings:
        key = (reading.measure, reading.unit if reading.measure != "level" else "amount")
        if chains and key == last_key and re.fullmatch(r"\s*(?:,|and|,\s*and|or)\s*", view.between(chains[-1][-1].end, number.start)):
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


_LIST_JOIN = re.compile(r"^\s*(?:,|\band\b|,\s*and\b|&|\bor\b)\s*(?:the\s+)?(?:[\w-]+-member\s+)?$", re.IGNORECASE)


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
