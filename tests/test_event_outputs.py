"""One event shape with source, target, code, modality, date grain and English names across the
article JSON, CLI text, the knowledge base and /api/events, the pages, Parquet, GKG and the Event export."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from fastapi.testclient import TestClient

from facts_support import EntitySpec, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.events import extract_events
from khabar.article import Article, event_dict
from khabar.export.events import EVENT_COLUMNS, event_rows
from khabar.export.gkg import gkg_row
from khabar.export.parquet import export_parquet
from khabar.report import event_line
from khabar.serve import create_app
from khabar.store.kb import KnowledgeBase

TEXT = "अमेरिका ने सोमवार को ईरान पर नए प्रतिबंध लगाए. जयशंकर अगले हफ्ते वॉशिंगटन में ब्लिंकन से मुलाकात करेंगे."
SPEC: EntitySpec = {
    "l1": ("LOCATION", "अमेरिका", ("अमेरिका",)),
    "l2": ("LOCATION", "ईरान", ("ईरान",)),
    "l3": ("LOCATION", "वॉशिंगटन", ("वॉशिंगटन",)),
    "p1": ("PERSON", "एस जयशंकर", ("जयशंकर",)),
    "p2": ("PERSON", "एंटनी ब्लिंकन", ("ब्लिंकन",)),
}
ENGLISH = {
    "l1": "United States",
    "l2": "Iran",
    "l3": "Washington",
    "p1": "S. Jaishankar",
    "p2": "Antony Blinken",
}
SHAPE = {
    "type", "cameo", "root", "quad_class", "goldstein", "modality", "confidence", "actor1", "actor2",
    "others", "place", "date", "date_grain", "date_last", "date_shown", "date_source", "trigger", "evidence",
}  # fmt: skip


def analysed() -> Article:
    article = make_article(TEXT, SPEC, date(2026, 3, 10))
    article.entities = [replace(e, name_en=ENGLISH[e.id]) for e in article.entities]
    article.source = "story.txt"
    extract_dates(article)
    return extract_events(article)


@pytest.fixture(scope="module")
def kb_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("events") / "kb.db"
    with KnowledgeBase(path) as kb:
        kb.add_article(analysed())
    return path


@pytest.fixture(scope="module")
def client(kb_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(kb_path)) as c:
        yield c


def test_article_json_events_have_actors_modality_and_grain() -> None:
    article = analysed()
    sanction, meeting = (event_dict(article, ev) for ev in article.events)
    assert sanction.keys() >= SHAPE and meeting.keys() >= SHAPE
    assert (sanction["cameo"], sanction["root"], sanction["quad_class"], sanction["modality"]) == (
        "163",
        "16",
        4,
        "occurred",
    )
    assert (sanction["actor1"]["name_en"], sanction["actor2"]["name_en"]) == ("United States", "Iran")
    assert (sanction["date"], sanction["date_grain"], sanction["date_source"]) == (
        "2026-03-09",
        "day",
        "text",
    )
    assert (meeting["modality"], meeting["date_grain"], meeting["date_shown"]) == (
        "planned",
        "week",
        "2026-W12",
    )
    assert (meeting["actor1"]["name_en"], meeting["actor2"]["name_en"]) == ("S. Jaishankar", "Antony Blinken")
    assert meeting["place"]["name_en"] == "Washington"
    assert Article.from_dict(article.to_dict()).events == article.events


def test_knowledge_base_and_cli_text_show_the_same_event(kb_path: Path) -> None:
    article = analysed()
    with KnowledgeBase(kb_path, readonly=True) as kb:
        rows = kb.list_events()
        assert [r["modality"] for r in kb.list_events(modality="planned")] == ["planned"]
    assert all(r.keys() >= SHAPE for r in rows)
    local = sorted(event_line(event_dict(article, ev)) for ev in article.events)
    assert sorted(event_line(r) for r in rows) == local
    assert any("United States → Iran" in line for line in local)


def test_api_events_have_the_shape_and_filter_by_modality(client: TestClient) -> None:
    events = client.get("/api/events").json()["items"]
    assert len(events) == 2 and all(e.keys() >= SHAPE for e in events)
    occurred = client.get("/api/events", params={"modality": "occurred"}).json()["items"]
    assert [(e["actor1"]["name_en"], e["actor2"]["name_en"]) for e in occurred] == [("United States", "Iran")]
    assert client.get("/api/events", params={"modality": "maybe"}).status_code == 400


def test_pages_show_source_target_modality_and_date(client: TestClient) -> None:
    page = client.get("/events").text
    assert "United States" in page and "Iran" in page and "planned" in page and "2026-W12" in page
    aid = client.get("/api/events").json()["items"][0]["article_id"]
    article = client.get(f"/articles/{aid}").text
    assert "source → target" in article and "Antony Blinken" in article and "2026-W12" in article


def test_parquet_events_table_has_actor_and_modality_columns(kb_path: Path, tmp_path: Path) -> None:
    with KnowledgeBase(kb_path, readonly=True) as kb:
        export_parquet(kb, tmp_path)
    table = pq.read_table(tmp_path / "events.parquet").to_pylist()
    got = {
        (r["cameo"], r["actor1_name_en"], r["actor2_name_en"], r["modality"], r["date_grain"]) for r in table
    }
    assert got == {
        ("163", "United States", "Iran", "occurred", "day"),
        ("040", "S. Jaishankar", "Antony Blinken", "planned", "week"),
    }
    roles = {r["role"] for r in pq.read_table(tmp_path / "event_participants.parquet").to_pylist()}
    assert roles <= {"actor1", "actor2", "other"} and "actor1" in roles


def test_gkg_and_event_export_keep_only_occurred_events_by_default() -> None:
    article = analysed()

    def events_block(row: str) -> str:
        extras = row.split("\t")[-1]
        return extras[extras.index("<KHABAR_EVENTS>") :]

    block = events_block(gkg_row(article))
    assert (
        block.startswith("<KHABAR_EVENTS>163|-8|impose sanctions|United States|Iran|")
        and "Blinken" not in block
    )
    assert "Antony Blinken|" in events_block(gkg_row(article, ("occurred", "planned")))
    [row] = list(event_rows(article))
    cells = dict(zip(EVENT_COLUMNS, row, strict=True))
    assert (cells["Actor1Name"], cells["Actor2Name"], cells["Actor1CountryCode"]) == (
        "UNITED STATES",
        "IRAN",
        "USA",
    )
    assert (cells["EventCode"], cells["EventRootCode"], cells["QuadClass"], cells["SQLDATE"]) == (
        "163",
        "16",
        "4",
        "20260309",
    )
    assert len(list(event_rows(article, ("occurred", "planned")))) == 2


def test_event_export_gives_a_state_or_city_actor_its_country() -> None:
    spec: EntitySpec = {
        "l1": ("LOCATION", "पंजाब", ("पंजाब",)),
        "l2": ("LOCATION", "हरियाणा", ("हरियाणा",)),
    }
    article = make_article(
        "पंजाब ने सोमवार को हरियाणा पर जल समझौता तोड़ने का आरोप लगाया.", spec, date(2025, 6, 3)
    )
    article.entities = [replace(e, name_en={"l1": "Punjab", "l2": "Haryana"}[e.id]) for e in article.entities]
    extract_dates(article)
    [row] = list(event_rows(extract_events(article)))
    cells = dict(zip(EVENT_COLUMNS, row, strict=True))
    assert (cells["Actor1Name"], cells["Actor1CountryCode"], cells["Actor1Code"]) == ("PUNJAB", "IND", "IND")
    assert (cells["Actor2Name"], cells["Actor2CountryCode"]) == ("HARYANA", "IND")
