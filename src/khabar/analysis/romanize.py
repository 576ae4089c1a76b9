"""Devanagari → readable English romanisation of names ("कमल" → "Kamal", "ग्रिंकेविच" → "Grinkevich").

Layers, in order:
- hand-written English function words (`romanize_words.tsv`: ऑफ → of) and acronyms of letter names
  (`letter_names.tsv`: केएल → KL, सीबीआई → CBI);
- a learned word table (`lang/hi/romanize_lexicon.tsv`, built by `khabar train names`): a Hindi word's
  most frequent English spelling in the train split of the name pairs, else in Dakshina;
- the learned transliterator for every other word (`khabar.analysis.translit`, a joint n-gram model
  trained on the name pairs);
- rules when no model is built (and for `use_lexicon=False`): the word is split into aksharas (consonant cluster + vowel), letters are
  mapped with `lang/hi/romanize_chars.tsv`, and the inherent schwa is deleted where Hindi drops it:
  word-finally after a single consonant (कमल → kamal; kept after a cluster ending in र/य/व/ल:
  रामचंद्र → ramchandra, and after इ/ई + य: भारतीय → bhartiya), and medially in a V C(a) C V context,
  scanning right to left so no three-consonant cluster arises (कमला → kamla, राजनाथ → rajnath; kept
  before a conjunct: दीनबन्धु → dinabandhu).
  Anusvara is m before a labial and n elsewhere.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from khabar.analysis.translit import (
    STYLES,
    WEIGHTS,
    Reranking,
    choose_style,
    load_models,
    load_style_lexicon,
    transliterate,
)
from khabar.errors import KhabarError
from khabar.lang.hi import read_table

HALANT = "\u094d"
NUKTA = "\u093c"
ZERO_WIDTH = ("\u200c", "\u200d")
LABIALS = frozenset({"p", "ph", "b", "bh", "m", "f"})
# Final clusters whose last consonant is one of these keep the schwa (मिश्र → mishra, शुक्ल → shukla).
KEEP_FINAL_AFTER = frozenset({"r", "y", "v", "l"})
_DEVANAGARI_RUN = re.compile(r"[\u0900-\u097f\u200c\u200d]+")
_DEVANAGARI_WORD = re.compile(r"^[\u0900-\u0963\u0966-\u097f\u200c\u200d]+$")


@dataclass(slots=True)
class _Akshara:
    """A consonant cluster (Latin per consonant, the Devanagari text) with its vowel and marks.

    `vowel` is None for the inherent schwa, '' after a halant; `literal` holds a non-Devanagari run.
    """

    consonants: list[str]
    raw: str
    vowel: str | None = None
    mark: str = ""
    literal: str | None = None
    unit: str = ""


@cache
def _char_table() -> dict[str, tuple[str, str]]:
    """Devanagari character (nukta letters as base + nukta) → (latin, class)."""
    table: dict[str, tuple[str, str]] = {}
    for row in read_table("romanize_chars.tsv"):
        char = unicodedata.normalize("NFD", row[0])
        latin = row[1] if len(row) > 1 else ""
        klass = row[2] if len(row) > 2 else "mark"
        table[char] = (latin, klass)
    return table


@cache
def load_lexicon() -> dict[str, str]:
    """Hindi word (NFC) → lower-case English spelling: the learned word table's Hindi-style spellings
    (other styles where it has none), with the hand-written `romanize_words.tsv` on top."""
    table: dict[str, str] = {}
    for style in reversed(STYLES):
        table.update(load_style_lexicon().get(style, {}))
    return {**table, **_hand_words()}


@cache
def _hand_words() -> dict[str, str]:
    try:
        rows = read_table("romanize_words.tsv")
    except KhabarError:  # optional: rules alone still romanise
        return {}
    return {unicodedata.normalize("NFC", r[0]): r[1] for r in rows if len(r) >= 2 and r[1]}


def _split_aksharas(word: str) -> list[_Akshara]:
    """Parse a Devanagari word (NFD) into aksharas."""
    table = _char_table()
    out: list[_Akshara] = []
    joining = False  # the previous character was a halant: the next consonant joins the cluster
    i = 0
    while i < len(word):
        ch = word[i]
        if i + 1 < len(word) and word[i + 1] == NUKTA:
            ch += NUKTA
        i += len(ch)
        if ch in ZERO_WIDTH:
            continue
        latin, klass = table.get(ch, (ch, "literal"))
        attach = (
            bool(out) and out[-1].literal is None and (joining or klass in ("sign", "mark") or ch == HALANT)
        )
        if attach:
            out[-1].unit += ch
        if klass == "consonant":
            if joining and out and out[-1].literal is None:
                out[-1].consonants.append(latin)
                out[-1].raw += ch
                out[-1].vowel = None
            else:
                out.append(_Akshara([latin], ch, unit=ch))
            joining = False
        elif ch == HALANT:
            if out:
                out[-1].vowel = ""
            joining = True
        elif klass == "sign" and out and out[-1].consonants and out[-1].vowel is None:
            out[-1].vowel = latin
            joining = False
        elif klass == "vowel":
            out.append(_Akshara([], ch, vowel=latin, unit=ch))
            joining = False
        elif klass == "mark" and out:
            out[-1].mark += latin
            joining = False
        else:
            out.append(_Akshara([], ch, vowel="", literal=latin, unit=ch))
            joining = False
    return out


def _has_vowel(ak: _Akshara) -> bool:
    return bool(ak.vowel) or ak.vowel is None


def _delete_schwas(aks: list[_Akshara]) -> None:
    """Mark deleted inherent schwas (vowel None → '') right to left."""
    n = len(aks)
    for i in range(n - 1, 0, -1):
        ak = aks[i]
        if ak.vowel is not None or ak.mark or ak.literal is not None or not ak.consonants:
            continue
        prev = aks[i - 1]
        if i == n - 1:
            last = ak.consonants[-1]
            if len(ak.consonants) > 1 and last in KEEP_FINAL_AFTER:
                continue
            if last == "y" and prev.vowel == "i":
                continue
            if prev.literal is None:
                ak.vowel = ""
            continue
        nxt = aks[i + 1]
        if (
            len(ak.consonants) == 1
            and prev.literal is None
            and _has_vowel(prev)
            and len(nxt.consonants) == 1
            and nxt.literal is None
            and _has_vowel(nxt)
        ):
            ak.vowel = ""


@cache
def _clusters() -> dict[str, str]:
    """Clusters read other than letter by letter (ज्ञ → gy)."""
    return {
        unicodedata.normalize("NFD", row[0]).replace(HALANT, ""): row[1]
        for row in read_table("romanize_chars.tsv")
        if len(row) > 2 and row[2] == "cluster"
    }


def rule_pieces(word: str) -> list[tuple[str, str, str]]:
    """Per akshara of a word: (Devanagari unit in NFD, position I/M/F, rule romanisation)."""
    aks = _split_aksharas(unicodedata.normalize("NFD", word))
    _delete_schwas(aks)
    clusters = _clusters()
    pieces: list[tuple[str, str, str]] = []
    last = len(aks) - 1
    for i, ak in enumerate(aks):
        position = "I" if i == 0 else ("F" if i == last else "M")
        if ak.literal is not None:
            pieces.append((ak.unit, position, ak.literal))
            continue
        cons = clusters.get(ak.raw) or "".join(ak.consonants)
        piece = cons + ("a" if ak.vowel is None else ak.vowel)
        if ak.mark:
            nxt = aks[i + 1] if i < last else None
            if ak.mark == "n" and nxt is not None and nxt.consonants and nxt.consonants[0] in LABIALS:
                piece += "m"
            else:
                piece += ak.mark
        pieces.append((ak.unit, position, piece))
    return pieces


def romanize_rules(word: str) -> str:
    """Romanise one Devanagari word by rules alone (lower case)."""
    return "".join(piece for _, _, piece in rule_pieces(word))


@cache
def load_letter_names() -> dict[str, str]:
    """Latin letters' Hindi names (एस → S), from `letter_names.tsv`."""
    try:
        rows = read_table("letter_names.tsv")
    except KhabarError:
        return {}
    return {unicodedata.normalize("NFC", r[0]): r[1] for r in rows if len(r) > 1}


def acronym_letters(word: str) -> str | None:
    """The Latin letters of a word made only of letter names (बीडीओ → BDO), or None."""
    names = load_letter_names()
    word = unicodedata.normalize("NFC", word).strip(".")
    if not word:
        return None
    best: list[str | None] = [""] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 5), end):
            letter = names.get(word[start:end])
            if letter is not None and best[start] is not None:
                best[end] = f"{best[start]}{letter}"
                break
    return best[-1]


def is_acronym(word: str) -> bool:
    """Whether a word is an acronym of at least two letter names and no ordinary word the learned word
    table knows with another spelling (केएल, एसएसपी, सीबीआई; not बीबी)."""
    letters = acronym_letters(word)
    if letters is None or len(letters) < 2:
        return False
    known = load_lexicon().get(unicodedata.normalize("NFC", word))
    return known is None or known == letters.lower()


def romanize_word(
    word: str, use_lexicon: bool = True, style: str | None = None, weights: Reranking = WEIGHTS
) -> str:
    """Romanise one word (lower case): hand-written function words, else the learned transliterator in
    `style` (`khabar.analysis.translit`: its model's and word tables' spellings reranked under
    `weights`; by default the word's own most probable style), else the rules; `use_lexicon=False`
    gives the rules alone."""
    word = unicodedata.normalize("NFC", word)
    if not use_lexicon:
        return romanize_rules(word)
    hand = _hand_words().get(word)
    if hand:
        return hand
    if _DEVANAGARI_WORD.match(word):
        learned = transliterate(word, style, weights)
        if learned:
            return learned
    return romanize_rules(word)


def learned_source(word: str) -> bool:
    """Whether `romanize_word` spells this word from something learned (word table or model)."""
    word = unicodedata.normalize("NFC", word)
    return word in _hand_words() or (bool(_DEVANAGARI_WORD.match(word)) and bool(load_models()))


def romanize(
    text: str, use_lexicon: bool = True, style: str | None = None, weights: Reranking = WEIGHTS
) -> str:
    """Romanise a name or phrase: each Devanagari run romanised and capitalised (English function words
    from `romanize_words.tsv` stay lower case after the first word), other text kept; `style` (hindi,
    east, south) fixes the spelling style, which is otherwise the name's own (`translit.choose_style`);
    `weights` are the learned transliterator's reranking weights.

    >>> romanize("रामचंद्र")
    'Ramchandra'
    """
    # a danda inside a name is an abbreviation's full stop (के। कामराज = K. Kamaraj)
    text = unicodedata.normalize("NFC", text).replace("\u0965", ".").replace("\u0964", ".")
    small = _function_words() if use_lexicon else frozenset()
    words = [m.group(0) for m in _DEVANAGARI_RUN.finditer(text)]
    if style is None and use_lexicon:
        style = choose_style([w for w in words if w not in small and not is_acronym(w)])

    def convert(match: re.Match[str]) -> str:
        if is_acronym(match.group(0)):
            return acronym_letters(match.group(0)) or ""
        latin = romanize_word(match.group(0), use_lexicon, style, weights)
        if match.start() > 0 and match.group(0) in small:
            return latin
        return latin[:1].upper() + latin[1:]

    return " ".join(_DEVANAGARI_RUN.sub(convert, text).split())


@cache
def _function_words() -> frozenset[str]:
    try:
        return frozenset(unicodedata.normalize("NFC", r[0]) for r in read_table("romanize_words.tsv") if r)
    except KhabarError:
        return frozenset()
