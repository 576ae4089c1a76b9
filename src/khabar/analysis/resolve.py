"""Entity resolution within one article: mentions of the same person, place or organisation become one
`Entity` with a canonical Hindi name, roles, an English name and (when known) a Wikidata ID.

Rules, in order:
0. The NER's spans and types are corrected first (`khabar.analysis.spans`: "X सरकार", heads, name
   edges such as weekdays and honorifics, byline codes).
1. Titles left inside a mention span (राष्ट्रपति जेलेंस्की) are cut off the span and kept as roles;
   honorifics (श्री, डॉ.) are cut off but are not roles. The title list is the NER's (`lang/hi/titles.tsv`).
2. Mentions of one type with the same spelling-variant key (`namekey.compact_key` of `Mention.name`,
   else the text) are one entity: विटकॉफ = विटकोफ, जेरेड कुशनर = जैरेड कुश्नर. Types never merge.
3. A shorter PERSON name whose words are a subsequence of a longer one sharing its first or last word
   (जेलेंस्की → वोलोदिमिर जेलेंस्की, स्टीव → स्टीव विटकॉफ) joins it when exactly one full name fits.
   With several (कुश्नर after जेरेड कुशनर and चार्ल्स कुश्नर), a role it shares with exactly one of
   them decides; otherwise it stays its own entity — a wrong merge would put one man's words in
   another's mouth, while an extra entity only splits a count.
4. Canonical name: the form with most words, then the most frequent, then the first seen.
   Honorifics (साहब, जी …) are never name words, so they link nobody.
5. English name and Wikidata ID from `names_en.english_name`, with the context of the mentions (cue
   words near them, the story's country: the country its places point to most, India by default).
6. Groups the knowledge base names as one thing merge: the same knowledge-base entity or Wikidata ID
   (भाजपा = भारतीय जनता पार्टी). Groups left apart by rule 3 stay apart and get no knowledge-base
   identity (a bare मोदी beside नरेंद्र मोदी and नीरव मोदी is not given Narendra Modi's ID).
7. A bare common surname (सिंह, कौर, गांधी) that no full name of the article takes is no entity.

Entities are numbered e1, e2, … in order of first mention.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from khabar.analysis.namekey import name_key
from khabar.analysis.names_en import (
    DEFAULT_COUNTRY,
    EnglishName,
    NameContext,
    english_by_parts,
    english_name,
    lookup_name,
)
from khabar.analysis.spans import correct_mentions, load_edges
from khabar.article import Article, Entity, Mention
from khabar.errors import KhabarError
from khabar.lang.hi import read_table


@dataclass(slots=True)
class _Group:
    """Mentions (indexes into the article's mention list) that refer to one entity."""

    type: str
    words: tuple[str, ...]
    members: list[int] = field(default_factory=list)
    parent: int | None = None


@cache
def load_title_kinds() -> dict[str, str]:
    """Title → kind ('role' or 'honorific'): `lang/hi/titles.tsv`, plus any further titles the NER
    module's `load_titles()` knows (as roles)."""
    kinds: dict[str, str] = {}
    try:
        rows = read_table("titles.tsv")
    except KhabarError:  # no title list shipped: only Mention.role and the NER's titles are used
        rows = ()
    for row in rows:
        if row and row[0]:
            kind = row[1] if len(row) > 1 else "role"
            if kind != "epithet":  # an epithet is part of the name (स्वामी विवेकानंद): never cut off
                kinds[row[0]] = "honorific" if kind == "honorific" else "role"
    try:
        load = getattr(importlib.import_module("khabar.analysis.ner"), "load_titles", None)
    except ImportError:
        load = None
    loaded = load() if callable(load) else ()
    if isinstance(loaded, Iterable) and not isinstance(loaded, str):
        for title in loaded:  # the NER's titles leave epithets out already
            kinds.setdefault(str(title), "role")
    return kinds


def strip_titles(mention: Mention, titles: dict[str, str]) -> tuple[Mention, list[str]]:
    """Cut titles off the front of a mention (span, text and name); return it and the roles found."""
    roles: list[str] = [mention.role] if mention.role else []
    ordered = sorted(titles, key=len, reverse=True)
    text, name, start = mention.text, mention.name, mention.start
    changed = True
    while changed:
        changed = False
        for title in ordered:
            prefix = title + " "
            if text.startswith(prefix) and len(text) > len(prefix):
                text, start = text[len(prefix) :], start + len(prefix)
                if name is not None and name.startswith(prefix):
                    name = name[len(prefix) :]
                if titles[title] == "role" and title not in roles:
                    roles.append(title)
                changed = True
                break
    if start == mention.start:
        return mention, roles
    stripped = dataclasses.replace(
        mention, start=start, text=text, name=name, role=roles[0] if roles else None
    )
    return stripped, roles


def _lookup_name(mention: Mention) -> str:
    return mention.name or mention.text


def _is_part_of(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `short` is a proper subsequence of `long` sharing its first or last word."""
    if len(short) >= len(long) or not short:
        return False
    if short[0] != long[0] and short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(word in it for word in short)


def _root(groups: list[_Group], index: int) -> int:
    while groups[index].parent is not None:
        index = groups[index].parent  # type: ignore[assignment]
    return index


def _link_partial_names(groups: list[_Group], roles: list[list[str]]) -> set[int]:
    """Attach shorter PERSON names to the unique longer name they are part of (rule 3); return the
    groups left apart because several full names fit."""
    ambiguous: set[int] = set()
    order = sorted(range(len(groups)), key=lambda g: -len(groups[g].words))
    # Person groups by first and by last word: a longer name a short one is part of shares one of them.
    by_end: dict[tuple[int, str], list[int]] = {}
    for h in order:
        if groups[h].type == "PERSON" and groups[h].words:
            by_end.setdefault((0, groups[h].words[0]), []).append(h)
            by_end.setdefault((-1, groups[h].words[-1]), []).append(h)
    for g in order:
        group = groups[g]
        if group.type != "PERSON" or not group.words:
            continue
        near = set(by_end.get((0, group.words[0]), ())) | set(by_end.get((-1, group.words[-1]), ()))
        roots = {_root(groups, h) for h in near if h != g and _is_part_of(group.words, groups[h].words)}
        if len(roots) > 1:
            own = {r for m in group.members for r in roles[m]}
            roots = {r for r in roots if own & _roles_of(groups, r, roles)}
            if len(roots) != 1:
                ambiguous.add(g)
        if len(roots) == 1:
            group.parent = roots.pop()
    return ambiguous


def _roles_of(groups: list[_Group], root: int, roles: list[list[str]]) -> set[str]:
    """All roles of the mentions under one root group."""
    return {
        r for h, grp in enumerate(groups) if _root(groups, h) == root for m in grp.members for r in roles[m]
    }


def _canonical(mentions: list[Mention], members: list[int]) -> str:
    """The fullest name form: most words, then most frequent, then first seen."""
    names = [_lookup_name(mentions[m]) for m in members]
    counts: dict[str, int] = {}
    first: dict[str, int] = {}
    for i, n in enumerate(names):
        counts[n] = counts.get(n, 0) + 1
        first.setdefault(n, i)
    return max(first, key=lambda n: (len(name_key(n).split()), counts[n], -first[n]))


def _ordered_unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _english_for(canonical: str, names: list[str], type: str, context: NameContext) -> EnglishName:
    """English name of the canonical form; a same-length variant's knowledge-base entry if the
    canonical one misses."""
    english = english_name(canonical, type, context)
    if english.source.startswith("gazetteer"):
        return english
    width = len(name_key(canonical).split())
    for other in names:
        if other != canonical and len(name_key(other).split()) == width:
            variant = english_name(other, type, context)
            if variant.source.startswith("gazetteer"):
                return variant
    return english


def _identity(kind: str, english: EnglishName) -> tuple[str, str] | None:
    """What makes two clusters one thing: the knowledge-base entity or the Wikidata ID."""
    if english.hit is not None and english.source.startswith("gazetteer"):
        return (kind, f"kb:{english.hit.entity}")
    if english.wikidata:
        return (kind, english.wikidata)
    return None


# Characters of text on each side of a mention whose words are its context (cue words).
CONTEXT_CHARS = 60


def _near_words(article: Article, mentions: list[Mention], members: list[int]) -> frozenset[str]:
    words: set[str] = set()
    for m in members:
        mention = mentions[m]
        window = article.text[max(0, mention.start - CONTEXT_CHARS) : mention.end + CONTEXT_CHARS]
        words.update(name_key(w) for w in window.split())
    return frozenset(words)


def story_country(article: Article, mentions: list[Mention]) -> str:
    """The country the article's places point to most (by mentions), else the default (India)."""
    counts: dict[str, int] = {}
    for mention in mentions:
        if mention.type != "LOCATION":
            continue
        hit = lookup_name(_lookup_name(mention), "LOCATION")
        if hit is not None and hit.country:
            counts[hit.country] = counts.get(hit.country, 0) + 1
    if not counts:
        return DEFAULT_COUNTRY
    best = max(counts.items(), key=lambda kv: (kv[1], kv[0] == DEFAULT_COUNTRY))
    return best[0]


@cache
def common_surnames() -> frozenset[str]:
    """Keys of surnames shared by many people (`surnames.txt` and `name_edges.tsv` kind `surname`)."""
    from khabar.analysis.spans import _keys

    return _keys("surnames.txt") | frozenset(k for k, kind in load_edges().items() if kind == "surname")


def _name_words(mention: Mention) -> tuple[str, ...]:
    """Name-key words of a mention's name, honorifics left out (they never link two people)."""
    edges = load_edges()
    words = tuple(name_key(_lookup_name(mention)).split())
    kept = tuple(w for w in words if edges.get(w) != "honorific")
    return kept or words


def resolve_entities(article: Article) -> Article:
    """Group `article.mentions` into `article.entities` and set each mention's `entity` id."""
    titles = load_title_kinds()
    mentions: list[Mention] = []
    roles: list[list[str]] = []
    for mention in correct_mentions(article):
        stripped, found = strip_titles(mention, titles)
        mentions.append(stripped)
        roles.append(found)

    groups: list[_Group] = []
    by_key: dict[tuple[str, str], int] = {}
    for i, mention in enumerate(mentions):
        words = _name_words(mention)
        if not words:
            continue
        key = (mention.type, "".join(words))
        if key not in by_key:
            by_key[key] = len(groups)
            groups.append(_Group(mention.type, words))
        groups[by_key[key]].members.append(i)
    ambiguous = _link_partial_names(groups, roles)

    members_of: dict[int, list[int]] = {}
    for g, group in enumerate(groups):
        members_of.setdefault(_root(groups, g), []).extend(group.members)
    surnames = common_surnames()
    country = story_country(article, mentions)
    # Rule 6: clusters the knowledge base names as one thing (भाजपा, भारतीय जनता पार्टी) are one entity.
    clusters: list[tuple[list[int], EnglishName]] = []
    by_identity: dict[tuple[str, str], int] = {}
    dropped: set[int] = set()
    for root, members in members_of.items():
        canonical = _canonical(mentions, members)
        kind = groups[root].type
        words = groups[root].words
        if kind == "PERSON" and len(words) == 1 and words[0] in surnames:
            dropped.update(members)  # rule 7: a bare common surname that no full name took
            continue
        if root in ambiguous:  # a bare surname of two people: no knowledge-base entry can say which
            clusters.append((members, english_by_parts(canonical)))
            continue
        context = NameContext(_near_words(article, mentions, members), country)
        english = _english_for(canonical, [_lookup_name(mentions[m]) for m in members], kind, context)
        identity = _identity(kind, english)
        if identity is not None and identity in by_identity:
            clusters[by_identity[identity]][0].extend(members)
            continue
        if identity is not None:
            by_identity[identity] = len(clusters)
        clusters.append((members, english))
    for members, _ in clusters:
        members.sort(key=lambda m: (mentions[m].start, m))
    clusters.sort(key=lambda cluster: mentions[cluster[0][0]].start)

    entity_of: dict[int, str] = {}
    entities: list[Entity] = []
    for number, (members, english) in enumerate(clusters, 1):
        entity_id = f"e{number}"
        for m in members:
            entity_of[m] = entity_id
        first = mentions[members[0]]
        hit = english.hit
        entities.append(
            Entity(
                id=entity_id,
                type=first.type,
                name=_canonical(mentions, members),
                name_en=english.name_en,
                name_en_source=english.source,  # type: ignore[arg-type]
                wikidata=english.wikidata,
                roles=_ordered_unique(r for m in members for r in roles[m]),
                mentions=tuple(dataclasses.replace(mentions[m], entity=entity_id) for m in members),
                aliases=_ordered_unique(mentions[m].text for m in members),
                category=hit.klass if hit is not None else None,
                country=hit.country if hit is not None else None,
                adm1=hit.adm1 if hit is not None else None,
                coordinates=hit.coordinates if hit is not None else None,
                aliases_en=english.aliases_en,
            )
        )
    article.mentions = [
        dataclasses.replace(m, entity=entity_of.get(i)) if i in entity_of else m
        for i, m in enumerate(mentions)
        if i not in dropped
    ]
    article.entities = entities
    return article
