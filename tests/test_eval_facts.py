"""`khabar eval facts`: the gold loader and the matching rules (a tiny hand-made record, not gold data)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from khabar.article import Actor, Article, DateExpr, Entity, Event, Mention, Quote, Span
from khabar.errors import InputError
from khabar.eval.facts import evaluate_facts, names_match
from khabar.eval.facts_gold import Locator, read_gold

TEXT = "मंत्री सुरेश राणा ने कहा कि 10 से 12 मई तक मेला लगेगा. पुलिस ने दो लोगों को गिरफ्तार किया."
RECORD = {
    "id": "t1",
    "part": "tune",
    "beat": "crime",
    "source": "x",
    "published": "2026-05-01",
    "title": None,
    "text": TEXT,
    "quotes": [
        {"content": "10 से 12 मई तक मेला लगेगा", "kind": "reported", "speaker": "सुरेश राणा",
         "speaker_name": "Suresh Rana", "source_kind": None, "cue": "कहा"}
    ],
    "events": [
        {"triggers": ["गिरफ्तार"], "cameo": "173", "root": "17", "actor1": "police", "actor2": None,
         "others": [], "modality": "occurred", "location": None, "date": None, "date_grain": None, "evidence": None}
    ],
    "dates": [{"text": "10 से 12 मई", "value": "2026-05-10", "grain": "day", "end": "2026-05-12"}],
}  # fmt: skip


def predicted() -> Article:
    rana = Mention(7, 16, "सुरेश राणा", "PERSON", entity="e1")
    trig = TEXT.index("गिरफ्तार")
    dstart = TEXT.index("10 से")
    return Article(
        text=TEXT,
        mentions=[rana],
        entities=[Entity("e1", "PERSON", "सुरेश राणा", "Suresh Rana", "romanized", mentions=(rana,))],
        quotes=[Quote(TEXT.index("10 से"), TEXT.index(" मेला") + 11, "…", "e1", "कहा")],
        events=[
            Event("arrest", "173", -5.0, Span(trig, trig + 8), "गिरफ्तार", mentions=(Span(trig, trig + 8),),
                  actor1=Actor(None, "पुलिस", "police", "COP")),
            Event("arrest", "173", -5.0, Span(trig, trig + 8), "गिरफ्तार", mentions=(Span(trig, trig + 8),)),
        ],
        dates=[DateExpr(dstart, dstart + 11, "10 से 12 मई", "2026-05-10", "day", "x", "2026-05-12")],
    )  # fmt: skip


def test_names_match_by_tokens_in_either_script() -> None:
    assert names_match("Narendra Modi", ["narendra modi"])
    assert names_match("नरेंद्र मोदी", ["मोदी"])
    assert not names_match("Rajnath Singh", ["Manmohan Singh"])


def test_scores_quotes_events_and_dates_with_one_to_one_matching(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(RECORD, ensure_ascii=False) + "\n", encoding="utf-8")
    [gold] = read_gold(path)
    assert gold.published == date(2026, 5, 1) and gold.events[0].root == "17"
    result = evaluate_facts([gold], {"t1": predicted()}, errors=True)
    assert result["quotes"]["f1"] == 1.0 and result["quotes"]["speaker"]["accuracy"] == 1.0
    # the same arrest twice: the second counts against precision
    assert (result["events"]["correct"], result["events"]["predicted"], result["events"]["gold"]) == (1, 2, 1)
    assert result["events"]["actor1"]["accuracy"] == 1.0
    assert result["dates"]["resolved"]["accuracy"] == 1.0
    assert [e["error"] for e in result["errors"]["events"]] == ["spurious"]


def test_locator_finds_normalised_fragments() -> None:
    loc = Locator("पहला पैरा।\nदूसरा  पैरा", "पहला पैरा।\n\nदूसरा पैरा")
    assert loc.find("दूसरा  पैरा") == (12, 22)
    assert loc.find("नहीं है") is None


def test_bad_gold_line_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_text('{"id": "x"}\n', encoding="utf-8")
    with pytest.raises(InputError, match="not a facts gold record"):
        read_gold(path)
