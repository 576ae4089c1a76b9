"""`khabar eval names`: the entity-gold loader, English-name matching, Wikidata and linking figures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from khabar.errors import InputError
from khabar.eval.entity_gold import load_entity_gold, parse_marked
from khabar.eval.names import english_match_key, evaluate_names

PARAGRAPHS = [
    {
        "id": "x1",
        "part": "dev",
        "beat": "national",
        "published": "2025-03-01",
        "text": "[[नरेंद्र मोदी|PER|modi]] ने [[पटना|LOC|patna]] में रैली की।",
    },
    {
        "id": "x2",
        "part": "dev",
        "beat": "national",
        "published": "2025-03-02",
        "text": "प्रधानमंत्री [[मोदी|PER|modi]] [[लखनऊ|LOC|lucknow]] पहुंचे।",
    },
    {
        "id": "x3",
        "part": "test",
        "beat": "x",
        "published": "2025-03-03",
        "text": "[[पटना|LOC|patna]] में बारिश।",
    },
]
ENTITIES = (
    "gid\ttype\tname_en\twikidata\tprominent\tclass\thindi_canonical\tnote\n"
    "modi\tPER\tNarendra Modi\tQ1058\tyes\thuman\tनरेंद्र मोदी\t\n"
    "patna\tLOC\tPatna\t\tyes\tcity\tपटना\t\n"
    "lucknow\tLOC\tLucknow\t\tyes\tcity\tलखनऊ\t\n"
)


@pytest.fixture
def gold_dir(tmp_path: Path) -> Path:
    (tmp_path / "paragraphs.jsonl").write_text(
        "\n".join(json.dumps(p, ensure_ascii=False) for p in PARAGRAPHS) + "\n", encoding="utf-8"
    )
    (tmp_path / "entities.tsv").write_text(ENTITIES, encoding="utf-8")
    return tmp_path


def test_markers_become_plain_text_and_offsets() -> None:
    text, mentions = parse_marked("[[नरेंद्र मोदी|PER|modi]] ने [[पटना|LOC|patna]] में")
    assert text == "नरेंद्र मोदी ने पटना में"
    assert [(text[m.start : m.end], m.type, m.gid) for m in mentions] == [
        ("नरेंद्र मोदी", "PERSON", "modi"),
        ("पटना", "LOCATION", "patna"),
    ]


def test_loader_reads_parts_and_entities(gold_dir: Path) -> None:
    gold = load_entity_gold(gold_dir)
    assert [p.id for p in gold.part("dev")] == ["x1", "x2"] and len(gold.part("all")) == 3
    assert gold.entities["modi"].wikidata == "Q1058" and gold.entities["modi"].prominent


def test_unknown_gid_is_a_one_line_error(gold_dir: Path) -> None:
    (gold_dir / "entities.tsv").write_text(ENTITIES.replace("lucknow", "lko"), encoding="utf-8")
    with pytest.raises(InputError, match="gids missing"):
        load_entity_gold(gold_dir)


def test_english_names_compare_on_letters_only() -> None:
    assert english_match_key("J. P. Nadda") == english_match_key("JP Nadda") == "jpnadda"
    assert english_match_key("Narendra Modi") != english_match_key("Narendra Modi Stadium")


def test_names_wikidata_and_linking_on_a_tiny_gold_set(gold_dir: Path) -> None:
    result = evaluate_names(load_entity_gold(gold_dir), "dev")
    person, place = result["names"]["PERSON"], result["names"]["LOCATION"]
    assert person["occurrences"] == 2 and person["found"] == 2
    assert person["exact_of_matched"] == 100.0 and person["wikidata_correct_of_gold"] == 100.0
    assert place["exact_of_found"] == 100.0
    linking = result["linking"]
    assert linking["precision"] == 1.0 and linking["recall"] == 1.0 and linking["true_pairs"] == 1


def test_the_untouched_names_set_loads_as_a_test_part() -> None:
    # bench/data/gold/entities2: scored with `khabar eval names --gold bench/data/gold/entities2
    # --part test` (only its counts are checked here; its errors are never listed)
    folder = Path(__file__).resolve().parents[1] / "bench" / "data" / "gold" / "entities2"
    gold = load_entity_gold(folder)
    assert len(gold.part("test")) == 50 and not gold.part("dev")
    assert len(gold.entities) == 720
