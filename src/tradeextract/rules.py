"""Load and validate the rules in `rules/`: once per run, with file:line in every error.

Every rule is a mapping with an `id`; the ids are unique across all files,
because they end up in the `rule` column and in each fact's evidence.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import RulesError


# libyaml's parser when PyYAML was built with it (reading the rules takes a tenth of the
# time, which every new process pays), else the pure-Python one: both are safe loaders.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """A YAML loader that remembers the line of every mapping (for error messages)."""


class LineDict(dict):
    line: int = 0


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> LineDict:
    mapping = LineDict(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)

# What each file may hold: section -> allowed keys of its entries (id always required).
SCHEMA: dict[str, dict[str, set[str]]] = {
    "economies.yaml": {
        "aliases": {"id", "canonical", "names"},
        "economies": {"id", "canonical", "type", "names", "members", "within"},
        "not_economies": {"id", "names"},
        "organisation_words": {"id", "words"},
        "demonyms": {"id", "names"},
        "complements": {"id", "canonical", "before"},
        "subdivisions": {"id", "countries", "type"},
    },
    "anaphora.yaml": {
        "anaphora": {"id", "refers_to", "names"},
        "epithets": {"id", "refers_to", "pattern"},
    },
    "flows.yaml": {
        "flows": {"id", "flow", "names"},
        "not_flows": {"id", "names"},
        "indicators": {"id", "indicator", "flow", "names"},
    },
    "products.yaml": {"products": {"id", "product", "names"}},
    "currencies.yaml": {"currencies": {"id", "code", "before", "after"}, "shared_symbols": {"id", "symbol", "codes"},
                        "continued_symbols": {"id", "symbol", "codes"}},
    "numbers.yaml": {
        "scales": {"id", "factor", "words"},
        "percent": {"id", "unit", "words"},
        "multipliers": {"id", "words"},
        "number_words": {"id", "words", "value"},
        "counted": {"id", "unit", "words", "goods"},
        "ordinals": {"id", "words"},
    },
    "cues.yaml": {
        "change_up": {"id", "words"},
        "change_down": {"id", "words"},
        "share": {"id", "words"},
        "rank": {"id", "words"},
        "qualifiers": {"id", "qualifier", "words"},
        "balance_negative": {"id", "words"},
        "balance_positive": {"id", "words"},
        "not_facts": {"id", "kind", "words"},
    },
    "periods.yaml": {
        "macros": set(),
        "periods": {"id", "kind", "regex", "base"},
        "fiscal_years": {"id", "default", "starts", "named_by_start"},
    },
    "linking.yaml": {"strategies": {"id", "description"}},
}

ENTITY_TYPES = {"country", "province", "city", "county", "region", "territory", "bloc", "group"}
FLOWS = {"total", "export", "import"}
QUALIFIERS = {"approx", "min", "max"}


@dataclass
class RuleSet:
    """All rules of a `rules/` directory, validated; `digest` changes when any file does."""

    root: Path
    sections: dict[str, dict[str, list[LineDict]]] = field(default_factory=dict)
    macros: dict[str, str] = field(default_factory=dict)
    by_id: dict[str, LineDict] = field(default_factory=dict)
    digest: str = ""

    def section(self, filename: str, name: str) -> list[LineDict]:
        return self.sections.get(filename, {}).get(name, [])

    def source(self, rule_id: str) -> str:
        """Where a rule lives, as `file:line`, for the audit."""
        entry = self.by_id.get(rule_id)
        return f"{entry.get('_file')}:{entry.line}" if entry is not None else ""


def load_rules(root: Path | str) -> RuleSet:
    """Read every rules file under `root`, or raise RulesError naming file and line."""
    root = Path(root)
    if not root.is_dir():
        raise RulesError(root, None, "rules directory not found")
    rules = RuleSet(root=root)
    sha = hashlib.sha256()
    for filename, sections in SCHEMA.items():
        path = root / filename
        if not path.exists():
            raise RulesError(path, None, "rules file missing")
        raw = path.read_bytes()
        sha.update(filename.encode() + b"\0" + raw)
        data = _parse_yaml(path, raw)
        rules.sections[filename] = _validate_file(path, data, sections, rules)
    for extra in sorted(root.glob("*.yaml")):
        if extra.name not in SCHEMA:
            raise RulesError(extra, None, f"unknown rules file (expected one of {', '.join(SCHEMA)})")
    rules.digest = sha.hexdigest()
    _compile_regexes(rules)
    return rules


def _parse_yaml(path: Path, raw: bytes) -> Any:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise RulesError(path, None, f"not UTF-8 ({exc.reason} at byte {exc.start})") from None
    try:
        return yaml.load(text, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulesError(path, line, f"bad YAML: {problem}") from None


def _validate_file(path: Path, data: Any, sections: dict[str, set[str]], rules: RuleSet) -> dict:
    if data is None:
        data = LineDict()
    if not isinstance(data, dict):
        raise RulesError(path, 1, "expected a mapping of sections at the top level")
    out: dict[str, list[LineDict]] = {}
    for name, value in data.items():
        if name not in sections:
            raise RulesError(path, getattr(data, "line", None), f"unknown section {name!r} (allowed: {', '.join(sections)})")
        if name == "macros":
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                raise RulesError(path, getattr(value, "line", None), "macros must map names to regex strings")
            rules.macros.update(value)
            continue
        if not isinstance(value, list):
            raise RulesError(path, getattr(data, "line", None), f"section {name!r} must be a list of rules")
        for entry in value:
            _validate_entry(path, name, entry, sections[name], rules)
        out[name] = value
    return out


def _validate_entry(path: Path, section: str, entry: Any, allowed: set[str], rules: RuleSet) -> None:
    line = getattr(entry, "line", None)
    if not isinstance(entry, dict):
        raise RulesError(path, line, f"each rule in {section!r} must be a mapping with an id")
    unknown = set(entry) - allowed
    if unknown:
        raise RulesError(path, line, f"unknown key {sorted(unknown)[0]!r} in {section!r} (allowed: {', '.join(sorted(allowed))})")
    rule_id = entry.get("id")
    if not isinstance(rule_id, str) or not rule_id:
        raise RulesError(path, line, f"rule in {section!r} has no id")
    if rule_id in rules.by_id:
        first = rules.by_id[rule_id]
        raise RulesError(path, line, f"duplicate id {rule_id!r} (first at {first['_file']}:{first.line})")
    for key in ("names", "words", "before", "after"):
        if key in entry and not _is_string_list(entry[key]) and not (key in ("words", "names") and isinstance(entry[key], dict)):
            raise RulesError(path, line, f"{rule_id}: {key!r} must be a list of strings")
    if "type" in entry and entry["type"] not in ENTITY_TYPES:
        raise RulesError(path, line, f"{rule_id}: type {entry['type']!r} is not one of {', '.join(sorted(ENTITY_TYPES))}")
    if "flow" in entry and entry["flow"] not in FLOWS:
        raise RulesError(path, line, f"{rule_id}: flow {entry['flow']!r} is not one of {', '.join(sorted(FLOWS))}")
    if "qualifier" in entry and entry["qualifier"] not in QUALIFIERS:
        raise RulesError(path, line, f"{rule_id}: qualifier {entry['qualifier']!r} is not one of {', '.join(sorted(QUALIFIERS))}")
    if "code" in entry:
        _check_currency(path, line, rule_id, entry["code"])
    if "codes" in entry:
        codes = entry["codes"]
        if not isinstance(codes, (list, dict)) or not codes:
            raise RulesError(path, line, f"{rule_id}: 'codes' must be a list of currency codes or a mapping economy -> code")
        for code in (codes.values() if isinstance(codes, dict) else codes):
            _check_currency(path, line, rule_id, code)
    if "countries" in entry:
        import pycountry

        if not _is_string_list(entry["countries"]):
            raise RulesError(path, line, f"{rule_id}: 'countries' must be a list of ISO 3166 alpha-2 codes")
        for code in entry["countries"]:
            if pycountry.countries.get(alpha_2=code) is None:
                raise RulesError(path, line, f"{rule_id}: {code!r} is not an ISO 3166 alpha-2 country code")
    entry["_file"] = path.name
    entry["_section"] = section
    rules.by_id[rule_id] = entry


def _is_string_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) and v for v in value)


def _check_currency(path: Path, line: int | None, rule_id: str, code: Any) -> None:
    import pycountry

    if not isinstance(code, str) or pycountry.currencies.get(alpha_3=code) is None:
        raise RulesError(path, line, f"{rule_id}: {code!r} is not an ISO 4217 currency code")


def _compile_regexes(rules: RuleSet) -> None:
    """Compile every period regex once, so a bad one fails before any article is read."""
    path = rules.root / "periods.yaml"
    for entry in rules.section("periods.yaml", "periods"):
        source = expand_macros(entry.get("regex", ""), rules.macros)
        try:
            entry["_compiled"] = re.compile(source, re.IGNORECASE)
        except re.error as exc:
            raise RulesError(path, entry.line, f"{entry['id']}: regex does not compile: {exc}") from None


def expand_macros(pattern: str, macros: dict[str, str]) -> str:
    """Paste `{NAME}` macros into a regex (other braces, like `{1,2}`, stay as they are)."""
    return re.sub(r"\{([A-Z]+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
