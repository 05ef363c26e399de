"""Writing the dataset: checked against the contract, safe in spreadsheets, exact in Parquet."""
from __future__ import annotations

import csv
import dataclasses
import io

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tradeextract.corpus import parse_article
from tradeextract.dataset import FREE_TEXT, facts_frame, spreadsheet_safe, write_dataset
from tradeextract.errors import ContractError
from tradeextract.records import COLUMNS

HOSTILE = (
    '---\ntitle: "=HYPERLINK(\\"http://example.com\\", \\"click\\")"\ndate: 2025-02-01\n---\n'
    "=1+2 and Zhejiang exports rose 5.4% in 2024.\n"
    "-Exports to ASEAN fell 3% in 2024.\n"
    "@SUM(1) Zhejiang imports rose 2% in 2024.\n"
    "+Its trade surplus narrowed to $3 billion (-82.5 per cent) in 2024.\n"
    "Zhejiang exports\rrose 7% in 2023.\n"
)
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture(scope="module")
def hostile(extractor, tmp_path_factory):
    article = parse_article(HOSTILE.encode("utf-8"), "hostile.txt")
    result = extractor.process(article)
    output = tmp_path_factory.mktemp("hostile") / "output"
    write_dataset([result], output)
    return article, result, output


def _rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_formula_cells_are_neutralised_in_the_csvs(hostile):
    article, result, output = hostile
    facts = _rows(output / "facts.csv")
    assert len(facts) == len(result.facts) >= 5
    sentences = {row["sentence"] for row in facts}
    assert {"'=1+2 and Zhejiang exports rose 5.4% in 2024.", "'-Exports to ASEAN fell 3% in 2024.",
            "'@SUM(1) Zhejiang imports rose 2% in 2024."} <= sentences
    for name in ("facts.csv", "documents.csv", "unlinked.csv"):
        for row in _rows(output / name):
            for column in FREE_TEXT & set(row):
                assert not row[column].startswith(TRIGGERS), (name, column, row[column])
    assert _rows(output / "documents.csv")[0]["title"] == "'" + article.title


def test_text_stays_exact_in_the_csv_and_a_sign_is_kept(hostile):
    article, _, output = hostile
    rows = _rows(output / "facts.csv")
    assert all(article.text[int(r["start"]):int(r["end"])] == r["text"] for r in rows)
    assert "-82.5 per cent" in {r["text"] for r in rows}  # a negative number, not a formula


def test_a_carriage_return_inside_a_sentence_stays_in_its_cell(hostile):
    _, _, output = hostile
    rows = _rows(output / "facts.csv")
    assert "Zhejiang exports\rrose 7% in 2023." in {r["sentence"] for r in rows}
    assert list(rows[0]) == COLUMNS


def test_parquet_keeps_every_cell_exact(hostile):
    _, result, output = hostile
    table = pq.read_table(output / "facts.parquet").to_pandas()
    expected = facts_frame(result.facts)
    assert list(table.columns) == COLUMNS
    assert table["sentence"].tolist() == expected["sentence"].tolist()
    assert "=1+2 and Zhejiang exports rose 5.4% in 2024." in table["sentence"].tolist()
    assert table["value"].tolist() == expected["value"].tolist()
    assert [d.isoformat() for d in table["period_start"]] == expected["period_start"].tolist()


@pytest.mark.parametrize("cell, safe", [
    ("=1+2", "'=1+2"), ("+1", "'+1"), ("-cmd", "'-cmd"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("  =1", "'  =1"), ("Zhejiang", "Zhejiang"), ("", ""), ("a=b", "a=b"),
])
def test_spreadsheet_safe(cell, safe):
    assert spreadsheet_safe(cell) == safe


def _broken(result, **changes):
    fact = dataclasses.replace(result.facts[0], **changes)
    return dataclasses.replace(result, facts=[fact] + result.facts[1:])


@pytest.mark.parametrize("changes, problem", [
    ({"measure": "guess"}, "measure"),
    ({"period_start": "2025-12-31", "period_end": "2025-01-01"}, "period_start <= period_end"),
    ({"period_start": "2025-13-45"}, "period_start"),
    ({"value": float("inf")}, "value is a finite number"),
    ({"value": float("nan")}, "value: not_nullable"),
    ({"text": "5.5%"}, "end - start == len(text)"),
    ({"entity_type": "planet"}, "entity_type"),
])
def test_a_row_that_breaks_the_contract_stops_before_writing(seed_results, tmp_path, changes, problem):
    output = tmp_path / "output"
    write_dataset(seed_results, output)
    before = {p.name: p.read_bytes() for p in output.iterdir()}
    broken = [_broken(seed_results[0], **changes)] + seed_results[1:]
    with pytest.raises(ContractError, match="facts breaks the dataset contract") as err:
        write_dataset(broken, output)
    assert problem in str(err.value)
    assert {p.name: p.read_bytes() for p in output.iterdir()} == before


def test_offsets_are_checked_against_the_article_text(seed_results, tmp_path):
    fact = seed_results[0].facts[0]
    shifted = _broken(seed_results[0], start=fact.start + 1, end=fact.end + 1)
    with pytest.raises(ContractError, match=r"file_text\[start:end\] == text"):
        write_dataset([shifted], tmp_path)


def test_a_figure_that_would_start_a_formula_is_a_bug(extractor, tmp_path):
    article = parse_article(b"---\ndate: 2025-02-01\n---\nZhejiang's exports rose 5.4% in 2024.\n", "a.txt")
    result = extractor.process(article)
    fact = result.facts[0]
    text = "=" + article.text[fact.start + 1:fact.end]
    article = dataclasses.replace(article, text=article.text[:fact.start] + text + article.text[fact.end:])
    result = dataclasses.replace(result, article=article, facts=[dataclasses.replace(fact, text=text)])
    with pytest.raises(ContractError, match="a figure never starts a formula"):
        write_dataset([result], tmp_path)


def test_text_of_a_web_page_or_other_encoding_is_kept_beside_the_output(extractor, root, tmp_path):
    seed = (root / "corpus" / "003_e1642168d87f6242.txt").read_text(encoding="utf-8")
    page = (b"<!DOCTYPE html><html><head><title>Zhejiang trade</title>"
            b'<meta property="article:published_time" content="2025-01-20"></head><body><article>'
            b"<p>Zhejiang's exports rose 5.4% year on year to 4.19 trillion yuan in 2024, customs said on "
            b"Tuesday, with shipments of cars and batteries leading the gains across the province.</p>"
            b"</article></body></html>")
    articles = [parse_article(seed.encode("cp1252"), "legacy/seed.txt"), parse_article(page, "web/page.html"),
                parse_article(seed.encode("utf-8"), "plain.txt")]
    write_dataset([extractor.process(a) for a in articles], tmp_path)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in (tmp_path / "texts").rglob("*.txt")) == [
        "texts/legacy/seed.txt.txt", "texts/web/page.html.txt"]
    facts = pd.read_csv(tmp_path / "facts.csv", dtype=str, keep_default_na=False)
    assert set(facts["doc_id"]) == {"legacy/seed.txt", "web/page.html", "plain.txt"}
    for row in facts.itertuples():
        path = tmp_path / "texts" / f"{row.doc_id}.txt"
        text = path.read_text(encoding="utf-8") if path.exists() else seed
        assert text[int(row.start):int(row.end)] == row.text


def test_csv_reads_back_as_written(hostile):
    _, _, output = hostile
    text = (output / "facts.csv").read_text(encoding="utf-8")
    assert pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False).shape[1] == len(COLUMNS)
