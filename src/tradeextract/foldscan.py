"""Run case-insensitive regexes fast: a case-free twin searched over a folded copy of the text.

Python's `re` runs an IGNORECASE pattern slowly: it tries every position, and
at each one every alternative of an alternation (it only skips ahead over
alternatives that begin with a case-sensitive character). Here a pattern gets a
*twin* without IGNORECASE that is searched in `fold(text)`, a copy of the text
in which every character is replaced by one representative of the characters
IGNORECASE takes for equal (same length, so offsets agree). The twin matches
wherever the pattern does, perhaps at a few more places (where the pattern has
case-sensitive parts, such as capitalised month names), so it only says where
to try: `finditer` then runs the pattern itself there, and finds exactly what
`pattern.finditer(text)` finds. A pattern the rewriting does not understand
(a back-reference, a flag it does not know) gets no twin and is run as it is.
"""
from __future__ import annotations

import re
from typing import Iterator

import _sre

try:  # Python 3.11+
    from re import _casefix, _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore
    import sre_parse as _p  # type: ignore
    _casefix = None

# Characters IGNORECASE takes for equal beyond simple lower-casing ("ſ" and "s", "ı" and "i").
_EXTRA: dict[int, tuple[int, ...]] = getattr(_casefix, "_EXTRA_CASES", {}) if _casefix else {}
_CATEGORIES = (re.compile(r"\w"), re.compile(r"\d"), re.compile(r"\s"))


def _rep(code: int) -> int:
    """The representative of the characters IGNORECASE matches with `code`: the least of them, lower-cased."""
    low = _sre.unicode_tolower(code)
    return min((low, *_EXTRA.get(low, ())))


def _kinds(code: int) -> tuple[bool, ...]:
    char = chr(code)
    return tuple(bool(p.match(char)) for p in _CATEGORIES)


# Classes whose members differ in \w, \d or \s (only the Greek iota's: "ͅ" is a combining mark):
# folding them would change what \b and \w see, so their characters are kept as they are.
_MIXED = {_rep(c) for k, extra in _EXTRA.items() for c in (k, *extra, ord(chr(k).upper()[0]))
          if _kinds(c) != _kinds(_rep(c))}


def _image(code: int) -> int:
    """What a character becomes in the folded text."""
    rep = _rep(code)
    return code if rep in _MIXED else rep


def fold(text: str) -> str:
    """`text` with each character replaced by its representative (same length)."""
    if text.isascii():
        return text.lower()
    table = {}
    plain_lower = True
    for char in set(text):
        code = ord(char)
        if code < 128:
            continue
        image = _image(code)
        table[code] = image
        lowered = char.lower()
        if len(lowered) != 1 or ord(lowered) != image:
            plain_lower = False
    # str.lower is fast C; it gives the same text when every character lowers to its representative.
    return text.lower() if plain_lower else text.translate(_ASCII_LOWER | table)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


class _Unsupported(Exception):
    """A construct the rewriting cannot turn into a twin."""


_AT = {_c.AT_BEGINNING: "^", _c.AT_BEGINNING_STRING: r"\A", _c.AT_BOUNDARY: r"\b",
       _c.AT_NON_BOUNDARY: r"\B", _c.AT_END: "$", _c.AT_END_STRING: r"\Z"}
_CATEGORY = {_c.CATEGORY_DIGIT: r"\d", _c.CATEGORY_NOT_DIGIT: r"\D", _c.CATEGORY_SPACE: r"\s",
             _c.CATEGORY_NOT_SPACE: r"\S", _c.CATEGORY_WORD: r"\w", _c.CATEGORY_NOT_WORD: r"\W"}
_REPEATS = {_c.MAX_REPEAT: "", _c.MIN_REPEAT: "?"}
if hasattr(_c, "POSSESSIVE_REPEAT"):
    _REPEATS[_c.POSSESSIVE_REPEAT] = "+"
_MAX_RANGE = 4096  # a wider character range is not folded one character at a time
_I, _S = re.IGNORECASE, re.DOTALL
_UNKNOWN_FLAGS = re.ASCII | re.LOCALE


def _images(codes, icase: bool) -> tuple[set[int], bool]:
    """The folded forms of characters a pattern names, and whether they stand for no others.

    Under IGNORECASE a character's image stands for exactly what the pattern accepts;
    without it ("January" in a case-sensitive group) the image also stands for the
    other case: a superset, so not exact.
    """
    images, exact = set(), True
    for code in codes:
        rep = _rep(code)
        if rep in _MIXED:
            raise _Unsupported("a character whose case forms differ in kind")
        images.add(rep)
        if not icase and (_sre.unicode_iscased(code) or code in _EXTRA):
            exact = False
    return images, exact


def _fold_in(items, icase: bool) -> tuple[tuple, bool]:
    """A character class (or one character) for the folded text."""
    negate = bool(items) and items[0][0] is _c.NEGATE
    codes, categories = [], []
    for op, av in items[1:] if negate else items:
        if op is _c.LITERAL:
            codes.append(av)
        elif op is _c.RANGE:
            if av[1] - av[0] > _MAX_RANGE:
                raise _Unsupported("a wide range")
            codes.extend(range(av[0], av[1] + 1))
        elif op is _c.CATEGORY and av in _CATEGORY:
            categories.append((op, av))
        else:
            raise _Unsupported(f"class item {op}")
    images, exact = _images(codes, icase)
    if negate and not exact:
        raise _Unsupported("a negated case-sensitive class")  # its image would exclude too much
    if len(images) == 1 and not categories:
        return ((_c.NOT_LITERAL if negate else _c.LITERAL), images.pop()), exact
    members = [(_c.NEGATE, None)] if negate else []
    return (_c.IN, members + categories + [(_c.LITERAL, code) for code in sorted(images)]), exact


def _fold_seq(items, icase: bool) -> tuple[list, bool]:
    out, exact = [], True
    for op, av in items:
        item, ok = _fold_item(op, av, icase)
        if item is not None:
            out.append(item)
        exact = exact and ok
    return out, exact


def _fold_item(op, av, icase: bool) -> tuple[tuple | None, bool]:
    """One item of a parsed pattern, rewritten for the folded text, and whether exactly."""
    if op is _c.LITERAL:
        return _fold_in([(op, av)], icase)
    if op is _c.NOT_LITERAL:
        return _fold_in([(_c.NEGATE, None), (_c.LITERAL, av)], icase)
    if op is _c.IN:
        return _fold_in(av, icase)
    if op is _c.ANY:
        return (op, av), True  # DOTALL patterns get no twin, so "." is "not a line break" both ways
    if op is _c.AT and av in _AT:
        return (op, av), True
    if op is _c.BRANCH:
        parts = [_fold_seq(alternative, icase) for alternative in av[1]]
        return (op, (None, [p for p, _ in parts])), all(ok for _, ok in parts)
    if op is _c.SUBPATTERN:
        group, add, remove, body = av
        if (add | remove) & (_UNKNOWN_FLAGS | _S):
            raise _Unsupported("a scoped flag")
        inner, ok = _fold_seq(body, (icase or bool(add & _I)) and not remove & _I)
        return (op, (group, 0, 0, inner)), ok
    if op in _REPEATS:
        low, high, body = av
        inner, ok = _fold_seq(body, icase)
        return (op, (low, high, inner)), ok
    if op is _ATOMIC:
        inner, ok = _fold_seq(av, icase)
        return (op, inner), ok
    if op is _c.ASSERT:
        direction, body = av
        inner, ok = _fold_seq(body, icase)
        return (op, (direction, inner)), ok
    if op is _c.ASSERT_NOT:
        direction, body = av
        try:
            inner, ok = _fold_seq(body, icase)
        except _Unsupported:
            ok = False
        if not ok:
            # A test that the text is *not* something is kept only if its twin is exact;
            # dropped, the twin accepts more, which is safe (the pattern itself decides).
            return None, False
        return (op, (direction, inner)), True
    raise _Unsupported(f"operator {op}")


_ATOMIC = getattr(_c, "ATOMIC_GROUP", object())
_ANY_CHAR = (_c.IN, [(_c.CATEGORY, _c.CATEGORY_SPACE), (_c.CATEGORY, _c.CATEGORY_NOT_SPACE)])


def _zero_width(item) -> bool:
    """An item that consumes nothing and captures nothing (it can be tested one character later)."""
    op, av = item
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return not _has_group([item])
    if op is _c.BRANCH:
        return all(all(_zero_width(i) for i in alt) for alt in av[1])
    return False


def _has_group(items) -> bool:
    for op, av in items:
        if op is _c.SUBPATTERN and av[0] is not None:
            return True
        if op is _c.BRANCH and any(_has_group(alt) for alt in av[1]):
            return True
        body = _body(op, av)
        if body is not None and _has_group(body):
            return True
    return False


def _body(op, av):
    if op is _c.SUBPATTERN:
        return av[3]
    if op in _REPEATS:
        return av[2]
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        return av[1]
    if op is _ATOMIC:
        return av
    return None


def _hoist(items, held=()) -> list:
    """The same pattern with tests that come before the first character moved just after it.

    `re` skips quickly to where a pattern's first character occurs, and past an
    alternative whose first character does not fit, but only when the pattern
    starts with that character: "\\bthe" is tried everywhere, "t(?<=\\bt)he" only
    at a "t". A zero-width test Z before a character c is the same as
    (?<=Z[\\s\\S]) after it.
    """
    items = list(items)
    held = list(held)
    while items and _zero_width(items[0]):
        held.append(items.pop(0))
    if not items:
        return held
    (op, av), rest = items[0], items[1:]
    if op in (_c.LITERAL, _c.NOT_LITERAL, _c.IN) or op is _c.ANY:
        moved = [(_c.ASSERT, (-1, held + [_ANY_CHAR]))] if held else []
        return [(op, av)] + moved + rest
    if op is _c.SUBPATTERN:
        group, add, remove, body = av
        return [(op, (group, add, remove, _hoist(body, held)))] + rest
    if op is _c.BRANCH:
        return [(op, (None, [_hoist(alt, held) for alt in av[1]]))] + rest
    return held + items


# Hoisting pays only where the first character is rare: before a common letter, the moved
# test runs at every occurrence of it, which costs more than a "\\b" failing inside words.
_SELECTIVE = 4


def _hoist_selective(items) -> list:
    """`items` with the alternatives (at the top) hoisted whose first characters are few."""
    if len(items) == 1 and items[0][0] is _c.BRANCH:
        return [(_c.BRANCH, (None, [_hoist_selective(alt) for alt in items[0][1][1]]))]
    hoisted = _hoist(items)
    first = _first_chars(hoisted)
    return hoisted if first is not None and len(first) <= _SELECTIVE else items


def _first_chars(items) -> set[int] | None:
    """The characters a match of hoisted `items` can begin with, or None when they are many or unknown."""
    if not items:
        return None
    op, av = items[0]
    if op is _c.LITERAL:
        return {av}
    if op is _c.IN and all(o is _c.LITERAL for o, _ in av):
        return {a for _, a in av}
    if op is _c.SUBPATTERN:
        return _first_chars(av[3])
    if op is _c.BRANCH:
        found: set[int] = set()
        for alt in av[1]:
            chars = _first_chars(alt)
            if chars is None:
                return None
            found |= chars
        return found
    return None


def _emit(items, names: dict[int, str]) -> str:
    return "".join(_emit_item(op, av, names) for op, av in items)


def _emit_item(op, av, names: dict[int, str]) -> str:
    if op is _c.LITERAL:
        return re.escape(chr(av))
    if op is _c.NOT_LITERAL:
        return "[^" + _esc(av) + "]"
    if op is _c.IN:
        negate = bool(av) and av[0][0] is _c.NEGATE
        inner = "".join(_CATEGORY[a] if o is _c.CATEGORY else _esc(a) for o, a in (av[1:] if negate else av))
        return "[" + ("^" if negate else "") + inner + "]"
    if op is _c.ANY:
        return r"[^\n]"
    if op is _c.AT:
        return _AT[av]
    if op is _c.BRANCH:
        return "(?:" + "|".join(_emit(alt, names) for alt in av[1]) + ")"
    if op is _c.SUBPATTERN:
        group, _add, _remove, body = av
        opening = "(?:" if group is None else (f"(?P<{names[group]}>" if group in names else "(")
        return opening + _emit(body, names) + ")"
    if op in _REPEATS:
        low, high, body = av
        bound = f"{{{low},}}" if high == _c.MAXREPEAT else f"{{{low},{high}}}"
        return f"(?:{_emit(body, names)}){bound}{_REPEATS[op]}"
    if op is _ATOMIC:
        return "(?>" + _emit(av, names) + ")"
    if op in (_c.ASSERT, _c.ASSERT_NOT):
        direction, body = av
        opening = {(True, 1): "(?=", (True, -1): "(?<=", (False, 1): "(?!", (False, -1): "(?<!"}
        return opening[op is _c.ASSERT, direction] + _emit(body, names) + ")"
    raise _Unsupported(f"operator {op}")  # pragma: no cover - _fold_item lets no other through


def _esc(code: int) -> str:
    return f"\\U{code:08x}"


class Twin:
    """A pattern with its twin: `finditer` finds what the pattern's own finditer finds, faster."""

    def __init__(self, pattern: re.Pattern):
        self.pattern = pattern
        self.twin: re.Pattern | None = None
        self.exact = False
        self.starter: re.Pattern | None = None
        made = _make_twin(pattern)
        if made is not None:
            self.twin, self.exact = made
            self.starter = _starter(self.twin)

    def finditer(self, text: str, folded: str | None = None) -> Iterator[re.Match]:
        """What `pattern.finditer(text)` yields; `folded` is `fold(text)` when the caller has it."""
        if self.twin is None:
            yield from self.pattern.finditer(text)
            return
        if folded is None:
            folded = fold(text)
        search, match, exact = self.twin.search, self.pattern.match, self.exact
        starter, twin_match = self.starter, self.twin.match
        pos = 0
        while True:
            if starter is None:
                candidate = search(folded, pos)
            else:  # where the twin matches, found faster; the twin's own match gives the groups
                found = starter.search(folded, pos)
                candidate = None if found is None else twin_match(folded, found.start())
            if candidate is None:
                return
            if exact:  # the twin's match is the pattern's, offset for offset
                yield FoldedMatch(candidate, text)
                pos = candidate.end()
                continue
            start = candidate.start()
            found = match(text, start)
            if found is None:
                pos = start + 1
                continue
            yield found
            pos = found.end()  # never empty: patterns that can be have no twin


# Characters too common for a starter to skip much: a class with one of these is no help.
_COMMON = {_c.CATEGORY_WORD, _c.CATEGORY_NOT_WORD, _c.CATEGORY_NOT_SPACE, _c.CATEGORY_NOT_DIGIT}


def _starter(twin: re.Pattern) -> re.Pattern | None:
    """A pattern that matches (one character) exactly where `twin` matches, found faster; or None.

    `re` tries a pattern at every position of the text, unless it begins with a
    character class: then it skips in C to the next character of that class. So
    when every match of the twin begins with a character of a known class C,
    "C(?<=(?=twin)[\\s\\S])" matches at the same places (the look-behind steps back
    over the character and tests the twin there), and is tried only where a
    character of C stands.
    """
    try:
        first = _first_class(list(_p.parse(twin.pattern, twin.flags)))
        if first is None or any(op is _c.CATEGORY and av in _COMMON for op, av in first):
            return None
        first = list(dict.fromkeys(first))  # each character once (alternatives often share one)
        return re.compile(f"{_emit_item(_c.IN, first, {})}(?<=(?={twin.pattern})[\\s\\S])", twin.flags)
    except Exception:  # noqa: BLE001 - re's private parser differs, or the look-behind is refused: no starter
        return None


def _first_class(items) -> list | None:
    """Items of a character class holding every character a match of `items` can begin with, or None.

    Zero-width tests are stepped over (they take no character); an optional part
    adds its first characters to those of what follows it.
    """
    found: list = []
    for op, av in items:
        if _takes_nothing(op, av):
            continue
        if op is _c.LITERAL:
            return found + [(op, av)]
        if op is _c.IN:
            if not av or av[0][0] is _c.NEGATE or any(o not in (_c.LITERAL, _c.RANGE, _c.CATEGORY) for o, _ in av):
                return None
            return found + list(av)
        if op in (_c.SUBPATTERN, _ATOMIC) or op in _REPEATS:
            body = av if op is _ATOMIC else av[3] if op is _c.SUBPATTERN else av[2]
            inner = _first_class(list(body))
            if inner is None:
                return None
            found += inner
            if op in _REPEATS and av[0] == 0:
                continue  # optional: what follows may come first
            if _can_be_empty(body):
                return None
            return found
        if op is _c.BRANCH:
            for alternative in av[1]:
                inner = _first_class(list(alternative))
                if inner is None or _can_be_empty(alternative):
                    return None
                found += inner
            return found
        return None  # any character, a negated one, or an operator not known here
    return None  # the whole pattern may match nothing: no class to start from


def _takes_nothing(op, av) -> bool:
    """A test that takes no character: an anchor, a look-around, or alternatives of these ("(?<=\\bto )|(?<=\\bat )")."""
    if op in (_c.AT, _c.ASSERT, _c.ASSERT_NOT):
        return True
    return op is _c.BRANCH and all(alt and all(_takes_nothing(o, a) for o, a in alt) for alt in av[1])


def _can_be_empty(items) -> bool:
    """Whether `items` may match the empty string (then what follows them may come first)."""
    sub = _p.SubPattern(_p.State(), list(items))
    return sub.getwidth()[0] == 0


def _make_twin(pattern: re.Pattern) -> tuple[re.Pattern, bool] | None:
    if not isinstance(pattern.pattern, str) or pattern.flags & (_UNKNOWN_FLAGS | _S):
        return None
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
        if parsed.getwidth()[0] == 0:
            return None  # a pattern that can match nothing steps through empty matches: left to re
        flags = parsed.state.flags
        if flags & (_UNKNOWN_FLAGS | _S):
            return None
        items, exact = _fold_seq(list(parsed), bool(flags & _I))
        names = {index: name for name, index in pattern.groupindex.items()}
        compiled = re.compile(_emit(_hoist_selective(items), names), flags & re.MULTILINE)
    except Exception:  # noqa: BLE001 - _Unsupported, re.error, or re's private parser changed: run the pattern as it is
        return None
    if compiled.groups != pattern.groups or compiled.groupindex != pattern.groupindex:
        return None  # pragma: no cover - a safeguard: the twin's groups must be the pattern's
    return compiled, exact


class FoldedMatch:
    """A match of an exact twin in the folded text, read as the pattern's match in the text itself."""

    __slots__ = ("_match", "_text")

    def __init__(self, match: re.Match, text: str):
        self._match, self._text = match, text

    def start(self, group: int | str = 0) -> int:
        return self._match.start(group)

    def end(self, group: int | str = 0) -> int:
        return self._match.end(group)

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return self._match.span(group)

    def group(self, *groups: int | str):
        values = [self._cut(g) for g in groups or (0,)]
        return values[0] if len(values) == 1 else tuple(values)

    __getitem__ = _cut = lambda self, group: _cut(self, group)  # noqa: E731

    def groupdict(self, default=None) -> dict:
        spans, text = self._match.regs, self._text
        return {name: (default if spans[i][0] < 0 else text[spans[i][0]:spans[i][1]])
                for name, i in self._match.re.groupindex.items()}


def _cut(folded: FoldedMatch, group: int | str) -> str | None:
    start, end = folded._match.span(group)
    return None if start < 0 else folded._text[start:end]
