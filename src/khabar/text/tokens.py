"""Word tokens as character offsets.

A token never splits a word at a vowel sign, nukta, anusvara or virama: letters, combining marks and
ZWJ/ZWNJ form one run. Numbers keep their inner separators (1,23,456 · 3.5 · 7.1.2026 · $1.5), an
abbreviation keeps its full stop (डॉ.), and a hyphenated compound (रूस-यूक्रेन) is split into its
parts with the hyphen as a token of its own, as Universal Dependencies does for Hindi.
"""

from __future__ import annotations

import re
from functools import lru_cache

from khabar.lang.hi import read_list

# Letters, combining marks and digits of Devanagari (without the dandas) plus \w, ZWJ and ZWNJ.
WORD_CHARS = r"\w\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff\u200c\u200d"
_DIGIT = r"[0-9\u0966-\u096f]"
_TOKEN = re.compile(
    rf"""
    (?P<url>(?:https?://|www\.)[^\s<>"“”]+[^\s<>"“”.,;:!?।)\]])
  | (?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)
  | (?P<number>[$₹€£]?{_DIGIT}+(?:[.,:/]{_DIGIT}+)*)
  | (?P<word>[{WORD_CHARS}]+(?:'[{WORD_CHARS}]+)?\.?)
  | (?P<punct>\.{{2,}}|-{{2,}}|[^\s{WORD_CHARS}])
    """,
    re.VERBOSE,
)


@lru_cache(maxsize=1)
def _dotted_words() -> frozenset[str]:
    """Words that keep a following full stop: abbreviations and letter-name initials."""
    return read_list("abbreviations.txt") | read_list("initials.txt")


def is_abbreviation(word: str) -> bool:
    """Whether `word` (without its dot) is an abbreviation or an initial that keeps its full stop."""
    if word in _dotted_words():
        return True
    return len(word) == 1 and word.isalpha() and word.isascii() and word.isupper()


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token offsets `(start, end)` of `text[start:end]`, as offsets into `text`."""
    stop = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for match in _TOKEN.finditer(text, start, stop):
        s, e = match.span()
        if match.lastgroup == "word" and text[e - 1] == "." and not is_abbreviation(text[s : e - 1]):
            out.append((s, e - 1))
            out.append((e - 1, e))
            continue
        out.append((s, e))
    return out


def token_texts(text: str) -> list[str]:
    """The token strings of a text (convenience for tests and evaluation)."""
    return [text[s:e] for s, e in tokenize(text)]
