"""Unicode normalisation: NFC and nukta, invisible characters, joiners, spaces, dandas."""

from __future__ import annotations

import pytest

from khabar.clean.normalize import normalize_newlines, normalize_text


def test_precomposed_and_decomposed_nukta_letters_are_equal() -> None:
    precomposed = "\u095b\u094dयादा लोग आए"  # ज़ as one code point
    decomposed = "\u091c\u093c\u094dयादा लोग आए"  # ज + nukta
    assert normalize_text(precomposed) == normalize_text(decomposed)
    assert "\u095b" not in normalize_text(precomposed)


@pytest.mark.parametrize(
    "letter", ["\u0958", "\u0959", "\u095a", "\u095b", "\u095c", "\u095d", "\u095e", "\u095f"]
)
def test_every_precomposed_nukta_letter_becomes_base_plus_nukta(letter: str) -> None:
    out = normalize_text(f"{letter}बर")
    assert out[1] == "\u093c"


def test_nukta_na_has_one_form_either_way() -> None:
    assert normalize_text("\u0929") == normalize_text("\u0928\u093c") == "\u0929"


def test_nfc_composes_latin_accents() -> None:
    assert normalize_text("Jose\u0301") == "José"


def test_zero_width_and_bidi_characters_are_removed() -> None:
    assert normalize_text("मोदी\u200b ने\u2060 कहा\ufeff\u200e\u00ad") == "मोदी ने कहा"


def test_control_characters_become_space() -> None:
    assert normalize_text("भारत\x07में\x00बारिश") == "भारत में बारिश"


def test_zwj_after_virama_is_kept_for_half_form() -> None:
    assert normalize_text("क्\u200dष") == "क्\u200dष"


def test_zwnj_after_virama_is_kept_for_explicit_virama() -> None:
    assert normalize_text("क्\u200cष") == "क्\u200cष"


def test_zwj_of_eyelash_ra_is_kept() -> None:
    assert normalize_text("र\u200d्य") == "र\u200d्य"


def test_stray_joiners_are_removed() -> None:
    assert normalize_text("भारत\u200c में") == "भारत में"
    assert normalize_text("क\u200dख") == "कख"
    assert normalize_text("abc\u200ddef") == "abcdef"


def test_non_breaking_and_unicode_spaces_become_one_space() -> None:
    assert normalize_text("मोदी\u00a0जी\u2009ने  \u202fकहा") == "मोदी जी ने कहा"


def test_pipe_after_hindi_becomes_danda() -> None:
    assert normalize_text("बारिश हुई | लोग खुश हैं |") == "बारिश हुई। लोग खुश हैं।"


def test_space_before_danda_is_removed() -> None:
    assert normalize_text("बारिश हुई । लोग खुश हैं ।") == "बारिश हुई। लोग खुश हैं।"
    assert normalize_text("संख्या 12 ।") == "संख्या 12।"


def test_doubled_danda_becomes_double_danda() -> None:
    assert normalize_text("जय हिंद ।। जय भारत ||") == "जय हिंद॥ जय भारत॥"


def test_pipe_before_latin_is_a_separator_not_a_danda() -> None:
    assert normalize_text("बारिश की खबर | ABP News") == "बारिश की खबर | ABP News"


def test_newlines_are_unified() -> None:
    assert normalize_newlines("एक\r\nदो\rतीन\u2028चार") == "एक\nदो\nतीन\nचार"
