"""Issue 14, round 5: aid told as future is a promise of aid, a later verbal predicate of another word
is another act, multi-word table forms are found in their inflections, and an attributive participle
is a feature of the trigger model."""

from __future__ import annotations

from datetime import date

from facts_support import EntitySpec, article_events, make_article
from khabar.analysis._facts import track_subjects
from khabar.analysis.dates import extract_dates
from khabar.analysis.event_mentions import read_candidates
from khabar.analysis.event_model import TriggerModel, _attributive, verb_forms
from khabar.analysis.event_triggers import cues
from khabar.article import Event

PUB = date(2026, 3, 10)
SPEC: EntitySpec = {
    "p1": ("PERSON", "शिवराज सिंह चौहान", ("शिवराज सिंह चौहान", "शिवराज")),
    "l1": ("LOCATION", "भोपाल", ("भोपाल",)),
    "l2": ("LOCATION", "ढाका", ("ढाका",)),
    "o1": ("ORGANIZATION", "केंद्र सरकार", ("केंद्र सरकार",)),
    "o2": ("ORGANIZATION", "न्यायाधिकरण", ("न्यायाधिकरण",)),
}


def events_of(text: str) -> list[Event]:
    return article_events(text, SPEC, PUB, rules_only=True)


def test_future_aid_is_a_promise_of_aid_that_occurred() -> None:
    [ev] = events_of("केंद्र सरकार बाढ़ से निपटने में राज्य को हर जरूरी मदद देगी.")
    assert (ev.cameo, ev.modality) == ("033", "occurred")
    [done] = events_of("केंद्र सरकार ने बाढ़ से निपटने में राज्य को मदद दी.")
    assert (done.cameo, done.modality) == ("070", "occurred")


def test_a_later_predicate_of_another_word_is_another_act() -> None:
    honour, praise = events_of("शिवराज ने भोपाल में खिलाड़ियों को सम्मानित किया. उन्होंने कोच की भी तारीफ की.")
    assert (honour.cameo, honour.trigger_text, praise.cameo, praise.trigger_text) == (
        "051",
        "सम्मानित",
        "051",
        "तारीफ",
    )


def test_a_back_reference_and_the_same_word_still_join() -> None:
    [ev] = events_of("शिवराज ने भोपाल में खिलाड़ियों को सम्मानित किया. इस सम्मान समारोह में सैकड़ों लोग थे.")
    assert ev.cameo == "051"
    [meeting] = events_of("शिवराज ने भोपाल में केंद्र सरकार से मुलाकात की. इस मुलाकात में बाढ़ पर बात हुई.")
    assert meeting.cameo.startswith("04") and len(meeting.mentions) == 2


def test_multi_word_forms_are_found_in_their_inflections() -> None:
    text = "न्यायाधिकरण ने ढाका में पूर्व मंत्री को दोषी ठहराते हुए सजा सुनाई."
    article = make_article(text, SPEC, PUB)
    extract_dates(article)
    found = read_candidates(article, 0, track_subjects(article), TriggerModel())
    assert [(c.form, c.cameo, c.source) for c, _, _ in found if " " in c.form] == [
        ("दोषी ठहराते", "116", "stem")
    ]


def test_an_attributive_participle_is_told_apart_from_a_predicate() -> None:
    verbs, light = verb_forms(), cues("light")
    assert _attributive(["आरोपियों", "को", "आज", "अदालत", "में"], verbs, light)  # "गिरफ्तार आरोपियों को"
    assert _attributive(["कर", "रहे", "कई", "लोगों", "को"], verbs, light)  # "प्रदर्शन कर रहे कई लोगों को"
    assert not _attributive(["कर", "जेल", "भेज", "दिया"], verbs, light)  # "गिरफ्तार कर जेल भेज दिया"
    assert not _attributive(["किया", "है"], verbs, light)


def test_going_to_a_bare_place_is_a_visit() -> None:
    [ev] = events_of("शिवराज शनिवार को ढाका जाएंगे.")
    assert (ev.cameo, ev.modality, ev.actor1.entity if ev.actor1 else None) == ("042", "planned", "p1")
    [past] = events_of("शिवराज पिछली बार 2018 में ढाका गए थे.")
    assert past.cameo == "042"
    assert all(e.cameo != "042" for e in events_of("इस मामले में शिवराज से पूछताछ की जाएगी."))
    assert events_of("शिवराज सुबह काम पर गए थे.") == []  # no place: no visit
