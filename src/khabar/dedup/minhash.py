"""Dedup fingerprints of one text: normalised form, exact hash, word shingles, MinHash, sentence hashes.

Normalisation keeps letters, digits and every Devanagari sign (vowel signs, virama, nukta, anusvara)
and turns punctuation (danda included) and symbols into spaces, so Devanagari words are never split at
a vowel sign or virama.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
from dataclasses import dataclass

import numpy as np
from datasketch import LeanMinHash, MinHash

# Words per shingle. Word 3-grams were the best of 2..5 on bench/dedup_corpus.py: 2-grams make
# templated reports look alike, 4+-grams lose recall on the ~1%-words-changed copies.
SHINGLE_WORDS = 3
# MinHash permutations: 128 keeps the Jaccard estimate within about +-0.09 (2 sigma) at 1 KB a text.
NUM_PERM = 128
# Sentences shorter than this many words are not fingerprinted (datelines, one-word teasers and
# "ये भी पढ़ें" style links would otherwise link unrelated stories).
SENTENCE_MIN_WORDS = 5
SEED = 1
# datasketch's permutation scheme, stored with the signatures' meaning.
SCHEME = "affine32"

_SENTENCE_END = re.compile(r"(?<=[।॥?!])\s+|(?<=[.])\s+|\n+")


# Anything but letters, digits and Devanagari letters/signs (which `\w` leaves out) separates words;
# the danda and double danda are punctuation.
_NON_WORD = re.compile(r"(?:[^\w\u0900-\u0963\u0966-\u097f\ua8e0-\ua8ff]|_)+")


def normalize_dedup(text: str) -> str:
    """Lower-cased NFC text with punctuation and symbols turned into spaces and spaces collapsed."""
    return " ".join(_NON_WORD.sub(" ", unicodedata.normalize("NFC", text).lower()).split())


def text_hash(text: str) -> str:
    """Exact-duplicate key: SHA-256 (first 16 hex digits) of the normalised text."""
    return hashlib.sha256(normalize_dedup(text).encode("utf-8")).hexdigest()[:16]


def word_shingles(text: str, n: int = SHINGLE_WORDS) -> frozenset[str]:
    """Word n-grams of the normalised text (the whole text if it is shorter than n words)."""
    return _shingles(normalize_dedup(text).split(), n)


def _shingles(words: list[str], n: int) -> frozenset[str]:
    if len(words) < n:
        return frozenset([" ".join(words)]) if words else frozenset()
    return frozenset(" ".join(words[i : i + n]) for i in range(len(words) - n + 1))


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


def sentence_hashes(text: str) -> frozenset[int]:
    """64-bit hashes of the normalised sentences with at least SENTENCE_MIN_WORDS words."""
    hashes = set()
    for sent in split_dedup_sentences(text):
        if len(sent.split()) >= SENTENCE_MIN_WORDS:
            digest = hashlib.blake2b(sent.encode("utf-8"), digest_size=8).digest()
            hashes.add(struct.unpack("<q", digest)[0])
    return frozenset(hashes)


def hashes_to_bytes(hashes: frozenset[int]) -> bytes:
    """Sentence hashes packed as sorted little-endian int64."""
    return struct.pack(f"<{len(hashes)}q", *sorted(hashes))


def hashes_from_bytes(data: bytes) -> frozenset[int]:
    """Sentence hashes from `hashes_to_bytes` output."""
    return frozenset(struct.unpack(f"<{len(data) // 8}q", data))


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """What dedup keeps per article: exact key, MinHash, sentence hashes and length in words."""

    text_hash: str
    minhash: bytes
    sentences: bytes
    words: int


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
