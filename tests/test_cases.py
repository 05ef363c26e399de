"""Sentence-level cases kept as data (tests/cases/*.yml): sentence -> expected facts.

Every case must agree with the extractor on the contract's linked fields,
except the ones listed in tests/data/open_cases.yml with the reason they fail;
those must still fail, so that fixing one forces its entry out of the list.
"""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from case_check import load_cases, problems

CASES = load_cases()
OPEN = {c["id"]: c["why"] for c in yaml.safe_load((Path(__file__).parent / "data" / "open_cases.yml").read_text())}


def test_cases_are_many_and_unique():
    ids = [c["id"] for c in CASES]
    assert len(ids) >= 120
    assert len(ids) == len(set(ids))
    assert set(OPEN) <= set(ids)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_case(extractor, case):
    found = problems(extractor, case)
    if case["id"] in OPEN:
        assert found, f"{case['id']} now passes: remove it from tests/data/open_cases.yml"
    else:
        assert not found, "\n".join(found)
