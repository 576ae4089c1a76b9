"""The user's example article through the whole pipeline: the people, places and organisations of issue 3."""

from __future__ import annotations

from khabar.article import Entity


def people_and_places(seed_text: str) -> list[Entity]:
    from khabar.pipeline import analyze

    return analyze(seed_text).entities


def test_seed_people_are_one_entity_each_with_roles(seed_text: str) -> None:
    entities = people_and_places(seed_text)
    people = {e.name_en: e for e in entities if e.type == "PERSON"}
    assert set(people) >= {"Volodymyr Zelensky", "Steve Witkoff", "Jared Kushner", "Emmanuel Macron"}
    assert set(people["Jared Kushner"].aliases) == {"जेरेड कुशनर", "जैरेड कुश्नर"}
    assert set(people["Steve Witkoff"].aliases) == {"स्टीव विटकॉफ", "विटकोफ"}
    assert people["Volodymyr Zelensky"].roles == ("राष्ट्रपति",)
    names = {e.name: e for e in entities if e.type == "PERSON"}
    assert names["चार्ल्स कुश्नर"].roles == ("एम्बेसडर",)
    assert names["चार्ल्स कुश्नर"].id != people["Jared Kushner"].id
    assert names["एलेक्स ग्रिंकेविच"].name_en_source == "romanized"
    # six: जोश ग्रुएनबाम, named only after the title सलाहकार, is missed since the title rule went (it
    # lost on both news gold sets: docs/ner.md)
    assert len(people) == 6


def test_seed_places_have_gazetteer_names_and_putin_is_absent(seed_text: str) -> None:
    entities = people_and_places(seed_text)
    places = {e.name: e for e in entities if e.type == "LOCATION"}
    for name in ("यूक्रेन", "रूस", "अमेरिका", "पेरिस", "फ्रांस"):
        assert places[name].name_en_source == "gazetteer"
    assert "अमेरिकी" in places["अमेरिका"].aliases
    assert all("पुतिन" not in e.aliases for e in entities)
