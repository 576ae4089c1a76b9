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
person names), so शुभम वर्मा is read as a Hindi name and सुवीर मंडल as a Bengali one.

Each word is then spelled by reranking its candidate spellings (`transliterate`): the style's model's
n-best (`decode_nbest`) and every spelling any style's word table (`lang/hi/romanize_lexicon.tsv.gz`)
has seen for it. A candidate scores its model log probability (a forced alignment for a seen spelling
outside the n-best, `spelling_logprob`) plus weighted features: its count in the style's own word
table and in the other styles' tables, its count as a token of English names and the log probability
of its letters under an English letter model (`khabar.analysis.english_names`), so "akram" beats the
Bengal model's "akaram" and a seen spelling beats a guess. The weights are per style (`WEIGHTS`, set on
the dev split of the name pairs by `python -m khabar.eval.romanize_tune`); the Hindi style, the style
of the news, uses no English features (they spelled the news names of the entity gold set's dev part
worse: Jaya Shah, Collage).

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
# Reranking (`transliterate`): spellings of the model's n-best, its beam and the spellings tried per
# symbol (dev split, whole names exact: beam 40 / 8 spellings 49.81 %, 20/6 49.62 %, 12/6 49.62 %,
# 8/4 49.72 % at a fifth of the time of 40/8).
NBEST = 8
NBEST_BEAM = 8
NBEST_SPELLINGS = 4
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
def load_style_counts() -> dict[str, dict[str, tuple[tuple[str, float], ...]]]:
    """Style → Hindi word (NFC) → its training spellings with their counts, most frequent first (from
    `romanize_lexicon.tsv.gz`; empty when not built)."""
    rows: dict[str, dict[str, dict[str, float]]] = {}
    try:
        path = data_path(LEXICON_FILE)
    except KhabarError:
        return {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = line.rstrip("\n").split("\t")
            if len(row) >= 3 and row[2] and not row[0].startswith("#"):
                count = float(row[3]) if len(row) > 3 else 1.0
                word = unicodedata.normalize("NFC", row[0])
                rows.setdefault(row[1], {}).setdefault(word, {})[row[2]] = count
    return {  # the file's order: most frequent first
        style: {word: tuple(options.items()) for word, options in words.items()}
        for style, words in rows.items()
    }


@cache
def load_style_lexicon() -> dict[str, dict[str, str]]:
    """Style → Hindi word (NFC) → its most frequent training spelling (empty when not built)."""
    return {
        style: {word: options[0][0] for word, options in words.items()}
        for style, words in load_style_counts().items()
    }


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


@dataclass(frozen=True, slots=True)
class RerankWeights:
    """Weights of a candidate spelling's features in `transliterate` (its model log probability has
    weight 1): log(1 + count) in the style's own word table and in the other styles' tables, log(1 +
    count) as an English name token, the English letter model's log probability; an attested spelling
    the model cannot align (मो. → md, इंटरनेशनल → international) gets the best candidate's model log
    probability less `unaligned`."""

    own: float = 8.0
    other: float = 2.0
    english: float = 2.0
    letters: float = 0.5
    unaligned: float = 20.0


@dataclass(frozen=True, slots=True)
class Reranking:
    """Reranking weights per spelling style."""

    hindi: RerankWeights = RerankWeights()
    east: RerankWeights = RerankWeights()
    south: RerankWeights = RerankWeights()

    def of(self, style: str) -> RerankWeights:
        """The weights of one style (the Hindi style's for an unknown one)."""
        weights: RerankWeights = getattr(self, style, self.hindi)
        return weights


# Set on the dev split of the name pairs by `python -m khabar.eval.romanize_tune` (coordinate ascent
# over a grid, exact match of whole names; the test split untouched).
WEIGHTS = Reranking(
    hindi=RerankWeights(own=8.0, other=2.0, english=0.0, letters=0.0, unaligned=0.0),
    east=RerankWeights(own=1.0, other=0.5, english=4.0, letters=0.5, unaligned=20.0),
    south=RerankWeights(own=5.0, other=2.0, english=2.0, letters=0.35, unaligned=0.0),
)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A candidate spelling of a word with its features (see `RerankWeights`); `model` is None when
    the style's model cannot align it."""

    latin: str
    model: float | None
    own: float
    other: float
    english: float
    letters: float

    def score(self, weights: RerankWeights, best_model: float) -> float:
        """The reranking score under `weights` (`best_model`: the best model log probability of the
        word's candidates)."""
        model = self.model if self.model is not None else best_model - weights.unaligned
        return (
            model
            + weights.own * self.own
            + weights.other * self.other
            + weights.english * self.english
            + weights.letters * self.letters
        )


def decode_nbest(model: JointModel, word: str, size: int = NBEST) -> list[tuple[float, str]]:
    """The `size` most probable spellings of a word under the model with their log probabilities (each
    spelling's best alignment in a beam of `NBEST_BEAM` hypotheses, without merging spellings)."""
    start = (BOUNDARY,) * (model.order - 1)
    states: list[tuple[float, tuple[str, ...], str]] = [(0.0, start, "")]
    for symbol in symbols(word):
        options = model.spellings.get(symbol)
        choices = options[:NBEST_SPELLINGS] if options else (_fallback(symbol),)
        best: dict[tuple[tuple[str, ...], str], tuple[float, tuple[str, ...], str]] = {}
        for score, history, out in states:
            for latin in choices:
                tok = token(symbol, latin)
                value = score + math.log(model.probability(history, tok))
                nxt = (*history[1:], tok) if model.order > 1 else ()
                key = (nxt, out + latin)
                if key not in best or best[key][0] < value:
                    best[key] = (value, nxt, out + latin)
        states = sorted(best.values(), key=lambda s: -s[0])[:NBEST_BEAM]
    end = token(BOUNDARY, "")
    final: dict[str, float] = {}
    for score, history, out in states:
        value = score + math.log(model.probability(history, end))
        if final.get(out, -math.inf) < value:
            final[out] = value
    return sorted(((v, out) for out, v in final.items()), key=lambda kv: (-kv[0], kv[1]))[:size]


@lru_cache(maxsize=65536)
def candidates(word: str, style: str) -> tuple[Candidate, ...]:
    """A word's candidate spellings in a style with their features: the style's model's n-best and
    every spelling any style's word table has for it (empty without a model for the style)."""
    from khabar.analysis.english_names import english_count, english_logprob

    word = unicodedata.normalize("NFC", word)
    model = load_models().get(style)
    if model is None:
        return ()
    scored: dict[str, float | None] = {latin: lp for lp, latin in decode_nbest(model, word)}
    tables = load_style_counts()
    counts: dict[str, dict[str, float]] = {}
    for table_style in STYLES:
        for latin, n in tables.get(table_style, {}).get(word, ()):
            counts.setdefault(latin, {})[table_style] = n
            if latin not in scored:
                fit = spelling_logprob(model, word, latin)
                scored[latin] = fit if fit != -math.inf else None
    out = []
    for latin, lp in scored.items():
        by_style = counts.get(latin, {})
        own = by_style.get(style, 0.0)
        others = sum(n for s, n in by_style.items() if s != style)
        out.append(
            Candidate(
                latin,
                lp,
                math.log1p(own),
                math.log1p(others),
                math.log1p(english_count(latin)),
                english_logprob(latin),
            )
        )
    return tuple(out)


def choose_spelling(options: Sequence[Candidate], weights: RerankWeights) -> str | None:
    """The best-scoring candidate's spelling (ties: the first), or None."""
    best_model = max((o.model for o in options if o.model is not None), default=0.0)
    best: Candidate | None = None
    best_score = -math.inf
    for option in options:
        value = option.score(weights, best_model)
        if best is None or value > best_score:
            best, best_score = option, value
    return best.latin if best is not None else None


@lru_cache(maxsize=65536)
def transliterate(word: str, style: str | None = None, weights: Reranking = WEIGHTS) -> str | None:
    """The learned spelling (lower case) of one Devanagari word in a style (default: the word's own
    most probable style): the best of its candidate spellings (`candidates`: the style's model's n-best
    and the spellings the word tables have seen) reranked under `weights` by the model, the word
    tables' counts and the English side (`khabar.analysis.english_names`); None without models."""
    word = unicodedata.normalize("NFC", word)
    style = style or choose_style([word])
    if style is None:
        return None
    return choose_spelling(candidates(word, style), weights.of(style))
