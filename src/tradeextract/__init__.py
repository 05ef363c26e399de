"""tradeextract: figures from foreign-trade news, linked and auditable.

    >>> import tradeextract
    >>> facts = tradeextract.extract("corpus", "output")   # a pandas DataFrame
    >>> summary = tradeextract.write_report("output", "corpus")   # output/report.html
    >>> print(tradeextract.render_fact(tradeextract.load_output("output"), "b8d309ea"))

The stages, one module each: corpus (read) -> segment/pipeline (spaCy) ->
numbers, periods, mentions (find) -> linking (link) -> records -> dataset (write);
audit and report read the written dataset back for review.
"""
from .audit import load_output, render_fact
from .extract import Extractor, article_from_text, extract
from .records import COLUMNS, Cue, Fact
from .report import write_report

__all__ = ["COLUMNS", "Cue", "Extractor", "Fact", "article_from_text", "extract", "load_output", "render_fact",
           "write_report"]
__version__ = "0.1.0"
