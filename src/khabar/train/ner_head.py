"""A small supervised head on the encoder's contextual word vectors (`accurate` mode), stacked under the CRF.

A multinomial logistic regression (numpy, Adam, fixed seed) predicts each word's BILOU label from its
contextual vector; its top label and a probability band become CRF features. The CRF's training
sentences get the predictions of heads fitted without them (cross-fitting over `HEAD_FOLDS` folds, as
the entity gazetteer is jackknifed), so the CRF learns how far the head can be trusted on unseen text;
the shipped head (`models/ner_accurate_head.npz`) is fitted on all of train.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

from khabar.analysis.ner_vectors import HEAD_LABELS, Head
from khabar.eval.ner import TaggedSentence

Array = npt.NDArray[np.float32]
HEAD_FOLDS = 5
EPOCHS = 8
BATCH = 512
LEARNING_RATE = 0.003
L2 = 1e-4
SEED = 1


def _labels(train: Sequence[TaggedSentence]) -> tuple[list[str], npt.NDArray[np.int64]]:
    from khabar.train.ner import to_bilou

    names = list(HEAD_LABELS)
    index = {n: i for i, n in enumerate(names)}
    return names, np.array([index[t] for s in train for t in to_bilou(s.tags)], dtype=np.int64)


def fit_head(vectors: Array, labels: npt.NDArray[np.int64], names: Sequence[str], seed: int = SEED) -> Head:
    """Softmax regression of `labels` on standardised `vectors` (rows: words)."""
    rng = np.random.default_rng(seed)
    mean = vectors.mean(axis=0)
    scale = vectors.std(axis=0) + 1e-6
    x = ((vectors - mean) / scale).astype(np.float32)
    n, d = x.shape
    k = len(names)
    w = np.zeros((d, k), dtype=np.float32)
    b = np.zeros(k, dtype=np.float32)
    m = [np.zeros_like(w), np.zeros_like(b)]
    v = [np.zeros_like(w), np.zeros_like(b)]
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(n)
        for start in range(0, n, BATCH):
            idx = order[start : start + BATCH]
            logits = x[idx] @ w + b
            logits -= logits.max(axis=1, keepdims=True)
            p = np.exp(logits)
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(idx)), labels[idx]] -= 1.0
            grads = [x[idx].T @ p / len(idx) + L2 * w, p.mean(axis=0)]
            step += 1
            for j, (param, g) in enumerate(zip((w, b), grads, strict=True)):
                m[j] = 0.9 * m[j] + 0.1 * g
                v[j] = 0.999 * v[j] + 0.001 * g * g
                mhat = m[j] / (1 - 0.9**step)
                vhat = v[j] / (1 - 0.999**step)
                param -= (LEARNING_RATE * mhat / (np.sqrt(vhat) + 1e-8)).astype(np.float32)
    return Head(tuple(names), mean.astype(np.float32), scale.astype(np.float32), w, b)


def cross_fitted_predictions(
    train: Sequence[TaggedSentence], vectors: Mapping[tuple[str, ...], Array]
) -> tuple[Head, dict[tuple[str, ...], npt.NDArray[np.float32]]]:
    """The head fitted on all of `train`, and each training sentence's label probabilities from a head
    fitted without its fold."""
    from khabar.train.ner import JACKKNIFE_BLOCK, fold_indices

    names, labels = _labels(train)
    stacked = np.concatenate([vectors[tuple(s.tokens)] for s in train]).astype(np.float32)
    bounds = np.cumsum([0, *(len(s.tokens) for s in train)])
    out: dict[tuple[str, ...], npt.NDArray[np.float32]] = {}
    for fold in fold_indices(len(train), HEAD_FOLDS, JACKKNIFE_BLOCK):
        held = set(fold)
        rows = np.concatenate(
            [np.arange(bounds[i], bounds[i + 1]) for i in range(len(train)) if i not in held]
        )
        head = fit_head(stacked[rows], labels[rows], names)
        for i in fold:
            out[tuple(train[i].tokens)] = head.probabilities(stacked[bounds[i] : bounds[i + 1]])
    return fit_head(stacked, labels, names), out


def save_head(head: Head, path: Path) -> None:
    """Write a head as an .npz archive (deterministic bytes)."""
    from khabar.train.ner_vectors import write_npz

    write_npz(
        path,
        {
            "names": np.array("\n".join(head.names)),
            "mean": head.mean,
            "scale": head.scale,
            "weights": head.weights,
            "bias": head.bias,
        },
    )
