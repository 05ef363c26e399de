"""Find numeric mentions and normalise them: amounts, currencies, percents, multipliers, words.

One regular expression, compiled once from `rules/currencies.yaml` and
`rules/numbers.yaml`, scans the text; spelled-out numbers ("one-third",
"Fourteen") are read by quantulum3, which does that part well. Its other
readings are routed around: it takes a bracketed amount for a negative one,
drops qualifiers and reads "year-on-year" as a duration.
"""
from __future__ import annotations

import bisect
import re
import warnings
from dataclasses import dataclass, field
from functools import lru_cache

from .foldscan import Twin, fold
from .rules import RuleSet

with warnings.catch_warnings():
    # quantulum3 warns that its optional classifier is missing; we never use it.
    warnings.simplefilter("ignore")
    from quantulum3 import parser as _q_parser


@dataclass(frozen=True)
class NumberMention:
    """A number as written, with its normalised value; kind says what sort of figure it is."""

    start: int
    end: int
    text: str
    value: float
    kind: str  # money | percent | points | times | count | fraction | ordinal | bare | word
    unit: str = ""  # ISO code, "percent", "percentage point", "times", counted unit
    rule: str = ""  # the rule that read the unit (currency, percent, counted thing)
    scale_rule: str = ""
    negative: bool = False  # a sign written in the text ("USD -4.01 billion")
    scaled: bool = False  # a scale word was written (billion, crore)
    alternatives: tuple[str, ...] = ()  # other currencies the same word names ("riyals": SAR, QAR, OMR...)


def _alternation(words: list[str], boundary: bool = True) -> str:
    parts = sorted({w for w in words}, key=len, reverse=True)
    escaped = [re.escape(w).replace(r"\ ", r"\s+") for w in parts]
    return "(?:" + "|".join(escaped) + ")"


@dataclass
class NumberScanner:
    """The compiled patterns and the lookup tables behind them."""

    pattern: re.Pattern
    word_pattern: re.Pattern
    currency_before: dict[str, tuple[str, str]]
    currency_after: dict[str, tuple[str, str]]
    scales: dict[str, tuple[float, str]]
    percent: dict[str, tuple[str, str]]
    times_rule: str
    counted: dict[str, tuple[str, str]]
    ordinals: dict[str, int]
    ordinal_rule: str
    word_values: dict[str, tuple[float, str]]
    ambiguous: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Case-free twins (foldscan.py): the same matches as the IGNORECASE patterns, found faster.
        self._twin, self._word_twin = Twin(self.pattern), Twin(self.word_pattern)

    def scan(self, text: str) -> list[NumberMention]:
        """Every numeric mention in `text`, in order of position, none overlapping."""
        folded = fold(text)
        # Words first: "a third" is a fraction, though "third" alone is an ordinal.
        found = [m for m in (self._read_words(match) for match in self._word_twin.finditer(text, folded)) if m]
        # The word mentions come from one finditer: in order and apart, so their ends are sorted
        # too and one bisection finds the only one a match could overlap (a scan of all was quadratic).
        starts, ends = [m.start for m in found], [m.end for m in found]
        for match in self._twin.finditer(text, folded):
            i = bisect.bisect_right(ends, match.start())
            if i < len(starts) and starts[i] < match.end():
                continue
            mention = self._read(match)
            if mention:
                found.append(mention)
        return sorted(found, key=lambda m: m.start)

    def _read(self, match: re.Match) -> NumberMention | None:
        g = match.groupdict()
        if g.get("ordinal") or g.get("ordnum") or g.get("ordno"):
            rank = self.ordinals[g["ordinal"].lower()] if g.get("ordinal") else int(g.get("ordnum") or g["ordno"])
            return NumberMention(match.start(), match.end(), match.group(0), float(rank),
                                 "ordinal", "rank", self.ordinal_rule)
        digits = g["num"].replace(",", "")
        try:
            value = float(digits)
        except ValueError:
            return None
        scale_word = (g.get("scale") or g.get("scale_attached") or "").lower()
        scale_rule = ""
        if scale_word:
            factor, scale_rule = self.scales[scale_word]
            value *= factor
        negative = bool(g.get("sign"))
        alternatives: tuple[str, ...] = ()
        before = g.get("cur_before")
        after = g.get("cur_after")
        start, end = match.start(), match.end()
        if before or after:
            code, rule = (self.currency_before[_norm(before)] if before else self.currency_after[_norm(after)])
            kind, unit = "money", code
            alternatives = self.ambiguous.get(_norm(before or after), ())
        elif g.get("pct"):
            unit, rule = self.percent[_norm(g["pct"])]
            kind = "percent" if unit == "percent" else "points"
        elif g.get("times"):
            kind, unit, rule = "times", "times", self.times_rule
        elif g.get("counted"):
            unit, rule = self.counted[_norm(g["counted"])]
            kind = "count"
        else:
            kind, unit, rule = "bare", "", ""
            # a bare number keeps only its digits (and scale): "2025", "16"
        return NumberMention(start, end, match.group(0), value, kind, unit, rule, scale_rule,
                             negative, bool(scale_word), alternatives if kind == "money" else ())

    def _read_words(self, match: re.Match) -> NumberMention | None:
        surface = match.group(0)
        key = surface.lower()
        if key in self.word_values:
            value, rule = self.word_values[key]
            return NumberMention(match.start(), match.end(), surface, value, "times", "times", rule)
        value = _spelled_out(key)
        if value is None:
            return None
        if value < 1:  # a fraction: share or change in percent
            return NumberMention(match.start(), match.end(), surface, round(value * 100, 3), "fraction",
                                 "percent", "nw-fraction")
        return NumberMention(match.start(), match.end(), surface, value, "word", "", "nw-cardinal")


_UNITS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
                 "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
_SCALE_WORDS = {"hundred": 1e2, "thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


def _common_spelled_out(surface: str) -> float | None:
    """The common forms ("a third", "two-fifths", "fourteen", "one million") read without quantulum3.

    quantulum3 reads any spelled-out number, but loading its tables costs seconds
    in every new process; tests/test_numbers.py checks that these readings agree
    with quantulum3's, which still reads every other form.
    """
    words = surface.replace("-", " ").split()
    if len(words) == 2 and words[1] in _DENOMINATORS and (words[0] == "a" or words[0] in _UNITS):
        numerator = 1 if words[0] == "a" else _UNITS[words[0]]
        return numerator / _DENOMINATORS[words[1]]
    if words == ["half"]:
        return 0.5
    value, scale = 0.0, 1.0
    if words and words[-1] in _SCALE_WORDS and len(words) > 1:
        scale = _SCALE_WORDS[words[-1]]
        words = words[:-1]
    if len(words) == 1 and words[0] in _UNITS:
        value = _UNITS[words[0]]
    elif len(words) == 1 and words[0] in _TENS:
        value = _TENS[words[0]]
    elif len(words) == 2 and words[0] in _TENS and words[1] in _UNITS and 0 < _UNITS[words[1]] < 10:
        value = _TENS[words[0]] + _UNITS[words[1]]
    else:
        return None
    return value * scale


@lru_cache(maxsize=4096)
def _spelled_out(surface: str) -> float | None:
    """A spelled-out number's value: the common forms directly, every other one by quantulum3."""
    common = _common_spelled_out(surface)
    if common is not None:
        return common
    return _quantulum_spelled_out(surface)


def _quantulum_spelled_out(surface: str) -> float | None:
    """quantulum3's reading of a spelled-out number."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            values = _q_parser.extract_spellout_values(surface)
        except Exception:  # quantulum3 raises on some odd strings; they are no figure
            return None
    return float(values[0]["new_surface"]) if len(values) == 1 else None


def _norm(surface: str) -> str:
    return re.sub(r"\s+", " ", surface.strip()).lower()


_SCANNERS: dict[str, NumberScanner] = {}


def number_scanner(rules: RuleSet) -> NumberScanner:
    """The scanner for a rule set, built once per distinct rules content."""
    if rules.digest not in _SCANNERS:
        _SCANNERS[rules.digest] = _build(rules)
    return _SCANNERS[rules.digest]


def _build(rules: RuleSet) -> NumberScanner:
    cur_before: dict[str, tuple[str, str]] = {}
    cur_after: dict[str, tuple[str, str]] = {}
    package_after, ambiguous = _package_currency_names()
    for word, codes in ambiguous.items():
        cur_after[word] = (codes[0], "pkg-babel-currencies")  # the economy's own currency is picked when linked
    for word, code in package_after.items():
        cur_after[word] = (code, "pkg-babel-currencies")
    for symbol, code in _package_currency_symbols().items():
        cur_before[_norm(symbol)] = (code, "pkg-babel-symbols")  # "NZ$", "₪": a rule's symbol wins below
    for entry in rules.section("currencies.yaml", "currencies"):
        for w in entry.get("before", []):
            cur_before[_norm(w)] = (entry["code"], entry["id"])
        for w in entry.get("after", []):
            cur_after[_norm(w)] = (entry["code"], entry["id"])
    scales = {_norm(w): (float(e["factor"]), e["id"]) for e in rules.section("numbers.yaml", "scales") for w in e["words"]}
    percent = {_norm(w): (e["unit"], e["id"]) for e in rules.section("numbers.yaml", "percent") for w in e["words"]}
    times_entries = rules.section("numbers.yaml", "multipliers")
    times_words = [w for e in times_entries for w in e["words"]]
    counted = {_norm(w): (e["unit"], e["id"]) for e in rules.section("numbers.yaml", "counted") for w in e["words"]}
    ordinals: dict[str, int] = {}
    ordinal_rule = ""
    for e in rules.section("numbers.yaml", "ordinals"):
        ordinals.update({k.lower(): int(v) for k, v in e["words"].items()})
        ordinal_rule = e["id"]
    word_values: dict[str, tuple[float, str]] = {}
    fraction_words: list[str] = []
    cardinal_words: list[str] = []
    for e in rules.section("numbers.yaml", "number_words"):
        if "value" in e:
            word_values.update({w.lower(): (float(e["value"]), e["id"]) for w in e["words"]})
        elif e["id"] == "nw-fraction":
            fraction_words += e["words"]
        else:
            cardinal_words += e["words"]

    # Symbols like "$" match as written; letter codes must not be glued to a word before them.
    before_alt = _alternation(list({w for e in rules.section("currencies.yaml", "currencies") for w in e.get("before", [])}
                                   | set(_package_currency_symbols())))
    after_alt = _alternation(list({w for e in rules.section("currencies.yaml", "currencies") for w in e.get("after", [])}
                                  | set(package_after) | set(ambiguous)))
    long_scales = [w for w in scales if len(w) > 1]
    scale_alt = _alternation(long_scales)
    attached_alt = _alternation(list(scales))
    pct_alt = _alternation(list(percent))
    times_alt = _alternation(times_words)
    counted_alt = _alternation(list(counted))
    ordinal_alt = _alternation(list(ordinals))
    number = r"(?:\d{1,3}(?:,\d{2,3})+|\d+)(?:\.\d+)?"
    pattern = (
        r"(?<![\w.,/])"
        rf"(?:(?P<cur_before>(?<![A-Za-z]){before_alt})\s?)?"
        r"(?P<sign>(?<![\w])[-−](?=\d))?"
        rf"(?P<num>{number})(?![\d,]*\.\d)(?!\d)"
        rf"(?:(?:\s|-)(?P<scale>{scale_alt})\b|(?P<scale_attached>{attached_alt})\b)?"
        rf"(?:(?:\s|-)?(?P<cur_after>{after_alt})\b)?"
        rf"(?:\s?(?P<pct>{pct_alt})(?![A-Za-z]))?"
        rf"(?:\s?(?P<times>{times_alt})\b)?"
        rf"(?:\s(?P<counted>{counted_alt})\b)?(?![A-Za-z])"
        rf"|(?<![\w-])(?P<ordinal>{ordinal_alt})(?![\w]|-(?!(?:largest|biggest|leading|ranked)\b))"
        r"|(?<![\w.])(?P<ordnum>\d{1,3})(?:st|nd|rd|th)\b"
        r"|\bNo\.\s?(?P<ordno>\d{1,3})\b(?!\s*(?:,\d|\.\d))"
    )
    fraction = _alternation(fraction_words)
    cardinal = _alternation(cardinal_words)
    words = list(word_values)
    word_pattern = (
        rf"\b(?:a|one|two|three|four|{cardinal})[- ]{fraction}\b(?![- ]on[- ])(?!\s+(?:earlier|ago|before|later)\b)|\bhalf\b"
        rf"|\b{_alternation(words)}\b"
        rf"|\b{cardinal}(?:[- ]{cardinal})*(?:\s(?:{scale_alt}))?(?=\s+(?:of\b|{counted_alt}\b))"
        rf"|(?:(?<=\bto )|(?<=\bat )|(?<=\breached )|(?<=\bexceeding ))(?!one\b){cardinal}\b(?!-)(?!\s+(?:{scale_alt}|percent|per\s+cent|%|times|of)\b)"
    )
    return NumberScanner(
        pattern=re.compile(pattern, re.IGNORECASE),
        word_pattern=re.compile(word_pattern, re.IGNORECASE),
        currency_before=cur_before, currency_after=cur_after, scales=scales, percent=percent,
        times_rule=times_entries[0]["id"] if times_entries else "", counted=counted,
        ordinals=ordinals, ordinal_rule=ordinal_rule, word_values=word_values,
        ambiguous={w: codes for w, codes in ambiguous.items()},
    )


@lru_cache(maxsize=1)
def _package_currency_symbols() -> dict[str, str]:
    """Symbols babel's CLDR data writes before amounts in English ("NZ$", "₪"), for current ISO 4217 currencies.

    Symbols no letters mark ("$", "¥") and codes written as symbols are left to
    rules/currencies.yaml, which says what a bare shared symbol means.
    """
    import pycountry
    from babel.numbers import get_currency_symbol

    out: dict[str, str] = {}
    for currency in pycountry.currencies:
        code = currency.alpha_3
        symbol = get_currency_symbol(code, locale="en")
        if code.startswith("X") or symbol == code or symbol in ("$", "¥", "¤") or " " in symbol or "\u202f" in symbol:
            continue
        out[symbol] = code
    return out


@lru_cache(maxsize=1)
def _package_currency_names() -> tuple[dict[str, str], dict[str, tuple[str, ...]]]:
    """Currency names from babel's CLDR data for every current ISO 4217 currency.

    Full names ("UAE dirhams", "Saudi riyal") name one currency; a bare last word
    ("dirhams") does too when no other current currency ends in it. A bare word
    several share ("riyals": SAR, QAR, OMR, YER) is kept with all its codes, and
    the linker picks the one of the economy the figure is about.
    """
    import pycountry
    from babel.numbers import get_currency_name

    full: dict[str, str] = {}
    last: dict[str, set[str]] = {}
    for currency in pycountry.currencies:
        code = currency.alpha_3
        if code.startswith("X"):
            continue  # gold, SDRs, test codes
        for count in (1, 2):
            name = get_currency_name(code, count=count, locale="en")
            if not name or name == code or "(" in name:
                continue
            full[_norm(name)] = code
            last.setdefault(_norm(name.split()[-1]), set()).add(code)
    # Funds codes name no money a story writes ("Colombian Real Value Unit"): their last words are plain English.
    generic = {"unit", "units", "value", "fund", "funds", "mark", "marks", "index", "point", "points", "gold", "silver"}
    unique = {word: next(iter(codes)) for word, codes in last.items()
              if len(codes) == 1 and len(word) > 2 and word not in generic}
    shared = {word: tuple(sorted(codes)) for word, codes in last.items() if len(codes) > 1 and word not in generic}
    return {**unique, **full}, shared
