"""Find period expressions and resolve them to ISO start/end dates.

The patterns live in `rules/periods.yaml`; this module knows what each `kind`
means. Relative words ("last year", "December") resolve against the
publication date; base-period phrases ("a year earlier") against the figure's
own period.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from .foldscan import Twin, fold
from .prefilter import required_literals
from .rules import RuleSet

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
COUNTS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}
ORDINALS = {"first": 1, "second": 2, "third": 3, "fourth": 4, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
            "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class Period:
    """A calendar span with the short label of the contract (`2025-Q1–Q3`)."""

    start: dt.date
    end: dt.date
    style: str  # year | half | quarter | month | day

    @property
    def label(self) -> str:
        return period_label(self.start, self.end, self.style)

    def shifted(self, years: int = 0, months: int = 0) -> "Period":
        """The same span moved back or forward (for "a year earlier", "the previous month")."""
        start = _add_months(self.start, 12 * years + months)
        end = _month_end(_add_months(self.end.replace(day=1), 12 * years + months)) \
            if self.end == _month_end(self.end) else _add_months(self.end, 12 * years + months)
        return Period(start, end, self.style)

    def contains(self, other: "Period") -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True)
class PeriodMention:
    start: int
    end: int
    text: str
    kind: str
    rule: str
    base: bool
    groups: tuple[tuple[str, str], ...]

    def group(self, name: str) -> str:
        return dict(self.groups).get(name) or ""


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def period_label(start: dt.date, end: dt.date, style: str) -> str:
    y = start.year
    if style == "year" and start.year == end.year:
        return f"{y}"
    if style == "half":
        return f"{y}-H{1 if start.month == 1 else 2}"
    if style == "quarter":
        q1, q2 = (start.month - 1) // 3 + 1, (end.month - 1) // 3 + 1
        return f"{y}-Q{q1}" if q1 == q2 else f"{y}-Q{q1}–Q{q2}"
    if style == "month":
        if start.year != end.year:
            return f"{y}-{start.month:02d}–{end.year}-{end.month:02d}"
        if start.month == end.month:
            return f"{y}-{start.month:02d}"
        return f"{y}-{start.month:02d}–{end.month:02d}"
    if start.year != end.year:
        return f"{start.isoformat()}–{end.isoformat()}"
    if start.month == end.month:
        return f"{y}-{start.month:02d}-{start.day:02d}–{end.day:02d}"
    return f"{y}-{start.month:02d}-{start.day:02d}–{end.month:02d}-{end.day:02d}"


def year_period(year: int) -> Period:
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), "year")


def month_span(year: int, first: int, last: int, style: str = "month") -> Period:
    return Period(dt.date(year, first, 1), _month_end(dt.date(year, last, 1)), style)


class PeriodScanner:
    """The period patterns of a rule set; where matches overlap the longest wins (then file order)."""

    def __init__(self, rules: RuleSet):
        self.rules = [e for e in rules.section("periods.yaml", "periods")]
        # Words one of which every match of a pattern holds: a text with none is not scanned.
        self.needs = [required_literals(e["_compiled"]) for e in self.rules]
        # Case-free twins (foldscan.py): each finds what its IGNORECASE pattern finds, faster.
        self.twins = [Twin(e["_compiled"]) for e in self.rules]

    def scan(self, text: str) -> list[PeriodMention]:
        candidates = []
        # foldscan's fold maps every character IGNORECASE matches with an ASCII letter to that
        # letter in lower case, as prefilter.fold does: the words `needs` holds are found in it too.
        folded = fold(text)
        for order, entry in enumerate(self.rules):
            needs = self.needs[order]
            if needs is not None and not any(word in folded for word in needs):
                continue
            for match in self.twins[order].finditer(text, folded):
                if match.end() > match.start():
                    candidates.append((-(match.end() - match.start()), order, match, entry))
        found: list[PeriodMention] = []
        for _, _, match, entry in sorted(candidates, key=lambda c: (c[0], c[1], c[2].start())):
            if any(m.start < match.end() and match.start() < m.end for m in found):
                continue
            groups = tuple((k, v) for k, v in match.groupdict().items() if v)
            found.append(PeriodMention(match.start(), match.end(), match.group(0), entry["kind"],
                                       entry["id"], bool(entry.get("base")), groups))
        return sorted(found, key=lambda m: m.start)


def _count(word: str) -> int:
    word = word.lower()
    return int(word) if word.isdigit() else COUNTS.get(word, 0)


def _latest_year(month_end: int, published: dt.date | None, fallback: int) -> int:
    """The year of the latest span ending in `month_end` that is over by publication."""
    if published is None:
        return fallback
    return published.year if month_end < published.month or (
        month_end == published.month and published.day > 20) else published.year - 1


def _latest_day_year(month: int, day: int, published: dt.date | None, fallback: int) -> int:
    """The year of the latest date with this month and day on or before publication."""
    if published is None:
        return fallback
    try:
        return published.year if dt.date(published.year, month, day) <= published else published.year - 1
    except ValueError:
        return published.year


def resolve(mention: PeriodMention, published: dt.date | None, anchor: Period | None,
            fiscal: tuple[int, bool] = (4, False)) -> Period | None:
    """The period a mention names, or None when it cannot be placed in time.

    `fiscal` is the month the economy's fiscal year starts in and whether its
    one-year name ("fiscal 2023") is the year it starts in rather than ends in.
    """
    try:
        return _resolve(mention, published, anchor, fiscal)
    except (ValueError, OverflowError):
        return None  # a year out of the calendar's range ("year 0" from a placeholder date)


def _resolve(mention: PeriodMention, published: dt.date | None, anchor: Period | None,
             fiscal: tuple[int, bool] = (4, False)) -> Period | None:
    kind = mention.kind
    g = mention.group
    pub_year = published.year if published else (anchor.end.year if anchor else None)
    explicit = int(g("year")) if g("year") else None
    rel = (g("rel") or g("rel2")).lower()

    def relative_year(default: int | None) -> int | None:
        if explicit:
            return explicit
        if rel in ("last", "previous", "past") and pub_year:
            return pub_year - 1
        if rel == "this" and pub_year:
            return pub_year
        if rel in ("next", "coming") and pub_year:
            return pub_year + 1
        return default

    if mention.base:
        if anchor is None:
            return None
        if explicit and kind == "base_year":
            return anchor.shifted(years=explicit - anchor.end.year)
        if kind == "base_month" and g("month"):
            month = MONTHS[g("month").lower().rstrip(".")]
            return month_span(anchor.end.year, month, month)
        return anchor.shifted(years=-1) if kind == "base_year" else anchor.shifted(months=-1)
    if kind == "year":
        if explicit:
            return year_period(explicit)
        year = relative_year(anchor.end.year if anchor and anchor.style == "year" else None)
        if year is None and anchor is not None:
            year = anchor.end.year
        if year is None and published is not None:
            # "for the year" with nothing set yet: early in a year, reports are about the year before
            year = published.year - 1 if published.month <= 3 else published.year
        return year_period(year) if year else None
    if kind == "month":
        month = MONTHS.get(g("month").lower().rstrip("."))
        if not month:
            return None
        year = relative_year(None) or (_latest_year(month, published, anchor.end.year if anchor else 0))
        return month_span(year, month, month) if year else None
    if kind == "month_range":
        m1 = MONTHS.get(g("month").lower().rstrip("."))
        m2 = MONTHS.get(g("month2").lower().rstrip("."))
        if not m1 or not m2:
            return None
        if g("yearA") and explicit and int(g("yearA")) != explicit:
            return Period(dt.date(int(g("yearA")), m1, 1), _month_end(dt.date(explicit, m2, 1)), "month")
        year = explicit or _latest_year(m2, published, anchor.end.year if anchor else 0)
        if not year:
            return None
        if m2 < m1:  # "July-June": a fiscal year, ending in the year given or last reached
            return Period(dt.date(year - 1, m1, 1), _month_end(dt.date(year, m2, 1)), "month")
        return month_span(year, m1, m2)
    if kind == "first_months":
        n = _count(g("n"))
        if not 1 <= n <= 12:
            return None
        year = relative_year(None) or _latest_year(n, published, anchor.end.year if anchor else 0)
        return month_span(year, 1, n) if year else None
    if kind == "ytd_month":
        month = MONTHS.get(g("month").lower().rstrip("."))
        if not month:
            return None
        year = explicit or _latest_year(month, published, anchor.end.year if anchor else 0)
        return month_span(year, 1, month) if year else None
    if kind == "months_to":
        n = _count(g("n")) if g("n") else 12  # "the year ended September 2024": twelve months
        month = MONTHS.get(g("month").lower().rstrip("."))
        if not month or not 1 <= n <= 12:
            return None
        year = explicit or _latest_year(month, published, anchor.end.year if anchor else 0)
        end = month_span(year, month, month)
        return Period(_add_months(end.start, -(n - 1)), end.end, "month") if year else None
    if kind == "first_quarters":
        n = _count(g("n"))
        year = relative_year(None) or _latest_year(3 * n, published, anchor.end.year if anchor else 0)
        return month_span(year, 1, 3 * n, "quarter") if year and 1 <= n <= 4 else None
    if kind == "quarter":
        q = ORDINALS.get(g("quarter").lower())
        year = relative_year(None) or (_latest_year(3 * q, published, anchor.end.year if anchor else 0) if q else None)
        return month_span(year, 3 * q - 2, 3 * q, "quarter") if q and year else None
    if kind == "half":
        h = ORDINALS.get(g("half").lower())
        year = relative_year(None) or (_latest_year(6 * h, published, anchor.end.year if anchor else 0) if h else None)
        return month_span(year, 6 * h - 5, 6 * h, "half") if h and year else None
    if kind in ("day_range", "first_days", "as_of"):
        month = MONTHS.get(g("month").lower().rstrip("."))
        if not month:
            return None
        last_day = _count(g("n")) if kind == "first_days" else int(g("day2") or g("day") or 1)
        last_month = MONTHS.get(g("month2").lower().rstrip(".")) if g("month2") else month
        year = explicit or _latest_day_year(last_month, last_day, published, anchor.end.year if anchor else 0)
        if not year:
            return None
        try:
            if kind == "as_of":
                return Period(dt.date(year, 1, 1), dt.date(year, month, int(g("day"))), "day")
            if kind == "first_days":
                return Period(dt.date(year, month, 1), dt.date(year, month, _count(g("n"))), "day")
            month2 = MONTHS.get(g("month2").lower().rstrip(".")) if g("month2") else month
            return Period(dt.date(year, month, int(g("day"))), dt.date(year, month2, int(g("day2"))), "day")
        except ValueError:
            return None
    if kind in ("fiscal_year", "fiscal_year_end"):
        start_month, named_by_start = fiscal
        first = explicit
        if kind == "fiscal_year_end":
            named = int(g("fy") or g("fy2") or 0)
            named += 2000 if named < 100 else 0
            first = named if named_by_start or start_month == 1 else named - 1
        if not first:
            return None
        start = dt.date(first, start_month, 1)
        return Period(start, _add_months(start, 12) - dt.timedelta(days=1), "month")
    if kind == "rel_month" and published:
        back = 1 if rel in ("last", "previous", "past") else (-1 if rel == "next" else 0)
        start = _add_months(published.replace(day=1), -back)
        return month_span(start.year, start.month, start.month)
    if kind == "rel_quarter" and published:
        q = (published.month - 1) // 3 + 1 - (1 if rel in ("last", "previous", "past") else 0)
        year = published.year
        if q == 0:
            q, year = 4, year - 1
        return month_span(year, 3 * q - 2, 3 * q, "quarter")
    return None


def is_over(period: Period, published: dt.date | None) -> bool:
    """Whether a period had ended by publication (a figure for it can be a fact)."""
    return published is None or period.end < published


_LABEL = re.compile(r"^(\d{4})(?:-(?:(H[12])|Q([1-4])(?:–Q([1-4]))?|(\d{2})(?:-(\d{2}))?(?:–(?:(\d{2})-)?(\d{2}))?))?$")


def parse_label(label: str) -> tuple[dt.date, dt.date] | None:
    """The start and end of a short period label (`2025`, `2025-H1`, `2025-Q1–Q3`, `2025-01–10`, `2024-03-01–10`)."""
    cross = re.match(r"^(\d{4})-(\d{2})–(\d{4})-(\d{2})$", label.strip())
    if cross:  # a span across years, e.g. a fiscal year: 2023-04–2024-03
        y1, m1, y2, m2 = map(int, cross.groups())
        return dt.date(y1, m1, 1), _month_end(dt.date(y2, m2, 1))
    m = _LABEL.match(label.strip())
    if not m:
        return None
    year = int(m.group(1))
    half, q1, q2, mo, day, mo2_or_day2, last = m.group(2, 3, 4, 5, 6, 7, 8)
    if half:
        first = 1 if half == "H1" else 7
        return dt.date(year, first, 1), _month_end(dt.date(year, first + 5, 1))
    if q1:
        a, b = int(q1), int(q2 or q1)
        return dt.date(year, 3 * a - 2, 1), _month_end(dt.date(year, 3 * b, 1))
    if mo and day is None:
        end_month = int(last) if last else int(mo)
        return dt.date(year, int(mo), 1), _month_end(dt.date(year, end_month, 1))
    if mo and day:
        start = dt.date(year, int(mo), int(day))
        end_month = int(mo2_or_day2) if mo2_or_day2 else int(mo)
        return start, dt.date(year, end_month, int(last)) if last else start
    return dt.date(year, 1, 1), dt.date(year, 12, 31)
