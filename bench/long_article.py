"""Time per byte of one huge article against the seeds' (the bar: at most 3 times).

    PYTHONPATH=src python3 bench/long_article.py            # a 50 MB article (several minutes)
    PYTHONPATH=src python3 bench/long_article.py --mb 5     # a quicker look

The article is the seeds' text repeated, one paragraph a line, up to the size
asked for; a second one is a single line of that text with its sentence ends
taken out. Each is read, extracted and written like `tradeextract extract`
does, with the pipeline built beforehand, and so are the seeds (best of
three). Machines are noisy: this is a measurement to read, not a test.
"""
from __future__ import annotations

import argparse
import re
import tempfile
import time
from pathlib import Path

from tradeextract.corpus import discover, read_article
from tradeextract.dataset import write_dataset
from tradeextract.extract import Extractor

ROOT = Path(__file__).resolve().parent.parent


def timed_run(extractor: Extractor, corpus: Path, output: Path) -> tuple[float, int, int]:
    """Seconds to read, extract and write `corpus`; its bytes; its facts."""
    started = time.perf_counter()
    results = [extractor.process(read_article(p, corpus)) for p in discover(corpus)]
    write_dataset(results, output)
    seconds = time.perf_counter() - started
    return seconds, sum(p.stat().st_size for p in discover(corpus)), sum(len(r.facts) for r in results)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=float, default=50.0, help="size of the long article in MB (default 50)")
    parser.add_argument("--line-mb", type=float, default=1.0, help="size of the one-line article in MB (default 1)")
    args = parser.parse_args()

    extractor = Extractor(ROOT / "rules")
    seeds = ROOT / "corpus"
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        timed_run(extractor, seeds, tmp / "warm")  # quantulum3 loads its data on first use
        seed_s, seed_bytes, seed_facts = min(timed_run(extractor, seeds, tmp / f"seeds{i}") for i in range(3))
        seed_rate = seed_s / seed_bytes
        print(f"seeds       {seed_bytes:>12,} bytes {seed_s:8.2f} s {seed_rate * 1e6:6.2f} us/byte "
              f"{seed_facts:>9,} facts")

        text = "\n".join(p.read_text(encoding="utf-8").strip("\n") for p in discover(seeds)) + "\n"
        cases = {
            "long": (text * int(args.mb * 1e6 // len(text) + 1))[:int(args.mb * 1e6)],
            "one line": (re.sub(r"[.!?]\s", ", ", text).replace("\n", " ")
                         * int(args.line_mb * 1e6 // len(text) + 1))[:int(args.line_mb * 1e6)],
        }
        for name, body in cases.items():
            corpus = tmp / name.replace(" ", "-")
            corpus.mkdir()
            (corpus / "article.txt").write_text(body, encoding="utf-8")
            seconds, size, facts = timed_run(extractor, corpus, tmp / f"out-{corpus.name}")
            rate = seconds / size
            print(f"{name:<11} {size:>12,} bytes {seconds:8.2f} s {rate * 1e6:6.2f} us/byte {facts:>9,} facts"
                  f"   {rate / seed_rate:.2f} x the seeds per byte")


if __name__ == "__main__":
    main()
