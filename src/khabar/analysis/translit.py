"""A learned Devanagari → Latin transliterator for names: a joint n-gram model over aligned symbol pairs.

A word is split into *symbols*: consonants (with nukta; a consonant before a halant is one symbol with
it), vowel signs, independent vowels, marks, and an explicit inherent schwa `ə` after a consonant that
has neither a vowel sign nor a halant (कमल → क ə म ə ल ə). Training (`khabar.train.translit`) aligns
each Hindi name word to its English spelling, symbol by symbol (EM, from the rule table's spellings
as the prior), and counts n-grams of the joint tokens `symbol=latin`. Decoding searches the spellings of
each symbol seen in training (a beam over the last n-1 tokens) for the most probable joint sequence
under interpolated absolute-discounting n-gram probabilities, so the model learns where the schwa is
silent, which vowel length names write, and which consonant spellings names use.

Names are spelled differently by region, so there is one model per *spelling style*: `hindi`
(Dakshina's Hindi words and the press spellings of cricketers and the curated people of the news),
`east` (Bengal and Assam candidates: Biswas, Mondal) and `south` (Tamil Nadu, Puducherry and Kerala
candidates: Sivaraj). A name's style is chosen by a naive Bayes classifier over the character n-grams
of all its words (`lang/hi/romanize_styles.tsv.gz`, trained on the candidates' names and IL-NER's
person names), so शुभम वर्मा is read as a Hindi name and सुवीर मंडल as a Bengali one; each word is then
spelled by that style's word table (`lang/hi/romanize_lexicon.tsv.gz`), else another style's (an
attested spelling beats a guess when the style's own model finds it nearly as probable as its own best
spelling: within `CROSS_STYLE_MARGIN` in log probability, so east's "tiwary" does not become the Hindi
spelling of तिवारी; a spelling the model cannot align at all, such as south's "alex", is taken), else
the style's model.

The model file is `lang/hi/romanize_model.tsv.gz` (built by `khabar train names`): header lines with
the order and discount, then one line per n-gram: style, history tokens, the token and its count.
"""

from __future__ import annotations

import gzip
import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from khabar.errors import KhabarError
from khabar.lang.hi import data_path

HALANT = "\u094d"
NUKTA = "\u093c"
SCHWA = "ə"
BOUNDARY = "#"
MODEL_FILE = "romanize_model.tsv.gz"
LEXICON_FILE = "romanize_lexicon.tsv.gz"
STYLE_FILE = "romanize_styles.tsv.gz"
STYLES = ("hindi", "east", "south")
# Longest character n-gram of the style classifier, and its add-alpha smoothing.
STYLE_GRAM = 4
STYLE_ALPHA = 0.5
# Decoding: hypotheses kept per position and spellings tried per symbol (set on the dev split).
BEAM = 12
SPELLINGS_PER_SYMBOL = 6
# Another style's attested spelling is taken when the style's model scores it at most this much (natural
# log) below its own best spelling (set on the dev split: 1000 → 44.47 %, 0 → 44.37 %, 4 → 44.75 %).
CROSS_STYLE_MARGIN = 4.0
_CONSONANTS = frozenset(chr(c) for c in range(0x915, 0x93A)) | frozenset(chr(c) for c in range(0x958, 0x960))
_SIGNS = frozenset(chr(c) for c in range(0x93E, 0x94D)) | {"\u0962", "\u0963"}


def symbols(word: str) -> list[str]:
    """The symbols of a Devanagari word (see the module docstring)."""
    text = unicodedata.normalize("NFD", word).replace("\u200c", "").replace("\u200d", "")
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        i += 1
        if i < len(text) and text[i] == NUKTA:
            ch += NUKTA
            i += 1
        if ch[0] in _CONSONANTS:
            if i < len(text) and text[i] == HALANT:
                out.append(ch + HALANT)
                i += 1
            elif i < len(text) and text[i] in _SIGNS:
                out.append(ch)
            else:
                out.extend((ch, SCHWA))
        else:
            out.append(ch)
    return out


def token(symbol: str, latin: str) -> str:
    """The joint token of a symbol and its spelling."""
    return f"{symbol}={latin}"


@dataclass(slots=True)
class JointModel:
    """Joint n-gram counts: for each history (tuple of tokens), token counts, their total and types."""

    order: int
    discount: float
    counts: dict[tuple[str, ...], dict[str, float]]
    totals: dict[tuple[str, ...], float]
    spellings: dict[str, tuple[str, ...]]
    vocabulary: int

    @classmethod
    def from_counts(
        cls, order: int, discount: float, counts: dict[tuple[str, ...], dict[str, float]]
    ) -> JointModel:
        """A model from n-gram counts (the unigram counts, under the empty history, give the spellings)."""
        totals = {h: sum(c.values()) for h, c in counts.items()}
        by_symbol: dict[str, dict[str, float]] = {}
        for tok, n in counts.get((), {}).items():
            symbol, _, latin = tok.partition("=")
            by_symbol.setdefault(symbol, {})[latin] = n
        spellings = {
            s: tuple(latin for latin, _ in sorted(options.items(), key=lambda kv: (-kv[1], kv[0])))
            for s, options in by_symbol.items()
        }
        return cls(order, discount, counts, totals, spellings, len(counts.get((), {})) + 1)

    def probability(self, history: tuple[str, ...], tok: str) -> float:
        """P(token | history): absolute discounting interpolated down to a uniform distribution."""
        return _probability(self, history, tok)


def _probability(model: JointModel, history: tuple[str, ...], tok: str) -> float:
    prob = 1.0 / model.vocabulary
    for k in range(model.order):
        context = history[len(history) - k :] if k else ()
        counts = model.counts.get(context)
        if counts is None:
            break
        total = model.totals[context]
        prob = (
            max(counts.get(tok, 0.0) - model.discount, 0.0) / total
            + model.discount * len(counts) / total * prob
        )
    return prob


@cache
def load_models() -> dict[str, JointModel]:
    """The shipped model of each style (empty when not built)."""
    try:
        path = data_path(MODEL_FILE)
    except KhabarError:
        return {}
    return read_models(path)


def read_models(path: Path) -> dict[str, JointModel]:
    """The model of each style from a model file (`romanize_model.tsv.gz`)."""
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        lines = handle.read().splitlines()
    order, discount = 4, 0.5
    counts: dict[str, dict[tuple[str, ...], dict[str, float]]] = {}
    for line in lines:
        if line.startswith("# order="):
            fields = dict(part.split("=") for part in line[2:].split())
            order, discount = int(fields["order"]), float(fields["discount"])
        if not line or line.startswith("#"):
            continue
        style, history, tok, count = line.split("\t")
        key = tuple(history.split(" ")) if history else ()
        counts.setdefault(style, {}).setdefault(key, {})[tok] = float(count)
    return {style: JointModel.from_counts(order, discount, c) for style, c in counts.items()}


@cache
def load_style_lexicon() -> dict[str, dict[str, str]]:
    """Style → Hindi word (NFC) → spelling, from `romanize_lexicon.tsv.gz` (empty when not built)."""
    table: dict[str, dict[str, str]] = {}
    try:
        path = data_path(LEXICON_FILE)
    except KhabarError:
        return table
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = line.rstrip("\n").split("\t")
            if len(row) >= 3 and row[2] and not row[0].startswith("#"):
                table.setdefault(row[1], {})[unicodedata.normalize("NFC", row[0])] = row[2]
    return table


def decode(model: JointModel, word: str) -> tuple[float, str]:
    """The most probable spelling of a Devanagari word under the model, with its log probability."""
    start = (BOUNDARY,) * (model.order - 1)
    states: list[tuple[float, tuple[str, ...], str]] = [(0.0, start, "")]
    for symbol in symbols(word):
        options = model.spellings.get(symbol)
        candidates = options[:SPELLINGS_PER_SYMBOL] if options else (_fallback(symbol),)
        best: dict[tuple[str, ...], tuple[float, tuple[str, ...], str]] = {}
        for score, history, out in states:
            for latin in candidates:
                tok = token(symbol, latin)
                value = score + math.log(model.probability(history, tok))
                nxt = (*history[1:], tok) if model.order > 1 else ()
                if nxt not in best or best[nxt][0] < value:
                    best[nxt] = (value, nxt, out + latin)
        states = sorted(best.values(), key=lambda s: -s[0])[:BEAM]
    end = token(BOUNDARY, "")
    final = [(s[0] + math.log(model.probability(s[1], end)), s[2]) for s in states]
    return max(final)


def spelling_logprob(model: JointModel, word: str, latin: str) -> float:
    """Log probability of the best alignment of a given spelling with a word under the model (-inf when
    no alignment of the model's symbol spellings produces it)."""
    start = (BOUNDARY,) * (model.order - 1)
    states: dict[tuple[int, tuple[str, ...]], float] = {(0, start): 0.0}
    for symbol in symbols(word):
        options = model.spellings.get(symbol) or (_fallback(symbol),)
        following: dict[tuple[int, tuple[str, ...]], float] = {}
        for (pos, history), score in states.items():
            for piece in options:
                if not latin.startswith(piece, pos):
                    continue
                tok = token(symbol, piece)
                value = score + math.log(model.probability(history, tok))
                key = (pos + len(piece), (*history[1:], tok) if model.order > 1 else ())
                if following.get(key, -math.inf) < value:
                    following[key] = value
        states = following
        if not states:
            return -math.inf
    end = token(BOUNDARY, "")
    finals = [
        score + math.log(model.probability(history, end))
        for (pos, history), score in states.items()
        if pos == len(latin)
    ]
    return max(finals, default=-math.inf)


@cache
def _fallback_table() -> dict[str, str]:
    from khabar.analysis.romanize import _char_table

    return {ch: latin for ch, (latin, _klass) in _char_table().items()}


def _fallback(symbol: str) -> str:
    """The rule spelling of a symbol the model has never seen."""
    if symbol == SCHWA:
        return "a"
    base = symbol[:-1] if symbol.endswith(HALANT) else symbol
    return _fallback_table().get(base, base if base.isascii() else "")


@lru_cache(maxsize=65536)
def style_scores(word: str) -> tuple[tuple[str, float, str], ...]:
    """(style, log probability, spelling) of one word under each style's model."""
    word = unicodedata.normalize("NFC", word)
    return tuple((style, *decode(model, word)) for style, model in load_models().items())


def char_grams(word: str, longest: int = STYLE_GRAM) -> list[str]:
    """Character 1- to `longest`-grams of a word with boundary marks (^ and $)."""
    text = f"^{unicodedata.normalize('NFC', word)}$"
    return [text[i : i + k] for k in range(1, longest + 1) for i in range(len(text) - k + 1)]


@dataclass(frozen=True, slots=True)
class StyleClassifier:
    """Naive Bayes over character n-grams: per style, n-gram counts and their total."""

    counts: dict[str, dict[str, int]]
    totals: dict[str, int]
    vocabulary: int

    def score(self, words: Sequence[str], style: str) -> float:
        counts, total = self.counts[style], self.totals[style]
        denominator = math.log(total + STYLE_ALPHA * self.vocabulary)
        return sum(
            math.log(counts.get(g, 0) + STYLE_ALPHA) - denominator for w in words for g in char_grams(w)
        )


@cache
def load_style_classifier() -> StyleClassifier | None:
    """The shipped style classifier (`khabar train names`), or None."""
    try:
        path = data_path(STYLE_FILE)
    except KhabarError:
        return None
    counts: dict[str, dict[str, int]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or not line.strip():
                continue
            style, gram, n = line.rstrip("\n").split("\t")
            counts.setdefault(style, {})[gram] = int(n)
    vocabulary = len({g for c in counts.values() for g in c})
    return StyleClassifier(counts, {s: sum(c.values()) for s, c in counts.items()}, vocabulary)


def choose_style(words: Sequence[str], prior: dict[str, float] | None = None) -> str | None:
    """The spelling style of one name: the style classifier's most probable one (naive Bayes over the
    character n-grams of all its words; `prior`: log prior per style, uniform by default); without it,
    the style under whose model the words are most probable; None without models."""
    words = [w for w in words if w]
    classifier = load_style_classifier()
    models = load_models()
    if not models or not words:
        return None
    if classifier is not None:
        styles = [s for s in STYLES if s in classifier.counts and s in models]
        if styles:
            bonus = prior or {}
            return max(styles, key=lambda s: (classifier.score(words, s) + bonus.get(s, 0.0), s == "hindi"))
    totals: dict[str, float] = {}
    for word in words:
        for style, score, _spelling in style_scores(word):
            totals[style] = totals.get(style, 0.0) + score
    return max(totals.items(), key=lambda kv: (kv[1], kv[0] == "hindi"))[0]


@lru_cache(maxsize=65536)
def transliterate(word: str, style: str | None = None) -> str | None:
    """The learned spelling (lower case) of one Devanagari word in a style (default: the word's own
    most probable style): the style's word table, else another style's, else the
    style's model; None without models."""
    word = unicodedata.normalize("NFC", word)
    style = style or choose_style([word])
    if style is None:
        return None
    lexicons = load_style_lexicon()
    known = lexicons.get(style, {}).get(word)
    if known:
        return known
    models = load_models()
    model = models.get(style)
    if model is None:
        return None
    best_score, best = decode(model, word)
    for other in STYLES:  # another style's attested spelling, if this style's model finds it likely
        known = lexicons.get(other, {}).get(word) if other != style else None
        if known is None or not known:
            continue
        fit = spelling_logprob(model, word, known)
        if fit == -math.inf or fit >= best_score - CROSS_STYLE_MARGIN:  # unalignable: no evidence
            return known
    return best
