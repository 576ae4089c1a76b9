"""Field rules of the GDELT GKG 2.1 and Event 2.0 codebooks, written from the codebooks' descriptions
(not from khabar's code): `gkg_problems(line)` and `event_problems(line)` list what a GDELT reader
would misread in one line of an export.

FIPS 10-4 country codes come from ../shared/data/geo/codes/fips10_4_iso3166.tsv (GeoNames, checked
against gdelt-py) when it is there, else from the table khabar ships.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED_FIPS = ROOT.parent / "shared" / "data" / "geo" / "codes" / "fips10_4_iso3166.tsv"
SHIPPED = ROOT / "src" / "khabar" / "geo" / "data" / "countries.tsv"

GKG_FIELDS = 27
EVENT_FIELDS = 61
STAMP = re.compile(r"^\d{14}$")
RECORD_ID = re.compile(r"^\d{14}-T?\d+$")
INT = re.compile(r"^-?\d+$")
FLOAT = re.compile(r"^-?\d+(\.\d+)?$")
ADM1 = re.compile(r"^[A-Z]{2}[A-Z0-9]*$")


@cache
def fips_countries() -> dict[str, str]:
    """FIPS 10-4 code -> country name."""
    if SHARED_FIPS.is_file():
        with SHARED_FIPS.open(encoding="utf-8") as handle:
            return {r["fips"]: r["name"] for r in csv.DictReader(handle, delimiter="\t") if r["fips"]}
    with SHIPPED.open(encoding="utf-8") as handle:
        rows = csv.DictReader((line for line in handle if not line.startswith("#")), delimiter="\t")
        return {r["fips"]: r["name"] for r in rows if r["fips"]}


def _location(fields: list[str], where: str, enhanced: bool) -> list[str]:
    """Type#FullName#CountryCode#ADM1Code[#ADM2Code]#Lat#Long#FeatureID[#Offset]."""
    want = 9 if enhanced else 7
    if len(fields) != want:
        return [f"{where}: {len(fields)} fields, the codebook has {want}"]
    kind, name, country, adm1 = fields[:4]
    lat, lon, feature = (fields[5], fields[6], fields[7]) if enhanced else (fields[4], fields[5], fields[6])
    out = []
    if kind not in {"1", "2", "3", "4", "5"}:
        out.append(f"{where}: location type {kind!r} is not 1-5")
    if country not in fips_countries():
        out.append(f"{where}: {country!r} is not a FIPS 10-4 country code")
    if kind == "1" and fips_countries().get(country, "").lower() != name.lower():
        out.append(f"{where}: country {name!r} coded {country!r} ({fips_countries().get(country)})")
    countries = {n.lower() for n in fips_countries().values()}
    if kind != "1" and (name.lower() in countries or feature == country):
        out.append(f"{where}: the country {name!r} has location type {kind}, not 1")
    if kind in {"2", "3"} and country != "US":
        out.append(f"{where}: US location types for a place in {country}")
    if kind in {"4", "5"} and country == "US":
        out.append(f"{where}: world location type for a US place")
    if adm1 and not (ADM1.match(adm1) and adm1.startswith(country)):
        out.append(f"{where}: ADM1 code {adm1!r} is not the country code plus the division")
    if kind == "5" and len(adm1) <= 2:
        out.append(f"{where}: an ADM1 location without an ADM1 code")
    for value, low, high, label in ((lat, -90, 90, "latitude"), (lon, -180, 180, "longitude")):
        if value and not (FLOAT.match(value) and low <= float(value) <= high):
            out.append(f"{where}: {label} {value!r}")
    if not (lat and lon):
        out.append(f"{where}: no coordinates")
    if not feature:
        out.append(f"{where}: no feature id")
    if enhanced and not INT.match(fields[8]):
        out.append(f"{where}: offset {fields[8]!r}")
    return out


def _blocks(cell: str, sep: str = ";") -> list[str]:
    return [b for b in cell.split(sep) if b] if cell else []


def gkg_problems(line: str) -> list[str]:
    """What breaks the GKG 2.1 codebook in one line (an empty list for a valid record)."""
    cells = line.rstrip("\n").split("\t")
    if len(cells) != GKG_FIELDS:
        return [f"{len(cells)} tab-separated fields, GKG 2.1 has {GKG_FIELDS}"]
    out = []
    rid, day, collection, common, docid = cells[:5]
    if not RECORD_ID.match(rid):
        out.append(f"GKGRECORDID {rid!r} is not YYYYMMDDHHMMSS-N")
    if not STAMP.match(day):
        out.append(f"V2.1DATE {day!r} is not YYYYMMDDHHMMSS")
    if rid[:14] != day and RECORD_ID.match(rid):
        out.append("GKGRECORDID and V2.1DATE differ")
    if collection not in {"1", "2", "3", "4", "5", "6"}:
        out.append(f"V2SOURCECOLLECTIONIDENTIFIER {collection!r}")
    if collection == "1" and ("/" in common or "\\" in common):
        out.append(f"V2SOURCECOMMONNAME {common!r} is a path, not a domain")
    if not docid:
        out.append("V2DOCUMENTIDENTIFIER is empty")
    for i, block in enumerate(_blocks(cells[5])):
        if len(block.split("#")) != 10:
            out.append(f"V1COUNTS block {i}: {len(block.split('#'))} fields, not 10")
    for i, block in enumerate(_blocks(cells[6])):
        parts = block.split("#")
        if len(parts) != 11 or not INT.match(parts[-1]) or not FLOAT.match(parts[1]):
            out.append(f"V2.1COUNTS block {i}: {block!r}")
    for i, block in enumerate(_blocks(cells[9])):
        out += _location(block.split("#"), f"V1LOCATIONS block {i}", enhanced=False)
    for i, block in enumerate(_blocks(cells[10])):
        out += _location(block.split("#"), f"V2ENHANCEDLOCATIONS block {i}", enhanced=True)
    for col, name in ((12, "V2ENHANCEDPERSONS"), (14, "V2ENHANCEDORGANIZATIONS"), (23, "V2.1ALLNAMES")):
        for block in _blocks(cells[col]):
            if not re.match(r"^[^,]+,\d+$", block):
                out.append(f"{name} block {block!r} is not Name,Offset")
    tone = cells[15]
    if tone and (len(tone.split(",")) != 7 or not all(FLOAT.match(v) for v in tone.split(","))):
        out.append(f"V1.5TONE {tone!r} is not seven numbers")
    for block in _blocks(cells[16]):
        parts = block.split("#")
        if len(parts) != 5 or parts[0] not in {"1", "2", "3", "4"} or not all(INT.match(p) for p in parts):
            out.append(f"V2.1ENHANCEDDATES block {block!r}")
    for block in _blocks(cells[22], "#"):
        parts = block.split("|")
        if len(parts) != 4 or not (INT.match(parts[0]) and INT.match(parts[1])):
            out.append(
                f"V2.1QUOTATIONS block {block[:60]!r}: {len(parts)} fields, not Offset|Length|Verb|Quote"
            )
    for block in _blocks(cells[24]):
        parts = block.split(",")
        if len(parts) != 3 or not FLOAT.match(parts[0]) or not INT.match(parts[2]):
            out.append(f"V2.1AMOUNTS block {block!r} is not Amount,Object,Offset")
    info = cells[25]
    if info and not re.match(r"^srclc:[a-z]{3}(;eng:.+)?$", info):
        out.append(f"V2.1TRANSLATIONINFO {info!r}")
    if "eng:" in info:
        out.append("V2.1TRANSLATIONINFO names a translation engine, but nothing was translated")
    if rid.endswith(tuple(f"-T{i}" for i in range(10))) != ("eng:" in info):
        out.append("a -T record id goes with a translation, and only then")
    return out


def event_problems(line: str) -> list[str]:
    """What breaks the Event 2.0 codebook in one line."""
    cells = line.rstrip("\n").split("\t")
    if len(cells) != EVENT_FIELDS:
        return [f"{len(cells)} tab-separated fields, Event 2.0 has {EVENT_FIELDS}"]
    out = []
    if not re.match(r"^\d+$", cells[0]):
        out.append(f"GLOBALEVENTID {cells[0]!r}")
    day, month, year, fraction = cells[1:5]
    if not re.match(r"^\d{8}$", day) or month != day[:6] or year != day[:4]:
        out.append(f"SQLDATE/MonthYear/Year {day!r} {month!r} {year!r}")
    if not re.match(r"^\d{4}\.\d{4}$", fraction) or fraction[:4] != year:
        out.append(f"FractionDate {fraction!r}")
    for side, start in (("Actor1", 5), ("Actor2", 15)):
        code, name, country = cells[start : start + 3]
        if country and not re.match(r"^[A-Z]{3}$", country):
            out.append(f"{side}CountryCode {country!r} is not a 3-letter CAMEO code")
        if code and not re.match(r"^[A-Z]{3,}$", code):
            out.append(f"{side}Code {code!r}")
        if name and name != name.upper():
            out.append(f"{side}Name {name!r} is not upper case")
        for t in cells[start + 7 : start + 10]:
            if t and not re.match(r"^[A-Z]{3}$", t):
                out.append(f"{side} type code {t!r}")
    root_flag, code, base, root, quad, goldstein = cells[25:31]
    if root_flag not in {"0", "1"}:
        out.append(f"IsRootEvent {root_flag!r}")
    if not re.match(r"^\d{3,4}$", code) or base != code[:3] or root != code[:2]:
        out.append(f"EventCode/EventBaseCode/EventRootCode {code!r} {base!r} {root!r}")
    if quad not in {"1", "2", "3", "4"}:
        out.append(f"QuadClass {quad!r}")
    if not FLOAT.match(goldstein) or not -10 <= float(goldstein) <= 10:
        out.append(f"GoldsteinScale {goldstein!r}")
    for i, name in enumerate(("NumMentions", "NumSources", "NumArticles")):
        if not re.match(r"^\d+$", cells[31 + i]) or int(cells[31 + i]) < 1:
            out.append(f"{name} {cells[31 + i]!r}")
    if not FLOAT.match(cells[34]):
        out.append(f"AvgTone {cells[34]!r}")
    for geo, start in (("Actor1Geo", 35), ("Actor2Geo", 43), ("ActionGeo", 51)):
        fields = cells[start : start + 8]
        if fields[0] == "0":
            if any(fields[1:]):
                out.append(f"{geo}: type 0 with location fields")
            continue
        out += _location([*fields, "0"], geo, enhanced=True)
    if not STAMP.match(cells[59]):
        out.append(f"DATEADDED {cells[59]!r} is not YYYYMMDDHHMMSS")
    if not cells[60]:
        out.append("SOURCEURL is empty")
    return out
