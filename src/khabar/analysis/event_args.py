"""The arguments of a trigger's clause, each with the case marker after it.

The arguments of a trigger are the entity mentions of its clause, the generic actors no entity covers
(पुलिस, सेना, प्रदर्शनकारी: `lang/hi/actor_types.tsv`) and a subject pronoun resolved to its person. Each
takes the case marker after it (ने, द्वारा, को, से, पर, के साथ, के खिलाफ, के बीच, a genitive का/की/के, में
or none); coordinated arguments ("X और Y ने") share the marker of the last one.

A place or organisation that only qualifies a titled person ("फ्रांस के राष्ट्रपति मैक्रों") is no
argument; a news agency or the publisher is none unless the story is about it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

from khabar.analysis._facts import (
    END,
    START,
    WORD_CHAR,
    SentenceSubject,
    alternation,
    cached_on,
    entity_of,
    lexicon,
    mentions_between,
    span_index,
)
from khabar.analysis.speakers import name_key_cached
from khabar.article import Actor, Article, Mention

# A place or organisation followed by के/की/का and, within this many characters, a titled person
# ("फ्रांस के राष्ट्रपति इमेनुएल मैक्रों") only says whose title it is. Set from Hindi news titles: "X के
# विशेष दूत/विदेश मंत्री/प्रधानमंत्री" run 12-30 characters.
QUALIFIER_MAX_GAP = 40
# A news agency is an actor only when the story mentions it at least this often (it is about it).
AGENCY_ABOUT_MIN = 3


_MARKERS: tuple[tuple[str, str], ...] = (
    ("के साथ", "साथ"),
    ("के खिलाफ", "खिलाफ"),
    ("के ख़िलाफ़", "खिलाफ"),
    ("के विरुद्ध", "खिलाफ"),
    ("के बीच", "बीच"),
    ("की ओर से", "द्वारा"),
    ("के लिए", "लिए"),
    ("ने", "ने"),
    ("द्वारा", "द्वारा"),
    ("को", "को"),
    ("से", "से"),
    ("पर", "पर"),
    ("में", "में"),
    ("का", "gen"),
    ("की", "gen"),
    ("के", "gen"),
)
_JOINERS = ("और", "व", "एवं", ",")


@dataclass(frozen=True, slots=True)
class Arg:
    """One argument of a trigger's clause with the case marker after it."""

    start: int
    end: int
    entity: str | None
    etype: str | None
    text: str
    name_en: str
    code: str | None
    marker: str
    joined: bool = False

    def actor(self) -> Actor:
        return Actor(self.entity, self.text, self.name_en, self.code)

    @property
    def key(self) -> str:
        """What identifies the actor across mentions: its entity, CAMEO type, or its head noun's base
        form (अभ्यर्थियों = अभ्यर्थी)."""
        if self.entity:
            return self.entity
        from khabar.analysis.numbers import base_form

        return f"~{self.code}" if self.code else f"~{base_form(group_form(self.text.split()[-1]))}"


@cache
def _generic() -> dict[str, tuple[str, str]]:
    return {row[0]: (row[1], row[2]) for row in lexicon("actor_types.tsv") if row[1] != "MEMBER"}


@cache
def _generic_pattern() -> re.Pattern[str]:
    return re.compile(rf"{START}(?:{alternation(_generic())}){END}")


@cache
def _agency_keys() -> frozenset[str]:
    return frozenset(name_key_cached(row[0]) for row in lexicon("news_agencies.tsv")) | frozenset(
        name_key_cached(row[1]) for row in lexicon("news_agencies.tsv") if len(row) > 1
    )


def is_agency(article: Article, entity_id: str | None) -> bool:
    """Whether an entity is a news agency, a broadcaster or the article's publisher (its English name
    in the URL's host: "Dainik Bhaskar" for bhaskar.com) that the story is not about."""
    ent = article.entity(entity_id) if entity_id else None
    if ent is None or len(ent.mentions) >= AGENCY_ABOUT_MIN:
        return False
    names = {name_key_cached(n) for n in (ent.name, ent.name_en, *ent.aliases)}
    if names & _agency_keys():
        return True
    host = re.sub(r"^[a-z]+://", "", (article.url or "").lower()).split("/")[0]
    words = [w for w in re.findall(r"[a-z]+", ent.name_en.lower()) if len(w) > 3]
    return bool(host and words and any(w in host for w in words))


def _marker(text: str, pos: int, end: int) -> tuple[str, bool]:
    """The case marker after an argument ending at `pos`, and whether a conjunction follows. A body
    followed by its members takes their marker ("कांग्रेस के सांसदों ने" → ने)."""
    paren = re.match(r"\s*\([^()]{1,40}\)", text[pos:end])
    if paren:
        pos += paren.end()  # "संयुक्त संसदीय समिति (जेपीसी) के पास": the acronym in brackets
    rest = text[pos:end]
    member = _member_after(rest)
    if member:
        following, _ = _marker(text, pos + member.end(), end)
        if following:
            return following, False
    stripped = rest.lstrip()
    for joiner in _JOINERS:
        if stripped.startswith(joiner) and (
            joiner == "," or re.match(rf"{re.escape(joiner)}{END}", stripped)
        ):
            return "", True
    for pattern, marker in _marker_patterns():
        if pattern.match(rest):
            return marker, False
    return "", False


# Members of a body named right after it: "कांग्रेस के सांसदों ने", with no genitive ("झामुमो
# कार्यकर्ताओं ने", a compound) or with a count ("कई संगठनों के सैकड़ों कार्यकर्ताओं ने") (round 6).
BARE_MEMBERS = True


def _member_after(rest: str) -> re.Match[str] | None:
    """The member noun (with what comes before it) at the start of `rest`, after an argument."""
    if BARE_MEMBERS:
        counts = alternation(sorted(_QUANTITY_WORDS))
        pattern = rf"\s*(?:(?:के|की)\s+)?(?:(?:{counts}|[0-9०-९,]+)\s+)?({WORD_CHAR}+)"
    else:
        pattern = rf"\s*(?:के|की)\s+({WORD_CHAR}+)"
    member = re.match(pattern, rest)
    return member if member and member.group(1) in _members() else None


@cache
def _marker_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(rf"\s*(?:{alternation([form])}){END}"), marker) for form, marker in _MARKERS)


def qualifies_person(article: Article, mention: Mention, following: list[Mention]) -> bool:
    """Whether a non-person mention only qualifies the next person's title: "X के <title> Person" or
    "X <title> Person" (व्हाइट हाउस सलाहकार जोश ग्रुएनबाम)."""
    nxt = following[0] if following else None
    if mention.type == "PERSON" or nxt is None or nxt.type != "PERSON" or nxt.role is None:
        return False
    if nxt.start - mention.end > QUALIFIER_MAX_GAP:
        return False
    gap = article.text[mention.end : nxt.start].split()
    return gap == nxt.role.split() or (bool(gap) and gap[0] in ("के", "की", "का"))


def _base_text(phrase: str) -> str:
    """A generic actor named in its direct form (पुलिसकर्मियों → पुलिसकर्मी, किसानों → किसान)."""
    words = phrase.split()
    return " ".join([*words[:-1], group_form(words[-1])]) if words else phrase


# Group heads in -ों named by their attested direct plural (chosen by cross-validation, docs/facts.md,
# round 6).
GROUP_FORMS = True


def group_form(word: str) -> str:
    """A group's head noun in its direct form: `numbers.base_form` (किसानों → किसान, यात्रियों →
    यात्री), except that an oblique plural in -ों whose bare stem is a rarer word than the stem with
    -े is a masculine noun in -आ, named by its direct plural (मछुआरों → मछुआरे, not मछुआर; वालों → वाले;
    ठिकानों → ठिकाने), by the wordfreq Zipf frequencies the NER ships (`ner_wordfreq_gen.tsv`)."""
    from khabar.analysis.ner_features import fold_cached, load_zipf
    from khabar.analysis.numbers import base_form

    base = base_form(word)
    if not GROUP_FORMS or base != word[:-2] or not word.endswith("ों"):
        return base
    zipf = load_zipf()
    bare, plural = zipf.get(fold_cached(base), 0.0), zipf.get(fold_cached(base + "े"), 0.0)
    return base + "े" if plural > bare else base


def clause_args(article: Article, cs: int, ce: int, subject: SentenceSubject) -> list[Arg]:
    """The arguments of the clause `[cs, ce)`, in text order, with their markers."""
    text = article.text
    raw: list[tuple[int, int, str | None, str | None, str, str, str | None]] = []
    mentions = mentions_between(article, cs, ce)
    for k, m in enumerate(mentions):
        ent = entity_of(article, m)
        if ent is None or qualifies_person(article, m, mentions[k + 1 :]) or is_agency(article, ent):
            continue
        entity = article.entity(ent)
        raw.append((m.start, m.end, ent, m.type, m.text, entity.name_en if entity else m.text, None))
    for g in _generic_pattern().finditer(text, cs, ce):
        if any(s < g.end() and g.start() < e for s, e, *_ in raw):
            continue
        code, english = _generic()[re.sub(r"\s+", " ", g.group(0))]
        raw.append((g.start(), g.end(), None, None, _base_text(g.group(0)), english, code))
    if subject.pronoun is not None and subject.entity and cs <= subject.pronoun[0] < ce:
        ps, pe = subject.pronoun
        if not any(s < pe and ps < e for s, e, *_ in raw):
            entity = article.entity(subject.entity)
            raw.append(
                (
                    ps,
                    pe,
                    subject.entity,
                    entity.type if entity else None,
                    entity.name if entity else text[ps:pe],
                    entity.name_en if entity else "",
                    None,
                )
            )
    raw.extend(_phrase_args(article, cs, ce, [(s, e) for s, e, *_ in raw]))
    raw.extend(_title_args(article, cs, ce, [(s, e) for s, e, *_ in raw]))
    raw.sort()
    args: list[Arg] = []
    for a_start, a_end, a_ent, a_type, a_text, a_en, a_code in raw:
        marker, joined = _marker(text, a_end, ce)
        if text[a_start:a_end] in ("उन्होंने", "उसने", "इन्होंने", "इसने"):
            marker = "ने"
        args.append(Arg(a_start, a_end, a_ent, a_type, a_text, a_en, a_code, marker, joined))
    # an unmarked generic actor right before another argument qualifies it ("आरोपी पुलिसकर्मियों को")
    merged: list[Arg] = []
    for a in args:
        prev = merged[-1] if merged else None
        if (
            prev is not None
            and prev.entity is None
            and a.entity is None
            and not prev.marker
            and not prev.joined
            and not text[prev.end : a.start].strip()
        ):
            merged[-1] = replace(a, start=prev.start, text=f"{prev.text} {a.text}")
            continue
        merged.append(a)
    args = merged
    # coordinated arguments take the marker of the last conjunct ("भारत और जापान के बीच"); a joiner
    # joins only when the next argument follows it directly ("उधर, बिहार के … नीतीश" joins nothing)
    for i in range(len(args) - 2, -1, -1):
        gap = re.sub(r"^\s*(?:और|व|एवं|,)\s*", "", text[args[i].end : args[i + 1].start])
        if args[i].joined and gap.strip():
            args[i] = replace(args[i], joined=False)
        if args[i].joined and not args[i].marker:
            args[i] = replace(args[i], marker=args[i + 1].marker)
    return args


# Words back from a case marker read as an argument phrase no entity covers ("हजारों अभ्यर्थियों पर").
PHRASE_WORDS = 3
# A plural oblique noun (अभ्यर्थियों, छात्रों, बैंकों): a group of people or bodies, the usual unnamed actor.
GROUP_ENDING = re.compile("(?:ों|यों)$")
_PHRASE_MARKER = re.compile(rf"\s+(?:ने|को|पर|से|द्वारा|के साथ|के खिलाफ|के ख़िलाफ़){END}")


@cache
def function_words() -> frozenset[str]:
    from khabar.clean.normalize import normalize_text
    from khabar.lang.hi import read_list

    return (
        frozenset(normalize_text(w) for w in read_list("ner_function_words.txt"))
        | frozenset(row[0] for row in lexicon("pronouns.tsv"))
        | {"उन्हें", "उन्होंने", "इन्हें", "उसे", "इसे", "जिन्हें", "सभी", "लोग"}
    )


_QUANTITY_WORDS = frozenset({"हजारों", "सैकड़ों", "लाखों", "दर्जनों", "कई", "सभी", "दोनों", "तमाम"})


def _phrase_args(
    article: Article, cs: int, ce: int, taken: list[tuple[int, int]]
) -> list[tuple[int, int, str | None, str | None, str, str, str | None]]:
    """Arguments no entity or generic actor covers: the noun phrase before a case marker, when it is an
    agent (ने; a bare title is the entity with that role: "मुख्यमंत्री ने") or a group (a plural
    oblique head, named by its base form: "हजारों अभ्यर्थियों पर" → अभ्यर्थी, "बैंकों से" → बैंक)."""
    from khabar.analysis.event_triggers import triggers
    from khabar.analysis.romanize import romanize
    from khabar.analysis.speakers import entity_by_name_part, entity_by_role

    text = article.text
    dates = span_index(article.dates).starting_in_list_order(cs, ce)
    taken = taken + [(d.start, d.end) for d in dates]  # "सोमवार को" is a date
    out: list[tuple[int, int, str | None, str | None, str, str, str | None]] = []
    for mk in _PHRASE_MARKER.finditer(text, cs, ce):
        end = mk.start()
        if any(s < end + 1 and end <= e for s, e in taken):
            continue
        words = list(re.finditer(rf"{WORD_CHAR}+", text[cs:end]))
        picked: list[re.Match[str]] = []
        for w in reversed(words):
            word = w.group(0)
            if word in function_words() or word in _verb_forms() or len(picked) == PHRASE_WORDS:
                break
            if picked and text[cs + w.end() : cs + picked[0].start()].strip():
                break  # punctuation between words ends the phrase
            if any(s < cs + w.end() and cs + w.start() < e for s, e in taken):
                break
            picked.insert(0, w)
        while picked and (picked[0].group(0) in _QUANTITY_WORDS or picked[0].group(0)[0].isdigit()):
            picked.pop(0)
        if not picked:
            continue
        head = picked[-1].group(0)
        if head in triggers():
            continue  # "प्रतिबंधों पर प्रतिक्रिया": an event, not an actor
        marker = mk.group(0).strip()
        agent = marker in ("ने", "द्वारा")
        start, stop = cs + picked[0].start(), cs + picked[-1].end()
        if head in _members():
            counts = rf"(?:{alternation(sorted(_QUANTITY_WORDS))}|[0-9०-९,]+)"
            if BARE_MEMBERS and any(
                e <= start and re.fullmatch(rf"\s*(?:{counts}\s+)?", text[e:start]) for s, e in taken
            ):
                continue  # "झामुमो कार्यकर्ताओं ने": the body right before (an argument) takes the marker
            count = rf"(?:\s+{counts})?" if BARE_MEMBERS else ""
            owner = re.search(
                rf"((?:{WORD_CHAR}+\s+){{0,2}}{WORD_CHAR}+)\s+(?:के|की){count}\s*$", text[cs:start]
            )
            if owner is not None:
                if any(s < cs + owner.end(1) and cs + owner.start(1) < e for s, e in taken):
                    continue  # "कांग्रेस के सांसदों ने": the body (an entity) takes the marker
                ow: list[str] = []
                for part in reversed(owner.group(1).split()):
                    if part in function_words() or part in _verb_forms() or part in _QUANTITY_WORDS:
                        break  # "आरोप लगाया कि नौसेना के जवानों ने": the body is नौसेना, not "लगाया नौसेना"
                    ow.insert(0, part)
                if ow and BARE_MEMBERS:
                    ow[-1] = group_form(ow[-1])  # "कई छात्र संगठनों के सैकड़ों कार्यकर्ताओं ने": छात्र संगठन
                if ow:
                    # "एनएसयूआई के कार्यकर्ताओं ने": the body, named by the words before के
                    o_start = cs + owner.start(1) + owner.group(1).index(ow[0])
                    out.append(
                        (o_start, cs + owner.end(1), None, None, " ".join(ow), romanize(" ".join(ow)), None)
                    )
                    continue
        if len(picked) == 1 and (
            ent := entity_by_role(article, stop + 1) or entity_by_name_part(article, head)
        ):
            entity = article.entity(ent)
            if entity is not None:
                # "मुख्यमंत्री ने", "तेजस्वी ने": the entity with that role or that first name
                out.append((start, stop, ent, entity.type, entity.name, entity.name_en, None))
                continue
        group = GROUP_ENDING.search(head) is not None
        if not (agent or group or marker == "को"):
            continue
        phrase = group_form(head) if group else text[start:stop]
        out.append((start, stop, None, None, phrase, romanize(phrase), None))
    return out


def _title_args(
    article: Article, cs: int, ce: int, taken: list[tuple[int, int]]
) -> list[tuple[int, int, str | None, str | None, str, str, str | None]]:
    """A bare title standing for a person told of before ("मुख्यमंत्री अगले महीने जापान का दौरा कर
    सकते हैं"): the entity with that role mentioned last."""
    from khabar.analysis.speakers import entity_by_role

    roles = cached_on(
        article.entities,
        "entity_roles",
        lambda: {role for ent in article.entities for role in ent.roles if role},
    )
    if not roles:
        return []
    out: list[tuple[int, int, str | None, str | None, str, str, str | None]] = []
    for m in re.compile(rf"{START}(?:{alternation(roles)}){END}").finditer(article.text, cs, ce):
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        ent = entity_by_role(article, m.end())
        entity = article.entity(ent) if ent else None
        if entity is not None:
            out.append((m.start(), m.end(), entity.id, entity.type, entity.name, entity.name_en, None))
    return out


@cache
def _verb_forms() -> frozenset[str]:
    from khabar.lang.hi import read_list

    return read_list("verb_forms_gen.txt")


@cache
def _members() -> frozenset[str]:
    """Nouns for members of a body ("कांग्रेस के सांसदों ने"): the body is the actor."""
    return frozenset(row[0] for row in lexicon("actor_types.tsv") if row[1] == "MEMBER")
