"""evidence.jsonl: one line per fact, the fact then the cue behind each field and where it stands.

Lines are written as `json.dumps(evidence_record(fact, result), ensure_ascii=False)`
would write them, but faster: an article's facts share most of their cues (the
economy, the flow, the period), so each distinct cue is encoded once, and the
common shapes are encoded by a template rather than through a dict per record.
"""
from __future__ import annotations

import bisect
import json
import re

from .records import _CUE_FIELDS, Cue, Fact

_DATE_LINE = re.compile(r"^date:[ \t]*['\"]?(?P<date>[^'\"\n]*?)['\"]?[ \t]*$", re.MULTILINE)

# One encoder for all lines: json.dumps with an option builds a new one per call.
_dumps = json.JSONEncoder(ensure_ascii=False).encode
# What that encoder does with a str (C code): `_string(1)` raises TypeError, so a cue
# whose fields are not the types the template expects falls back to _dumps.
_string = json.encoder.encode_basestring
# An int or None as JSON; any other type (bool, float) is a KeyError, and the fallback.
_INT_OR_NULL = {int: int.__repr__, type(None): lambda _: "null"}


def evidence_record(fact: Fact, result) -> dict:
    """One line of evidence.jsonl: the fact, then the cue behind each field and where it stands.

    A cue that stands in a sentence gets that sentence's offsets; one from an
    earlier sentence also gets its text, so a reviewer sees which sentence it
    was. A period taken from the publication date names that date, and its
    offsets in the front matter when it was written there.
    """
    starts = [s for s, _ in result.sentences]
    record = _fact_header(fact, result, starts)
    record["cues"] = [_cue_record(cue, result, starts) for cue in fact.cues]
    return record


def _fact_header(fact: Fact, result, starts: list[int]) -> dict:
    """The fields of an evidence line before its cues."""
    record = {"fact_id": fact.fact_id, "doc_id": fact.doc_id, "text": fact.text, "start": fact.start,
              "end": fact.end, "rule": fact.rule}
    if result.sentences:
        record["sentence_start"], record["sentence_end"] = result.sentences[_sentence_at(starts, fact.start)]
    return record


def _cue_record(c: Cue, result, starts: list[int]) -> dict:
    """One cue of an evidence line: its fields, then where it stands. Depends on the cue and article alone."""
    article = result.article
    # Cue fields are plain values: a dict of them is what asdict() gives, without its deep copies.
    cue = {name: getattr(c, name) for name in _CUE_FIELDS}
    if cue["start"] is not None and cue["source"] in ("same sentence", "earlier sentence"):
        # The offsets decide which sentence a cue stands in: a cue carried over from
        # an earlier sentence may bear the index of the sentence it was used in.
        cue["sentence"] = _sentence_at(starts, cue["start"])
    index = cue["sentence"]
    if index is not None and 0 <= index < len(result.sentences):
        start, end = result.sentences[index]
        cue["sentence_start"], cue["sentence_end"] = start, end
        if cue["source"] == "earlier sentence":
            cue["sentence_text"] = article.text[start:end]
    if cue["source"] == "publication date" and article.published:
        cue["published"] = article.published.isoformat()
        cue["published_source"] = article.published_source
        line = _DATE_LINE.search(article.text, 0, article.body_start) if article.body_start else None
        if cue["start"] is None and line and line.group("date"):
            cue["text"], cue["start"], cue["end"] = line.group("date"), line.start("date"), line.end("date")
    return cue


def _sentence_at(starts: list[int], offset: int) -> int:
    """Index of the sentence that holds `offset`, given the sentences' start offsets."""
    return max(bisect.bisect_right(starts, offset) - 1, 0)


class _ArticleEncoder:
    """Encodes one article's evidence lines, remembering what its facts share.

    Each distinct cue is encoded once (an article's facts share the economy, the
    flow, the period), and so is each sentence's offsets.
    """

    def __init__(self, result):
        self.result = result
        self.sentences = result.sentences
        self.starts = [s for s, _ in result.sentences]
        self.cues: dict[Cue, str] = {}
        self.places: dict[int, str] = {}

    def place(self, index: int) -> str:
        """', "sentence_start": s, "sentence_end": e' of sentence `index` (in range)."""
        text = self.places.get(index)
        if text is None:
            s, e = self.sentences[index]
            text = self.places[index] = f', "sentence_start": {_INT_OR_NULL[type(s)](s)}, "sentence_end": {_INT_OR_NULL[type(e)](e)}'
        return text

    def cue(self, c: Cue) -> str:
        """`_dumps(_cue_record(c, ...))`, by a template when the cue has the usual shape."""
        source = c.source
        if source == "publication date":  # rare, and its record depends on the front matter: the slow way
            return _dumps(_cue_record(c, self.result, self.starts))
        try:
            start, sentence = c.start, c.sentence
            if start is not None and (source == "same sentence" or source == "earlier sentence"):
                sentence = max(bisect.bisect_right(self.starts, start) - 1, 0)  # _sentence_at, inlined
            head = (f'{{"field": {_string(c.field)}, "value": {_string(c.value)}, "text": {_string(c.text)}, '
                    f'"start": {_INT_OR_NULL[type(start)](start)}, "end": {_INT_OR_NULL[type(c.end)](c.end)}, '
                    f'"source": {_string(source)}, "sentence": {_INT_OR_NULL[type(sentence)](sentence)}, '
                    f'"rule": {_string(c.rule)}')
            if sentence is not None and 0 <= sentence < len(self.sentences):
                head += self.place(sentence)
                if source == "earlier sentence":
                    s, e = self.sentences[sentence]
                    head = f'{head}, "sentence_text": {_string(self.result.article.text[s:e])}'
        except (KeyError, TypeError):
            return _dumps(_cue_record(c, self.result, self.starts))
        return head + "}"

    def line(self, fact: Fact) -> str:
        """`_dumps(evidence_record(fact, result))`."""
        cues = self.cues
        encoded = []
        for c in fact.cues:
            text = cues.get(c)
            if text is None:
                text = cues[c] = self.cue(c)
            encoded.append(text)
        try:
            head = (f'{{"fact_id": {_string(fact.fact_id)}, "doc_id": {_string(fact.doc_id)}, '
                    f'"text": {_string(fact.text)}, "start": {_INT_OR_NULL[type(fact.start)](fact.start)}, '
                    f'"end": {_INT_OR_NULL[type(fact.end)](fact.end)}, "rule": {_string(fact.rule)}')
            if self.sentences:
                head += self.place(_sentence_at(self.starts, fact.start))
        except (KeyError, TypeError):
            head = _dumps(_fact_header(fact, self.result, self.starts))[:-1]
        # json.dumps writes ", " between items and ": " after keys: the header's items, then
        # the cues' list, is the whole record's JSON.
        return f'{head}, "cues": [{", ".join(encoded)}]}}'


def evidence_lines(facts: list[Fact], result) -> str:
    """evidence.jsonl lines of `facts` (one per fact, "\\n" after each)."""
    encoder = _ArticleEncoder(result)
    return "".join([encoder.line(fact) + "\n" for fact in facts])
