"""Entity resolution within one article: mentions of the same person, place or organisation become one
`Entity` with a canonical Hindi name, roles, an English name and (when known) a Wikidata ID.

Rules, in order:
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
5. English name and Wikidata ID from `names_en.english_name` (gazetteer, else romanised).
6. Groups the gazetteer names as one thing merge: same Wikidata ID, or for places and organisations
   the same gazetteer English name (भाजपा = भारतीय जनता पार्टी). Groups left apart by rule 3 stay apart
   and are romanised (a bare मोदी beside नरेंद्र मोदी and नीरव मोदी is not given Narendra Modi's ID).

Entities are numbered e1, e2, … in order of first mention.
"""

from __future__ import annotations

import dataclasses
import importlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from khabar.analysis.namekey import name_key
from khabar.analysis.names_en import english_name, lookup_gazetteer
from khabar.analysis.romanize import romanize
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
    counts = {n: names.count(n) for n in names}
    return max(names, key=lambda n: (len(name_key(n).split()), counts[n], -names.index(n)))


def _ordered_unique(items: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for i in items if i))


def _english_for(canonical: str, names: list[str], type: str) -> tuple[str, str, str | None]:
    """English name of the canonical form; a same-length variant's gazetteer row if the canonical misses."""
    name_en, source, qid = english_name(canonical, type)
    if source == "gazetteer":
        return name_en, source, qid
    width = len(name_key(canonical).split())
    for other in names:
        if other != canonical and len(name_key(other).split()) == width:
            hit = lookup_gazetteer(other, type)
            if hit is not None:
                return hit[0], "gazetteer", hit[1]
    return name_en, source, qid


def _identity(kind: str, english: tuple[str, str, str | None]) -> tuple[str, str] | None:
    """What makes two clusters one thing: the Wikidata ID, or for places and organisations the
    gazetteer's English name; None for romanised names and people without an ID."""
    name_en, source, qid = english
    if qid:
        return (kind, qid)
    if source == "gazetteer" and kind != "PERSON":
        return (kind, name_en)
    return None


def resolve_entities(article: Article) -> Article:
    """Group `article.mentions` into `article.entities` and set each mention's `entity` id."""
    titles = load_title_kinds()
    mentions: list[Mention] = []
    roles: list[list[str]] = []
    for mention in article.mentions:
        stripped, found = strip_titles(mention, titles)
        mentions.append(stripped)
        roles.append(found)

    groups: list[_Group] = []
    by_key: dict[tuple[str, str], int] = {}
    for i, mention in enumerate(mentions):
        words = tuple(name_key(_lookup_name(mention)).split())
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
    # Rule 6: clusters the gazetteer names as one thing (भाजपा, भारतीय जनता पार्टी) are one entity.
    clusters: list[tuple[list[int], tuple[str, str, str | None]]] = []
    by_identity: dict[tuple[str, str], int] = {}
    for root, members in members_of.items():
        canonical = _canonical(mentions, members)
        kind = groups[root].type
        if root in ambiguous:  # a bare surname of two people: no gazetteer row can say which
            clusters.append((members, (romanize(canonical), "romanized", None)))
            continue
        english = _english_for(canonical, [_lookup_name(mentions[m]) for m in members], kind)
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
    for number, (members, (name_en, source, qid)) in enumerate(clusters, 1):
        entity_id = f"e{number}"
        for m in members:
            entity_of[m] = entity_id
        first = mentions[members[0]]
        canonical = _canonical(mentions, members)
        entities.append(
            Entity(
                id=entity_id,
                type=first.type,
                name=canonical,
                name_en=name_en,
                name_en_source="gazetteer" if source == "gazetteer" else "romanized",
                wikidata=qid,
                roles=_ordered_unique(r for m in members for r in roles[m]),
                mentions=tuple(dataclasses.replace(mentions[m], entity=entity_id) for m in members),
                aliases=_ordered_unique(mentions[m].text for m in members),
            )
        )
    article.mentions = [
        dataclasses.replace(m, entity=entity_of.get(i)) if i in entity_of else m
        for i, m in enumerate(mentions)
    ]
    article.entities = entities
    return article
