"""The sources of the name knowledge base: curated tables, LGD, GeoNames, Wikidata, cricketers, name words."""

from __future__ import annotations

import contextlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from pathlib import Path

from khabar.analysis.namekey import compact_key
from khabar.analysis.romanize import romanize_rules
from khabar.errors import KhabarError
from khabar.lang.hi import read_table
from khabar.train.namekb_builder import Builder, KBEntity
from khabar.train.names import NamePair, _country_rows, _read_tsv, _wikidata_rows, edit_distance

# Ranks of the sources (a prior between senses of one spelling; context and type fit come first).
RANK_CURATED = 100
RANK_COUNTRY = 95
RANK_LGD = 90
RANK_GEONAMES = 60
RANK_WIKIDATA = 50
RANK_CRICKETER = 40
# GeoNames places: a populated place with at least this many people is a city, else a town.
CITY_POPULATION = 100_000
# Devanagari alternates with these words or endings are Marathi, Nepali or Sanskrit, not Hindi.
NON_HINDI_WORDS = frozenset({"आणि", "जिल्हा", "जिल्ला", "र", "नगरपालिका", "महानगरपालिका"})
NON_HINDI_ENDINGS = ("म्", "ः", "राज्यम्", "मण्डलम्")
PLACE_CLASSES = {
    "state": "state",
    "ut": "state",
    "district": "district",
    "city": "city",
    "capital": "city",
    "world_city": "city",
    "town": "town",
    "river": "river",
    "mountain": "mountain",
    "region": "region",
    "lake": "lake",
    "sea": "sea",
    "island": "island",
    "country": "country",
}
ORG_CLASSES = {"force": "military", "sports": "team", "international": "international_org", "psu": "company"}


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def is_hindi_form(text: str) -> bool:
    """Whether a Devanagari alternate name looks Hindi (not Marathi, Nepali or Sanskrit)."""
    words = text.split()
    if not words or not all("\u0900" <= ch <= "\u097f" or ch in " -." for ch in text):
        return False
    return not any(w in NON_HINDI_WORDS or w.endswith(NON_HINDI_ENDINGS) for w in words)


def _geo_rows(path: Path) -> Iterator[dict[str, str]]:
    """Rows of a geo/ TSV file as dicts by header name (nothing when the file is absent)."""
    if not path.is_file():
        return
    with path.open(encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        for line in handle:
            cells = line.rstrip("\n").split("\t")
            yield dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))


def _float(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


class GeoIndex:
    """Indian state names → (ISO code, GeoNames admin-1 code); country names → ISO codes."""

    def __init__(self, data: Path) -> None:
        geo = data / "geo"
        self.states: dict[str, tuple[str, str]] = {}
        for row in _geo_rows(geo / "india" / "states_lgd.tsv"):
            self.states[row["name"].lower()] = ("IN", row["geonames_admin1"])
        self.countries: dict[str, str] = {}
        for row in _geo_rows(geo / "geonames" / "countryInfo.tsv"):
            self.countries[row["country"].lower()] = row["iso"]
        import pycountry

        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    self.countries.setdefault(value.lower(), country.alpha_2)
        for alias, code in (("united states", "US"), ("uk", "GB"), ("russia", "RU"), ("palestine", "PS")):
            self.countries.setdefault(alias, code)
        # LGD spells "And"; curated tables spell "and".
        self.states.update({k.replace(" and ", " & "): v for k, v in list(self.states.items())})

    def locate(self, where: str) -> tuple[str, str]:
        """(ISO country, ADM1) for a curated table's state_or_country cell ('' when unknown)."""
        key = where.strip().lower()
        if not key or key == "world":
            return "", ""
        if key == "india":
            return "IN", ""
        if key in self.states:
            return self.states[key]
        return self.countries.get(key, ""), ""


_LEGAL_FORM = re.compile(r"^(?P<brand>[^\s,]+),? (?:Inc\.|Limited|Ltd\.?|plc|PLC|LLC)$")


def reader_name(english: str) -> str:
    """A company's name as news writes it: a legal form after a one-word brand is dropped ('Tesla,
    Inc.' → 'Tesla', 'NTPC Limited' → 'NTPC'); longer names keep it (Hindustan Aeronautics Limited)."""
    match = _LEGAL_FORM.match(english)
    return match.group("brand") if match else english


def add_curated(builder: Builder, geo: GeoIndex, qid_by_english: dict[str, str]) -> None:
    """The hand-written tables: curated_entities, curated_places, curated_orgs."""
    classes = {"PERSON": "human"}
    for cells in read_table("curated_entities.tsv"):
        if len(cells) < 3 or not cells[0] or not cells[1]:
            continue
        qid = (cells[3] if len(cells) > 3 else "") or qid_by_english.get(cells[1], "")
        english = reader_name(cells[1]) if cells[2] == "ORGANIZATION" else cells[1]
        ent = KBEntity(english, cells[2], classes.get(cells[2], ""), qid, rank=RANK_CURATED, source="curated")
        ent.forms.append((_nfc(cells[0]), None, "name", False, True))
        builder.add(ent)
    for table, kind in (("curated_places.tsv", "LOCATION"), ("curated_orgs.tsv", "ORGANIZATION")):
        rows: tuple[tuple[str, ...], ...] = ()
        with contextlib.suppress(KhabarError):
            rows = read_table(table)
        for cells in rows:
            if len(cells) < 2 or not cells[0] or not cells[1]:
                continue
            raw_class = cells[2] if len(cells) > 2 else ""
            klass = PLACE_CLASSES.get(raw_class, raw_class) if kind == "LOCATION" else raw_class
            klass = ORG_CLASSES.get(klass, klass)
            country, adm1 = geo.locate(cells[3] if len(cells) > 3 else "")
            if klass == "country":
                country, adm1 = geo.countries.get(cells[1].lower(), ""), ""
            common = len(cells) > 4 and cells[4] == "common"
            english = reader_name(cells[1]) if kind == "ORGANIZATION" else cells[1]
            ent = KBEntity(
                english, kind, klass, qid_by_english.get(cells[1], ""), country, adm1,
                rank=RANK_CURATED, source=table.removesuffix(".tsv"),
            )  # fmt: skip
            ent.forms.append((_nfc(cells[0]), None, "name", common, True))
            builder.add(ent)


def add_renamed(builder: Builder) -> None:
    """Former names of renamed places: the form keeps its former English name (`kind` 'former')."""
    rows: tuple[tuple[str, ...], ...] = ()
    with contextlib.suppress(KhabarError):
        rows = read_table("renamed_places.tsv")
    for cells in rows:
        if len(cells) < 4:
            continue
        former_hi, former_en, current_hi, current_en = (c.strip() for c in cells[:4])
        targets = [
            i
            for i, ent in enumerate(builder.entities)
            if ent.type == "LOCATION" and ent.english == current_en
        ]
        if not targets:
            ent = KBEntity(current_en, "LOCATION", rank=RANK_CURATED, source="renamed_places")
            ent.forms.append((_nfc(current_hi), None, "name", False, True))
            targets = [builder.add(ent)]
        former_key = compact_key(former_hi)
        for index in targets[:1]:
            ent = builder.entities[index]
            ent.forms = [f for f in ent.forms if compact_key(f[0]) != former_key]
            ent.forms.append((_nfc(former_hi), former_en, "former", False, True))
            if not any(compact_key(f[0]) == compact_key(current_hi) for f in ent.forms):
                ent.forms.append((_nfc(current_hi), None, "name", False, True))


def add_geo(builder: Builder, data: Path, index_geo: GeoIndex, qid_by_english: dict[str, str]) -> None:
    """LGD states and districts, GeoNames countries, admin-1 regions, cities and South Asian towns."""
    geo = data / "geo"
    capitals: dict[str, tuple[float | None, float | None]] = {}
    for row in _geo_rows(geo / "india" / "states_lgd.tsv"):
        capitals[row["geonames_admin1"]] = (_float(row["capital_lat"]), _float(row["capital_lon"]))
        names = {row["hi_geonames"], *row["devanagari_aliases_geonames"].split("|")}
        ent = KBEntity(
            row["name"].title().replace(" And ", " and "), "LOCATION", "state", row["wikidata"], "IN",
            row["geonames_admin1"], *capitals[row["geonames_admin1"]], rank=RANK_LGD, source="lgd",
        )  # fmt: skip
        ent.forms.extend(
            (_nfc(n), None, "name", False, False) for n in sorted(names) if n and is_hindi_form(n)
        )
        builder.add(ent)
    for row in _geo_rows(geo / "india" / "districts_lgd.tsv"):
        adm1 = ".".join(row["geonames_admin2"].split(".")[:2]) if row["geonames_admin2"] else ""
        district_names = [n for n in row["devanagari_aliases_geonames"].split("|") if n and is_hindi_form(n)]
        ent = KBEntity(
            row["name"], "LOCATION", "district", row["wikidata"], "IN", adm1,
            _float(row["hq_lat"]), _float(row["hq_lon"]), rank=RANK_LGD, source="lgd",
        )  # fmt: skip
        ent.forms.extend((_nfc(n), None, "name", False, False) for n in district_names)
        builder.add(ent)
    for row in _geo_rows(geo / "geonames" / "countryInfo.tsv"):
        if not row["hi_geonames"] or not is_hindi_form(row["hi_geonames"]):
            continue
        english = row["country"]
        ent = KBEntity(
            english, "LOCATION", "country", qid_by_english.get(english, ""), row["iso"],
            population=int(row["population"] or 0), rank=RANK_COUNTRY, source="geonames",
        )  # fmt: skip
        ent.forms.append((_nfc(row["hi_geonames"]), None, "name", False, False))
        builder.add(ent)
    for hindi, english in _country_rows():
        code = index_geo.countries.get(english.lower(), "")
        index = builder.find("LOCATION", english, code)
        if index is None:
            ent = KBEntity(
                english, "LOCATION", "country", qid_by_english.get(english, ""), code,
                rank=RANK_COUNTRY, source="country",
            )  # fmt: skip
            index = builder.add(ent)
        builder.entities[index].forms.append((hindi, None, "name", False, False))
    for row in _geo_rows(geo / "geonames" / "admin1.tsv"):
        names = {row["hi_geonames"], *row["devanagari_aliases"].split("|")}
        names = {n for n in names if n and is_hindi_form(n)}
        if not names:
            continue
        country = row["admin1_code"].split(".")[0]
        ent = KBEntity(
            row["name_ascii"] or row["name"], "LOCATION", "state", "", country, row["admin1_code"],
            rank=RANK_GEONAMES + 10, source="geonames",
        )  # fmt: skip
        ent.forms.extend((_nfc(n), None, "name", False, False) for n in sorted(names))
        builder.add(ent)
    seen: set[str] = set()
    for path in (geo / "geonames" / "cities15000.tsv", geo / "geonames" / "cities500_south_asia.tsv"):
        for row in _geo_rows(path):
            if row["geonameid"] in seen:
                continue
            names = {row["hi_geonames"], *row["devanagari_alternates"].split("|")}
            names = {n for n in names if n and is_hindi_form(n)}
            if not names:
                continue
            seen.add(row["geonameid"])
            population = int(row["population"] or 0)
            country = row["country_code"]
            adm1 = f"{country}.{row['admin1_code']}" if row["admin1_code"] else ""
            english = row.get("asciiname") or row["name"]
            ent = KBEntity(
                english, "LOCATION", "city" if population >= CITY_POPULATION else "town",
                qid_by_english.get(english, ""), country, adm1,
                _float(row["latitude"]), _float(row["longitude"]), population,
                RANK_GEONAMES + min(20, int(2 * math.log10(population + 1))), "geonames",
            )  # fmt: skip
            ent.forms.extend((_nfc(n), None, "name", False, False) for n in sorted(names))
            builder.add(ent)


def add_wikidata_and_cricketers(builder: Builder, data: Path, pairs: list[NamePair]) -> None:
    """Wikidata labels (untyped unless the item is a known place) and cricketers (all splits: the KB is
    never used by the romaniser or its evaluation)."""
    for qid, english, hindi in _wikidata_rows(data):
        index = builder.find("LOCATION", english, qid=qid)
        if index is None:
            index = builder.find("ORGANIZATION", english, qid=qid)
        if index is None:
            index = builder.find("PERSON", english, qid=qid)
        if index is not None and not builder.entities[index].wikidata:
            builder.entities[index].wikidata = qid
            builder._by_qid.setdefault(qid, index)
        ent = KBEntity(english, "", "", qid, rank=RANK_WIKIDATA, source="wikidata")
        ent.forms.append((hindi, None, "name", False, False))
        if index is not None:
            builder.entities[index].forms.append((hindi, None, "name", False, False))
        else:
            builder.add(ent, merge=False)
    for pair in pairs:
        if pair.source != "cricketers" or " " not in pair.hindi:
            continue
        ent = KBEntity(pair.english, "PERSON", "human", rank=RANK_CRICKETER, source="cricketers")
        ent.forms.append((pair.hindi, None, "name", False, False))
        builder.add(ent)
    for cells in _read_tsv(data / "names" / "cricketers-en-hi.tsv"):
        if len(cells) >= 3 and cells[2] and "," not in cells[0]:
            index = builder.find("PERSON", cells[0])
            if index is not None:
                builder.entities[index].forms.append((_nfc(cells[2]), None, "short", False, False))


# A name word and an English word align when the word's rule romanisation is at most this share of the
# English word's length away (drops translated or misaligned words: किंग → III).
PART_MAX_DISTANCE = 0.5


def _sounds_alike(hindi: str, english: str) -> bool:
    guess = romanize_rules(hindi)
    return edit_distance(guess, english.lower()) <= PART_MAX_DISTANCE * max(len(english), 1)


def build_parts(builder: Builder, data: Path, pairs: list[NamePair]) -> dict[str, tuple[str, int]]:
    """Name word (NFC) → (its most common English spelling, weight), from the knowledge base's person
    and place names word by word, cricketers' surnames, and Dakshina's spelling of words that are
    person-name words (election-candidate spellings are left to the romaniser: they follow Bengali,
    Tamil and Malayalam conventions, not those of Hindi news)."""
    weight = {"curated": 4, "lgd": 2, "geonames": 1, "cricketers": 2, "wikidata": 2}
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for ent in builder.entities:
        if ent.type not in ("PERSON", "LOCATION") or not ent.english.replace(" ", "").isalpha():
            continue
        for hindi, english, kind, _common, _curated in ent.forms:
            if kind == "former":
                continue
            hi_words = [w.strip(".") for w in hindi.split()]
            en_words = (english or ent.english).split()
            if len(hi_words) != len(en_words) or (len(hi_words) < 2 and ent.type == "PERSON"):
                continue
            for h, e in zip(hi_words, en_words, strict=True):
                if e[:1].isupper() and len(h) > 1 and _sounds_alike(h, e):
                    counts[h][e] += weight.get(ent.source.split("_")[0], 1)
    name_words: set[str] = set()
    for pair in pairs:
        name_words.update(pair.hindi.split())
        if pair.source == "cricketer-surnames" and _sounds_alike(pair.hindi, pair.english):
            counts[pair.hindi][pair.english] += weight["cricketers"]
    with contextlib.suppress(KhabarError):
        name_words.update(w for row in read_table("ner_person_parts_gen.txt") for w in row[:1])
    path = data / "translit" / "dakshina-hi.train.tsv"
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if len(cells) < 3 or not cells[0].isalpha() or not cells[0].isascii():
                continue
            hindi = _nfc(cells[1])
            if hindi in name_words and cells[2].isdigit():
                counts[hindi][cells[0][:1].upper() + cells[0][1:].lower()] += int(cells[2])
    return {
        word: max(options.items(), key=lambda kv: (kv[1], kv[0]))
        for word, options in counts.items()
        if options
    }
