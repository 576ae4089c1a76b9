"""English and romanised queries: a Latin-script query matched against entities' English names and the
romanised forms of their Hindi names and aliases, fuzzily ("Narendra Modi", "modi", "Modee").

Matching is on a phonetic key of each Latin word (`latin_key`: aspirates, w/v, ee/i, oo/u, z/j, doubled
letters and a final a folded) with one edit allowed in words of five letters or more. Every query word
must match a word of the form. Candidates rank by article count times match quality (exact key 1,
fuzzy 0.5), then by how much of the name the query covers.

`latin_candidates` is the resolver the search uses (`Resolver`); the knowledge base's own name
resolution can stand in for it with the same signature.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from khabar.analysis.romanize import romanize
from khabar.lang.hi import read_table
from khabar.store.search_index import cache_key

_LATIN_WORD = re.compile(r"[a-z]+")
_DEVANAGARI = re.compile(r"[\u0900-\u097f]")
_LATIN = re.compile(r"[A-Za-z]")
_SYNTAX = re.compile(r'["()*:=]|\b(AND|OR|NOT|NEAR)\b')
_FOLDS = (
    ("ph", "f"),
    ("kh", "k"),
    ("gh", "g"),
    ("th", "t"),
    ("dh", "d"),
    ("bh", "b"),
    ("jh", "j"),
    ("sh", "s"),
    ("ck", "k"),
    ("ee", "i"),
    ("ii", "i"),
    ("oo", "u"),
    ("ou", "u"),
    ("uu", "u"),
    ("aa", "a"),
    ("w", "v"),
    ("z", "j"),
    ("q", "k"),
    ("x", "ks"),
)
_DOUBLE = re.compile(r"(.)\1+")
MAX_ALIASES = 8


@dataclass(frozen=True, slots=True)
class EntityCandidate:
    """A KB entity a query may mean, with the form that matched."""

    id: str
    type: str
    name: str
    name_en: str | None
    articles: int
    matched: str
    quality: float

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "type": self.type,
            "name": self.name,
            "name_en": self.name_en,
            "articles": self.articles,
            "matched": self.matched,
        }


Resolver = Callable[[sqlite3.Connection, str], list[EntityCandidate]]


def is_latin_query(query: str) -> bool:
    """A query in Latin script without search syntax (a name or English words)."""
    return bool(_LATIN.search(query)) and not _DEVANAGARI.search(query) and not _SYNTAX.search(query)


def latin_key(word: str) -> str:
    """The phonetic key of one Latin word."""
    word = word.lower()
    if word.startswith("c") and not word.startswith("ch"):
        word = "k" + word[1:]
    word = re.sub(r"c(?!h)", "k", word)
    for old, new in _FOLDS:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    if word.endswith("y") and len(word) > 2:
        word = word[:-1] + "i"
    if word.endswith("a") and len(word) > 3:
        word = word[:-1]
    return word


_ROMAN_FOLDS = (
    ("ee", "i"),
    ("ii", "i"),
    ("oo", "u"),
    ("uu", "u"),
    ("aa", "a"),
    ("w", "v"),
    ("z", "j"),
    ("ph", "f"),
)


def roman_key(word: str) -> str:
    """A lighter key for romanised Hindi words (aspirates kept: badh is not bad): vowel doubling,
    w/v, z/j, ph/f and doubled letters folded."""
    word = word.lower()
    for old, new in _ROMAN_FOLDS:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    return word[:-1] + "i" if word.endswith("y") and len(word) > 2 else word


def _keys(text: str) -> tuple[str, ...]:
    return tuple(latin_key(w) for w in _LATIN_WORD.findall(text.lower()))


def _near(a: str, b: str) -> bool:
    """Within one edit (two for words of nine letters or more); only for words of five or more."""
    if min(len(a), len(b)) < 5 or abs(len(a) - len(b)) > 2:
        return False
    limit = 2 if min(len(a), len(b)) >= 9 else 1
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        if min(cur) > limit:
            return False
        prev = cur
    return prev[-1] <= limit


@dataclass
class _Form:
    entity: str
    text: str
    keys: tuple[str, ...]


@dataclass
class _Names:
    entities: dict[str, tuple[str, str, str | None, int]]  # id → type, name, name_en, articles
    forms: list[_Form]
    by_key: dict[str, list[int]]


# Read once per knowledge base state; the last few kept.
_CACHE: dict[tuple[object, ...], _Names] = {}
_CACHE_SIZE = 4


def _names(conn: sqlite3.Connection) -> _Names:
    state = conn.execute(
        "SELECT (SELECT count(*) FROM entities), (SELECT count(*) FROM aliases), "
        "(SELECT count(*) FROM article_entities)"
    ).fetchone()
    key = (int(state[0]), int(state[1]), int(state[2]))
    ckey = cache_key(conn, key)
    if ckey in _CACHE:
        return _CACHE[ckey]
    entities = {
        r[0]: (r[1], r[2], r[3], int(r[4]))
        for r in conn.execute(
            "SELECT e.id, e.type, e.name, e.name_en, count(DISTINCT ae.article_id) FROM entities e "
            "JOIN article_entities ae ON ae.entity_id = e.id GROUP BY e.id"
        )
    }
    texts: dict[str, set[str]] = {eid: set() for eid in entities}
    for eid, (_, name, name_en, _) in entities.items():
        texts[eid].add(romanize(name))
        if name_en:
            texts[eid].add(name_en)
    for eid, alias in conn.execute("SELECT entity_id, alias FROM aliases"):
        if eid in texts:
            texts[eid].add(romanize(alias))
    forms: list[_Form] = []
    by_key: dict[str, list[int]] = {}
    for eid, found in texts.items():
        for text in sorted(found):
            keys = _keys(text)
            if not keys:
                continue
            forms.append(_Form(eid, text, keys))
            for k in set(keys):
                by_key.setdefault(k, []).append(len(forms) - 1)
    names = _Names(entities, forms, by_key)
    _remember(ckey, names)
    return names


def latin_candidates(conn: sqlite3.Connection, query: str, limit: int = 10) -> list[EntityCandidate]:
    """Entities a Latin-script name query may mean, best first (see the module docstring)."""
    qkeys = _keys(query)
    if not qkeys:
        return []
    names = _names(conn)
    # Forms holding the first query word (exactly or within an edit), then checked word by word.
    pool: set[int] = set(names.by_key.get(qkeys[0], []))
    for k, ids in names.by_key.items():
        if _near(qkeys[0], k):
            pool.update(ids)
    best: dict[str, tuple[float, float, str]] = {}
    for i in pool:
        form = names.forms[i]
        quality, used = 1.0, 0
        for q in qkeys:
            if q in form.keys:
                used += 1
            elif any(_near(q, k) for k in form.keys):
                quality, used = 0.5, used + 1
            else:
                break
        else:
            cover = used / len(form.keys)
            old = best.get(form.entity)
            if old is None or (quality, cover) > old[:2]:
                best[form.entity] = (quality, cover, form.text)
    out = []
    for eid, (quality, cover, text) in best.items():
        etype, name, name_en, articles = names.entities[eid]
        out.append(
            (articles * quality, cover, EntityCandidate(eid, etype, name, name_en, articles, text, quality))
        )
    out.sort(key=lambda item: (-item[0], -item[1], item[2].id))
    return [cand for _, _, cand in out[:limit]]


@cache
def _roman_words() -> dict[str, tuple[str, ...]]:
    return {row[0]: tuple(row[1].split()) for row in read_table("roman_words_gen.tsv") if len(row) > 1}


def _romanized_groups(query: str) -> list[str]:
    """The Devanagari OR-groups of a romanised Hindi query's known words (function words only when it
    has nothing else)."""
    from khabar.store.search_query import is_stopword

    table = _roman_words()
    groups: list[str] = []
    function_words: list[str] = []
    for word in _LATIN_WORD.findall(query.lower()):
        spellings = table.get(roman_key(word))
        if spellings:
            group = "(" + " OR ".join(spellings) + ")"
            (function_words if is_stopword(spellings[0]) else groups).append(group)
    return groups or function_words


def romanized_query(query: str) -> str | None:
    """A romanised Hindi query ("kisan andolan", "baadh") as a Devanagari keyword query: each word
    known to the Dakshina-derived table becomes an OR of its Devanagari spellings, unknown words are
    left out; None when no word is known."""
    groups = _romanized_groups(query)
    return " ".join(groups) if groups else None


# A Latin query that is also romanised Hindi ("baadh": बाढ़) is read as an entity only when that entity
# is in at least this share of the articles the word reading finds: "modi" (नरेंद्र मोदी, nearly every
# article with मोदी) is the person; "baadh", matched loosely to a one-article organisation whose name
# starts with बाद, is the word. Chosen on the search gold set's tune part.
ENTITY_SHARE = 0.5


def read_latin_query(
    conn: sqlite3.Connection, query: str, count_articles: Callable[[str], int]
) -> tuple[EntityCandidate | None, list[EntityCandidate], str | None]:
    """How a Latin-script query is read: (the entity it names or None, the other candidates, the
    Devanagari keyword query of its romanised-Hindi reading or None). `count_articles` counts the
    articles a keyword query matches. When every query word has a romanised-Hindi reading, the best
    entity wins over that reading only if it is in `ENTITY_SHARE` of the articles with all its words
    ("Nitesh Kumar", read as कुमार alone, is no reading of the whole query)."""
    found = latin_candidates(conn, query)
    groups = _romanized_groups(query)
    words = " ".join(groups) if groups else None
    table = _roman_words()
    every_word = all(roman_key(w) in table for w in _LATIN_WORD.findall(query.lower()))
    if found and groups and every_word:
        with_all = count_articles(" AND ".join(groups))
        if found[0].articles < ENTITY_SHARE * with_all:
            return None, found, words
    if found:
        return found[0], found[1:], None
    return None, [], words


def aliases(conn: sqlite3.Connection, entity_id: str) -> list[str]:
    """The entity's Hindi name and aliases, longest first, at most MAX_ALIASES."""
    found = {r[0] for r in conn.execute("SELECT name FROM entities WHERE id = ?", (entity_id,))}
    found.update(r[0] for r in conn.execute("SELECT alias FROM aliases WHERE entity_id = ?", (entity_id,)))
    return sorted((a for a in found if _DEVANAGARI.search(a)), key=lambda a: (-len(a), a))[:MAX_ALIASES]


def _remember(key: tuple[object, ...], value: _Names) -> None:
    while len(_CACHE) >= _CACHE_SIZE:
        _CACHE.pop(next(iter(_CACHE)))
    _CACHE[key] = value
