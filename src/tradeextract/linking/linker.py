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
from dataclasses import replace

from ..corpus import Article
from ..gazetteer import Economy
from ..mentions import EconomyMention, SentenceView
from ..numbers import NumberMention
from ..periods import Period, PeriodMention, is_over
from ..records import Cue, Fact, Unlinked
from .fields import FieldsMixin
from .helpers import _apposition, _cue, _date, _home_currencies, name_set_of, _listed, _share_list_units, _unique, _trailing_list, _clean_whole
from .lists import ListsMixin
from .patterns import _SHARE_AFTER, _COUNT_NOUN_AFTER
from .reading import ReadingMixin
from .state import Held, DiscourseState, Reading
from .timing import PeriodMixin


class Linker(ReadingMixin, ListsMixin, PeriodMixin, FieldsMixin):
    """Turns the sentence views of one article into facts and unlinked numbers."""

    def __init__(self, counted_nouns: dict[str, str], indicator_flows: dict[str, str] | None = None,
                 not_goods: set[str] | None = None, shared_symbols: dict[str, dict[str, str]] | None = None):
        self.shared_symbols = shared_symbols or {}
        self.continued_symbols: list[tuple[str, frozenset[str], str]] = []  # (symbol, its currencies, rule id)
        self.not_goods = not_goods or set()
        self.indicator_flows = indicator_flows or {}
        self._last_compared: Fact | None = None
        self._policy_numbers: set[int] = set()  # starts of figures read as policy rates in this article
        self.counted_rules: dict[str, str] = {}  # counted noun -> its rule id, for the evidence
        self.fiscal_years: dict = {}  # periods.yaml `fiscal_years`: where each economy's fiscal year starts
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
                    and (state.period.only_here or not state.main_period.value.contains(state.period.value)):
                state.period = state.main_period  # a new paragraph returns to what the article reports on
            if paragraph != state.paragraph and state.main is not None and state.entity is not None \
                    and _foreign(state.entity.value, state.main.value):
                state.entity = state.main  # "Oman's trade with the UAE climbed ...": a passing paragraph's focus ends with it
            state.paragraph = paragraph
            self._resolve_anaphora(view, state)
            # The sentence's periods depend on the state as it stands before the sentence:
            # read once, they serve its figures and then the state update.
            attached = self._attachments(view, state)
            topic = self._sentence_periods(view, state, article, attached)
            sentence_facts, sentence_unlinked = self._link_sentence(article, view, state, attached, topic)
            facts += sentence_facts
            unlinked += sentence_unlinked
            self._update_state(view, state, topic, sentence_facts)
        return facts, unlinked

    def _resolve_anaphora(self, view: SentenceView, state: DiscourseState) -> None:
        for mention in view.economies:
            if mention.economy is not None:
                continue
            if mention.role == "partner":
                earlier = [m for m in view.economies if m.role == "partner" and m.economy is not None
                           and m.end <= mention.start
                           and (mention.refers_to in ("partner", "any") or m.economy.type == mention.refers_to)]
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
                    mention.refers_to in ("any", "region", state.main.value.type) or state.entity is None):
                # "the region" with no region named: an autonomous region the article is about
                held = state.main
            if held is None:
                held = state.entity
            if held is not None:
                mention.economy = held.value
                mention.rule = mention.rule

    def _update_state(self, view: SentenceView, state: DiscourseState, topic: list[Held],
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

    def _container(self, view: SentenceView, number: NumberMention) -> EconomyMention | None:
        """The economy a count of economies is taken in: "cities in the province", "of the country's 31 provinces"."""
        inside = [m for m in view.economies if m.economy is not None and m.end <= number.start
                  and not re.search(r"[;]", view.between(m.end, number.start))
                  and (m.possessive or re.search(r"\b(?:in|of|across)\s+(?:the\s+)?$", view.between(m.start - 12, m.start)))]
        if inside:
            return inside[-1]
        after = [m for m in view.economies if m.economy is not None and m.start >= number.end and m.possessive
                 and re.fullmatch(r"\s+of\s+(?:the\s+)?", view.between(number.end, m.start))]
        return after[0] if after else None  # "Fourteen of the province's 16 cities"

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

    def _link_sentence(self, article: Article, view: SentenceView, state: DiscourseState,
                       attached: dict[int, tuple[PeriodMention, bool]], topic_periods: list[Held]
                       ) -> tuple[list[Fact], list[Unlinked]]:
        facts: list[Fact] = []
        unlinked: list[Unlinked] = []
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
                    fact = self._base_of_change(fact, compared, number, view, attached.get(number.start))
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

    # ---------------------------------------------------------- the fields
    def _link_number(self, article: Article, view: SentenceView, state: DiscourseState, number: NumberMention,
                     reading: Reading, topic_periods: list[Held], assigned: dict,
                     attached: tuple[PeriodMention, bool] | None = None) -> Fact | None:
        cues = list(reading.cues)
        rule = "link-clause"
        before_text = view.between(view.start, number.start)

        # An apposition after the subject ("Mpumalanga, home to the country's coal mines, exported ...")
        # names neither the figure's entity nor its product.
        apposition = _apposition(view, number)

        # --- entity
        entity, entity_cue, group = self._entity(view, state, number, assigned, apposition)
        container = self._container(view, number) if reading.counted_economies else None
        if container is not None:  # "Of the 16 cities in the province, 12 ...": a count of the province's cities
            entity, group = (container.economy.canonical, container.economy.type), False
            entity_cue = _cue("entity", container.economy.canonical, container.text, container.start, container.end,
                              view, container.rule)
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
        partner, partner_cue = self._partner(view, number, assigned, entity_name)

        if partner_cue:
            cues.append(partner_cue)
            if "partner" in assigned:
                rule = "link-respectively"

        # --- flow and indicator
        flow, indicator, flow_cue, balance_sign = self._flow(view, state, number, assigned, reading.measure == "rank",
                                                             reading.measure == "share")
        if indicator == "trade balance" and flow_cue.source == "earlier sentence" and partner \
                and state.measured_paragraph != state.paragraph and (
                state.measured is None or state.measured.value != partner):
            # "... a deficit of $5.3 billion.\nRussia accounted for $27.6 billion": a balance is carried into a
            # new paragraph only for the partner it was measured with; a new partner's bare figure is its trade
            flow, indicator, balance_sign = "total", "trade", 1
            flow_cue = Cue("flow", "total", source="default", rule="flow-default")
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
            start, end = apposition or (0, 0)
            candidates = [c for c in view.cues_of("PRODUCT") if c.end <= number.start
                          and not re.search(r"[;]", view.between(c.end, number.start))
                          and not start <= c.start < end]
            product_cue = candidates[-1] if candidates else None
        if product_cue is not None:
            product = product_cue.value
            cues.append(_cue("product", product, product_cue.text, product_cue.start, product_cue.end, view, product_cue.rule))

        # --- sign
        value = reading.value
        sign = reading.sign
        if reading.measure == "change" and reading.unit != "times":
            direction, direction_cue = self._direction(view, number)
            if direction_cue and not number.negative:  # "Lower exports to China (−9.6%)": the written sign is the value's
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
        unit = self._continued_currency(number, unit, state, view, cues)
        paren = re.search(r"\(\s*$", before_text) and entity_cue.rule == "link-parenthetical"
        return Fact(
            doc_id=article.doc_id, entity=entity_name, entity_type=entity_type, partner=partner, flow=flow,
            product=product, indicator=indicator, measure=reading.measure, value=value, unit=unit,
            qualifier=reading.qualifier, period=period.label, period_start=period.start.isoformat(),
            period_end=period.end.isoformat(), share_of=share_of, text=number.text, start=number.start,
            end=number.end, sentence=view.text.strip(), rule="link-parenthetical" if paren else rule,
            cues=tuple(cues))


    def _continued_currency(self, number: NumberMention, unit: str, state: DiscourseState, view: SentenceView,
                            cues: list[Cue]) -> str:
        """A bare "$" after "NZ$346 million" is New Zealand dollars; a marked one sets what later bare ones mean."""
        for symbol, codes, rule in self.continued_symbols:
            if symbol not in number.text or unit not in codes:
                continue
            marked = re.search(r"[A-Za-z.]" + re.escape(symbol), number.text) or not number.text.lstrip("-−").startswith(symbol)
            if marked:
                state.currency[symbol] = Held(unit, _cue("unit", unit, number.text, number.start, number.end, view, rule))
            elif symbol in state.currency:
                held = state.currency[symbol]
                cues.append(replace(held.cue, source="same sentence" if held.cue.sentence == view.index else "earlier sentence"))
                return held.value
        return unit


def _foreign(economy: Economy, main: Economy) -> bool:
    """Another economy of the main one's standing (not the main one, not part of it, not a whole it is part of)."""
    return (economy.canonical != main.canonical and economy.within != main.canonical
            and main.within != economy.canonical and economy.type == main.type)
