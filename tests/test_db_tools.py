"""The knowledge base as other tools see it: datasette (its own FTS detection and search), views for
people, declared foreign keys, `user_version`, light `articles` rows, and a version 2 file migrated."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from datasette.app import Datasette
from datasette.utils import detect_fts

from khabar.store import connection
from khabar.store.datasette import metadata
from khabar.store.kb import KnowledgeBase
from khabar.store.schema import MIGRATION_1, MIGRATION_2, SCHEMA_VERSION


def open_ro(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def test_datasette_detects_the_fts_table_of_articles(built_kb: Path) -> None:
    conn = open_ro(built_kb)
    assert detect_fts(conn, "articles") == "articles_fts"


def test_datasette_searches_and_shows_the_views(built_kb: Path) -> None:
    name = built_kb.stem
    ds = Datasette([str(built_kb)], immutables=[], metadata=metadata(name))

    async def get(url: str) -> object:
        response = await ds.client.get(url)
        assert response.status_code == 200, (url, response.text[:300])
        return response.json()

    def fetch(coro: Any) -> Any:
        # its own thread: the browser tests' playwright may hold this thread's event loop
        with ThreadPoolExecutor(1) as pool:
            return pool.submit(asyncio.run, coro).result()

    hits = fetch(get(f"/{name}/articles.json?_search=विटकॉफ&_shape=array&_col=headline"))
    assert isinstance(hits, list) and hits and all("headline" in h for h in hits)
    rows = fetch(get(f"/{name}/entity_summary.json?_shape=array&type=PERSON&_sort_desc=articles"))
    assert isinstance(rows, list) and rows[0]["name_en"]
    events = fetch(get(f"/{name}/event_view.json?_shape=array"))
    assert isinstance(events, list) and any(e["actor1"] for e in events)


def test_views_give_english_names_and_counts(built_kb: Path) -> None:
    conn = open_ro(built_kb)
    (n_articles,) = conn.execute("SELECT count(*) FROM article_summary").fetchone()
    assert n_articles == conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    zel = conn.execute(
        "SELECT name_en, wikidata_url, articles FROM entity_summary WHERE name_en LIKE '%Zelensk%'"
    ).fetchone()
    assert zel is not None and zel[1].startswith("https://www.wikidata.org/wiki/Q") and zel[2] >= 1
    meeting = conn.execute(
        "SELECT actor1, actor1_hi, place, day, cameo FROM event_view WHERE cameo LIKE '04%' AND place = 'Paris'"
    ).fetchone()
    assert meeting is not None and meeting[3] == "2026-01-06"


def test_articles_are_light_rows_with_declared_keys(built_kb: Path) -> None:
    conn = open_ro(built_kb)
    columns = {r[1]: r[2] for r in conn.execute("PRAGMA table_info(articles)")}
    assert "analysis" not in columns and "BLOB" not in columns.values()
    assert {"headline", "lead", "text", "cluster"} <= set(columns)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    keys = {
        (table, r[3]): r[2]
        for (table,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        for r in conn.execute(f"PRAGMA foreign_key_list({table})")
    }
    assert keys[("articles", "cluster")] == "clusters"
    assert keys[("article_analysis", "article_id")] == "articles"
    assert keys[("events", "location_entity")] == "entities"
    # every column naming another row declares it
    for (table,) in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%'"
    ):
        for r in conn.execute(f"PRAGMA table_info({table})"):
            column = r[1]
            if (
                column.endswith(("_entity", "article_id", "entity_id", "event_id"))
                and column != "local_entity"
            ):
                assert (table, column) in keys, f"{table}.{column} has no declared foreign key"


def _v2_file(path: Path) -> None:
    """A version 2 knowledge base with one untitled article, written as khabar 2 wrote it."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE schema_version (version INTEGER NOT NULL, applied_at TEXT NOT NULL)")
    for script in (MIGRATION_1, MIGRATION_2):
        conn.executescript(script)
    text = "जेलेंस्की ने पेरिस में बैठक की। दूसरा वाक्य।"
    analysis = {"schema_version": 1, "id": "a1", "text": text, "sentences": [{"start": 0, "end": 31}]}
    conn.execute(
        "INSERT INTO articles (id, source, title, published, language, lead, text, raw_hash, text_hash, words, "
        "minhash, sentence_hashes, analysis, ingested_at) VALUES "
        "('a1', 'a.txt', NULL, '2026-01-06', 'hi', ?, ?, 'r', 't', 8, x'00', x'00', ?, 'now')",
        (text, text, json.dumps(analysis, ensure_ascii=False)),
    )
    conn.execute("INSERT INTO articles_fts (rowid, title, lead, text) VALUES (1, NULL, ?, ?)", (text, text))
    conn.execute("INSERT INTO schema_version VALUES (1, 'then'), (2, 'then')")
    conn.commit()
    conn.close()


def test_a_version_2_file_migrates_keeping_its_articles(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    _v2_file(path)
    connection.connect(path).close()
    with KnowledgeBase(path, readonly=True) as kb:
        [hit] = kb.search("पेरिस")
        assert hit["id"] == "a1" and hit["headline"] == "जेलेंस्की ने पेरिस में बैठक की।"
        article = kb.get_article("a1")
        assert article is not None and article["text"].startswith("जेलेंस्की")
    conn = open_ro(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert conn.execute("SELECT hex(minhash) FROM article_fingerprints").fetchone() == ("00",)
    assert detect_fts(conn, "articles") == "articles_fts"
