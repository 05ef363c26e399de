"""Malformed rules stop the run before any work, naming the file, the line and the problem."""
from __future__ import annotations

import shutil

import pytest

from tradeextract.errors import RulesError
from tradeextract.rules import load_rules


@pytest.fixture()
def rules_dir(root, tmp_path):
    shutil.copytree(root / "rules", tmp_path / "rules")
    return tmp_path / "rules"


def _append(path, text):
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def test_shipped_rules_load(root):
    rules = load_rules(root / "rules")
    assert len(rules.by_id) > 100
    assert len(rules.digest) == 64


def test_unknown_key_names_file_and_line(rules_dir):
    _append(rules_dir / "products.yaml", "  - {id: prod-x, product: x, names: [x], colour: red}\n")
    with pytest.raises(RulesError) as err:
        load_rules(rules_dir)
    assert err.value.path.name == "products.yaml"
    assert err.value.line == len((rules_dir / "products.yaml").read_text().splitlines())
    assert "unknown key 'colour'" in str(err.value)


def test_duplicate_id(rules_dir):
    _append(rules_dir / "products.yaml", "  - {id: prod-high-tech, product: x, names: [x]}\n")
    with pytest.raises(RulesError, match="duplicate id 'prod-high-tech'"):
        load_rules(rules_dir)


def test_regex_that_does_not_compile(rules_dir):
    _append(rules_dir / "periods.yaml", '  - {id: per-broken, kind: year, regex: "(?P<year>"}\n')
    with pytest.raises(RulesError, match="per-broken: regex does not compile"):
        load_rules(rules_dir)


def test_bad_currency_code(rules_dir):
    path = rules_dir / "currencies.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "currencies:\n", "currencies:\n  - {id: cur-zzz, code: ZZZ, before: [Z$]}\n", 1), encoding="utf-8")
    with pytest.raises(RulesError, match="'ZZZ' is not an ISO 4217 currency code"):
        load_rules(rules_dir)


def test_bad_yaml_names_the_line(rules_dir):
    (rules_dir / "flows.yaml").write_text("flows:\n  - {id: a, flow: total, names: [x]\n  oops\n", encoding="utf-8")
    with pytest.raises(RulesError) as err:
        load_rules(rules_dir)
    assert err.value.line is not None and "bad YAML" in str(err.value)


def test_unknown_flow_value(rules_dir):
    _append(rules_dir / "flows.yaml", "  - {id: flow-x, flow: sideways, names: [x]}\n")
    with pytest.raises(RulesError, match="flow 'sideways' is not one of"):
        load_rules(rules_dir)
