"""Sentence boundaries for Hindi news."""

from __future__ import annotations

import pytest

from khabar import analyze
from khabar.pipeline import FOUNDATION_STEPS
from khabar.text.sentences import split_sentences


def sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


def test_danda_ends_sentence() -> None:
    assert sents("दिल्ली में बारिश हुई। लोग खुश हैं।") == ["दिल्ली में बारिश हुई।", "लोग खुश हैं।"]


def test_double_danda_question_and_exclamation_end_sentences() -> None:
    assert sents("जय हिंद॥ क्या हुआ? गजब हो गया! सब ठीक है") == ["जय हिंद॥", "क्या हुआ?", "गजब हो गया!", "सब ठीक है"]


def test_latin_full_stop_ends_sentence() -> None:
    assert sents("रूस ने हमला किया. यूक्रेन ने जवाब दिया.") == ["रूस ने हमला किया.", "यूक्रेन ने जवाब दिया."]


def test_full_stop_between_hindi_words_without_space_ends_sentence() -> None:
    assert sents("बैठक खत्म हुई.उन्होंने कहा कि सब ठीक है.") == ["बैठक खत्म हुई.", "उन्होंने कहा कि सब ठीक है."]


@pytest.mark.parametrize("abbr", ["डॉ.", "श्री.", "प्रो.", "Dr.", "पं."])
def test_abbreviation_does_not_end_sentence(abbr: str) -> None:
    text = f"{abbr} शर्मा ने कहा कि अस्पताल तैयार है। मरीज ठीक हैं।"
    assert sents(text) == [f"{abbr} शर्मा ने कहा कि अस्पताल तैयार है।", "मरीज ठीक हैं।"]


def test_initials_do_not_end_sentence() -> None:
    text = "पूर्व राष्ट्रपति ए.पी.जे. अब्दुल कलाम का जन्म रामेश्वरम में हुआ. वे वैज्ञानिक थे."
    assert sents(text) == ["पूर्व राष्ट्रपति ए.पी.जे. अब्दुल कलाम का जन्म रामेश्वरम में हुआ.", "वे वैज्ञानिक थे."]


def test_spaced_initials_do_not_end_sentence() -> None:
    text = "तमिलनाडु के मुख्यमंत्री एम. के. स्टालिन ने बैठक बुलाई. इसमें सभी दल आए."
    assert len(sents(text)) == 2


def test_dotted_acronym_does_not_end_sentence() -> None:
    text = "जी.डी.पी. दर 7.2 प्रतिशत रही. भा.ज.पा. ने इसका स्वागत किया."
    assert sents(text) == ["जी.डी.पी. दर 7.2 प्रतिशत रही.", "भा.ज.पा. ने इसका स्वागत किया."]


def test_initial_that_is_also_a_word_ends_sentence_alone() -> None:
    text = "यह खबर सोमवार को सामने आई. अब पुलिस जांच कर रही है."
    assert sents(text) == ["यह खबर सोमवार को सामने आई.", "अब पुलिस जांच कर रही है."]


def test_dotted_abbreviation_chain_does_not_end_sentence() -> None:
    assert len(sents("सिकंदर 326 ई.पू. में भारत आया. यह गांव 5 कि.मी. दूर है.")) == 2


def test_decimals_and_numeric_dates_do_not_end_sentence() -> None:
    text = "महंगाई दर 3.5 फीसदी रही और बैठक 7.1.2026 को होगी. फैसला बाद में आएगा."
    assert sents(text) == ["महंगाई दर 3.5 फीसदी रही और बैठक 7.1.2026 को होगी.", "फैसला बाद में आएगा."]


def test_number_at_sentence_end_then_stop_ends_sentence() -> None:
    assert sents("बैठक 7.1.2026. फिर चुनाव.") == ["बैठक 7.1.2026.", "फिर चुनाव."]


def test_ellipsis_does_not_end_sentence() -> None:
    assert sents("मैं नहीं जानता... शायद कल आऊं।") == ["मैं नहीं जानता... शायद कल आऊं।"]


def test_closing_quote_after_stop_stays_with_sentence() -> None:
    text = "उन्होंने कहा, “हम जीतेंगे।” इसके बाद सभा खत्म हुई।"
    assert sents(text) == ["उन्होंने कहा, “हम जीतेंगे।”", "इसके बाद सभा खत्म हुई।"]


def test_straight_quote_and_bracket_after_stop_stay_with_sentence() -> None:
    text = 'मंत्री ने कहा, "काम जारी है." (यह पहली बार है.) सभा खत्म हुई.'
    assert sents(text) == ['मंत्री ने कहा, "काम जारी है."', "(यह पहली बार है.)", "सभा खत्म हुई."]


def test_newline_always_ends_sentence() -> None:
    assert sents("पहली पंक्ति बिना विराम\nदूसरी पंक्ति") == ["पहली पंक्ति बिना विराम", "दूसरी पंक्ति"]


def test_heading_is_one_sentence() -> None:
    text = "बैठक में कौन-कौन मौजूद? जानिए\n\nबैठक में कई नेता मौजूद थे। सबने बात की।"
    article = analyze(text, steps=FOUNDATION_STEPS)
    assert article.blocks[0].kind == "heading"
    assert [article.text[s.start : s.end] for s in article.sentences][:1] == ["बैठक में कौन-कौन मौजूद? जानिए"]
    assert len(article.sentences) == 3


def test_spans_are_offsets_into_the_text() -> None:
    text = "  दिल्ली में बारिश हुई।   लोग खुश हैं।  "
    for s, e in split_sentences(text):
        assert text[s:e] == text[s:e].strip()


def test_glued_short_words_end_a_sentence() -> None:
    # A missing space after the stop between two short words ("हां.यो") is not an initials chain.
    assert sents("उसने कहा हां.यो यो हनी सिंह आएंगे।") == ["उसने कहा हां.", "यो यो हनी सिंह आएंगे।"]
    assert sents("खबर सामने आई.अब जांच होगी।") == ["खबर सामने आई.", "अब जांच होगी।"]


def test_glued_latin_or_digits_after_a_hindi_word_start_a_sentence() -> None:
    assert sents("भारत ने मैच जीता.Team India खुश है।") == ["भारत ने मैच जीता.", "Team India खुश है।"]
    assert sents("बारिश कम हुई.2024 में भी यही हुआ।") == ["बारिश कम हुई.", "2024 में भी यही हुआ।"]


def test_glued_abbreviations_and_initials_stay_inside_the_sentence() -> None:
    for text in ("डॉ.राम ने कहा।", "एम.करुणानिधि आए।", "जे.पी नड्डा आए।", "भा.ज.पा. की बैठक हुई।", "मो.रफी गाते थे।"):
        assert sents(text) == [text]
