"""tradeextract: figures from foreign-trade news, linked and auditable.

    >>> import tradeextract
    >>> facts = tradeextract.extract("corpus", "output")   # a pandas DataFrame

The stages, one module each: corpus (read) -> segment/pipeline (spaCy) ->
numbers, periods, mentions (find) -> linking (link) -> records -> dataset (write).
"""
from .extract import Extractor, article_from_text, extract
from .records import COLUMNS, Cue, Fact

__all__ = ["COLUMNS", "Cue", "Extractor", "Fact", "article_from_text", "extract"]
__version__ = "0.1.0"
