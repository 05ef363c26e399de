"""Bytes -> text: UTF-8, a byte order mark, or a legacy encoding detected with confidence.

A file is decoded only when there is little doubt what it holds: UTF-8; UTF-16
or UTF-32 with a byte order mark; or GB18030 or Windows-1252 when chardet
ranks that encoding first among those that decode it cleanly (charset-normalizer's
mess measure tells mojibake from text). Anything else comes back with the
reason it was not read, for `documents.csv`: a skipped file is better than
facts read from garbled text.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass

# Byte order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32", "UTF-32"), (codecs.BOM_UTF32_BE, "utf-32", "UTF-32"),
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"), (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
]
# Legacy encodings read, by the codec that reads the whole family (GB18030 is a
# superset of GBK and GB2312; Windows-1252 of the printable part of Latin-1).
LEGACY = {"gb18030": "gb18030", "gbk": "gb18030", "gb2312": "gb18030",
          "cp1252": "cp1252", "iso8859-1": "cp1252", "latin-1": "cp1252", "iso8859-15": "cp1252"}
LEGACY_NAMES = {"gb18030": "GB18030", "cp1252": "Windows-1252"}
MAX_MESS = 0.1  # charset-normalizer's mess ratio of a clean decoding (mojibake scores 1 and more)
_SAMPLE = 200_000  # bytes that detection looks at
# Signatures of common binary formats, to say what a file is rather than only that it is binary.
_SIGNATURES = [(b"%PDF-", "a PDF document"), (b"PK\x03\x04", "a ZIP archive (or .docx/.xlsx)"),
               (b"\x1f\x8b", "a gzip archive"), (b"\x89PNG", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
               (b"GIF8", "a GIF image"), (b"\xd0\xcf\x11\xe0", "an old Office document"),
               (b"{\\rtf", "an RTF document")]
_CONTROL = bytes(b for b in range(32) if b not in b"\t\n\x0b\x0c\r\x1b")


@dataclass(frozen=True)
class Decoded:
    """The text of a file and the codec that read it, or why it could not be read."""

    text: str = ""
    encoding: str = ""  # Python codec name: utf-8, utf-8-sig, utf-16, utf-32, gb18030, cp1252
    problem: str = ""  # empty when decoded


def decode(raw: bytes, declared: str = "") -> Decoded:
    """Decode an article file, or say why not (empty, binary, an encoding not known with confidence).

    `declared` is the codec a web page names in its markup: it is trusted when
    the bytes are not UTF-8 and decode cleanly with it.
    """
    if not raw.strip():
        return Decoded(problem="empty file")
    for bom, codec, name in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as exc:
                return Decoded(problem=f"invalid {name} after its byte order mark (byte {exc.start})")
            return Decoded(text, codec) if text.strip() else Decoded(problem="empty file")
    binary = _binary(raw)
    if binary:
        return Decoded(problem=binary)
    try:
        return Decoded(raw.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    if declared and not declared.startswith(("utf-16", "utf-32")):
        try:
            return Decoded(raw.decode(declared), declared)
        except (UnicodeDecodeError, LookupError):
            pass  # a wrong declaration: detect, as for any file
    # Look where the text stops being UTF-8: a long file may be plain ASCII for a while.
    line = raw.rfind(b"\n", 0, first_bad) + 1
    start = line if first_bad - line < _SAMPLE // 2 else first_bad
    sample = raw[start:start + _SAMPLE]
    if _mostly_utf8(sample):
        return Decoded(problem=f"not UTF-8 (byte {first_bad}) amid UTF-8 text: mixed encodings")
    return _legacy(raw, sample, first_bad)


def _binary(raw: bytes) -> str:
    for signature, what in _SIGNATURES:
        if raw.startswith(signature):
            return f"binary file ({what})"
    head = raw[:8192]
    if b"\x00" in head:
        return "binary file (NUL bytes; UTF-16 without a byte order mark is not read)"
    if len(head.translate(None, _CONTROL)) < 0.95 * len(head):
        return "binary file (control characters)"
    return ""


def _mostly_utf8(raw: bytes) -> bool:
    """Whether invalid bytes are stray ones in a UTF-8 text (rather than a legacy encoding)."""
    text = raw.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = sum(1 for ch in text if ch > "\x7f") - bad
    return good >= 2 * bad


def _legacy(raw: bytes, sample: bytes, first_bad: int) -> Decoded:
    """GB18030 or Windows-1252 when they are the best clean reading of `sample`; else why the file is skipped."""
    import chardet

    guesses = [g["encoding"] for g in chardet.detect_all(sample, ignore_threshold=True) if g["encoding"]]
    # chardet ranks by the language it sees; GB18030 is tried last when it does not see Chinese
    # in a mostly English page (a few Chinese names give it too little to go on).
    for guess in guesses + ["gb18030"]:
        try:
            codec = codecs.lookup(guess).name
        except LookupError:
            continue
        reader = LEGACY.get(codec, codec)
        truncated = len(sample) < len(raw)
        text = _clean(sample, reader, truncated)
        if text is None:
            continue
        if reader not in LEGACY_NAMES:
            return Decoded(problem=f"not UTF-8 (byte {first_bad}); looks like {guess}, which is not read "
                                   f"(only UTF-8, UTF-16/32 with BOM, GB18030, Windows-1252 are)")
        other = next(r for r in LEGACY_NAMES if r != reader)
        if _clean(sample, other, truncated) not in (None, text):
            # A few Chinese punctuation marks in GB18030 are also plausible Windows-1252 ("—" and "¡ª"):
            # with nothing to tell them apart, no guess.
            return Decoded(problem=f"not UTF-8 (byte {first_bad}); could be GB18030 or Windows-1252, "
                                   f"too little text to tell")
        try:
            return Decoded(raw.decode(reader), reader)
        except UnicodeDecodeError as exc:
            return Decoded(problem=f"not UTF-8; looks like {LEGACY_NAMES[reader]} but byte {exc.start} "
                                   f"is invalid in it")
    return Decoded(problem=f"not UTF-8 (byte {first_bad}) and no encoding detected with confidence")


def _clean(sample: bytes, codec: str, truncated: bool) -> str | None:
    """`sample` read with `codec`, if it decodes and does not read as mojibake."""
    from charset_normalizer.md import mess_ratio

    try:
        text = sample.decode(codec)
    except UnicodeDecodeError as exc:
        if not truncated or exc.start < len(sample) - 3:
            return None
        try:  # a sample cut from a longer file may end inside a character
            text = sample[:exc.start].decode(codec)
        except UnicodeDecodeError:
            return None
    except LookupError:
        return None
    return text if mess_ratio(text, maximum_threshold=1.0) <= MAX_MESS else None
