"""Encoder outputs for training, cached on disk (the encoder is 100–200× slower than the CRF).

Chunks of sentences are keyed by a hash of their tokens, the layer and the model file, and stored as
float16 arrays under the cache folder (`$KHABAR_CACHE`, else `~/.cache/khabar`), so a rerun of
`khabar train ner` or of a cross-validation reuses them. The cache holds only derived numbers.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from khabar.encoder import Vectors, get_encoder, model_path

log = logging.getLogger(__name__)

CHUNK_SENTENCES = 256


def cache_dir() -> Path:
    """Where encoder outputs are cached: $KHABAR_CACHE, else ~/.cache/khabar."""
    env = os.environ.get("KHABAR_CACHE")
    return Path(env) if env else Path.home() / ".cache" / "khabar"


def _key(sentences: Sequence[Sequence[str]], layer: int) -> str:
    digest = hashlib.sha1(f"{model_path().stat().st_size}|{layer}|".encode())
    for words in sentences:
        digest.update("\x1f".join(words).encode("utf-8"))
        digest.update(b"\x1e")
    return digest.hexdigest()


def contextual_vectors(
    sentences: Sequence[Sequence[str]], layers: Sequence[int], cache: Path | None = None
) -> dict[int, list[Vectors]]:
    """Per-word encoder vectors of each sentence after each of `layers` (cached by chunk)."""
    folder = (cache or cache_dir()) / "words"
    folder.mkdir(parents=True, exist_ok=True)
    out: dict[int, list[Vectors]] = {layer: [] for layer in layers}
    total = len(sentences)
    for start in range(0, total, CHUNK_SENTENCES):
        chunk = sentences[start : start + CHUNK_SENTENCES]
        paths = {layer: folder / f"{_key(chunk, layer)}.npy" for layer in layers}
        missing = [layer for layer, path in paths.items() if not path.exists()]
        if missing:
            computed = get_encoder().word_vectors_at(chunk, missing)
            for layer in missing:
                flat = np.concatenate(computed[layer]) if chunk else np.zeros((0, 0), np.float32)
                tmp = paths[layer].with_suffix(".tmp.npy")
                np.save(tmp, flat.astype(np.float16))
                tmp.replace(paths[layer])
            log.info("encoded sentences %d-%d of %d", start, start + len(chunk), total)
        for layer in layers:
            flat32 = np.load(paths[layer]).astype(np.float32)
            offset = 0
            for words in chunk:
                out[layer].append(flat32[offset : offset + len(words)])
                offset += len(words)
    return out
