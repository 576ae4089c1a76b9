"""The Hindi search analyzer: one index term per word, so inflections and spelling variants meet.

`index_term(word)` is, in this order:

1. NFC; nukta and ZWJ/ZWNJ dropped, chandrabindu written as anusvara, Latin lower-cased (these never
   touch a suffix, so they are safe before stemming);
2. the light inflection stemmer (`stem`, suffixes in `lang/hi/stem_suffixes.tsv`): step 1 strips the
   longest plural/oblique/verb suffix, step 2 one final vowel sign, and only while two letters stay
   (a gender-keeping variant, लड़की apart from लड़का, lost recall on the tune queries and was dropped);
   the event trigger model stems with it too (`khabar.analysis.event_model.stem`);
3. the spelling-variant fold of entity name keys (`khabar.analysis.namekey.name_key`: vowel length,
   ॉ/ो, nasals, halant/schwa, doubled consonants).

Stemming comes BEFORE folding vowel length: Lucene's Hindi analyzer folds ी → ि first, so करती no longer
ends in -ती and stems apart from करता; here both are करत. Words are runs of letters, numbers, combining
marks and private-use characters, as in the FTS5 tokenizer of the knowledge base (ZWJ/ZWNJ joined in).
"""

from __future__ import annotations

import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from khabar.analysis.namekey import name_key
from khabar.lang.hi import read_table

NUKTA = "\u093c"
CHANDRABINDU = "\u0901"
ANUSVARA = "\u0902"
_PRE = str.maketrans({NUKTA: None, "\u200c": None, "\u200d": None, CHANDRABINDU: ANUSVARA})


@cache
def _word_pattern() -> re.Pattern[str]:
    """Runs of L*, N*, M*, Co characters (the FTS5 tokenizer's token characters) and ZWJ/ZWNJ.

    Python's `re` tests a character against the Basic Multilingual Plane part of a class in one step
    but against the rest range by range, so the astral part is tried only after a one-range check:
    a space or danda then costs two tests, not some 700 (words() ran 10× faster)."""
    bmp: list[str] = []
    astral: list[str] = []
    start = prev = -1

    def close(lo: int, hi: int) -> None:
        if lo <= 0xFFFF:
            bmp.append(_range(lo, min(hi, 0xFFFF)))
        if hi > 0xFFFF:
            astral.append(_range(max(lo, 0x10000), hi))

    for cp in range(sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        cat = unicodedata.category(chr(cp))
        inside = cat[0] in "LNM" or cat == "Co" or cp in (0x200C, 0x200D)
        if inside and prev == cp - 1 and start >= 0:
            prev = cp
            continue
        if start >= 0:
            close(start, prev)
            start = prev = -1
        if inside:
            start = prev = cp
    if start >= 0:
        close(start, prev)
    return re.compile(f"(?:[{''.join(bmp)}]|(?=[\U00010000-\U0010ffff])[{''.join(astral)}])+")


def _range(lo: int, hi: int) -> str:
    return re.escape(chr(lo)) if lo == hi else f"{re.escape(chr(lo))}-{re.escape(chr(hi))}"


def words(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word of `text`, offsets into `text`."""
    for m in _word_pattern().finditer(text):
        yield m.start(), m.end(), m.group(0)


def prefold(word: str) -> str:
    """Step 1: NFC, no nukta or zero-width joiners, chandrabindu as anusvara, lower case."""
    return unicodedata.normalize("NFC", word).translate(_PRE).lower()


@dataclass(frozen=True, slots=True)
class _Rule:
    suffix: str
    condition: str  # "any", "vowel" or "after:<letters>"
    replacement: str

    def applies(self, base: str) -> bool:
        if self.condition == "vowel":
            return _is_vowel(base[-1])
        if self.condition.startswith("after:"):
            return base[-1] in self.condition[len("after:") :]
        return True


@dataclass(frozen=True, slots=True)
class _Suffixes:
    step1: tuple[_Rule, ...]  # longest suffix first
    step2: dict[str, _Rule]


@cache
def _suffixes() -> _Suffixes:
    step1: list[_Rule] = []
    step2: dict[str, _Rule] = {}
    for row in read_table("stem_suffixes.tsv"):
        rule = _Rule(row[0], row[2], row[3] if len(row) > 3 else "")
        if row[1] == "1":
            step1.append(rule)
        else:
            step2[rule.suffix] = rule
    step1.sort(key=lambda rule: -len(rule.suffix))
    return _Suffixes(tuple(step1), step2)


def _letters(text: str) -> int:
    return sum(1 for ch in text if unicodedata.category(ch)[0] == "L")


def _is_vowel(ch: str) -> bool:
    """A vowel sign or an independent vowel."""
    return "\u093e" <= ch <= "\u094c" or "\u0904" <= ch <= "\u0914" or ch in "\u0955\u0956\u0957\u0962\u0963"


def stem(word: str) -> str:
    """The light stem of a prefolded word (see `lang/hi/stem_suffixes.tsv`)."""
    table = _suffixes()
    for rule in table.step1:
        if word.endswith(rule.suffix) and len(word) > len(rule.suffix):
            base = word[: -len(rule.suffix)]
            if rule.applies(base) and _letters(base) >= 2:
                word = base + rule.replacement
                break
    last = table.step2.get(word[-1:])
    if last is not None and len(word) > 1 and last.applies(word[:-1]) and _letters(word[:-1]) >= 2:
        word = word[:-1]
    return word


def fold(word: str) -> str:
    """The name-key fold of one word ('' never: a word the fold empties stays as it is)."""
    key = name_key(word).replace(" ", "")
    return key or word


@lru_cache(maxsize=200_000)
def index_term(word: str) -> str:
    """The index term of one word: prefold, stem, fold."""
    return fold(stem(prefold(word)))


def fold_term(word: str) -> str:
    """The folded word without stemming (the '+ folding' arm of the evaluation)."""
    return fold(prefold(word))


def analyze(text: str, term: Callable[[str], str] = index_term) -> str:
    """`text` as a space-separated stream of index terms, one per word (for the FTS5 stem columns)."""
    return " ".join(term(w) for _, _, w in words(text))


def query_terms(text: str, term: Callable[[str], str] = index_term) -> list[str]:
    """The index terms of a query word or phrase (a word may hold a hyphen: रूस-यूक्रेन is two)."""
    return [term(w) for _, _, w in words(text)]
