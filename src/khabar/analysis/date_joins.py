"""Date expressions read together: ranges over two dates, a month or day after a year expression, a
weekday written beside an explicit date (passes over the dates `dates.find_dates` found, in order)."""

from __future__ import annotations

from datetime import date

from khabar.analysis.date_base import months, norm_space, valid, weekdays
from khabar.article import DateExpr

# Words between two dates that make them one range (a list "10 और 11 अप्रैल" is two dates).
RANGE_SEPARATORS = frozenset({"से", "-", "–", "से लेकर"})


def join_ranges(text: str, found: list[DateExpr]) -> list[DateExpr]:
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
            # Both ends keep a value (`_range_years` only moves a year); a range runs forwards.
            if (cur.value or "") > (prev.value or ""):
                out[-1] = DateExpr(
                    prev.start,
                    cur.end,
                    text[prev.start : cur.end],
                    prev.value,
                    prev.grain,
                    prev.rule + "+range",
                    cur.last or cur.value,
                )
                continue
        out.append(cur)
    return out


def _yearless(d: DateExpr) -> bool:
    return d.rule.endswith("nearest-year")


def _with_year(d: DateExpr, year: int) -> DateExpr | None:
    value = date.fromisoformat(d.value or "")
    moved = valid(year, value.month, value.day)
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


def months_of_years(text: str, found: list[DateExpr]) -> list[DateExpr]:
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
            month = months()[norm_space(cur.text.split()[-1])]
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
            last = valid(int(prev.value[:4]), int(cur.last[5:7]), int(cur.last[8:10])) if cur.last else None
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


def weekdays_of_dates(text: str, found: list[DateExpr]) -> list[DateExpr]:
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
            if date.fromisoformat(other.value).weekday() == weekdays()[norm_space(d.text.split()[-1])]:
                out[i] = DateExpr(d.start, d.end, d.text, other.value, "day", "weekday-of-date")
    return out
