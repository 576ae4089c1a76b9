"""Build the name knowledge base (`lang/hi/names.sqlite`) shipped in the package.

One row per real-world thing (`entities`: English name, type, class, Wikidata id, country, ADM1 code,
coordinates, population, rank, source) and one row per Hindi spelling of it (`forms`, looked up by
`namekey.compact_key`, so one row serves every spelling variant). A form may carry its own English name
(a former name: औरंगाबाद → Aurangabad while the entity is Chhatrapati Sambhajinagar). `parts` holds the
known English spelling of single name words (कुशनर → Kushner from Jared Kushner) for names that are
unknown as a whole. The versions of one form that several sources give are merged by one order-free
rule (`namekb_builder.merge_versions`), and rows are written sorted: the file has the same bytes
whatever the hash seed.

Sources (`namekb_sources.py`), highest rank first (a higher rank wins ties between senses; context
decides otherwise): the hand-written tables in `lang/hi/` (curated_entities, curated_places,
curated_orgs, renamed_places), Indian states and districts (LGD, with Wikidata ids), countries (CLDR via
babel and GeoNames), GeoNames cities, towns and admin-1 regions with Hindi names (Devanagari alternates
in Marathi, Nepali or Sanskrit form are skipped), Wikidata labels, and cricketers' names.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict
from pathlib import Path

from khabar.analysis.namekey import compact_key, spelling_key
from khabar.train.namekb_builder import Builder, FormVersion, merge_versions
from khabar.train.namekb_sources import (
    GeoIndex,
    add_curated,
    add_geo,
    add_renamed,
    add_wikidata_and_cricketers,
    build_parts,
)
from khabar.train.names import NamePair, _wikidata_rows, split_of

SCHEMA = """
CREATE TABLE entities (
    id INTEGER PRIMARY KEY,
    english TEXT NOT NULL,
    type TEXT NOT NULL,
    class TEXT,
    wikidata TEXT,
    country TEXT,
    adm1 TEXT,
    lat REAL,
    lon REAL,
    population INTEGER,
    rank INTEGER NOT NULL,
    source TEXT NOT NULL
);
CREATE TABLE forms (
    key TEXT NOT NULL,
    hindi TEXT NOT NULL,
    entity INTEGER NOT NULL REFERENCES entities(id),
    english TEXT,
    kind TEXT NOT NULL,
    common INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key, entity, hindi)
) WITHOUT ROWID;
CREATE TABLE parts (
    word TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    english TEXT NOT NULL,
    weight INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX parts_key ON parts(key);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
"""


def write_kb(builder: Builder, parts: dict[str, tuple[str, int]], path: Path) -> dict[str, int]:
    """Write the SQLite file (rows in key order, vacuumed: the same bytes for the same builder, whatever
    the hash seed); returns row counts."""
    if path.exists():
        path.unlink()
    conn = sqlite3.connect(path)
    try:
        conn.executescript(SCHEMA)
        # A spelling the hand-written tables give one entity is not given to another of that type by
        # a generated source (GeoNames lists नई दिल्ली among Delhi's names; curated says New Delhi).
        curated_keys: dict[tuple[str, str], set[int]] = defaultdict(set)
        for number, ent in enumerate(builder.entities, 1):
            for hindi, _english, _kind, _common, curated in ent.forms:
                if curated:
                    curated_keys[(compact_key(hindi), ent.type)].add(number)
        versions: dict[tuple[str, int, str], list[FormVersion]] = defaultdict(list)
        for number, ent in enumerate(builder.entities, 1):
            conn.execute(
                "INSERT INTO entities VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number, ent.english, ent.type, ent.klass or None, ent.wikidata or None,
                    ent.country or None, ent.adm1 or None, ent.lat, ent.lon, ent.population or None,
                    ent.rank, ent.source,
                ),
            )  # fmt: skip
            for form in ent.forms:
                key = compact_key(form[0])
                owners = curated_keys.get((key, ent.type))
                if key and (form[4] or not owners or number in owners):
                    versions[(key, number, form[0])].append(form)
        # One row per (key, entity, hindi), its versions merged by an order-free rule, rows sorted.
        rows: list[tuple[str, str, int, str | None, str, int]] = []
        for (key, number, hindi), found in sorted(versions.items()):
            english, kind, common = merge_versions(found)
            rows.append((key, hindi, number, english, kind, int(common)))
        conn.executemany("INSERT INTO forms VALUES (?, ?, ?, ?, ?, ?)", rows)
        conn.executemany(
            "INSERT INTO parts VALUES (?, ?, ?, ?)",
            [
                (word, spelling_key(word), e, w)
                for word, (e, w) in sorted(parts.items())
                if spelling_key(word)
            ],
        )
        conn.execute("INSERT INTO meta VALUES ('built_by', 'khabar train names')")
        conn.commit()
        conn.execute("VACUUM")
        counts = {
            "entities": len(builder.entities),
            "forms": len(rows),
            "parts": len(parts),
        }
    finally:
        conn.close()
    return counts


def build_name_kb(data: Path, pairs: list[NamePair], path: Path) -> dict[str, object]:
    """Build `names.sqlite` from the shared data and the curated tables; returns a summary."""
    wikidata = _wikidata_rows(data)
    qid_by_english: dict[str, str] = {}
    for qid, english, _ in wikidata:
        qid_by_english.setdefault(english, qid)
    geo = GeoIndex(data)
    builder = Builder()
    add_curated(builder, geo, qid_by_english)
    add_renamed(builder)
    add_geo(builder, data, geo, qid_by_english)
    add_wikidata_and_cricketers(builder, data, pairs)
    parts = build_parts(builder, data, pairs)
    counts = write_kb(builder, parts, path)
    by_source = Counter(ent.source for ent in builder.entities)
    by_type = Counter(ent.type or "untyped" for ent in builder.entities)
    return {
        **counts,
        "by_source": dict(sorted(by_source.items())),
        "by_type": dict(sorted(by_type.items())),
        "with_wikidata": sum(1 for ent in builder.entities if ent.wikidata),
        "with_coordinates": sum(1 for ent in builder.entities if ent.lat is not None),
        "bytes": path.stat().st_size,
        "held_back_name_pairs_in_kb": sum(
            1 for p in pairs if p.source == "cricketers" and split_of(p.hindi) != "train"
        ),
    }
