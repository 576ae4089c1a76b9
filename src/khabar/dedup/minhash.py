"""Dedup fingerprints of one text: normalised form, exact hash, word shingles, MinHash, sentence hashes.

Normalisation folds each word to its spelling skeleton (`khabar.analysis.namekey.skeleton_key`: nukta,
vowel variants, nasals, halant, ZWJ/ZWNJ, glide ये/ए), so copies that differ only in spelling share
their keys; it writes digits as ASCII, drops the grouping commas and decimal points of numbers (1,20,000 = 120000; 106.13 is one
number), and
turns punctuation (danda included) and symbols into spaces. ZWJ/ZWNJ join: they never split a word.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from datasketch import LeanMinHash, MinHash

from khabar.analysis.namekey import skeleton_key

# Words per shingle. Word 3-grams were the best of 2..5 on bench/dedup_corpus.py: 2-grams make
# templated reports look alike, 4+-grams lose recall on the ~1%-words-changed copies.
SHINGLE_WORDS = 3
# MinHash permutations: 128 keeps the Jaccard estimate within about +-0.09 (2 sigma) at 1 KB a text.
NUM_PERM = 128
# Sentences shorter than this many words are not fingerprinted (datelines, one-word teasers and
# "ये भी पढ़ें" style links would otherwise link unrelated stories).
SENTENCE_MIN_WORDS = 5
# Words in each of the two anchors of a longer sentence.
ANCHOR_WORDS = 6
SEED = 1
# datasketch's permutation scheme, stored with the signatures' meaning.
SCHEME = "affine32"

# A sentence ends at a danda, ?, ! or an ellipsis (spaced or not: a footer glued to the last sentence
# is apart), at a full stop before a space, or at a line break.
_SENTENCE_END = re.compile(r"(?<=[।॥?!…])\s*|(?<=[.])\s+|\n+")
# Distinct words whose folds are kept (a few MB; a news corpus has far fewer distinct words than this).
FOLD_CACHE_WORDS = 200_000
_ZW = re.compile("[\u200c\u200d]")
# Grouping commas and decimal points inside a number are dropped, so 1,20,000 = 120000 and a price
# 106.13 stays one number (two numbers would misalign the figures of templated reports).
_GROUPED = re.compile(r"(?<=\d)[,.](?=\d)")
_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")


# Anything but letters, digits and Devanagari letters/signs (which `\w` leaves out) separates words;
# the danda and double danda are punctuation.
_NON_WORD = re.compile(r"(?:[^\w\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff]|_)+")


@lru_cache(maxsize=FOLD_CACHE_WORDS)
def _fold_word(word: str) -> str:
    return skeleton_key(word)


def fold_words(text: str) -> str:
    """The spelling fold applied to every word (replaceable in ablations): the skeleton key, word by
    word through a cache (news vocabulary repeats; the key of a text is the keys of its words, since
    no fold reaches across a space)."""
    return " ".join(key for key in map(_fold_word, text.split()) if key)


def normalize_dedup(text: str) -> str:
    """Lower-cased, folded text with punctuation and symbols turned into spaces and spaces collapsed."""
    text = _ZW.sub("", unicodedata.normalize("NFC", text))
    text = _GROUPED.sub("", text.translate(_DIGITS))
    return " ".join(_NON_WORD.sub(" ", fold_words(text).lower()).split())


def text_hash(text: str) -> str:
    """Exact-duplicate key: SHA-256 (first 16 hex digits) of the normalised text."""
    return hashlib.sha256(normalize_dedup(text).encode("utf-8")).hexdigest()[:16]


def word_shingles(text: str, n: int = SHINGLE_WORDS) -> frozenset[str]:
    """Word n-grams of the normalised text (the whole text if it is shorter than n words)."""
    return _shingles(normalize_dedup(text).split(), n)


def shingle_set(words: list[str], n: int = SHINGLE_WORDS) -> frozenset[str]:
    """Word n-grams of a word list (the whole list when it is shorter than n words)."""
    if len(words) < n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


_shingles = shingle_set


def minhash_of(shingles: frozenset[str], num_perm: int = NUM_PERM) -> MinHash:
    """A MinHash signature of a shingle set."""
    mh = MinHash(num_perm=num_perm, seed=SEED, scheme=SCHEME)
    if shingles:
        mh.update_batch([s.encode("utf-8") for s in sorted(shingles)])
    return mh


def minhash_to_bytes(mh: MinHash) -> bytes:
    """The signature's hash values as little-endian uint64 bytes."""
    return np.asarray(mh.hashvalues, dtype="<u8").tobytes()


def minhash_from_bytes(data: bytes) -> LeanMinHash:
    """A (lean, read-only) MinHash rebuilt from `minhash_to_bytes` output."""
    values = np.frombuffer(data, dtype="<u8").astype(np.uint64)
    return LeanMinHash(seed=SEED, hashvalues=values, scheme=SCHEME)


def split_dedup_sentences(text: str) -> list[str]:
    """Normalised sentences of a text (split at danda, ?, !, full stop and newlines)."""
    out = []
    for part in _SENTENCE_END.split(text):
        norm = normalize_dedup(part)
        if norm:
            out.append(norm)
    return out


split_sentences = split_dedup_sentences


def _hash64(text: str) -> int:
    value: int = struct.unpack("<q", hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest())[0]
    return value


def sentence_hashes(text: str) -> frozenset[int]:
    """Sentence anchors: 64-bit hashes of the normalised sentences of SENTENCE_MIN_WORDS words or more;
    a sentence longer than ANCHOR_WORDS + 1 words gives its first and its last ANCHOR_WORDS words
    instead, so that a dateline glued in front or a cut at the end keeps one anchor."""
    hashes = set()
    for sent in split_dedup_sentences(text):
        words = sent.split()
        if len(words) > ANCHOR_WORDS + 1:
            hashes.add(_hash64(" ".join(words[:ANCHOR_WORDS])))
            hashes.add(_hash64(" ".join(words[-ANCHOR_WORDS:])))
        elif len(words) >= SENTENCE_MIN_WORDS:
            hashes.add(_hash64(sent))
    return frozenset(hashes)


def hashes_to_bytes(hashes: frozenset[int]) -> bytes:
    """Sentence hashes packed as sorted little-endian int64."""
    return struct.pack(f"<{len(hashes)}q", *sorted(hashes))


def hashes_from_bytes(data: bytes) -> frozenset[int]:
    """Sentence hashes from `hashes_to_bytes` output."""
    return frozenset(struct.unpack(f"<{len(data) // 8}q", data))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup keeps per article: exact key, MinHash, sentence hashes and length in words, and
    (from `feature_codec.fingerprint_with_features`) its verification features as bytes."""

    text_hash: str
    minhash: bytes
    sentences: bytes
    words: int
    features: bytes | None = None


def fingerprint_text(text: str) -> Fingerprint:
    """All dedup fingerprints of a clean text."""
    norm = normalize_dedup(text)
    words = norm.split()
    return Fingerprint(
        text_hash=hashlib.sha256(norm.encode("utf-8")).hexdigest()[:16],
        minhash=minhash_to_bytes(minhash_of(_shingles(words, SHINGLE_WORDS))),
        sentences=hashes_to_bytes(sentence_hashes(text)),
        words=len(words),
    )
