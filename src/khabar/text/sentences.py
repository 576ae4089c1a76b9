"""Sentence boundaries for Hindi news.

A sentence ends at । ॥ ? ! and at a Latin full stop (many Hindi sites use "." as their sentence end)
followed by space or the end, or squeezed between two Devanagari words (हुई.उन्होंने, a missing space).
A full stop does not end a sentence after an abbreviation or an initial (डॉ., श्री., ए.पी.जे.), between
digits (3.5, 7.1.2026) or in an ellipsis. A glued "X.Y" (no space after the stop, as scraped text often
has it) ends a sentence unless it is an abbreviation or a chain of initials: X listed (डॉ.राम), X an
initial before a name (एम.करुणानिधि), both letter names (जे.पी), or three or more short parts
(भा.ज.पा.); a Devanagari word glued to Latin letters or digits (हां.Yo, हुई.2024) ends one too. Closing quotes and brackets right after the stop stay with the
sentence. A newline always ends a sentence.
"""

from __future__ import annotations

from khabar.text.tokens import (
    _abbreviations,
    _dotted_chain,
    _initials,
    is_abbreviation_dot,
    is_devanagari_letter,
)

_HARD_STOPS = "।॥?!"
_CLOSERS = "\"'”’)]»"


def split_sentences(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence spans `(start, end)` in `text[start:end]`, trimmed of surrounding space."""
    stop = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    sent_start = start
    i = start
    while i < stop:
        ch = text[i]
        boundary_end: int | None = None
        if ch == "\n":
            boundary_end = i
        elif ch in _HARD_STOPS or (ch == "." and _dot_ends_sentence(text, i, stop)):
            j = i + 1
            while j < stop and (text[j] in _HARD_STOPS or text[j] == "."):
                j += 1
            while j < stop and text[j] in _CLOSERS and _closer_closes(text, j, stop):
                j += 1
            boundary_end = j
        if boundary_end is not None:
            _add(spans, text, sent_start, boundary_end)
            sent_start = boundary_end + 1 if ch == "\n" else boundary_end
            i = sent_start
            continue
        i += 1
    _add(spans, text, sent_start, stop)
    return spans


def _closer_closes(text: str, j: int, stop: int) -> bool:
    """A straight quote after a stop closes only when followed by space, another closer or the end."""
    if text[j] not in "\"'":
        return True
    return j + 1 >= stop or text[j + 1].isspace() or text[j + 1] in _CLOSERS


def _dot_ends_sentence(text: str, i: int, stop: int) -> bool:
    prev = text[i - 1] if i > 0 else ""
    nxt = text[i + 1] if i + 1 < stop else ""
    if nxt == "." or prev == ".":  # ellipsis
        return False
    if prev.isdigit() and nxt.isdigit():
        return False
    after_devanagari = bool(prev) and "\u0900" <= prev <= "\u097f"
    squeezed = (
        bool(nxt) and after_devanagari and (is_devanagari_letter(nxt) or (nxt.isascii() and nxt.isalnum()))
    )
    if nxt and not (nxt.isspace() or nxt in _CLOSERS or squeezed):
        return False
    if squeezed:
        return _glued_ends_sentence(text, i)
    if is_abbreviation_dot(text, i):
        # An initial or abbreviation at the very end of the text still ends it.
        return not nxt
    return True


def _glued_ends_sentence(text: str, i: int) -> bool:
    """Whether a full stop glued between two words (X.Y) ends a sentence (see the module docstring)."""
    parts = _dotted_chain(text, i)
    before = [p for p in parts if p]
    j = i - 1
    while j >= 0 and text[j] != "." and not text[j].isspace():
        j -= 1
    left = text[j + 1 : i]
    k = i + 1
    while k < len(text) and text[k] != "." and not text[k].isspace():
        k += 1
    right = text[i + 1 : k]
    if not left or not right:
        return True
    if right.isascii() or left[-1].isdigit():
        return not (left in _abbreviations() or (is_abbreviation_dot(text, i) and len(left) == 1))
    abbreviations = _abbreviations()
    if left in abbreviations or f"{left}.{right}" in abbreviations or (j >= 0 and text[j] == "."):
        return False
    if len(before) > 2 or (k < len(text) and text[k] == "."):
        return not is_abbreviation_dot(text, i)
    initials, ambiguous = _initials()
    if left in initials and left not in ambiguous:
        return False
    return not (left in initials and right in initials)


def _add(spans: list[tuple[int, int]], text: str, s: int, e: int) -> None:
    while s < e and text[s].isspace():
        s += 1
    while e > s and text[e - 1].isspace():
        e -= 1
    if s < e:
        spans.append((s, e))
