"""Saved web pages -> article text, with trafilatura (menus, ads, scripts and footers dropped).

The text an HTML file gives is written like an article file of the corpus:
front matter with what the page's metadata says (publication date, site,
URL), then the headline and one paragraph a line. Offsets of the facts refer
to that text; `extract` saves it as `output/texts/<doc_id>.txt` for the audit.
"""
from __future__ import annotations

import codecs
import datetime as dt
import logging
import re

import yaml

# trafilatura reports what it discards as warnings; a skipped page has its own reason in documents.csv.
logging.getLogger("trafilatura").addHandler(logging.NullHandler())

_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_XML_DECLARED = re.compile(rb"""\A\s*<\?xml[^>]{0,100}?encoding\s*=\s*["']([A-Za-z0-9._:-]{1,40})""", re.IGNORECASE)
_HTML_START = re.compile(r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)[\s>]", re.IGNORECASE | re.DOTALL)


def looks_like_html(text: str) -> bool:
    """A page saved under another name ("article.txt" that starts with <!DOCTYPE html>)."""
    return bool(_HTML_START.match(text[:4096]))


def declared_encoding(raw: bytes) -> str:
    """The codec a page declares in its first bytes (<meta charset>, XML declaration), if Python knows it."""
    head = raw[:4096]
    match = _XML_DECLARED.match(head) or _DECLARED.search(head)
    if not match:
        return ""
    try:
        codec = codecs.lookup(match.group(1).decode("ascii")).name
    except LookupError:
        return ""
    # Pages declare Latin-1 and mean Windows-1252: browsers read it so, as the HTML standard says.
    return {"iso8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "gb2312": "gb18030",
            "gbk": "gb18030"}.get(codec, codec)


def page_text(html: str) -> tuple[str, str]:
    """(article text, "") for a page with an article, else ("", why not)."""
    import trafilatura

    doc = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=True,
        # only the dates the page's markup states: a date found in the text is
        # inferred by corpus.py, and marked so
        date_extraction_params={"extensive_search": False, "original_date": True})
    lines = [line.strip() for line in (doc.text or "").splitlines() if line.strip()] if doc else []
    if not lines:
        return "", "no article text found in the web page"
    title = " ".join((doc.title or "").split())
    if title and lines[0] != title:
        lines.insert(0, title)  # the headline is the first line, as in a text article
    meta: dict[str, object] = {}
    published = _iso_date(doc.date)
    if published:
        meta["date"] = published
    for key, value in (("source", doc.sitename), ("url", doc.url)):
        if value and str(value).strip():
            meta[key] = " ".join(str(value).split())
    head = ""
    if meta:
        head = "---\n" + yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=1_000_000) + "---\n"
    return head + "\n".join(lines) + "\n", ""


def _iso_date(value: object) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10]) if value else None
    except ValueError:
        return None
