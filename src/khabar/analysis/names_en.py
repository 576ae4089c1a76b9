"""English names and Wikidata IDs for Hindi entity names: the shipped gazetteer first, else romanisation.

The gazetteer (`lang/hi/gazetteer.tsv`, built by `khabar train names`) is looked up by the spelling-variant
key of `khabar.analysis.namekey`, so विटकोफ finds the row written विटकॉफ. A row whose type is empty (from
a source that does not say) matches any entity type, but gives a PERSON only its English spelling, not
its Wikidata ID; otherwise the types must agree.
"""

from __future__ import annotations

from functools import cache

from khabar.analysis.namekey import compact_key
from khabar.analysis.romanize import romanize
from khabar.lang.hi import read_table

GazetteerEntry = tuple[str, str | None]


@cache
def load_gazetteer() -> dict[tuple[str, str], GazetteerEntry]:
    """(compact name key, type) → (English name, Wikidata ID or None); the first row of a key wins."""
    table: dict[tuple[str, str], GazetteerEntry] = {}
    for row in read_table("gazetteer.tsv"):
        if len(row) < 2 or not row[0] or not row[1]:
            continue
        kind = row[2] if len(row) > 2 else ""
        qid = row[3] if len(row) > 3 and row[3] else None
        table.setdefault((compact_key(row[0]), kind), (row[1], qid))
    return table


def lookup_gazetteer(name: str, type: str) -> GazetteerEntry | None:
    """The gazetteer's (English name, Wikidata ID) for a Hindi name of this type, or None."""
    key = compact_key(name)
    if not key:
        return None
    table = load_gazetteer()
    hit = table.get((key, type))
    if hit is not None:
        return hit
    untyped = table.get((key, ""))
    if untyped is not None and type == "PERSON":
        # Untyped rows are mostly places and things: their spelling serves a person, their ID does not.
        return untyped[0], None
    return untyped


def english_name(name: str, type: str) -> tuple[str, str, str | None]:
    """(name_en, 'gazetteer' | 'romanized', wikidata ID or None) for a Hindi entity name.

    >>> english_name("अमेरिका", "LOCATION")
    ('United States', 'gazetteer', 'Q30')
    """
    hit = lookup_gazetteer(name, type)
    if hit is not None:
        return hit[0], "gazetteer", hit[1]
    return romanize(name), "romanized", None
