"""Near-duplicates on newsroom copies (issue 12), through ingest into a knowledge base.

The stories, respellings and daily reports come from bench/realcopies, a generator written by a helper
from a description of real copy patterns without reading khabar's rules; the template lines are the
kinds the issue lists (breadcrumbs, font-size and audio widgets, follow prompts, a glued app footer).
"""

from __future__ import annotations

import importlib.util
import itertools
import json
import random
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from khabar.clean.learned import RULE_LEARNED, RULE_LEARNED_EDGE
from khabar.dedup import clusters as dedup_clusters
from khabar.ingest.runner import ingest_paths
from khabar.store import dedup_index
from khabar.store.kb import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
BASE = ROOT / "bench" / "realcopies" / "base"


def realcopies() -> Any:
    """The blind generator's module (bench/realcopies/realcopies.py)."""
    folder = str(BASE.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("realcopies", BASE.parent / "realcopies.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["realcopies"] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def base_story(name: str) -> str:
    return (BASE / f"{name}.txt").read_text(encoding="utf-8")


def groups(db: Path) -> dict[str, str]:
    """File name -> story id (its cluster, or its article's id) of every stored document."""
    out: dict[str, str] = {}
    with KnowledgeBase(db, readonly=True) as kb:
        for source, story in kb._rows(
            "SELECT d.source, coalesce(a.cluster, a.id) FROM documents d JOIN articles a ON a.id = d.article_id"
        ):
            out[Path(source).name] = story
    return out


def test_html_copy_and_text_copy_with_zwj_are_one_cluster(tmp_path: Path) -> None:
    title, *paras = base_story("002").strip().split("\n\n")
    # a typist's ZWJ after the virama of every other conjunct (kept by the text path)
    count = itertools.count()
    joined = [re.sub("्(?=[क-ह])", lambda m: "्\u200d" if next(count) % 2 == 0 else "्", p) for p in paras]
    assert sum(p.count("\u200d") for p in joined) >= 4
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "copy.txt").write_text(title + "\n\n" + "\n\n".join(joined) + "\n", encoding="utf-8")
    body = "".join(f"<p>{p.replace(chr(0x200D), '&zwj;')}</p>" for p in joined)
    page = (
        f"<!DOCTYPE html><html><body><nav>होम देश</nav><article><h1>{title}</h1>{body}</article></body></html>"
    )
    (folder / "copy.html").write_text(page, encoding="utf-8")
    (folder / "other.txt").write_text(base_story("005"), encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(folder)], db, workers=1)
    story = groups(db)
    assert story["copy.txt"] == story["copy.html"] != story["other.txt"]
    with KnowledgeBase(db, readonly=True) as kb:
        texts = [r[0] for r in kb._rows("SELECT text FROM articles WHERE source LIKE '%copy.%'")]
    # the same clean text on both paths, joiners included
    assert len(texts) == 1 or texts[0] == texts[1]
    assert "\u200d" in texts[0]


def test_truncated_copy_with_three_percent_respelled_words_is_one_cluster(tmp_path: Path) -> None:
    rc = realcopies()
    text = base_story("003").strip()
    title, *paras = text.split("\n\n")
    truncated = "\n\n".join([title, *paras[: max(2, len(paras) * 6 // 10)]])
    respelled, changed, words = rc.respell_text(truncated, random.Random(12), 0.03)
    assert changed >= 2 and 0.02 <= changed / words <= 0.06 and respelled != truncated
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "original.txt").write_text(text + "\n", encoding="utf-8")
    (folder / "reprint.txt").write_text(respelled + "\n", encoding="utf-8")
    (folder / "followup.txt").write_text(base_story("003_followup"), encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(folder)], db, workers=1)
    story = groups(db)
    assert story["original.txt"] == story["reprint.txt"]
    assert story["followup.txt"] != story["original.txt"]


SITE_LINES = ("होम / राज्य / उत्तर प्रदेश", "फ़ॉन्ट साइज़ बदलें: A- A A+", "ऑडियो सुनें")
FOLLOW = "ताज़ा ख़बरों के लिए हमें फ़ेसबुक और एक्स पर फ़ॉलो करें।"
FOOTER = "देश-दुनिया की ख़बरें पढ़ने के लिए डाउनलोड करें हमारा ऐप।"


def test_site_template_lines_are_learned_from_a_small_corpus_and_removed(tmp_path: Path) -> None:
    names = sorted(p.stem for p in BASE.glob("0[0-9][0-9].txt"))[:14]
    folder = tmp_path / "in"
    folder.mkdir()
    for name in names:
        title, *paras = base_story(name).strip().split("\n\n")
        # the site's lines around the story, and its app footer glued to the last paragraph
        paras[-1] = paras[-1] + " " + FOOTER
        page = [*SITE_LINES, title, *paras, FOLLOW]
        (folder / f"{name}.txt").write_text("\n\n".join(page) + "\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(folder)], db, workers=1)
    with KnowledgeBase(db, readonly=True) as kb:
        rows = kb._rows("SELECT id, text FROM articles")
        assert len(rows) == len(names)
        for aid, text in rows:
            for line in (*SITE_LINES, FOLLOW, FOOTER):
                assert line not in text, (aid, line)
            page = kb.get_article(aid)
            assert page is not None
            learned_here = {
                b["text"] for b in page["blocks"] if b.get("rule") in (RULE_LEARNED, RULE_LEARNED_EDGE)
            }
            # the glued footer and the site lines the pattern table does not know are learned ones
            assert FOOTER in learned_here and len(learned_here & set(SITE_LINES)) >= 2, learned_here
        # the story's own last sentence stays (only the glued footer goes)
        last = base_story(names[0]).strip().split("\n\n")[-1].strip()
        text = dict(rows)[next(a for a, t in rows if last[:40] in t)]
        assert text.rstrip().endswith(last)
        learned = {r[0] for r in kb._rows("SELECT example FROM line_stats WHERE learned = 1")}
    assert FOOTER in learned


def test_next_day_followup_reusing_background_paragraphs_is_kept_apart(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("001", "001_followup", "010", "010_followup"):
        (folder / f"{name}.txt").write_text(base_story(name), encoding="utf-8")
    # a plain reprint of 001 (its first half) still joins it
    title, *paras = base_story("001").strip().split("\n\n")
    (folder / "001_reprint.txt").write_text("\n\n".join([title, *paras[:3]]) + "\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(folder)], db, workers=1)
    story = groups(db)
    assert story["001.txt"] == story["001_reprint.txt"]
    assert story["001_followup.txt"] != story["001.txt"]
    assert story["010_followup.txt"] != story["010.txt"]


def test_templated_daily_reports_are_kept_apart(tmp_path: Path) -> None:
    rc = realcopies()
    docs = [
        d for d in rc.generate([], seed=5, daily=True, daily_per_family=(4, 5)) if d.base.startswith("daily_")
    ]
    families = {d.base for d in docs}
    assert len(families) >= 5 and len({d.story for d in docs}) >= 25
    out = tmp_path / "daily"
    rc.write_corpus(docs, str(out))
    db = tmp_path / "kb.db"
    ingest_paths([str(out / "docs")], db, workers=1)
    story = groups(db)
    gold = {Path(d.file).name: d.story for d in docs}
    assert set(story) == set(gold)
    copies = joined = 0
    for a, b in itertools.combinations(sorted(gold), 2):
        if gold[a] != gold[b]:  # different reports never join
            assert story[a] != story[b], (a, gold[a], b, gold[b])
        else:  # copies of one report (the generator reprints some) mostly do
            copies += 1
            joined += story[a] == story[b]
    assert copies and joined >= copies / 2, (joined, copies)


@pytest.mark.parametrize("band_cap", [None, 2])
def test_incremental_clusters_equal_a_full_rebuild(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, band_cap: int | None
) -> None:
    """Three ingests give the clusters of one recompute and of in-memory clustering in ingest order,
    also when band keys propose only their latest few candidates (`band_cap`: a cap that binds)."""
    if band_cap is not None:
        monkeypatch.setattr(dedup_clusters, "MAX_BAND_CANDIDATES", band_cap)
    rc = realcopies()
    stories = [s for s in rc.load_base([str(BASE)]) if not s["id"].endswith(("_followup", "_rewrite"))][:8]
    docs = rc.generate(stories, seed=9, n_copies_range=(2, 4), daily=False)
    rc.write_corpus(docs, str(tmp_path / "c"))
    files = sorted((tmp_path / "c" / "docs").iterdir())
    parts = [tmp_path / f"part{k}" for k in range(3)]
    for part in parts:
        part.mkdir()
    for i, path in enumerate(files):  # every third file in the first part, the rest in two more
        parts[0 if i % 3 == 0 else 1 + i % 2].joinpath(path.name).write_bytes(path.read_bytes())
    db = tmp_path / "kb.db"
    for part in parts:
        ingest_paths([str(part)], db, workers=1)  # linked against the stored articles

    def partition() -> set[frozenset[str]]:
        story = groups(db)
        out: dict[str, set[str]] = {}
        for name, sid in story.items():
            out.setdefault(sid, set()).add(name)
        return {frozenset(v) for v in out.values()}

    def stored() -> tuple[list[tuple[str, str, int]], list[tuple[str, str | None]]]:
        with KnowledgeBase(db, readonly=True) as kb:
            clusters = kb._rows("SELECT id, representative, size FROM clusters ORDER BY id")
            members = kb._rows("SELECT id, cluster FROM articles ORDER BY id")
        return [tuple(r) for r in clusters], [tuple(r) for r in members]  # type: ignore[misc]

    incremental, incremental_rows = partition(), stored()
    assert any(len(group) > 1 for group in incremental)
    with KnowledgeBase(db) as kb:
        kb.update_clusters(rebuild=True)
    assert partition() == incremental
    # the same cluster ids, representatives and sizes (kept by sums, not by reading members)
    assert stored() == incremental_rows
    with KnowledgeBase(db, readonly=True) as kb:
        rows = kb._rows(dedup_index._ROWS + "ORDER BY a.rowid")
        texts = dict(
            kb._rows(
                "SELECT a.id, coalesce(f.text, a.text) FROM articles a JOIN article_fingerprints f ON f.article_id = a.id"
            )
        )
        names = dict(kb._rows("SELECT article_id, source FROM documents"))
    memory = dedup_clusters.find_clusters(
        [dedup_index._item(r) for r in rows], texts.__getitem__, ordered=True
    )
    assert {frozenset(Path(names[m]).name for m in c.members) for c in memory} == {
        g for g in incremental if len(g) > 1
    }


def test_learning_while_ingesting_then_rebuilding_gives_the_same_knowledge_base(tmp_path: Path) -> None:
    """Template lines learned in a later ingest clean articles stored earlier, and clusters read the
    text without learned lines, so a full recompute changes neither texts, learned lines nor clusters."""
    rc = realcopies()
    stories = [s for s in rc.load_base([str(BASE)]) if not s["id"].endswith(("_followup", "_rewrite"))][:12]
    docs = rc.generate(stories, seed=4, n_copies_range=(2, 3), daily=False)
    rc.write_corpus(docs, str(tmp_path / "c"))
    files = sorted((tmp_path / "c" / "docs").iterdir())
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":  # the site's lines around every text copy, the footer glued on
            text = "\n\n".join([*SITE_LINES, text.rstrip() + " " + FOOTER, FOLLOW]) + "\n"
        (first if i < len(files) // 3 else second).joinpath(path.name).write_text(text, encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(first)], db, workers=1)
    ingest_paths([str(second)], db, workers=1)

    def state() -> tuple[dict[str, str], set[str], set[frozenset[str]], dict[str, str]]:
        with KnowledgeBase(db, readonly=True) as kb:
            texts = dict(kb._rows("SELECT id, text FROM articles"))
            lines = {r[0] for r in kb._rows("SELECT example FROM line_stats WHERE learned = 1")}
            # what clustering reads: the text without learned lines
            read = dict(
                kb._rows(
                    "SELECT a.id, coalesce(f.text, a.text) FROM articles a "
                    "JOIN article_fingerprints f ON f.article_id = a.id"
                )
            )
        out: dict[str, set[str]] = {}
        for name, sid in groups(db).items():
            out.setdefault(sid, set()).add(name)
        return texts, lines, {frozenset(v) for v in out.values()}, read

    before = state()
    # (a truncated copy's footer is glued to a cut sentence, so it stays in that copy's text)
    assert FOOTER in before[1]
    assert sum(FOOTER in t for t in before[0].values()) < len(before[0]) / 4
    assert sum(FOOTER in t for t in before[3].values()) > len(before[0]) / 2
    assert any(len(group) > 1 for group in before[2])
    for _ in range(2):  # and again: a recompute keeps what clustering reads
        with KnowledgeBase(db) as kb:
            kb.update_clusters(rebuild=True)
        after = state()
        assert after[1] == before[1]
        assert after[2] == before[2]
        assert after[0] == before[0]
        assert after[3] == before[3]


def test_story_counts_kept_by_deltas_equal_an_exact_recount(tmp_path: Path) -> None:
    """Story counts of template lines are updated by deltas as copies arrive in four ingests (joining
    and bridging stored clusters); they equal a count from scratch, and every stored article's
    verification features are stored, equal to those of its text."""
    from khabar.dedup.feature_codec import features_from_bytes
    from khabar.dedup.verify import text_features

    rc = realcopies()
    stories = [s for s in rc.load_base([str(BASE)]) if not s["id"].endswith(("_followup", "_rewrite"))][:10]
    docs = rc.generate(stories, seed=5, n_copies_range=(2, 4), daily=False)
    rc.write_corpus(docs, str(tmp_path / "c"))
    files = sorted((tmp_path / "c" / "docs").iterdir())
    parts = [tmp_path / f"part{i}" for i in range(4)]
    for part in parts:
        part.mkdir()
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt" and i % 2:
            text = "\n\n".join([*SITE_LINES, text.rstrip() + " " + FOOTER, FOLLOW]) + "\n"
        parts[i % 4].joinpath(path.name).write_text(text, encoding="utf-8")
    db = tmp_path / "kb.db"
    exact = (
        "SELECT lk.key, count(DISTINCT coalesce(a.cluster, a.id)) FROM line_keys lk "
        "JOIN articles a ON a.rowid = lk.article GROUP BY lk.key"
    )
    joined = 0
    for part in parts:
        ingest_paths([str(part)], db, workers=1)
        with KnowledgeBase(db, readonly=True) as kb:
            kept = {int(k): int(n) for k, n in kb._rows("SELECT key, stories FROM line_stats")}
            counted = {int(k): int(n) for k, n in kb._rows(exact)}
            joined += int(kb._rows("SELECT count(*) FROM articles WHERE cluster IS NOT NULL")[0][0])
        assert {k: n for k, n in kept.items() if n} == counted
    assert joined and max(counted.values()) > 3
    with KnowledgeBase(db, readonly=True) as kb:
        rows = kb._rows(
            "SELECT f.features, coalesce(f.text, a.text) FROM articles a "
            "JOIN article_fingerprints f ON f.article_id = a.id"
        )
    assert rows and all(features_from_bytes(blob) == text_features(text) for blob, text in rows)


def test_stored_articles_recleaned_in_the_worker_pool_equal_those_recleaned_here(tmp_path: Path) -> None:
    """With two workers, stored articles that newly learned lines change are cleaned and analysed
    again in the pool: the knowledge base equals the one-process ingest's (texts and analyses)."""
    rc = realcopies()
    stories = [s for s in rc.load_base([str(BASE)]) if not s["id"].endswith(("_followup", "_rewrite"))][:10]
    docs = rc.generate(stories, seed=6, n_copies_range=(2, 3), daily=False)
    rc.write_corpus(docs, str(tmp_path / "c"))
    files = sorted((tmp_path / "c" / "docs").iterdir())
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for i, path in enumerate(files):
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".txt":
            text = "\n\n".join([*SITE_LINES, text.rstrip() + " " + FOOTER, FOLLOW]) + "\n"
        (first if i < len(files) // 3 else second).joinpath(path.name).write_text(text, encoding="utf-8")

    def build(workers: int) -> tuple[dict[str, str], set[str], int]:
        db = tmp_path / f"kb{workers}.db"
        ingest_paths([str(first)], db, workers=workers)
        with KnowledgeBase(db, readonly=True) as kb:
            stored = {r[0] for r in kb._rows("SELECT id FROM articles")}
        ingest_paths([str(second)], db, workers=workers)
        with KnowledgeBase(db, readonly=True) as kb:
            analyses = dict(kb._rows("SELECT article_id, analysis FROM article_analysis"))
            lines = {r[0] for r in kb._rows("SELECT example FROM line_stats WHERE learned = 1")}
        # articles of the first ingest cleaned again when the second learned their lines
        recleaned = sum(
            1
            for aid in stored
            if any(
                b.get("rule") in (RULE_LEARNED, RULE_LEARNED_EDGE)
                for b in json.loads(analyses[aid])["blocks"]
            )
        )
        return analyses, lines, recleaned

    here, pool = build(1), build(2)
    assert FOOTER in here[1] and here[2] > 0
    assert pool == here


def test_an_article_that_joins_two_stored_clusters_makes_one_cluster_of_all(tmp_path: Path) -> None:
    """Truncated reprints and new-lead re-runs of one story form two stored clusters; the full
    article, added later, verifies against both: one cluster of five, its representative the longest
    text, its size the sum (the stored members are not read again), as a full recompute gives."""
    title, *paras = base_story("003").strip().split("\n\n")
    lead = (
        "नई दिल्ली में शुक्रवार को जारी एक बयान में अधिकारियों ने इस पूरे मामले की विस्तार से जानकारी दी "
        "और आगे की कार्रवाई के बारे में बताया।"
    )
    first, later = tmp_path / "first", tmp_path / "later"
    first.mkdir()
    later.mkdir()
    copies = {
        "t1.txt": [title, *paras[:2]],
        "t2.txt": [title, *paras[:3]],
        "r1.txt": ["नया शीर्षक: " + title, lead, *paras[1:]],
        "r2.txt": ["नया शीर्षक: " + title, lead, *paras[1:-1]],
    }
    for name, parts in copies.items():
        (first / name).write_text("\n\n".join(parts) + "\n", encoding="utf-8")
    (later / "full.txt").write_text("\n\n".join([title, *paras]) + "\n", encoding="utf-8")
    db = tmp_path / "kb.db"
    ingest_paths([str(first)], db, workers=1)
    before = groups(db)
    assert before["t1.txt"] == before["t2.txt"] != before["r1.txt"] == before["r2.txt"]
    ingest_paths([str(later)], db, workers=1)
    after = groups(db)
    assert len(set(after.values())) == 1
    with KnowledgeBase(db, readonly=True) as kb:
        rows = kb._rows("SELECT id, representative, size FROM clusters")
        full = kb._rows("SELECT article_id FROM documents WHERE source LIKE '%full.txt'")[0][0]
    assert [tuple(r) for r in rows] == [(full, full, 5)]
    with KnowledgeBase(db) as kb:
        kb.update_clusters(rebuild=True)
        assert [tuple(r) for r in kb._rows("SELECT id, representative, size FROM clusters")] == [
            (full, full, 5)
        ]


def test_a_band_key_proposes_its_latest_candidates_in_memory_and_in_the_knowledge_base(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Seven articles with one signature share every band; with a cap of 2 the last one is proposed
    the two before it, whether they are stored (earlier ingests) or in its own batch."""
    import sqlite3

    import numpy as np
    from datasketch import MinHash

    monkeypatch.setattr(dedup_clusters, "MAX_BAND_CANDIDATES", 2)
    sig = MinHash(num_perm=128, seed=1)
    sig.update(b"one story")
    items = [dedup_clusters.DedupItem(f"a{i}", f"h{i}", sig, frozenset(), 100) for i in range(1, 8)]
    memory = dedup_clusters.MemoryIndex()
    for item in items[:6]:
        memory.add(item)
    assert set(memory.candidates(items[6])[0]) == {"a5", "a6"}

    conn = sqlite3.connect(":memory:")
    conn.executescript(
        "CREATE TABLE articles (rowid INTEGER PRIMARY KEY, id TEXT, cluster TEXT);"
        "CREATE TABLE article_fingerprints (article_id TEXT PRIMARY KEY, minhash BLOB);"
        "CREATE TABLE dedup_bands (key INTEGER, article INTEGER, PRIMARY KEY (key, article));"
        "CREATE TABLE dedup_anchors (key INTEGER, article INTEGER, PRIMARY KEY (key, article));"
    )
    blob = np.asarray(sig.hashvalues, dtype="<u8").tobytes()
    for rowid, item in enumerate(items, start=1):
        conn.execute("INSERT INTO articles VALUES (?, ?, NULL)", (rowid, item.id))
        conn.execute("INSERT INTO article_fingerprints VALUES (?, ?)", (item.id, blob))
    for stored in range(2):  # five stored articles, then one or none in the batch before a7
        index = dedup_index.SqlIndex(conn)
        index.rowid = {item.id: rowid for rowid, item in enumerate(items, start=1)}
        conn.execute("DELETE FROM dedup_bands")
        conn.executemany(
            "INSERT INTO dedup_bands VALUES (?, ?)",
            [(key, rowid) for rowid in range(1, 6 + stored) for key in dedup_clusters.lsh_bands(sig)],
        )
        if not stored:
            index.add(items[5])
        assert set(index.candidates(items[6])[0]) == {"a5", "a6"}
