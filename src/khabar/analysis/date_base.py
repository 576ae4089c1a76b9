"""Shared pieces of date reading: the date lexicon, calendar checks, and the tense of a date's clause.

A year-less day or month takes the year nearest publication unless the clause's tense puts it on the
other side (`year_by_tense`); weekdays and कल take past or future by the same clause tense. The tense
words (past auxiliaries, plan nouns, future adjectives) are in `lang/hi/date_words.tsv`.
"""

from __future__ import annotations

import re
from datetime import date
from functools import cache
from typing import Literal

from khabar.analysis._facts import WORD_CHAR, alternation, lexicon

# Years accepted as calendar years (digits outside this range are not read as years).
MIN_YEAR, MAX_YEAR = 1800, 2200
# A year-less date takes the year nearest publication, unless that puts it more than this many days
# on the wrong side for the clause's tense ("मार्च में … सौंपी थी" read in December is last March): news
# reports things a few days late or early in loose tenses, not months.
TENSE_OVERRIDE_DAYS = 31
# A future verb: a vowel sign or vowel (े ो ू ए ओ ऊ), an optional nasal, then -गा/-गी/-गे (होगी,
# करेंगे, जाएगा, रखेंगी); आगे, लगे, मांगे do not match.
FUTURE_WORD = re.compile("(?:[\u0947\u094b\u0942\u090f\u0913\u090a])[\u0902\u0901]?(?:गा|गी|गे|गीं)$")
# "होने वाली बैठक", "आने वाले दिनों": an infinitive + वाला is future.
FUTURE_VALA = re.compile(r"ने$")
# An infinitive (जाना, करनी, होने): before है ("जाना है") or जा रहा ("होने जा रही") it is a future.
INFINITIVE = re.compile(r"(?:ना|नी|ने)$")
COPULAS = frozenset({"है", "हैं", "था", "थी", "थे", "थीं"})
# "पूरा होने की घोषणा की गई थी": a plan told in the pluperfect is over.
PLUPERFECT = frozenset({"था", "थी", "थे", "थीं"})


@cache
def clause_end() -> re.Pattern[str]:
    """Punctuation or a clause-opening word (कि, लेकिन, जो …) that ends the clause of a date word."""
    breaks = alternation(r[0] for r in lexicon("clauses.tsv") if r[1] == "break")
    return re.compile(rf"[,;:!?।.]|\s(?:{breaks})\s")


@cache
def date_words(kind: str) -> dict[str, str]:
    return {row[0]: row[2] for row in lexicon("date_words.tsv") if row[1] == kind}


def past_word(token: str) -> bool:
    """Whether a word is a past auxiliary or participle (था, हुई, गया, किया …)."""
    return token in date_words("past")


def words_tense(tokens: list[str]) -> Literal["future", "past"] | None:
    """The tense of a run of words: the first finite future or past form decides; an infinitive
    with a genitive ("प्रदर्शन करने का ऐलान") or a copula ("जाना है") is future; a future adjective
    (प्रस्तावित, आगामी) decides only when no verb does."""
    adjective = False
    for i, tok in enumerate(tokens):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        if FUTURE_WORD.search(tok):
            return "future"
        if tok in ("वाली", "वाला", "वाले") and i > 0 and FUTURE_VALA.search(tokens[i - 1]):
            if tokens[i - 1] in ("होने", "आने") or nxt in COPULAS:
                return "future"  # "होने वाली बैठक", "आने वाले दिनों", "जाने वाला है"
            continue  # an agent noun: "अपहरण करने वाले बदमाशों", "करीबी माने जाने वाले ठेकेदार"
        if tok in ("सकता", "सकती", "सकते") and nxt in ("है", "हैं"):
            return "future"  # "बैठक कर सकते हैं", "तट से टकरा सकता है": what may happen is ahead
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        if (
            INFINITIVE.search(tok)
            and tok not in date_words("not_infinitive")
            and (
                nxt in ("है", "हैं")
                or (nxt == "जा" and after)
                or (
                    nxt in ("का", "की", "के")
                    and after in date_words("plan")
                    and not PLUPERFECT.intersection(tokens[i + 3 :])
                )
            )
        ):
            return "future"  # "उन्हें कल दिल्ली जाना है", "बैठक होने जा रही है", "प्रदर्शन करने का ऐलान"
        if (tok == "की" and (not nxt or nxt in ("है", "थी", "और", "तथा", "व"))) or (
            tok in ("रहा", "रही", "रहे", "रहीं") and not nxt
        ):
            return "past"  # "रणनीति तय की", "जश्न का माहौल रहा": a perfective at the clause's end
        if tok in date_words("past"):
            if any(FUTURE_WORD.search(t) for t in tokens[i + 1 : i + 3]):
                return "future"  # "पेश किया जाएगा": a passive future
            return "past"
        adjective = adjective or tok in date_words("future")
    return "future" if adjective else None


def ends_present(tokens: list[str]) -> bool:
    """Whether a clause with no past or future form ends in a present copula (बैठक है, सभा बुलाई है)."""
    return bool(tokens) and tokens[-1] in ("है", "हैं")


def clause_words(text: str, pos: int, end: int) -> list[str]:
    """The words from `pos` to the end of its clause."""
    stop = clause_end().search(text, pos, end)
    return re.findall(rf"{WORD_CHAR}+", text[pos : stop.start() if stop else end])


def clause_tense(text: str, pos: int, end: int, start: int | None = None) -> Literal["future", "past"] | None:
    """The tense of the clause around `pos`: the words after it up to the clause end, else (a verb
    before the date, "बैठक होगी सोमवार को") the words before it back to the clause start."""
    stop = clause_end().search(text, pos, end)
    after = words_tense(re.findall(rf"{WORD_CHAR}+", text[pos : stop.start() if stop else end]))
    if after is not None or start is None:
        return after
    begin = start
    for b in clause_end().finditer(text, start, pos):
        begin = b.end()
    return words_tense(re.findall(rf"{WORD_CHAR}+", text[begin:pos]))


def year_by_tense(month: int, day: int, published: date, tense: str | None) -> date | None:
    """The date of day/month in a year chosen by tense: the nearest (`nearest_year`) unless it lies
    more than `TENSE_OVERRIDE_DAYS` on the wrong side of publication for the tense; then, for past,
    the latest on or before publication, for future the first on or after it."""
    near = nearest_year(month, day, published)
    if tense is None or near is None:
        return near
    delta = (near - published).days
    if (tense == "past" and delta <= TENSE_OVERRIDE_DAYS) or (
        tense == "future" and delta >= -TENSE_OVERRIDE_DAYS
    ):
        return near
    for y in (
        (published.year, published.year - 1) if tense == "past" else (published.year, published.year + 1)
    ):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        if (cand <= published) if tense == "past" else (cand >= published):
            return cand
    return nearest_year(month, day, published)


def nearest_year(month: int, day: int, published: date) -> date | None:
    """The date of day/month in the year (publication year -1, 0, +1) closest to publication."""
    best: date | None = None
    for y in (published.year - 1, published.year, published.year + 1):
        try:
            cand = date(y, month, day)
        except ValueError:
            continue
        if best is None or abs((cand - published).days) < abs((best - published).days):
            best = cand
    return best


@cache
def months() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lexicon("months.tsv")}


@cache
def weekdays() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lexicon("weekdays.tsv")}


def valid(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def norm_space(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "")
