"""Long articles and endless lines: read in pieces, offsets kept, time linear in the length.

The 50 MB bar is measured by bench/long_article.py (timings are too noisy for
the suite); here a 1 MB article and a 1 MB line must not cost much more per
character than the seeds do.
"""
from __future__ import annotations

import re
import time

from tradeextract.corpus import parse_article
from tradeextract.extract import text_pieces


def test_pieces_join_back_and_end_at_line_breaks():
    text = "".join(f"Line {i} says exports rose {i}%.\n" for i in range(3000))
    pieces = list(text_pieces(text, 1000))
    assert "".join(piece for _, piece in pieces) == text
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]
    assert all(piece.endswith("\n") and len(piece) <= 1000 for _, piece in pieces[:-1])


def test_a_line_longer_than_a_piece_is_cut_at_a_space_or_anywhere():
    spaced = "exports rose 5% " * 500
    assert all(piece.endswith(" ") for _, piece in list(text_pieces(spaced, 1000))[:-1])
    solid = "9" * 2500
    assert [len(piece) for _, piece in text_pieces(solid, 1000)] == [1000, 1000, 500]


def test_a_short_article_is_one_piece():
    assert list(text_pieces("Exports rose 5%.\n", 1000)) == [(0, "Exports rose 5%.\n")]


def _per_char(extractor, text: str) -> tuple[float, int]:
    article = parse_article(text.encode("utf-8"), "long.txt")
    started = time.perf_counter()
    result = extractor.process(article)
    elapsed = time.perf_counter() - started
    for fact in result.facts:
        assert article.text[fact.start:fact.end] == fact.text
    return elapsed / len(text), len(result.facts)


def test_long_article_and_endless_line_take_linear_time(extractor, root):
    seeds = [p.read_text(encoding="utf-8") for p in sorted((root / "corpus").glob("*.txt"))]
    for seed in seeds:  # warm up (quantulum3 loads its language data on first use)
        _per_char(extractor, seed)
    seed_cost = min(sum(_per_char(extractor, s)[0] * len(s) for s in seeds) / sum(map(len, seeds))
                    for _ in range(2))
    # One seed over and over: every copy gives the facts the seed gives alone.
    seed = seeds[0] if seeds[0].endswith("\n") else seeds[0] + "\n"
    copies = 1_100_000 // len(seed) + 1
    long_text = seed * copies
    assert len(long_text) > 1_000_000  # spaCy's default max_length: one Doc could not even hold it
    long_cost, long_facts = _per_char(extractor, long_text)
    assert long_facts == copies * _per_char(extractor, seed)[1]
    body = "\n".join(seeds)
    one_line = re.sub(r"[.!?]\s", ", ", body).replace("\n", " ")
    line_cost, _ = _per_char(extractor, one_line * (1_000_000 // len(one_line) + 1))
    # Linear time costs about what the seeds cost per character; a quadratic step
    # would cost dozens of times more at this size. The bound is loose for noisy machines.
    assert long_cost < 5 * seed_cost, (long_cost, seed_cost)
    assert line_cost < 5 * seed_cost, (line_cost, seed_cost)
