"""Word tokens as character offsets.

A token never splits a word at a vowel sign, nukta, anusvara or virama: letters, combining marks and
ZWJ/ZWNJ form one run. Numbers keep their inner separators and ranges (1,23,456 · 3.5 · 7.1.2026 ·
2015-16 · 10:30) and an ordinal or one-letter suffix (8वीं, 45वें, 21st, 5G); a currency sign is a token
of its own (₹ 500, $ 1.5), as Universal Dependencies does. An abbreviation or initial keeps its full stop
(डॉ. · ए. पी. जे. · ई.पू.), other full stops are tokens of their own. A hyphenated compound (रूस-यूक्रेन) is
split into its parts with the hyphen as a token of its own, as UD does for Hindi.
"""

from __future__ import annotations

import re
from functools import lru_cache

from khabar.lang.hi import read_list, read_table

# Letters, combining marks and digits of Devanagari (without the dandas) plus \w, ZWJ and ZWNJ.
WORD_CHARS = r"\w\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff\u200c\u200d"
_DIGIT = r"[0-9\u0966-\u096f]"
# Suffixes written onto a number without a space: Hindi ordinals, English ordinals, one Latin letter.
_NUMBER_SUFFIX = r"(?:वाँ|वां|वीं|वीँ|वें|वेँ|वा|वी|वे|st|nd|rd|th|[A-Za-z])"
_TOKEN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"“”]+[^\s<>"“”.,;:!?।)\]])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<number>{_DIGIT}+(?:[.,:/\-]{_DIGIT}+)*(?:{_NUMBER_SUFFIX}(?![{WORD_CHARS}]))?)
  | (?P<word>[{WORD_CHARS}]+(?:'[{WORD_CHARS}]+)?)
  | (?P<punct>\.{{2,}}|-{{2,}}|[^\s{WORD_CHARS}])
    """,
    re.VERBOSE,
)
_WORD_CHAR = re.compile(rf"[{WORD_CHARS}]")
_DEVANAGARI_LETTER = re.compile(r"[\u0904-\u0939\u093d\u0950\u0958-\u0961\u0972-\u097f]")
# A part of a dotted chain (भा.ज.पा., यू.एस.ए.) is short: at most this many code points.
CHAIN_PART_MAX_CHARS = 3


@lru_cache(maxsize=1)
def _abbreviations() -> frozenset[str]:
    return read_list("abbreviations.txt")


@lru_cache(maxsize=1)
def _initials() -> tuple[frozenset[str], frozenset[str]]:
    """Letter-name initials: (all of them, those that are also common Hindi words such as आई, के, जी)."""
    rows = read_table("initials.txt")
    return (
        frozenset(row[0] for row in rows),
        frozenset(row[0] for row in rows if len(row) > 1 and row[1] == "word"),
    )


def is_word_char(ch: str) -> bool:
    """Whether a character belongs inside a word token (letters, marks, digits, ZWJ/ZWNJ)."""
    return bool(_WORD_CHAR.match(ch))


def is_devanagari_letter(ch: str) -> bool:
    """Whether a character is a Devanagari letter (not a sign, digit or danda)."""
    return bool(_DEVANAGARI_LETTER.match(ch))


def is_abbreviation(word: str) -> bool:
    """Whether `word` (without its dot) on its own is an abbreviation or initial that keeps its full stop.

    Initials that are also common Hindi words (आई, के, जी, पी, सी, ई) count only inside a chain such as
    जी.डी.पी.; see `is_abbreviation_dot`.
    """
    if word in _abbreviations():
        return True
    initials, ambiguous = _initials()
    if word in initials:
        return word not in ambiguous
    return len(word) == 1 and word.isascii() and word.isalpha() and word.isupper()


def _dotted_chain(text: str, i: int) -> list[str]:
    """The word parts of a dotted chain around the full stop at `text[i]` (ए.पी.जे., कि.मी)."""
    parts: list[str] = []
    j = i
    while True:  # backwards: "...X.Y" ending at i
        k = j
        while k > 0 and is_word_char(text[k - 1]):
            k -= 1
        if k == j:
            break
        parts.append(text[k:j])
        if k >= 2 and text[k - 1] == "." and is_word_char(text[k - 2]):
            j = k - 1
            continue
        break
    parts.reverse()
    j = i + 1
    while j < len(text) and is_word_char(text[j]):  # forwards: ".Z." after i
        k = j
        while k < len(text) and is_word_char(text[k]):
            k += 1
        parts.append(text[j:k])
        if k < len(text) and text[k] == ".":
            j = k + 1
            continue
        break
    return parts


def is_abbreviation_dot(text: str, i: int) -> bool:
    """Whether the full stop at `text[i]` belongs to an abbreviation or initial rather than ending text.

    True after a listed abbreviation (डॉ.), an unambiguous initial (ए.), or inside a chain of short parts
    joined by full stops without spaces (ए.पी.जे., जी.डी.पी., भा.ज.पा., ई.पू., U.S.).
    """
    if i <= 0 or not is_word_char(text[i - 1]):
        return False
    parts = _dotted_chain(text, i)
    if not parts or any(ch.isdigit() for part in parts for ch in part):
        return False
    if ".".join(parts) in _abbreviations():
        return True
    if len(parts) > 1:
        initials = _initials()[0]
        return all(len(p) <= CHAIN_PART_MAX_CHARS or p in initials for p in parts)
    return is_abbreviation(parts[0])


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token offsets `(start, end)` of `text[start:end]`, as offsets into `text`."""
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text, start, stop):
        s, e = match.span()
        glued_dot = match.lastgroup == "punct" and text[s] == "." and e == s + 1 and out and out[-1][1] == s
        if glued_dot and is_abbreviation_dot(text, s):
            out[-1] = (out[-1][0], e)
            continue
        out.append((s, e))
    return out


def token_texts(text: str) -> list[str]:
    """The token strings of a text (convenience for tests and evaluation)."""
    return [text[s:e] for s, e in tokenize(text)]
