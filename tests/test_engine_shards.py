"""Shards of the Ray engine without Ray: listing in the local engine's order, readers, fsspec paths,
Parquet input, the dataset layout's commit and resume bookkeeping, and label propagation's logic."""

from __future__ import annotations

import json
from pathlib import Path

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from khabar.engine.link import link_keys
from khabar.engine.shards import FILES_PER_SHARD, Layout, Shard, list_shards, order_key, read_shard
from khabar.engine.shuffle import _edge_split, _round, partition
from khabar.errors import InputError, KhabarError
from khabar.ingest.readers import DocError, RawDoc, iter_documents

TEXT = "नई दिल्ली में सरकार ने बुधवार को बैठक की। इसमें कई फैसले लिए गए।"


def _docs(shards: list[Shard]) -> list[RawDoc | DocError]:
    return [doc for shard in shards for doc in read_shard(shard)]


def test_shards_read_the_documents_of_the_local_engine_in_its_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b" / "1.html").write_text(f"<html><body><p>{TEXT}</p></body></html>", encoding="utf-8")
    (tmp_path / "a.jsonl").write_text(
        json.dumps({"id": "x", "text": TEXT}) + "\n{broken\n" + json.dumps({"html": "<p>a</p>"}) + "\n",
        encoding="utf-8",
    )
    (tmp_path / "notes.md").write_text("not an input", encoding="utf-8")
    shards = list_shards([str(tmp_path)])
    assert [s.kind for s in shards] == ["jsonl", "files"]
    assert _docs(shards) == list(iter_documents([str(tmp_path)]))


def test_text_files_are_grouped_into_shards_of_a_fixed_size(tmp_path: Path) -> None:
    for i in range(FILES_PER_SHARD + 3):
        (tmp_path / f"{i:04d}.txt").write_text(TEXT, encoding="utf-8")
    shards = list_shards([str(tmp_path)])
    assert [len(s.paths) for s in shards] == [FILES_PER_SHARD, 3]
    assert len({s.key for s in shards}) == 2


def test_missing_input_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        list_shards([str(tmp_path / "nothing.jsonl")])


def test_parquet_rows_are_documents_and_bad_rows_are_errors(tmp_path: Path) -> None:
    path = tmp_path / "part.parquet"
    table = pa.table(
        {
            "id": ["p1", "p2", "p3"],
            "text": [TEXT, None, TEXT],
            "published": ["2026-01-06", "2026-01-06", "6 January"],
        }
    )
    pq.write_table(table, path)
    docs = list(read_shard(Shard("k", "parquet", (str(path),))))
    assert isinstance(docs[0], RawDoc) and docs[0].id == "p1" and docs[0].published is not None
    assert isinstance(docs[1], DocError) and "no non-empty 'text'" in docs[1].message
    assert isinstance(docs[2], DocError) and "YYYY-MM-DD" in docs[2].message


def test_fsspec_urls_are_listed_and_read() -> None:
    fs = fsspec.filesystem("memory")
    fs.pipe("/corpus/one.jsonl", (json.dumps({"text": TEXT}) + "\n").encode())
    fs.pipe("/corpus/two.txt", TEXT.encode())
    shards = list_shards(["memory:///corpus"])
    docs = _docs(shards)
    assert [type(d) for d in docs] == [RawDoc, RawDoc]
    assert docs[0].source == "memory:///corpus/one.jsonl:1" and docs[1].text == TEXT


def test_order_keys_sort_by_shard_then_row() -> None:
    assert order_key(0, 5) < order_key(1, 0) < order_key(1, 1)


def test_a_shard_is_committed_with_its_marker_and_cleared_when_unfinished(tmp_path: Path) -> None:
    layout = Layout(str(tmp_path / "out"))
    shards = layout.assign([Shard("k1", "jsonl", ("a",)), Shard("k2", "jsonl", ("b",))])
    assert [s.seq for s in shards] == [0, 1]
    for key in ("k1", "k2"):
        staged = Path(layout.staging_dir(key, "articles"))
        staged.mkdir(parents=True)
        (staged / "part-0.parquet").write_bytes(b"x")
    layout.commit("k1", ["articles"], {"key": "k1", "seq": 0, "parts": ["part-0.parquet"]})
    assert set(layout.done()) == {"k1"}
    assert layout.parts("articles") == [str(tmp_path / "out" / "articles" / "shard=k1" / "part-0.parquet")]
    layout.clear_unfinished("k2", ["articles"])
    assert not Path(layout.staging_dir("k2")).exists()
    again = layout.assign([Shard("k3", "jsonl", ("c",)), Shard("k2", "jsonl", ("b",))])
    assert [s.seq for s in again] == [2, 1]


def test_an_output_folder_of_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "stuff.txt").write_text("x", encoding="utf-8")
    with pytest.raises(KhabarError, match="not a khabar dataset"):
        Layout(str(tmp_path)).assign([Shard("k", "jsonl", ("a",))])


def test_label_propagation_gives_each_component_its_smallest_node() -> None:
    parts = 3
    edges = _edge_split([[("d", "c"), ("c", "b"), ("x", "y")]], parts)
    labels: list[dict[str, str]] = [{} for _ in range(parts)]
    messages: list[list[list[tuple[str, str]]]] = [[] for _ in range(parts)]
    for rnd in range(10):
        outs = [
            _round([edges[p]], [labels[p]] if rnd else [], messages[p], parts, rnd == 0) for p in range(parts)
        ]
        labels = [o[0] for o in outs]
        messages = [[o[2 + p] for o in outs] for p in range(parts)]
        if not sum(o[1] for o in outs):
            break
    merged = {k: v for part in labels for k, v in part.items()}
    assert merged == {"b": "b", "c": "b", "d": "b", "x": "x", "y": "x"}
    assert all(partition(k, parts) == p for p, part in enumerate(labels) for k in part)


def test_link_keys_join_a_surname_to_full_names_that_end_in_it() -> None:
    from khabar.article import Entity

    full = Entity(id="e1", type="PERSON", name="राहुल शर्मा", name_en="", name_en_source="romanized")
    single = Entity(id="e2", type="PERSON", name="शर्मा", name_en="", name_en_source="romanized")
    place = Entity(id="e3", type="LOCATION", name="शर्मा", name_en="", name_en_source="romanized")
    assert set(link_keys(full)) & set(link_keys(single))
    assert not set(link_keys(place)) & set(link_keys(full))
