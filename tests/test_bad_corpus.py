"""A corpus full of bad files runs to completion: every good article's facts are unchanged,
every bad file is in documents.csv with its reason and gets one warning line."""
from __future__ import annotations

import codecs
import csv
import gzip
import os
import random
import shutil

import pytest
from click.testing import CliRunner

from tradeextract.cli import main

SEED_000, SEED_003 = "000_c856b3cf525bfa4c.txt", "003_e1642168d87f6242.txt"
PAGE = (b'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Chongqing trade</title>'
        b'<meta property="article:published_time" content="2024-10-24"></head><body>'
        b"<nav>Home | Business | Most read: Rice exports hit $5 billion</nav><article><h1>Chongqing trade</h1>"
        b"<p>In the first three quarters of the year, Chongqing's foreign trade reached 548.2 billion yuan, "
        b"up 7.6 percent year-on-year, according to Chongqing Customs.</p></article>"
        b"<footer>(c) 2024 Example Daily</footer></body></html>")

# file -> (bytes, words its reason must contain)
BAD = {
    "empty.txt": (b"", "empty file"),
    "blank.md": (b"  \n\n\t \n", "empty file"),
    "image.txt": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "a PNG image"),
    "scan.txt": (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n4 0 obj\n<< /Length 5 >>\nstream\n\x8f\x1c\x00", "a PDF document"),
    "archive.txt": (gzip.compress(b"Exports rose 5% in 2024.", mtime=0), "a gzip archive"),
    "nul-bytes.txt": (b"Exports rose 5% in 2024.\x00\x00\x00\x01\x02", "NUL bytes"),
    "utf16-without-bom.txt": ("Exports rose 5% in 2024.".encode("utf-16-le"), "without a byte order mark"),
    "broken-utf16.txt": (codecs.BOM_UTF16_LE + b"E\x00x\x00\x00\xd8", "invalid UTF-16"),
    "controls": (bytes(range(1, 9)) * 200, "control characters"),
    "koi8.txt": ("Экспорт России вырос на 5 процентов в марте по сравнению с прошлым годом.".encode("koi8_r"),
                 "looks like KOI8-R"),
    "big5.txt": ("台灣出口成長百分之五，達到新台幣一兆元。外銷訂單金額創新高。".encode("big5"), "looks like Big5"),
    "mixed.txt": ("Exports rose “5%”".encode("utf-8") + b" in S\xe3o Paulo " + "浙江".encode("utf-8"),
                  "mixed encodings"),
    "noise.txt": (bytes(random.Random(6).randrange(128, 256) for _ in range(4000)), "not UTF-8"),
    "app-shell.html": (b"<!DOCTYPE html><html><head><script src='app.js'></script></head>"
                       b"<body><div id='root'></div></body></html>", "no article text found"),
}


@pytest.fixture(scope="module")
def bad_corpus(root, tmp_path_factory):
    project = tmp_path_factory.mktemp("bad")
    shutil.copytree(root / "rules", project / "rules")
    shutil.copytree(root / "corpus", project / "corpus")
    corpus = project / "corpus"
    for name, (raw, _) in BAD.items():
        (corpus / name).write_bytes(raw)
    os.symlink(project / "gone.txt", corpus / "dangling.txt")
    seed_000 = (corpus / SEED_000).read_text(encoding="utf-8")
    seed_003 = (corpus / SEED_003).read_text(encoding="utf-8")
    (corpus / "legacy").mkdir()
    (corpus / "legacy" / "utf16.txt").write_bytes(seed_000.encode("utf-16"))
    (corpus / "legacy" / "cp1252.txt").write_bytes(seed_003.encode("cp1252"))
    (corpus / "web").mkdir()
    (corpus / "web" / "page.html").write_bytes(PAGE)
    (corpus / "web" / "saved-as.txt").write_bytes(PAGE)
    return project


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _facts_of(rows, doc_id):
    keep = [c for c in rows[0] if c not in ("fact_id", "doc_id")]
    return [{c: r[c] for c in keep} for r in rows if r["doc_id"] == doc_id]


def test_bad_files_are_skipped_with_their_reason_and_the_rest_is_extracted(bad_corpus, root, monkeypatch):
    monkeypatch.chdir(bad_corpus)
    result = CliRunner().invoke(main, ["extract", "--no-progress"])
    assert result.exit_code == 0, result.output
    skipped = {**{name: reason for name, (_, reason) in BAD.items()}, "dangling.txt": "cannot read the file"}
    assert len(skipped) >= 12
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == len(skipped) == len(result.stderr.splitlines())
    documents = {row["doc_id"]: row for row in _rows(bad_corpus / "output" / "documents.csv")}
    for name, reason in skipped.items():
        assert documents[name]["status"].startswith("skipped: ") and reason in documents[name]["status"], name
        assert documents[name]["n_facts"] == "0"
        assert sum(line.startswith(f"warning: {name}: skipped: ") for line in warnings) == 1
    good = {SEED_000, SEED_003, "legacy/utf16.txt", "legacy/cp1252.txt", "web/page.html", "web/saved-as.txt"}
    assert {d for d, row in documents.items() if row["status"] == "ok"} == good

    facts = _rows(bad_corpus / "output" / "facts.csv")
    committed = _rows(root / "output" / "facts.csv")
    for seed in (SEED_000, SEED_003):  # the good articles give exactly the committed rows
        assert [r for r in facts if r["doc_id"] == seed] == [r for r in committed if r["doc_id"] == seed]
    # the same article in another encoding gives the same facts, at the same offsets
    assert _facts_of(facts, "legacy/utf16.txt") == _facts_of(committed, SEED_000)
    assert _facts_of(facts, "legacy/cp1252.txt") == _facts_of(committed, SEED_003)
    page_facts = _facts_of(facts, "web/page.html")
    assert {"548.2 billion yuan", "7.6 percent"} <= {r["text"] for r in page_facts}
    assert page_facts == _facts_of(facts, "web/saved-as.txt")
    for doc_id in ("legacy/utf16.txt", "legacy/cp1252.txt", "web/page.html"):
        text = (bad_corpus / "output" / "texts" / f"{doc_id}.txt").read_text(encoding="utf-8")
        assert all(text[int(r["start"]):int(r["end"])] == r["text"] for r in facts if r["doc_id"] == doc_id)


def test_strict_makes_a_skip_an_error_and_writes_nothing(bad_corpus, monkeypatch):
    monkeypatch.chdir(bad_corpus)
    before = {p.name: p.read_bytes() for p in (bad_corpus / "output").iterdir() if p.is_file()} \
        if (bad_corpus / "output").exists() else {}
    result = CliRunner().invoke(main, ["extract", "--no-progress", "--strict", "--output", "strict-out"])
    assert result.exit_code == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1 and "article(s) skipped, nothing written (--strict)" in errors[0]
    assert "Traceback" not in result.output
    assert not (bad_corpus / "strict-out").exists()
    after = {p.name: p.read_bytes() for p in (bad_corpus / "output").iterdir() if p.is_file()} \
        if (bad_corpus / "output").exists() else {}
    assert after == before


def test_the_python_api_skips_or_raises_the_same_way(bad_corpus):
    from tradeextract import extract
    from tradeextract.errors import SkippedArticlesError

    facts = extract(bad_corpus / "corpus", None, bad_corpus / "rules")
    assert set(facts["doc_id"]) >= {SEED_000, SEED_003, "web/page.html"}
    with pytest.raises(SkippedArticlesError, match=r"^15 article\(s\) skipped"):
        extract(bad_corpus / "corpus", None, bad_corpus / "rules", strict=True)


def test_an_article_the_extractor_fails_on_is_skipped_not_the_run(root, monkeypatch):
    from tradeextract.corpus import discover, read_article
    from tradeextract.extract import Extractor, run

    real = Extractor.process

    def failing(self, article):
        if article.doc_id == SEED_000:
            raise ValueError("year 0 is out of range")
        return real(self, article)

    monkeypatch.setattr(Extractor, "process", failing)
    corpus = root / "corpus"
    results = run([read_article(p, corpus) for p in discover(corpus)], root / "rules")
    status = {r.article.doc_id: r.article.status for r in results}
    assert status[SEED_000] == ("skipped: extraction failed (ValueError: year 0 is out of range); "
                                "a bug, please report it")
    assert status[SEED_003] == "ok" and [r.facts for r in results if r.article.doc_id == SEED_003][0]
