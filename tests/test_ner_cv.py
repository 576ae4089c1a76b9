"""`khabar eval ner --cv`: deterministic folds, per-fold lexicons through an overlay, rule variants."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.analysis.ner import RULES
from khabar.eval.ner_cv import FULL, MODEL, CvSettings, cross_validate
from khabar.lang.hi import data_path, overlay, read_list
from khabar.train.ner import fold_indices


def test_folds_are_runs_dealt_round_robin() -> None:
    folds = fold_indices(100, 5, block=10)
    assert folds[0] == [*range(0, 10), *range(50, 60)]
    assert sorted(i for f in folds for i in f) == list(range(100))
    assert fold_indices(100, 5, block=10) == folds


def test_overlay_folder_is_read_first_and_forgotten_after(tmp_path: Path) -> None:
    shipped = read_list("scheme_nouns.txt")
    (tmp_path / "scheme_nouns.txt").write_text("कहीं\n", encoding="utf-8")
    with overlay(tmp_path):
        assert data_path("scheme_nouns.txt") == tmp_path / "scheme_nouns.txt"
        assert read_list("scheme_nouns.txt") == frozenset({"कहीं"})
    assert read_list("scheme_nouns.txt") == shipped


SENTENCES = [
    ("राम ने दिल्ली में भाषण दिया ।", "B-NEP O B-NEL O O O O"),
    ("सीता पटना गई ।", "B-NEP B-NEL O O"),
    ("मोहन ने लखनऊ में कहा ।", "B-NEP O B-NEL O O O"),
    ("आज बारिश हुई ।", "O O O O"),
]


@pytest.mark.slow
def test_cross_validation_scores_model_and_rule_variants(tmp_path: Path) -> None:
    folder = tmp_path / "il-ner"
    folder.mkdir()
    lines = []
    for _ in range(10):
        for text, tags in SENTENCES:
            lines.extend(f"{w}\t{t}" for w, t in zip(text.split(), tags.split(), strict=True))
            lines.append("")
    (folder / "train.txt").write_text("\n".join(lines), encoding="utf-8")
    settings = CvSettings(
        folds=2, iterations=2, variants={FULL: frozenset(), "-surname": frozenset({"surname"})}
    )
    result = cross_validate(tmp_path, settings)
    cv = result["cv"]
    assert isinstance(cv, dict)
    assert set(cv) == {MODEL, FULL, "-surname"}
    assert cv[MODEL]["micro"]["mean"] > 50
    assert "surname" in RULES
    # the shipped tables are untouched by the folds' overlays
    assert data_path("ner_common_words_gen.txt").parent.name == "hi"
