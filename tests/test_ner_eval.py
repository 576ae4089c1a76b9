"""`khabar eval ner`: tag normalisation, span scoring, predictions file, the dev-set quality gate."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from khabar.cli import app
from khabar.errors import InputError
from khabar.eval.ner import (
    NerScores,
    drop_overlap,
    evaluate_ner,
    normalize_tag,
    read_tagged_sentences,
    spans_from_bio,
)

# Pinned dev-set baseline for the full NER step (micro F1); see docs/ner.md for the measured figure.
DEV_MIN_F1 = 75.0

GOLD = """यूक्रेन\tB-NEL
के\tO
राष्ट्रपति\tO
वोलोदिमिर\tB-NEP
जेलेंस्की\tI-NEP
ने\tO
7\tB-NEN
जनवरी\tI-NETI
को\tO
चुनाव\tB-NEO
आयोग\tI-NEO
से\tO
बात\tO
की\t-NEL
।\tO

दिल्ली\tB-LOCATION
में\tO
बारिश\tO
"""


def test_il_ner_codes_map_to_type_names() -> None:
    assert normalize_tag("B-NEP") == "B-PERSON"
    assert normalize_tag("I-NEL") == "I-LOCATION"
    assert normalize_tag("B-NEO") == "B-ORGANIZATION"
    assert normalize_tag("B-ORGANIZATION") == "B-ORGANIZATION"


def test_other_types_and_malformed_tags_are_o() -> None:
    assert [normalize_tag(t) for t in ("B-NEN", "I-NETI", "-NEL", "-", "", "X-NEP")] == ["O"] * 6


def test_i_tag_without_b_starts_an_entity() -> None:
    assert spans_from_bio(["I-PERSON", "I-PERSON", "O", "B-LOCATION", "I-PERSON"]) == [
        (0, 2, "PERSON"),
        (3, 4, "LOCATION"),
        (4, 5, "PERSON"),
    ]


def test_scores_count_exact_spans_only() -> None:
    scores = NerScores()
    scores.add(["B-PERSON", "I-PERSON", "O", "B-LOCATION"], ["B-PERSON", "O", "O", "B-LOCATION"])
    result = scores.to_dict()
    assert result["PERSON"]["f1"] == 0.0
    assert result["LOCATION"]["f1"] == 100.0
    assert result["micro"]["precision"] == 50.0


def test_reader_normalises_tags_and_splits_sentences(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(GOLD, encoding="utf-8")
    sents = read_tagged_sentences(path)
    assert len(sents) == 2
    assert sents[0].tags[3:5] == ["B-PERSON", "I-PERSON"]
    assert sents[0].tags[6:8] == ["O", "O"]
    assert sents[0].tags[-2] == "O"
    assert sents[1].tags[0] == "B-LOCATION"


def test_perfect_tagger_scores_100_and_empty_tagger_0(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(GOLD, encoding="utf-8")
    sents = read_tagged_sentences(path)
    gold = {tuple(s.tokens): s.tags for s in sents}
    assert evaluate_ner(sents, lambda toks: gold[tuple(toks)])["micro"]["f1"] == 100.0
    assert evaluate_ner(sents, lambda toks: ["O"] * len(toks))["micro"]["recall"] == 0.0


def test_overlapping_sentences_are_dropped(tmp_path: Path) -> None:
    path = tmp_path / "gold.txt"
    path.write_text(GOLD, encoding="utf-8")
    sents = read_tagged_sentences(path)
    assert len(drop_overlap(sents, sents[1:])) == 1


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_tagged_sentences(tmp_path / "absent.txt")


def test_eval_command_prints_json_and_writes_aligned_predictions(tmp_path: Path) -> None:
    gold = tmp_path / "gold.txt"
    gold.write_text(GOLD, encoding="utf-8")
    out = tmp_path / "pred.txt"
    result = CliRunner().invoke(app, ["eval", "ner", str(gold), "--predictions", str(out)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert set(scores) >= {"PERSON", "LOCATION", "ORGANIZATION", "micro"}
    gold_lines = GOLD.strip().split("\n")
    pred_lines = out.read_text(encoding="utf-8").strip().split("\n")
    assert len(pred_lines) == len(gold_lines)
    for g, p in zip(gold_lines, pred_lines, strict=True):
        assert g.split("\t")[0] == p.split("\t")[0] if g else p == ""
    assert pred_lines[3].split("\t")[1] == "B-PERSON"


def test_eval_command_scores_the_mode_asked_for(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import khabar.analysis.ner as ner

    gold = tmp_path / "gold.txt"
    gold.write_text(GOLD, encoding="utf-8")
    modes: list[str] = []

    def fake_tag(
        tokens: list[str], model: object = None, off: frozenset[str] = frozenset(), mode: str = ""
    ) -> list[str]:
        modes.append(mode)
        return ["O"] * len(tokens)

    monkeypatch.setattr(ner, "tag_tokens", fake_tag)
    result = CliRunner().invoke(app, ["eval", "ner", str(gold), "--ner", "accurate"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["mode"] == "accurate"
    assert modes and set(modes) == {"accurate"}
    bad = CliRunner().invoke(app, ["eval", "ner", str(gold), "--ner", "plain"])
    assert bad.exit_code != 0 and "expected fast or accurate" in str(bad.exception)


def test_dev_micro_f1_stays_above_baseline(shared_data: Path) -> None:
    dev = read_tagged_sentences(shared_data / "il-ner" / "dev.txt")
    assert evaluate_ner(dev)["micro"]["f1"] >= DEV_MIN_F1
