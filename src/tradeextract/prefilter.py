"""A quick test that a regular expression cannot match a text, to skip scanning it.

`required_literals(pattern)` reads a compiled pattern and returns words of
which every match must contain one (lower-case ASCII), or None when it cannot
tell. `fold(text)` maps the text so that `word in fold(text)` is true wherever
the pattern could match, with or without re.IGNORECASE: ASCII letters are
lowered, and the few other characters that IGNORECASE takes for an ASCII letter
("ı", "ſ", the Kelvin sign) become that letter. The test only ever skips a
pattern that finds nothing, so results are those of scanning every time.
"""
from __future__ import annotations

import functools
import re
import string

try:  # Python 3.11+
    from re import _constants as _c, _parser as _p
except ImportError:  # pragma: no cover - older Pythons
    import sre_constants as _c  # type: ignore
    import sre_parse as _p  # type: ignore

_WORD_CHARS = set(string.ascii_letters + string.digits + " ")


def required_literals(pattern: re.Pattern) -> frozenset[str] | None:
    """Words (at least 3 characters) one of which every match of `pattern` contains, or None."""
    try:
        parsed = _p.parse(pattern.pattern, pattern.flags)
    except Exception:  # noqa: BLE001 - no filter rather than a wrong one
        return None
    found = _of_sequence(list(parsed))
    return frozenset(found) if found else None


def _of_sequence(items: list) -> set[str] | None:
    candidates: list[set[str]] = []
    run = ""
    for op, arg in items:
        if op is _c.LITERAL and chr(arg) in _WORD_CHARS:
            run += chr(arg).lower()
            continue
        if len(run) >= 3:
            candidates.append({run})
        run = ""
        sub = None
        if op is _c.SUBPATTERN:
            sub = _of_sequence(list(arg[-1]))
        elif op is _c.BRANCH:
            sub = set()
            for alternative in arg[1]:
                got = _of_sequence(list(alternative))
                if not got:
                    sub = None
                    break
                sub |= got
        elif op in (_c.MAX_REPEAT, _c.MIN_REPEAT, getattr(_c, "POSSESSIVE_REPEAT", None)) and arg[0] >= 1:
            sub = _of_sequence(list(arg[2]))
        elif op is getattr(_c, "ATOMIC_GROUP", None):
            sub = _of_sequence(list(arg))
        if sub:
            candidates.append(sub)
    if len(run) >= 3:
        candidates.append({run})
    if not candidates:
        return None
    return max(candidates, key=lambda words: (min(len(w) for w in words), -len(words)))


@functools.lru_cache(maxsize=None)
def _ascii_twin(char: str) -> str:
    """The ASCII letter IGNORECASE takes `char` for, else `char`."""
    for letter in string.ascii_lowercase:
        if re.fullmatch(letter, char, re.IGNORECASE):
            return letter
    return char


_ASCII_LOWER = {ord(c): c.lower() for c in string.ascii_uppercase}


def fold(text: str) -> str:
    """The text as `required_literals` words are looked for in it (same length, one character each)."""
    if text.isascii():
        return text.lower()
    table = dict(_ASCII_LOWER)
    for char in set(text):
        if not char.isascii():
            twin = _ascii_twin(char)
            if twin != char:
                table[ord(char)] = twin
    return text.translate(table)
