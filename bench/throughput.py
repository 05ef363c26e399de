"""Throughput of `extract` against spaCy's blank English tokenizer and sentencizer, plus the cache and memory.

    PYTHONPATH=src python3 bench/throughput.py                 # 2,000 articles, then 10,000 for memory
    PYTHONPATH=src python3 bench/throughput.py --memory-articles 0 --articles 500   # a quicker look

The corpus is the repository's articles (corpus/, tests/devset/articles,
tests/articles) copied under new names until it holds --articles files and at
least 500,000 words. In one run it times:

- the reference: `spacy.blank("en")` plus spaCy's `sentencizer` over the same texts;
- a cold `extract` (empty cache: the pipeline is built, quantulum3 loaded, every article processed);
- a warm re-run on the unchanged corpus, and a re-run after adding one article (fractions of the cold run);
- the peak memory of a cold run over --memory-articles articles.

Each `extract` runs in a fresh process, timed from the call of
`tradeextract.extract()` to the dataset written (the interpreter's start and
its imports of pandas and spaCy are the same for every run and are printed
apart). Peak memory is that process's maximum resident set. Machines are
noisy: this is a measurement to read, not a test.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "corpus", ROOT / "tests" / "devset" / "articles", ROOT / "tests" / "articles"]
MIN_WORDS = 500_000

# Run in a fresh interpreter: imports first (untimed, printed apart), then one extract() call.
_HARNESS = """
import json, sys, time
started = time.perf_counter()
import tradeextract
imported = time.perf_counter()
corpus, output, cache_dir, jobs = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
tradeextract.extract(corpus, output, sys.argv[5], cache=cache_dir != "-", cache_dir=None if cache_dir == "-" else cache_dir,
                     jobs=jobs)
done = time.perf_counter()
print(json.dumps({"imports": imported - started, "seconds": done - imported}))
"""


def build_corpus(folder: Path, n_articles: int, min_words: int = 0) -> tuple[list[str], int]:
    """Copy the repository's articles into `folder` under new names; their texts and word count."""
    sources = sorted(p for s in SOURCES for p in s.rglob("*") if p.is_file())
    folder.mkdir(parents=True)
    texts, words, i = [], 0, 0
    while i < n_articles or words < min_words:
        source = sources[i % len(sources)]
        target = folder / f"{i:06d}_{source.name}"
        shutil.copyfile(source, target)
        text = source.read_bytes().decode("utf-8", errors="replace")
        texts.append(text)
        words += len(text.split())
        i += 1
    return texts, words


def reference_seconds(texts: list[str]) -> float:
    """Seconds for a blank English tokenizer plus sentencizer over the texts (best of two)."""
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    best = float("inf")
    for _ in range(2):
        started = time.perf_counter()
        for text in texts:
            nlp(text)
        best = min(best, time.perf_counter() - started)
    return best


def timed_extract(corpus: Path, output: Path, cache_dir: Path | None, jobs: int = 1) -> dict:
    """One extract() in a fresh process: its seconds, its imports' seconds, its peak memory (MB)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", _HARNESS, str(corpus), str(output),
                                str(cache_dir) if cache_dir else "-", str(jobs), str(ROOT / "rules")],
                               env=env, stdout=subprocess.PIPE, text=True)
    out = process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"extract failed ({status}): {out}")
    result = json.loads(out.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    result["peak_mb"] = usage.ru_maxrss / 1024  # kilobytes on Linux
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=2000, help="articles in the corpus (default 2000)")
    parser.add_argument("--memory-articles", type=int, default=10_000,
                        help="articles of the peak-memory run (default 10000; 0 skips it)")
    parser.add_argument("--jobs", type=int, default=1, help="--jobs of the timed runs (default 1)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        texts, words = build_corpus(tmp / "corpus", args.articles, MIN_WORDS)
        print(f"corpus      {len(texts):>9,} articles {words:>11,} words")
        ref = reference_seconds(texts)
        ref_rate = words / ref
        print(f"reference   {ref:9.2f} s {ref_rate:>11,.0f} words/s   (spacy.blank('en') + sentencizer)")

        cache = tmp / "cache"
        cold = timed_extract(tmp / "corpus", tmp / "output", cache, args.jobs)
        rate = words / cold["seconds"]
        print(f"cold        {cold['seconds']:9.2f} s {rate:>11,.0f} words/s   ratio ours/reference {rate / ref_rate:.3f}"
              f"   peak {cold['peak_mb']:,.0f} MB   (+{cold['imports']:.2f} s imports)")

        warm = timed_extract(tmp / "corpus", tmp / "output", cache, args.jobs)
        print(f"warm        {warm['seconds']:9.2f} s   {warm['seconds'] / cold['seconds']:.3f} of cold"
              f"   (+{warm['imports']:.2f} s imports)")

        added = tmp / "corpus" / "zz_added.txt"
        shutil.copyfile(sorted(SOURCES[0].glob("*"))[0], added)
        one = timed_extract(tmp / "corpus", tmp / "output", cache, args.jobs)
        print(f"one added   {one['seconds']:9.2f} s   {one['seconds'] / cold['seconds']:.3f} of cold"
              f"   (+{one['imports']:.2f} s imports)")

        if args.memory_articles:
            shutil.rmtree(tmp / "output")
            big_texts, big_words = build_corpus(tmp / "big", args.memory_articles)
            big = timed_extract(tmp / "big", tmp / "big-output", None, args.jobs)
            print(f"memory      {len(big_texts):>9,} articles {big_words:>11,} words {big['seconds']:9.2f} s"
                  f"   peak {big['peak_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
