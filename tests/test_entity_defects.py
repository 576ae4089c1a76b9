"""One test per entity defect found on real news (issue 11): English names, senses, renamed places,
merges, span edges, types, bare surnames and byline codes. Mentions are given as the NER might tag
them, so the tests check what resolution makes of them, not the tagger."""

from __future__ import annotations

from datetime import date

from khabar.analysis.namekey import name_key
from khabar.analysis.names_en import NameContext, english_name
from khabar.analysis.resolve import resolve_entities
from khabar.article import Article, Mention


def tagged(text: str, spans: list[tuple[str, str]], published: date | None = None) -> Article:
    """An article whose mentions are the given (surface, type), found left to right."""
    mentions = []
    pos = 0
    for surface, kind in spans:
        start = text.index(surface, pos)
        pos = start + len(surface)
        mentions.append(Mention(start, pos, surface, kind, "model"))  # type: ignore[arg-type]
    return resolve_entities(Article(text=text, mentions=mentions, published=published))


def by_name(article: Article) -> dict[str, tuple[str, str, str, str | None]]:
    return {e.name: (e.type, e.name_en, e.name_en_source, e.wikidata) for e in article.entities}


def test_government_of_a_place_is_an_organisation_with_an_english_name() -> None:
    article = tagged("पाकिस्तान सरकार ने बयान जारी किया।", [("पाकिस्तान सरकार", "PERSON")])
    assert by_name(article)["पाकिस्तान सरकार"][:3] == ("ORGANIZATION", "Government of Pakistan", "composed")


def test_a_persons_government_leaves_the_person() -> None:
    article = tagged("मनमोहन सिंह सरकार ने कानून बनाया था।", [("मनमोहन सिंह सरकार", "PERSON")])
    [entity] = article.entities
    assert (entity.type, entity.name) == ("PERSON", "मनमोहन सिंह")
    assert entity.name_en == "Manmohan Singh"


def test_university_named_from_a_known_place() -> None:
    assert english_name("मैनचेस्टर विश्वविद्यालय", "ORGANIZATION").name_en == "University of Manchester"


def test_a_known_surname_keeps_its_spelling_in_an_unknown_full_name() -> None:
    found = english_name("चार्ल्स कुश्नर", "PERSON")
    assert (found.name_en, found.source) == ("Charles Kushner", "parts")


def test_news_agency_after_samachar_agency_is_the_press_trust() -> None:
    article = tagged("समाचार एजेंसी पीटीआई के मुताबिक बैठक हुई।", [("पीटीआई", "ORGANIZATION")])
    assert by_name(article)["पीटीआई"][1] == "Press Trust of India"


def test_pti_in_a_pakistani_party_story_is_the_party() -> None:
    text = "पाकिस्तान में पीटीआई के नेता इमरान खान ने पाकिस्तान की सरकार पर आरोप लगाए।"
    article = tagged(text, [("पाकिस्तान", "LOCATION"), ("पीटीआई", "ORGANIZATION"), ("इमरान खान", "PERSON")])
    assert by_name(article)["पीटीआई"][1] == "Pakistan Tehreek-e-Insaf"


def test_renamed_place_keeps_the_articles_name_with_the_current_one_as_alias() -> None:
    article = tagged("औरंगाबाद में बारिश हुई।", [("औरंगाबाद", "LOCATION")], date(2020, 8, 1))
    [city] = article.entities
    assert city.name_en == "Aurangabad"
    assert "Chhatrapati Sambhajinagar" in city.aliases_en
    now = tagged("प्रयागराज में कुंभ शुरू हुआ।", [("प्रयागराज", "LOCATION")])
    assert now.entities[0].name_en == "Prayagraj"
    assert tagged("इलाहाबाद में मेला लगा।", [("इलाहाबाद", "LOCATION")]).entities[0].name_en == "Allahabad"


def test_an_honorific_never_links_two_people() -> None:
    text = "निर्देशक इम्तियाज साहब और रशीद साहब मंच पर थे। साहब ने कहा कि फिल्म अच्छी है।"
    article = tagged(text, [("इम्तियाज साहब", "PERSON"), ("रशीद साहब", "PERSON"), ("साहब", "PERSON")])
    assert sorted(e.name for e in article.entities) == ["इम्तियाज", "रशीद"]
    assert all("Sahab" not in e.name_en for e in article.entities)


def test_weekday_and_month_never_end_a_name() -> None:
    text = "वोलोदिमिर जेलेंस्की गुरुवार को पेरिस पहुंचे। दिल्ली जनवरी में ठंडी रहती है।"
    article = tagged(text, [("वोलोदिमिर जेलेंस्की गुरुवार", "PERSON"), ("दिल्ली जनवरी", "LOCATION")])
    names = by_name(article)
    assert set(names) == {"वोलोदिमिर जेलेंस्की", "दिल्ली"}
    assert names["वोलोदिमिर जेलेंस्की"][1] == "Volodymyr Zelensky"


def test_a_generic_noun_is_not_a_person() -> None:
    article = tagged("धोनी ने डे मैच में कप्तानी की।", [("धोनी", "PERSON"), ("डे मैच", "PERSON")])
    assert [e.name for e in article.entities] == ["धोनी"]


def test_high_court_and_franchise_are_organisations() -> None:
    text = "इलाहाबाद हाईकोर्ट ने सुनवाई की। मुंबई इंडियंस ने मैच जीता।"
    article = tagged(text, [("इलाहाबाद हाईकोर्ट", "PERSON"), ("मुंबई इंडियंस", "PERSON")])
    names = by_name(article)
    assert names["इलाहाबाद हाईकोर्ट"][:2] == ("ORGANIZATION", "Allahabad High Court")
    assert names["मुंबई इंडियंस"][:2] == ("ORGANIZATION", "Mumbai Indians")


def test_bare_common_surname_is_no_entity_unless_a_full_name_takes_it() -> None:
    alone = tagged("सिंह ने कहा कि काम जारी रहेगा।", [("सिंह", "PERSON")])
    assert alone.entities == [] and alone.mentions == []
    linked = tagged("भगत सिंह की जयंती मनाई गई। सिंह ने कहा था।", [("भगत सिंह", "PERSON"), ("सिंह", "PERSON")])
    [bhagat] = linked.entities
    assert len(bhagat.mentions) == 2


def test_byline_code_is_not_a_place() -> None:
    article = tagged("जेएनएन, लखनऊ: शहर में बारिश हुई।", [("जेएनएन", "LOCATION"), ("लखनऊ", "LOCATION")])
    names = by_name(article)
    assert names["लखनऊ"][0] == "LOCATION"
    assert names.get("जेएनएन", ("ORGANIZATION",))[0] == "ORGANIZATION"


def test_title_and_designation_before_a_name_become_roles() -> None:
    article = tagged("एसएसपी सुशील कुमार ने जांच के आदेश दिए।", [("एसएसपी सुशील कुमार", "PERSON")])
    [officer] = article.entities
    assert officer.name == "सुशील कुमार" and officer.name_en == "Sushil Kumar"
    assert "एसएसपी" in officer.roles


def test_party_before_a_leaders_name_is_its_own_mention() -> None:
    article = tagged("राजद सुप्रीमो लालू प्रसाद ने रैली की।", [("राजद सुप्रीमो लालू प्रसाद", "PERSON")])
    kinds = {e.name: e.type for e in article.entities}
    assert kinds == {"राजद": "ORGANIZATION", "लालू प्रसाद": "PERSON"}


def test_acronym_and_initials_are_spelled_as_letters() -> None:
    assert english_name("केएल राहुल", "PERSON").name_en == "KL Rahul"
    assert english_name("जे.बी. पारदीवाला", "PERSON").name_en.startswith("J. B. ")


def test_cue_words_are_matched_through_the_variant_key() -> None:
    context = NameContext(frozenset({name_key("एजेन्सी")}), "IN")
    assert english_name("पीटीआई", "ORGANIZATION", context).name_en == "Press Trust of India"


def test_a_word_before_an_organisation_that_ends_in_its_head_stays_out() -> None:
    """ "इसके बाद जिला पुलिस …": a name ending in its head (पुलिस, हाईकोर्ट) takes no word before it;
    a head written before a place (ज़िला अस्पताल सीतापुर) and a name cut short of its head still extend."""
    text = "इसके बाद मेरठ पुलिस ने केस दर्ज किया। सुनवाई के फौरन बाद गुवाहाटी हाईकोर्ट उठ गया।"
    article = tagged(text, [("मेरठ पुलिस", "ORGANIZATION"), ("गुवाहाटी हाईकोर्ट", "ORGANIZATION")])
    assert [m.text for m in article.mentions] == ["मेरठ पुलिस", "गुवाहाटी हाईकोर्ट"]
    text = "घायल को ज़िला अस्पताल बहराइच भेजा गया। लखनऊ हाईकोर्ट ने रोक लगाई।"
    article = tagged(text, [("बहराइच", "LOCATION"), ("लखनऊ", "LOCATION")])
    assert [m.text for m in article.mentions] == ["ज़िला अस्पताल बहराइच", "लखनऊ हाईकोर्ट"]
