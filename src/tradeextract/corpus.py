"""Read articles: discover files under `corpus/`, decode them, split off front matter.

A file that is no readable article (empty, binary, an encoding not detected
with confidence, a web page without article text) comes back with a status
saying why, and the run goes on without it. Saved web pages are reduced to
their article text (webpage.py); offsets then refer to that text.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterator

import yaml

from .decoding import decode
from .webpage import declared_encoding, looks_like_html, page_text

HTML_SUFFIXES = {".html", ".htm"}
ARTICLE_SUFFIXES = {".txt", ".md", ""} | HTML_SUFFIXES
# libyaml's parser when PyYAML was built with it: the pure-Python one took most of the time spent
# reading an article. Same constructors and resolvers (SafeLoader's), so the same values.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*(?:\r?\n|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Article:
    """One article as the pipeline sees it. Offsets everywhere refer to `text`."""

    doc_id: str
    text: str
    sha256: str
    title: str = ""
    published: dt.date | None = None
    published_source: str = ""  # "metadata", "inferred" or "" when unknown
    body_start: int = 0  # where the text after the front matter begins
    status: str = "ok"
    encoding: str = "utf-8"  # the codec that read the file (utf-8-sig, utf-16, gb18030, cp1252...)
    source_format: str = "text"  # "html" when `text` was extracted from a saved web page

    @property
    def derived(self) -> bool:
        """Whether `text` is not simply the file read as UTF-8, so the audit needs a copy of it."""
        return self.source_format != "text" or self.encoding not in ("utf-8", "utf-8-sig")


def discover(corpus: Path) -> list[Path]:
    """Every article file below `corpus`, in a stable order (hidden files skipped)."""
    files = [
        p for p in corpus.rglob("*")
        if (p.is_file() or (p.is_symlink() and not p.is_dir()))  # a broken link is reported, not ignored
        and not any(part.startswith(".") for part in p.relative_to(corpus).parts)
        and p.suffix.lower() in ARTICLE_SUFFIXES
    ]
    return sorted(files, key=lambda p: p.relative_to(corpus).as_posix())


def doc_id_of(path: Path, corpus: Path) -> str:
    return path.relative_to(corpus).as_posix()


def read_article(path: Path, corpus: Path) -> Article:
    """Decode one file; a file that is no readable article comes back with a skip status."""
    doc_id = doc_id_of(path, corpus)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return Article(doc_id=doc_id, text="", sha256="", status=f"skipped: cannot read the file ({exc.strerror or exc})")
    return parse_article(raw, doc_id)


def parse_article(raw: bytes, doc_id: str) -> Article:
    """The article in a file's bytes; `doc_id`'s suffix says whether it is a web page."""
    sha = hashlib.sha256(raw).hexdigest()
    is_html = PurePosixPath(doc_id).suffix.lower() in HTML_SUFFIXES or looks_like_html(
        raw[:4096].decode("ascii", errors="replace"))
    decoded = decode(raw, declared_encoding(raw) if is_html else "")
    if decoded.problem:
        return Article(doc_id=doc_id, text="", sha256=sha, status=f"skipped: {decoded.problem}")
    text, source_format = decoded.text, "text"
    if is_html:
        text, problem = page_text(text)
        if problem:
            return Article(doc_id=doc_id, text="", sha256=sha, status=f"skipped: {problem}",
                           encoding=decoded.encoding, source_format="html")
        source_format = "html"
    meta, body_start = _front_matter(text)
    body = text[body_start:]
    title = str(meta.get("title") or "").strip() if meta else ""
    if not title:
        title = next((line.strip() for line in body.splitlines() if line.strip()), "")
    published, source = _metadata_date(meta.get("date") if meta else None), "metadata"
    if published is None:
        published, source = infer_date(body), "inferred"
    return Article(
        doc_id=doc_id, text=text, sha256=sha, title=title,
        published=published, published_source=source if published else "",
        body_start=body_start, encoding=decoded.encoding, source_format=source_format,
    )


def _front_matter(text: str) -> tuple[dict, int]:
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, 0
    try:
        meta = _load_yaml(match.group(1))
    except yaml.YAMLError:
        # Hand-written front matter often has an unquoted colon in a value
        # ("basis: ONS, UK trade: April 2025"): read it as plain `key: value` lines.
        meta = dict(_plain_pair(line) for line in match.group(1).splitlines() if ":" in line)
    return (meta if isinstance(meta, dict) else {}), match.end()


def _load_yaml(source: str) -> object:
    """yaml.safe_load(source), by libyaml where it reads the text as PyYAML's own parser does.

    libyaml takes a tab after "key:" where PyYAML's parser raises, so text with a tab,
    and any text libyaml rejects, is left to PyYAML: the results and errors stay PyYAML's.
    """
    if _YAML_LOADER is not yaml.SafeLoader and "\t" not in source:
        try:
            return yaml.load(source, Loader=_YAML_LOADER)  # noqa: S506 - a safe loader
        except Exception:  # noqa: BLE001 - PyYAML's parser decides what the error is
            pass
    return yaml.load(source, Loader=yaml.SafeLoader)  # noqa: S506 - a safe loader


def _plain_pair(line: str) -> tuple[str, str]:
    key, _, value = line.partition(":")
    return key.strip(), value.strip().strip("'\"")


def _metadata_date(value: object) -> dt.date | None:
    """The date a front matter gives, unless it is a placeholder such as 0001-01-01 (a CMS's empty date)."""
    date = None
    if isinstance(value, dt.datetime):
        date = value.date()
    elif isinstance(value, dt.date):
        date = value
    elif isinstance(value, str) and value.strip():
        try:
            date = dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return date if date is not None and 1000 <= date.year <= 9000 else None


_MONTHS = {m: i for i, m in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)}
_FULL_DATE = re.compile(
    r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.? (\d{1,2}),? ((?:19|20)\d{2})\b")
_YEAR = re.compile(r"(?<![\d.,$])((?:19|20)\d{2})(?![\d%])")
_REPORT_OF_YEAR = re.compile(
    r"\b((?:19|20)\d{2}) (?:annual|full[- ]year|Annual)\b|\b(?:for|in|of) the (?:whole|full) year of ((?:19|20)\d{2})\b")


def infer_date(body: str) -> dt.date | None:
    """Guess when an article without metadata was published, from the dates it mentions.

    A full date ("Oct 21, 2025") is taken as the latest thing reported, so the
    article is dated the day after it. Otherwise a release about a whole year
    ("the 2025 annual report") is published early in the next year. Failing
    both, the latest year named is taken as the current one, dated at its end.
    """
    full = [dt.date(int(y), _MONTHS[m.lower()[:3]], int(d)) for m, d, y in _FULL_DATE.findall(body)
            if 1 <= int(d) <= 31]
    if full:
        return max(full) + dt.timedelta(days=1)
    annual = [int(a or b) for a, b in _REPORT_OF_YEAR.findall(body)]
    if annual:
        return dt.date(max(annual) + 1, 1, 31)
    years = [int(y) for y in _YEAR.findall(body)]
    if years:
        return dt.date(max(years), 12, 31)
    return None


def iter_articles(corpus: Path) -> Iterator[Article]:
    for path in discover(corpus):
        yield read_article(path, corpus)
