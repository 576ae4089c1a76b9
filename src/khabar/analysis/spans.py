"""Corrections to NER mentions before resolution: span edges and types the tagger gets wrong in news.

Applied to each mention, in order:
1. **"X सरकार"** (a government): when X is a known place, or unknown, the whole span is an
   organisation (उत्तर प्रदेश सरकार = Government of Uttar Pradesh); when X is a known person or
   organisation (मनमोहन सिंह सरकार, भाजपा सरकार), सरकार is cut and X keeps its type.
2. **Heads** retype a person span: one ending in an organisation or facility head (इलाहाबाद हाईकोर्ट,
   नरेंद्र मोदी स्टेडियम) takes the head's type (`lang/hi/org_heads_en.tsv`); one that is as a whole a
   knowledge-base organisation or place and no person (मुंबई इंडियंस) takes that type.
3. **Edges of person names**: titles, roles (designations such as एसएसपी, बीडीओ) and relation words are
   cut from the start (kept as the role; initials such as केएल in केएल राहुल stay), an organisation
   the knowledge base knows (राजद सुप्रीमो लालू प्रसाद) becomes a mention of its own, and honorifics (साहब, जी, सर, बाबू …), weekdays, months, postpositions and generic nouns from
   the end (`lang/hi/name_edges.tsv`); a one-word rest after a generic noun was cut is dropped unless
   the knowledge base knows it as a person ("डे मैच" is no person, "धोनी मैच" leaves धोनी).
4. **Weekdays, months and postpositions** never end a place or organisation name either.
5. **Acronyms as places**: a letter-name acronym tagged as a place that the knowledge base does not
   know as a place is a known organisation (a news agency's byline code: जेएनएन) or nothing.
6. **Names cut short**: a mention followed or preceded by up to three words that make with it an
   organisation the knowledge base knows, or a name ending (or starting) with an organisation or
   facility head, is extended to that name (पटना हाईकोर्ट, ज़िला अस्पताल सीतापुर, नरेंद्र मोदी स्टेडियम);
   this runs first, and a mention the extension covers is dropped.
"""

from __future__ import annotations

import contextlib
import dataclasses
import re
from functools import cache
from typing import cast

from khabar.analysis._facts import SpanIndex, span_index
from khabar.analysis.gazetteer import known_part, lookup
from khabar.analysis.namekey import name_key
from khabar.analysis.names_en import load_org_heads
from khabar.analysis.romanize import is_acronym
from khabar.article import Article, EntityType, Mention, Span
from khabar.errors import KhabarError
from khabar.lang.hi import read_table

GOVERNMENT = ("सरकार",)
_WORD = re.compile(r"\S+")


def _keys(name: str, column: int = 0) -> frozenset[str]:
    with contextlib.suppress(KhabarError):
        return frozenset(name_key(r[column]) for r in read_table(name) if len(r) > column and r[column])
    return frozenset()


@cache
def load_edges() -> dict[str, str]:
    """Name key → edge kind (honorific, relation, role, generic) of `name_edges.tsv`."""
    with contextlib.suppress(KhabarError):
        return {name_key(r[0]): r[1] for r in read_table("name_edges.tsv") if len(r) > 1}
    return {}


@cache
def end_cut_words() -> frozenset[str]:
    """Keys of words that never end a name of any type: weekdays, months, postpositions."""
    months = frozenset(k for k in _keys("months.tsv") if not k.endswith("."))
    return _keys("weekdays.tsv") | months | _keys("ner_postpositions.txt")


@cache
def title_keys() -> dict[str, str]:
    """Title key → kind from `titles.tsv` (role, honorific; epithets stay in the name)."""
    with contextlib.suppress(KhabarError):
        return {name_key(r[0]): (r[1] if len(r) > 1 else "role") for r in read_table("titles.tsv") if r[0]}
    return {}


@cache
def common_words() -> frozenset[str]:
    """Keys of frequent non-name words (built by the NER's training from IL-NER)."""
    return _keys("ner_common_words_gen.txt")


@cache
def person_parts() -> frozenset[str]:
    """Keys of known person-name words (IL-NER / name tables) and common surnames."""
    return _keys("ner_person_parts_gen.txt") | _keys("surnames.txt")


def is_name_word(word: str) -> bool:
    """Whether a word is known as part of names (knowledge-base names, person-name lists)."""
    return known_part(word) is not None or name_key(word) in person_parts()


def _words(mention: Mention) -> list[tuple[int, int, str]]:
    """(start, end, word) of the mention's words, offsets into the article text."""
    return [
        (mention.start + m.start(), mention.start + m.end(), m.group(0)) for m in _WORD.finditer(mention.text)
    ]


def _span(article: Article, mention: Mention, first: int, last: int, **changes: object) -> Mention:
    """The mention narrowed to words `first..last` (inclusive) of its text."""
    words = _words(mention)
    start, end = words[first][0], words[last][1]
    fields: dict[str, object] = {"start": start, "end": end, "text": article.text[start:end], "name": None}
    fields.update(changes)
    return dataclasses.replace(mention, **fields)  # type: ignore[arg-type]


def _kb_types(name: str) -> set[str]:
    return {hit.type for hit in lookup(name) if hit.type and not hit.common}


def fix_government(article: Article, mention: Mention) -> Mention | None:
    """Rule 1: "X सरकार" is the government of a place (or of an unknown X), or X's government, where X
    keeps its own span and type."""
    words = _words(mention)
    if mention.type == "LOCATION" or len(words) < 2 or name_key(words[-1][2]) not in GOVERNMENT:
        return None
    rest = " ".join(w for _, _, w in words[:-1])
    types = _kb_types(rest)
    if "LOCATION" in types:
        kind = "ORGANIZATION"
    elif "PERSON" in types:
        kind = "PERSON"
    elif "ORGANIZATION" in types:
        kind = "ORGANIZATION"
    elif mention.type == "PERSON" and all(is_name_word(w) for _, _, w in words[:-1]):
        kind = "PERSON"
    else:
        return dataclasses.replace(mention, type="ORGANIZATION", name=None)
    if kind == "ORGANIZATION" and "LOCATION" in types:
        return dataclasses.replace(mention, type="ORGANIZATION", name=None)
    return _span(article, mention, 0, len(words) - 2, type=kind)


def fix_head_type(mention: Mention) -> Mention | None:
    """Rule 2: a person span that is really an organisation or a facility."""
    if mention.type != "PERSON":
        return None
    keys = tuple(name_key(mention.name or mention.text).split())
    for head in load_org_heads():
        n = len(head.words)
        if len(keys) > n and head.position == "end" and keys[-n:] == head.words:
            return dataclasses.replace(mention, type=head.type)  # type: ignore[arg-type]
    types = _kb_types(mention.name or mention.text)
    if types and "PERSON" not in types and len(keys) > 1:
        kind = "ORGANIZATION" if "ORGANIZATION" in types else "LOCATION"
        return dataclasses.replace(mention, type=kind)  # type: ignore[arg-type]
    return None


def _leading_org(words: list[tuple[int, int, str]], first: int, last: int) -> int:
    """How many words from `first` name an organisation the knowledge base knows (and no person)."""
    for n in range(min(3, last - first), 0, -1):
        phrase = " ".join(w for _, _, w in words[first : first + n])
        types = _kb_types(phrase)
        if "ORGANIZATION" in types and "PERSON" not in types:
            return n
    return 0


def trim_person(article: Article, mention: Mention) -> tuple[Mention | None, list[Mention]]:
    """Rule 3: cut titles, roles and relations off the start and honorifics, dates and generic nouns
    off the end of a person name; returns the name (None when nothing of a name is left) and any
    organisation mentions split off its start."""
    words = _words(mention)
    edges, titles, common, cut_end = load_edges(), title_keys(), common_words(), end_cut_words()
    first, last = 0, len(words) - 1
    role = mention.role
    extra: list[Mention] = []
    while first < last:
        key = name_key(words[first][2])
        kind = edges.get(key) or titles.get(key)
        if kind in ("role", "relation", "honorific") or (key in common and not is_name_word(words[first][2])):
            if role is None and kind != "honorific":
                role = words[first][2]
            first += 1
            continue
        org = _leading_org(words, first, last)
        if org:
            extra.append(_span(article, mention, first, first + org - 1, type="ORGANIZATION", role=None))
            first += org
            continue
        break
    generic = False  # a generic noun was cut: a lone word left must be a known person to stay
    while last >= first:
        key = name_key(words[last][2])
        kind = edges.get(key)
        if (
            kind in ("honorific", "generic")
            or key in cut_end
            or (key in common and not is_name_word(words[last][2]))
        ):
            generic = generic or kind == "generic" or (kind is None and key not in cut_end)
            last -= 1
            continue
        break
    if last < first or (generic and first == last and "PERSON" not in _kb_types(words[first][2])):
        return None, extra
    if first == 0 and last == len(words) - 1:
        return mention, extra
    return _span(article, mention, first, last, role=role), extra


def trim_end(article: Article, mention: Mention) -> Mention | None:
    """Rule 4: weekdays, months and postpositions off the end of any name; None when nothing is left."""
    words = _words(mention)
    last = len(words) - 1
    while last >= 0 and name_key(words[last][2]) in end_cut_words():
        last -= 1
    if last < 0:
        return None
    return mention if last == len(words) - 1 else _span(article, mention, 0, last)


def fix_acronym_place(mention: Mention) -> Mention | None:
    """Rule 5: a letter-name acronym tagged as a place is a known organisation, or not a place at all.
    Returns the corrected mention, the same one when nothing applies, or None to drop it."""
    text = mention.name or mention.text
    if mention.type != "LOCATION" or " " in text.strip() or not is_acronym(text):
        return mention
    types = {hit.type for hit in lookup(text)}
    if "LOCATION" in types:
        return mention
    if "ORGANIZATION" in types:
        return dataclasses.replace(mention, type="ORGANIZATION")
    return None


def correct_mention(article: Article, mention: Mention) -> list[Mention]:
    """All rules for one mention: the corrected mention (none when it is not an entity mention after
    all) and any organisation split off a person name's start."""
    fixed = fix_government(article, mention)
    if fixed is not None and fixed.type == "ORGANIZATION" and fixed.end == mention.end:
        ended = trim_end(article, fixed)
        return [ended] if ended is not None else []
    mention = fixed or mention
    mention = fix_head_type(mention) or mention
    extra: list[Mention] = []
    if mention.type == "PERSON":
        trimmed, extra = trim_person(article, mention)
        if trimmed is None:
            return extra
        mention = trimmed
    else:
        ended = trim_end(article, mention)
        if ended is None:
            return []
        mention = ended
    place = fix_acronym_place(mention)
    return extra + ([place] if place is not None else [])


# Most words a name is extended by (rule 6).
EXTEND_WORDS = 3
_NEXT_WORDS = re.compile(r"\s+([^\s।॥?!,;:()\"'“”‘’]+)")


def _words_after(text: str, end: int, n: int) -> list[tuple[int, int]]:
    """(start, end) of up to n words right after `end` in the same clause."""
    out: list[tuple[int, int]] = []
    pos = end
    for _ in range(n):
        match = _NEXT_WORDS.match(text, pos)
        if not match:
            break
        out.append(match.span(1))
        pos = match.end(1)
    return out


def _words_before(text: str, start: int, n: int) -> list[tuple[int, int]]:
    """(start, end) of up to n words right before `start` in the same clause, nearest first."""
    out: list[tuple[int, int]] = []
    pos = start
    for _ in range(n):
        match = re.search(r"([^\s।॥?!,;:()\"'“”‘’]+)\s+$", text[max(0, pos - 40) : pos])
        if not match:
            break
        offset = max(0, pos - 40)
        out.append((offset + match.start(1), offset + match.end(1)))
        pos = offset + match.start(1)
    return out


def _organisation_type(phrase: str, head_words: int, side: str) -> EntityType | None:
    """ORGANIZATION or LOCATION when the knowledge base knows the phrase as an organisation, or when its
    `head_words` added words on `side` ("end": words added after the mention, "start": before it) are
    an organisation or facility head written on that side. A head the mention already ends in does
    not make the words before it part of the name (इसके बाद दिल्ली पुलिस is दिल्ली पुलिस)."""
    if "ORGANIZATION" in _kb_types(phrase):
        return "ORGANIZATION"
    keys = tuple(name_key(phrase).split())
    for head in load_org_heads():
        n = len(head.words)
        if n != head_words or len(keys) <= n or head.words == GOVERNMENT or head.position != side:
            continue
        if keys[-n:] == head.words if side == "end" else keys[:n] == head.words:
            return cast(EntityType, head.type)
    return None


def _is_function_word(word: str) -> bool:
    key = name_key(word)
    return key in end_cut_words() or key in _CONJUNCTIONS


def extend_mention(article: Article, mention: Mention, others: SpanIndex[Span] | None = None) -> Mention:
    """Rule 6: a name the tagger cut short of the organisation or facility it belongs to (पटना of पटना
    हाईकोर्ट, सीतापुर of ज़िला अस्पताल सीतापुर, पंजाब of पंजाब नेशनल बैंक) is extended to it; the
    added words are no function words and no other mention's (`others`: the position index of the
    mention spans, the article's by default; spans equal to this mention's are its own)."""
    text = article.text
    index = others if others is not None else span_index([Span(m.start, m.end) for m in article.mentions])
    own = (mention.start, mention.end)

    def clear(start: int, end: int) -> bool:
        words = text[start:end].split()
        return not any(_is_function_word(w) for w in words) and not any(
            (sp.start, sp.end) != own for sp in index.overlapping(start, end)
        )

    after = _words_after(text, mention.end, EXTEND_WORDS)
    for count in range(len(after), 0, -1):
        end = after[count - 1][1]
        if not clear(mention.end, end):
            continue
        words = text[mention.end : end].split()
        head_words = len(words) if count == len(words) else 0
        kind = _organisation_type(text[mention.start : end], head_words, "end")
        if kind is not None and (mention.type != "PERSON" or kind == "LOCATION" or count == head_words):
            return dataclasses.replace(
                mention,
                end=end,
                text=text[mention.start : end],
                type=kind,
                name=None,
            )
    before = _words_before(text, mention.start, EXTEND_WORDS)
    for count in range(len(before), 0, -1):
        start = before[count - 1][0]
        if not clear(start, mention.start):
            continue
        kind = _organisation_type(text[start : mention.end], count, "start")
        if kind is not None:
            return dataclasses.replace(
                mention, start=start, text=text[start : mention.end], type=kind, name=None
            )
    return mention


_CONJUNCTIONS = frozenset(name_key(w) for w in ("और", "व", "एवं", "या", "तथा", "स्थित", "समेत"))


def correct_mentions(article: Article) -> list[Mention]:
    """The article's mentions after `extend_mention` and `correct_mention` (dropped ones and ones an
    extension swallowed left out), in text order."""
    spans = span_index([Span(m.start, m.end) for m in article.mentions])  # one index, not a list per mention
    extended = [extend_mention(article, m, spans) for m in article.mentions]
    kept: list[Mention] = []
    for mention in sorted(extended, key=lambda m: (m.start, -(m.end - m.start))):
        if kept and mention.start < kept[-1].end:
            continue  # inside an extended name
        kept.append(mention)
    out: list[Mention] = []
    for mention in kept:
        out.extend(m for m in correct_mention(article, mention) if m.text.strip())
    return out
