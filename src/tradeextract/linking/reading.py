"""How the words around a number read: no fact, measure, qualifier, sign."""
from __future__ import annotations

import re

from ..mentions import SentenceView
from ..numbers import NumberMention
from ..periods import is_over, resolve
from ..records import Cue
from .helpers import _cue, _is_policy_rate, _singular
from .patterns import _CALENDAR_AFTER, _BASE_BEFORE, _CHANGE_AMOUNT_BEFORE, _MULTIPLE_AFTER, _OR_AFTER_CHANGE, _CHANGE_AMOUNT_AFTER, _TO_BEFORE, _RANK_BEFORE, _RANK_AFTER, _NOT_RANK_AFTER, _NUMBER_OF, _OF_THE_BEFORE, _OF_THE_AFTER, _SCALED_NOUN_AFTER
from .state import Reading


class ReadingMixin:
    """How the words around a number read: no fact, measure, qualifier, sign."""

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
        earlier = [n for n in view.numbers if n.end <= number.start]
        if number.kind == "percent" and earlier and earlier[-1].start in self._policy_numbers and re.fullmatch(
                r"[^,;\d]{0,80}?\band\s+", view.between(earlier[-1].end, number.start)):
            self._policy_numbers.add(number.start)
            return "policy setting (tariff, duty, quota)"  # "an additional 10 percent tariff ... and 25 percent on ..."
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
            per_unit = number.kind == "money" and re.match(
                r"^\s*(?:a|per)\s+(?:tonne|ton|barrel|unit|kilogram|kg)\b", after, re.IGNORECASE)
            if cue.value == "policy setting" and (number.kind == "percent" or per_unit) and _is_policy_rate(cue, number, view):
                self._policy_numbers.add(number.start)
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
            compared_to_a_figure = re.match(r"^[^\d;]{0,40}?\bthan\s+(?:the\s+|a\s+)?(?-i:[^\d\sa-z]{0,4})\s?\d", after)
            # "to SR17.3 billion, more than a quarter of the non-oil total": a bound on its share, not a difference
            share_bound = re.match(r"^,\s*(?:more|less|fewer)\s+than\s+(?:a\s+)?[\w.%-]+\s*(?:per\s*cent|percent)?\s+of\b",
                                   after, re.IGNORECASE)
            # "25.9 percent, or SR48.6 billion, of the total": the share restated as an amount
            restated_share = re.match(r"^,?\s*of\s", after)
            if _CHANGE_AMOUNT_BEFORE.search(before) or (_CHANGE_AMOUNT_AFTER.match(after) and not _MULTIPLE_AFTER.match(after)
                                                        and not compared_to_a_figure and not share_bound):
                measure = "change"
            elif self._right_after_change_word(number, view) or (_OR_AFTER_CHANGE.search(before) and not restated_share):
                measure = "change"
        cues.append(_cue("measure", measure, number.text, number.start, number.end, view, number.rule))
        qualifier = ""
        qual_cue = self._qualifier(number, view)
        if qual_cue:
            qualifier = qual_cue.value
            cues.append(qual_cue)
        sign = -1 if number.negative else 1
        return Reading(measure, unit, value, sign, qualifier, cues, counted_economies)

    def _previous_count(self, view: SentenceView, number: NumberMention) -> str:
        """The unit of the count just before ("reached 27,635, 1,948 more than ..."), if any."""
        earlier = [n for n in view.numbers if n.end <= number.start and n.kind in ("bare", "count", "word")]
        if not earlier:
            return ""
        reading = self._read(earlier[-1], view) if earlier[-1].kind != "count" else None
        return earlier[-1].unit if earlier[-1].kind == "count" else (reading.unit if reading else "")

    def _right_after_change_word(self, number: NumberMention, view: SentenceView) -> bool:
        """"rose $19.5 billion, or 24.7%, to $98.4 billion": an amount straight after a change verb."""
        for cue in view.cues_of("CHANGE_UP", "CHANGE_DOWN"):
            gap = view.between(cue.end, number.start)
            if cue.end <= number.start and re.fullmatch(r"\s*(?:(?:by|about|nearly|some|almost|around|roughly|more than|over)\s+)*", gap):
                if re.search(r"\b(?:a|an)\s+$", view.between(cue.start - 4, cue.start), re.IGNORECASE):
                    return False  # "the deficit was a narrower £6.3bn": an adjective of the level
                return cue.text.lower() not in ("higher", "lower", "below", "above")
        return False

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

    def _direction(self, view: SentenceView, number: NumberMention) -> tuple[int, Cue | None]:
        comparative = _CHANGE_AMOUNT_AFTER.match(view.between(number.end, view.end))
        if comparative:
            group = next(g for g in ("dir", "dir_at", "dir2") if comparative.group(g))
            word = comparative.group(group).lower()
            direction = -1 if word in ("less", "lower", "fewer", "below", "smaller", "narrower") else 1
            at = number.end + comparative.start(group)
            return direction, _cue("sign", "negative" if direction < 0 else "positive", word, at, at + len(word),
                                   view, "chg-down" if direction < 0 else "chg-up")
        words = view.cues_of("CHANGE_UP", "CHANGE_DOWN")
        # "3.2% lower", "13.4% and 13.1% higher respectively": a word right after; not one that starts
        # the next item ("decreased by 0.8% and increased by 2.4%"), nor across a comma
        right = [c for c in words if 0 <= c.start - number.end <= 12
                 and not re.search(r"[,;]", view.between(number.end, c.start))
                 and not (re.search(r"\b(?:and|or|while|but)\b", view.between(number.end, c.start))
                          and re.match(r"\s+(?:by\s+)?(?:about\s+|nearly\s+|some\s+)?(?-i:[^\d\sa-z]{0,4})\d",
                                       view.between(c.end, c.end + 30)))]
        left = [c for c in words if c.end <= number.start]
        chosen = right[0] if right else (left[-1] if left else None)
        if chosen is None:
            return 1, None
        direction = -1 if chosen.label == "CHANGE_DOWN" else 1
        return direction, _cue("sign", "negative" if direction < 0 else "positive", chosen.text, chosen.start,
                               chosen.end, view, chosen.rule)
