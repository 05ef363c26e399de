"""The command line, through click's runner: exact summaries, exit codes, one-line errors."""
from __future__ import annotations

import shutil

import pytest
from click.testing import CliRunner

from tradeextract.cli import main


def _copy_project(root, tmp_path):
    shutil.copytree(root / "rules", tmp_path / "rules")
    shutil.copytree(root / "corpus", tmp_path / "corpus")
    shutil.copytree(root / "tests" / "gold", tmp_path / "gold", ignore=shutil.ignore_patterns("articles"))
    return tmp_path


def test_help_explains_every_command():
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0
    assert "extract" in result.output and "evaluate" in result.output
    for command in ("extract", "evaluate"):
        sub = CliRunner().invoke(main, [command, "--help"])
        assert sub.exit_code == 0 and "--corpus" in sub.output


def test_extract_writes_the_dataset_and_a_summary(root, tmp_path, monkeypatch):
    monkeypatch.chdir(_copy_project(root, tmp_path))
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 0, result.output
    last = result.output.strip().splitlines()[-1]
    assert last.startswith("2 articles, ") and " facts, " in last and last.endswith("-> output/facts.csv")
    for name in ("facts.csv", "documents.csv", "evidence.jsonl", "unlinked.csv"):
        assert (tmp_path / "output" / name).exists()


def test_evaluate_prints_scores_and_fails_under_min_f1(root, tmp_path, monkeypatch):
    monkeypatch.chdir(_copy_project(root, tmp_path))
    ok = CliRunner().invoke(main, ["evaluate", "--gold", "gold", "--min-f1", "0.5"])
    assert ok.exit_code == 0, ok.output
    assert "detection  P" in ok.output and "linked     P" in ok.output
    assert "per field" in ok.output and "000_c856b3cf525bfa4c.txt" in ok.output
    failing = CliRunner().invoke(main, ["evaluate", "--gold", "gold", "--min-f1", "0.999"])
    assert failing.exit_code == 1
    assert "under --min-f1" in failing.output


def test_bad_rules_give_one_line_and_exit_2(root, tmp_path, monkeypatch):
    project = _copy_project(root, tmp_path)
    (project / "rules" / "cues.yaml").write_text("change_up:\n  - {id: chg-up, words: [up\n", encoding="utf-8")
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["extract"])
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "cues.yaml:" in lines[0] and "bad YAML" in lines[0]
    assert "Traceback" not in result.output


def test_missing_corpus_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["extract", "--corpus", "nowhere"])
    assert result.exit_code == 2
    assert "nowhere is not a folder" in result.output


def _last_line(path):
    return len(path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("filename, text, problem", [
    ("flows.yaml", "flows:\n  - {id: flow-x, flow: total, names: [x]\n  oops\n", "bad YAML"),
    ("products.yaml", "  - {id: prod-x, product: x, names: [x], colour: red}\n", "unknown key 'colour'"),
    ("periods.yaml", '  - {id: per-broken, kind: year, regex: "(?P<year>\\\\d{4}"}\n', "per-broken: regex does not compile"),
    ("products.yaml", "  - {id: prod-high-tech, product: x, names: [x]}\n", "duplicate id 'prod-high-tech'"),
], ids=["bad-yaml", "unknown-key", "regex", "duplicate-id"])
def test_malformed_rules_stop_before_any_work(root, tmp_path, monkeypatch, filename, text, problem):
    project = _copy_project(root, tmp_path)
    path = project / "rules" / filename
    if problem == "bad YAML":
        path.write_text(text, encoding="utf-8")
        line = 3
    else:
        path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
        line = _last_line(path)
    (project / "corpus" / "empty.txt").write_bytes(b"")  # reading it would print a warning
    monkeypatch.chdir(project)
    result = CliRunner().invoke(main, ["extract", "--no-progress"])
    assert result.exit_code == 2
    assert result.output.splitlines() == [result.stderr.strip()]  # one line, on stderr, nothing else
    assert result.stderr.startswith(f"error: rules/{filename}:{line}: ") and problem in result.stderr
    assert "Traceback" not in result.output
    assert not (project / "output").exists()
