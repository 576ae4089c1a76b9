"""The romaniser: readable English spellings with Hindi schwa deletion."""

from __future__ import annotations

from pathlib import Path

import pytest

from khabar.analysis.romanize import romanize, romanize_rules


@pytest.mark.parametrize(
    ("hindi", "latin"),
    [
        ("कमल", "kamal"),
        ("कमला", "kamla"),
        ("रामचंद्र", "ramchandra"),
        ("राजनाथ", "rajnath"),
        ("ग्रिंकेविच", "grinkevich"),
        ("भारतीय", "bhartiya"),
        ("मिश्र", "mishra"),
        ("चंपा", "champa"),
        ("ज्ञान", "gyan"),
    ],
)
def test_rules_delete_the_schwa_where_hindi_drops_it(hindi: str, latin: str) -> None:
    assert romanize_rules(hindi) == latin


def test_romanize_capitalises_each_word_and_keeps_other_text() -> None:
    assert romanize("एलेक्स ग्रिंकेविच") == "Alex Grinkevich"
    assert romanize("रूस-यूक्रेन 2025") == romanize("रूस") + "-" + romanize("यूक्रेन") + " 2025"


def test_nukta_letters_romanise_as_their_sounds() -> None:
    assert romanize_rules("ज़ाहिद") == "zahid"
    assert romanize_rules("फ़ैसल") == "faisal"


def test_eval_romanize_reports_exact_match_and_cer(shared_data: Path) -> None:
    from khabar.eval.romanize import evaluate_romanizer

    result = evaluate_romanizer(shared_data, "test")
    rules = evaluate_romanizer(shared_data, "test", use_lexicon=False)
    assert result["pairs"] > 500
    assert result["exact_match"] > rules["exact_match"]
    assert 0 < result["cer"] < 20


def test_english_function_words_in_names_stay_lower_case() -> None:
    assert romanize("बैंक ऑफ इंडिया").split()[1] == "of"
