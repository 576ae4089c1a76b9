"""Keyword search with bounded work: a word most articles contain is ranked over its newest matches
and counted as an estimate ("about N"); queries of selective words rank and count as before."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from typer.testing import CliRunner

from khabar.cli import app
from khabar.pipeline import analyze
from khabar.store import keyword_rank, lists, search, vectors
from khabar.store.kb import KnowledgeBase

COMMON = "सरकार"
PLACES = ["असम", "बिहार", "केरल", "पंजाब", "गुजरात", "ओडिशा", "मणिपुर", "झारखंड", "मिजोरम", "नागालैंड"]


def add(kb: KnowledgeBase, text: str, i: int) -> None:
    art = analyze(text, date(2024, 1, 1) + timedelta(days=i), source=f"s{i}", html=False, steps=())
    kb.add_article(art)


def unclustered(kb: KnowledgeBase) -> None:
    """Every article its own story (the generated sentences look alike): only counts matter here."""
    kb.connection.execute("UPDATE articles SET cluster = NULL")


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    """40 articles, oldest first: all but the second name the common word; each place is in four of
    them, the rare word ब्रह्मपुत्र in the two oldest (only the first with the common word)."""
    kb = KnowledgeBase(tmp_path / "kb.db")
    add(kb, f"ब्रह्मपुत्र नदी में बाढ़ आई और {COMMON} ने राहत भेजी.", 0)
    add(kb, "ब्रह्मपुत्र का पानी घटने लगा है और लोग घर लौटे.", 1)
    for i in range(2, 40):
        add(kb, f"{PLACES[i % len(PLACES)]} में {COMMON} ने नई सड़क योजना {i} शुरू की और काम तेज हुआ.", i)
    unclustered(kb)
    return kb


def small_cap(monkeypatch: pytest.MonkeyPatch, window: int) -> None:
    """Rank 5 articles a page (limit 1) with a window of `window` matches."""
    monkeypatch.setattr(keyword_rank, "RANK_WINDOW", window)
    monkeypatch.setattr(search, "RANK_CAP", 5)


def outcome(kb: KnowledgeBase, query: str) -> tuple[Any, ...]:
    ranked = search.rank(kb.connection, query, cap=5)[0]
    page = kb.search_results(query, limit=1)
    return ranked, page["hits"], page["total"], page["total_articles"], page["total_approximate"]


@pytest.mark.parametrize("query", ["असम", "बिहार केरल", "ब्रह्मपुत्र", "ब्रह्मपुत्र नदी"])
def test_selective_word_queries_rank_and_count_as_without_a_window(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch, query: str
) -> None:
    small_cap(monkeypatch, 10**9)
    exhaustive = outcome(kb, query)
    small_cap(monkeypatch, 30)  # shared among an expression's phrases (spelling neighbours count)
    assert outcome(kb, query) == exhaustive
    assert exhaustive[0] and exhaustive[4] is False
    assert outcome(kb, COMMON)[4] is True  # the window is in use: the common word (39 matches) is over it


def test_common_word_is_ranked_in_its_newest_matches_and_counted_about(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cap(monkeypatch, 10)
    ranked = search.rank(kb.connection, COMMON, cap=5)[0]
    assert {rowid for rowid, _ in ranked} <= set(range(31, 41))  # the 10 newest matches
    page = kb.search_results(COMMON, limit=1, facets=True)
    # 10 matches in rowids 31-40 of a span 1-40: about 40 (39 match); the facets count the window's 10
    assert page["total_approximate"] is True
    assert page["total_articles"] == page["total"] == 40
    assert sum(d["articles"] for d in page["facets"]["dates"]) == 10
    small_cap(monkeypatch, 10**9)
    exact = kb.search_results(COMMON, limit=1)
    assert exact["total_articles"] == exact["total"] == 39 and exact["total_approximate"] is False


def test_backfill_keeps_an_old_article_of_the_rare_word(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    small_cap(monkeypatch, 10)
    ranked = [rowid for rowid, _ in search.rank(kb.connection, f"ब्रह्मपुत्र {COMMON}", cap=5)[0]]
    # both words first, then the other article of the rare word (older than the common word's window),
    # then the common word's newest matches
    assert ranked[:2] == [1, 2] and set(ranked[2:]) <= set(range(31, 41))
    assert kb.search_results(f"ब्रह्मपुत्र {COMMON}", limit=1)["total_approximate"] is True


def test_estimates_are_labelled_in_the_page_and_the_cli(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "kb.db"
    with KnowledgeBase(db) as kb:
        for i in range(30):
            add(kb, f"{PLACES[i % 10]} में {COMMON} का फैसला {i} आया.", i)
        unclustered(kb)
    small_cap(monkeypatch, 10)
    with KnowledgeBase(db, readonly=True) as kb:
        page = lists.search_page(kb, COMMON, limit=5)
    assert page["total_approximate"] is True and page["total"] == 30
    result = CliRunner().invoke(app, ["search", COMMON, "--db", str(db), "--format", "text", "--limit", "5"])
    assert result.exit_code == 0, result.output
    assert "of about 30 stories" in result.stdout and "(about 30 articles" in result.stdout
    result = CliRunner().invoke(app, ["search", COMMON, "--db", str(db), "--limit", "5"])
    assert '"total_approximate": true' in result.stdout
    result = CliRunner().invoke(app, ["search", "असम", "--db", str(db), "--format", "text"])
    assert result.exit_code == 0 and "about" not in result.stdout


@pytest.mark.parametrize(("value", "want"), [(87_346, 87_000), (954.4, 950), (40, 40), (10_000, 10_000)])
def test_estimates_keep_two_significant_digits(value: float, want: int) -> None:
    assert keyword_rank.about(value) == want


def test_vectors_are_reread_after_an_article_is_added(kb: KnowledgeBase) -> None:
    conn = kb.connection
    unit = np.eye(384, dtype=np.float32)
    put = "INSERT INTO article_vectors (rowid, model, vector) VALUES (?, 'm', ?)"
    conn.execute(put, (1, unit[0].tobytes()))
    assert vectors.load_index(conn).size == 1
    add(kb, "मिजोरम में नई रेल लाइन का काम पूरा हुआ.", 50)
    new = conn.execute("SELECT max(rowid) FROM articles").fetchone()[0]
    conn.execute(put, (new, unit[1].tobytes()))
    index = vectors.load_index(conn)
    assert index.size == 2 and index.nearest(unit[1], 1)[0][0] == new
