"""Link an article's entities to knowledge-base entities shared across articles.

Rules, in order:
1. Same gazetteer id (Wikidata) -> same KB entity; for places and organisations, the same English name
   from the name knowledge base (and the same ADM1 code where both have one) too.
2. Same type and same normalised name key (of the name or any alias) -> same KB entity; when several
   match, the one whose roles overlap wins.
3. A person known by a single name token (a surname or a first name alone) links to a full-name person
   only when exactly one full-name person of the KB has that token as a name part and their roles are
   compatible; otherwise it links to (or creates) a single-token entity of its own. Two people who only
   share a surname therefore never merge.
"""

from __future__ import annotations

import hashlib
import sqlite3
import unicodedata
from collections.abc import Iterable

from khabar.article import Entity

_NUKTA = "\u093c"
_JOINERS = dict.fromkeys(map(ord, "\u200c\u200d"), None)


def _fallback_name_key(name: str) -> str:
    """Normalised name key: NFC, no nukta, chandrabindu as anusvara, no punctuation, lower case."""
    text = unicodedata.normalize("NFC", name).translate(_JOINERS)
    text = unicodedata.normalize("NFD", text).replace(_NUKTA, "")
    text = unicodedata.normalize("NFC", text).replace("\u0901", "\u0902").lower()
    chars = [ch if unicodedata.category(ch)[0] in "LMN" else " " for ch in text]
    return " ".join("".join(chars).split())


def name_key(name: str) -> str:
    """The resolver's `khabar.analysis.namekey.name_key` when present, else a local fallback."""
    try:
        from khabar.analysis.namekey import name_key as resolver_key
    except ImportError:
        return _fallback_name_key(name)
    key = resolver_key(name)
    return key if isinstance(key, str) else _fallback_name_key(name)


def roles_compatible(a: Iterable[str], b: Iterable[str]) -> bool:
    """Roles are compatible when either side has none or they share one."""
    sa, sb = set(a), set(b)
    return not sa or not sb or bool(sa & sb)


def kb_entity_id(kind: str, basis: str) -> str:
    """A stable KB entity id from its type and Wikidata id or name key."""
    return "E" + hashlib.sha1(f"{kind}|{basis}".encode()).hexdigest()[:12]


def _roles_of(conn: sqlite3.Connection, entity_id: str) -> list[str]:
    return [
        r[0] for r in conn.execute("SELECT DISTINCT role FROM entity_roles WHERE entity_id = ?", (entity_id,))
    ]


def _by_keys(conn: sqlite3.Connection, kind: str, keys: set[str]) -> list[str]:
    marks = ",".join("?" * len(keys))
    rows = conn.execute(
        f"SELECT id FROM entities WHERE type = ? AND key IN ({marks}) "
        f"UNION SELECT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id "
        f"WHERE e.type = ? AND a.key IN ({marks})",
        (kind, *keys, kind, *keys),
    ).fetchall()
    return sorted(r[0] for r in rows)


def _single_token_candidates(conn: sqlite3.Connection, token: str) -> list[str]:
    """Full-name persons with `token` as one of the words of their name or an alias."""
    rows = conn.execute(
        "SELECT DISTINCT a.entity_id FROM aliases a JOIN entities e ON e.id = a.entity_id "
        "WHERE e.type = 'PERSON' AND e.single_token = 0 AND (a.key LIKE ? OR a.key LIKE ?)",
        (f"% {token}", f"{token} %"),
    ).fetchall()
    return sorted(r[0] for r in rows)


def linked_by_english_name(ent: Entity) -> bool:
    """Rule 1's second part applies: a place or organisation whose English name is the knowledge base's."""
    return ent.type != "PERSON" and bool(ent.name_en) and ent.name_en_source in ("gazetteer", "gazetteer_key")


def find_kb_entity(conn: sqlite3.Connection, ent: Entity) -> str | None:
    """The KB entity an article entity links to, or None when it is new."""
    if ent.wikidata:
        row = conn.execute("SELECT id FROM entities WHERE wikidata = ?", (ent.wikidata,)).fetchone()
        if row:
            return str(row[0])
    if linked_by_english_name(ent):
        # Two spellings the name knowledge base gives one English name (चुनाव आयोग, भारत निर्वाचन
        # आयोग) are one place or organisation; places of one name in two states stay apart.
        row = conn.execute(
            "SELECT id FROM entities WHERE type = ? AND name_en = ? AND (adm1 IS NULL OR ? IS NULL OR adm1 = ?) "
            "ORDER BY id LIMIT 1",
            (ent.type, ent.name_en, ent.adm1, ent.adm1),
        ).fetchone()
        if row:
            return str(row[0])
    key = name_key(ent.name)
    keys = {key} | {name_key(a) for a in ent.aliases}
    keys.discard("")
    single = ent.type == "PERSON" and len(key.split()) == 1
    if single:
        keys = {key}
    candidates = _by_keys(conn, ent.type, keys) if keys else []
    if ent.wikidata:
        # A gazetteer-linked entity may adopt a same-named KB entity that has no Wikidata id yet.
        candidates = [
            c
            for c in candidates
            if conn.execute("SELECT wikidata FROM entities WHERE id = ?", (c,)).fetchone()[0] is None
        ]
    if single:
        full = [
            c for c in _single_token_candidates(conn, key) if roles_compatible(_roles_of(conn, c), ent.roles)
        ]
        if len(full) == 1:
            return full[0]
        singles = [
            c
            for c in candidates
            if conn.execute("SELECT single_token FROM entities WHERE id = ?", (c,)).fetchone()[0] == 1
        ]
        return singles[0] if singles else None
    if not candidates:
        return None
    for cand in candidates:
        if ent.roles and set(ent.roles) & set(_roles_of(conn, cand)):
            return cand
    return candidates[0]


def _exists(conn: sqlite3.Connection, entity_id: str) -> bool:
    return conn.execute("SELECT 1 FROM entities WHERE id = ?", (entity_id,)).fetchone() is not None


def link_entity(conn: sqlite3.Connection, ent: Entity, article_id: str, known: str | None = None) -> str:
    """Link (or create) the KB entity of an article entity; records aliases and roles. Returns its id.
    `known`: a KB entity it is linked to already (an article cleaned again keeps its links)."""
    key = name_key(ent.name) or ent.name
    if known is None:
        kb_id = find_kb_entity(conn, ent)
    elif _exists(conn, known):
        kb_id = known
    elif (
        ent.wikidata and conn.execute("SELECT 1 FROM entities WHERE wikidata = ?", (ent.wikidata,)).fetchone()
    ):
        known, kb_id = None, find_kb_entity(conn, ent)  # its Wikidata id is another entity's now
    else:
        kb_id = None  # dropped while no article named it: made again with its id
    if kb_id is None:
        single = ent.type == "PERSON" and len(key.split()) == 1
        kb_id = known or kb_entity_id(ent.type, ent.wikidata or key)
        conn.execute(
            "INSERT OR IGNORE INTO entities (id, type, name, name_en, wikidata, key, single_token) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (kb_id, ent.type, ent.name, ent.name_en or None, ent.wikidata, key, int(single)),
        )
    else:
        conn.execute(
            "UPDATE entities SET name_en = COALESCE(name_en, ?), "
            "wikidata = COALESCE(wikidata, ?) WHERE id = ?",
            (ent.name_en or None, ent.wikidata, kb_id),
        )
    lat, lon = ent.coordinates if ent.coordinates else (None, None)
    conn.execute(
        "UPDATE entities SET category = COALESCE(category, ?), country = COALESCE(country, ?), "
        "adm1 = COALESCE(adm1, ?), lat = COALESCE(lat, ?), lon = COALESCE(lon, ?) WHERE id = ?",
        (ent.category, ent.country, ent.adm1, lat, lon, kb_id),
    )
    names = {ent.name, *ent.aliases, *(m.name or m.text for m in ent.mentions)}
    conn.executemany(
        "INSERT OR IGNORE INTO aliases (entity_id, alias, key) VALUES (?, ?, ?)",
        [(kb_id, n, name_key(n)) for n in sorted(names) if n],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO entity_roles (entity_id, role, article_id) VALUES (?, ?, ?)",
        [(kb_id, r, article_id) for r in ent.roles if r],
    )
    return kb_id
