"""Quotes and their speakers."""

from __future__ import annotations

from datetime import date

from facts_support import SEED_ENTITIES, EntitySpec, make_article
from khabar.analysis.quotes import extract_quotes
from khabar.article import Quote

PEOPLE: EntitySpec = {
    "e1": ("PERSON", "नरेंद्र मोदी", ("प्रधानमंत्री नरेंद्र मोदी", "नरेंद्र मोदी", "मोदी")),
    "e2": ("PERSON", "राहुल गांधी", ("राहुल गांधी",)),
    "e3": ("ORGANIZATION", "चुनाव आयोग", ("चुनाव आयोग",)),
    "e4": ("LOCATION", "दिल्ली", ("दिल्ली",)),
}


def quotes_of(text: str, spec: EntitySpec = PEOPLE) -> list[Quote]:
    return extract_quotes(make_article(text, spec)).quotes


def test_reported_speech_with_ne_kaha_ki() -> None:
    [q] = quotes_of("मोदी ने कहा कि देश तेजी से आगे बढ़ रहा है.")
    assert (q.speaker, q.cue, q.kind, q.text) == ("e1", "कहा", "reported", "देश तेजी से आगे बढ़ रहा है")


def test_cue_verbs_after_words_between() -> None:
    [q] = quotes_of("राहुल गांधी ने इस बात पर जोर दिया कि किसानों को राहत मिले.")
    assert (q.speaker, q.cue) == ("e2", "जोर दिया")
    [q] = quotes_of("राहुल गांधी ने सरकार पर आरोप लगाया कि महंगाई बढ़ी है.")
    assert q.cue == "आरोप लगाया"
    [q] = quotes_of("चुनाव आयोग ने दावा किया कि मतदान शांतिपूर्ण रहा.")
    assert (q.speaker, q.cue) == ("e3", "दावा किया")


def test_reported_speech_with_comma_instead_of_ki() -> None:
    [q] = quotes_of("राहुल गांधी ने कहा, सरकार को जवाब देना होगा.")
    assert (q.speaker, q.text) == ("e2", "सरकार को जवाब देना होगा")
    assert quotes_of("जैसा पहले कहा, यह योजना अधूरी है.") == []


def test_kahna_hai_takes_the_genitive_speaker() -> None:
    [q] = quotes_of("राहुल गांधी का कहना है कि बेरोजगारी सबसे बड़ा मुद्दा है.")
    assert (q.speaker, q.cue) == ("e2", "कहना है")


def test_genitive_before_the_cue_is_not_the_speaker() -> None:
    [q] = quotes_of("राहुल गांधी ने सरकार का नाम लेकर कहा कि महंगाई बढ़ी है.")
    assert q.speaker == "e2"


def test_according_to_speaker() -> None:
    [q] = quotes_of("चुनाव आयोग के मुताबिक, मतदान 62 फीसदी रहा.")
    assert (q.speaker, q.cue, q.text) == ("e3", "के मुताबिक", "मतदान 62 फीसदी रहा")
    [q] = quotes_of("राहुल गांधी के अनुसार सरकार विफल रही है.")
    assert q.speaker == "e2"


def test_pronoun_resolves_to_last_speaker() -> None:
    first, second = quotes_of("मोदी ने कहा कि विकास जरूरी है. उन्होंने कहा कि युवाओं को रोजगार मिलेगा.")
    assert first.speaker == second.speaker == "e1"
    assert "रोजगार" in second.text


def test_pronoun_resolves_to_last_person_subject() -> None:
    [q] = quotes_of("राहुल गांधी दिल्ली पहुंचे. उन्होंने कहा कि लड़ाई जारी रहेगी.")
    assert q.speaker == "e2"


def test_direct_pronoun_with_bole_ki() -> None:
    _, second = quotes_of("राहुल गांधी ने कहा कि चुनाव निष्पक्ष हों. वह बोले कि जनता जवाब देगी.")
    assert second.speaker == "e2" and second.cue == "बोले"


def test_bare_title_resolves_to_the_entity_with_that_role() -> None:
    text = "राष्ट्रपति जो बाइडन और प्रधानमंत्री मोदी मिले. प्रधानमंत्री ने कहा कि रिश्ते मजबूत हैं."
    spec: EntitySpec = {
        "e1": ("PERSON", "नरेंद्र मोदी", ("मोदी",)),
        "e2": ("PERSON", "जो बाइडन", ("जो बाइडन",)),
    }
    article = make_article(text, spec, roles={"e1": ("प्रधानमंत्री",), "e2": ("राष्ट्रपति",)})
    [q] = extract_quotes(article).quotes
    assert q.speaker == "e1"
    article = make_article(text, spec, roles={"e1": ("मंत्री",)})  # मंत्री is not प्रधानमंत्री
    assert extract_quotes(article).quotes[0].speaker is None


def test_unknown_agent_gives_no_speaker() -> None:
    [q] = quotes_of("पुलिस ने बताया कि आरोपी फरार है.")
    assert (q.speaker, q.cue) == (None, "बताया")


def test_direct_quote_with_attribution_after() -> None:
    [q] = quotes_of("“हम हर हाल में जीतेंगे,” मोदी ने कहा.")
    assert (q.kind, q.speaker, q.text) == ("direct", "e1", "हम हर हाल में जीतेंगे")


def test_direct_quote_after_reported_cue() -> None:
    [q] = quotes_of("राहुल गांधी ने कहा कि ‘यह लोकतंत्र की जीत है’.")
    assert (q.kind, q.speaker) == ("direct", "e2")


def test_short_scare_quote_is_not_a_quote() -> None:
    assert quotes_of("सरकार ने ‘ऑपरेशन सिंदूर’ की जानकारी साझा की.") == []


def test_seed_two_quotes_by_witkoff(seed_text: str) -> None:
    article = extract_quotes(make_article(seed_text, SEED_ENTITIES, date(2026, 1, 6)))
    witkoff = [q for q in article.quotes if q.speaker == "e5"]
    assert len(witkoff) == 2
    assert "मुद्दों" in witkoff[0].text
    assert "शांति" in witkoff[1].text
    zelensky = [q for q in article.quotes if q.speaker == "e1"]
    assert zelensky and "7 जनवरी" in zelensky[0].text
