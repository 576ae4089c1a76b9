"""NER step: titles to roles, organisation heads, adjectival place forms, kept text only, BIO output."""

from __future__ import annotations

import itertools

import pytest

from khabar import analyze
from khabar.analysis.ner import load_titles, tag_article, tag_tokens
from khabar.article import Article, Mention


def mentions_of(text: str) -> list[Mention]:
    return tag_article(analyze(text, steps=_foundation())).mentions


def _foundation() -> tuple[object, ...]:
    from khabar.pipeline import FOUNDATION_STEPS

    return FOUNDATION_STEPS


def by_text(mentions: list[Mention]) -> dict[str, Mention]:
    return {m.text: m for m in mentions}


def test_title_before_name_becomes_role() -> None:
    found = by_text(mentions_of("यूक्रेन के राष्ट्रपति वोलोदिमिर जेलेंस्की ने युद्धविराम की अपील की।"))
    person = found["वोलोदिमिर जेलेंस्की"]
    assert person.type == "PERSON"
    assert person.role == "राष्ट्रपति"
    assert "राष्ट्रपति वोलोदिमिर जेलेंस्की" not in found


def test_two_word_title_becomes_role() -> None:
    found = by_text(mentions_of("अमेरिका के विशेष दूत स्टीव विटकॉफ कल मॉस्को पहुंचे।"))
    assert found["स्टीव विटकॉफ"].role == "विशेष दूत"
    assert found["स्टीव विटकॉफ"].type == "PERSON"


def test_title_before_a_foreign_name_becomes_its_role() -> None:
    found = by_text(mentions_of("बैठक में एम्बेसडर चार्ल्स कुश्नर भी थे।"))
    assert found["चार्ल्स कुश्नर"].type == "PERSON"
    assert found["चार्ल्स कुश्नर"].role == "एम्बेसडर"


@pytest.mark.parametrize(
    ("sentence", "word"),
    [
        # a title before a verb, an abstract noun or a company word is no person (the removed
        # title_person rule made persons of these words: docs/ner.md)
        ("ओम बिरला दूसरी बार लोकसभा के अध्यक्ष चुन लिए गए।", "चुन"),
        ("गांडेय से दोबारा विधायक चुनी गईं कल्पना सोरेन ने शपथ ली।", "चुनी"),
        ("मंत्री ने कहा कि मुख्यमंत्री इस्तीफा नहीं देंगे।", "इस्तीफा"),
        ("दस साल बाद सदन को नेता प्रतिपक्ष मिला है।", "प्रतिपक्ष"),
        ("ओरिएंटल जनरल इंश्योरेंस ने दावा खारिज कर दिया।", "इंश्योरेंस"),
    ],
)
def test_word_after_a_title_is_no_person_by_itself(sentence: str, word: str) -> None:
    persons = [m.text for m in mentions_of(sentence) if m.type == "PERSON"]
    assert not [p for p in persons if word in p.split()], persons


def test_honorific_is_stripped_but_not_a_role() -> None:
    found = by_text(mentions_of("प्रधानमंत्री श्री नरेंद्र मोदी ने आज लखनऊ में रैली की।"))
    assert found["नरेंद्र मोदी"].role == "प्रधानमंत्री"


def test_adjectival_place_form_names_the_place() -> None:
    found = by_text(mentions_of("अमेरिकी प्रतिनिधिमंडल मंगलवार को पेरिस पहुंचा।"))
    adj = found["अमेरिकी"]
    assert (adj.type, adj.name, adj.source) == ("LOCATION", "अमेरिका", "pattern")
    assert found["पेरिस"].name is None


def test_mention_span_has_no_postposition() -> None:
    article = analyze("जेलेंस्की ने अमेरिका को धन्यवाद कहा।", steps=_foundation())
    tag_article(article)
    texts = [m.text for m in article.mentions]
    assert "अमेरिका" in texts
    assert all(not t.endswith((" ने", " को")) for t in texts)
    assert all(article.text[m.start : m.end] == m.text for m in article.mentions)


def test_spelling_variant_of_a_person_is_tagged_too() -> None:
    found = by_text(mentions_of("विशेष दूत स्टीव विटकॉफ ने बयान दिया। बाद में विटकोफ ने कहा कि बातचीत अच्छी रही।"))
    assert found["विटकोफ"].type == "PERSON"


def test_teaser_line_gives_no_mention(seed_text: str) -> None:
    article = analyze(seed_text, steps=_foundation())
    tag_article(article)
    kept = [(b.start, b.end) for b in article.blocks if b.kept]
    assert article.mentions
    for m in article.mentions:
        assert any(s is not None and e is not None and s <= m.start and m.end <= e for s, e in kept)
    assert not [m for m in article.mentions if "पुतिन" in m.text]


def test_seed_article_finds_the_people_places_and_organisations(seed_text: str) -> None:
    article = analyze(seed_text, steps=_foundation())
    tag_article(article)
    found: dict[str, set[str]] = {"PERSON": set(), "LOCATION": set(), "ORGANIZATION": set()}
    for m in article.mentions:
        found[m.type].add(m.text)
    assert found["PERSON"] == {
        "वोलोदिमिर जेलेंस्की",
        "जेलेंस्की",
        "स्टीव विटकॉफ",
        "विटकोफ",
        "जेरेड कुशनर",
        "जैरेड कुश्नर",
        "एलेक्स ग्रिंकेविच",
        "चार्ल्स कुश्नर",
        "इमेनुएल मैक्रों",
    }  # and जोश ग्रुएनबाम, missed since the title rule went (it lost on the news gold sets: docs/ner.md)
    roles = {m.text: m.role for m in article.mentions if m.type == "PERSON" and m.role}
    assert roles["एलेक्स ग्रिंकेविच"] == "जनरल"
    assert roles["चार्ल्स कुश्नर"] == "एम्बेसडर"
    assert {"यूक्रेन", "रूस", "अमेरिका", "अमेरिकी", "पेरिस", "फ्रांस"} <= found["LOCATION"]
    assert found["LOCATION"] <= {"यूक्रेन", "रूस", "अमेरिका", "अमेरिकी", "पेरिस", "फ्रांस", "यूरोप", "यूरोपीय"}
    # कोएलिशन ऑफ द विलिंग was found by the organisation gazetteer and the "HEAD ऑफ द X" rule, which
    # both lost on cross-validation; the model alone does not find it
    assert "यूरोपीय कमीशन" in found["ORGANIZATION"]
    assert found["ORGANIZATION"] <= {"कोएलिशन ऑफ द विलिंग", "यूरोपीय कमीशन", "व्हाइट हाउस"}


def test_mentions_are_sorted_and_do_not_overlap(seed_text: str) -> None:
    article = tag_article(analyze(seed_text, steps=_foundation()))
    spans = [(m.start, m.end) for m in article.mentions]
    assert spans == sorted(spans)
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


@pytest.mark.parametrize(
    "sentence",
    [
        "यूक्रेन के राष्ट्रपति वोलोदिमिर जेलेंस्की ने अमेरिकी प्रतिनिधिमंडल से मुलाकात की ।",
        "भारतीय जनता पार्टी के अध्यक्ष जे . पी . नड्डा दिल्ली पहुंचे ।",
        ", , और ने",
        "",
    ],
)
def test_tag_tokens_gives_valid_bio(sentence: str) -> None:
    tokens = sentence.split()
    tags = tag_tokens(tokens)
    assert len(tags) == len(tokens)
    prev = "O"
    for tag in tags:
        assert tag == "O" or tag[:2] in ("B-", "I-")
        assert tag == "O" or tag[2:] in ("PERSON", "LOCATION", "ORGANIZATION")
        if tag.startswith("I-"):
            assert prev[2:] == tag[2:]
        prev = tag


def test_tag_tokens_leaves_adjectival_place_form_out() -> None:
    tags = tag_tokens(["अमेरिकी", "प्रतिनिधिमंडल", "ने", "रूस", "का", "दौरा", "किया", "।"])
    assert tags[0] == "O"
    assert tags[3] == "B-LOCATION"


def test_load_titles_has_roles_and_honorifics() -> None:
    titles = load_titles()
    assert {"राष्ट्रपति", "विशेष दूत", "जनरल", "एम्बेसडर", "सलाहकार", "श्री"} <= titles


def test_empty_article_has_no_mentions() -> None:
    assert tag_article(Article(text="")).mentions == []


def test_given_name_before_common_surname_is_a_person() -> None:
    found = by_text(mentions_of("पत्रिकाओं में छपे भगत सिंह के लेख पढ़े गए।"))
    assert found["भगत सिंह"].type == "PERSON"


def test_common_word_is_not_a_place() -> None:
    assert all(t == "O" for t in tag_tokens(["कृषि", "के", "हवाई", "चित्र", "लिए", "गए", "।"]))


def test_tagging_from_several_threads_gives_the_sequential_result() -> None:
    from concurrent.futures import ThreadPoolExecutor

    sentences = [
        ["प्रधानमंत्री", "नरेंद्र", "मोदी", "ने", "वाराणसी", "में", "रैली", "की", "।"],
        ["अमेरिका", "के", "विशेष", "दूत", "स्टीव", "विटकॉफ", "मॉस्को", "पहुंचे", "।"],
        ["चुनाव", "आयोग", "ने", "बिहार", "में", "मतदान", "की", "तारीख", "बताई", "।"],
    ] * 20
    expected = [tag_tokens(s) for s in sentences]
    with ThreadPoolExecutor(max_workers=4) as pool:
        assert list(pool.map(tag_tokens, sentences)) == expected


def _keys(sentence: str) -> list[str]:
    from khabar.analysis.ner_features import fold_cached

    return [fold_cached(t) for t in sentence.split()]


def test_another_model_can_stand_in_for_the_shipped_one() -> None:
    tokens = ["रामू", "ने", "पेरिस", "में", "कहा"]

    def fake(words: list[str]) -> list[str]:
        return ["B-PERSON" if w == "रामू" else "O" for w in words]

    tags = tag_tokens(tokens, fake)
    assert tags[0] == "B-PERSON"  # from the stand-in model
    assert tags[2] == "B-LOCATION"  # from the gazetteer on top


def test_curated_place_gazetteer_finds_districts_but_not_ordinary_words() -> None:
    from khabar.analysis.ner import _gazetteer_spans

    found = _gazetteer_spans(_keys("वह जामताड़ा और किन्नौर गया था"))
    assert [(s.start, s.type) for s in found] == [(1, "LOCATION"), (3, "LOCATION")]  # not गया ("went")
    assert not _gazetteer_spans(_keys("तस्वीरों का मिलान किया"))  # मिलान "comparison", not Milan


# One test per rule kept by cross-validation (khabar.analysis.ner.RULES); a stand-in model keeps them
# independent of the shipped CRF.


def _no_model(words: list[str]) -> list[str]:
    return ["O"] * len(words)


def test_rule_adjectival_cut_keeps_the_place_form_alone() -> None:
    from khabar.analysis.ner import TokenSpan, _trim

    cut = _trim(TokenSpan(0, 2, "LOCATION", "model"), _keys("यूरोपीय देशों ने कहा"))
    assert cut is not None and (cut.end, cut.name, cut.adjectival) == (1, "यूरोप", True)
    kept = _trim(TokenSpan(0, 2, "LOCATION", "model"), _keys("सऊदी अरब ने कहा"))
    assert kept is not None and (kept.end, kept.adjectival) == (2, False)


def test_title_before_a_scheme_is_no_person() -> None:
    tags = tag_tokens(["प्रधानमंत्री", "मुद्रा", "योजना", "के", "तहत", "ऋण", "मिला", "।"])
    assert "B-PERSON" not in tags


def test_rule_surname_makes_a_person_of_a_name_before_it() -> None:
    tags = tag_tokens(["पत्रिकाओं", "में", "छपे", "भगत", "सिंह", "के", "लेख", "।"], _no_model)
    assert tags[3:5] == ["B-PERSON", "I-PERSON"]


def test_rule_curated_places_find_districts_but_not_ordinary_words() -> None:
    from khabar.analysis.ner import _gazetteer_spans

    found = _gazetteer_spans(_keys("वह जामताड़ा और किन्नौर गया था"))
    assert [(s.start, s.type) for s in found] == [(1, "LOCATION"), (3, "LOCATION")]  # not गया ("went")
    assert not _gazetteer_spans(_keys("तस्वीरों का मिलान किया"))  # मिलान "comparison", not Milan


def test_rule_scheme_place_is_no_place_mention() -> None:
    from khabar.analysis.ner import _gazetteer_spans

    assert not [s for s in _gazetteer_spans(_keys("स्वच्छ भारत अभियान के तहत")) if s.type == "LOCATION"]
    assert [s.start for s in _gazetteer_spans(_keys("भारत के गांव"))] == [0]
    off = frozenset({"scheme_place"})
    assert [s.start for s in _gazetteer_spans(_keys("स्वच्छ भारत अभियान के तहत"), off)] == [1]


def test_rule_adjectival_place_form_is_a_place_mention_but_not_a_name() -> None:
    from khabar.analysis.ner import find_spans

    spans = find_spans(["अमेरिकी", "प्रतिनिधिमंडल", "पहुंचा", "।"], _no_model)
    assert [(s.start, s.name, s.adjectival) for s in spans] == [(0, "अमेरिका", True)]
    assert tag_tokens(["अमेरिकी", "प्रतिनिधिमंडल", "पहुंचा", "।"], _no_model)[0] == "O"


# Organisation rules (khabar.analysis.ner_orgs), kept by cross-validation on IL-NER train and on the
# news gold set by paragraph folds (docs/ner.md).


def test_rule_gaz_curated_orgs_finds_parties_and_houses() -> None:
    tags = tag_tokens(["भाजपा", "ने", "लोकसभा", "में", "विरोध", "किया", "।"], _no_model)
    assert tags[:3] == ["B-ORGANIZATION", "O", "B-ORGANIZATION"]
    off = frozenset({"gaz_curated_orgs", "gaz_orgs"})
    assert tag_tokens(["भाजपा", "ने", "लोकसभा", "में", "विरोध", "किया", "।"], _no_model, off)[0] == "O"


def test_rule_org_learned_opens_heads_learned_from_the_gazetteers() -> None:
    from khabar.analysis.ner_orgs import learned_heads

    assert "विभाग" in learned_heads() and "आयोग" in learned_heads()
    assert "दिल्ली" not in learned_heads()  # a place ends names (आईआईटी दिल्ली) but is no head
    tags = tag_tokens(["लोक", "स्वास्थ्य", "विभाग", "ने", "चेतावनी", "दी", "।"], _no_model)
    assert tags[:3] == ["B-ORGANIZATION", "I-ORGANIZATION", "I-ORGANIZATION"]
    assert tag_tokens(["ग्राम", "पंचायत", "ने", "कहा", "।"], _no_model)[0] == "O"  # generic
    tags = tag_tokens(["झारखंड", "सरकार", "ने", "कहा", "।"], _no_model)  # a place anchors any learned head
    assert tags[:2] == ["B-ORGANIZATION", "I-ORGANIZATION"]
    assert tag_tokens(["उसने", "विभाग", "से", "कहा", "।"], _no_model)[1] == "O"  # a head alone is no name


def test_rule_org_before_takes_a_place_before_a_listed_head() -> None:
    tags = tag_tokens(["बिहार", "पुलिस", "ने", "छापा", "मारा", "।"], _no_model, frozenset({"org_learned"}))
    assert tags[:2] == ["B-ORGANIZATION", "I-ORGANIZATION"]


def test_rule_abbreviation_names_an_organisation_by_its_acronym() -> None:
    from khabar.analysis.ner_orgs import TokenSpan, abbreviation_spans

    keys = _keys("भारतीय उद्योग परिसंघ ( सीआईआई ) ने")
    found = abbreviation_spans(keys, [TokenSpan(0, 3, "ORGANIZATION", "model")])
    assert [(s.start, s.end) for s in found] == [(4, 5)]


def test_rule_brackets_split_a_model_span() -> None:
    from khabar.analysis.ner_orgs import TokenSpan, split_brackets

    keys = _keys("विश्व स्वास्थ्य संगठन ( डब्लूएचओ ) ने")
    parts = split_brackets(TokenSpan(0, 6, "ORGANIZATION", "model"), keys)
    assert [(s.start, s.end) for s in parts] == [(0, 3), (4, 5)]
