"""CAMEO-coded events read by the rules alone (the trigger model over them: test_event_model.py)."""

from __future__ import annotations

from datetime import date

from facts_support import SEED_ENTITIES, EntitySpec, article_events, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.event_triggers import triggers
from khabar.analysis.events import extract_events
from khabar.article import Event

PUB = date(2026, 1, 6)
SPEC: EntitySpec = {
    "e1": ("PERSON", "नरेंद्र मोदी", ("नरेंद्र मोदी", "मोदी")),
    "e2": ("PERSON", "जो बाइडन", ("जो बाइडन", "बाइडन")),
    "e3": ("LOCATION", "दिल्ली", ("दिल्ली",)),
    "e4": ("LOCATION", "टोक्यो", ("टोक्यो",)),
    "e5": ("ORGANIZATION", "दिल्ली पुलिस", ("दिल्ली पुलिस",)),
    "e6": ("PERSON", "राहुल", ("राहुल",)),
    "e7": ("LOCATION", "भारत", ("भारत",)),
    "e8": ("LOCATION", "जापान", ("जापान",)),
}


def events_of(text: str) -> list[Event]:
    return article_events(text, SPEC, PUB, rules_only=True)


def test_lexicon_uses_cameo_codes_and_goldstein_values() -> None:
    lex = triggers()
    assert (lex["बैठक"].cameo, lex["बैठक"].goldstein) == ("040", 1.0)
    assert (lex["समझौता"].cameo, lex["समझौता"].goldstein) == ("057", 8.0)
    assert (lex["गिरफ्तार"].cameo, lex["गिरफ्तार"].goldstein) == ("173", -5.0)
    assert (lex["शुक्रिया"].cameo, lex["विरोध प्रदर्शन"].cameo, lex["मदद"].cameo) == ("051", "140", "070")


def test_meeting_with_participants_place_and_date() -> None:
    [ev] = events_of("मोदी ने मंगलवार को दिल्ली में जो बाइडन के साथ बैठक की.")
    assert ev.cameo == "040" and ev.type == "meet"
    assert ev.participants == ("e1", "e2")
    assert (ev.location, ev.date) == ("e3", "2026-01-06")


def test_demonstrative_mention_merges_into_one_event() -> None:
    [ev] = events_of("मोदी ने सोमवार को बाइडन से मुलाकात की. टोक्यो में हुई इस बैठक में कई मुद्दों पर चर्चा हुई.")
    assert ev.cameo.startswith("04")
    assert len(ev.mentions) == 3
    assert (ev.location, ev.date) == ("e4", "2026-01-05")


def test_new_meeting_on_another_date_is_separate() -> None:
    evs = events_of("मोदी ने सोमवार को बाइडन से मुलाकात की. दोनों नेता 7 जनवरी को फिर बैठक करेंगे.")
    assert [e.date for e in evs] == ["2026-01-05", "2026-01-07"]


def actors(ev: Event) -> tuple[str | None, str | None]:
    return (ev.actor1.entity if ev.actor1 else None, ev.actor2.entity if ev.actor2 else None)


def test_subject_pronoun_is_the_source() -> None:
    visit, meeting = events_of("नरेंद्र मोदी जापान पहुंचे. उन्होंने टोक्यो में जो बाइडन से मुलाकात की.")
    assert (visit.cameo, actors(visit)) == ("042", ("e1", "e8"))
    assert (meeting.cameo, actors(meeting), meeting.location) == ("040", ("e1", "e2"), "e4")


def test_dropped_subject_comes_from_previous_sentence() -> None:
    _, meeting = events_of("राहुल दिल्ली पहुंचे. वहां किसानों से मुलाकात की.")
    assert meeting.actor1 is not None and meeting.actor1.entity == "e6"
    assert meeting.actor2 is not None and meeting.actor2.name_en == "farmers"
    # a weather warning is no threat, and no event takes the previous subject
    assert [e.cameo for e in events_of("राहुल दिल्ली पहुंचे. मौसम विभाग ने बारिश की चेतावनी दी.")] == ["042"]


def test_arrest_and_protest_codes() -> None:
    evs = events_of("दिल्ली पुलिस ने राहुल को गिरफ्तार किया. इसके बाद दिल्ली में विरोध प्रदर्शन हुआ.")
    assert [(e.cameo, e.goldstein) for e in evs] == [("173", -5.0), ("140", -6.5)]
    assert evs[0].participants == ("e5", "e6") and actors(evs[0]) == ("e5", "e6")
    assert evs[1].location == "e3"


def test_verb_belongs_to_the_nearest_trigger() -> None:
    [ev] = events_of("भारत और जापान के बीच रक्षा सहयोग पर बातचीत हुई.")
    assert (ev.cameo, ev.trigger_text) == ("040", "बातचीत")


def test_custody_is_an_arrest() -> None:
    [ev] = events_of("दिल्ली पुलिस ने राहुल को हिरासत में लिया.")
    assert ev.cameo == "173"


def test_event_inside_a_meeting_inherits_its_context() -> None:
    evs = events_of("मोदी ने सोमवार को टोक्यो में बाइडन से मुलाकात की. इस बैठक में 10 समझौतों पर हस्ताक्षर किए गए.")
    assert [e.cameo for e in evs] == ["040", "057"]
    assert evs[1].participants == ("e1", "e2")
    assert (evs[1].location, evs[1].date) == ("e4", "2026-01-05")


def test_during_connective_places_event_inside_the_previous_one() -> None:
    evs = events_of("मोदी ने सोमवार को टोक्यो में बाइडन से मुलाकात की. इस दौरान जापान ने मदद का वादा किया.")
    assert [e.cameo for e in evs] == ["040", "030"]
    assert evs[1].participants == ("e8",) and actors(evs[1]) == ("e8", None)
    assert (evs[1].location, evs[1].date) == ("e4", "2026-01-05")


def test_negated_predicate_is_a_negated_event() -> None:
    [ev] = events_of("दिल्ली पुलिस ने राहुल को गिरफ्तार नहीं किया.")
    assert (ev.cameo, ev.modality, actors(ev)) == ("173", "negated", ("e5", "e6"))


def test_performance_is_no_protest() -> None:
    assert events_of("भारत का प्रदर्शन शानदार रहा.") == []
    [ev] = events_of("किसानों ने दिल्ली में धरना प्रदर्शन किया.")
    assert ev.cameo == "141" and ev.location == "e3"


def test_purpose_phrase_is_no_event() -> None:
    assert events_of("भारत युद्ध विराम के लिए प्रयास कर रहा है.") == []
    assert events_of("युद्ध विराम होते ही सुरक्षा बढ़ेगी.") == []


def test_agreement_and_thanks() -> None:
    evs = events_of("भारत और जापान ने व्यापार समझौता किया. मोदी ने जापान का शुक्रिया अदा किया.")
    assert [e.cameo for e in evs] == ["057", "051"]


def test_seed_one_meeting(seed_text: str) -> None:
    article = make_article(seed_text, SEED_ENTITIES, PUB)
    extract_dates(article)
    extract_events(article)
    meetings = [e for e in article.events if e.cameo.startswith("04")]
    assert len(meetings) == 1
    [m] = meetings
    assert {"e1", "e5", "e6"} <= set(m.participants)  # Zelensky, Witkoff, Jared Kushner
    assert (m.location, m.date) == ("e8", "2026-01-06")  # Paris
    assert all(-10 <= e.goldstein <= 10 for e in article.events)


def test_country_of_a_title_is_not_a_participant() -> None:
    from dataclasses import replace

    from facts_support import make_article

    spec: EntitySpec = {
        "e1": ("PERSON", "नरेंद्र मोदी", ("नरेंद्र मोदी",)),
        "e2": ("LOCATION", "फ्रांस", ("फ्रांस",)),
        "e3": ("PERSON", "इमेनुएल मैक्रों", ("इमेनुएल मैक्रों",)),
        "e4": ("LOCATION", "दिल्ली", ("दिल्ली",)),
    }
    article = make_article("नरेंद्र मोदी ने दिल्ली में फ्रांस के राष्ट्रपति इमेनुएल मैक्रों से मुलाकात की.", spec, PUB)
    article.mentions = [replace(m, role="राष्ट्रपति") if m.entity == "e3" else m for m in article.mentions]
    extract_dates(article)
    [ev] = extract_events(article).events
    assert set(ev.participants) == {"e1", "e3"} and actors(ev) == ("e1", "e3")
    assert ev.location == "e4"
