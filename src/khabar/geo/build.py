"""Build the shipped geography tables from ../shared/data/geo (GeoNames, CC BY 4.0; LGD, GODL-India):
`khabar train geo`. Each run writes the same bytes from the same input.

- `countries.tsv`: ISO 3166 alpha-2 and alpha-3, FIPS 10-4 (the codes GDELT uses), the English name,
  the GeoNames id and an approximate centre (the median latitude and longitude of the country's towns
  in cities15000: a centre of settlement, not the centroid GDELT uses).
- `admin1.tsv`: first-level divisions: the GDELT-style ADM1 code (FIPS country code + GeoNames admin1
  code, e.g. IN36 for Uttar Pradesh), the name, the Wikidata id of Indian states (LGD table) and the
  coordinates of the division's capital or most populous town.
- `cities.tsv`: towns of South Asia in cities15000 and towns elsewhere of 100,000 people or more, with
  their country, ADM1 code, coordinates, population and GeoNames id.
"""

from __future__ import annotations

import csv
import statistics
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

from khabar.errors import KhabarError

HERE = Path(__file__).resolve().parent / "data"
SOUTH_ASIA = {"IN", "PK", "BD", "NP", "LK", "BT", "MV", "AF", "MM"}
# Towns elsewhere need this many people to be shipped (keeps the table small; news names big towns).
WORLD_CITY_POPULATION = 100_000
HEADER = "# Built by `khabar train geo` from GeoNames (geonames.org, CC BY 4.0) and, for Indian states, the Local Government Directory (GODL-India); see NOTICE.\n"


def _rows(path: Path) -> Iterator[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        yield from csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)


def _write(path: Path, columns: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER)
        out.write("\t".join(columns) + "\n")
        for row in rows:
            out.write("\t".join(row) + "\n")


def _coord(value: float) -> str:
    return f"{value:.4f}"


def build_geo(data: Path, out: Path = HERE) -> dict[str, int]:
    """Write countries.tsv, admin1.tsv and cities.tsv into `out` from the shared geo folder `data`."""
    geo = data / "geo"
    if not (geo / "geonames" / "cities15000.tsv").is_file():
        raise KhabarError(f"{geo}: no GeoNames files here (see ../shared/data/geo/README.md)")
    out.mkdir(parents=True, exist_ok=True)
    fips_of = {r["iso2"]: r["fips"] for r in _rows(geo / "codes" / "fips10_4_iso3166.tsv") if r["fips"]}
    cities = list(_rows(geo / "geonames" / "cities15000.tsv"))
    places: dict[str, list[tuple[float, float]]] = defaultdict(list)
    biggest: dict[str, tuple[int, float, float]] = {}
    for c in cities:
        lat, lon, pop = float(c["latitude"]), float(c["longitude"]), int(c["population"] or 0)
        places[c["country_code"]].append((lat, lon))
        key = f"{c['country_code']}.{c['admin1_code']}"
        capital = c["feature_code"] == "PPLA"
        rank = pop + (10**10 if capital else 0)
        if key not in biggest or rank > biggest[key][0]:
            biggest[key] = (rank, lat, lon)
    countries: list[list[str]] = []
    for r in sorted(_rows(geo / "geonames" / "countryInfo.tsv"), key=lambda r: r["iso"]):
        spots = places.get(r["iso"], [])
        mid_lat = _coord(statistics.median(p[0] for p in spots)) if spots else ""
        mid_lon = _coord(statistics.median(p[1] for p in spots)) if spots else ""
        fips = fips_of.get(r["iso"], r["fips"])
        countries.append([r["iso"], r["iso3"], fips, r["country"], r["geonameid"], mid_lat, mid_lon])
    _write(out / "countries.tsv", ["iso2", "iso3", "fips", "name", "geonameid", "lat", "lon"], countries)
    qid = {r["geonames_admin1"]: r["wikidata"] for r in _rows(geo / "india" / "states_lgd.tsv")}
    admin1: list[list[str]] = []
    for r in sorted(_rows(geo / "geonames" / "admin1.tsv"), key=lambda r: r["admin1_code"]):
        iso2, code = r["admin1_code"].split(".", 1)
        division_fips = fips_of.get(iso2)
        if not division_fips:
            continue
        spot = biggest.get(r["admin1_code"])
        admin1.append(
            [
                r["admin1_code"],
                division_fips + code,
                r["name_ascii"] or r["name"],
                r["geonameid"],
                qid.get(r["admin1_code"], ""),
                _coord(spot[1]) if spot else "",
                _coord(spot[2]) if spot else "",
            ]
        )
    _write(
        out / "admin1.tsv", ["geonames_code", "adm1", "name", "geonameid", "wikidata", "lat", "lon"], admin1
    )
    towns: list[list[str]] = []
    for c in cities:
        iso2, pop = c["country_code"], int(c["population"] or 0)
        if iso2 not in fips_of or (iso2 not in SOUTH_ASIA and pop < WORLD_CITY_POPULATION):
            continue
        names = sorted({c["name"], c["asciiname"]} - {""})
        towns.append(
            [
                c["geonameid"],
                "|".join(names),
                iso2,
                fips_of[iso2] + c["admin1_code"] if c["admin1_code"] else "",
                _coord(float(c["latitude"])),
                _coord(float(c["longitude"])),
                str(pop),
                c["feature_code"],
            ]
        )
    towns.sort(key=lambda t: int(t[0]))
    _write(
        out / "cities.tsv",
        ["geonameid", "names", "iso2", "adm1", "lat", "lon", "population", "feature"],
        towns,
    )
    return {"countries": len(countries), "admin1": len(admin1), "cities": len(towns)}
