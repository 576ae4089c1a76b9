"""Resolve a name a user gives (Hindi or English, a full name, one word, an id) to knowledge-base
entities: the best one and the other candidates, never a silent pick.

An entity matches by its id or Wikidata id; by its whole name (the spelling-variant key of its name or
an alias, or its English name); or, for a one-word query, by one word of its name (मोदी, "Modi").
Candidates are ranked by
1. an id match first;
2. type fit: the type asked for, else the type the shipped name knowledge base gives the query (मोदी →
   a person), else the type of most of the candidates' articles;
3. article count, then whole-name before one-word matches, then id.
`KnowledgeBase.resolve_entity`, the CLI (`khabar entity X`, `--entity X`), the API and the pages all
use `resolve_name`; text output prints "did you mean …" for the other candidates.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from dataclasses import asdict, dataclass
from typing import Any

from khabar.store.link import name_key

# Match strength of a candidate (higher is better).
MATCH_ID = 4
MATCH_NAME = 3
MATCH_WORD = 2
MATCH_LABELS = {MATCH_ID: "id", MATCH_NAME: "name", MATCH_WORD: "word"}
# Most candidates returned beside the best one.
MAX_CANDIDATES = 10
_LATIN_WORD = re.compile(r"[a-z0-9]+")
_TYPES = ("PERSON", "LOCATION", "ORGANIZATION")


@dataclass(frozen=True, slots=True)
class Candidate:
    """One knowledge-base entity that a query may mean."""

    id: str
    type: str
    name: str
    name_en: str | None
    wikidata: str | None
    articles: int
    match: str
    type_fit: bool

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class Resolution:
    """The best entity for a query (None when nothing matches) and the other candidates, best first."""

    query: str
    best: Candidate | None
    candidates: tuple[Candidate, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "best": self.best.to_dict() if self.best else None,
            "candidates": [c.to_dict() for c in self.candidates],
        }

    def did_you_mean(self) -> str | None:
        """'did you mean …' for text output, or None when there are no other candidates."""
        if not self.candidates:
            return None
        names = ", ".join(
            f"{c.name}{f' ({c.name_en})' if c.name_en else ''} [{c.type}, {c.articles} article{'' if c.articles == 1 else 's'}, {c.id}]"
            for c in self.candidates[:5]
        )
        return f"did you mean: {names}"


def _latin_words(text: str) -> list[str]:
    return _LATIN_WORD.findall(text.lower())


def _query_type(value: str) -> str | None:
    """The type the shipped name knowledge base gives a Hindi query, if it gives one."""
    if not any("\u0900" <= ch <= "\u097f" for ch in value):
        return None
    try:
        from khabar.analysis.gazetteer import lookup
    except ImportError:  # pragma: no cover - the analysis layer is always installed with khabar
        return None
    types = Counter(hit.type for hit in lookup(value) if hit.type and not hit.common)
    return types.most_common(1)[0][0] if types else None


def _fetch(conn: sqlite3.Connection, where: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT e.id, e.type, e.name, e.name_en, e.wikidata, "
        "(SELECT count(DISTINCT ae.article_id) FROM article_entities ae WHERE ae.entity_id = e.id) "
        f"FROM entities e WHERE {where}",
        params,
    ).fetchall()


def find_matches(conn: sqlite3.Connection, value: str) -> dict[str, tuple[int, tuple[Any, ...]]]:
    """Entity id → (match strength, row) for every entity the query matches."""
    found: dict[str, tuple[int, tuple[Any, ...]]] = {}

    def add(strength: int, rows: list[tuple[Any, ...]]) -> None:
        for row in rows:
            if row[0] not in found or found[row[0]][0] < strength:
                found[row[0]] = (strength, row)

    add(MATCH_ID, _fetch(conn, "e.id = ? OR e.wikidata = ?", (value, value)))
    key = name_key(value)
    latin = _latin_words(value)
    if key:
        add(
            MATCH_NAME,
            _fetch(conn, "e.key = ? OR e.id IN (SELECT entity_id FROM aliases WHERE key = ?)", (key, key)),
        )
    if latin:
        rows = _fetch(conn, "e.name_en IS NOT NULL AND lower(e.name_en) LIKE ?", (f"%{latin[-1]}%",))
        for row in rows:
            words = _latin_words(row[3] or "")
            if words == latin:
                add(MATCH_NAME, [row])
            elif _contains(words, latin):
                add(MATCH_WORD, [row])
    if key and " " not in key and not latin:
        rows = _fetch(
            conn,
            "e.id IN (SELECT entity_id FROM aliases WHERE key LIKE ? OR key LIKE ? OR key LIKE ?)",
            (f"% {key}", f"{key} %", f"% {key} %"),
        )
        add(MATCH_WORD, rows)
    return found


def _contains(words: list[str], part: list[str]) -> bool:
    """Whether `part` occurs as consecutive words of `words`."""
    n = len(part)
    return any(words[i : i + n] == part for i in range(len(words) - n + 1))


def resolve_name(
    conn: sqlite3.Connection, query: str, type: str | None = None, limit: int = MAX_CANDIDATES
) -> Resolution:
    """Rank the knowledge-base entities a user's name (or id) may mean; see the module docstring."""
    value = query.strip()
    if not value:
        return Resolution(query, None)
    found = find_matches(conn, value)
    if not found:
        return Resolution(query, None)
    wanted = type.upper() if type else _query_type(value)
    if wanted not in _TYPES:
        by_type: Counter[str] = Counter()
        for _strength, row in found.values():
            by_type[row[1]] += int(row[5])
        wanted = by_type.most_common(1)[0][0] if by_type else None
    ranked = sorted(
        found.values(),
        key=lambda item: (
            item[0] != MATCH_ID,
            item[1][1] != wanted,
            -int(item[1][5]),
            -item[0],
            item[1][0],
        ),
    )
    cands = tuple(
        Candidate(
            row[0], row[1], row[2], row[3], row[4], int(row[5]), MATCH_LABELS[strength], row[1] == wanted
        )
        for strength, row in ranked[: limit + 1]
    )
    return Resolution(query, cands[0], cands[1:])
