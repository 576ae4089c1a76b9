"""Entity resolution within an article: variants, partial names, titles, adjectival places."""

from __future__ import annotations

from khabar.analysis.resolve import resolve_entities
from khabar.article import Article, Mention


def build_article(text: str, spans: list[tuple[str, str, str | None, str | None]]) -> Article:
    """An article whose mentions are the given (surface, type, name, role), found left to right."""
    mentions = []
    pos = 0
    for surface, kind, name, role in spans:
        start = text.index(surface, pos)
        pos = start + len(surface)
        mentions.append(Mention(start, pos, surface, kind, "model", name, role))  # type: ignore[arg-type]
    return Article(text=text, mentions=mentions)


def entity_names(article: Article) -> list[tuple[str, tuple[str, ...]]]:
    return [(e.name, e.aliases) for e in article.entities]


def test_spelling_variants_merge_into_one_entity() -> None:
    text = "स्टीव विटकॉफ और जेरेड कुशनर पहुंचे. बाद में विटकोफ ने जैरेड कुश्नर से बात की."
    article = resolve_entities(
        build_article(
            text,
            [
                ("स्टीव विटकॉफ", "PERSON", None, None),
                ("जेरेड कुशनर", "PERSON", None, None),
                ("विटकोफ", "PERSON", None, None),
                ("जैरेड कुश्नर", "PERSON", None, None),
            ],
        )
    )
    assert entity_names(article) == [
        ("स्टीव विटकॉफ", ("स्टीव विटकॉफ", "विटकोफ")),
        ("जेरेड कुशनर", ("जेरेड कुशनर", "जैरेड कुश्नर")),
    ]
    assert [m.entity for m in article.mentions] == ["e1", "e2", "e1", "e2"]
    assert all(m.entity == "e1" for m in article.entities[0].mentions)


def test_shared_surname_keeps_two_people_apart() -> None:
    text = "जेरेड कुशनर और चार्ल्स कुश्नर मिले. कुश्नर ने कहा कि बातचीत अच्छी रही."
    article = resolve_entities(
        build_article(
            text,
            [
                ("जेरेड कुशनर", "PERSON", None, None),
                ("चार्ल्स कुश्नर", "PERSON", None, "एम्बेसडर"),
                ("कुश्नर", "PERSON", None, None),
            ],
        )
    )
    assert [e.name for e in article.entities] == ["जेरेड कुशनर", "चार्ल्स कुश्नर", "कुश्नर"]


def test_shared_role_decides_an_ambiguous_surname() -> None:
    text = "जेरेड कुशनर और एम्बेसडर चार्ल्स कुश्नर मिले. एम्बेसडर कुश्नर ने स्वागत किया."
    article = resolve_entities(
        build_article(
            text,
            [
                ("जेरेड कुशनर", "PERSON", None, None),
                ("चार्ल्स कुश्नर", "PERSON", None, "एम्बेसडर"),
                ("कुश्नर", "PERSON", None, "एम्बेसडर"),
            ],
        )
    )
    assert [len(e.mentions) for e in article.entities] == [1, 2]


def test_surname_alone_links_to_the_unique_full_name() -> None:
    text = "राष्ट्रपति जेलेंस्की ने कहा कि वोलोदिमिर जेलेंस्की झुकेंगे नहीं. स्टीव भी आए."
    article = resolve_entities(
        build_article(
            text,
            [
                ("जेलेंस्की", "PERSON", None, "राष्ट्रपति"),
                ("वोलोदिमिर जेलेंस्की", "PERSON", None, None),
            ],
        )
    )
    assert len(article.entities) == 1
    zelensky = article.entities[0]
    assert zelensky.name == "वोलोदिमिर जेलेंस्की"
    assert zelensky.roles == ("राष्ट्रपति",)
    assert zelensky.name_en == "Volodymyr Zelensky" and zelensky.name_en_source == "gazetteer"


def test_title_inside_span_moves_to_roles() -> None:
    text = "बैठक में जनरल एलेक्स ग्रिंकेविच मौजूद थे."
    article = resolve_entities(build_article(text, [("जनरल एलेक्स ग्रिंकेविच", "PERSON", None, None)]))
    entity = article.entities[0]
    assert entity.name == "एलेक्स ग्रिंकेविच"
    assert entity.roles == ("जनरल",)
    mention = article.mentions[0]
    assert text[mention.start : mention.end] == "एलेक्स ग्रिंकेविच" == mention.text
    assert entity.name_en.startswith("Alex Grink") and entity.name_en_source == "romanized"
    assert entity.wikidata is None


def test_adjectival_place_form_joins_the_place() -> None:
    text = "अमेरिकी प्रतिनिधिमंडल पहुंचा. अमेरिका ने मदद का वादा किया."
    article = resolve_entities(
        build_article(text, [("अमेरिकी", "LOCATION", "अमेरिका", None), ("अमेरिका", "LOCATION", None, None)])
    )
    assert len(article.entities) == 1
    place = article.entities[0]
    assert (place.name, place.name_en, place.wikidata) == ("अमेरिका", "United States", "Q30")
    assert place.aliases == ("अमेरिकी", "अमेरिका")


def test_same_name_of_different_types_is_not_merged() -> None:
    text = "भारत ने मैच जीता. कप्तान भारत ने कहा कि टीम अच्छा खेली."
    article = resolve_entities(
        build_article(text, [("भारत", "LOCATION", None, None), ("भारत", "PERSON", None, "कप्तान")])
    )
    assert [e.type for e in article.entities] == ["LOCATION", "PERSON"]
    assert article.entities[0].name_en_source == "gazetteer"
    assert article.entities[1].name_en_source in ("parts", "romanized") and not article.entities[1].wikidata


def test_entities_are_numbered_by_first_mention() -> None:
    text = "पेरिस में फ्रांस के राष्ट्रपति इमैनुएल मैक्रों बोले. पेरिस शांत रहा."
    article = resolve_entities(
        build_article(
            text,
            [
                ("पेरिस", "LOCATION", None, None),
                ("फ्रांस", "LOCATION", None, None),
                ("इमैनुएल मैक्रों", "PERSON", None, "राष्ट्रपति"),
                ("पेरिस", "LOCATION", None, None),
            ],
        )
    )
    assert [(e.id, e.name_en) for e in article.entities] == [
        ("e1", "Paris"),
        ("e2", "France"),
        ("e3", "Emmanuel Macron"),
    ]
    assert [m.entity for m in article.mentions] == ["e1", "e2", "e3", "e1"]


def test_article_without_mentions_has_no_entities() -> None:
    assert resolve_entities(Article(text="कोई नाम नहीं.")).entities == []


def test_abbreviation_and_full_party_name_are_one_entity() -> None:
    text = "भारतीय जनता पार्टी ने बैठक बुलाई. भाजपा के नेता पहुंचे."
    article = resolve_entities(
        build_article(
            text, [("भारतीय जनता पार्टी", "ORGANIZATION", None, None), ("भाजपा", "ORGANIZATION", None, None)]
        )
    )
    assert len(article.entities) == 1
    party = article.entities[0]
    assert (party.name, party.name_en) == ("भारतीय जनता पार्टी", "Bharatiya Janata Party")


def test_ambiguous_bare_surname_gets_no_gazetteer_identity() -> None:
    text = "नरेंद्र मोदी और नीरव मोदी की चर्चा हुई. मोदी ने कहा कि सब ठीक है."
    article = resolve_entities(
        build_article(
            text,
            [
                ("नरेंद्र मोदी", "PERSON", None, None),
                ("नीरव मोदी", "PERSON", None, None),
                ("मोदी", "PERSON", None, None),
            ],
        )
    )
    bare = article.entities[2]
    assert (bare.name, bare.name_en, bare.wikidata) == ("मोदी", "Modi", None)
    assert bare.name_en_source in ("parts", "romanized")
    assert article.entities[0].wikidata == "Q1058"


def test_epithet_is_part_of_the_name_but_an_honorific_is_not() -> None:
    text = "स्वामी विवेकानंद और श्री राम नाथ आए."
    article = resolve_entities(
        build_article(text, [("स्वामी विवेकानंद", "PERSON", None, None), ("श्री राम नाथ", "PERSON", None, None)])
    )
    assert [(e.name, e.roles) for e in article.entities] == [("स्वामी विवेकानंद", ()), ("राम नाथ", ())]
