"""The period of a figure: periods attached to it, periods that scope its sentence, the state."""
from __future__ import annotations

import re
from dataclasses import replace

from ..corpus import Article
from ..mentions import TAIL, SentenceView
from ..numbers import NumberMention
from ..periods import Period, PeriodMention, resolve, year_period
from ..records import Cue
from .helpers import _cue, _single_month
from .patterns import _BASE_BEFORE, _ATTACH_GAP, _POSSESSIVE_PERIOD, _CLAUSE_BREAK, _MONTH_ON_MONTH
from .state import Held, DiscourseState, Reading


# A period right after an event word dates the event, not a statistic.
_EVENT_BEFORE = re.compile(
    r"\b(?:anniversary|opening|opened|launch|launched|inaugurated|inauguration|came\s+into\s+(?:force|effect)"
    r"|took\s+effect|entered\s+into\s+force|was\s+signed|were\s+signed|began\s+operations?|started\s+operations?)"
    r"\b(?:\s+of\s+(?:its|the|their)\s+\w+)?\s+(?:(?:in|on|at\s+the\s+end\s+of)\s+(?:the\s+)?)?$", re.IGNORECASE)


class PeriodMixin:
    """The period of a figure: periods attached to it, periods that scope its sentence, the state."""

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
            before = view.between(number.start - TAIL, number.start)  # both patterns end at the figure
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
                if mention.base and re.fullmatch(r"\s*(?:from|than|over)\s+", gap):
                    # "up 5% from a year earlier": the base a change is measured against. An amount
                    # before it is the new level ("grew 9.9% to RM2.16 trillion from the same period last year").
                    found = mention if number.kind not in ("money", "count") else None
                elif (_ATTACH_GAP.fullmatch(gap) and len(gap) <= 30) or (mention.base and re.fullmatch(r"\s*", gap)):
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
            # "higher than in 2023", "since 2019": a period compared with; "more than expected in June" is not
            if (re.search(r"\b(?:since|than(?!\s+(?:expected|forecast|anticipated|predicted|estimated|feared|hoped)\b)|until|before"
                          r"|after|from|began in|compared with|against)\s+(?:the\s+)?(?:\w+\s+)?$", before, re.IGNORECASE)
                    or re.search(r"\b(?:on|over)\s+(?:the\s+)?$", before, re.IGNORECASE)) \
                    and not re.fullmatch(r"\s*(?:Over|During|Throughout)\s+(?:the\s+)?", before):
                continue
            if re.search(r"\bsince\b[^,;]*$", before, re.IGNORECASE):
                continue  # "the largest since comparable data became available in 1979"
            if _EVENT_BEFORE.search(before[-80:]):
                continue  # "the railway, which marked the third anniversary of its opening in December": an event's date
            if re.match(r"^\s*(?:-|–)?\s*(?:year|month)|^(?:'s|’s)|^\s+(?:level|figure|peak|high|low|record|total)\b",
                        view.between(mention.end, view.end)):
                continue
            if mention.kind == "year" and re.match(r"^\s+(?!(?:Annual|Full|First|Second|Third|Fourth|Half|Year|Quarter)\b)(?-i:[A-Z])",
                                                   view.between(mention.end, view.end)):
                continue  # "the 2025 EY China Overseas Investment Forum": part of a name
            period = self._resolve(mention, article, state, anchor)
            if period is None:
                continue
            alone = bool(re.match(r"^\s*alone\b", view.between(mention.end, view.end), re.IGNORECASE))
            out.append(Held(period, _cue("period", period.label, mention.text, mention.start, mention.end,
                                         view, mention.rule), only_here=alone))
        return out

    def _resolve(self, mention: PeriodMention, article: Article, state: DiscourseState,
                 anchor: Period | None) -> Period | None:
        """Resolve a period; "the month" is the single month the article last set."""
        if mention.kind == "this_month":
            return state.month.value if state.month else None
        if mention.kind == "last_n_months":
            from ..periods import _add_months, _count

            end = state.month.value if state.month else anchor
            n = _count(mention.group("n"))
            if end is None or not 1 <= n <= 12:
                return None
            return Period(_add_months(end.end.replace(day=1), -(n - 1)), end.end, "month")
        return resolve(mention, article.published, anchor, self._fiscal(state))

    def _fiscal(self, state: DiscourseState) -> tuple[int, bool]:
        """When the fiscal year of the article's economy starts, and how its one-year name counts."""
        table = self.fiscal_years
        economy = state.main.value if state.main else None
        name = (economy.within or economy.canonical) if economy else ""
        return table.get("starts", {}).get(name, table.get("default", 4)), name in table.get("named_by_start", ())

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
