"""`names.sqlite` is reproducible: the same sources give the same bytes whatever the hash seed, and a
form that several sources give is merged by one explicit rule (`namekb_builder.merge_versions`)."""

from __future__ import annotations

import itertools
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

from khabar.lang.hi import read_table
from khabar.train.namekb_builder import FormVersion, merge_versions
from khabar.train.namekb_sources import GeoIndex

BUILD = """
import sys
from pathlib import Path
from khabar.train.namekb import build_name_kb
from khabar.train.names import read_name_pairs
data = Path(sys.argv[1])
build_name_kb(data, read_name_pairs(data), Path(sys.argv[2]))
"""
CITY_COLUMNS = (
    "geonameid", "name", "asciiname", "latitude", "longitude", "country_code", "admin1_code",
    "population", "hi_geonames", "devanagari_alternates",
)  # fmt: skip
STATE_COLUMNS = (
    "wikidata", "name", "geonames_admin1", "hi_geonames", "devanagari_aliases_geonames", "capital_lat",
    "capital_lon",
)  # fmt: skip


def _write(path: Path, header: tuple[str, ...], rows: list[tuple[str, ...]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(header), *("\t".join(row) for row in rows)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _common_places() -> list[tuple[str, str, str]]:
    """(hindi, english, state_or_country) of the curated places marked common."""
    return [
        (cells[0], cells[1], cells[3] if len(cells) > 3 else "")
        for cells in read_table("curated_places.tsv")
        if len(cells) > 4 and cells[4] == "common"
    ]


def _synthetic_data(root: Path) -> Path:
    """A small shared-data folder: two LGD states with several aliases, GeoNames cities that repeat
    the curated common places and list Prayagraj's former name, a few Wikidata and name rows."""
    _write(
        root / "geo" / "india" / "states_lgd.tsv",
        STATE_COLUMNS,
        [
            ("Q1165", "Bihar", "IN.34", "बिहार", "बिहार|बीहार|बिहार राज्य", "25.6", "85.1"),
            ("Q1498", "Uttar Pradesh", "IN.36", "उत्तर प्रदेश", "उत्तरप्रदेश|उत्तर प्रदेश|यूपी", "26.8", "80.9"),
        ],
    )
    geo = GeoIndex(root)
    cities = [
        (str(number), name, name, "25.0", "85.0", geo.locate(where)[0], "", "150000", hindi, "")
        for number, (hindi, name, where) in enumerate(_common_places(), 10)
    ]
    cities.append(
        ("1", "Prayagraj", "Prayagraj", "25.4", "81.8", "IN", "", "1200000", "प्रयागराज", "इलाहाबाद")
    )
    _write(root / "geo" / "geonames" / "cities15000.tsv", CITY_COLUMNS, cities)
    _write(
        root / "names" / "wikidata-en-hi.tsv",
        ("ID", "en", "hi"),
        [("Q31", "Belgium", "बेल्जियम"), ("Q1001", "Mahatma Gandhi", "महात्मा गांधी")],
    )
    _write(
        root / "names" / "cricketers-en-hi.tsv",
        ("en", "hi", "hi_short"),
        [("Rashid Khan", "राशिद ख़ान", "राशिद ख़ान"), ("Virat Kohli", "विराट कोहली", "वी कोहली")],
    )
    _write(
        root / "names" / "election-candidates-en-hi.tsv",
        ("en", "hi", "party", "state"),
        [("SWAPAN DAS", "स्वपन दास", "AITC", "West Bengal")],
    )
    return root


def _build(data: Path, out: Path, seed: str) -> bytes:
    env = {**os.environ, "PYTHONHASHSEED": seed}
    subprocess.run([sys.executable, "-c", BUILD, str(data), str(out)], check=True, env=env, timeout=120)
    return out.read_bytes()


def _dump(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def test_two_builds_with_different_hash_seeds_are_byte_identical(tmp_path: Path) -> None:
    data = _synthetic_data(tmp_path / "data")
    first = _build(data, tmp_path / "a.sqlite", "11")
    second = _build(data, tmp_path / "b.sqlite", "22")
    assert _dump(tmp_path / "a.sqlite") == _dump(tmp_path / "b.sqlite")
    assert first == second
    conn = sqlite3.connect(tmp_path / "a.sqlite")
    try:
        flags = dict(
            conn.execute(
                "SELECT f.hindi, max(f.common) FROM forms f JOIN entities e ON e.id = f.entity "
                "WHERE e.source = 'curated_places' GROUP BY f.hindi"
            ).fetchall()
        )
        former = conn.execute(
            "SELECT f.english, f.kind, e.english FROM forms f JOIN entities e ON e.id = f.entity "
            "WHERE f.hindi = 'इलाहाबाद'"
        ).fetchall()
    finally:
        conn.close()
    # Every curated common place stays common although a GeoNames city gives the same spelling.
    assert all(flags.get(hindi) == 1 for hindi, _english, _where in _common_places() if hindi in flags)
    assert sum(1 for hindi, _english, _where in _common_places() if hindi in flags) > 20
    # The former name keeps its English name although GeoNames lists it among Prayagraj's names.
    assert former == [("Allahabad", "former", "Prayagraj")]


def _same_in_every_order(versions: list[FormVersion]) -> tuple[str | None, str, bool]:
    results = {merge_versions(order) for order in itertools.permutations(versions)}
    assert len(results) == 1
    return results.pop()


def test_merge_rule_for_one_form_from_several_sources() -> None:
    # Common if any source says so (only the curated tables mark common words).
    assert _same_in_every_order([("गया", None, "name", False, False), ("गया", None, "name", True, True)]) == (
        None,
        "name",
        True,
    )
    # A hand-written former name beats a generated source's plain name for the same spelling.
    assert _same_in_every_order(
        [("इलाहाबाद", None, "name", False, False), ("इलाहाबाद", "Allahabad", "former", False, True)]
    ) == ("Allahabad", "former", False)
    # Equally trusted: the entity's own name beats a former or short name.
    assert _same_in_every_order(
        [("मैसूर", "Mysore", "former", False, True), ("मैसूर", None, "name", True, True)]
    ) == (None, "name", True)
    assert _same_in_every_order(
        [("राशिद ख़ान", None, "short", False, False), ("राशिद ख़ान", None, "name", False, False)]
    ) == (None, "name", False)
