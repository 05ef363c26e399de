"""Shared fixtures: the extractor is built once per test session (building it loads the gazetteer)."""
from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def extractor():
    from tradeextract.extract import Extractor

    return Extractor(ROOT / "rules")


@pytest.fixture(scope="session")
def seed_results(extractor):
    from tradeextract.corpus import discover, read_article

    corpus = ROOT / "corpus"
    return [extractor.process(read_article(p, corpus)) for p in discover(corpus)]


# tests/case_check.py is a helper module shared by the case tests
import sys  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
