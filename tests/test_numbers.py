"""Quantities: numbers, hedges and counted nouns."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.analysis.numbers import base_form, extract_quantities, find_quantities
from khabar.article import Quantity
from khabar.pipeline import FOUNDATION_STEPS, analyze


def one(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def test_more_than_hedge_and_oblique_plural_unit() -> None:
    q = one("बैठक में 25 से ज्यादा देशों ने हिस्सा लिया.")
    assert (q.text, q.value, q.op, q.unit) == ("25 से ज्यादा देशों", 25.0, ">", "देश")


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("रैली में 1,23,456 लोग आए.", 123456.0),
        ("कुल 12,345 वोट पड़े.", 12345.0),
        ("हादसे में ४२ यात्री घायल हुए.", 42.0),
        ("पच्चीस देशों के नेता पहुंचे.", 25.0),
        ("ढाई लाख लोगों ने आवेदन किया.", 250000.0),
        ("डेढ़ सौ यात्रियों को बचाया गया.", 150.0),
        ("सवा दो करोड़ का बजट है.", 22500000.0),
        ("साढ़े तीन हजार जवान तैनात हैं.", 3500.0),
        ("तीन हजार पांच सौ लोग पहुंचे.", 3500.0),
        ("1.5 लाख करोड़ रुपये का पैकेज मिला.", 1.5e12),
    ],
)
def test_number_values(text: str, value: float) -> None:
    assert one(text).value == value


def test_percent_words_and_sign() -> None:
    assert one("महंगाई 5.5 प्रतिशत रही.").unit == "प्रतिशत"
    assert one("मतदान 62 फीसदी हुआ.").unit == "प्रतिशत"
    q = one("पार्टी को 45% वोट मिले.")
    assert (q.value, q.unit) == (45.0, "प्रतिशत")


def test_money_sign_and_words() -> None:
    q = one("सरकार ने ₹500 करोड़ मंजूर किए.")
    assert (q.value, q.unit) == (5e9, "रुपया")
    assert one("कंपनी ने 20 लाख डॉलर जुटाए.").unit == "डॉलर"
    assert one("उसे 5000 रुपये का जुर्माना हुआ.").unit == "रुपया"


@pytest.mark.parametrize(
    ("text", "op"),
    [
        ("करीब 200 लोगों को हिरासत में लिया गया.", "~"),
        ("लगभग 40 गांवों में बाढ़ है.", "~"),
        ("कम से कम 10 लोगों की मौत हो गई.", ">="),
        ("50 लाख रुपये तक का कर्ज मिलेगा.", "<="),
        ("100 से कम सीटें मिलीं.", "<"),
        ("500 से अधिक मामले दर्ज हुए.", ">"),
        ("हजारों किसान सड़कों पर उतरे.", ">"),
    ],
)
def test_hedges_set_the_operator(text: str, op: str) -> None:
    assert one(text).op == op


@pytest.mark.parametrize(
    ("word", "base"),
    [
        ("देशों", "देश"),
        ("लोगों", "लोग"),
        ("यात्रियों", "यात्री"),
        ("महिलाओं", "महिला"),
        ("मामलों", "मामला"),
        ("किसानों", "किसान"),
    ],
)
def test_counted_noun_base_form(word: str, base: str) -> None:
    assert base_form(word) == base


def test_non_quantities_are_skipped() -> None:
    assert find_quantities("सुबह 10 बजे मतदान शुरू हुआ.") == []
    assert find_quantities("कोविड-19 के मामले घटे.") == []
    assert find_quantities("21वीं सदी का भारत.") == []
    assert find_quantities("एक अहम मीटिंग हुई.") == []
    assert find_quantities("1970 के दशक में बांध बना.") == []
    assert find_quantities("साठ के दशक की फिल्में.") == []
    assert find_quantities("2016 के चुनाव में हार हुई.") == []


def test_distributive_pair_is_one_amount() -> None:
    q = one("परिजनों को 2-2 लाख रुपये की मदद मिलेगी.")
    assert (q.text, q.value, q.unit) == ("2-2 लाख रुपये", 200000.0, "रुपया")


def test_range_reads_as_at_least_its_lower_bound() -> None:
    q = one("हादसे में 10-15 लोग घायल हुए.")
    assert (q.text, q.value, q.op, q.unit) == ("10-15 लोग", 10.0, ">=", "लोग")


def test_adjective_before_the_counted_noun_is_skipped() -> None:
    q = one("राज्य में 45 नए मामले सामने आए.")
    assert (q.text, q.unit) == ("45 नए मामले", "मामला")


def test_prefix_before_a_scale_word() -> None:
    assert one("सवा सौ करोड़ देशवासियों का सपना.").value == 1.25e9
    assert one("साढ़े सात सौ पन्नों की रिपोर्ट.").value == 750


def test_quantities_benchmark_stays_above_baseline() -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "bench" / "bench_quantities.py"
    spec = importlib.util.spec_from_file_location("bench_quantities", path)
    assert spec and spec.loader
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    scores, _ = bench.evaluate(bench.read_gold(bench.GOLD))
    # pinned on 2026-11-29 (exact F1 0.981 after the fixes the set prompted); fail below 0.95
    assert scores["exact"]["f1"] >= 0.95


def test_overlong_digit_strings_are_no_amounts() -> None:
    assert find_quantities("खाता संख्या " + "9" * 40 + " है.") == []


def test_direct_plurals_take_base_form() -> None:
    assert one("दो किताबें छपीं.").unit == "किताब"
    assert one("तीन हजार नौकरियां गईं.").unit == "नौकरी"


def test_year_like_number_with_noun_or_hedge_is_a_count() -> None:
    assert one("2000 लोग पहुंचे.").unit == "लोग"
    assert one("2000 से ज्यादा लोग पहुंचे.").op == ">"


def test_date_numbers_are_not_quantities() -> None:
    article = analyze(
        "7 जनवरी 2026 को 300 किसानों ने धरना दिया.", published=date(2026, 1, 6), steps=FOUNDATION_STEPS
    )
    extract_quantities(article)
    assert [(q.value, q.unit) for q in article.quantities] == [(300.0, "किसान")]


def test_seed_quantity(seed_text: str) -> None:
    article = analyze(seed_text, published=date(2026, 1, 6), steps=FOUNDATION_STEPS)
    extract_quantities(article)
    assert any(q.value == 25 and q.op == ">" and q.unit == "देश" for q in article.quantities)


def test_verb_after_a_number_is_no_unit() -> None:
    # the verb of the sentence follows a bare number: "the toll reached 116", not "116 हुई's"
    assert one("हादसे में मरने वालों की संख्या 116 हुई.").unit is None
    assert one("जिले में संक्रमितों का आंकड़ा 38 पहुंच गया.").unit is None
    assert one("रिक्टर पैमाने पर तीव्रता 5.8 मापी गई.").unit is None
    # a plural noun before a verb of motion is still the counted noun
    assert one("कंपनी में दो हजार नौकरियां गईं.").unit == "नौकरी"
