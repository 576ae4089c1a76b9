"""The memory-mapped vector file next to a knowledge base: written by `embed_missing`, used only while
it is in step with the table, never trusted when it is not."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from khabar.pipeline import analyze
from khabar.store import vector_file, vectors
from khabar.store.kb import KnowledgeBase


def fake_embed(texts: list[str]) -> np.ndarray:
    """Unit vectors that differ by text (a seeded generator per text)."""
    out = np.stack([np.random.default_rng(abs(hash(t)) % 2**32).normal(size=384) for t in texts])
    return (out / np.linalg.norm(out, axis=1, keepdims=True)).astype(np.float32)


@pytest.fixture()
def kb(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> KnowledgeBase:
    monkeypatch.setattr(vector_file, "MIN_VECTORS", 3)
    monkeypatch.setattr(vectors, "_CACHE", {})
    kb = KnowledgeBase(tmp_path / "kb.db")
    for i in range(5):
        kb.add_article(analyze(f"गांव {i} में बाढ़ से फसल डूबी.", None, source=f"s{i}", html=False, steps=()))
    return kb


def fresh_load(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> vectors.VectorIndex:
    """load_index as a new process sees it (no cached matrix)."""
    monkeypatch.setattr(vectors, "_CACHE", {})
    return vectors.load_index(kb.connection)


def test_embed_writes_a_file_that_new_processes_map(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert vectors.embed_missing(kb.connection, embed=fake_embed) == 5
    path = Path(str(kb.path) + ".vectors")
    assert path.is_file()
    index = fresh_load(kb, monkeypatch)
    assert isinstance(index.matrix, np.memmap)
    table = vectors.read_table(kb.connection)
    assert np.array_equal(index.rowids, table.rowids) and np.array_equal(index.matrix, table.matrix)


def test_a_file_out_of_step_is_not_used_until_embed_rewrites_it(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = kb.connection
    vectors.embed_missing(conn, embed=fake_embed)
    kb.add_article(analyze("शहर में नई बस सेवा शुरू हुई.", None, source="new", html=False, steps=()))
    new = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    vec = np.eye(384, dtype=np.float32)[3]
    conn.execute(
        "INSERT INTO article_vectors (rowid, model, vector) VALUES (?, 'm', ?)", (new, vec.tobytes())
    )
    index = fresh_load(kb, monkeypatch)  # the file holds 5 vectors, the table 6
    assert not isinstance(index.matrix, np.memmap) and index.size == 6
    assert index.nearest(vec, 1)[0][0] == new
    assert vectors.refresh_file(conn)
    index = fresh_load(kb, monkeypatch)
    assert isinstance(index.matrix, np.memmap) and index.nearest(vec, 1)[0][0] == new


def test_a_file_whose_vectors_differ_from_the_table_is_ignored(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    conn = kb.connection
    vectors.embed_missing(conn, embed=fake_embed)
    path = Path(str(kb.path) + ".vectors")
    data = bytearray(path.read_bytes())
    data[-4:] = np.float32(0.5).tobytes()  # the last vector changed, same header: another database's file
    path.write_bytes(bytes(data))
    index = fresh_load(kb, monkeypatch)
    assert not isinstance(index.matrix, np.memmap)
    path.write_bytes(b"not a vector file")
    assert not isinstance(fresh_load(kb, monkeypatch).matrix, np.memmap)


def test_small_tables_have_no_file(kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vector_file, "MIN_VECTORS", 100)
    vectors.embed_missing(kb.connection, embed=fake_embed)
    assert not Path(str(kb.path) + ".vectors").exists()
