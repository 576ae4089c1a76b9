"""The facts gold set: reading `articles.jsonl` and locating its spans in khabar's clean text.

One line per article: `{"id", "part": "tune"|"test", "beat", "source", "published", "title", "text",
"quotes": [...], "events": [...], "dates": [...]}`; every span is given as an exact substring that
occurs once in `text` (see docs/facts.md for the fields of quotes, events and dates).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from khabar.clean.normalize import normalize_text
from khabar.errors import InputError

PARTS = ("tune", "test")


@dataclass(frozen=True, slots=True)
class GoldQuote:
    content: str
    kind: str
    speaker: str | None
    speaker_name: str | None
    source_kind: str | None
    cue: str | None


@dataclass(frozen=True, slots=True)
class GoldEvent:
    triggers: tuple[str, ...]
    cameo: str
    root: str
    actor1: str | None
    actor2: str | None
    others: tuple[str, ...]
    modality: str
    location: str | None
    date: str | None
    date_grain: str | None
    evidence: str | None


@dataclass(frozen=True, slots=True)
class GoldDate:
    text: str
    value: str | None
    grain: str
    end: str | None


@dataclass(slots=True)
class GoldArticle:
    id: str
    part: str
    beat: str
    source: str | None
    published: date | None
    title: str | None
    text: str
    quotes: list[GoldQuote] = field(default_factory=list)
    events: list[GoldEvent] = field(default_factory=list)
    dates: list[GoldDate] = field(default_factory=list)


def _opt(value: Any) -> str | None:
    return None if value is None or value == "" else str(value)


def _article(data: dict[str, Any], where: str) -> GoldArticle:
    try:
        pub = _opt(data.get("published"))
        art = GoldArticle(
            id=str(data["id"]),
            part=str(data.get("part", "tune")),
            beat=str(data.get("beat", "")),
            source=_opt(data.get("source")),
            published=date.fromisoformat(pub[:10]) if pub else None,
            title=_opt(data.get("title")),
            text=str(data["text"]),
        )
        for q in data.get("quotes") or []:
            art.quotes.append(
                GoldQuote(
                    str(q["content"]),
                    str(q.get("kind") or "reported"),
                    _opt(q.get("speaker")),
                    _opt(q.get("speaker_name")),
                    _opt(q.get("source_kind")),
                    _opt(q.get("cue")),
                )
            )
        for e in data.get("events") or []:
            triggers = e.get("triggers") or ([e["trigger"]] if e.get("trigger") else [])
            cameo = str(e.get("cameo") or "")
            art.events.append(
                GoldEvent(
                    tuple(str(t) for t in triggers),
                    cameo,
                    str(e.get("root") or cameo[:2]).zfill(2),
                    _opt(e.get("actor1")),
                    _opt(e.get("actor2")),
                    tuple(str(o) for o in e.get("others") or ()),
                    str(e.get("modality") or "occurred"),
                    _opt(e.get("location")),
                    _opt(e.get("date")),
                    _opt(e.get("date_grain")),
                    _opt(e.get("evidence")),
                )
            )
        for d in data.get("dates") or []:
            art.dates.append(
                GoldDate(
                    str(d["text"]), _opt(d.get("value")), str(d.get("grain") or "day"), _opt(d.get("end"))
                )
            )
    except (KeyError, TypeError, ValueError) as exc:
        raise InputError(f"{where}: not a facts gold record ({type(exc).__name__}: {exc})") from None
    return art


def read_gold(path: Path, part: str = "all") -> list[GoldArticle]:
    """The gold articles of `path` (JSON Lines), restricted to one part unless `part` is `all`."""
    if not path.is_file():
        raise InputError(f"{path}: no such facts gold file")
    out: list[GoldArticle] = []
    with path.open(encoding="utf-8") as handle:
        for n, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                data = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{n}: not JSON ({exc.msg})") from None
            if not isinstance(data, dict):
                raise InputError(f"{path}:{n}: not a JSON object")
            art = _article(data, f"{path}:{n}")
            if part == "all" or art.part == part:
                out.append(art)
    return out


def _pattern(fragment: str) -> re.Pattern[str] | None:
    words = normalize_text(fragment).split()
    if not words:
        return None
    return re.compile(r"\s+".join(re.escape(w) for w in words))


class Locator:
    """Finds a gold substring of the original text in khabar's clean text (normalised, blocks joined
    by blank lines, some blocks dropped). Among several occurrences it takes the one nearest the
    substring's relative position in the original."""

    def __init__(self, original: str, clean: str) -> None:
        self.original = original
        self.clean = clean
        self._cache: dict[str, tuple[int, int] | None] = {}

    def find(self, fragment: str | None) -> tuple[int, int] | None:
        """`(start, end)` in the clean text, or None when the fragment is not there."""
        if not fragment:
            return None
        if fragment in self._cache:
            return self._cache[fragment]
        pat = _pattern(fragment)
        found = list(pat.finditer(self.clean)) if pat else []
        span: tuple[int, int] | None = None
        if found:
            at = self.original.find(fragment)
            rel = at / max(1, len(self.original)) if at >= 0 else 0.0
            best = min(found, key=lambda m: abs(m.start() / max(1, len(self.clean)) - rel))
            span = best.span()
        self._cache[fragment] = span
        return span
