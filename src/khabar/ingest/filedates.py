"""Publication dates read from file paths (`--published-from-filename PATTERN`).

A pattern is written with the placeholders `YYYY`, `MM` and `DD` (`YY` for a two-digit year of the
2000s); every other character stands for itself. It is searched in the document's path as given
(the last match wins, so the file name beats its folders): `YYYY-MM-DD` reads `2026-01-06_rally.txt`,
`YYYY/MM/DD` reads `news/2026/01/06/a.txt`, `DD.MM.YYYY` reads `06.01.2026.html`. Without `DD` the
date is the first of the month.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable
from datetime import date

from khabar.errors import InputError
from khabar.ingest.readers import RawDoc

_PLACEHOLDERS = {
    "YYYY": r"(?P<year>\d{4})",
    "YY": r"(?P<year2>\d{2})",
    "MM": r"(?P<month>\d{1,2})",
    "DD": r"(?P<day>\d{1,2})",
}
_TOKEN = re.compile("|".join(_PLACEHOLDERS))


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """The regular expression of a date pattern; InputError when it has no year or month."""
    parts, pos = [], 0
    for m in _TOKEN.finditer(pattern):
        parts.append(re.escape(pattern[pos : m.start()]))
        parts.append(_PLACEHOLDERS[m.group(0)])
        pos = m.end()
    parts.append(re.escape(pattern[pos:]))
    used = {m.group(0) for m in _TOKEN.finditer(pattern)}
    if not ({"YYYY", "YY"} & used) or "MM" not in used:
        raise InputError(
            f"--published-from-filename {pattern!r}: write the date with YYYY, MM and DD (e.g. YYYY-MM-DD)"
        )
    if len(used) != len(_TOKEN.findall(pattern)):
        raise InputError(f"--published-from-filename {pattern!r}: each of YYYY, MM, DD may occur once")
    return re.compile("".join(parts))


def date_from_path(regex: re.Pattern[str], path: str) -> date | None:
    """The date the pattern finds in `path` (the last valid match), or None."""
    found = None
    for m in regex.finditer(path.replace("\\", "/")):
        groups = m.groupdict()
        year = int(groups["year"]) if groups.get("year") else 2000 + int(groups["year2"])
        try:
            found = date(year, int(groups["month"]), int(groups.get("day") or 1))
        except ValueError:
            continue
    return found


def filename_dater(pattern: str | None) -> Callable[[RawDoc], RawDoc]:
    """A function giving each document without a date of its own the date in its path."""
    if not pattern:
        return lambda doc: doc
    regex = compile_pattern(pattern)

    def apply(doc: RawDoc) -> RawDoc:
        if doc.published is not None:
            return doc
        day = date_from_path(regex, re.sub(r":\d+$", "", doc.source))  # JSONL sources are path:line
        return dataclasses.replace(doc, published=day) if day else doc

    return apply
