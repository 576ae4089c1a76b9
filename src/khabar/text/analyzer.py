"""The Hindi search analyzer: one index term per word, so inflections and spelling variants meet.

`index_term(word)` is, in this order:

1. NFC; nukta and ZWJ/ZWNJ dropped, chandrabindu written as anusvara, Latin lower-cased (these never
   touch a suffix, so they are safe before stemming);
2. the light inflection stemmer (`stem`, suffixes in `lang/hi/stem_suffixes.tsv`): step 1 strips the
   longest plural/oblique/verb suffix, step 2 one final vowel sign, and only while two letters stay
   (a gender-keeping variant, लड़की apart from लड़का, lost recall on the tune queries and was dropped);
   the event trigger model stems with it as it is (`khabar.analysis.event_model.stem`), and search
   with three guards against over-stemming (`search_stem`): two aksharas stay, the fold never makes
   the stem a function word's term (प्रिया was पर), and -िया/-ा come off only with paradigm evidence
   from a frequency list (सोनिया was सोना's stem, शर्मा was शर्म's);
3. the spelling-variant fold of entity name keys (`khabar.analysis.namekey.name_key`: vowel length,
   ॉ/ो, nasals, halant/schwa, doubled consonants).

Stemming comes BEFORE folding vowel length: Lucene's Hindi analyzer folds ी → ि first, so करती no longer
ends in -ती and stems apart from करता; here both are करत. Words are runs of letters, numbers, combining
marks and private-use characters, as in the FTS5 tokenizer of the knowledge base (ZWJ/ZWNJ joined in).
"""

from __future__ import annotations

import hashlib
import re
import sys
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache, lru_cache

from khabar.analysis.namekey import name_key
from khabar.lang.hi import read_list, read_table

NUKTA = "\u093c"
HALANT = "\u094d"
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
    """The light stem of a prefolded word (see `lang/hi/stem_suffixes.tsv`): the stemmer the event
    trigger model was fitted with (two letters kept). Search uses `search_stem`, which guards it."""
    return _strip(word, lambda base: _letters(base) >= 2)


_PLURAL_OF_I = frozenset(
    {"\u093f\u092f\u094b\u0902", "\u093f\u092f\u093e\u0902", "\u093f\u092f\u094b"}
)  # ियों ियां ियो


def _strip(
    word: str,
    keeps: Callable[[str], bool],
    step2: bool = True,
    singular: bool = False,
    evidence: Callable[[str, str], bool] | None = None,
) -> str:
    """Step 1 (the longest suffix whose base `keeps` accepts and, if given, `evidence(word, suffix)`
    backs; with `singular`, a -ियों/-ियां plural whose base `keeps` refuses becomes -ी), then step 2
    (one final vowel sign, on the same terms)."""
    table = _suffixes()
    for rule in table.step1:
        if word.endswith(rule.suffix) and len(word) > len(rule.suffix):
            base = word[: -len(rule.suffix)]
            if evidence is not None and not evidence(word, rule.suffix):
                continue
            if rule.applies(base) and keeps(base):
                word = base + rule.replacement
                break
            if singular and rule.suffix in _PLURAL_OF_I and _letters(base) >= 2:
                word = base + "\u0940"  # स्त्रियों → स्त्री: the singular when the bare base is too short
                break
    last = table.step2.get(word[-1:]) if step2 else None
    if (
        last is not None
        and len(word) > 1
        and last.applies(word[:-1])
        and keeps(word[:-1])
        and (evidence is None or evidence(word, last.suffix))
    ):
        word = word[:-1]
    return word


# A stem keeps at least this many aksharas (written syllables: a consonant cluster joined by halants,
# or an independent vowel, with its vowel sign and nasal): counting letters let प्रिया lose या and ि and
# keep the one conjunct प्र, which the fold writes पर, the postposition of 81 % of articles.
MIN_STEM_AKSHARAS = 2


def aksharas(text: str) -> int:
    """The number of aksharas of a word: letters not joined by a halant to the letter before."""
    count, prev = 0, ""
    for ch in text:
        if unicodedata.category(ch)[0] == "L" and prev != HALANT:
            count += 1
        prev = ch
    return count


def _keeps_aksharas(base: str) -> bool:
    return aksharas(base) >= MIN_STEM_AKSHARAS


@cache
def _function_terms() -> dict[str, frozenset[str]]:
    """Folded term → the prefolded stems it comes from, for the search stopwords (function words)."""
    out: dict[str, set[str]] = {}
    for w in read_list("search_stopwords.txt"):
        st = _strip(prefold(w), _keeps_aksharas, singular=True, evidence=_paradigm_evidence)
        out.setdefault(fold(st), set()).add(st)
    return {term: frozenset(stems) for term, stems in out.items()}


# Paradigm evidence (corpus statistics): wordfreq's Hindi list (`ner_wordfreq_gen.tsv`, Zipf ≥ 3).
# Two endings are mostly not inflections in news: of its 152 words in -िया only 12 have a plural
# -ियां/-ियों in the list (the rest are names, places, loans: सोनिया, बलिया, मीडिया, बढ़िया), and a word
# in -ा whose bare base is itself a listed word and which has no listed sibling form (-े, -ी, -ों …)
# is mostly a name or an unrelated word (शर्मा/शर्म, गुप्ता/गुप्त, चावला/चावल, संगीता/संगीत,
# मात्रा/मात्र). Stripping them merged them into another word's stem.
_IYA = "\u093f\u092f\u093e"  # िया
_IYA_PLURALS = ("\u093f\u092f\u093e\u0902", "\u093f\u092f\u094b\u0902")  # ियां ियों
_AA = "\u093e"
_AA_SIBLINGS = (
    "\u0940",
    "\u0947",
    "\u094b\u0902",
    "\u0947\u0902",
    "\u093e\u0913\u0902",
    "\u093e\u090f\u0902",
    "\u093f\u092f\u094b\u0902",
    "\u093f\u092f\u093e\u0902",
)


@cache
def _listed_words() -> frozenset[str]:
    """The prefolded words of the frequency list (the paradigm evidence)."""
    return frozenset(prefold(row[0]) for row in read_table("ner_wordfreq_gen.tsv") if row)


def _paradigm_evidence(word: str, suffix: str) -> bool:
    """Whether the frequency list backs stripping `suffix` off `word` (see above): -या after ि only
    with a listed plural, a final -ा only when its base is not a listed word or a sibling form is
    listed; any other suffix is backed."""
    listed = _listed_words()
    if suffix == "\u092f\u093e" and word.endswith(_IYA):  # या
        base = word[: -len(_IYA)]
        return any(base + plural in listed for plural in _IYA_PLURALS)
    if suffix == _AA:
        base = word[:-1]
        return base not in listed or any(base + sib in listed for sib in _AA_SIBLINGS)
    return True


@lru_cache(maxsize=200_000)
def search_stem(word: str) -> str:
    """The search stem of a prefolded word: `stem` with three guards.

    - the stem keeps MIN_STEM_AKSHARAS aksharas (प्रिया → प्रिय, not प्र; a -ियों plural of a
      one-akshara base becomes -ी: स्त्रियों → स्त्री);
    - -या after ि and a final -ा come off only with paradigm evidence (`_paradigm_evidence`:
      सोनिया, शर्मा stay whole, चिड़िया and नेता lose them);
    - it is never a function word's term that only the fold makes one (प्री → प्र = पर, जीना → जीन
      = जिन, मैंने → मैंन = में): the stemmer then strips less (step 1 only, else nothing). A stem that
      is the function word's own stem letter for letter stays (करने → कर, इसे → इस, रहेगा → रह).
    """
    candidates = (
        _strip(word, _keeps_aksharas, singular=True, evidence=_paradigm_evidence),
        _strip(word, _keeps_aksharas, step2=False, singular=True, evidence=_paradigm_evidence),
        word,
    )
    functions = _function_terms()
    for st in candidates:
        stems = functions.get(fold(st))
        if stems is None or st in stems:
            return st
    return word


# The data files the index terms depend on; their digest is part of the analyzer version the knowledge
# base records (`khabar.store.search_index`), so a retrained frequency list rebuilds the index too.
DATA_FILES = ("stem_suffixes.tsv", "search_stopwords.txt", "ner_wordfreq_gen.tsv")


@cache
def data_digest() -> str:
    """A short digest of the rows of DATA_FILES."""
    digest = hashlib.sha256()
    for name in DATA_FILES:
        digest.update(name.encode())
        for row in read_table(name):
            digest.update("\t".join(row).encode() + b"\n")
    return digest.hexdigest()[:12]


def fold(word: str) -> str:
    """The name-key fold of one word ('' never: a word the fold empties stays as it is)."""
    key = name_key(word).replace(" ", "")
    return key or word


@lru_cache(maxsize=200_000)
def index_term(word: str) -> str:
    """The index term of one word: prefold, search stem, fold."""
    return fold(search_stem(prefold(word)))


def fold_term(word: str) -> str:
    """The folded word without stemming (the '+ folding' arm of the evaluation)."""
    return fold(prefold(word))


def analyze(text: str, term: Callable[[str], str] = index_term) -> str:
    """`text` as a space-separated stream of index terms, one per word (for the FTS5 stem columns)."""
    return " ".join(term(w) for _, _, w in words(text))


def query_terms(text: str, term: Callable[[str], str] = index_term) -> list[str]:
    """The index terms of a query word or phrase (a word may hold a hyphen: रूस-यूक्रेन is two)."""
    return [term(w) for _, _, w in words(text)]
