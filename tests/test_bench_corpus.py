"""The benchmark corpus generator (bench/make_corpus.py), which other benchmarks reuse."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path

import pytest

from khabar.ingest.readers import RawDoc
from khabar.pipeline import FOUNDATION_STEPS, analyze_doc

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
make_corpus = importlib.import_module("make_corpus")
CorpusOptions, generate, main = make_corpus.CorpusOptions, make_corpus.generate, make_corpus.main


def test_corpus_is_deterministic_for_a_seed() -> None:
    a = [d.content for d in generate(CorpusOptions(n=40, seed=3))]
    b = [d.content for d in generate(CorpusOptions(n=40, seed=3))]
    c = [d.content for d in generate(CorpusOptions(n=40, seed=4))]
    assert a == b != c


def test_planted_duplicates_point_to_earlier_originals() -> None:
    docs = list(generate(CorpusOptions(n=300, seed=1, duplicates=0.2)))
    ids = [d.id for d in docs]
    dups = [d for d in docs if d.dup_of]
    assert 30 <= len(dups) <= 90
    assert {d.dup_kind for d in dups} == {"exact", "near"}
    for dup in dups:
        original = docs[ids.index(dup.dup_of or "")]
        assert ids.index(original.id) < ids.index(dup.id) and original.dup_of is None
        if dup.dup_kind == "exact":
            assert dup.content == original.content
        else:
            assert dup.content != original.content
    assert 0.1 < sum(d.kind == "html" for d in docs) / len(docs) < 0.35


def test_planted_boilerplate_is_removed_and_body_kept() -> None:
    for doc in generate(CorpusOptions(n=60, seed=2)):
        raw = (
            RawDoc(source=doc.id, html=doc.content)
            if doc.kind == "html"
            else RawDoc(doc.id, text=doc.content)
        )
        article = analyze_doc(raw, steps=FOUNDATION_STEPS)
        text = " ".join(article.text.split())
        for line in doc.boilerplate:
            assert " ".join(line.split()) not in text, (doc.id, line)
        for block in doc.body:
            assert " ".join(block.split()) in text, (doc.id, block)


@pytest.mark.parametrize("name", ["feed.jsonl", "folder"])
def test_command_line_writes_jsonl_or_folder(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / name
    assert main([str(out), "--n", "12", "--seed", "5"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["articles"] == 12
    if name.endswith(".jsonl"):
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(records) == 12 and all(("text" in r) != ("html" in r) for r in records)
    else:
        files = [p for p in out.iterdir() if p.suffix in (".txt", ".html")]
        assert len(files) == 12
        assert len(json.loads((out / "truth.json").read_text(encoding="utf-8"))) == 12


class _ManyClusters:
    """A stand-in knowledge base with more duplicate groups than one page of `duplicates` holds."""

    def __init__(self, groups: int) -> None:
        self.groups = [
            {"id": f"c{i}", "articles": [{"source": f"/x/orig{i}.txt"}, {"source": f"/x/copy{i}.txt"}]}
            for i in range(groups)
        ]

    def duplicates(self, limit: int = 50, offset: int = 0) -> list[dict[str, object]]:
        return self.groups[offset : offset + limit]

    def count_duplicates(self) -> int:
        return len(self.groups)


def test_bench_ingest_counts_planted_copies_in_every_cluster(tmp_path: Path) -> None:
    bench_ingest = importlib.import_module("bench_ingest")
    truth = [{"id": f"o{i}", "file": f"orig{i}.txt", "dup_of": None} for i in range(80)]
    truth += [{"id": f"d{i}", "file": f"copy{i}.txt", "dup_of": f"o{i}"} for i in range(80)]
    (tmp_path / "truth.json").write_text(json.dumps(truth), encoding="utf-8")
    # 80 clusters: a count of the first page of `duplicates` only (50) would be short
    assert bench_ingest.planted_copies_found(_ManyClusters(80), tmp_path) == (80, 80)
