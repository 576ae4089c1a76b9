"""`khabar ingest/duplicates/search/entities/entity/events/export` from the command line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from corpus_support import write_stories
from khabar.cli import app

SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"
RUN_MAIN = "import sys; from khabar.cli import main; sys.argv[0] = 'khabar'; main()"


def khabar(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real entry point in a subprocess, as a person would."""
    return subprocess.run(
        [sys.executable, "-c", RUN_MAIN, *args], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("corpus")
    write_stories(folder / "in", 4)
    (folder / "in" / "seed.txt").write_bytes(SEED.read_bytes())
    (folder / "in" / "seed-copy.txt").write_bytes(SEED.read_bytes())
    db = folder / "demo.db"
    result = CliRunner().invoke(app, ["ingest", str(folder / "in"), "--db", str(db), "--workers", "1"])
    assert result.exit_code == 0, result.output
    return db


def run_json(*args: str) -> Any:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def items(*args: str) -> list[Any]:
    """The rows of a list command's JSON envelope (checked for its five keys)."""
    page = run_json(*args)
    assert set(page) - {"entity_resolution"} == {
        "items",
        "total",
        "limit",
        "offset",
        "next",
    }  # search, events
    assert page["total"] >= len(page["items"])
    rows: list[Any] = page["items"]
    return rows


def test_ingest_reports_a_summary(tmp_path: Path) -> None:
    write_stories(tmp_path / "in", 2)
    proc = khabar("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "kb.db"), "--workers", "1")
    assert proc.returncode == 0, proc.stderr
    assert "2 added" in proc.stderr and proc.stdout == ""


def test_search_returns_ranked_json_with_marked_snippets(demo_db: Path) -> None:
    page = run_json("search", "जेलेंस्की", "--db", str(demo_db), "--facets")
    hits = page["items"]
    # The seed and its copy are one story: one hit, the copy counted.
    assert page["total"] == 1 and page["total_articles"] == len(hits) + hits[0]["copies"]
    assert {"entities", "sources", "dates"} <= set(page["facets"])
    assert {"id", "source", "title", "headline", "score", "snippet"} <= set(hits[0])
    assert hits[0]["source"].endswith("seed.txt") or hits[0]["source"].endswith("seed-copy.txt")
    assert "<mark>जेलेंस्की</mark>" in hits[0]["snippet"]


def test_search_text_format_shows_hits(demo_db: Path) -> None:
    result = CliRunner().invoke(
        app, ["search", "मंडी", "--db", str(demo_db), "--format", "text", "--limit", "2"]
    )
    assert result.exit_code == 0 and "मंडी" in result.stdout and "<mark>" not in result.stdout


def test_english_topic_words_without_matches_point_to_meaning_search(demo_db: Path) -> None:
    runner = CliRunner()
    topic = runner.invoke(app, ["search", "ceasefire talks", "--db", str(demo_db), "--format", "text"])
    assert topic.exit_code == 0 and "no matches" in topic.stdout and "--mode semantic" in topic.stdout
    name = runner.invoke(app, ["search", "Zelensky", "--db", str(demo_db), "--format", "text"])
    assert name.exit_code == 0 and "read as" in name.stdout and "--mode semantic" not in name.stdout
    assert " 1 articles" not in name.stdout


def test_malformed_search_is_a_one_line_error(demo_db: Path) -> None:
    proc = khabar("search", '"जेलेंस्की', "--db", str(demo_db))
    assert proc.returncode == 2
    assert proc.stderr.strip().count("\n") == 0 and "unbalanced" in proc.stderr


def test_missing_database_is_a_one_line_error(tmp_path: Path) -> None:
    proc = khabar("entities", "--db", str(tmp_path / "none.db"))
    assert proc.returncode == 2 and "no such knowledge base" in proc.stderr


def test_duplicates_lists_both_copies_with_their_paths(demo_db: Path) -> None:
    groups = items("duplicates", "--db", str(demo_db))
    assert len(groups) == 1
    sources = sorted(Path(a["source"]).name for a in groups[0]["articles"])
    assert sources == ["seed-copy.txt", "seed.txt"]


def test_entities_and_entity_pages(demo_db: Path) -> None:
    rows = items("entities", "--db", str(demo_db), "--type", "PERSON")
    assert rows
    assert all(r["type"] == "PERSON" and r["articles"] >= 1 for r in rows)
    page = run_json("entity", rows[0]["id"], "--db", str(demo_db))
    assert isinstance(page, dict) and page["id"] == rows[0]["id"]
    proc = khabar("entity", "कोई नहीं", "--db", str(demo_db))
    assert proc.returncode == 2 and "no entity 'कोई नहीं'" in proc.stderr


def test_events_are_json(demo_db: Path) -> None:
    events = items("events", "--db", str(demo_db))
    for ev in events:
        assert {"article_id", "type", "cameo", "participants", "date"} <= set(ev)


def test_export_jsonl_and_parquet(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb.jsonl"
    assert (
        CliRunner()
        .invoke(app, ["export", "--db", str(demo_db), "--format", "jsonl", "--out", str(out)])
        .exit_code
        == 0
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and all("kb_entities" in json.loads(line) for line in lines)
    folder = tmp_path / "pq"
    result = CliRunner().invoke(
        app, ["export", "--db", str(demo_db), "--format", "parquet", "--out", str(folder)]
    )
    assert result.exit_code == 0, result.output
    assert pq.read_table(folder / "articles.parquet").num_rows == 5
    assert pq.read_table(folder / "documents.parquet").num_rows == 6


def test_export_gkg_has_a_header_and_a_row_per_article(demo_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb.gkg.tsv"
    result = CliRunner().invoke(app, ["export", "--db", str(demo_db), "--format", "gkg", "--out", str(out)])
    assert result.exit_code == 0, result.output
    lines = out.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 5 and not lines[0].startswith("GKGRECORDID")
    result = CliRunner().invoke(
        app, ["export", "--db", str(demo_db), "--format", "gkg", "--out", str(out), "--header"]
    )
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("GKGRECORDID") and len(lines) == 6
