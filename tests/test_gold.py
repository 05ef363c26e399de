"""The extractor against hand-labelled gold, scored by the same code as `tradeextract evaluate`."""
from __future__ import annotations

import pandas as pd
import pytest

from tradeextract.corpus import discover, read_article
from tradeextract.dataset import facts_frame
from tradeextract.evaluate import load_gold, score_frames


def _score(extractor, corpus, gold_dir):
    gold = load_gold(gold_dir, corpus)
    facts = [f for p in discover(corpus) for f in extractor.process(read_article(p, corpus)).facts]
    predicted = facts_frame(facts).astype(str)
    predicted = predicted[predicted["doc_id"].isin(set(gold["doc_id"]))]
    return score_frames(predicted, gold)[0], gold


def test_seed_gold_is_complete(root):
    gold = load_gold(root / "tests" / "gold", root / "corpus")
    assert set(gold["doc_id"]) == {p.name for p in (root / "corpus").glob("*.txt")}
    assert len(gold) >= 70


def test_seeds_linked_f1(extractor, root):
    score, _ = _score(extractor, root / "corpus", root / "tests" / "gold")
    assert score.detection[2] >= 0.97, score.detection
    assert score.linking[2] >= 0.90, score.linking


def test_devset_linked_f1_floor(extractor, root):
    """The devset is measured, not tuned on: this floor only guards against regressions."""
    score, gold = _score(extractor, root / "tests" / "devset" / "articles", root / "tests" / "devset")
    assert len(gold) == 346
    assert score.detection[2] >= 0.93, score.detection
    assert score.linking[2] >= 0.82, score.linking


def test_own_articles_linked_f1(extractor, root):
    """Our own test articles (tests/articles/), hand-labelled in tests/gold/articles/."""
    score, gold = _score(extractor, root / "tests" / "articles", root / "tests" / "gold" / "articles")
    assert len(gold) >= 250
    assert score.detection[2] >= 0.95, score.detection
    assert score.linking[2] >= 0.75, score.linking


def test_the_same_label_twice_counts_once(root, tmp_path):
    """A gold folder may hold one figure twice (the shared devset has gold.csv and the JSONL it was
    made from): each figure is one gold row, so the devset stays at 346 facts, not 692."""
    labels = pd.read_csv(root / "tests" / "devset" / "gold.csv", dtype=str, keep_default_na=False)
    pd.concat([labels, labels.head(5)], ignore_index=True).to_csv(tmp_path / "gold.csv", index=False)
    assert len(load_gold(tmp_path, root / "tests" / "devset" / "articles")) == 346
