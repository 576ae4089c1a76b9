"""Places as GDELT codes them: `locate(name_en, wikidata)` -> a `GeoPlace` with the GDELT location
type, FIPS 10-4 country code, ADM1 code, coordinates and feature id, from the shipped GeoNames tables
(`khabar train geo`; GeoNames, CC BY 4.0).

GDELT location types: 1 country, 2 US state, 3 US city, 4 world city, 5 world state (ADM1). A place
khabar cannot find (a continent, a region, a river, an unknown town) is None: GDELT records only
geocoded places. The lookup is one function so a richer place knowledge base can replace it.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
COUNTRY, US_STATE, US_CITY, WORLD_CITY, WORLD_STATE = 1, 2, 3, 4, 5
# English names in the news that GeoNames writes otherwise (lower-cased).
COUNTRY_ALIASES = {
    "america": "US",
    "usa": "US",
    "us": "US",
    "united states of america": "US",
    "britain": "GB",
    "great britain": "GB",
    "uk": "GB",
    "england": "GB",
    "russian federation": "RU",
    "czech republic": "CZ",
    "ivory coast": "CI",
    "burma": "MM",
    "palestine": "PS",
    "north korea": "KP",
    "south korea": "KR",
    "korea": "KR",
    "vatican": "VA",
    "uae": "AE",
    "congo": "CD",
    "the netherlands": "NL",
    "holland": "NL",
}


@dataclass(frozen=True, slots=True)
class GeoPlace:
    """A place as GDELT's location fields need it."""

    type: int
    name: str
    country_fips: str
    country_iso2: str
    adm1: str
    lat: str
    lon: str
    feature_id: str

    @property
    def country_iso3(self) -> str:
        """ISO 3166 alpha-3 of the country (CAMEO country codes mostly equal it)."""
        return _countries()[self.country_iso2][1] if self.country_iso2 in _countries() else ""


def _fold(name: str) -> str:
    """A lookup key: no accents, lower case, single spaces."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in plain if not unicodedata.combining(ch))
    return " ".join(plain.lower().replace("-", " ").split())


def _table(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        lines = (line for line in handle if not line.startswith("#"))
        return list(csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE))


@cache
def _countries() -> dict[str, tuple[str, str, str, str, str]]:
    """ISO2 -> (fips, iso3, name, lat, lon)."""
    return {r["iso2"]: (r["fips"], r["iso3"], r["name"], r["lat"], r["lon"]) for r in _table("countries.tsv")}


@cache
def _country_names() -> dict[str, str]:
    names = {_fold(v[2]): iso2 for iso2, v in _countries().items()}
    names.update(COUNTRY_ALIASES)
    return names


@cache
def _admin1() -> tuple[dict[str, list[dict[str, str]]], dict[str, dict[str, str]]]:
    """(folded name -> divisions, Wikidata id -> division)."""
    by_name: dict[str, list[dict[str, str]]] = {}
    by_qid: dict[str, dict[str, str]] = {}
    for r in _table("admin1.tsv"):
        by_name.setdefault(_fold(r["name"]), []).append(r)
        if r["wikidata"]:
            by_qid[r["wikidata"]] = r
    return by_name, by_qid


@cache
def _admin1_by_code() -> dict[str, dict[str, str]]:
    return {d["adm1"]: d for ds in _admin1()[0].values() for d in ds}


@cache
def _cities() -> dict[str, list[dict[str, str]]]:
    """Folded name -> towns, most populous first."""
    by_name: dict[str, list[dict[str, str]]] = {}
    for r in _table("cities.tsv"):
        for name in r["names"].split("|"):
            by_name.setdefault(_fold(name), []).append(r)
    for towns in by_name.values():
        towns.sort(key=lambda t: (-int(t["population"] or 0), t["iso2"] != "IN"))
    return by_name


def country(iso2: str) -> GeoPlace | None:
    """The country with this ISO 3166 alpha-2 code."""
    row = _countries().get(iso2.upper())
    if row is None or not row[0]:
        return None
    fips, _iso3, name, lat, lon = row
    return GeoPlace(COUNTRY, name, fips, iso2.upper(), fips, lat, lon, fips)


def _division(row: dict[str, str]) -> GeoPlace:
    iso2 = row["geonames_code"].split(".", 1)[0]
    fips = _countries()[iso2][0]
    kind = US_STATE if iso2 == "US" else WORLD_STATE
    name = f"{row['name']}, {_countries()[iso2][2]}"
    return GeoPlace(kind, name, fips, iso2, row["adm1"], row["lat"], row["lon"], row["adm1"])


def _town(row: dict[str, str], name: str) -> GeoPlace:
    iso2 = row["iso2"]
    fips = _countries()[iso2][0]
    division = _admin1_by_code().get(row["adm1"])
    parts = [name, division["name"] if division else "", _countries()[iso2][2]]
    full = ", ".join(p for p in parts if p)
    kind = US_CITY if iso2 == "US" else WORLD_CITY
    return GeoPlace(kind, full, fips, iso2, row["adm1"], row["lat"], row["lon"], row["geonameid"])


def locate(name_en: str, wikidata: str | None = None, country_hint: str | None = None) -> GeoPlace | None:
    """The place an English place name (and Wikidata id) names, or None.

    Order: a country; an Indian state by its Wikidata id; a first-level division by name (in the
    hinted country, else India, else the only one of that name); a town by name (the most
    populous, in the hinted country when given). `country_hint` is an ISO alpha-2 code.
    """
    key = _fold(name_en or "")
    if not key:
        return None
    iso2 = _country_names().get(key)
    if iso2:
        return country(iso2)
    by_name, by_qid = _admin1()
    if wikidata and wikidata in by_qid:
        return _division(by_qid[wikidata])
    divisions = by_name.get(key, [])
    towns = _cities().get(key, [])
    prefer = [country_hint.upper()] if country_hint else []
    for wanted in [*prefer, "IN"]:
        match = [d for d in divisions if d["geonames_code"].startswith(wanted + ".")]
        if match:
            # a city-state (Delhi, Chandigarh) is named for its town, as GDELT codes it
            same = [t for t in towns if t["adm1"] == match[0]["adm1"]]
            return _town(same[0], name_en.strip()) if same else _division(match[0])
    if prefer:
        towns = [t for t in towns if t["iso2"] == prefer[0]] or towns
    if towns:
        return _town(towns[0], name_en.strip())
    if len(divisions) == 1:
        return _division(divisions[0])
    if "," in name_en:  # "Washington, D.C.", "Hyderabad, Sindh": the place before the qualifier
        return locate(name_en.split(",", 1)[0], None, country_hint)
    return None
