"""Copies collapsed where a user counts (issue 12): an entity in three copies of one story and in one
other story is in 2 stories (3 articles, 4 documents) in the CLI, the API and the pages; the number of
duplicate groups is one number in ingest, stats, `khabar duplicates` and the home page."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from khabar.cli import app
from khabar.ingest.runner import ingest_paths
from khabar.serve import create_app
from khabar.store.kb import KnowledgeBase

BASE = Path(__file__).resolve().parents[1] / "bench" / "realcopies" / "base"
NAME = "लखनऊ"


@pytest.fixture(scope="module")
def copies_db(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    folder = tmp_path_factory.mktemp("counts") / "in"
    folder.mkdir()
    story = (BASE / "001.txt").read_text(encoding="utf-8")
    title, *paras = story.strip().split("\n\n")
    # three copies of one story: the original, an exact copy from a second path (one article, two
    # documents) and a truncated reprint; then a follow-up (another story) from the same city
    (folder / "a_original.txt").write_text(story, encoding="utf-8")
    (folder / "b_same.txt").write_text(story, encoding="utf-8")
    (folder / "c_reprint.txt").write_text("\n\n".join([title, *paras[:3]]) + "\n", encoding="utf-8")
    (folder / "d_followup.txt").write_text((BASE / "001_followup.txt").read_text(encoding="utf-8"))
    db = folder.parent / "kb.db"
    summary = ingest_paths([str(folder)], db, workers=1)
    return db, summary.clusters


def entity_id(db: Path) -> str:
    with KnowledgeBase(db, readonly=True) as kb:
        ids = kb.resolve_entity(NAME)
    assert ids, f"{NAME} was not recognised"
    return ids[0]


def test_entity_counts_stories_and_documents_in_cli_api_and_pages(copies_db: tuple[Path, int]) -> None:
    db, _ = copies_db
    eid = entity_id(db)
    runner = CliRunner()
    listed = runner.invoke(app, ["entities", "--db", str(db), "--format", "json", "--limit", "500"])
    assert listed.exit_code == 0, listed.output
    [row] = [r for r in json.loads(listed.output)["items"] if r["id"] == eid]
    assert (row["stories"], row["articles"], row["documents"]) == (2, 3, 4)
    shown = runner.invoke(app, ["entity", eid, "--db", str(db), "--format", "text"])
    assert shown.exit_code == 0 and "in 2 stories (3 articles, 4 documents)" in shown.output
    one = json.loads(runner.invoke(app, ["entity", eid, "--db", str(db)]).output)
    assert (one["stories"], one["article_count"], one["documents"]) == (2, 3, 4)

    with TestClient(create_app(db)) as client:
        items = client.get("/api/entities", params={"limit": 500}).json()["items"]
        [api_row] = [r for r in items if r["id"] == eid]
        assert (api_row["stories"], api_row["articles"], api_row["documents"]) == (2, 3, 4)
        detail = client.get(f"/api/entities/{eid}").json()
        assert (detail["stories"], detail["article_count"], detail["documents"]) == (2, 3, 4)
        page = client.get(f"/entities/{eid}").text
        counts = re.search(r'<dd id="counts">(.*?)</dd>', page, re.S)
        assert counts is not None
        assert "2 stories" in counts.group(1) and "3 articles" in counts.group(1)
        assert "4 documents" in counts.group(1)
        table = client.get("/entities", params={"limit": 500}).text
        row_html = next(r for r in table.split("<tr>") if f"/entities/{eid}" in r or eid in r)
        cells = dict(re.findall(r'<td class="(stories|articles|documents)">(\d+)</td>', row_html))
        assert cells == {"stories": "2", "articles": "3", "documents": "4"}


def test_duplicate_groups_are_one_number_everywhere(copies_db: tuple[Path, int]) -> None:
    db, ingested = copies_db
    runner = CliRunner()
    listed = json.loads(runner.invoke(app, ["duplicates", "--db", str(db)]).output)
    with KnowledgeBase(db, readonly=True) as kb:
        stats = kb.stats()
    assert ingested == listed["total"] == stats["clusters"] == 1
    assert stats["stories"] == 2 and stats["documents"] == 4
    [group] = listed["items"]
    assert sorted(Path(a["source"]).name for a in group["articles"]) == [
        "a_original.txt",
        "b_same.txt",
        "c_reprint.txt",
    ]
    with TestClient(create_app(db)) as client:
        assert client.get("/api/stats").json()["clusters"] == 1
        assert client.get("/api/duplicates").json()["total"] == 1
