"""The user's seed article through the full default pipeline (NER and resolution included).

The per-rule tests use hand-made entities instead.
"""

from __future__ import annotations

from datetime import date

import pytest

from facts_support import read_seed
from khabar.article import Article
from khabar.pipeline import analyze


@pytest.fixture(scope="module")
def seed_article() -> Article:
    return analyze(read_seed(), published=date(2026, 1, 6))


def by_name_en(article: Article, name_en: str) -> str:
    ids = [e.id for e in article.entities if e.name_en == name_en]
    if not ids:
        pytest.skip(f"NER/resolution did not produce {name_en}")
    return ids[0]


def test_seed_dates_and_quantity(seed_article: Article) -> None:
    values = {d.text: d.value for d in seed_article.dates}
    assert values["मंगलवार"] == "2026-01-06" and values["7 जनवरी"] == "2026-01-07"
    assert any((q.value, q.op, q.unit) == (25, ">", "देश") for q in seed_article.quantities)


def test_seed_two_quotes_by_witkoff(seed_article: Article) -> None:
    witkoff = by_name_en(seed_article, "Steve Witkoff")
    texts = [q.text for q in seed_article.quotes if q.speaker == witkoff]
    assert len(texts) == 2 and "मुद्दों" in texts[0] and "शांति" in texts[1]


def test_seed_one_meeting_in_paris(seed_article: Article) -> None:
    meetings = [e for e in seed_article.events if e.cameo.startswith("04")]
    assert len(meetings) == 1
    [m] = meetings
    people = {by_name_en(seed_article, n) for n in ("Volodymyr Zelensky", "Steve Witkoff", "Jared Kushner")}
    assert people <= set(m.participants)
    assert m.location == by_name_en(seed_article, "Paris")
    assert m.date == "2026-01-06"
    assert 2 <= len(seed_article.summary) <= 3
