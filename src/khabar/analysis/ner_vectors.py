"""Pretrained-knowledge features for the NER model, in two modes.

- `fast` (the default): static word clusters distilled from the encoder at training time. Every word
  of the training text, the gazetteers and the wordfreq Hindi list was run through multilingual-e5-small
  on its own; its vector (projected to `dim` dimensions) was clustered by k-means at several
  granularities, and the cluster ids ship in `ner_word_clusters_gen.tsv`. A word not in that table gets
  its vector from its SentencePiece pieces (the pieces' input embeddings mapped into the same space by
  a ridge regression fitted on the table's words; shipped in `models/ner_vectors.npz`) and the nearest
  centroids. No encoder runs at tagging time.
- `accurate`: contextual vectors of each word in its sentence from the encoder (`khabar.encoder`),
  projected and clustered the same way (centroids fitted on the training text), on top of the `fast`
  features.

Both give feature strings per token (`v64=17`, `-1v256=3`, `x256=40`, …) for `extract_features`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Literal

import numpy as np
import numpy.typing as npt

from khabar.encoder import unigram_segment
from khabar.errors import InputError, ModelError
from khabar.lang.hi import data_path, read_table

NerMode = Literal["plain", "fast", "accurate"]
MODES: tuple[str, ...] = ("plain", "fast", "accurate")
DEFAULT_MODE: NerMode = "fast"
VECTORS_FILE = "models/ner_vectors.npz"
HEAD_FILE = "models/ner_accurate_head.npz"
# The head's labels, in the order of its outputs.
HEAD_LABELS = ("O", *sorted(f"{p}-{t}" for p in "BILU" for t in ("LOCATION", "ORGANIZATION", "PERSON")))
CLUSTERS_FILE = "ner_word_clusters_gen.tsv"
METASPACE = "\u2581"
# Neighbours whose mid-granularity cluster is a feature of a token.
NEIGHBOUR_OFFSETS = (-1, 1)
# Distinct unseen words whose fallback clusters stay cached.
FALLBACK_CACHE_SIZE = 100_000

Array = npt.NDArray[np.float32]


def check_mode(mode: str) -> NerMode:
    """`mode` if it is one of `MODES`, else a one-line `InputError`."""
    if mode not in MODES:
        raise InputError(f"unknown NER mode {mode!r}; expected one of {', '.join(MODES)}")
    return mode  # type: ignore[return-value]


USER_MODES: tuple[str, ...] = ("fast", "accurate")


def check_user_mode(mode: str) -> str:
    """`mode` if it is a mode the package ships (`fast`, `accurate`), else a one-line `InputError`."""
    if mode not in USER_MODES:
        raise InputError(f"--ner: expected fast or accurate, got {mode!r}")
    return mode


@dataclass(frozen=True, slots=True)
class VectorTables:
    """What the two modes need at tagging time (built by `khabar train ner`)."""

    granularities: tuple[int, ...]
    centroids: tuple[Array, ...]  # per granularity [k, dim], L2-normalised rows
    pieces: dict[str, tuple[int, float]]  # piece → (row in piece_vectors, unigram score)
    piece_vectors: Array  # [n_pieces, dim]: input embeddings mapped into the static space
    unk_score: float
    longest_piece: int
    context_layer: int
    context_mean: Array  # [384]
    context_components: Array  # [384, dim]
    context_centroids: tuple[Array, ...]  # per granularity [k, dim]


@cache
def load_tables() -> VectorTables:
    """The shipped vector tables (one load per process)."""
    path = data_path(VECTORS_FILE)
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path}: {exc} (rebuild: khabar train ner)") from None
    grans = tuple(int(k) for k in data["granularities"])
    names = str(data["pieces"]).split("\n")
    scores = data["piece_scores"]
    pieces = {name: (i, float(scores[i])) for i, name in enumerate(names)}
    return VectorTables(
        granularities=grans,
        centroids=tuple(data[f"centroids_{k}"].astype(np.float32) for k in grans),
        pieces=pieces,
        piece_vectors=data["piece_vectors"].astype(np.float32),
        unk_score=float(data["unk_score"]),
        longest_piece=max(len(p) for p in names),
        context_layer=int(data["context_layer"]),
        context_mean=data["context_mean"].astype(np.float32),
        context_components=data["context_components"].astype(np.float32),
        context_centroids=tuple(data[f"context_centroids_{k}"].astype(np.float32) for k in grans),
    )


@cache
def load_word_clusters() -> dict[str, tuple[int, ...]]:
    """Folded word → its static cluster id at each granularity."""
    return {row[0]: tuple(int(c) for c in row[1:]) for row in read_table(CLUSTERS_FILE) if len(row) > 1}


def segment(word: str, tables: VectorTables) -> list[int]:
    """Rows of `tables.piece_vectors` for the best-scoring split of a word into known pieces."""
    ids = unigram_segment(METASPACE + word, tables.pieces, tables.longest_piece, tables.unk_score, -1)
    return [row for row in ids if row >= 0]


def nearest(vectors: Array, centroids: Sequence[Array]) -> list[tuple[int, ...]]:
    """Per row of `vectors`, the nearest centroid (cosine) at each granularity."""
    norm = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
    ids = [np.argmax(norm @ c.T, axis=1) for c in centroids]
    return [tuple(int(g[i]) for g in ids) for i in range(len(vectors))]


@lru_cache(maxsize=FALLBACK_CACHE_SIZE)
def fallback_clusters(key: str) -> tuple[int, ...]:
    """Static clusters of a word missing from the table, from its pieces (deterministic)."""
    tables = load_tables()
    rows = segment(key, tables)
    if not rows:
        return tuple(-1 for _ in tables.granularities)
    vector = tables.piece_vectors[rows].mean(axis=0, keepdims=True)
    return nearest(vector, tables.centroids)[0]


def static_clusters(key: str) -> tuple[int, ...]:
    """The static cluster ids of a folded word (from the table, else from its pieces)."""
    found = load_word_clusters().get(key)
    return found if found is not None else fallback_clusters(key)


def _cluster_features(ids: Sequence[tuple[int, ...]], grans: Sequence[int], prefix: str) -> list[list[str]]:
    """Feature strings of per-token cluster ids: every granularity for the token, the middle one for
    its neighbours."""
    middle = len(grans) // 2
    out: list[list[str]] = []
    n = len(ids)
    for i in range(n):
        feats = [f"{prefix}{k}={c}" for k, c in zip(grans, ids[i], strict=True)]
        for off in NEIGHBOUR_OFFSETS:
            j = i + off
            if 0 <= j < n:
                feats.append(f"{off}{prefix}{grans[middle]}={ids[j][middle]}")
        out.append(feats)
    return out


def fast_features(keys: Sequence[str]) -> list[list[str]]:
    """`fast`-mode features of a sentence's folded words."""
    tables = load_tables()
    return _cluster_features([static_clusters(k) for k in keys], tables.granularities, "v")


def context_clusters(vectors: Array) -> list[tuple[int, ...]]:
    """Contextual cluster ids of a sentence's encoder vectors (after `context_layer`)."""
    tables = load_tables()
    projected = (vectors - tables.context_mean) @ tables.context_components
    return nearest(projected.astype(np.float32), tables.context_centroids)


@dataclass(frozen=True, slots=True)
class Head:
    """A softmax regression from a word's contextual vector to its BILOU label (`khabar.train.ner_head`)."""

    names: tuple[str, ...]
    mean: Array
    scale: Array
    weights: Array
    bias: Array

    def probabilities(self, vectors: Array) -> Array:
        """Label probabilities [n, len(names)] of word vectors [n, dim]."""
        logits = ((vectors - self.mean) / self.scale) @ self.weights + self.bias
        logits -= logits.max(axis=1, keepdims=True)
        p = np.exp(logits)
        return np.asarray(p / p.sum(axis=1, keepdims=True), dtype=np.float32)


@cache
def load_head() -> Head:
    """The shipped head of the `accurate` model."""
    path = data_path(HEAD_FILE)
    try:
        data = np.load(path, allow_pickle=False)
    except (OSError, ValueError) as exc:
        raise ModelError(f"cannot read {path}: {exc} (rebuild: khabar train ner)") from None
    return Head(
        tuple(str(data["names"]).split("\n")),
        data["mean"].astype(np.float32),
        data["scale"].astype(np.float32),
        data["weights"].astype(np.float32),
        data["bias"].astype(np.float32),
    )


def head_features(probs: Array, names: Sequence[str]) -> list[list[str]]:
    """The head's top label and its probability band for each word, and its neighbours' top labels."""
    top = np.argmax(probs, axis=1)
    labels = [names[int(t)] for t in top]
    out: list[list[str]] = []
    n = len(labels)
    for i in range(n):
        feats = [f"h={labels[i]}", f"hp={min(int(probs[i, top[i]] * 10), 9)}"]
        for off in NEIGHBOUR_OFFSETS:
            if 0 <= i + off < n:
                feats.append(f"{off}h={labels[i + off]}")
        out.append(feats)
    return out


def accurate_features(
    tokens: Sequence[str],
    keys: Sequence[str],
    vectors: Array | None = None,
    probs: Array | None = None,
) -> list[list[str]]:
    """`accurate`-mode features: the `fast` ones, contextual clusters and the head's predictions
    (`vectors`, if given, are the encoder's word vectors of the sentence, else the encoder runs; `probs`
    replaces the shipped head's predictions, as cross-fitting does in training)."""
    tables = load_tables()
    if vectors is None:
        from khabar.encoder import get_encoder

        vectors = get_encoder().word_vectors([list(tokens)], tables.context_layer)[0]
    ctx = _cluster_features(context_clusters(vectors), tables.granularities, "x")
    if probs is None:
        probs = load_head().probabilities(vectors)
    heads = head_features(probs, HEAD_LABELS)
    return [a + b + c for a, b, c in zip(fast_features(keys), ctx, heads, strict=True)]
