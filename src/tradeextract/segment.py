"""Sentence segmentation for news copy, as a spaCy component.

One paragraph a line, so a line break always ends a sentence. Inside a line a
sentence ends at ".", "!" or "?" before a capital, digit or quote, except
after abbreviations ("No. 1", "Dec. 10"); spaCy's tokenizer already keeps
"U.S." and "Dec." whole.

A run of text with no sentence end (a dump, a 1 MB line) is cut into
sentences of a few hundred tokens, preferably after a comma or semicolon:
the linker reads each sentence around each number, so an unbounded
sentence would make it quadratic. News sentences stay far below the cap
(the longest in the seeds and devset has 68 tokens).
"""
from __future__ import annotations

import numpy as np
from spacy.attrs import ORTH, SENT_START, SPACY
from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = {"no", "nos", "dec", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                 "oct", "nov", "mr", "mrs", "ms", "dr", "st", "co", "inc", "ltd", "corp", "vs", "approx",
                 "est", "fig", "vol", "rs", "u.s", "u.k", "e.g", "i.e"}
_ENDERS = {".", "!", "?"}
# A sentence this long is cut after the next clause break, at twice this after the
# next space, and at four times this anywhere.
MAX_SENTENCE_TOKENS = 250
_CLAUSE_BREAKS = {",", ";", ":", "—", "–"}
_MAX_CLOSERS = 4


_CLOSERS = {'"', "'", "”", "’", ")"}


@Language.component("trade_sentencizer")
def trade_sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts: after line breaks and after sentence-final punctuation."""
    if len(doc) == 0:
        return doc
    # Token texts and trailing spaces read from arrays, as plain strings: a spaCy Token
    # object made for every look at a token cost more than the rest of the work.
    texts, spaces = _tokens(doc)
    # All at once: setting `token.is_sent_start` one token at a time rescans the
    # whole Doc on every call, which is quadratic in the length of the article.
    starts = [-1] * len(texts)
    starts[0] = 1
    # Only after a line break, an ender or a closer can a sentence start (see _starts_sentence):
    # the other tokens, most of them, are passed over without a call.
    for i in [i for i, prev in enumerate(texts[:-1], 1) if prev[-1:] in _AFTER or "\n" in prev]:
        if _starts_sentence(texts, spaces, i):
            starts[i] = 1
    _cut_long(texts, spaces, starts)
    doc.from_array([SENT_START], np.array(starts, dtype="int64").view("uint64"))
    return doc


# The last character of a token a sentence can start after: an ender, a dot ending an abbreviation-like
# word, or a closer after one.
_AFTER = _ENDERS | _CLOSERS


def _cut_long(texts: list[str], spaces: list[bool], starts: list[int]) -> None:
    """Mark the cuts _too_long asks for in sentences of MAX_SENTENCE_TOKENS tokens or more."""
    bounds = [i for i, start in enumerate(starts) if start == 1] + [len(starts)]
    for first, end in zip(bounds, bounds[1:]):
        if end - first <= MAX_SENTENCE_TOKENS:
            continue
        length = 1
        for i in range(first + 1, end):
            if _too_long(texts, spaces, i, length):
                starts[i] = 1
                length = 1
            else:
                length += 1


_TEXT_KEY = "tradeextract_text"


def _tokens(doc: Doc) -> tuple[list[str], list[bool]]:
    """Each token's text and whether a space follows it, without making Token objects."""
    cells = doc.to_array([ORTH, SPACY]).tolist()
    strings = doc.vocab.strings
    return [strings[orth] for orth, _ in cells], [bool(space) for _, space in cells]


def doc_text(doc: Doc) -> str:
    """`doc.text`, built once per Doc from arrays and kept in `doc.user_data`.

    spaCy's Doc.text joins a Token object made for every token, each time it is read;
    the scanning components read it once each.
    """
    cached = doc.user_data.get(_TEXT_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    texts, spaces = _tokens(doc)
    text = "".join([t + " " if space else t for t, space in zip(texts, spaces)])
    doc.user_data[_TEXT_KEY] = (len(doc), text)
    return text


def _too_long(texts: list[str], spaces: list[bool], i: int, length: int) -> bool:
    """Whether a sentence of `length` tokens so far must be cut before token `i`."""
    if length < MAX_SENTENCE_TOKENS:
        return False
    after_space = spaces[i - 1] and not texts[i].isspace()
    if length >= 4 * MAX_SENTENCE_TOKENS:
        return True
    if length >= 2 * MAX_SENTENCE_TOKENS:
        return after_space
    return after_space and texts[i - 1] in _CLAUSE_BREAKS


def _starts_sentence(texts: list[str], spaces: list[bool], i: int) -> bool:
    # A token's trailing whitespace is one space or none (spaCy makes longer runs, and line
    # breaks, tokens of their own), so a line break shows in a token's text.
    prev, token = texts[i - 1], texts[i]
    if "\n" in prev:
        return True
    if token.isspace():
        return False
    # Closing quotes and brackets stay with the sentence they end (a few of them: looking
    # back over a run of thousands, once per token, would be quadratic).
    j = i - 1
    while j > 0 and i - j <= _MAX_CLOSERS and texts[j] in _CLOSERS:
        j -= 1
    ender = texts[j]
    if ender not in _ENDERS and not (ender.endswith(".") and len(ender) > 1 and ender[0].isupper() and ender.count(".") == 1 and ender[:-1].isalpha() and ender[:-1].lower() not in ABBREVIATIONS):
        return False
    if j != i - 1 and prev not in _CLOSERS:
        return False
    if ender == "." and j > 0 and texts[j - 1].lower().rstrip(".") in ABBREVIATIONS and not spaces[j - 1]:
        return False
    first = token[:1]
    return first.isupper() or first.isdigit() or first in {'"', "“", "'", "‘", "("}
