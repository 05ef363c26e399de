"""Sentence segmentation for news copy, as a spaCy component.

One paragraph a line, so a line break always ends a sentence. Inside a line a
sentence ends at ".", "!" or "?" before a capital, digit or quote, except
after abbreviations ("No. 1", "Dec. 10"); spaCy's tokenizer already keeps
"U.S." and "Dec." whole.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

ABBREVIATIONS = {"no", "nos", "dec", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
                 "oct", "nov", "mr", "mrs", "ms", "dr", "st", "co", "inc", "ltd", "corp", "vs", "approx",
                 "est", "fig", "vol", "rs", "u.s", "u.k", "e.g", "i.e"}
_ENDERS = {".", "!", "?"}


@Language.component("trade_sentencizer")
def trade_sentencizer(doc: Doc) -> Doc:
    """Mark sentence starts: after line breaks and after sentence-final punctuation."""
    if len(doc) == 0:
        return doc
    doc[0].is_sent_start = True
    for i in range(1, len(doc)):
        doc[i].is_sent_start = _starts_sentence(doc, i)
    return doc


def _starts_sentence(doc: Doc, i: int) -> bool:
    prev, token = doc[i - 1], doc[i]
    if "\n" in prev.text or ("\n" in prev.whitespace_ and not token.is_space):
        return True
    if token.is_space:
        return False
    # Closing quotes and brackets stay with the sentence they end.
    j = i - 1
    while j > 0 and doc[j].text in {'"', "'", "”", "’", ")"}:
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
