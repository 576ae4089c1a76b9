"""Date expressions resolved against the day of publication.

Rules, in the order they claim text (an earlier rule's span cannot be reused by a later one):

- `iso` 2026-01-07; `numeric-dmy` 7/1/2026, 7.1.26, 07-01-2026 (Indian day/month/year);
- `day-month-year` 15 मई 2020; `day-month` 7 जनवरी, सात जनवरी, ७ जनवरी, 7-8 जनवरी (the first day):
  a year-less day takes the year (publication year -1, 0 or +1) that puts it closest to publication,
  the earlier one on a tie (`day-month-nearest-year`);
- `month-day` मई (महीने) की 5 तारीख: the day of a named month, in the nearest year as above;
- `month-year` जनवरी 2026;
- weekdays: `weekday-past` (मंगलवार को हुई: the most recent such day on or before publication),
  `weekday-future` (the clause verb is future, e.g. होगी/करेंगे/जाएगा, or a होने वाली form: the first
  such day on or after publication), `weekday-last`/`weekday-next` with पिछले/बीते/अगले (strictly
  before/after publication), `weekday-of-date` when written beside an explicit date of that weekday
  ("शनिवार, 10 जून");
- `relative-month-day`: पिछले/इसी/अगले महीने (माह) की 22 तारीख, that day of the month before, this or
  next;
- `relative-period`: पिछले/बीते/इस/अगले हफ्ते|महीने|साल (week grain starts on Monday); with a day or
  a part of a day (अगले दिन, अगली सुबह, पिछली रात) it counts from the story's last date (`story-day±N`);
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
from khabar.analysis.date_base import (
    MAX_YEAR,
    MIN_YEAR,
    clause_tense,
    clause_words,
    date_words,
    ends_present,
    months,
    norm_space,
    valid,
    weekdays,
    year_by_tense,
)
from khabar.analysis.date_joins import RANGE_SEPARATORS, join_ranges, months_of_years, weekdays_of_dates
from khabar.article import Article, DateExpr

Grain = Literal["day", "week", "month", "year"]


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
    month_names = alternation(months())
    weekday_names = alternation(weekdays())
    directions = alternation(date_words("direction"))
    periods = alternation(date_words("period"))
    month_periods = alternation([w for w, grain in date_words("period").items() if grain == "month"])
    offset_dirs = alternation(date_words("offset_dir"))
    day_word = alternation(_day_words())
    count_word = alternation(_count_words())
    dayn = rf"(?:\d{{1,2}}|{day_word})"
    year = r"\d{4}"
    sep = r"\s*(?:और|व|से|,|-|–)\s*"
    # a range "10 से 13 अप्रैल", "7-8 जनवरी" (a list "10 और 11 अप्रैल" is two dates)
    followers = alternation(date_words("year_after"))
    leaders = alternation(date_words("year_before"))
    not_before = alternation(date_words("year_not_before"))
    days = alternation([*date_words("day"), *date_words("tensed")])
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
                rf"(?P<mon>{month_names}){END}(?:,?\s*(?P<y>{year})(?!\d))?"
            ),
        ),
        (
            # "मई महीने की 5 तारीख", "मई की 5 तारीख": the day of a named month
            "month-day",
            re.compile(
                rf"{START}(?P<mon>{month_names})\s+(?:(?:{month_periods})\s+)?की\s+(?P<d>{dayn})\s*तारीख़?{END}"
            ),
        ),
        ("month-year", re.compile(rf"{START}(?P<mon>{month_names}),?\s+(?P<y>{year})(?!\d)")),
        ("weekday", re.compile(rf"{START}(?:(?P<dir>{directions})\s+)?(?P<wd>{weekday_names}){END}")),
        (
            # "इसी महीने की 22 तारीख", "पिछले माह की 18 तारीख": a day of the month before, this or next
            "relative-month-day",
            re.compile(
                rf"{START}(?P<dir>{directions})\s+(?:{month_periods})\s+की\s+(?P<d>{dayn})\s*तारीख़?{END}"
            ),
        ),
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
                rf"{START}(?:(?P<dir>{directions})\s+)?(?P<mon>{month_names}){END}"
                rf"(?P<post>\s*(?:(?:में|से|तक|के|की|का|माह|महीने){END}|,|(?:और|व|-)\s*(?={month_names}{END})))?"
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


def _day(token: str) -> int:
    """A day of the month written in digits (any script) or as a number word."""
    return int(token) if token.isdigit() else _day_words()[token]


def _resolve(
    kind: str, m: re.Match[str], text: str, sent_end: int, published: date | None, sent_start: int = 0
) -> Resolved:
    """(value, grain, rule) for a match, or None when the match is no date."""
    g = m.groupdict()
    if kind in ("iso", "numeric-dmy"):
        y = int(g["y"])
        if len(g["y"]) == 2:
            y += 2000 if y <= 50 else 1900
        d = valid(y, int(g["m"]), int(g["d"]))
        return (d.isoformat(), "day", kind) if d else None
    if kind in ("day-month", "month-day"):
        day = _day(g["d"])
        month = months()[norm_space(g["mon"])]
        rule = f"{kind}-range" if g.get("d2") else kind
        if g.get("y"):
            d = valid(int(g["y"]), month, day)
            return (d.isoformat(), "day", rule + "-year") if d else None
        if not 1 <= day <= 31:
            return None
        if published is None:
            return (None, "day", rule + "-unresolved")
        d = year_by_tense(month, day, published, clause_tense(text, m.end(), sent_end, sent_start))
        return (d.isoformat(), "day", rule + "-nearest-year") if d else None
    if kind == "relative-month-day":
        if published is None:
            return (None, "day", kind + "-unresolved")
        direction = int(date_words("direction")[norm_space(g["dir"])])
        first = _shift_months(published.replace(day=1), direction)
        d = valid(first.year, first.month, _day(g["d"]))
        return (d.isoformat(), "day", kind) if d else None
    if kind == "month-year":
        y = int(g["y"])
        if not MIN_YEAR <= y <= MAX_YEAR:
            return None
        return (date(y, months()[norm_space(g["mon"])], 1).isoformat(), "month", kind)
    if kind == "weekday":
        return _resolve_weekday(g, m, text, (sent_start, sent_end), published)
    if kind == "relative-period":
        direction = int(date_words("direction")[norm_space(g["dir"])])
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
        sign = int(date_words("offset_dir")[g["od"]])
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
        if word in date_words("day"):
            if published is None:
                return (None, "day", kind + "-unresolved")
            offset = int(date_words("day")[word])
            return ((published + timedelta(days=offset)).isoformat(), "day", kind)
        tense = clause_tense(text, m.end(), sent_end, sent_start)
        sign = 1 if tense == "future" else -1
        rule = "tensed-day-future" if sign > 0 else "tensed-day-past"
        if published is None:
            return (None, "day", rule + "-unresolved")
        offset = int(date_words("tensed")[word])
        return ((published + timedelta(days=sign * offset)).isoformat(), "day", rule)
    if kind == "month":
        month = months()[norm_space(g["mon"])]
        if not (g.get("dir") or g.get("post")):
            return None  # a month name alone with no postposition is too often something else
        if published is None:
            return (None, "month", kind + "-unresolved")
        if g.get("dir"):
            direction = int(date_words("direction")[norm_space(g["dir"])])
            y = published.year
            if direction < 0 and month >= published.month:
                y -= 1
            elif direction > 0 and month <= published.month:
                y += 1
            return (date(y, month, 1).isoformat(), "month", kind + "-direction")
        d = year_by_tense(month, 15, published, clause_tense(text, m.end(), sent_end, sent_start))
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
    wd = weekdays()[g["wd"] or ""]
    direction = int(date_words("direction")[norm_space(g["dir"])]) if g.get("dir") else None
    if direction is not None and direction != 0:
        rule = "weekday-last" if direction < 0 else "weekday-next"
    else:
        tense = clause_tense(text, m.end(), sent[1], sent[0])
        if (
            tense is None
            and re.match(r"\s*को", text[m.end() :])
            and ends_present(clause_words(text, m.end(), sent[1]))
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
    value = date_words("period")[norm_space(word or "")]
    if value == "week":
        return "week"
    if value == "month":
        return "month"
    if value == "year":
        return "year"
    return "day"


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
    found = weekdays_of_dates(text, sorted(found, key=lambda d: d.start))
    found = join_ranges(text, months_of_years(text, found))
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
