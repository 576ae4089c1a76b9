"""Word tokens as character offsets."""

from __future__ import annotations

import pytest

from khabar.text.tokens import token_texts, tokenize


def test_vowel_signs_virama_and_nukta_stay_inside_tokens() -> None:
    assert token_texts("राष्ट्रपति ज़्यादा क्षेत्रों में गए") == ["राष्ट्रपति", "ज़्यादा", "क्षेत्रों", "में", "गए"]


def test_half_form_with_zwj_is_one_token() -> None:
    assert token_texts("क्\u200dष एक") == ["क्\u200dष", "एक"]


def test_danda_and_punctuation_are_tokens() -> None:
    assert token_texts("हां, वह आया।") == ["हां", ",", "वह", "आया", "।"]


def test_hyphenated_compound_is_split_with_hyphen_token() -> None:
    assert token_texts("रूस-यूक्रेन युद्ध") == ["रूस", "-", "यूक्रेन", "युद्ध"]
    assert token_texts("कौन-कौन मौजूद") == ["कौन", "-", "कौन", "मौजूद"]


@pytest.mark.parametrize("number", ["3.5", "7.1.2026", "1,23,456", "10:30", "2015-16", "२०२६"])
def test_numbers_keep_inner_separators(number: str) -> None:
    assert token_texts(f"कुल {number} रहा") == ["कुल", number, "रहा"]


def test_ordinal_suffix_stays_on_number() -> None:
    assert token_texts("8वीं बार 45वें राष्ट्रपति 5G") == ["8वीं", "बार", "45वें", "राष्ट्रपति", "5G"]


def test_currency_sign_is_its_own_token() -> None:
    assert token_texts("₹500 और $1.5") == ["₹", "500", "और", "$", "1.5"]


def test_abbreviation_keeps_its_full_stop() -> None:
    assert token_texts("डॉ. शर्मा") == ["डॉ.", "शर्मा"]
    assert token_texts("ए.पी.जे. कलाम") == ["ए.", "पी.", "जे.", "कलाम"]


def test_sentence_final_full_stop_is_its_own_token() -> None:
    assert token_texts("वह घर गया.") == ["वह", "घर", "गया", "."]
    assert token_texts("खबर सामने आई.") == ["खबर", "सामने", "आई", "."]


def test_url_and_email_are_single_tokens() -> None:
    assert token_texts("देखें https://example.com/a?b=1 या mail@example.com पर") == [
        "देखें",
        "https://example.com/a?b=1",
        "या",
        "mail@example.com",
        "पर",
    ]


def test_tokens_are_offsets_inside_a_range() -> None:
    text = "पहला वाक्य। दूसरा वाक्य।"
    spans = tokenize(text, 12, len(text))
    assert [text[s:e] for s, e in spans] == ["दूसरा", "वाक्य", "।"]
