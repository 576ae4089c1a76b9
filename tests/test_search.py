"""Search as Hindi and English readers expect: the analyzer, exact forms, English names, meaning."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from khabar.article import Article, Entity, Mention
from khabar.pipeline import analyze
from khabar.store import connection, vectors
from khabar.store.entity_query import is_latin_query, latin_candidates, latin_key
from khabar.store.kb import KnowledgeBase
from khabar.text.analyzer import index_term, prefold, stem


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb.db")


def plain(text: str, source: str, published: date | None = None) -> Article:
    """An article cleaned but not analysed (fast)."""
    return analyze(text, published, source=source, html=False, steps=())


@pytest.mark.parametrize(
    ("forms"),
    [
        ("किसान", "किसानों"),
        ("लड़की", "लड़कियों", "लड़कियां", "लड़कियाँ", "लड़कियो"),
        ("खिलाड़ी", "खिलाड़ियों"),
        ("महिला", "महिलाओं", "महिलाएं"),
        ("घटना", "घटनाओं"),
        ("योजना", "योजनाओं"),
        ("समस्या", "समस्याओं"),
        ("भाई", "भाइयों"),
        ("हिंदी", "हिन्दी"),
        ("फिल्म", "फ़िल्म", "फ़िल्मों"),
        ("मरीज", "मरीज़ों", "मरीजों"),
        # -ता/-ती/-ते of one verb meet: stemming comes before the vowel-length fold.
        ("करता", "करती", "करते"),
        ("जाता", "जाती", "जाते"),
    ],
)
def test_inflections_and_variants_share_one_term(forms: tuple[str, ...]) -> None:
    assert len({index_term(f) for f in forms}) == 1, {f: index_term(f) for f in forms}


def test_vowel_length_is_folded_after_stemming() -> None:
    # Folding ी → ि first (Lucene's order) would leave करति, which no longer ends in -ती.
    assert stem(prefold("करती")) == stem(prefold("करता")) == "करत"
    assert index_term("करती") == index_term("करता")


@pytest.mark.parametrize("word", ["की", "के", "में", "है", "हैं", "गया", "लिए"])
def test_short_function_words_keep_two_letters(word: str) -> None:
    assert len(stem(prefold(word))) >= 2


def test_distinct_words_stay_apart() -> None:
    assert len({index_term(w) for w in ("किसान", "कि", "सान", "बात", "बाद", "जवान", "जवानी")}) == 7


def test_kisan_finds_plural_not_split_words(kb: KnowledgeBase) -> None:
    kb.add_article(plain("गांव के किसानों ने नई फसल बोई.", "plural.txt"))
    kb.add_article(plain("उसने कहा कि सान नदी में पानी कम है.", "split.txt"))
    assert [h["source"] for h in kb.search("किसान")] == ["plural.txt"]


def test_spelling_variants_meet(kb: KnowledgeBase) -> None:
    kb.add_article(plain("यह फ़िल्म हिन्दी में भी रिलीज़ हुई.", "nukta.txt"))
    assert [h["source"] for h in kb.search("हिंदी")] == ["nukta.txt"]
    assert [h["source"] for h in kb.search("फिल्म")] == ["nukta.txt"]
    assert "<mark>हिन्दी</mark>" in kb.search("हिंदी")[0]["snippet"]


def test_quoted_phrase_and_equals_match_exactly(kb: KnowledgeBase) -> None:
    kb.add_article(plain("किसान आंदोलन फिर तेज हुआ.", "exact.txt"))
    kb.add_article(plain("किसानों के आंदोलन की खबर.", "inflected.txt"))
    assert sorted(h["source"] for h in kb.search("किसान आंदोलन")) == ["exact.txt", "inflected.txt"]
    assert [h["source"] for h in kb.search('"किसान आंदोलन"')] == ["exact.txt"]
    assert [h["source"] for h in kb.search("=किसानों")] == ["inflected.txt"]
    assert [h["source"] for h in kb.search("title:किसान")] == []


def test_hit_without_title_has_a_headline(kb: KnowledgeBase) -> None:
    kb.add_article(plain("बिहार में बाढ़ से हजारों लोग प्रभावित हुए। राहत शिविर खोले गए।", "a.txt"))
    hit = kb.search("बाढ़")[0]
    assert hit["title"] is None and hit["headline"].startswith("बिहार में बाढ़ से हजारों लोग प्रभावित हुए।")


def test_migrations_3_and_4_index_an_old_database(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
    from khabar.store.schema import MIGRATIONS

    for version, script in MIGRATIONS[:2]:
        for statement in connection.split_statements(script):
            conn.execute(statement)
        conn.execute("INSERT INTO schema_version VALUES (?, 'x')", (version,))
    art = plain("किसानों की रैली में भीड़ उमड़ी.", "old.txt")
    conn.execute(
        "INSERT INTO articles (id, source, title, lead, text, raw_hash, text_hash, words, minhash, "
        "sentence_hashes, analysis, ingested_at) VALUES (?, ?, NULL, ?, ?, 'r', 't', 1, x'', x'', '{}', 'x')",
        (art.id, art.source, art.text, art.text),
    )
    conn.close()
    with KnowledgeBase(path) as kb:
        assert [h["source"] for h in kb.search("किसान")] == ["old.txt"]


def _person(article: Article, name: str, start: int) -> None:
    local = f"e{len(article.entities)}"
    mention = Mention(start, start + len(name), name, "PERSON", name=name, entity=local)
    article.mentions.append(mention)
    article.entities.append(Entity(local, "PERSON", name, "", "romanized", None, (), (mention,)))


def test_latin_keys_fold_spellings() -> None:
    assert latin_key("Modee") == latin_key("modi") == latin_key("MODI")
    assert latin_key("Tejashwi") == latin_key("tejasvi")
    assert is_latin_query("Narendra Modi") and not is_latin_query("मोदी") and not is_latin_query('"x"')


def test_modi_resolves_to_the_person_with_most_articles(kb: KnowledgeBase) -> None:
    for i in range(3):
        text = f"प्रधानमंत्री नरेंद्र मोदी ने आज सभा {i} को संबोधित किया."
        art = plain(text, f"pm{i}.txt")
        _person(art, "नरेंद्र मोदी", text.index("नरेंद्र"))
        kb.add_article(art)
    text = "कारोबारी नीरव मोदी को अदालत ने भगोड़ा घोषित किया."
    art = plain(text, "nirav.txt")
    _person(art, "नीरव मोदी", text.index("नीरव"))
    kb.add_article(art)
    for query in ("Modi", "modee", "Narendra Modi"):
        found = latin_candidates(kb.connection, query)
        assert found and found[0].name == "नरेंद्र मोदी", (query, found)
    found = latin_candidates(kb.connection, "Modi")
    assert [c.name for c in found[1:]] == ["नीरव मोदी"]
    page = kb.search_results("Modi")
    assert page["entity"]["name"] == "नरेंद्र मोदी"
    assert [c["name"] for c in page["candidates"]] == ["नीरव मोदी"]
    assert {h["source"] for h in page["hits"]} >= {"pm0.txt", "pm1.txt", "pm2.txt"}
    assert {h["source"] for h in kb.search_results("Narendra Modi")["hits"][:3]} == {
        "pm0.txt",
        "pm1.txt",
        "pm2.txt",
    }


def test_romanised_word_is_not_read_as_a_rare_entity_that_starts_with_it(kb: KnowledgeBase) -> None:
    """ "chunav" is the word चुनाव when an entity matching it (an organisation named चुनाव आयोग, in one
    article) is in few of the articles with that word; "chunav aayog" names the organisation."""
    for i in range(4):
        kb.add_article(plain(f"विधानसभा चुनाव के {i} चरण में भारी मतदान हुआ.", f"poll{i}.txt"))
    text = "चुनाव आयोग ने मतदाता सूची जारी की."
    art = plain(text, "ec.txt")
    mention = Mention(0, len("चुनाव आयोग"), "चुनाव आयोग", "ORGANIZATION", name="चुनाव आयोग", entity="e0")
    art.mentions.append(mention)
    art.entities.append(
        Entity("e0", "ORGANIZATION", "चुनाव आयोग", "Chunav Aayog", "romanized", None, (), (mention,))
    )
    kb.add_article(art)
    assert latin_candidates(kb.connection, "chunav")[0].name == "चुनाव आयोग"
    page = kb.search_results("chunav")
    assert page["entity"] is None and [c["name"] for c in page["candidates"]] == ["चुनाव आयोग"]
    assert {h["source"] for h in page["hits"]} == {
        "poll0.txt",
        "poll1.txt",
        "poll2.txt",
        "poll3.txt",
        "ec.txt",
    }
    named = kb.search_results("chunav aayog")
    assert named["entity"]["name"] == "चुनाव आयोग"
    assert {h["source"] for h in named["hits"]} == {"ec.txt"}


def test_facets_totals_and_paging(kb: KnowledgeBase) -> None:
    for i in range(5):
        kb.add_article(plain(f"बाढ़ से गांव {i} डूबा.", f"s{i % 2}", date(2024, 7, 1 + i)))
    page = kb.search_results("बाढ़", limit=2, offset=2, facets=True)
    assert page["total"] == 5 and len(page["hits"]) == 2
    assert {s["source"]: s["articles"] for s in page["facets"]["sources"]} == {"s0": 3, "s1": 2}
    assert [d["articles"] for d in page["facets"]["dates"]] == [1] * 5


def test_vector_index_is_exact_nearest(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    matrix = rng.normal(size=(50, 384)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    index = vectors.VectorIndex(np.arange(50, dtype=np.int64) + 1, matrix)
    got = index.nearest(matrix[7], 3)
    assert got[0][0] == 8 and got[0][1] == pytest.approx(1.0, abs=1e-5)
    assert index.nearest(matrix[7], 3, allowed={1, 2})[0][0] in (1, 2)


def test_vector_matrix_is_reread_when_vectors_change(kb: KnowledgeBase) -> None:
    for i in range(3):
        kb.add_article(plain(f"बाढ़ से गांव {i} डूबा.", f"s{i}"))
    conn = kb.connection
    rowids = [r[0] for r in conn.execute("SELECT rowid FROM articles ORDER BY rowid")]
    unit = np.eye(384, dtype=np.float32)

    def put(rowid: int, vec: np.ndarray) -> None:
        conn.execute(
            "INSERT OR REPLACE INTO article_vectors (rowid, model, vector) VALUES (?, 'm', ?)",
            (rowid, vec.tobytes()),
        )

    put(rowids[0], unit[0])
    put(rowids[1], unit[1])
    assert vectors.load_index(conn).nearest(unit[1], 1)[0][0] == rowids[1]
    put(rowids[1], unit[2])  # same rows, same count: a changed vector
    assert vectors.load_index(conn).nearest(unit[2], 1)[0][0] == rowids[1]
    conn.execute("DELETE FROM article_vectors WHERE rowid = ?", (rowids[0],))
    put(rowids[2], unit[0])  # same count again, another row
    assert vectors.load_index(conn).nearest(unit[0], 1)[0][0] == rowids[2]


@pytest.mark.slow
def test_english_topic_query_finds_hindi_article_semantic(kb: KnowledgeBase) -> None:
    kb.add_article(plain("असम में ब्रह्मपुत्र नदी उफान पर है और बाढ़ से हजारों गांव पानी में डूब गए हैं।", "flood.txt"))
    kb.add_article(plain("भारतीय क्रिकेट टीम ने ऑस्ट्रेलिया को टेस्ट मैच में हरा दिया।", "cricket.txt"))
    kb.add_article(plain("रिजर्व बैंक ने रेपो दर में कटौती का ऐलान किया।", "rbi.txt"))
    assert vectors.embed_missing(kb.connection) == 3
    for query, want in [("floods in Assam", "flood.txt"), ("cricket match win", "cricket.txt")]:
        page = kb.search_results(query, mode="semantic")
        assert page["hits"][0]["source"] == want, page["hits"]
    hybrid = kb.search_results("बाढ़", mode="hybrid")
    assert hybrid["hits"][0]["source"] == "flood.txt"


def test_fast_totals_count_copies_once_like_the_filtered_path(kb: KnowledgeBase) -> None:
    from khabar.store.keyword_rank import Totals
    from khabar.store.search import Filters, _keyword_totals
    from khabar.store.search_query import build_query

    for i in range(6):
        kb.add_article(plain(f"बाढ़ से गांव {i} डूबा और किसान परेशान.", f"s{i}", date(2024, 7, 1 + i)))
    conn = kb.connection
    conn.execute("PRAGMA foreign_keys = OFF")  # cluster ids without cluster rows: only counts matter
    conn.execute("UPDATE articles SET cluster = 'c1' WHERE rowid IN (1, 2, 3)")
    conn.execute("UPDATE articles SET cluster = 'c2' WHERE rowid = 6")
    everything = Filters(date_from="2000-01-01")  # the filtered (join) path over the same articles
    for query in ("बाढ़", "किसान गांव", "बाढ़ OR किसान"):
        found = build_query(query)
        assert _keyword_totals(conn, found, Filters(), query) == _keyword_totals(
            conn, found, everything, query
        )
    assert _keyword_totals(conn, build_query("बाढ़"), Filters(), "बाढ़") == Totals(4, 6)


def test_query_is_encoded_without_holding_the_knowledge_base_lock(
    kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading

    from khabar.store import embedder

    kb.add_article(plain("बाढ़ से गांव डूबा.", "s0"))
    rowid = kb.connection.execute("SELECT rowid FROM articles").fetchone()[0]
    unit = np.eye(384, dtype=np.float32)[0]
    kb.connection.execute(
        "INSERT INTO article_vectors (rowid, model, vector) VALUES (?, 'm', ?)", (rowid, unit.tobytes())
    )
    free: list[bool] = []

    def encode(text: str) -> np.ndarray:
        # Another thread (another request) can take the lock while the query is being encoded.
        def other() -> None:
            got = kb.lock.acquire(timeout=2)
            free.append(got)
            if got:
                kb.lock.release()

        thread = threading.Thread(target=other)
        thread.start()
        thread.join()
        return unit

    monkeypatch.setattr(embedder, "embed_query", encode)
    page = kb.search_results("flood", mode="semantic")
    assert free == [True] and page["hits"][0]["source"] == "s0"


def test_hnsw_index_agrees_with_exact_search_and_grows_by_copy() -> None:
    pytest.importorskip("usearch")
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(20, 384))
    matrix = (centres[rng.integers(0, 20, 3000)] + 0.5 * rng.normal(size=(3000, 384))).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    rowids = np.arange(3000, dtype=np.int64) * 2 + 1
    index = vectors.VectorIndex(rowids[:2500], matrix[:2500])
    index.start_ann(wait=True)
    assert index.ann is not None and len(index.ann) == 2500
    grown = vectors.VectorIndex(rowids, matrix)
    grown.start_ann(index, wait=True)
    assert len(grown.ann) == 3000 and len(index.ann) == 2500  # the old state's index is left as it was
    hits = 0
    for q in matrix[rng.integers(0, 3000, 30)]:
        exact = [r for r, _ in grown.nearest(q, 10, exact=True)]
        ann = grown.nearest(q, 10)
        assert [s for _, s in ann] == sorted((s for _, s in ann), reverse=True)
        hits += len(set(exact) & {r for r, _ in ann})
    assert hits / 300 >= 0.9
    # A filter is answered exactly over the allowed rows.
    assert {r for r, _ in grown.nearest(matrix[0], 5, allowed={1, 3, 5})} == {1, 3, 5}
