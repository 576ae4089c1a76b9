"""The shipped name knowledge base (`lang/hi/names.sqlite`, built by `khabar train names`): lookups by
the spelling-variant key of `khabar.analysis.namekey`.

Every Hindi spelling of an entity is a *form*; `lookup(name)` returns each entity that has a form with the
same compact key, as a `KBHit` carrying the entity's English name, type, class, Wikidata id, country,
ADM1 code, coordinates and rank, and the English name of that form (a former name of a renamed place
keeps its own English name). `known_part(word)` gives the English spelling a single name word has in
the knowledge base's person and place names (कुशनर → Kushner). The file is read into memory once per
process (about 12k forms), so lookups are dictionary hits and safe after a fork.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass
from functools import cache

from khabar.analysis.namekey import compact_key, spelling_key
from khabar.errors import KhabarError
from khabar.lang.hi import data_path

KB_FILE = "names.sqlite"


@dataclass(frozen=True, slots=True)
class KBHit:
    """One knowledge-base entity found through one of its Hindi forms."""

    entity: int
    english: str
    current: str
    type: str
    klass: str | None
    wikidata: str | None
    country: str | None
    adm1: str | None
    lat: float | None
    lon: float | None
    population: int | None
    rank: int
    source: str
    hindi: str
    kind: str
    common: bool

    @property
    def coordinates(self) -> tuple[float, float] | None:
        """(latitude, longitude) when known."""
        if self.lat is None or self.lon is None:
            return None
        return (self.lat, self.lon)

    @property
    def former(self) -> bool:
        """Whether the form is a former name of a renamed place."""
        return self.kind == "former"


@dataclass(frozen=True, slots=True)
class NameKB:
    """The knowledge base in memory: forms by compact key, name-word spellings by word key."""

    forms: dict[str, tuple[KBHit, ...]]
    parts: dict[str, str]
    part_keys: dict[str, tuple[str, int]]


@cache
def load_name_kb() -> NameKB:
    """Read `names.sqlite` (an empty knowledge base when it has not been built)."""
    try:
        path = data_path(KB_FILE)
    except KhabarError:
        return NameKB({}, {}, {})
    conn = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)
    try:
        rows = conn.execute(
            "SELECT f.key, e.id, coalesce(f.english, e.english), e.english, e.type, e.class, e.wikidata, "
            "e.country, e.adm1, e.lat, e.lon, e.population, e.rank, e.source, f.hindi, f.kind, f.common "
            "FROM forms f JOIN entities e ON e.id = f.entity ORDER BY f.key, e.rank DESC, e.id"
        ).fetchall()
        part_rows = conn.execute("SELECT word, key, english, weight FROM parts").fetchall()
    finally:
        conn.close()
    grouped: dict[str, list[KBHit]] = {}
    for row in rows:
        hit = KBHit(
            entity=row[1], english=row[2], current=row[3], type=row[4], klass=row[5], wikidata=row[6],
            country=row[7], adm1=row[8], lat=row[9], lon=row[10], population=row[11], rank=row[12],
            source=row[13], hindi=row[14], kind=row[15], common=bool(row[16]),
        )  # fmt: skip
        grouped.setdefault(row[0], []).append(hit)
    parts = {r[0]: r[2] for r in part_rows}
    part_keys: dict[str, tuple[str, int]] = {}
    for _word, key, english, weight in part_rows:
        if key not in part_keys or weight > part_keys[key][1]:
            part_keys[key] = (english, weight)
    return NameKB({k: tuple(v) for k, v in grouped.items()}, parts, part_keys)


def lookup(name: str) -> tuple[KBHit, ...]:
    """Knowledge-base entities with a form of this name (same compact key), highest rank first; an
    entity found through several forms appears once, through the form spelled most like `name`."""
    key = compact_key(name)
    if not key:
        return ()
    hits = load_name_kb().forms.get(key, ())
    seen: dict[int, KBHit] = {}
    for hit in hits:
        best = seen.get(hit.entity)
        if best is None or (hit.hindi == name and best.hindi != name):
            seen[hit.entity] = hit
    return tuple(seen.values())


def known_part(word: str) -> str | None:
    """The English spelling of one name word in the knowledge base's names (the same spelling, else
    the same spelling-variant key), or None."""
    kb = load_name_kb()
    word = unicodedata.normalize("NFC", word).strip(".")
    exact = kb.parts.get(word)
    if exact is not None:
        return exact
    key = spelling_key(word)
    hit = kb.part_keys.get(key) if key else None
    return hit[0] if hit is not None else None
