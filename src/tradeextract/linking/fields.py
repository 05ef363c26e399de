"""Entity, partner and flow of a figure; comparisons, conversions and figures sharing a subject."""
from __future__ import annotations

import re
from dataclasses import replace

from ..gazetteer import Economy
from ..mentions import TAIL, CueMention, EconomyMention, SentenceView
from ..numbers import NumberMention
from ..periods import Period
from ..records import Cue, Fact
from .helpers import _cue, _date, name_set_of, _unique, _trailing_list
from .patterns import _BASE_BEFORE, _RESPECTIVELY, _PARTNER_AFTER, _CHAINED_WHOLE, _TRANSACTION_VERBS, _CLAUSE_BREAK, _LIST_JOIN, _MONTH_ON_MONTH
from .state import DiscourseState, Reading


class FieldsMixin:
    """Entity, partner and flow of a figure; comparisons, conversions and figures sharing a subject."""

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

    def _entity(self, view: SentenceView, state: DiscourseState, number: NumberMention, assigned: dict,
                apposition: tuple[int, int] | None = None):
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
        if apposition is not None:  # "Mpumalanga, home to most of the country's coal mines, exported ..."
            candidates = [m for m in candidates if not apposition[0] <= m.start < apposition[1]]
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
        if following and number.kind == "ordinal":
            following = []  # "ranking first in the region": where the ranking is, not who ranks
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

    def _partner(self, view: SentenceView, number: NumberMention, assigned: dict, entity: str = ""):
        if "partner" in assigned:
            m = assigned["partner"]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, "link-respectively")
        # "€48.1 billion went to euro area countries": a partner right after the figure
        following = [m for m in view.economies if m.role == "partner" and m.economy and m.start >= number.end
                     and m.economy.canonical != entity and _PARTNER_AFTER.fullmatch(view.between(number.end, m.start))]
        bracketed = [m for m in view.economies if m.role == "partner" and m.economy
                     and re.fullmatch(r"\s*\(\s*[^\d()]{0,12}", view.between(m.end, number.start))]
        if bracketed:
            m = bracketed[-1]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, "link-parenthetical")
        if following:
            m = following[0]
            return m.economy.canonical, _cue("partner", m.economy.canonical, m.text, m.start, m.end, view, m.rule)
        # "taking 538.2 billion yuan worth of goods from Shenzhen": the economy itself is no partner of its own
        partners = [m for m in view.economies if m.role == "partner" and m.economy and m.end <= number.start
                    and m.economy.canonical != entity]
        if not partners:
            return "", None
        group = _trailing_list(view, partners)
        last = group[-1]
        if last.group:
            return last.group, _cue("partner", last.group, last.text, last.start, last.end, view, last.rule)
        # A new clause between the partner and the figure ends the partner's reach.
        # A subject partner ("Hong Kong remained the city's largest export market, taking ...") reaches on.
        subject = not view.between(view.start, group[0].start).strip()
        if _CLAUSE_BREAK.search(view.between(last.end, number.start)) and not subject:
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
                        r"\s*(?:on|in|of|for|with)\s+(?:the\s+|its\s+|their\s+)?(?:[a-z-]+\s+){0,2}",
                        view.between(candidates[-2].end, cue.start)):
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
        before = view.between(number.start - TAIL, number.start)  # every pattern here ends at the figure
        if facts and facts[-1].rule == "link-comparison" and re.search(r"\b(?:and|or)\s+(?-i:[^\d\sa-z]{0,4})\s?$", before):
            # "from US$38.02 billion a year earlier and HK$25.4 billion in August": the comparison goes on;
            # "... and 10.2 percent higher than in September" is a figure of its own
            last = self._last_compared
            return last if last is not None and last.unit == reading.unit else None
        stripped = re.sub(r"(?:\b(?:more|less|fewer)\s+than|\b(?:about|nearly|almost|around|some|over|roughly|just\s+over|just\s+under))\s+(?:a\s+)?$",
                          "", before, flags=re.IGNORECASE)
        if stripped == before and re.search(r"\b(?:more|less|fewer|rather|other)\s+than\s+\S{0,4}\s?$", before, re.IGNORECASE):
            return None  # "more than $10 billion": a bound, not a comparison
        base = _BASE_BEFORE.search(stripped)
        if not base or not facts:
            return None
        base_start = number.start - len(before) + base.start()
        if any(m.role == "partner" and base_start <= m.start < number.start for m in view.economies):
            return None  # "and imports from China $17.9 billion": a partner, not a base figure
        before = stripped
        same_unit = [f for f in facts if f.unit == reading.unit and f.sentence == view.text.strip()]
        if reading.measure == "level" and any(f.measure == "level" for f in same_unit):
            same_unit = [f for f in same_unit if f.measure == "level"]
        self._last_compared = same_unit[-1] if same_unit else None
        last = self._last_compared
        if last is not None and any(
                last.end <= c.start < number.start and c.value != last.flow
                and re.search(r"(?:,\s*and|;|,\s*while)\s", view.between(last.end, c.start)) for c in view.cues_of("FLOW")):
            self._last_compared = None  # "exports from A to B, and imports from C to D": a new subject, not a comparison
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

    def _base_of_change(self, fact: Fact, compared: Fact, number: NumberMention, view: SentenceView,
                        attached) -> Fact:
        """"grew 10.7pc to $30.71bn from $27.74bn": a bare level after "from" is where the change started,
        a year earlier (a month, when the sentence compares month on month)."""
        if attached is not None or fact.measure != "level" or compared.measure != "level" \
                or fact.period != compared.period or not compared.period_end \
                or not re.search(r"\bfrom\s+\S{0,4}\s?$", view.between(number.start - 12, number.start)):
            return fact
        months = -1 if _MONTH_ON_MONTH.search(view.text) else -12
        label = fact.period
        style = ("year" if re.fullmatch(r"\d{4}", label) else "half" if "H" in label else "quarter" if "Q" in label
                 else "day" if re.match(r"\d{4}-\d{2}-\d{2}", label) else "month")
        period = Period(_date(fact.period_start), _date(fact.period_end), style).shifted(months=months)
        cue = Cue("period", period.label, view.between(number.start - 5, number.start).strip(), None, None,
                  "same sentence", view.index, "link-base-period")
        return replace(fact, period=period.label, period_start=period.start.isoformat(),
                       period_end=period.end.isoformat(), cues=fact.cues + (cue,))

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
