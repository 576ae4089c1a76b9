"""Defect 3: analysis time was quadratic in article length, with no limit on size or time."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from corpus_support import story
from khabar.article import Article, Entity, Mention, Sentence
from khabar.ingest.readers import RawDoc
from reliability_support import khabar


def _article(n: int) -> Article:
    """An article of `n` sentences, each naming one person and saying something (built by hand, so the
    fact steps run without the NER)."""
    parts, sentences, mentions = [], [], []
    pos = 0
    for i in range(n):
        name = f"राम{i % 50}"
        sent = f"{name} ने कहा कि सड़क {i} पर काम तेज होगा।"
        start = pos
        sentences.append(Sentence(start, start + len(sent)))
        mentions.append(Mention(start, start + len(name), name, "PERSON", entity=f"p{i % 50}"))
        parts.append(sent)
        pos += len(sent) + 1
    entities = [
        Entity(f"p{k}", "PERSON", f"राम{k}", f"Ram{k}", "romanized", mentions=tuple(mentions[k::50]))
        for k in range(50)
    ]
    return Article(text=" ".join(parts), sentences=sentences, mentions=mentions, entities=entities)


def _fact_steps_time(n: int) -> float:
    """CPU seconds of this thread for the fact steps on an article of `n` sentences (CPU time, not wall
    time: on a loaded machine the wall clock also counts the time other processes run)."""
    from khabar.analysis.events import extract_events
    from khabar.analysis.numbers import extract_quantities
    from khabar.analysis.quotes import extract_quotes
    from khabar.analysis.summary import summarize

    article = _article(n)
    started = time.thread_time()
    for step in (extract_quantities, extract_quotes, extract_events, summarize):
        article = step(article)
    return time.thread_time() - started


def test_fact_steps_grow_linearly_with_sentences() -> None:
    _fact_steps_time(200)  # warm the tables
    # Both sizes past the 512 patterns of Python's regex cache (each sentence has its own number), so
    # the cost per sentence is the same at both unless something grows with the article. Runs are
    # interleaved and the fastest of each size kept, so a burst of load hits both sizes alike.
    small, large = float("inf"), float("inf")
    for _ in range(2):
        small = min(small, _fact_steps_time(1000))
        large = min(large, _fact_steps_time(4000))
    # 4 times the sentences: linear gives ~4x, the old quadratic lookups ~16x.
    assert large / small < 9, f"1,000 sentences {small:.2f} s, 4,000 sentences {large:.2f} s (CPU)"


def _brute_between(mentions: list[Mention], s: int, e: int) -> list[Mention]:
    return sorted((m for m in mentions if m.start >= s and m.end <= e), key=lambda m: m.start)


spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(spans, st.integers(0, 70), st.integers(0, 70))
def test_indexed_mention_lookups_equal_the_linear_scans(raw: list[tuple[int, int]], a: int, b: int) -> None:
    from khabar.analysis._facts import mentions_between, mentions_ending_in, mentions_starting_in

    mentions = [Mention(s, s + n, "x" * n, "PERSON") for s, n in raw]
    article = Article(text="x" * 80, mentions=mentions)
    lo, hi = min(a, b), max(a, b)
    assert mentions_between(article, lo, hi) == _brute_between(mentions, lo, hi)
    assert mentions_starting_in(article, lo, hi) == sorted(
        (m for m in mentions if lo <= m.start < hi), key=lambda m: m.start
    )
    assert mentions_ending_in(article, lo, hi) == [m for m in mentions if lo <= m.end <= hi]


@settings(max_examples=100, deadline=None)
@given(
    st.lists(st.sampled_from(["पटना में बारिश हुई और सड़कें डूब गईं", "किसानों ने धरना दिया", "x"]), max_size=8),
    st.randoms(),
)
def test_near_duplicate_index_finds_what_comparing_every_pair_finds(
    parts: list[str], rng: random.Random
) -> None:
    from khabar.clean.blocks import NEAR_DUP_JACCARD, NearDuplicateIndex, _shingles

    blocks = [" ".join(rng.sample(parts, len(parts))) + " " + str(rng.randint(0, 3)) for _ in range(6)]
    sets = [_shingles(b) for b in blocks if len(b) >= 10]
    index = NearDuplicateIndex(sets)
    for i, sh in enumerate(sets):
        brute = next((j for j in range(i) if len(sh & sets[j]) / len(sh | sets[j]) >= NEAR_DUP_JACCARD), None)
        assert index.find(sh) == brute
        index.add(i, sh)


@settings(max_examples=150, deadline=None)
@given(st.randoms(use_true_random=False))
def test_near_duplicate_bounds_never_drop_a_match(rng: random.Random) -> None:
    """Edited copies of a few base sets, of varied sizes: the candidate bounds (counted in numpy) keep
    every pair at the threshold, so the first match is the one a comparison with every block finds."""
    from khabar.clean.blocks import NEAR_DUP_JACCARD, NearDuplicateIndex

    bases = [{f"s{rng.randrange(60)}" for _ in range(rng.randint(1, 40))} for _ in range(3)]
    sets: list[frozenset[str]] = []
    for _ in range(rng.randint(2, 12)):
        edited = set(rng.choice(bases))
        for _ in range(rng.randint(0, 6)):
            if edited and rng.random() < 0.5:
                edited.discard(rng.choice(sorted(edited)))
            else:
                edited.add(f"s{rng.randrange(60)}")
        if edited:
            sets.append(frozenset(edited))
    index = NearDuplicateIndex(sets)
    for i, sh in enumerate(sets):
        brute = next((j for j in range(i) if len(sh & sets[j]) / len(sh | sets[j]) >= NEAR_DUP_JACCARD), None)
        assert index.find(sh) == brute
        index.add(i, sh)


def test_a_document_over_the_size_limit_is_an_error_naming_the_limit(tmp_path: Path) -> None:
    big = tmp_path / "one_line.txt"
    big.write_text(("पटना में किसानों ने धरना दिया। " * 120_000).replace("\n", " "), encoding="utf-8")
    assert big.stat().st_size > 5_000_000
    started = time.monotonic()
    done = khabar("analyze", str(big), timeout=120)
    assert done.returncode == 2 and "--max-bytes" in done.stderr, done.stderr
    assert time.monotonic() - started < 60


def test_an_oversized_jsonl_record_is_an_error_record_and_the_batch_goes_on(tmp_path: Path) -> None:
    feed, db = tmp_path / "feed.jsonl", tmp_path / "kb.db"
    huge = "पटना में किसानों ने धरना दिया। " * 40_000  # 1.1 million characters
    with feed.open("w", encoding="utf-8") as out:
        out.write(json.dumps({"id": "small-1", "text": story(1)}, ensure_ascii=False) + "\n")
        out.write(json.dumps({"id": "huge", "text": huge}, ensure_ascii=False) + "\n")
        out.write(json.dumps({"id": "small-2", "text": story(2)}, ensure_ascii=False) + "\n")
    done = khabar("ingest", str(feed), "--db", str(db), "--workers", "1", "--quiet", timeout=180)
    assert done.returncode == 0, done.stderr
    assert "2 added" in done.stderr and "1 error;" in done.stderr
    assert "over the limit" in done.stderr and "--max-bytes" in done.stderr


def test_the_time_limit_stops_an_analysis_and_names_the_limit() -> None:
    from khabar.limits import LimitError, Limits
    from khabar.pipeline import analyze_doc

    doc = RawDoc(source="long.txt", text="\n\n".join(story(i) for i in range(400)))
    with pytest.raises(LimitError, match=r"time limit of 0\.05 s") as caught:
        analyze_doc(doc, limits=Limits(max_seconds=0.05))
    assert caught.value.limit == "max_seconds"
    assert analyze_doc(RawDoc(source="short.txt", text=story(1)), limits=Limits()).text


def test_the_time_limit_holds_outside_the_main_thread_between_steps() -> None:
    import threading

    from khabar.limits import LimitError, Limits
    from khabar.pipeline import analyze_doc

    caught: list[BaseException] = []

    def run() -> None:
        try:
            analyze_doc(
                RawDoc(source="t", text="\n\n".join(story(i) for i in range(200))),
                limits=Limits(max_seconds=0.01),
            )
        except BaseException as exc:
            caught.append(exc)

    worker = threading.Thread(target=run)
    worker.start()
    worker.join(120)
    assert caught and isinstance(caught[0], LimitError)


def test_cli_time_limit_is_an_error_record_in_a_batch(tmp_path: Path) -> None:
    # The limit is wall time: the long text (1.4 MB, seconds of CPU even on a fast machine) must pass
    # it and the short one (~10 ms of CPU) stay far within it on a loaded machine.
    (tmp_path / "long.txt").write_text("\n\n".join(story(i) for i in range(1500)), encoding="utf-8")
    (tmp_path / "short.txt").write_text(story(1), encoding="utf-8")
    done = khabar("analyze", str(tmp_path), "--max-seconds", "1.5", "--no-raw")
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1
    assert [("error" in r) for r in records] == [True, False]
    assert "--max-seconds" in records[0]["error"]
