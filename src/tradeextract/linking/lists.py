"""Lists of figures distributed over lists of items ("respectively", ranges, implicit pairs)."""
from __future__ import annotations

import re

from ..mentions import SentenceView
from ..numbers import NumberMention
from .helpers import _chains, _distinct, _distinct_cues, _split_flow_pair, _trailing_list
from .patterns import _RESPECTIVELY, _RANGE_TO
from .state import Reading


class ListsMixin:
    """Lists of figures distributed over lists of items ("respectively", ranges, implicit pairs)."""

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
