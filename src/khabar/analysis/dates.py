"""Date expressions resolved against the day of publication.

Rules, in the order they claim text (an earlier rule's span cannot be reused by a later one):

- `iso` 2026-01-07; `numeric-dmy` 7/1/2026, 7.1.26, 07-01-2026 (Indian day/month/year);
- `day-month-year` 15 मई 2020; `day-month` 7 जनवरी, सात जनवरी, ७ जनवरी, 7-8 जनवरी (the first day):
  a year-less day takes the year (publication year -1, 0 or +1) that puts it closest to publication,
  the earlier one on a tie (`day-month-nearest-year`);
- `month-year` जनवरी 2026;
- weekdays: `weekday-past` (मंगलवार को हुई: the most recent such day on or before publication),
  `weekday-future` (the clause verb is future, e.g. होगी/करेंगे/जाएगा, or a होने वाली form: the first
  such day on or after publication), `weekday-last`/`weekday-next` with पिछले/बीते/अगले (strictly
  before/after publication), `weekday-of-date` when written beside an explicit date of that weekday
  ("शनिवार, 10 जून");
- `relative-period`: पिछले/बीते/इस/अगले हफ्ते|महीने|साल (week grain starts on Monday);
- `offset`: N दिन/हफ्ते/महीने/साल पहले|बाद (N in digits or words);
- `relative-day`: आज; `tensed-day`: कल and परसों, in the past unless the clause verb is future;
- `month` alone (जनवरी में, पिछले मार्च): nearest year as above, or by the direction word, or the
  year of a year expression just before it (`month-of-year`: पिछले साल जुलाई में);
- `year` alone: 2026 में, साल 2020, सन 1947.

Without a publication date every expression that needs it keeps `value` None and its rule ends in
`-unresolved`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta
from functools import cache
from typing import Literal

from khabar.analysis._facts import DIGIT, END, START, WORD_CHAR, alternation, ascii_digits, lexicon
from khabar.article import Article, DateExpr

Grain = Literal["day", "week", "month", "year"]

# Words between two dates that make them one range (a list "10 और 11 अप्रैल" is two dates).
RANGE_SEPARATORS = frozenset({"से", "-", "–", "से लेकर"})
# A year-less date takes the year nearest publication, unless that puts it more than this many days
# on the wrong side for the clause's tense ("मार्च में … सौंपी थी" read in December is last March): news
# reports things a few days late or early in loose tenses, not months.
TENSE_OVERRIDE_DAYS = 31
# Years accepted as calendar years (digits outside this range are not read as years).
MIN_YEAR, MAX_YEAR = 1800, 2200
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
def _clause_end() -> re.Pattern[str]:
    """Punctuation or a clause-opening word (कि, लेकिन, जो …) that ends the clause of a date word."""
    breaks = alternation(r[0] for r in lexicon("clauses.tsv") if r[1] == "break")
    return re.compile(rf"[,;:!?।.]|\s(?:{breaks})\s")


@cache
def _months() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lexicon("months.tsv")}


@cache
def _weekdays() -> dict[str, int]:
    return {row[0]: int(row[1]) for row in lexicon("weekdays.tsv")}


@cache
def _date_words(kind: str) -> dict[str, str]:
    return {row[0]: row[2] for row in lexicon("date_words.tsv") if row[1] == kind}


@cache
def _day_words() -> dict[str, int]:
    """Number words usable as a day of the month (1-31)."""
    out: dict[str, int] = {}
    for row in lexicon("number_words.tsv"):
        if row[2] == "unit" and float(row[1]).is_integer() and 1 <= float(row[1]) <= 31:
            out[row[0]] = int(float(row[1]))
    return out


@cache
def _count_words() -> dict[str, float]:
    """Number words usable as a count before a period word (दो दिन पहले, डेढ़ साल पहले)."""
    return {row[0]: float(row[1]) for row in lexicon("number_words.tsv") if row[2] in ("unit", "fraction")}


@cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    months = alternation(_months())
    weekdays = alternation(_weekdays())
    directions = alternation(_date_words("direction"))
    periods = alternation(_date_words("period"))
    offset_dirs = alternation(_date_words("offset_dir"))
    day_word = alternation(_day_words())
    count_word = alternation(_count_words())
    dayn = rf"(?:\d{{1,2}}|{day_word})"
    year = r"\d{4}"
    sep = r"\s*(?:और|व|से|,|-|–)\s*"
    # a range "10 से 13 अप्रैल", "7-8 जनवरी" (a list "10 और 11 अप्रैल" is two dates)
    followers = alternation(_date_words("year_after"))
    leaders = alternation(_date_words("year_before"))
    not_before = alternation(_date_words("year_not_before"))
    days = alternation([*_date_words("day"), *_date_words("tensed")])
    return (
        ("iso", re.compile(rf"{START}(?P<y>\d{{4}})-(?P<m>\d{{1,2}})-(?P<d>\d{{1,2}})(?!\d)")),
        (
            "numeric-dmy",
            re.compile(
                rf"{START}(?P<d>\d{{1,2}})(?P<s>[/.-])(?P<m>\d{{1,2}})(?P=s)(?P<y>\d{{4}}|\d{{2}})(?!\d)"
            ),
        ),
        (
            "day-month",
            re.compile(
                rf"{START}(?P<d>{dayn})(?:(?P<sep>{sep})(?P<d2>{dayn}))?\s*(?:वीं|वां|तारीख़?\s+)?\s*"
                rf"(?P<mon>{months}){END}(?:,?\s*(?P<y>{year})(?!\d))?"
            ),
        ),
        ("month-year", re.compile(rf"{START}(?P<mon>{months}),?\s+(?P<y>{year})(?!\d)")),
        ("weekday", re.compile(rf"{START}(?:(?P<dir>{directions})\s+)?(?P<wd>{weekdays}){END}")),
        ("relative-period", re.compile(rf"{START}(?P<dir>{directions})\s+(?P<per>{periods}){END}")),
        (
            "offset",
            re.compile(
                rf"{START}(?P<n>\d+(?:\.\d+)?|{count_word})\s+(?P<per>{periods})\s+(?P<od>{offset_dirs}){END}"
            ),
        ),
        ("relative-day", re.compile(rf"(?<!-){START}(?P<day>{days}){END}(?!-{WORD_CHAR})")),
        (
            "month",
            re.compile(
                rf"{START}(?:(?P<dir>{directions})\s+)?(?P<mon>{months}){END}"
                rf"(?P<post>\s*(?:(?:में|से|तक|के|की|का|माह|महीने){END}|,|(?:और|व|-)\s*(?={months}{END})))?"
            ),
        ),
        (
            "year",
            re.compile(
                rf"{START}(?:(?P<lead>{leaders})\s+)?(?P<y>{DIGIT}{{4}})(?!\d)"
                rf"(?P<follow>\s+(?:{followers}){END}(?!\s+(?:{not_before}){END}))?"
            ),
        ),
    )


def past_word(token: str) -> bool:
    """Whether a word is a past auxiliary or participle (था, हुई, गया, किया …)."""
    return token in _date_words("past")


def _words_tense(tokens: list[str]) -> Literal["future", "past"] | None:
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
            and tok not in _date_words("not_infinitive")
            and (
                nxt in ("है", "हैं")
                or (nxt == "जा" and after)
                or (
                    nxt in ("का", "की", "के")
                    and after in _date_words("plan")
                    and not PLUPERFECT.intersection(tokens[i + 3 :])
                )
            )
        ):
            return "future"  # "उन्हें कल दिल्ली जाना है", "बैठक होने जा रही है", "प्रदर्शन करने का ऐलान"
        if (tok == "की" and (not nxt or nxt in ("है", "थी", "और", "तथा", "व"))) or (
            tok in ("रहा", "रही", "रहे", "रहीं") and not nxt
        ):
            return "past"  # "रणनीति तय की", "जश्न का माहौल रहा": a perfective at the clause's end
        if tok in _date_words("past"):
            if any(FUTURE_WORD.search(t) for t in tokens[i + 1 : i + 3]):
                return "future"  # "पेश किया जाएगा": a passive future
            return "past"
        adjective = adjective or tok in _date_words("future")
    return "future" if adjective else None


def _present(tokens: list[str]) -> bool:
    """Whether a clause with no past or future form ends in a present copula (बैठक है, सभा बुलाई है)."""
    return bool(tokens) and tokens[-1] in ("है", "हैं")


def _clause_words(text: str, pos: int, end: int) -> list[str]:
    """The words from `pos` to the end of its clause."""
    stop = _clause_end().search(text, pos, end)
    return re.findall(rf"{WORD_CHAR}+", text[pos : stop.start() if stop else end])


def _clause_tense(
    text: str, pos: int, end: int, start: int | None = None
) -> Literal["future", "past"] | None:
    """The tense of the clause around `pos`: the words after it up to the clause end, else (a verb
    before the date, "बैठक होगी सोमवार को") the words before it back to the clause start."""
    stop = _clause_end().search(text, pos, end)
    after = _words_tense(re.findall(rf"{WORD_CHAR}+", text[pos : stop.start() if stop else end]))
    if after is not None or start is None:
        return after
    begin = start
    for b in _clause_end().finditer(text, start, pos):
        begin = b.end()
    return _words_tense(re.findall(rf"{WORD_CHAR}+", text[begin:pos]))


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


def _shift_months(d: date, months: int) -> date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def _period_start(d: date, grain: Grain) -> date:
    if grain == "week":
        return d - timedelta(days=d.weekday())
    if grain == "month":
        return d.replace(day=1)
    if grain == "year":
        return d.replace(month=1, day=1)
    return d


def _shift(d: date, grain: Grain, n: float) -> date:
    if grain == "day":
        return d + timedelta(days=round(n))
    if grain == "week":
        return d + timedelta(days=round(7 * n))
    if grain == "month":
        return _shift_months(d, round(n))
    return _shift_months(d, round(12 * n))


def _number(token: str) -> float:
    if token in _count_words():
        return _count_words()[token]
    return float(ascii_digits(token))


Resolved = tuple[str | None, Grain, str] | None


def _valid(y: int, m: int, d: int) -> date | None:
    if not MIN_YEAR <= y <= MAX_YEAR:
        return None
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _resolve(
    kind: str, m: re.Match[str], text: str, sent_end: int, published: date | None, sent_start: int = 0
) -> Resolved:
    """(value, grain, rule) for a match, or None when the match is no date."""
    g = m.groupdict()
    if kind in ("iso", "numeric-dmy"):
        y = int(g["y"])
        if len(g["y"]) == 2:
            y += 2000 if y <= 50 else 1900
        d = _valid(y, int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day", kind) if d else None
    if kind == "day-month":
        day = int(g["d"]) if g["d"].isdigit() else _day_words()[g["d"]]
        month = _months()[_norm_space(g["mon"])]
        rule = "day-month-range" if g.get("d2") else "day-month"
        if g.get("y"):
            d = _valid(int(g["y"]), month, day)
            return (d.isoformat(), "day", rule + "-year") if d else None
        if not 1 <= day <= 31:
            return None
        if published is None:
            return (None, "day", rule + "-unresolved")
        d = year_by_tense(month, day, published, _clause_tense(text, m.end(), sent_end, sent_start))
        return (d.isoformat(), "day", rule + "-nearest-year") if d else None
    if kind == "month-year":
        y = int(g["y"])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return (date(y, _months()[_norm_space(g["mon"])], 1).isoformat(), "month", kind)
    if kind == "weekday":
        return _resolve_weekday(g, m, text, (sent_start, sent_end), published)
    if kind == "relative-period":
        direction = int(_date_words("direction")[_norm_space(g["dir"])])
        grain = _grain(g["per"])
        if grain == "day":
            # "उसी दिन" / "अगले दिन" are relative to the story's last date (`anchor_story_days`)
            return (None, "day", f"story-day{direction:+d}")
        if published is None:
            return (None, grain, kind + "-unresolved")
        return (_period_start(_shift(published, grain, direction), grain).isoformat(), grain, kind)
    if kind == "offset":
        n = _number(g["n"])
        grain = _grain(g["per"])
        sign = int(_date_words("offset_dir")[g["od"]])
        if grain == "week":
            grain = "day"  # "दो हफ्ते बाद" names a day, 14 days on
            n *= 7
        if re.search(r"(?<!\S)से\s+$", text[max(0, m.start() - 6) : m.start()]) and grain == "day":
            # "परीक्षा से एक दिन पहले": counted from a date of the story, not from publication
            return (None, "day", f"story-day{round(sign * n):+d}")
        if published is None:
            return (None, grain, kind + "-unresolved")
        return (_period_start(_shift(published, grain, sign * n), grain).isoformat(), grain, kind)
    if kind == "relative-day":
        word = g["day"]
        if word in _date_words("day"):
            if published is None:
                return (None, "day", kind + "-unresolved")
            offset = int(_date_words("day")[word])
            return ((published + timedelta(days=offset)).isoformat(), "day", kind)
        tense = _clause_tense(text, m.end(), sent_end, sent_start)
        sign = 1 if tense == "future" else -1
        rule = "tensed-day-future" if sign > 0 else "tensed-day-past"
        if published is None:
            return (None, "day", rule + "-unresolved")
        offset = int(_date_words("tensed")[word])
        return ((published + timedelta(days=sign * offset)).isoformat(), "day", rule)
    if kind == "month":
        month = _months()[_norm_space(g["mon"])]
        if not (g.get("dir") or g.get("post")):
            return None  # a month name alone with no postposition is too often something else
        if published is None:
            return (None, "month", kind + "-unresolved")
        if g.get("dir"):
            direction = int(_date_words("direction")[_norm_space(g["dir"])])
            y = published.year
            if direction < 0 and month >= published.month:
                y -= 1
            elif direction > 0 and month <= published.month:
                y += 1
            return (date(y, month, 1).isoformat(), "month", kind + "-direction")
        d = year_by_tense(month, 15, published, _clause_tense(text, m.end(), sent_end, sent_start))
        return (d.replace(day=1).isoformat() if d else None, "month", kind + "-nearest-year")
    if kind == "year":
        y = int(ascii_digits(g["y"]))
        era = "ईस्वी" in (g.get("lead") or "") + (g.get("follow") or "") or (g.get("lead") or "").startswith(
            "सन"
        )
        if not (g.get("lead") or g.get("follow")) or not (1 if era else MIN_YEAR) <= y <= MAX_YEAR:
            return None
        return (date(y, 1, 1).isoformat(), "year", kind)
    return None


def _resolve_weekday(
    g: dict[str, str | None], m: re.Match[str], text: str, sent: tuple[int, int], published: date | None
) -> Resolved:
    wd = _weekdays()[g["wd"] or ""]
    direction = int(_date_words("direction")[_norm_space(g["dir"])]) if g.get("dir") else None
    if direction is not None and direction != 0:
        rule = "weekday-last" if direction < 0 else "weekday-next"
    else:
        tense = _clause_tense(text, m.end(), sent[1], sent[0])
        if (
            tense is None
            and re.match(r"\s*को", text[m.end() :])
            and _present(_clause_words(text, m.end(), sent[1]))
        ):
            tense = "future"  # "रविवार को सभा बुलाई है": the coming Sunday
        rule = "weekday-future" if tense == "future" else "weekday-past"
    if published is None:
        return (None, "day", rule + "-unresolved")
    back = (published.weekday() - wd) % 7
    ahead = (wd - published.weekday()) % 7
    if rule == "weekday-last":
        d = published - timedelta(days=back or 7)
    elif rule == "weekday-next":
        d = published + timedelta(days=ahead or 7)
    elif rule == "weekday-future":
        d = published + timedelta(days=ahead)
    else:
        d = published - timedelta(days=back)
    return (d.isoformat(), "day", rule)


def _grain(word: str | None) -> Grain:
    value = _date_words("period")[_norm_space(word or "")]
    if value == "week":
        return "week"
    if value == "month":
        return "month"
    if value == "year":
        return "year"
    return "day"


def _norm_space(s: str | None) -> str:
    return re.sub(r"\s+", " ", s or "")


def find_dates(
    text: str, published: date | None, start: int = 0, end: int | None = None, scan: str | None = None
) -> list[DateExpr]:
    """Date expressions in `text[start:end]` (offsets into `text`), resolved against `published`.

    `scan` is `ascii_digits(text)` when the caller already has it (one translation per article)."""
    stop = len(text) if end is None else end
    scan = ascii_digits(text) if scan is None else scan
    claimed: list[tuple[int, int]] = []
    found: list[DateExpr] = []
    for kind, pattern in _patterns():
        for m in pattern.finditer(scan, start, stop):
            s, e = m.span()
            if any(s < ce and cs < e for cs, ce in claimed):
                continue
            try:
                resolved = _resolve(kind, m, scan, stop, published, start)
            except (ValueError, OverflowError):
                # "5000 साल पहले": a date expression with no calendar value in range
                resolved = (None, "year", kind + "-out-of-range")
            if resolved is None:
                continue
            if kind == "year":
                e = m.end("y")
            elif kind == "month":
                e = m.end("mon")
            value, grain, rule = resolved
            claimed.append((s, e))
            if kind == "day-month" and m.group("d2"):
                found.extend(_day_pair(text, m, value, rule))
                continue
            found.append(DateExpr(start=s, end=e, text=text[s:e], value=value, grain=grain, rule=rule))
    found = _weekdays_of_dates(text, sorted(found, key=lambda d: d.start))
    found = _join_ranges(text, _months_of_years(text, found))
    # "आज से तीन दिन पहले": an anchor in the same passage (a later pass looks further back)
    return anchor_story_days(found, [0] * len(found), final=False)


def _day_pair(text: str, m: re.Match[str], value: str | None, rule: str) -> list[DateExpr]:
    """A day-month match with two days: a range ("10 से 13 अप्रैल", "7-8 जनवरी", "24 और 25 मार्च": one
    expression with its last day) or a list ("5 और 12 मई": two expressions)."""
    s, e = m.span()
    d2 = int(m.group("d2")) if m.group("d2").isdigit() else _day_words().get(m.group("d2"), 0)
    first = date.fromisoformat(value) if value else None
    try:
        second = first.replace(day=d2) if first else None
    except ValueError:
        second = None
    consecutive = first is not None and second is not None and (second - first).days == 1
    if m.group("sep").strip() in RANGE_SEPARATORS or consecutive:
        # "10 से 13 अप्रैल", "7-8 जनवरी", and two consecutive days "24 और 25 मार्च" are one range
        last = second.isoformat() if second and first and second > first else None
        return [DateExpr(s, e, text[s:e], value, "day", rule, last)]
    rule = rule.replace("-range", "")
    return [
        DateExpr(s, m.end("d"), text[s : m.end("d")], value, "day", rule),
        DateExpr(
            m.start("d2"), e, text[m.start("d2") : e], second.isoformat() if second else None, "day", rule
        ),
    ]


def _join_ranges(text: str, found: list[DateExpr]) -> list[DateExpr]:
    """Two dates of one grain joined by से/-/– (optionally closed by तक) are one range: "10 अप्रैल से
    13 अप्रैल तक", "जनवरी से मार्च तक"."""
    out: list[DateExpr] = []
    for cur in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and prev.last is None
            and prev.value
            and cur.value
            and prev.grain == cur.grain
            and text[prev.end : cur.start].strip() in RANGE_SEPARATORS
        ):
            prev, cur = _range_years(prev, cur)
        if (
            prev is not None
            and prev.last is None
            and prev.value
            and cur.value
            and prev.grain == cur.grain
            and text[prev.end : cur.start].strip() in RANGE_SEPARATORS
            and cur.value > prev.value
        ):
            last = cur.last or cur.value
            out[-1] = DateExpr(
                prev.start,
                cur.end,
                text[prev.start : cur.end],
                prev.value,
                prev.grain,
                prev.rule + "+range",
                last,
            )
            continue
        out.append(cur)
    return out


def _yearless(d: DateExpr) -> bool:
    return d.rule.endswith("nearest-year")


def _with_year(d: DateExpr, year: int) -> DateExpr | None:
    value = date.fromisoformat(d.value or "")
    moved = _valid(year, value.month, value.day)
    return DateExpr(d.start, d.end, d.text, moved.isoformat(), d.grain, d.rule) if moved else None


def _range_years(prev: DateExpr, cur: DateExpr) -> tuple[DateExpr, DateExpr]:
    """The two ends of a range share one year when only one states it: a year-less end is the first
    such day or month on or after the start ("पिछले साल मई-जून", "नवंबर 2025 से फरवरी तक" → 2026-02),
    a year-less start the last one on or before the end ("10 अप्रैल से 13 अप्रैल 2024 तक")."""
    if _yearless(cur) and not _yearless(prev):
        start = date.fromisoformat(prev.value or "")
        moved = _with_year(cur, start.year)
        if moved is not None and (moved.value or "") < start.isoformat():
            moved = _with_year(cur, start.year + 1)
        return prev, moved or cur
    if _yearless(prev) and not _yearless(cur):
        end = date.fromisoformat(cur.value or "")
        moved = _with_year(prev, end.year)
        if moved is not None and (moved.value or "") > end.isoformat():
            moved = _with_year(prev, end.year - 1)
        return moved or prev, cur
    return prev, cur


def _months_of_years(text: str, found: list[DateExpr]) -> list[DateExpr]:
    """A month or a day right after a year expression ("पिछले साल जुलाई में", "इस साल मार्च में", "2024 के
    जुलाई में", "पिछले साल 5 अगस्त को") is one expression of that year."""
    out: list[DateExpr] = []
    for cur in found:
        prev = out[-1] if out else None
        if (
            prev is not None
            and cur.grain == "month"
            and cur.rule.startswith("month")
            and prev.grain == "year"
            and prev.value
            and text[prev.end : cur.start].strip() in ("", "के", "की")
        ):
            month = _months()[_norm_space(cur.text.split()[-1])]
            value = date(int(prev.value[:4]), month, 1).isoformat()
            out[-1] = DateExpr(
                prev.start, cur.end, text[prev.start : cur.end], value, "month", "month-of-year"
            )
            continue
        if (
            prev is not None
            and cur.grain == "day"
            and cur.value
            and cur.rule.startswith("day-month")
            and _yearless(cur)
            and prev.grain == "year"
            and prev.value
            and text[prev.end : cur.start].strip() in ("", "के", "की")
        ):
            # "पिछले साल 5 अगस्त को": that year's day (a range keeps its days in that year)
            moved = _with_year(cur, int(prev.value[:4]))
            last = _valid(int(prev.value[:4]), int(cur.last[5:7]), int(cur.last[8:10])) if cur.last else None
            if moved is not None:
                out[-1] = DateExpr(
                    prev.start,
                    cur.end,
                    text[prev.start : cur.end],
                    moved.value,
                    "day",
                    "day-of-year",
                    last.isoformat() if last else None,
                )
                continue
        out.append(cur)
    return out


def _weekdays_of_dates(text: str, found: list[DateExpr]) -> list[DateExpr]:
    """A weekday written next to an explicit date ("शनिवार, 10 जून", "2 जनवरी (शुक्रवार)") takes that
    date when the weekdays agree."""
    out = list(found)
    for i, d in enumerate(found):
        if not d.rule.startswith("weekday"):
            continue
        for other in found:
            if (
                other.grain != "day"
                or other.value is None
                or other.rule.startswith(("weekday", "tensed", "rel"))
            ):
                continue
            gap = text[min(d.end, other.end) : max(d.start, other.start)]
            if len(gap) > 4 or gap.strip(" ,()") or (other.start < d.end and d.start < other.end):
                continue
            if date.fromisoformat(other.value).weekday() == _weekdays()[_norm_space(d.text.split()[-1])]:
                out[i] = DateExpr(d.start, d.end, d.text, other.value, "day", "weekday-of-date")
    return out


# A date in a URL path: /2024/05/12/, /2024-05-12-, /20240512/ (year 1990-2099, a real day).
_URL_DATE = re.compile(r"(?<![0-9])((?:19|20)\d\d)([/_-]?)(0?[1-9]|1[0-2])\2(0?[1-9]|[12]\d|3[01])(?![0-9])")


def date_from_url(url: str | None) -> date | None:
    """The publication date written in a URL's path (year, month and day all present), or None."""
    if not url:
        return None
    path = re.sub(r"^[a-z][a-z0-9+.-]*://[^/]*", "", url, flags=re.I).split("?")[0]
    for m in _URL_DATE.finditer(path):
        if not m.group(2) and len(m.group(0)) != 8:
            continue  # compact form only as exactly YYYYMMDD
        try:
            return date(int(m.group(1)), int(m.group(3)), int(m.group(4)))
        except ValueError:
            continue
    return None


def parse_dates(text: str, published: date | None = None) -> list[DateExpr]:
    """Date expressions of a plain text (a convenience over `find_dates`; the text is one passage for
    story-relative days)."""
    found = find_dates(text, published)
    return anchor_story_days(found, [0] * len(found))


# A story-relative day ("अगले दिन") counts from a dated day at most this many sentences back.
STORY_ANCHOR_SENTENCES = 2


def anchor_story_days(dates: list[DateExpr], sentence_of: list[int], final: bool = True) -> list[DateExpr]:
    """Resolve story-relative days ("अगले दिन", "उसी दिन", "परीक्षा से एक दिन पहले", "आज से तीन दिन
    पहले", rule `story-day±N`) from the last day-grain date before them within
    `STORY_ANCHOR_SENTENCES` sentences; without one they stay unresolved (`final`: say so in the rule,
    else keep the offset for a later pass over more sentences)."""
    out: list[DateExpr] = []
    anchor: tuple[date, int] | None = None
    for d, sent in zip(dates, sentence_of, strict=True):
        if d.rule.startswith("story-day") and d.value is None and d.rule[len("story-day") :][:1] in "+-":
            offset = int(d.rule[len("story-day") :])
            value = None
            if anchor is not None and sent - anchor[1] <= STORY_ANCHOR_SENTENCES:
                value = (anchor[0] + timedelta(days=offset)).isoformat()
            rule = "story-day" if value else ("story-day-unresolved" if final else d.rule)
            d = DateExpr(d.start, d.end, d.text, value, "day", rule)
        if d.value and d.grain == "day":
            anchor = (date.fromisoformat(d.last or d.value), sent)
        out.append(d)
    return out


def extract_dates(article: Article) -> Article:
    """Set `article.dates`: the date expressions of every sentence of the kept text."""
    dates: list[DateExpr] = []
    sentence_of: list[int] = []
    scan = ascii_digits(article.text)
    for i, sent in enumerate(article.sentences):
        found = find_dates(article.text, article.published, sent.start, sent.end, scan)
        dates.extend(found)
        sentence_of.extend([i] * len(found))
    article.dates = anchor_story_days(dates, sentence_of)
    return article
