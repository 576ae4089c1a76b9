"""Who a statement is attributed to: an entity, or what stands in for an unnamed speaker.

- an agent "X ने" (or "X का" before कहना/मानना है, "X द्वारा"): the entity of the mention ending right
  before the marker; a bare title ("प्रधानमंत्री ने") is the entity with that role mentioned last; a
  single first name or surname the NER did not tag ("राहुल ने") is the one person entity it names; a
  pronoun (उन्होंने) is the last person;
- present tense without ने ("मंत्री रमेश कहते हैं कि"): the nearest person or organisation mention
  before the cue that no postposition follows, or a subject pronoun;
- a source phrase ("रिपोर्ट में कहा गया", "पुलिस सूत्रों के मुताबिक"): its entity, else `source_kind`
  from the phrase's last words (`lang/hi/source_kinds.tsv`): unnamed_official, report, agency,
  document; other when none applies.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache, lru_cache

from khabar.analysis._facts import (
    END,
    OBLIQUE_MARKERS,
    START,
    WORD_CHAR,
    cached_on,
    entity_of,
    lexicon,
    mentions_between,
    next_word,
)
from khabar.analysis.namekey import name_key as _name_key
from khabar.article import Article, SourceKind
from khabar.clean.normalize import normalize_text


@lru_cache(maxsize=8192)
def name_key_cached(name: str) -> str:
    """`name_key`, memoised (it is a pure function of the string; entity names recur per trigger)."""
    return _name_key(name)


# How far back (characters) a mention may start and still end right before an agent marker.
MENTION_REACH = 120
# Words before a marker read for a source kind ("एक वरिष्ठ पुलिस अधिकारी ने": अधिकारी).
SOURCE_WORDS = 3


@dataclass(frozen=True, slots=True)
class Agent:
    """A statement's speaker: an entity id; or the words naming a speaker that is no entity (a group
    or an organisation the NER missed: परिजनों, कानपुर पुलिस); or, when none is named, what stands in
    for one (`source_kind`)."""

    entity: str | None
    source_kind: SourceKind | None
    text: str | None = None


@cache
def _pronouns() -> dict[str, str]:
    return {row[0]: (row[1] if len(row) > 1 else "direct") for row in lexicon("pronouns.tsv")}


@cache
def _source_kinds() -> dict[str, SourceKind]:
    kinds: dict[str, SourceKind] = {}
    for row in lexicon("source_kinds.tsv"):
        if row[1] in ("unnamed_official", "report", "agency", "document", "other"):
            kinds[row[0]] = row[1]  # type: ignore[assignment]
    return kinds


def resolve_pronoun(last: Agent | None) -> Agent:
    """What a pronoun refers to: the last person (or named speaker), else an unnamed source."""
    return last if last is not None and (last.entity or last.text) else Agent(None, "other")


def source_kind(words: list[str]) -> SourceKind | None:
    """The source kind named by the last words of a phrase (the nearest wins), else None."""
    for w in reversed(words[-SOURCE_WORDS:]):
        if w in _source_kinds():
            return _source_kinds()[w]
    return None


def mention_entity_ending(article: Article, pos: int) -> str | None:
    """The entity of a mention ending (modulo spaces) right before `pos`."""
    before = mentions_between(article, max(0, pos - MENTION_REACH), pos)
    for m in reversed(before):
        if not article.text[m.end : pos].strip():
            return entity_of(article, m)
    return None


def entity_by_role(article: Article, pos: int) -> str | None:
    """The entity a bare title before `pos` refers to ("राष्ट्रपति ने कहा", "विशेष दूत ने"): among
    entities with that role, the one mentioned last before `pos`."""
    before = article.text[max(0, pos - 60) : pos].rstrip()
    by_role, ends = cached_on(article.entities, "entities_by_role", lambda: _role_index(article))
    matched = sorted(
        {
            k
            for role, ks in by_role.items()
            if before.endswith(role) and re.search(rf"{START}{re.escape(role)}$", before)
            for k in ks
        }
    )
    best, best_end = None, -1
    for k in matched:  # in entity order, so the first of equally recent ones wins
        j = bisect_right(ends[k], pos)
        if j and ends[k][j - 1] > best_end:
            best, best_end = article.entities[k].id, ends[k][j - 1]
    return best


def _role_index(article: Article) -> tuple[dict[str, list[int]], list[list[int]]]:
    """Entity positions by each of their roles, and the sorted mention ends of each entity."""
    by_role: dict[str, list[int]] = {}
    for k, ent in enumerate(article.entities):
        for role in dict.fromkeys(ent.roles):
            if role:
                by_role.setdefault(role, []).append(k)
    return by_role, [sorted(m.end for m in ent.mentions) for ent in article.entities]


def entity_by_name_part(article: Article, word: str) -> str | None:
    """The one person entity whose first or last name is `word` ("राहुल ने" for राहुल गांधी)."""
    key = name_key_cached(word)
    if len(key) < 2:
        return None
    found = cached_on(article.entities, "person_name_parts", lambda: _person_name_parts(article)).get(
        key, set()
    )
    return next(iter(found)) if len(found) == 1 else None


def _person_name_parts(article: Article) -> dict[str, set[str]]:
    """Person entity ids by the key of the first and of the last word of each of their names."""
    parts_of: dict[str, set[str]] = {}
    for ent in article.entities:
        if ent.type != "PERSON":
            continue
        for name in (ent.name, *ent.aliases):
            parts = name_key_cached(name).split()
            if len(parts) > 1:
                for part in {parts[0], parts[-1]}:
                    parts_of.setdefault(part, set()).add(ent.id)
    return parts_of


# Words before an agent marker read as the phrase naming it ("उद्योग मंत्री उदय सामंत ने").
PHRASE_WORDS = 4
# A genitive owner stands at most this many words before a report or bench noun ("एसबीआई रिसर्च की
# एक रिपोर्ट", "जस्टिस माथुर की एकलपीठ").
OWNER_REACH = 3
_GENITIVES = ("की", "के", "का")
_POSSESSIVE_PRONOUNS = ("उनके", "उसके", "इनके", "इसके", "उनकी", "उसकी", "उनका", "उसका")


@cache
def _function_words() -> frozenset[str]:
    from khabar.lang.hi import read_list

    return frozenset(normalize_text(w) for w in read_list("ner_function_words.txt"))


def _phrase(text: str, start: int, marker: int) -> str | None:
    """The words naming an agent that ends at `marker`: back to a function word, punctuation or
    `PHRASE_WORDS` words."""
    found = list(re.finditer(rf"{WORD_CHAR}+|[^\s]", text[start:marker]))
    words: list[str] = []
    for m in reversed(found):
        w = m.group(0)
        if not re.match(WORD_CHAR, w) or w in _function_words() or len(words) == PHRASE_WORDS:
            break
        words.insert(0, w)
    return " ".join(words) or None


def _at_marker(
    article: Article, start: int, marker: int, last_person: Agent | None, owner: bool = True
) -> Agent:
    """The agent whose marker (ने/का/द्वारा/के मुताबिक) starts at `marker`."""
    text = article.text
    while marker > start and text[marker - 1] in " )":
        # "असम राज्य आपदा प्रबंधन प्राधिकरण (एएसडीएमए) के अनुसार": the acronym in brackets
        close = text.rfind("(", start, marker)
        marker = close if text[marker - 1] == ")" and close >= 0 else marker - 1
    ent = mention_entity_ending(article, marker)
    if ent:
        return Agent(ent, None)
    words = re.findall(rf"{WORD_CHAR}+", text[start:marker])
    head = words[-1] if words else ""
    if head in _POSSESSIVE_PRONOUNS or _pronouns().get(head) == "agent":
        return resolve_pronoun(last_person)
    kind = source_kind(words)
    if owner and (_source_kinds().get(head) in ("report", "document") or head in _owner_nouns()):
        # "एसबीआई रिसर्च की एक रिपोर्ट में", "X के आंकड़ों के मुताबिक", "जस्टिस माथुर की एकलपीठ ने"
        gen = [m for m in re.finditer(rf"{START}(?:की|के|का){END}", text[start:marker])]
        if (
            gen
            and len(words) - len(re.findall(rf"{WORD_CHAR}+", text[start : start + gen[-1].start()]))
            <= OWNER_REACH + 1
        ):
            found = _at_marker(article, start, start + gen[-1].start(), last_person, owner=False)
            if found.entity or found.text:
                return found
    indefinite = "एक" in words[-PHRASE_WORDS:]
    if not indefinite and (role := entity_by_role(article, marker)):
        return Agent(role, None)
    if words and (named := entity_by_name_part(article, words[-1])):
        return Agent(named, None)
    phrase = _phrase(text, start, marker)
    if indefinite or kind is not None or phrase is None:
        return Agent(None, kind or ("unnamed_official" if indefinite else "other"))
    return Agent(None, None, phrase)


@cache
def _owner_nouns() -> frozenset[str]:
    return frozenset(row[0] for row in lexicon("source_kinds.tsv") if row[1] == "owned")


def agent_before(
    article: Article, start: int, pos: int, last_person: Agent | None, genitive: bool = False
) -> Agent | None:
    """The agent closest before a cue at `pos` in the clause `[start, pos)`: "X ने", "X द्वारा" (or
    "X का" with `genitive`), or a pronoun agent (उन्होंने → `last_person`); None when there is none."""
    text = article.text
    markers = "ने|द्वारा|का" if genitive else "ने|द्वारा"
    best: Agent | None = None
    for m in re.finditer(rf"{START}({WORD_CHAR}+)(?:\s+({markers}))?{END}", text[start:pos]):
        word, marker = m.group(1), m.group(2)
        if marker is None and _pronouns().get(word) == "agent":
            best = resolve_pronoun(last_person)
        elif marker is not None:
            best = _at_marker(article, start, start + m.start(2), last_person)
    return best


def nominative_before(article: Article, start: int, pos: int, last_person: Agent | None) -> Agent | None:
    """The subject of a present-tense cue ("मंत्री रमेश कहते हैं"): the nearest person or organisation
    mention before `pos` that no postposition follows, a subject pronoun, or a bare title."""
    text = article.text
    for m in reversed(mentions_between(article, start, pos)):
        if m.type != "LOCATION" and next_word(text, m.end) not in OBLIQUE_MARKERS:
            ent = entity_of(article, m)
            if ent:
                return Agent(ent, None)
    words = re.findall(rf"{WORD_CHAR}+", text[start:pos])
    if words and words[0] in _pronouns():
        return resolve_pronoun(last_person)
    ent = entity_by_role(article, pos)
    return Agent(ent, None) if ent else None


def source_agent(
    article: Article, start: int, pos: int, last_person: Agent | None, according: bool = False
) -> Agent:
    """The source of an agentless cue ("रिपोर्ट में कहा गया", "मंत्रालय की ओर से कहा गया") or of an
    according phrase ending at `pos` ("पुलिस सूत्रों के मुताबिक")."""
    text = article.text
    head = text[start:pos].rstrip()
    if according:
        return _at_marker(article, start, start + len(head) + 1, last_person)
    by = re.search(rf"({WORD_CHAR}+)\s+(?:की ओर से|द्वारा|के हवाले से)(?:\s+{WORD_CHAR}+){{0,3}}\s*$", head)
    if by:
        return _at_marker(article, start, start + by.end(1) + 1, last_person)
    inside = re.search(rf"({WORD_CHAR}+)\s+में\s*$", head)
    if inside:
        return _at_marker(article, start, start + inside.end(1) + 1, last_person)
    agent = agent_before(article, start, pos, last_person)
    return agent or Agent(None, "other")
