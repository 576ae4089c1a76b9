"""Events: trigger sense, modality, grouping, missing triggers and actors (issue 14's error classes),
in short invented sentences with hand-made entities, read by the rules alone (the shipped trigger
model over them: test_event_model.py)."""

from __future__ import annotations

from datetime import date

from facts_support import EntitySpec, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.events import extract_events
from khabar.article import Event

PUB = date(2026, 3, 10)  # a Tuesday
SPEC: EntitySpec = {
    "p1": ("PERSON", "शिवराज सिंह चौहान", ("शिवराज सिंह चौहान", "शिवराज")),
    "p2": ("PERSON", "अखिलेश यादव", ("अखिलेश यादव", "अखिलेश")),
    "p3": ("PERSON", "एंटनी ब्लिंकन", ("एंटनी ब्लिंकन", "ब्लिंकन")),
    "p4": ("PERSON", "एस जयशंकर", ("एस जयशंकर", "जयशंकर")),
    "p5": ("PERSON", "राजीव कुमार", ("राजीव कुमार",)),
    "l1": ("LOCATION", "भोपाल", ("भोपाल",)),
    "l2": ("LOCATION", "अमेरिका", ("अमेरिका",)),
    "l3": ("LOCATION", "भारत", ("भारत",)),
    "l4": ("LOCATION", "लखनऊ", ("लखनऊ",)),
    "l5": ("LOCATION", "ईरान", ("ईरान",)),
    "l6": ("LOCATION", "पुलवामा", ("पुलवामा",)),
    "o1": ("ORGANIZATION", "समाजवादी पार्टी", ("समाजवादी पार्टी", "सपा")),
    "o2": ("ORGANIZATION", "पीटीआई", ("पीटीआई",)),
}
EN = {"l2": "United States", "l3": "India", "l5": "Iran"}


def events_of(text: str) -> list[Event]:
    from dataclasses import replace

    article = make_article(text, SPEC, PUB)
    article.entities = [replace(e, name_en=EN.get(e.id, e.name_en)) for e in article.entities]
    extract_dates(article)
    return extract_events(article, rules_only=True).events


def codes(text: str) -> list[str]:
    return [e.cameo for e in events_of(text)]


def one(text: str) -> Event:
    [ev] = events_of(text)
    return ev


def roles(ev: Event) -> tuple[str | None, str | None]:
    return (
        (ev.actor1.entity or ev.actor1.name_en) if ev.actor1 else None,
        (ev.actor2.entity or ev.actor2.name_en) if ev.actor2 else None,
    )


# --- trigger sense ---------------------------------------------------------------------------------


def test_medical_test_is_no_investigation() -> None:
    assert codes("अस्पताल में सभी मरीजों की कोरोना जांच की गई.") == []
    assert codes("डॉक्टरों ने उसके खून की जांच की.") == []
    assert codes("पुलिस ने घोटाले की जांच शुरू की.") == ["090"]


def test_press_conference_and_rumour_are_no_meetings() -> None:
    assert codes("अखिलेश यादव ने लखनऊ में संवाददाता सम्मेलन किया.") == []
    assert codes("चर्चा है कि अखिलेश जल्द ही नई पार्टी बनाएंगे.") == []
    assert codes("अखिलेश यादव ने शिवराज से मुलाकात की.") == ["040"]


def test_declared_to_be_is_no_agreement() -> None:
    assert codes("अखिलेश यादव ने बजट को किसान विरोधी करार दिया.") == []
    assert codes("भारत और अमेरिका के बीच व्यापार करार हुआ.") == ["057"]


def test_a_rally_name_is_no_visit() -> None:
    assert codes("सपा की साइकिल यात्रा लखनऊ से शुरू हुई.") == []
    assert codes("भारत जोड़ो यात्रा आज भोपाल पहुंची.") == []
    ev = one("जयशंकर ने अमेरिका की यात्रा की.")
    assert (ev.cameo, roles(ev)) == ("042", ("p4", "l2"))


def test_figurative_attack_is_criticism_not_force() -> None:
    assert codes("अखिलेश यादव ने सरकार पर जमकर हमला बोला.") == ["111"]
    assert codes("यह फैसला लोकतंत्र पर हमला है.") == ["111"]
    assert codes("आतंकियों ने पुलवामा में सेना के काफिले पर हमला किया.") == ["190"]


def test_section_144_and_a_local_ban_are_not_sanctions() -> None:
    assert codes("प्रशासन ने भोपाल में धारा 144 लागू की.") == ["172"]
    assert codes("पुलिस ने शहर में जुलूस पर प्रतिबंध लगाया.") == ["172"]
    assert codes("अमेरिका ने ईरान पर नए प्रतिबंध लगाए.") == ["163"]


def test_hosting_a_show_is_no_hosted_visit() -> None:
    assert codes("अखिलेश यादव ने एक टीवी शो की मेजबानी की.") == []
    assert codes("भारत ने ब्लिंकन की मेजबानी की.") == ["043"]


def test_parliamentary_debate_is_no_consultation() -> None:
    assert codes("लोकसभा में बजट पर चर्चा हुई.") == []


# --- modality --------------------------------------------------------------------------------------


def test_speculation_demand_plan_and_denial_are_marked() -> None:
    assert one("भारत और अमेरिका रक्षा क्षेत्र में सहयोग कर सकते हैं.").modality == "speculative"
    release, demand = events_of("सपा ने राजीव कुमार की रिहाई की मांग की.")
    assert (release.cameo, release.modality, demand.cameo, demand.modality) == (
        "084",
        "demanded",
        "100",
        "occurred",
    )
    assert one("शिवराज अगले हफ्ते अखिलेश से मुलाकात करेंगे.").modality == "planned"
    assert one("दोनों नेताओं की प्रस्तावित बैठक में व्यापार पर बात होगी.").modality == "planned"
    assert one("ब्लिंकन ने जयशंकर से मुलाकात नहीं की.").modality == "negated"
    assert one("ब्लिंकन ने जयशंकर से मुलाकात की.").modality == "occurred"


def test_a_dated_event_after_publication_is_planned() -> None:
    ev = one("ब्लिंकन और जयशंकर की 20 मार्च को बैठक है.")
    assert (ev.modality, ev.date) == ("planned", "2026-03-20")


# --- grouping --------------------------------------------------------------------------------------


def test_one_attack_told_in_several_sentences_is_one_event() -> None:
    text = (
        "आतंकियों ने पुलवामा में सेना के काफिले पर हमला किया. हमले में चार जवान घायल हुए. "
        "इस हमले की जिम्मेदारी किसी संगठन ने नहीं ली. हमले के बाद इलाके में तलाशी अभियान चलाया गया. "
        "अधिकारियों ने कहा कि हमला सुबह हुआ."
    )
    attacks = [e for e in events_of(text) if e.cameo.startswith("19")]
    assert len(attacks) == 1 and len(attacks[0].mentions) >= 4


def test_meetings_with_different_partners_stay_apart() -> None:
    text = "जयशंकर ने सोमवार को ब्लिंकन से मुलाकात की. इसके बाद उन्होंने अखिलेश यादव से भी मुलाकात की."
    meetings = [e for e in events_of(text) if e.cameo.startswith("04")]
    assert [roles(m) for m in meetings] == [("p4", "p3"), ("p4", "p2")]


# --- missing triggers ------------------------------------------------------------------------------


def test_appeal_offer_consent_condition_and_phone_call() -> None:
    assert codes("शिवराज ने लोगों से शांति बनाए रखने की अपील की.") == ["020"]
    # an offer of talks is the offer (036) alone, not talks
    offer = one("ईरान ने अमेरिका को बातचीत की पेशकश की.")
    assert (offer.cameo, offer.modality, roles(offer)) == ("036", "occurred", ("l5", "l2"))
    assert codes("अखिलेश ने गठबंधन पर सहमति जताई.") == ["030"]
    assert codes("सपा ने समर्थन के लिए शर्त रखी.")[:1] == ["100"]
    ev = one("जयशंकर ने ब्लिंकन से फोन पर बात की.")
    assert (ev.cameo, roles(ev)) == ("041", ("p4", "p3"))


def test_arrival_is_a_visit_and_a_planned_meeting_noun_is_an_event() -> None:
    ev = one("शिवराज सिंह चौहान सोमवार को लखनऊ पहुंचे.")
    assert (ev.cameo, roles(ev), ev.location) == ("042", ("p1", "l4"), "l4")
    assert codes("जयशंकर और ब्लिंकन की होने वाली मुलाकात पर सबकी नजर है.") == ["040"]


# --- actors ----------------------------------------------------------------------------------------


def test_source_and_target_from_case_markers() -> None:
    assert roles(one("अखिलेश यादव ने शिवराज की आलोचना की.")) == ("p2", "p1")
    assert roles(one("पुलिस ने राजीव कुमार को गिरफ्तार किया.")) == ("police", "p5")
    assert roles(one("राजीव कुमार को गिरफ्तार कर लिया गया.")) == (None, "p5")
    assert roles(one("भारत और अमेरिका के बीच बातचीत हुई.")) == ("l3", "l2")
    assert roles(one("जयशंकर की ब्लिंकन से मुलाकात हुई.")) == ("p4", "p3")


def test_news_agency_is_never_an_actor() -> None:
    ev = one("पीटीआई के मुताबिक अखिलेश यादव ने शिवराज से मुलाकात की.")
    assert roles(ev) == ("p2", "p1") and "o2" not in ev.participants


def test_actors_carry_english_names() -> None:
    ev = one("अमेरिका ने ईरान पर नए प्रतिबंध लगाए.")
    assert ev.actor1 is not None and ev.actor2 is not None
    assert (ev.actor1.name_en, ev.actor2.name_en) == ("United States", "Iran")
    assert (ev.root, ev.quad_class) == ("16", 4)


def test_attending_a_hosted_function_is_a_visit() -> None:
    ev = one("शिवराज ने भोपाल में उद्योगपतियों के सम्मेलन में हिस्सा लिया.")
    assert (ev.cameo, roles(ev)[0]) == ("042", "p1")
    assert codes("अखिलेश यादव ने रात्रिभोज में शिरकत की.") == ["042"]


def test_the_publisher_is_no_actor() -> None:
    from dataclasses import replace

    spec: EntitySpec = {**SPEC, "o3": ("ORGANIZATION", "दैनिक भास्कर", ("दैनिक भास्कर",))}
    article = make_article("दैनिक भास्कर से बातचीत में अखिलेश यादव ने शिवराज की आलोचना की.", spec, PUB)
    article.entities = [replace(e, name_en="Dainik Bhaskar") if e.id == "o3" else e for e in article.entities]
    article.url = "https://www.bhaskar.com/local/mp/news/123"
    extract_dates(article)
    [ev] = extract_events(article).events
    assert roles(ev) == ("p2", "p1") and "o3" not in ev.participants
