"""Train the joint n-gram transliterator (`khabar.analysis.translit`), one model per spelling style.

1. Word pairs per style: every Hindi name word with the English word in the same position, from
   train-split name pairs whose word counts agree — `east` (election candidates of West Bengal and
   Assam), `south` (Tamil Nadu, Puducherry, Kerala) — and `hindi`: Dakshina's train words (attested
   counts capped at `DAKSHINA_CAP`) with the press spellings of cricketers' names and surnames and of
   the curated people of the news (`curated_entities.tsv`). Dev and test pairs are never read here.
2. Alignment by EM: each symbol spells 0–3 Latin letters (a consonant one or more letters and no
   vowel, the schwa at most one vowel); the prior favours the rule table's spelling (`romanize_chars.tsv`),
   and a few rounds of expectation-maximisation learn how names really spell each symbol. Each pair's
   most probable alignment is kept; pairs that cannot be aligned (abbreviations: मो. → Md) are left out.
3. Counts of joint-token n-grams up to `ORDER` per style, written to `lang/hi/romanize_model.tsv.gz`,
   and each style's spellings of every training word with their counts, to
   `lang/hi/romanize_lexicon.tsv.gz`.
4. The English name tokens with their counts (`lang/hi/romanize_english.tsv.gz`, read by
   `khabar.analysis.english_names`): the English sides of the train split's name pairs, the curated
   people and Wikidata's English labels.
"""

from __future__ import annotations

import gzip
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

from khabar.analysis.english_names import ENGLISH_FILE
from khabar.analysis.translit import (
    BOUNDARY,
    LEXICON_FILE,
    MODEL_FILE,
    SCHWA,
    STYLE_FILE,
    STYLES,
    char_grams,
    symbols,
    token,
)
from khabar.train.names import NamePair, aligned_tokens, edit_distance, split_of

# n-gram order and discount. Cross-validation on the train split's name pairs (3 folds, 8,034 held-out
# pairs, `python -m khabar.eval.romanize_cv`) prefers order 3 with discount 0.8 (42.72 % exact; 4/0.5
# 41.83 %, 3/0.5 42.38 %, 5/0.5 40.75 %, 3/0.3 42.16 %), but those pairs are mostly Bengal and South
# Indian candidates; on the news names of the entity gold set's dev part order 3 spelled Hindi names
# worse (persons 74.1 → 70.5 %: "Ramanresh", "Pandaye"), so 4/0.5 stays until each style gets its own.
ORDER = 4
DISCOUNT = 0.5
EM_ROUNDS = 4
MAX_PIECE = 3
# Prior weight of a spelling: exp(-PRIOR_SHARPNESS * its edit distance from the rule spelling).
PRIOR_SHARPNESS = 2.0
VOWELS = frozenset("aeiou")
# A Dakshina spelling counts at most this often (its counts are attestations by several annotators).
DAKSHINA_CAP = 3
REGION_STYLES = {
    "West Bengal": "east",
    "Assam": "east",
    "Tamil Nadu": "south",
    "Puducherry": "south",
    "Kerala": "south",
}


_ENGLISH_SPLIT = re.compile(r"[^A-Za-z]+")
# A cricketer's or curated person's name (a press spelling) counts this many times in the Hindi data.
CRICKETER_WEIGHT = 3


def style_of(pair: NamePair) -> str:
    """The spelling style of a name pair: the candidate's region (east, south), or `hindi` for
    cricketers (press spellings, the style of Hindi news)."""
    if pair.source.startswith("cricketer"):
        return "hindi"
    return REGION_STYLES.get(pair.region, "east")


def training_pairs(
    pairs: list[NamePair], dakshina: dict[str, Counter[str]], cap: int | None = DAKSHINA_CAP
) -> dict[str, Counter[tuple[str, str]]]:
    """Style → (Hindi word, English word) counts: train-split name pairs, and Dakshina for `hindi`
    (each attested count capped at `cap`: the model's counts; None: uncapped, the word table's)."""
    counts: dict[str, Counter[tuple[str, str]]] = {style: Counter() for style in STYLES}
    for pair in pairs:
        if split_of(pair.hindi) != "train":
            continue
        weight = CRICKETER_WEIGHT if pair.source.startswith("cricketer") else 1
        for hindi, english in aligned_tokens(pair.hindi, pair.english):
            counts[style_of(pair)][(hindi, english)] += weight
    for hindi, options in dakshina.items():
        for latin, n in options.items():
            counts["hindi"][(hindi, latin)] += min(n, cap) if cap is not None else n
    for hindi, english in curated_people():
        for word, latin in aligned_tokens(hindi, english):
            counts["hindi"][(word, latin)] += CRICKETER_WEIGHT
    return counts


def curated_people() -> list[tuple[str, str]]:
    """(Hindi, English) names of the people in `curated_entities.tsv` (press spellings of the news)."""
    from khabar.lang.hi import read_table

    return [(r[0], r[1]) for r in read_table("curated_entities.tsv") if len(r) > 2 and r[2] == "PERSON"]


def _rule_spelling(symbol: str) -> str:
    from khabar.analysis.translit import _fallback

    return _fallback(symbol)


def allowed(symbol: str, piece: str) -> bool:
    """Whether a symbol may spell this piece: a consonant one to three letters and no vowel, the schwa
    at most one vowel, anything at most `MAX_PIECE` letters."""
    if len(piece) > MAX_PIECE:
        return False
    if symbol == SCHWA:
        return piece == "" or piece in VOWELS
    if "\u0915" <= symbol[0] <= "\u0939" or "\u0958" <= symbol[0] <= "\u095f":
        return bool(piece) and not any(ch in VOWELS for ch in piece)
    return True


class Aligner:
    """EM estimates of P(piece | symbol) with a rule-based prior."""

    def __init__(self) -> None:
        self.table: dict[str, dict[str, float]] | None = None
        self._prior: dict[tuple[str, str], float] = {}

    def prior(self, symbol: str, piece: str) -> float:
        key = (symbol, piece)
        value = self._prior.get(key)
        if value is None:
            value = 0.0
            if allowed(symbol, piece):
                value = math.exp(-PRIOR_SHARPNESS * edit_distance(piece, _rule_spelling(symbol)))
            self._prior[key] = value
        return value

    def p(self, symbol: str, piece: str) -> float:
        if self.table is None or symbol not in self.table:
            return self.prior(symbol, piece) * (0.01 if self.table is not None else 1.0)
        return self.table[symbol].get(piece, 0.0)

    def round(self, data: list[tuple[list[str], str, int]]) -> None:
        """One expectation-maximisation round over (symbols, latin, weight) items."""
        expected: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
        for syms, latin, weight in data:
            n, m = len(syms), len(latin)
            if m > MAX_PIECE * n:
                continue
            fwd = [[0.0] * (m + 1) for _ in range(n + 1)]
            fwd[0][0] = 1.0
            for i, s in enumerate(syms):
                for j in range(m + 1):
                    if fwd[i][j]:
                        for k in range(min(MAX_PIECE, m - j) + 1):
                            fwd[i + 1][j + k] += fwd[i][j] * self.p(s, latin[j : j + k])
            total = fwd[n][m]
            if total <= 0:
                continue
            bwd = [[0.0] * (m + 1) for _ in range(n + 1)]
            bwd[n][m] = 1.0
            for i in range(n - 1, -1, -1):
                s = syms[i]
                for j in range(m + 1):
                    acc = 0.0
                    for k in range(min(MAX_PIECE, m - j) + 1):
                        b = bwd[i + 1][j + k]
                        if b:
                            v = self.p(s, latin[j : j + k]) * b
                            acc += v
                            if fwd[i][j]:
                                expected[s][latin[j : j + k]] += weight * fwd[i][j] * v / total
                    bwd[i][j] = acc
        table: dict[str, dict[str, float]] = {}
        for s, pieces in expected.items():
            z = sum(pieces.values())
            table[s] = {piece: v / z for piece, v in pieces.items() if v / z > 1e-4}
        self.table = table

    def best(self, syms: list[str], latin: str) -> list[str] | None:
        """The most probable split of `latin` into one piece per symbol, or None."""
        n, m = len(syms), len(latin)
        if m > MAX_PIECE * n:
            return None
        neg = -math.inf
        score = [[neg] * (m + 1) for _ in range(n + 1)]
        back = [[0] * (m + 1) for _ in range(n + 1)]
        score[0][0] = 0.0
        for i, s in enumerate(syms):
            for j in range(m + 1):
                if score[i][j] == neg:
                    continue
                for k in range(min(MAX_PIECE, m - j) + 1):
                    p = self.p(s, latin[j : j + k])
                    if p > 0 and score[i][j] + math.log(p) > score[i + 1][j + k]:
                        score[i + 1][j + k] = score[i][j] + math.log(p)
                        back[i + 1][j + k] = k
        if score[n][m] == neg:
            return None
        out: list[str] = []
        j = m
        for i in range(n, 0, -1):
            k = back[i][j]
            out.append(latin[j - k : j])
            j -= k
        return out[::-1]


def count_ngrams(
    aligned: list[tuple[list[str], list[str], int]], order: int = ORDER
) -> dict[tuple[str, ...], dict[str, float]]:
    """Joint-token n-gram counts (histories of up to order-1 tokens)."""
    counts: dict[tuple[str, ...], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for syms, pieces, weight in aligned:
        toks = [BOUNDARY] * (order - 1) + [token(s, p) for s, p in zip(syms, pieces, strict=True)]
        toks.append(token(BOUNDARY, ""))
        for i in range(order - 1, len(toks)):
            for k in range(order):
                counts[tuple(toks[i - k : i])][toks[i]] += weight
    return {h: dict(c) for h, c in counts.items()}


def ilner_person_names(data: Path) -> list[list[str]]:
    """The words of the person names tagged in IL-NER's train file (Hindi text: mostly Hindi-belt names)."""
    names: list[list[str]] = []
    current: list[str] = []
    path = data / "il-ner" / "train.txt"
    if not path.is_file():
        return names
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = line.split("\t")
        tag = cells[1] if len(cells) > 1 else ""
        if tag.endswith("NEP") and not (tag.startswith("B") and current):
            current.append(cells[0])
            continue
        if current:
            names.append(current)
        current = [cells[0]] if tag.endswith("NEP") else []
    if current:
        names.append(current)
    return names


def train_style_classifier(pairs: list[NamePair], data: Path, folder: Path) -> dict[str, int]:
    """Character n-gram counts per spelling style (`khabar.analysis.translit.choose_style`): train-split
    candidates' names (east, south) and IL-NER train's person names (hindi); written to `STYLE_FILE`."""
    names: dict[str, list[list[str]]] = {style: [] for style in STYLES}
    for pair in pairs:
        if pair.source == "candidates" and split_of(pair.hindi) == "train":
            names[style_of(pair)].append(pair.hindi.split())
    names["hindi"].extend(ilner_person_names(data))
    lines = [
        "# Character n-gram counts of names per spelling style, built by `khabar train names` from the",
        "# train split of the election-candidate names (in-rolls/indicate, MIT) and IL-NER train's person",
        "# names (CC BY 4.0, LTRC IIIT Hyderabad): style, n-gram, count.",
    ]
    summary: dict[str, int] = {}
    for style in STYLES:
        counts: Counter[str] = Counter()
        for words in names[style]:
            for word in words:
                counts.update(char_grams(word))
        lines += [f"{style}\t{g}\t{n}" for g, n in sorted(counts.items())]
        summary[style] = len(names[style])
    with gzip.GzipFile(folder / STYLE_FILE, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return summary


def train_translit(
    pairs: list[NamePair],
    dakshina: dict[str, Counter[str]],
    folder: Path,
    order: int = ORDER,
    discount: float = DISCOUNT,
    extra_english: Iterable[tuple[str, str]] = (),
) -> dict[str, object]:
    """Align all styles' word pairs with one EM aligner, count each style's n-grams (up to `order`,
    absolute `discount`), write the model, the word table and the English name-token table (with
    `extra_english` (Hindi, English) names) into `folder`; returns a summary."""
    words = training_pairs(pairs, dakshina)
    table = training_pairs(pairs, dakshina, cap=None)
    aligner = Aligner()
    em_data = [(symbols(h), e, n) for style in STYLES for (h, e), n in sorted(words[style].items())]
    for _ in range(EM_ROUNDS):
        aligner.round(em_data)
    lines = [
        "# Joint n-gram transliteration models built by `khabar train names` from the train split of the",
        "# name pairs (in-rolls/indicate, MIT) and Dakshina's train file (CC BY-SA 4.0, Google):",
        "# style, history tokens, token, count. Tokens are symbol=latin.",
        f"# order={order} discount={discount}",
    ]
    lexicon = [
        "# Romaniser word table built by `khabar train names` (same sources as romanize_model.tsv.gz): a",
        "# word's spellings in one style with their counts (Dakshina's uncapped). hindi\tstyle\tlatin\tcount",
    ]
    summary: dict[str, object] = {}
    for style in STYLES:
        aligned: list[tuple[list[str], list[str], int]] = []
        spellings: dict[str, Counter[str]] = defaultdict(Counter)
        for (hindi, latin), n in sorted(table[style].items()):
            spellings[hindi][latin] += n
        for (hindi, latin), n in sorted(words[style].items()):
            syms = symbols(hindi)
            pieces = aligner.best(syms, latin)
            if pieces is not None:
                aligned.append((syms, pieces, n))
        counts = count_ngrams(aligned, order)
        for history in sorted(counts):
            for tok in sorted(counts[history]):
                lines.append(f"{style}\t{' '.join(history)}\t{tok}\t{counts[history][tok]:g}")
        for hindi in sorted(spellings):
            ranked = sorted(
                sorted(spellings[hindi].items(), reverse=True), key=lambda kv: (-kv[1], len(kv[0]))
            )
            for latin, n in ranked:  # most frequent first; ties: the shorter, then the later in the alphabet
                lexicon.append(f"{hindi}\t{style}\t{latin}\t{n:g}")
        summary[style] = {
            "word_pairs": len(words[style]),
            "aligned": len(aligned),
            "ngrams": sum(len(c) for c in counts.values()),
        }
    model_path = folder / MODEL_FILE
    with gzip.GzipFile(model_path, "wb", mtime=0) as handle:  # mtime 0: the same bytes on every build
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    with gzip.GzipFile(folder / LEXICON_FILE, "wb", mtime=0) as handle:
        handle.write(("\n".join(lexicon) + "\n").encode("utf-8"))
    summary["model_bytes"] = model_path.stat().st_size
    summary["lexicon_spellings"] = len(lexicon) - 2
    summary["english_tokens"] = write_english_tokens(english_tokens(pairs, extra_english), folder)
    return summary


def english_tokens(pairs: list[NamePair], extra: Iterable[tuple[str, str]] = ()) -> Counter[str]:
    """Lower-case tokens (initials too) of English names: the train split of the name pairs, and
    the curated people of the news and `extra` (Hindi, English) names (Wikidata's labels) whose Hindi
    is not the Hindi of a held-back (dev or test) pair."""
    held = {unicodedata.normalize("NFC", p.hindi) for p in pairs if split_of(p.hindi) != "train"}
    names = [p.english for p in pairs if split_of(p.hindi) == "train"]
    for hindi, english in [*curated_people(), *extra]:
        if unicodedata.normalize("NFC", hindi) not in held:
            names.append(english)
    counts: Counter[str] = Counter()
    for name in names:
        for word in _ENGLISH_SPLIT.split(name.lower()):
            if word.isascii() and word.isalpha():
                counts[word] += 1
    return counts


def write_english_tokens(counts: Counter[str], folder: Path) -> int:
    """Write the English name-token table (`khabar.analysis.english_names`); returns its size."""
    lines = [
        "# English name tokens with counts, built by `khabar train names` from the train split of the name",
        "# pairs (in-rolls/indicate, MIT), the curated people of lang/hi and Wikidata's English labels (CC0).",
    ]
    lines += [f"{word}\t{n}" for word, n in sorted(counts.items())]
    with gzip.GzipFile(folder / ENGLISH_FILE, "wb", mtime=0) as handle:
        handle.write(("\n".join(lines) + "\n").encode("utf-8"))
    return len(counts)
