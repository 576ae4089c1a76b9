"""Date expressions resolved against the publication date."""

from __future__ import annotations

from datetime import date

import pytest

from khabar.analysis.date_base import nearest_year
from khabar.analysis.dates import extract_dates, parse_dates
from khabar.article import DateExpr
from khabar.pipeline import FOUNDATION_STEPS, analyze

PUB = date(2026, 1, 6)  # a Tuesday


def one(text: str, published: date | None = PUB) -> DateExpr:
    found = parse_dates(text, published)
    assert len(found) == 1, found
    return found[0]


def test_weekday_resolves_to_past() -> None:
    d = one("उन्होंने मंगलवार को अमेरिकी दल के साथ मीटिंग की.")
    assert (d.text, d.value, d.grain, d.rule) == ("मंगलवार", "2026-01-06", "day", "weekday-past")
    assert one("सोमवार को संसद में हंगामा हुआ.").value == "2026-01-05"
    assert one("बुधवार को बैठक हुई थी.").value == "2025-12-31"


def test_weekday_with_future_verb_resolves_ahead() -> None:
    d = one("बुधवार को दोनों नेताओं की बैठक होगी.")
    assert (d.value, d.rule) == ("2026-01-07", "weekday-future")
    assert one("शुक्रवार को मंत्री दिल्ली जाएंगे.").value == "2026-01-09"
    assert one("रविवार को होने वाली रैली रद्द.").value == "2026-01-11"


def test_last_and_next_weekday_are_strict() -> None:
    assert one("पिछले मंगलवार को धरना दिया गया.").value == "2025-12-30"
    assert one("अगले मंगलवार को नतीजे आएंगे.").value == "2026-01-13"


def test_explicit_day_month_takes_nearest_year() -> None:
    d = one("7 जनवरी को पेरिस में टीमें काम जारी रखेंगी.")
    assert (d.text, d.value, d.rule) == ("7 जनवरी", "2026-01-07", "day-month-nearest-year")
    # late December read in early January is last year's
    assert one("28 दिसंबर को हादसा हुआ था.").value == "2025-12-28"
    assert nearest_year(12, 28, PUB) == date(2025, 12, 28)
    assert nearest_year(2, 29, date(2024, 3, 1)) == date(2024, 2, 29)


def test_explicit_date_with_year() -> None:
    d = one("15 मई 2020 को लॉकडाउन बढ़ाया गया.")
    assert (d.value, d.rule) == ("2020-05-15", "day-month-year")
    assert one("यह फैसला 3 मार्च, 2019 को आया.").value == "2019-03-03"


def test_numeric_dates_are_day_month_year() -> None:
    assert one("आवेदन 7/1/2026 तक जमा होंगे.").value == "2026-01-07"
    assert one("परीक्षा 15.03.26 को होगी.").value == "2026-03-15"
    assert one("आदेश 2026-01-07 को जारी हुआ.").value == "2026-01-07"
    assert parse_dates("स्कोर 35/2/1999 रहा.", PUB) == []


def test_devanagari_digits_and_number_words() -> None:
    assert one("७ जनवरी को सुनवाई होगी.").value == "2026-01-07"
    assert one("सात जनवरी को सुनवाई होगी.").value == "2026-01-07"
    assert one("बैठक ११ फ़रवरी को होगी.").value == "2026-02-11"


def test_kal_is_past_or_future_by_verb() -> None:
    assert one("कल हुई बैठक में फैसला लिया गया.").value == "2026-01-05"
    d = one("कल बैठक होगी.")
    assert (d.value, d.rule) == ("2026-01-07", "tensed-day-future")
    assert one("परसों चुनाव आयोग तारीखों का ऐलान करेगा.").value == "2026-01-08"
    assert one("परसों हुई हिंसा की जांच होगी.").value == "2026-01-04"


def test_today_is_publication_day() -> None:
    assert one("आज शेयर बाजार में गिरावट आई.").value == "2026-01-06"


def test_relative_periods_start_their_period() -> None:
    assert one("पिछले हफ्ते कीमतें बढ़ीं.").value == "2025-12-29"
    week = one("पिछले हफ्ते कीमतें बढ़ीं.")
    assert week.grain == "week"
    assert one("अगले महीने चुनाव होंगे.").value == "2026-02-01"
    assert one("बीते साल बारिश कम हुई.").value == "2025-01-01"
    assert one("इस साल बजट बड़ा है.").value == "2026-01-01"


def test_a_day_of_the_month_before_this_or_next_is_that_day() -> None:
    this = one("कर्मचारी इसी महीने की 22 तारीख को काली पट्टी बांधेंगे.")
    assert (this.text, this.value, this.grain) == ("इसी महीने की 22 तारीख", "2026-01-22", "day")
    assert one("पिछले महीने की 18 तारीख को भी चोरी हुई थी.").value == "2025-12-18"
    assert one("अगले माह की 10 तारीख को मेला लगेगा.").value == "2026-02-10"
    # a day the month does not have is no day: the month alone is read
    assert (one("पिछले महीने की 31 तारीख को.", date(2025, 3, 8)).grain) == "month"


def test_a_day_of_a_named_month_takes_the_nearest_year() -> None:
    d = one("मई महीने की 5 तारीख को परीक्षा होगी.")
    assert (d.text, d.value, d.grain) == ("मई महीने की 5 तारीख", "2026-05-05", "day")
    assert one("दिसंबर की 28 तारीख को हादसा हुआ था.").value == "2025-12-28"


def test_next_morning_counts_from_the_story_day() -> None:
    found = parse_dates("12 जनवरी को छापा मारा गया. अगली सुबह आरोपी को अदालत में पेश किया गया.", PUB)
    assert [(d.text, d.value) for d in found] == [("12 जनवरी", "2026-01-12"), ("अगली सुबह", "2026-01-13")]


def test_day_offsets_before_and_after() -> None:
    assert one("तीन दिन पहले हादसा हुआ.").value == "2026-01-03"
    assert one("10 दिन बाद नतीजे आएंगे.").value == "2026-01-16"
    assert one("दो हफ्ते बाद सुनवाई होगी.").value == "2026-01-20"
    assert one("दो साल पहले पुल बना था.").grain == "year"


def test_month_and_year_alone() -> None:
    d = one("जनवरी में ठंड बढ़ेगी.")
    assert (d.value, d.grain) == ("2026-01-01", "month")
    assert one("दिसंबर में बर्फबारी हुई.").value == "2025-12-01"
    y = one("2026 में चुनाव होंगे.")
    assert (y.text, y.value, y.grain) == ("2026", "2026-01-01", "year")
    assert one("साल 2020 में महामारी फैली.").value == "2020-01-01"
    assert one("मार्च 2024 में कानून बना.").value == "2024-03-01"


def test_weekday_next_to_a_date_takes_that_date() -> None:
    found = parse_dates("दोनों टीमें शनिवार, 10 जनवरी को खेलेंगी.", PUB)
    assert [(d.text, d.value) for d in found] == [("शनिवार", "2026-01-10"), ("10 जनवरी", "2026-01-10")]
    assert found[0].rule == "weekday-of-date"


def test_year_before_genitive_and_era() -> None:
    assert one("2024 के चुनाव में पार्टी हार गई.").value == "2024-01-01"
    assert one("1970 के दशक में यह बांध बना.").value == "1970-01-01"
    assert one("सन 1206 ईस्वी में सल्तनत बनी.").value == "1206-01-01"


def test_out_of_range_offset_keeps_no_value() -> None:
    d = one("करीब 5000 साल पहले यहां सभ्यता थी.")
    assert d.value is None and d.rule.endswith("out-of-range")


def test_month_after_a_year_takes_that_year() -> None:
    [d] = parse_dates("पिछले साल जुलाई में भी शहर में बाढ़ आई थी.", date(2025, 8, 18))
    assert (d.text, d.value, d.grain, d.rule) == ("पिछले साल जुलाई", "2024-07-01", "month", "month-of-year")


def test_bare_numbers_are_not_years() -> None:
    assert parse_dates("2000 लोग रैली में पहुंचे.", PUB) == []
    assert parse_dates("2000 के करीब लोग पहुंचे.", PUB) == []
    assert parse_dates("मई से मिलने वाली राहत", PUB)[0].grain == "month"


def test_without_publication_relative_dates_stay_unresolved() -> None:
    d = one("मंगलवार को बैठक हुई.", None)
    assert d.value is None and d.rule.endswith("-unresolved")
    assert one("7 जनवरी को सुनवाई हुई.", None).value is None
    assert one("15 मई 2020 को फैसला आया.", None).value == "2020-05-15"


@pytest.mark.parametrize("text", ["कल-कारखाने बंद रहे.", "आजाद मैदान में रैली हुई."])
def test_words_containing_date_words_are_not_dates(text: str) -> None:
    assert parse_dates(text, PUB) == []


def test_extract_dates_reads_only_kept_text() -> None:
    article = analyze(
        "मंगलवार को संसद में बजट पेश हुआ.\nये भी पढ़ें: 7 जनवरी को क्या हुआ", published=PUB, steps=FOUNDATION_STEPS
    )
    extract_dates(article)
    assert [d.text for d in article.dates] == ["मंगलवार"]


def test_seed_dates(seed_text: str) -> None:
    article = analyze(seed_text, published=PUB, steps=FOUNDATION_STEPS)
    extract_dates(article)
    values = {d.text: d.value for d in article.dates}
    assert values["मंगलवार"] == "2026-01-06"
    assert values["7 जनवरी"] == "2026-01-07"


def test_two_consecutive_days_are_a_range_and_others_a_list() -> None:
    [d] = parse_dates("संसद का विशेष सत्र 24 और 25 मार्च को होगा.", PUB)
    assert (d.text, d.value, d.last) == ("24 और 25 मार्च", "2026-03-24", "2026-03-25")
    first, second = parse_dates("5 और 12 मई को मतदान होगा.", PUB)
    assert (first.value, second.value, first.last) == ("2026-05-05", "2026-05-12", None)


def test_month_alone_follows_the_tense_when_the_nearest_year_is_far() -> None:
    [d] = parse_dates("समिति ने मार्च में अपनी रिपोर्ट सौंपी थी.", date(2024, 12, 18))
    assert (d.value, d.grain) == ("2024-03-01", "month")
    # close to publication the nearest year wins whatever the tense ("5 जनवरी" read on 6 January)
    assert one("पांच जनवरी को नामांकन शुरू होंगे.").value == "2026-01-05"


def test_weekday_with_a_present_copula_or_a_planned_infinitive_is_ahead() -> None:
    thursday = date(2024, 12, 12)
    assert one("मोर्चा ने रविवार को खनौरी में बड़ी सभा बुलाई है.", thursday).value == "2024-12-15"
    assert one("अभ्यर्थियों ने शुक्रवार को फिर धरना देने का ऐलान किया है.", thursday).value == "2024-12-13"
    # a demand made yesterday stays yesterday
    assert one("छात्रों ने कल जंतर-मंतर पर दोबारा परीक्षा कराने की मांग की.", thursday).value == "2024-12-11"
    # "could not" is past, whatever the planned meeting
    assert one("कल प्रस्तावित मुलाकात नहीं हो सकी.", thursday).value == "2024-12-11"


def test_story_relative_days_count_from_the_story_date() -> None:
    text = "परीक्षा 5 मई को हुई थी. परीक्षा से एक दिन पहले पर्चा लीक हुआ. अगले दिन पुलिस ने दो लोगों को पकड़ा."
    article = extract_dates(analyze(text, published=date(2024, 6, 28), steps=FOUNDATION_STEPS))
    assert [(d.text, d.value) for d in article.dates] == [
        ("5 मई", "2024-05-05"),
        ("एक दिन पहले", "2024-05-04"),
        ("अगले दिन", "2024-05-05"),
    ]
    # with no dated day before it, a story day stays unresolved
    [d] = parse_dates("अगले दिन बाजार बंद रहा.", PUB)
    assert (d.value, d.rule) == (None, "story-day-unresolved")


def test_year_with_se_is_a_year_but_a_count_is_not() -> None:
    assert (one("नया नियम 2027 से लागू होगा.").value, one("नया नियम 2027 से लागू होगा.").grain) == (
        "2027-01-01",
        "year",
    )
    assert parse_dates("2000 से ज्यादा लोग पहुंचे.", PUB) == []


def test_dates_are_shown_at_their_grain() -> None:
    from khabar.article import date_label

    assert date_label("2004-01-01", "year") == "2004"
    assert date_label("2026-03-01", "month") == "2026-03"
    assert date_label("2026-03-16", "week") == "2026-W12"
    assert date_label("2026-04-10", "day", "2026-04-13") == "2026-04-10/2026-04-13"
    [d] = parse_dates("2004 में भी ऐसी बाढ़ आई थी.", PUB)
    assert (d.value, d.grain) == ("2004-01-01", "year")


def test_a_range_end_without_a_year_takes_the_start_year() -> None:
    # the known bug: "पिछले साल मई-जून" ended in the publication year
    [d] = parse_dates("पिछले साल मई-जून में भी जिले में इसके दो मामले सामने आए थे.", date(2026, 6, 10))
    assert (d.value, d.last, d.grain) == ("2025-05-01", "2025-06-01", "month")
    [d] = parse_dates("2024 के जुलाई-अगस्त में भारी बारिश हुई थी.", date(2026, 6, 10))
    assert (d.value, d.last) == ("2024-07-01", "2024-08-01")
    # a range over the new year ends in the next one
    [d] = parse_dates("पिछले साल नवंबर से फरवरी तक धुंध छाई रही.", date(2026, 6, 10))
    assert (d.value, d.last) == ("2025-11-01", "2026-02-01")
    # a year stated only at the end is the start's year too
    [d] = parse_dates("मेला 10 अप्रैल से 13 अप्रैल 2024 तक चला था.", date(2026, 6, 10))
    assert (d.value, d.last) == ("2024-04-10", "2024-04-13")


def test_a_day_after_a_year_expression_is_that_years_day() -> None:
    [d] = parse_dates("पिछले साल 5 अगस्त को यहां हादसा हुआ था.", date(2025, 8, 21))
    assert (d.text, d.value, d.grain) == ("पिछले साल 5 अगस्त", "2024-08-05", "day")


def test_agent_nouns_with_vala_are_no_future() -> None:
    # "करने वाले बदमाशों" (who did it), unlike "होने वाली बैठक" (the coming meeting)
    thursday = date(2024, 9, 19)
    found = parse_dates("परसों शाम छात्र का अपहरण करने वाले तीन बदमाशों को पुलिस ने कल गिरफ्तार कर लिया.", thursday)
    assert [d.value for d in found] == ["2024-09-17", "2024-09-18"]
    text = "ईडी ने बुधवार को विधायक के करीबी माने जाने वाले ठेकेदार को गिरफ्तार कर लिया."
    assert one(text, date(2025, 2, 13)).value == "2025-02-12"
    text = "ट्रॉफी जीतने वाली टीम के कल दोपहर लौटने पर हवाई अड्डे पर जश्न का माहौल रहा."
    assert one(text, date(2025, 1, 2)).value == "2025-01-01"
    assert one("सोमवार को होने वाली बैठक में फैसला होगा.", thursday).value == "2024-09-23"


def test_a_modal_present_is_ahead_and_a_final_perfective_is_past() -> None:
    monday = date(2025, 11, 24)
    assert one("सूत्रों के मुताबिक, मंत्री परसों लखनऊ में बैठक कर सकते हैं.", monday).value == "2025-11-26"
    assert one("तूफान कल शाम तक तट से टकरा सकता है.", monday).value == "2025-11-25"
    assert one("नेताओं ने कल सुबह बैठक कर आगे की रणनीति तय की.", monday).value == "2025-11-23"
    # a plan told in the pluperfect is over: the nearest May, not the next one
    text = "14 दौर की वार्ता के बाद मई में इसके पूरा होने की घोषणा की गई थी."
    assert one(text, date(2025, 7, 25)).value == "2025-05-01"
