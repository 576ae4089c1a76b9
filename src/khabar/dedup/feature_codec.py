"""Verification features stored with an article, so that linking a new article never recomputes
those of the stored ones it is verified against.

`fingerprint_with_features` computes an article's dedup fingerprint and its verification features
(`verify.text_features`) in one pass over the text (they share the normalised words, the 3-grams
and the sentence anchors). `features_to_bytes` writes the features compactly and safely (JSON, the
3-grams once with the sentences as indices into them, zlib; about 2 KB for a 300-word text), and
`features_from_bytes` reads them back equal, or gives None for bytes of another `FEATURES_VERSION`
(the caller then computes them from the text).
"""

from __future__ import annotations

import hashlib
import json
import zlib
from typing import Any

from khabar.dedup.minhash import Fingerprint, hashes_to_bytes, minhash_of, minhash_to_bytes
from khabar.dedup.verify import TextFeatures, features_and_words

# The meaning of stored features: raise it whenever `verify.text_features` (or what it reads: the
# normalisation, the frequent-word lists, the sentence rules) changes what it computes.
FEATURES_VERSION = 1
_MAGIC = b"KF"


def features_to_bytes(features: TextFeatures) -> bytes:
    """The features as bytes (`features_from_bytes` reads them back)."""
    grams = sorted(features.shingles.union(*features.sentences))
    index = {g: i for i, g in enumerate(grams)}
    data = {
        "g": grams,
        "h": sorted(index[g] for g in features.shingles),
        "s": [sorted(index[g] for g in sent) for sent in features.sentences],
        "n": [sorted(x) for x in features.sentence_numbers],
        "c": [sorted(x) for x in features.sentence_words],
        "b": list(features.sentence_blocks),
        "N": sorted(features.numbers),
        "W": sorted(features.words),
        "z": features.body_size,
        "f": [[*key, sorted(values)] for key, values in features.figures.items()],
        "k": sorted(features.sentence_keys),
    }
    body = json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return _MAGIC + bytes([FEATURES_VERSION]) + zlib.compress(body, 6)


def features_from_bytes(blob: bytes | None) -> TextFeatures | None:
    """Features from `features_to_bytes` output; None when there are none or they are of another version."""
    if not blob or blob[:2] != _MAGIC or blob[2] != FEATURES_VERSION:
        return None
    data: dict[str, Any] = json.loads(zlib.decompress(blob[3:]))
    grams = data["g"]
    return TextFeatures(
        shingles=frozenset(grams[i] for i in data["h"]),
        sentences=tuple(frozenset(grams[i] for i in sent) for sent in data["s"]),
        sentence_numbers=tuple(frozenset(x) for x in data["n"]),
        sentence_words=tuple(frozenset(x) for x in data["c"]),
        sentence_blocks=tuple(data["b"]),
        numbers=frozenset(data["N"]),
        words=frozenset(data["W"]),
        body_size=int(data["z"]),
        figures={(a, b, c): frozenset(values) for a, b, c, values in data["f"]},
        sentence_keys=frozenset(data["k"]),
    )


def fingerprint_with_features(text: str) -> Fingerprint:
    """`minhash.fingerprint_text` of a clean text, with its verification features (`features`)."""
    features, words = features_and_words(text)
    return Fingerprint(
        text_hash=hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:16],
        minhash=minhash_to_bytes(minhash_of(features.shingles)),
        sentences=hashes_to_bytes(features.sentence_keys),
        words=len(words),
        features=features_to_bytes(features),
    )
