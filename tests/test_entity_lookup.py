"""Resolving a user's name to knowledge-base entities: the best one by type fit and article count, the
others as candidates ("did you mean"), in the library, the CLI and the API."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khabar.article import Article, Entity, Mention
from khabar.cli import app
from khabar.pipeline import analyze
from khabar.store.kb import KnowledgeBase


def entity_article(text: str, source: str, kind: str, name: str, name_en: str) -> Article:
    """An article with one entity whose single mention is the first occurrence of `name`."""
    article = analyze(text, date(2026, 1, 6), source=source, html=False, steps=())
    start = article.text.index(name)
    mention = Mention(start, start + len(name), name, kind, entity="e1")  # type: ignore[arg-type]
    article.mentions.append(mention)
    article.entities.append(Entity("e1", kind, name, name_en, "gazetteer", None, (), (mention,)))  # type: ignore[arg-type]
    return article


@pytest.fixture
def modi_kb(tmp_path: Path) -> Path:
    """Narendra Modi in three articles, a one-article place 'मोदी' (an NER error) and Nirav Modi."""
    path = tmp_path / "kb.db"
    with KnowledgeBase(path) as kb:
        for i in range(3):
            text = f"नरेंद्र मोदी ने {i + 2} योजनाओं का उद्घाटन किया।"
            kb.add_article(entity_article(text, f"pm{i}.txt", "PERSON", "नरेंद्र मोदी", "Narendra Modi"))
        kb.add_article(entity_article("मोदी नगर में मेला लगा।", "place.txt", "LOCATION", "मोदी", "Modi"))
        kb.add_article(entity_article("नीरव मोदी लंदन में है।", "nirav.txt", "PERSON", "नीरव मोदी", "Nirav Modi"))
    return path


def test_english_surname_finds_the_most_written_about_person(modi_kb: Path) -> None:
    with KnowledgeBase(modi_kb, readonly=True) as kb:
        resolution = kb.resolve("Modi")
    assert resolution.best is not None and resolution.best.name_en == "Narendra Modi"
    assert {c.name_en for c in resolution.candidates} == {"Modi", "Nirav Modi"}
    assert resolution.candidates[0].name_en == "Nirav Modi"  # a person fits better than the place


def test_hindi_surname_prefers_the_person_over_a_one_article_place(modi_kb: Path) -> None:
    with KnowledgeBase(modi_kb, readonly=True) as kb:
        resolution = kb.resolve("मोदी")
        page = kb.get_entity("मोदी")
    assert resolution.best is not None and resolution.best.name == "नरेंद्र मोदी"
    assert page is not None and page["name"] == "नरेंद्र मोदी"
    assert {c["name"] for c in page["candidates"]} == {"मोदी", "नीरव मोदी"}


def test_asking_for_a_type_puts_it_first(modi_kb: Path) -> None:
    with KnowledgeBase(modi_kb, readonly=True) as kb:
        resolution = kb.resolve("मोदी", type="LOCATION")
    assert resolution.best is not None and resolution.best.type == "LOCATION"


def test_entity_command_prints_did_you_mean(modi_kb: Path) -> None:
    result = CliRunner().invoke(app, ["entity", "Modi", "--db", str(modi_kb), "--format", "text"])
    assert result.exit_code == 0, result.output
    assert "नरेंद्र मोदी" in result.output.splitlines()[1] or "नरेंद्र मोदी" in result.output
    assert "did you mean" in result.output and "Nirav Modi" in result.output
    assert "1 articles" not in result.output and "1 article," in result.output


def test_entity_filter_uses_the_best_candidate(modi_kb: Path) -> None:
    with KnowledgeBase(modi_kb, readonly=True) as kb:
        hits = kb.search("योजनाओं", entity="Modi")
        none = kb.search("मेला", entity="Modi")
    assert len(hits) == 3 and none == []


def test_unknown_name_has_no_best_and_no_candidates(modi_kb: Path) -> None:
    with KnowledgeBase(modi_kb, readonly=True) as kb:
        resolution = kb.resolve("Kejriwal")
    assert resolution.best is None and resolution.candidates == ()
    assert resolution.to_dict() == {"query": "Kejriwal", "best": None, "candidates": []}
