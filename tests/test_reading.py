"""Files that are not plain UTF-8: other encodings, saved web pages, binary and empty files."""
from __future__ import annotations

import codecs
import datetime as dt

import pytest

from tradeextract.corpus import parse_article
from tradeextract.decoding import decode

WESTERN = ("Germany’s exports rose 5.4% to €120 billion in March – the “best” month since 2019, said Müller "
           "of the Statistisches Bundesamt.\nImports fell 2.1% as demand for energy weakened.\n")
CHINESE = "浙江省2025年进出口总值5.55万亿元，同比增长5.4%。其中出口4.19万亿元。\n"
MIXED_CHINESE = "Zhejiang’s exports (浙江出口) rose 5.4% to 4.19 trillion yuan in 2025, customs said.\n" * 3


@pytest.mark.parametrize("raw, codec", [
    (WESTERN.encode("utf-16"), "utf-16"),
    (codecs.BOM_UTF16_BE + WESTERN.encode("utf-16-be"), "utf-16"),
    (WESTERN.encode("utf-32"), "utf-32"),
    (codecs.BOM_UTF8 + WESTERN.encode("utf-8"), "utf-8-sig"),
], ids=["utf-16-le", "utf-16-be", "utf-32", "utf-8-bom"])
def test_a_byte_order_mark_says_the_encoding(raw, codec):
    decoded = decode(raw)
    assert (decoded.text, decoded.encoding, decoded.problem) == (WESTERN, codec, "")


@pytest.mark.parametrize("text, codec", [
    (WESTERN, "cp1252"), (CHINESE, "gb18030"), (CHINESE * 20, "gb18030"), (MIXED_CHINESE, "gb18030"),
    ("Exportações do Brasil cresceram 5% em março, segundo o ministério.\n", "cp1252"),
])
def test_gb18030_and_windows_1252_are_detected(text, codec):
    decoded = decode(text.encode(codec))
    assert (decoded.encoding, decoded.problem, decoded.text) == (codec, "", text)


def test_detection_looks_where_the_text_stops_being_utf8():
    text = "Exports rose again, customs said.\n" * 10_000 + WESTERN * 50  # 340 KB of ASCII first
    decoded = decode(text.encode("cp1252"))
    assert (decoded.encoding, decoded.text) == ("cp1252", text)


@pytest.mark.parametrize("raw, reason", [
    (b"", "empty file"),
    (b" \n\t\r\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (a PNG image)"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "binary file (a PDF document)"),
    (b"Exports rose\x00\x00 5%", "binary file (NUL bytes"),
    ("Exports rose 5% in 2024.".encode("utf-16-le"), "UTF-16 without a byte order mark is not read"),
    (codecs.BOM_UTF16_LE + b"E\x00x\x00\x00\xd8", "invalid UTF-16 after its byte order mark"),
    (bytes(range(1, 32)) * 40, "binary file (control characters)"),
    ("Экспорт России вырос на 5 процентов в марте по сравнению с прошлым годом.".encode("koi8_r"),
     "looks like KOI8-R, which is not read"),
    ("台灣出口成長百分之五，達到新台幣一兆元。外銷訂單金額創新高。".encode("big5"), "looks like Big5"),
    ("Exports rose “5%”".encode("utf-8") + b" in S\xe3o Paulo, " + "浙江".encode("utf-8"), "mixed encodings"),
])
def test_unreadable_files_say_why(raw, reason):
    decoded = decode(raw)
    assert decoded.text == "" and reason in decoded.problem
    assert parse_article(raw, "x.txt").status == f"skipped: {decoded.problem}"


def test_too_little_text_to_tell_gb18030_from_windows_1252_is_not_guessed(root):
    # Its only non-ASCII character is "—": A1 AA in GB18030, which Windows-1252 reads as "¡ª".
    text = (root / "corpus" / "003_e1642168d87f6242.txt").read_text(encoding="utf-8")
    assert "could be GB18030 or Windows-1252" in decode(text.encode("gb18030")).problem


def test_a_decoded_article_gives_the_facts_of_its_utf8_original(extractor, root):
    text = (root / "corpus" / "003_e1642168d87f6242.txt").read_text(encoding="utf-8")
    expected = extractor.process(parse_article(text.encode("utf-8"), "a.txt")).facts
    assert expected
    for codec in ("cp1252", "utf-16", "utf-32"):
        article = parse_article(text.encode(codec), "a.txt")
        assert article.encoding == codec and article.derived
        assert extractor.process(article).facts == expected


PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="{charset}">
<title>Vietnam's exports rise 7.3% in October - VnExpress International</title>
<meta property="og:title" content="Vietnam's exports rise 7.3% in October">
<meta property="article:published_time" content="2025-11-06T08:00:00+07:00">
<meta property="og:site_name" content="VnExpress International">
<script>var promo = "US$99 billion"; window.ads = [];</script>
<style>.a {{ color: red }}</style>
</head><body>
<header><nav><a href="/">Home</a> | <a href="/business">Business</a> | Trending: Gold price up 2%</nav></header>
<div class="sidebar"><h3>Most read</h3><ul><li><a href="/x">Rice exports hit $5 billion</a></li></ul></div>
<article>
<h1>Vietnam's exports rise 7.3% in October</h1>
<p>Viet Nam's exports rose 7.3% year on year to US$35.1 billion in October, the General Statistics Office
said on Thursday, as shipments of {product} climbed.</p>
<p>Imports climbed 16.8% to US$34.4 billion, leaving a trade surplus of US$0.7 billion.</p>
<p>In the first ten months, exports totaled US$390.2 billion, up 16.2%, while imports were US$373.5 billion.</p>
<p>The United States remained the largest export market with US$124.5 billion, up 27.6%.</p>
</article>
<footer>&copy; 2025 VnExpress. Contact: ads@vnexpress.net. Follow us on Facebook.</footer>
</body></html>
"""


def _page(charset: str = "utf-8", product: str = "electronics") -> bytes:
    return PAGE.format(charset=charset, product=product).encode(charset)


def test_a_web_page_is_reduced_to_its_article():
    article = parse_article(_page(), "vn/october.html")
    assert (article.status, article.source_format, article.derived) == ("ok", "html", True)
    assert article.title == "Vietnam's exports rise 7.3% in October"
    assert (article.published, article.published_source) == (dt.date(2025, 11, 6), "metadata")
    body = article.text[article.body_start:]
    assert body.splitlines()[0] == article.title
    assert "Imports climbed 16.8% to US$34.4 billion, leaving a trade surplus of US$0.7 billion." in body
    for boilerplate in ("Most read", "Trending", "US$99", "Follow us", "color: red"):
        assert boilerplate not in article.text


def test_offsets_of_a_web_page_refer_to_its_text(extractor):
    article = parse_article(_page(), "october.htm")
    facts = extractor.process(article).facts
    assert {"7.3%", "US$35.1 billion", "US$124.5 billion"} <= {f.text for f in facts}
    assert all(article.text[f.start:f.end] == f.text for f in facts)
    # The text reads back as an article file of its own, with the same offsets.
    again = parse_article(article.text.encode("utf-8"), "october.txt")
    assert (again.text, again.title, again.published) == (article.text, article.title, article.published)


def test_a_page_saved_as_txt_is_read_as_a_page():
    assert parse_article(_page(), "october.txt").source_format == "html"


def test_the_charset_a_page_declares_is_used():
    article = parse_article(_page("windows-1251", "электроники"), "ru.html")
    assert article.encoding == "cp1251" and "shipments of электроники climbed" in article.text


def test_a_page_without_an_article_is_skipped():
    # A page whose text a script would have drawn (saved before it ran).
    raw = b"<!DOCTYPE html><html><head><script src='app.js'></script></head><body><div id='root'></div></body></html>"
    assert parse_article(raw, "menu.html").status == "skipped: no article text found in the web page"
