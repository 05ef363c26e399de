"""The `tradeextract` command: a thin click layer over the Python API."""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

from .errors import TradeExtractError


def _progress(enabled: bool, label: str):
    """A progress bar on a terminal, nothing when piped or in CI."""
    def wrap(items):
        if not enabled or not sys.stderr.isatty():
            return items
        from tqdm import tqdm

        return tqdm(items, desc=label, unit="article", file=sys.stderr, leave=False)
    return wrap


class _Group(click.Group):
    """Errors a user can act on are printed as one line with exit code 2, never a traceback."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except TradeExtractError as exc:
            click.echo(f"error: {exc}", err=True)
            ctx.exit(2)


@click.group(cls=_Group)
@click.version_option(package_name="tradeextract")
def main() -> None:
    """Turn news articles about foreign trade into a linked, auditable dataset of figures.

    Put articles (UTF-8 text, one paragraph a line, optional YAML front matter)
    in corpus/, then run `tradeextract extract`. Each figure becomes one row of
    output/facts.csv, linked to its economy, partner, flow, indicator and period,
    with the sentence it came from and the rule that linked it.
    """


_corpus = click.option("--corpus", type=click.Path(path_type=Path), default="corpus", show_default=True,
                       help="Folder of articles (subfolders allowed).")
_rules = click.option("--rules", "rules_dir", type=click.Path(path_type=Path), default="rules", show_default=True,
                      help="Folder of rule files (YAML).")


@main.command()
@_corpus
@click.option("--output", type=click.Path(path_type=Path), default="output", show_default=True,
              help="Folder the dataset is written to.")
@_rules
@click.option("--progress/--no-progress", default=True, help="Show a progress bar on a terminal.")
@click.option("--strict", is_flag=True, help="Fail, writing nothing, when any article has to be skipped.")
@click.option("--jobs", type=click.IntRange(min=1), default=1, show_default=True,
              help="Processes on this machine (with --engine dask and no --scheduler: local workers).")
@click.option("--engine", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Where articles are processed: here, or on a Dask cluster.")
@click.option("--scheduler", default=None, metavar="ADDRESS",
              help="The Dask scheduler to send articles to, e.g. tcp://10.0.0.5:8786.")
@click.option("--cache/--no-cache", default=True,
              help="Reuse the results of articles unchanged since the last run (--no-cache: a cold run).")
@click.option("--cache-dir", type=click.Path(path_type=Path), default=None,
              help="Folder of the cache [default: .tradeextract-cache/<output name> beside OUTPUT].")
def extract(corpus: Path, output: Path, rules_dir: Path, progress: bool, strict: bool, jobs: int, engine: str,
            scheduler: str | None, cache: bool, cache_dir: Path | None) -> None:
    """Extract every figure of the articles in CORPUS into OUTPUT.

    Writes facts.csv and documents.csv (the dataset contract), evidence.jsonl
    (the cue behind every field of every fact) and unlinked.csv (numbers that
    gave no fact, with the reason).

    A file that cannot be read as an article (empty, binary, an encoding not
    detected with confidence) is skipped with a warning and its reason in
    documents.csv; the run goes on. With --strict any skip is an error.

    Only articles added or changed since the last run are processed (a rule
    or code change re-processes all); --jobs, --engine and the cache never
    change the output.
    """
    from .runner import default_cache_dir, write_corpus

    if not corpus.is_dir():
        raise click.BadParameter(f"{corpus} is not a folder", param_hint="--corpus")
    if scheduler and engine != "dask":
        raise click.BadParameter("a scheduler is only used with --engine dask", param_hint="--scheduler")
    started = time.perf_counter()
    folder = (cache_dir or default_cache_dir(output)) if cache else None
    writer = write_corpus(corpus, output, rules_dir, jobs=jobs, engine=engine, scheduler=scheduler,
                          cache_dir=folder, progress=_progress(progress, "extract"), strict=strict,
                          on_skipped=lambda doc_id, status: click.echo(f"warning: {doc_id}: {status}", err=True))
    n_facts = writer.n_facts
    seconds = time.perf_counter() - started
    click.echo(f"{writer.n_articles} articles, {n_facts} facts, {seconds:.1f} s -> {output}/facts.csv")


@main.command()
@click.option("--gold", "gold_dir", type=click.Path(path_type=Path), default="tests/gold", show_default=True,
              help="Folder of gold labels: contract CSVs and/or JSONL labels located by `ctx`.")
@_corpus
@_rules
@click.option("--facts", "facts_file", type=click.Path(path_type=Path), default=None,
              help="Score this facts.csv instead of extracting CORPUS afresh.")
@click.option("--min-f1", type=float, default=None, help="Exit 1 when linked F1 falls under this.")
@click.option("--details/--no-details", default=True, help="List every missed, extra and mislinked figure.")
def evaluate(gold_dir: Path, corpus: Path, rules_dir: Path, facts_file: Path | None, min_f1: float | None,
             details: bool) -> None:
    """Score the extractor against hand-labelled gold (the contract's scoring).

    Prints detection and linked precision/recall/F1, per-field agreement, the
    figures per article, and every missed, extra and mislinked figure with the
    fields that disagree.
    """
    import pandas as pd

    from .evaluate import load_gold, score_frames
    from .extract import extract as run_extract
    from .report_text import print_score

    if not gold_dir.is_dir():
        raise click.BadParameter(f"{gold_dir} is not a folder", param_hint="--gold")
    gold = load_gold(gold_dir, corpus)
    if facts_file is not None:
        predicted = pd.read_csv(facts_file, dtype=str, keep_default_na=False)
    else:
        predicted = run_extract(corpus, None, rules_dir).astype(str)
    docs = set(gold["doc_id"])
    predicted = predicted[predicted["doc_id"].isin(docs)]
    total, per_doc = score_frames(predicted, gold)
    print_score(total, per_doc, details, click.echo)
    linked_f1 = total.linking[2]
    if min_f1 is not None and linked_f1 < min_f1:
        click.echo(f"linked F1 {linked_f1:.3f} is under --min-f1 {min_f1:.3f}", err=True)
        sys.exit(1)


_output = click.option("--output", type=click.Path(path_type=Path), default="output", show_default=True,
                       help="Folder `extract` wrote the dataset to.")


@main.command()
@click.argument("fact_id")
@_output
@_corpus
@click.option("--color/--no-color", "colour", default=None,
              help="Colour the figure and its cues (default: only on a terminal; plain [markers] when piped).")
def show(fact_id: str, output: Path, corpus: Path, colour: bool | None) -> None:
    """Show one fact: its row, its sentence with the figure and each cue marked, and the rule ids.

    FACT_ID is the first column of facts.csv (a unique prefix will do). Cues
    from an earlier sentence, the title or the front matter are shown in
    their own sentence or line, with where they came from.
    """
    from .audit import load_output, render_fact

    if colour is None:
        colour = sys.stdout.isatty()
    click.echo(render_fact(load_output(output), fact_id, corpus, colour), color=colour)


@main.command()
@_output
@_corpus
@click.option("--to", "target", type=click.Path(path_type=Path), default=None,
              help="Write the report here instead of OUTPUT/report.html.")
def report(output: Path, corpus: Path, target: Path | None) -> None:
    """Write OUTPUT/report.html: one self-contained page to audit every figure.

    A summary (facts by economy, indicator and period; counts per article;
    unlinked numbers), a sortable, filterable facts table, and each article
    with every figure highlighted: click one to see its row and the cues that
    linked it. No network is needed to open it.
    """
    from .report import write_report

    summary = write_report(output, corpus, target)
    for warning in summary.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(f"{summary.articles} articles, {summary.facts} facts, {summary.unlinked} unlinked numbers "
               f"-> {summary.path}")


if __name__ == "__main__":  # pragma: no cover
    main()
