"""Reading articles: front matter, inferred dates, files that are no articles."""
from __future__ import annotations

import datetime as dt

from tradeextract.corpus import infer_date, parse_article


def test_front_matter_gives_title_and_date():
    article = parse_article(b"---\ntitle: Exports up\ndate: 2024-12-02\n---\nBody 5%.\n", "a.txt")
    assert article.title == "Exports up"
    assert article.published == dt.date(2024, 12, 2)
    assert article.published_source == "metadata"
    assert article.text[article.body_start:] == "Body 5%.\n"


def test_front_matter_with_a_colon_in_a_value_still_parses():
    article = parse_article(b"---\ntitle: UK trade: April\ndate: 2025-06-13\nbasis: ONS, UK trade: April\n---\nBody.\n", "a.txt")
    assert article.published == dt.date(2025, 6, 13)


def test_empty_date_is_inferred():
    article = parse_article(b"---\ntitle: T\ndate:\n---\nOn Oct 21, 2025 exports rose.\n", "a.txt")
    assert article.published_source == "inferred"
    assert article.published == dt.date(2025, 10, 22)


def test_without_front_matter_first_line_is_title():
    article = parse_article(b"Zhejiang trade grows\nThe 2025 annual report was released.\n", "a.txt")
    assert article.title == "Zhejiang trade grows"
    assert article.body_start == 0
    assert article.published == dt.date(2026, 1, 31)


def test_unreadable_files_are_skipped_with_a_reason():
    assert parse_article(b"", "e.txt").status == "skipped: empty file"
    assert parse_article(b"\x00\x01binary", "b.txt").status.startswith("skipped: binary")
    status = parse_article("Экспорт вырос на 5%.".encode("koi8_r"), "r.txt").status
    assert status.startswith("skipped: not UTF-8") and "KOI8-R" in status


def test_infer_date_prefers_the_latest_full_date():
    assert infer_date("Held on Oct 21, 2025 and on Sept 3, 2025.") == dt.date(2025, 10, 22)
    assert infer_date("no dates at all") is None


def test_a_placeholder_publication_date_is_not_believed():
    # 0001-01-01 is what some systems write for "no date"
    article = parse_article(b"---\ntitle: T\ndate: 0001-01-01\n---\nOn Oct 21, 2025 exports rose.\n", "a.txt")
    assert (article.published, article.published_source) == (dt.date(2025, 10, 22), "inferred")
