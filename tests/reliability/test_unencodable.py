"""Defect 2: one lone surrogate (a "\\ud800" escape in JSON) stopped ingest for good, failed
/api/analyze with a leaked worker, and broke the Python API."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from fastapi.testclient import TestClient

from corpus_support import story
from khabar.pipeline import analyze
from khabar.store.kb import KnowledgeBase
from reliability_support import khabar

SURROGATE_TEXT = "पटना में किसानों ने \ud800 धरना दिया और सरकार से बात की मांग की."


def _records(tmp_path: Path) -> Path:
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"id": "a", "text": story(1)}, ensure_ascii=False),
        # json.dumps writes the lone surrogate as the escape \ud800, as a broken scraper would
        json.dumps({"id": "b", "text": story(2).replace("मंडी", "मंडी\ud800", 1)}),
        json.dumps({"id": "c", "text": story(3)}, ensure_ascii=False),
    ]
    assert "\\ud800" in lines[1]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_lone_surrogate_in_jsonl_does_not_stop_ingest(tmp_path: Path) -> None:
    feed, db = _records(tmp_path), tmp_path / "kb.db"
    done = khabar("ingest", str(feed), "--db", str(db), "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    ids = [r[0] for r in conn.execute("SELECT id FROM articles ORDER BY id")]
    conn.close()
    with KnowledgeBase(db, readonly=True) as kb:
        analysis = kb.get_article("b")
    assert analysis is not None
    assert ids == ["a", "b", "c"]
    assert "\ufffd" in analysis["text"]
    assert any("unencodable" in w and "1 " in w for w in analysis["warnings"])
    again = khabar("ingest", str(feed), "--db", str(db), "--workers", "1", "--quiet")
    assert again.returncode == 0 and "0 added" in again.stderr


def test_python_api_replaces_and_counts_unencodable_characters() -> None:
    article = analyze(SURROGATE_TEXT)
    encoded = json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")
    assert "\ufffd" in article.text and b"\\ud800" not in encoded
    assert [w for w in article.warnings if "unencodable" in w] == [
        "unicode: replaced 1 unencodable character (lone surrogates) with U+FFFD"
    ]


def test_a_split_surrogate_pair_is_joined_not_replaced() -> None:
    article = analyze("पटना में किसानों ने धरना दिया \ud83d\ude00 और बात की मांग की.")
    assert "😀" in article.text and not any("unencodable" in w for w in article.warnings)


def test_api_analyze_with_a_lone_surrogate_answers_and_leaves_no_worker(story_kb: Path) -> None:
    from khabar.serve import ServeOptions, create_app

    app = create_app(story_kb, ServeOptions(analyze_slots=1))
    services = app.state.khabar
    body = json.dumps({"text": SURROGATE_TEXT})  # ASCII JSON with the escape \ud800
    with TestClient(app, raise_server_exceptions=False) as client:
        answers = [
            client.post("/api/analyze", content=body, headers={"content-type": "application/json"})
            for _ in range(4)
        ]
        assert [a.status_code for a in answers] == [200] * 4, answers[0].text
        assert "\ufffd" in answers[0].json()["text"]
        assert services.live_analysis_workers() <= 1  # one reused worker, none leaked
    assert services.live_analysis_workers() == 0
