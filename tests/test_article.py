"""The data model: `Article.to_dict()` / `from_dict()` round-trip with every layer filled."""

from __future__ import annotations

import json
from datetime import date

import pytest

from khabar import SCHEMA_VERSION, Article, analyze
from khabar.article import (
    Block,
    DateExpr,
    Entity,
    Event,
    Mention,
    Quantity,
    Quote,
    Sentence,
    Span,
    content_id,
)


def full_article() -> Article:
    text = "राष्ट्रपति जेलेंस्की ने 7 जनवरी को पेरिस में 25 देशों से बात की।"
    modi = Mention(0, 20, "राष्ट्रपति जेलेंस्की", "PERSON", "model", name="जेलेंस्की", role="राष्ट्रपति", entity="e1")
    paris = Mention(36, 41, "पेरिस", "LOCATION", "gazetteer", entity="e2")
    return Article(
        text=text,
        raw="raw " + text,
        id="abc123",
        source="x.txt",
        url="https://example.in/1",
        title="बैठक",
        published=date(2026, 1, 6),
        language="hi",
        language_confidence=0.98,
        blocks=[
            Block(0, "paragraph", text, "raw " + text, 0, len(text)),
            Block(1, "boilerplate", "ये भी पढ़ें: x", "ये भी पढ़ें: x", rule="teaser"),
            Block(2, "duplicate", text, text, duplicate_of=0, rule="exact"),
        ],
        sentences=[Sentence(0, len(text), ((0, 10), (11, 20)), block=0)],
        mentions=[modi, paris],
        entities=[
            Entity(
                "e1",
                "PERSON",
                "जेलेंस्की",
                "Zelenskyy",
                "gazetteer",
                wikidata="Q3874799",
                roles=("राष्ट्रपति",),
                mentions=(modi,),
                aliases=("वोलोदिमिर जेलेंस्की",),
            ),
            Entity("e2", "LOCATION", "पेरिस", "Paris", "romanized", mentions=(paris,)),
        ],
        dates=[DateExpr(24, 31, "7 जनवरी", "2026-01-07", "day", "day_month")],
        quantities=[Quantity(45, 47, "25", 25.0, ">", "देश")],
        quotes=[Quote(0, len(text), text, "e1", "बात की", "reported")],
        events=[
            Event(
                "consult",
                "040",
                1.0,
                Span(55, 61),
                "बात की",
                participants=("e1",),
                location="e2",
                date="2026-01-07",
                mentions=(Span(55, 61),),
                sentence=0,
            )
        ],
        summary=[text],
        warnings=["language: sample"],
        meta={"steps": ["x"], "n": 1},
    )


def test_round_trip_with_every_layer_populated() -> None:
    article = full_article()
    data = article.to_dict()
    again = Article.from_dict(json.loads(json.dumps(data, ensure_ascii=False)))
    assert again == article
    assert again.to_dict() == data


def test_json_carries_schema_version() -> None:
    assert full_article().to_dict()["schema_version"] == SCHEMA_VERSION


def test_newer_schema_version_is_rejected() -> None:
    data = full_article().to_dict()
    data["schema_version"] = SCHEMA_VERSION + 1
    with pytest.raises(ValueError, match="schema_version"):
        Article.from_dict(data)


def test_analysed_article_round_trips() -> None:
    article = analyze("पटना में बारिश\n\nपटना में भारी बारिश हुई। स्कूल बंद रहे।", published=date(2026, 1, 6))
    assert Article.from_dict(json.loads(json.dumps(article.to_dict()))) == article


def test_content_id_is_stable() -> None:
    assert content_id("पटना") == content_id("पटना") != content_id("दिल्ली")
    assert len(content_id("पटना")) == 16


def test_python_api_analyze_with_published_date() -> None:
    article = analyze("दिल्ली में आज बारिश हुई। लोग खुश हैं।", published=date(2026, 1, 6))
    assert article.published == date(2026, 1, 6)
    assert article.language == "hi"
    assert [article.span_text(s.start, s.end) for s in article.sentences] == [
        "दिल्ली में आज बारिश हुई।",
        "लोग खुश हैं।",
    ]


def test_khabar_analyze_stays_callable_after_the_steps_are_imported() -> None:
    import importlib

    import khabar

    importlib.import_module("khabar.analysis")
    analyze("दिल्ली में बारिश हुई।")  # the first run imports the step modules
    from khabar import analyze as again

    assert len(again("दिल्ली में बारिश हुई। लोग खुश हैं।").sentences) == 2
    assert len(khabar.analyze("दिल्ली में बारिश हुई।").sentences) == 1
