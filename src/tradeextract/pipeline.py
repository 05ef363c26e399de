"""The spaCy pipeline: a blank English tokenizer plus our rules, no statistical model.

    trade_sentencizer -> economy_ruler -> vocab_ruler -> trade_numbers -> trade_periods

Results travel on the Doc: `doc.spans["economies"]`, `doc.spans["vocab"]`
(flows, indicators, products, cue words, each span's `id_` the rule id),
`doc._.numbers` and `doc._.periods`.
"""
from __future__ import annotations

import re
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from . import segment  # noqa: F401 - registers trade_sentencizer
from .gazetteer import Gazetteer, build_gazetteer
from .numbers import number_scanner
from .periods import PeriodScanner
from .rules import RuleSet, load_rules

for _name in ("numbers", "periods"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

# Rule sets by directory, so that components configured by a path string share one load.
_RULES: dict[str, RuleSet] = {}


def _rules_for(rules_dir: str) -> RuleSet:
    key = str(Path(rules_dir).resolve())
    if key not in _RULES:
        _RULES[key] = load_rules(key)
    return _RULES[key]


def _scanning_component(extension: str, scanner):
    """A component that stores what `scanner.scan(doc.text)` finds in `doc._.<extension>`."""

    def scan(doc: Doc) -> Doc:
        doc._.set(extension, scanner.scan(segment.doc_text(doc)))
        return doc

    return scan


@Language.factory("trade_numbers", default_config={"rules_dir": "rules"})
def make_trade_numbers(nlp: Language, name: str, rules_dir: str):
    return _scanning_component("numbers", number_scanner(_rules_for(rules_dir)))


@Language.factory("trade_periods", default_config={"rules_dir": "rules"})
def make_trade_periods(nlp: Language, name: str, rules_dir: str):
    return _scanning_component("periods", PeriodScanner(_rules_for(rules_dir)))


# Cue vocabularies: (file, section, span label, key holding the words)
VOCAB_SECTIONS = [
    ("flows.yaml", "flows", "FLOW", "names"),
    ("flows.yaml", "indicators", "INDICATOR", "names"),
    ("flows.yaml", "not_flows", "NOT_FLOW", "names"),
    ("products.yaml", "products", "PRODUCT", "names"),
    ("anaphora.yaml", "anaphora", "ANAPHOR", "names"),
    ("cues.yaml", "change_up", "CHANGE_UP", "words"),
    ("cues.yaml", "change_down", "CHANGE_DOWN", "words"),
    ("cues.yaml", "share", "SHARE", "words"),
    ("cues.yaml", "rank", "RANK", "words"),
    ("cues.yaml", "qualifiers", "QUALIFIER", "words"),
    ("cues.yaml", "balance_negative", "BAL_NEG", "words"),
    ("cues.yaml", "balance_positive", "BAL_POS", "words"),
    ("cues.yaml", "not_facts", "NOT_FACT", "words"),
]


# spaCy's tokenizer strips prefixes and suffixes one at a time, rescanning the rest of a
# word each time: a run of 8,000 "%" or "(" with no space takes seconds, growing with the
# square of its length. Runs longer than this (no word of the seeds or devset passes 20
# characters; a long URL may) are tokenized in parts of this size.
MAX_RUN = 200
_LONG_RUN = re.compile(r"\S{%d,}" % (MAX_RUN + 1))


class BoundedTokenizer:
    """spaCy's tokenizer, given no run of more than MAX_RUN characters without a space."""

    def __init__(self, tokenizer, limit: int = MAX_RUN):
        self.tokenizer = tokenizer
        self.limit = limit

    def __call__(self, text: str) -> Doc:
        cuts = [cut for run in _LONG_RUN.finditer(text) for cut in range(run.start() + self.limit, run.end(), self.limit)]
        if not cuts:
            return self.tokenizer(text)
        bounds = [0, *cuts, len(text)]
        return Doc.from_docs([self.tokenizer(text[a:b]) for a, b in zip(bounds, bounds[1:])], ensure_whitespace=False)


def build_nlp(rules_dir: Path | str = "rules") -> tuple[Language, RuleSet, Gazetteer]:
    """The pipeline for a rules directory, with its rule set and gazetteer."""
    rules = _rules_for(str(rules_dir))
    gazetteer = build_gazetteer(rules)
    nlp = spacy.blank("en")
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    # A span ruler runs the components before it over each phrase pattern it is given: the
    # rulers are filled while nothing stands before them, then put in order
    # (trade_sentencizer -> economy_ruler -> vocab_ruler), saving a pass over thousands of names.
    vocab_ruler = nlp.add_pipe("span_ruler", name="vocab_ruler", config={
        "spans_key": "vocab", "phrase_matcher_attr": "LOWER", "overwrite": True})
    patterns = []
    for filename, section, label, key in VOCAB_SECTIONS:
        for entry in rules.section(filename, section):
            words = entry[key]
            for word in (words if isinstance(words, list) else list(words)):
                patterns.append({"label": label, "pattern": word, "id": entry["id"]})
    for entry in rules.section("anaphora.yaml", "epithets"):
        patterns.append({"label": "ANAPHOR", "pattern": entry["pattern"], "id": entry["id"]})
    vocab_ruler.add_patterns(patterns)
    economy_ruler = nlp.add_pipe("span_ruler", name="economy_ruler", first=True, config={
        "spans_key": "economies", "phrase_matcher_attr": "ORTH", "overwrite": True})
    economy_ruler.add_patterns([
        {"label": "ECONOMY", "pattern": name, "id": name} for name in sorted(gazetteer.names)])
    nlp.add_pipe("trade_sentencizer", first=True)
    resolved = str(Path(rules_dir).resolve())
    nlp.add_pipe("trade_numbers", config={"rules_dir": resolved})
    nlp.add_pipe("trade_periods", config={"rules_dir": resolved})
    return nlp, rules, gazetteer
