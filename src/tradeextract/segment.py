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
from spacy.attrs import SENT_START
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


@Language.component("trade_sentencizer")
def trade_sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts: after line breaks and after sentence-final punctuation."""
    if len(doc) == 0:
        return doc
    # All at once: setting `token.is_sent_start` one token at a time rescans the
    # whole Doc on every call, which is quadratic in the length of the article.
    starts = [1]
    length = 1
    for i in range(1, len(doc)):
        start = _starts_sentence(doc, i) or _too_long(doc, i, length)
        starts.append(1 if start else -1)
        length = 1 if start else length + 1
    doc.from_array([SENT_START], np.array(starts, dtype="int64").view("uint64"))
    return doc


def _too_long(doc: Doc, i: int, length: int) -> bool:
    """Whether a sentence of `length` tokens so far must be cut before token `i`."""
    if length < MAX_SENTENCE_TOKENS:
        return False
    after_space = bool(doc[i - 1].whitespace_) and not doc[i].is_space
    if length >= 4 * MAX_SENTENCE_TOKENS:
        return True
    if length >= 2 * MAX_SENTENCE_TOKENS:
        return after_space
    return after_space and doc[i - 1].text in _CLAUSE_BREAKS


def _starts_sentence(doc: Doc, i: int) -> bool:
    prev, token = doc[i - 1], doc[i]
    if "\n" in prev.text or ("\n" in prev.whitespace_ and not token.is_space):
        return True
    if token.is_space:
        return False
    # Closing quotes and brackets stay with the sentence they end (a few of them: looking
    # back over a run of thousands, once per token, would be quadratic).
    j = i - 1
    while j > 0 and i - j <= _MAX_CLOSERS and doc[j].text in {'"', "'", "”", "’", ")"}:
        j -= 1
    ender = doc[j]
    if ender.text not in _ENDERS and not (ender.text.endswith(".") and len(ender.text) > 1 and ender.text[0].isupper() and ender.text.count(".") == 1 and ender.text[:-1].isalpha() and ender.text[:-1].lower() not in ABBREVIATIONS):
        return False
    if j != i - 1 and doc[i - 1].text not in {'"', "'", "”", "’", ")"}:
        return False
    if ender.text == "." and j > 0 and doc[j - 1].lower_.rstrip(".") in ABBREVIATIONS and not doc[j - 1].whitespace_:
        return False
    first = token.text[:1]
    return first.isupper() or first.isdigit() or first in {'"', "“", "'", "‘", "("}
