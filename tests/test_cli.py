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
    assert all(command in result.output for command in ("extract", "evaluate", "show", "report"))
    for command in ("extract", "evaluate", "show", "report"):
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


def _show(root, *args):
    return CliRunner().invoke(main, ["show", *args, "--output", str(root / "output"), "--corpus", str(root / "corpus")])


def test_show_marks_the_figure_and_its_cues_plainly_when_piped(root):
    result = _show(root, "b8d309ea8209e1cd")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "fact b8d309ea8209e1cd  000_c856b3cf525bfa4c.txt  chars 4364-4382  rule link-carry"
    assert "  Among them, [exports]{flow} reached [[4.19 trillion yuan]], breaking through" in result.output
    # the entity and the period came from the sentence before: it is shown, with its cues marked
    assert "earlier sentence 29, chars 4219-4335:" in lines
    assert "  In [2025]{period}, the total import and export volume of [Zhejiang]{entity} will be" in result.output
    entity = next(line for line in lines if line.startswith("  entity    Zhejiang  "))
    assert "4266-4274" in entity and "pkg-pycountry-subdivisions" in entity and "earlier sentence 29" in entity
    assert lines[-1] == "rules: link-carry, pkg-pycountry-subdivisions, flow-export, cur-cny, per-year"
    assert "\x1b[" not in result.output


def test_show_colours_on_request_and_takes_a_prefix(root):
    result = _show(root, "b8d309ea", "--color")
    assert result.exit_code == 0, result.output
    assert "\x1b[30m\x1b[43m\x1b[1m4.19 trillion yuan\x1b[0m" in result.output
    assert "\x1b[32m\x1b[1m\x1b[4mZhejiang\x1b[0m" in result.output
    assert "[[" not in result.output


def test_show_an_unknown_fact_is_one_line_and_exit_2(root):
    result = _show(root, "ffffffffffffffff")
    assert result.exit_code == 2
    assert result.output.strip() == f"error: no fact 'ffffffffffffffff' in {root / 'output'}/facts.csv (fact ids are its first column)"


def test_show_without_an_output_folder_says_to_extract_first(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["show", "b8d309ea"])
    assert result.exit_code == 2
    assert "output/facts.csv not found: run `tradeextract extract` first" in result.output


def test_the_readme_shows_real_show_output(root):
    readme = (root / "README.md").read_text(encoding="utf-8")
    example = readme.split("$ tradeextract show b8d309ea\n", 1)[1].split("```", 1)[0]
    assert _show(root, "b8d309ea").output == example


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


def test_extract_keeps_a_cache_beside_the_output_and_no_cache_skips_it(root, tmp_path, monkeypatch):
    monkeypatch.chdir(_copy_project(root, tmp_path))
    assert CliRunner().invoke(main, ["extract", "--no-cache"]).exit_code == 0
    assert not (tmp_path / ".tradeextract-cache").exists()
    cold = (tmp_path / "output" / "facts.csv").read_bytes()
    for _ in range(2):
        assert CliRunner().invoke(main, ["extract"]).exit_code == 0
        assert (tmp_path / "output" / "facts.csv").read_bytes() == cold
    assert len(list((tmp_path / ".tradeextract-cache" / "output").glob("*/*.json"))) == 2
    misuse = CliRunner().invoke(main, ["extract", "--scheduler", "tcp://127.0.0.1:8786"])
    assert misuse.exit_code == 2 and "--engine dask" in misuse.output
