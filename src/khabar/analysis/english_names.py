"""The English side of the romaniser: how names are spelled in English, learned from English name tokens.

`lang/hi/romanize_english.tsv.gz` (built by `khabar train names`) lists the lower-case tokens of English
names with their counts: the English sides of the train split of the name pairs, the English labels of
`names/wikidata-en-hi.tsv` and the curated people of the news (never a dev or test pair). Two things
come from it, both features of the romaniser's reranking (`khabar.analysis.translit.transliterate`):

- `english_count(token)`: how often a token was seen as a word of an English name ("akram", "roy");
- `english_logprob(token)`: the log probability of its letters under a character n-gram model of
  the distinct tokens (absolute discounting interpolated down to a uniform letter), so "kamran" reads
  as a likelier English name than "kamaran" even when neither was seen.
"""

from __future__ import annotations

import gzip
import math
from dataclasses import dataclass
from functools import cache, lru_cache

from khabar.errors import KhabarError
from khabar.lang.hi import data_path

ENGLISH_FILE = "romanize_english.tsv.gz"
# Character n-gram order and absolute discount of the English letter model (set on the dev split of the
# name pairs with the reranking weights; 5 / 0.7).
LETTER_ORDER = 5
LETTER_DISCOUNT = 0.7
START, END = "^", "$"
# Letters a-z and the end mark.
_ALPHABET = 27


@cache
def load_english_tokens() -> dict[str, int]:
    """Lower-case English name token → count (empty when the table is not built)."""
    try:
        path = data_path(ENGLISH_FILE)
    except KhabarError:
        return {}
    table: dict[str, int] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            if line.startswith("#") or "\t" not in line:
                continue
            word, count = line.rstrip("\n").split("\t")[:2]
            table[word] = int(count)
    return table


def english_count(token: str) -> int:
    """How often a lower-case token is a word of a known English name."""
    return load_english_tokens().get(token, 0)


@dataclass(frozen=True, slots=True)
class LetterModel:
    """Letter n-gram counts of distinct English name tokens: history → next letter → count."""

    order: int
    discount: float
    counts: dict[str, dict[str, int]]
    totals: dict[str, int]

    def logprob(self, token: str) -> float:
        """Log probability of a token's letters and its end."""
        text = START * (self.order - 1) + token + END
        return sum(
            math.log(self._probability(text[i - self.order + 1 : i], text[i]))
            for i in range(self.order - 1, len(text))
        )

    def _probability(self, history: str, letter: str) -> float:
        prob = 1.0 / _ALPHABET
        for k in range(self.order):
            context = history[len(history) - k :] if k else ""
            counts = self.counts.get(context)
            if counts is None:
                break
            total = self.totals[context]
            prob = max(counts.get(letter, 0) - self.discount, 0.0) / total + (
                self.discount * len(counts) / total * prob
            )
        return prob


def build_letter_model(
    tokens: dict[str, int], order: int = LETTER_ORDER, discount: float = LETTER_DISCOUNT
) -> LetterModel:
    """A letter model from token types (each distinct token counts once)."""
    counts: dict[str, dict[str, int]] = {}
    for token in tokens:
        text = START * (order - 1) + token + END
        for i in range(order - 1, len(text)):
            for k in range(order):
                row = counts.setdefault(text[i - k : i], {})
                row[text[i]] = row.get(text[i], 0) + 1
    return LetterModel(order, discount, counts, {h: sum(c.values()) for h, c in counts.items()})


@cache
def load_letter_model() -> LetterModel | None:
    """The letter model of the shipped English name tokens, or None without them."""
    tokens = load_english_tokens()
    return build_letter_model(tokens) if tokens else None


@lru_cache(maxsize=65536)
def english_logprob(token: str) -> float:
    """Log probability of a lower-case token under the English letter model (0.0 without it)."""
    model = load_letter_model()
    return model.logprob(token) if model is not None else 0.0
