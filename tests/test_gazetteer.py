"""The gazetteer's package data: the romanised city names and their cache."""
from __future__ import annotations

import json

from tradeextract import gazetteer


def _adcodes() -> bytes:
    return gazetteer.cpca_adcodes().read_bytes()


def test_city_cache_round_trip_gives_the_same_names(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = gazetteer._romanised_cities(_adcodes())
    cached_files = list((tmp_path / "tradeextract").glob("cities-*.json"))
    assert len(cached_files) == 1
    assert gazetteer._romanised_cities(_adcodes()) == fresh
    assert ("city", "Ningbo") in fresh and ("city", "Xiamen") in fresh and ("city", "Tai'an") in fresh


def test_a_damaged_city_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    fresh = gazetteer._romanised_cities(_adcodes())
    cached = next((tmp_path / "tradeextract").glob("cities-*.json"))
    for damage in ("{not json", json.dumps([["town", 3]]), json.dumps({"a": 1})):
        cached.write_text(damage, encoding="utf-8")
        assert gazetteer._romanised_cities(_adcodes()) == fresh


def test_an_unwritable_cache_folder_only_costs_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")  # a file where the cache folder would go
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert ("city", "Ningbo") in gazetteer._romanised_cities(_adcodes())
