"""The knowledge base: schema, idempotent writes, round trip, read-only use, search, entity linking."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from corpus_support import story
from khabar.article import Article, Entity, Event, Mention, Span
from khabar.errors import KhabarError, NotFoundError, QueryError
from khabar.pipeline import analyze
from khabar.store.connection import connect, schema_version
from khabar.store.kb import KnowledgeBase
from khabar.store.schema import SCHEMA_VERSION


def plain(text: str, source: str, published: date | None = None, steps: tuple[()] | None = ()) -> Article:
    """An article cleaned but not analysed (fast), or fully analysed with steps=None."""
    return analyze(text, published, source=source, html=False, steps=steps)


def person(
    article: Article, local: str, name: str, *, wikidata: str | None = None, roles: tuple[str, ...] = ()
) -> None:
    """Attach a PERSON entity (one mention at the first occurrence of its last word) to an article."""
    surname = name.split()[-1]
    start = article.text.index(surname)
    mention = Mention(start, start + len(surname), surname, "PERSON", name=surname, entity=local)
    article.mentions.append(mention)
    article.entities.append(Entity(local, "PERSON", name, "", "romanized", wikidata, roles, (mention,)))


@pytest.fixture
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb.db")


def test_new_database_gets_current_schema_version(tmp_path: Path) -> None:
    conn = connect(tmp_path / "kb.db")
    assert schema_version(conn) == SCHEMA_VERSION
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"articles", "entities", "aliases", "mentions", "events", "event_participants", "errors"} <= tables


def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    conn = connect(tmp_path / "kb.db")
    conn.execute("INSERT INTO schema_version VALUES (?, 'later')", (SCHEMA_VERSION + 1,))
    conn.close()
    with pytest.raises(KhabarError, match="newer"):
        KnowledgeBase(tmp_path / "kb.db")


def test_foreign_sqlite_file_is_refused(tmp_path: Path) -> None:
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.commit()
    with pytest.raises(KhabarError, match="not a khabar knowledge base"):
        KnowledgeBase(tmp_path / "other.db")


def test_same_article_twice_is_stored_once(kb: KnowledgeBase) -> None:
    art = plain("किसान आंदोलन तेज हुआ. सरकार ने बातचीत की पेशकश की.", "a.txt")
    assert kb.add_article(art) is True
    assert kb.add_article(art) is False
    assert kb.stats()["articles"] == 1


def test_stored_article_rebuilds_with_from_dict(kb: KnowledgeBase, seed_text: str) -> None:
    art = analyze(seed_text, date(2026, 1, 6), source="seed.txt")
    kb.add_article(art)
    data = kb.get_article(art.id)
    assert data is not None
    rebuilt = Article.from_dict(data)
    expected = art.to_dict()
    expected["raw"] = ""
    assert rebuilt.to_dict() == expected
    assert set(data["kb_entities"]) == {e.id for e in art.entities}


def test_missing_article_is_none(kb: KnowledgeBase) -> None:
    assert kb.get_article("nope") is None
    assert kb.get_entity("nobody") is None


def test_readonly_knowledge_base_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "kb.db"
    with KnowledgeBase(path) as kb:
        kb.add_article(plain("बिहार में बाढ़ से हालात खराब हैं.", "a.txt"))
    before = path.read_bytes()
    ro = KnowledgeBase(path, readonly=True)
    assert ro.stats()["articles"] == 1
    with pytest.raises(KhabarError, match="read-only"):
        ro.add_article(plain("राजस्थान में गर्मी बढ़ी.", "b.txt"))
    with pytest.raises(sqlite3.OperationalError):
        ro.connection.execute("DELETE FROM articles")
    ro.close()
    assert path.read_bytes() == before


def test_readonly_open_of_missing_file_is_one_line_error(tmp_path: Path) -> None:
    with pytest.raises(KhabarError, match="no such knowledge base"):
        KnowledgeBase(tmp_path / "missing.db", readonly=True)


def test_search_matches_whole_devanagari_words_only(kb: KnowledgeBase) -> None:
    kb.add_article(plain("गांव के किसान ने नई फसल बोई.", "word.txt"))
    kb.add_article(plain("उसने कहा कि सान नदी में पानी कम है.", "split.txt"))
    kb.add_article(plain("किसानों की रैली में भीड़ उमड़ी.", "longer.txt"))
    hits = kb.search("किसान")
    # The analyzer's stem meets किसानों; a word is never matched across a space (कि सान).
    assert sorted(h["source"] for h in hits) == ["longer.txt", "word.txt"]
    assert any("<mark>किसानों</mark>" in h["snippet"] for h in hits)
    # =word and a quoted phrase match the word exactly as typed.
    assert [h["source"] for h in kb.search("=किसान")] == ["word.txt"]
    assert [h["source"] for h in kb.search('"किसान ने"')] == ["word.txt"]
    assert "<mark>किसान</mark>" in kb.search('"किसान"')[0]["snippet"]


def test_search_snippet_is_html_escaped(kb: KnowledgeBase) -> None:
    kb.add_article(plain("नेता ने <b>किसान</b> & मजदूर की बात की.", "x.txt"))
    snippet = kb.search("किसान")[0]["snippet"]
    assert "&lt;b&gt;<mark>किसान</mark>&lt;/b&gt; &amp;" in snippet


@pytest.mark.parametrize("query", ['"किसान', "किसान AND", "(किसान", "NEAR(किसान", "", "*", "OR"])
def test_malformed_query_raises_query_error(kb: KnowledgeBase, query: str) -> None:
    kb.add_article(plain("किसान आंदोलन तेज हुआ.", "a.txt"))
    with pytest.raises(QueryError):
        kb.search(query)


def test_hyphenated_word_is_searched_as_phrase(kb: KnowledgeBase) -> None:
    kb.add_article(plain("रूस-यूक्रेन युद्ध पर चर्चा हुई.", "a.txt"))
    assert len(kb.search("रूस-यूक्रेन")) == 1


def test_search_filters_by_date(kb: KnowledgeBase) -> None:
    kb.add_article(plain("पटना में बारिश हुई.", "old.txt", date(2026, 1, 1)))
    kb.add_article(plain("पटना में फिर बारिश हुई.", "new.txt", date(2026, 1, 9)))
    assert [h["source"] for h in kb.search("पटना", date_from="2026-01-05")] == ["new.txt"]
    assert [h["source"] for h in kb.search("पटना", date_to="2026-01-05")] == ["old.txt"]
    with pytest.raises(QueryError):
        kb.search("पटना", date_from="5 जनवरी")


MIXED_NEWS = [
    # Other war and diplomacy stories that mention Zelensky in passing, once or twice.
    "रूस ने यूक्रेन के पूर्वी शहरों पर रात भर ड्रोन से हमले किए. कई इलाकों में बिजली गुल हो गई और लोग "
    "बंकरों में रहे. स्थानीय प्रशासन ने बताया कि राहत कार्य जारी है और घायलों को अस्पताल पहुंचाया गया है. "
    "मॉस्को ने दावा किया कि उसने सैन्य ठिकानों को निशाना बनाया. राष्ट्रपति जेलेंस्की ने हमलों की निंदा की. "
    "यूरोप के कई देशों ने नए प्रतिबंधों की मांग की है. नाटो की बैठक अगले हफ्ते ब्रसेल्स में होगी.",
    "पेरिस में यूरोपीय नेताओं की बैठक में ऊर्जा सुरक्षा पर लंबी चर्चा हुई. फ्रांस और जर्मनी ने गैस भंडार "
    "बढ़ाने की योजना रखी. बैठक में यूक्रेन के पुनर्निर्माण के लिए कोष बनाने पर भी सहमति बनी. जेलेंस्की ने "
    "वीडियो संदेश भेजा. अगली बैठक मार्च में बर्लिन में होगी जिसमें व्यापार समझौतों पर बात होगी. "
    "विशेषज्ञों का कहना है कि सर्दी में गैस की कीमतें और बढ़ सकती हैं.",
    "अमेरिकी संसद में यूक्रेन को मदद के नए पैकेज पर बहस हुई. कुछ सांसदों ने खर्च पर सवाल उठाए जबकि "
    "कई ने समर्थन किया. व्हाइट हाउस ने कहा कि मदद जारी रहेगी. इससे पहले जेलेंस्की ने वॉशिंगटन का दौरा "
    "किया था. बहस के बाद मतदान अगले सप्ताह होगा. रक्षा विभाग ने हथियारों की नई खेप भेजने की तैयारी शुरू "
    "कर दी है. जेलेंस्की के सलाहकारों ने इस फैसले का स्वागत किया.",
    "भारत ने रूस से कच्चे तेल का आयात बढ़ाया है. तेल कंपनियों के अनुसार पिछले महीने आयात रिकॉर्ड स्तर पर "
    "पहुंचा. सरकार का कहना है कि फैसला राष्ट्रीय हित में है. पश्चिमी देशों ने इस पर चिंता जताई है.",
    "दिल्ली में सर्दी बढ़ने के साथ वायु प्रदूषण का स्तर खतरनाक श्रेणी में पहुंच गया है. स्कूलों को बंद करने "
    "पर विचार हो रहा है. डॉक्टरों ने बुजुर्गों और बच्चों को घर में रहने की सलाह दी है.",
]


def test_user_article_ranks_first_for_zelensky_in_mixed_corpus(kb: KnowledgeBase, seed_text: str) -> None:
    kb.add_article(analyze(seed_text, date(2026, 1, 6), source="seed.txt"))
    for i, text in enumerate(MIXED_NEWS):
        kb.add_article(analyze(text, source=f"other{i}.txt"))
    for i in range(10):
        kb.add_article(analyze(story(i), source=f"mandi{i}.txt"))
    hits = kb.search("जेलेंस्की")
    assert hits[0]["source"] == "seed.txt"
    assert {h["source"] for h in hits} == {"seed.txt", "other0.txt", "other1.txt", "other2.txt"}


def test_same_wikidata_links_to_one_kb_entity(kb: KnowledgeBase) -> None:
    a = plain("राष्ट्रपति जेलेंस्की ने पेरिस में बैठक की.", "a.txt")
    person(a, "e1", "वोलोदिमिर जेलेंस्की", wikidata="Q3874799")
    b = plain("जेलेन्स्की ने अमेरिका का शुक्रिया अदा किया.", "b.txt")
    person(b, "e1", "व्लोदिमीर जेलेन्स्की", wikidata="Q3874799")
    kb.add_article(a)
    kb.add_article(b)
    people = kb.list_entities(type="PERSON")
    assert len(people) == 1 and people[0]["articles"] == 2


def test_people_sharing_only_a_surname_stay_apart(kb: KnowledgeBase) -> None:
    a = plain("जेरेड कुशनर ने बैठक में हिस्सा लिया.", "a.txt")
    person(a, "e1", "जेरेड कुशनर")
    b = plain("चार्ल्स कुशनर ने बयान जारी किया.", "b.txt")
    person(b, "e1", "चार्ल्स कुशनर")
    kb.add_article(a)
    kb.add_article(b)
    assert len(kb.list_entities(type="PERSON")) == 2


def test_surname_alone_links_only_when_unambiguous(kb: KnowledgeBase) -> None:
    a = plain("स्टीव विटकॉफ ने बैठक की.", "a.txt")
    person(a, "e1", "स्टीव विटकॉफ", roles=("दूत",))
    b = plain("विटकॉफ ने कहा कि बातचीत अच्छी रही.", "b.txt")
    person(b, "e1", "विटकॉफ")
    kb.add_article(a)
    kb.add_article(b)
    assert len(kb.list_entities(type="PERSON")) == 1
    c = plain("रॉबर्ट विटकॉफ ने एक किताब लिखी.", "c.txt")
    person(c, "e1", "रॉबर्ट विटकॉफ")
    d = plain("विटकॉफ ने फिर बयान दिया.", "d.txt")
    person(d, "e1", "विटकॉफ")
    kb.add_article(c)
    kb.add_article(d)
    names = {e["name"]: e["articles"] for e in kb.list_entities(type="PERSON")}
    assert names == {"स्टीव विटकॉफ": 2, "रॉबर्ट विटकॉफ": 1, "विटकॉफ": 1}


def test_spelling_variants_of_a_full_name_link(kb: KnowledgeBase) -> None:
    a = plain("जेरेड कुशनर ने बैठक की.", "a.txt")
    person(a, "e1", "जेरेड कुशनर")
    b = plain("जेरेड कुश्नर भी पहुंचे.", "b.txt")
    person(b, "e1", "जेरेड कुश्नर")
    kb.add_article(a)
    kb.add_article(b)
    [ent] = kb.list_entities(type="PERSON")
    page = kb.get_entity(ent["id"])
    assert page is not None and set(page["aliases"]) >= {"जेरेड कुशनर", "जेरेड कुश्नर"}


def test_entity_page_lists_roles_articles_co_mentions_and_days(kb: KnowledgeBase) -> None:
    for day, text in ((5, "राष्ट्रपति जेलेंस्की और मैक्रों पेरिस में मिले."), (6, "जेलेंस्की ने मैक्रों से फोन पर बात की.")):
        art = plain(text, f"d{day}.txt", date(2026, 1, day))
        person(art, "e1", "वोलोदिमिर जेलेंस्की", wikidata="Q3874799", roles=("राष्ट्रपति",))
        person(art, "e2", "इमेनुएल मैक्रों", wikidata="Q3052772")
        kb.add_article(art)
    page = kb.get_entity("जेलेंस्की")
    assert page is not None
    assert page["roles"] == ["राष्ट्रपति"]
    assert [a["source"] for a in page["articles"]] == ["d6.txt", "d5.txt"]
    assert page["co_mentions"][0]["name"] == "इमेनुएल मैक्रों" and page["co_mentions"][0]["count"] == 2
    assert page["mentions_per_day"] == [
        {"day": "2026-01-05", "count": 1, "stories": 1},
        {"day": "2026-01-06", "count": 1, "stories": 1},
    ]
    assert (page["stories"], page["article_count"], page["documents"]) == (2, 2, 2)
    by_id = kb.get_entity("Q3874799")
    assert by_id is not None and {**by_id, "query": "जेलेंस्की"} == page


def test_events_list_participants_as_kb_entities(kb: KnowledgeBase) -> None:
    art = plain("जेलेंस्की ने पेरिस में मैक्रों से मुलाकात की.", "a.txt", date(2026, 1, 6))
    person(art, "e1", "वोलोदिमिर जेलेंस्की", wikidata="Q3874799")
    person(art, "e2", "इमेनुएल मैक्रों")
    trig = art.text.index("मुलाकात")
    art.events.append(
        Event("meet", "040", 1.0, Span(trig, trig + 7), "मुलाकात", ("e1", "e2"), None, "2026-01-06")
    )
    kb.add_article(art)
    [event] = kb.list_events(entity="इमेनुएल मैक्रों")
    assert [p["text"] for p in event["others"]] == ["वोलोदिमिर जेलेंस्की", "इमेनुएल मैक्रों"]
    assert event["participants"] == [p["entity"] for p in event["others"]]
    assert event["date"] == "2026-01-06" and event["cameo"] == "040"
    assert kb.list_events(date_from="2026-02-01") == []
    assert kb.count_events(entity="इमेनुएल मैक्रों") == 1
    with pytest.raises(NotFoundError, match="no entity 'कोई नहीं'"):
        kb.list_events(entity="कोई नहीं")


def test_search_by_entity_keeps_articles_mentioning_it(kb: KnowledgeBase) -> None:
    a = plain("जेलेंस्की ने पेरिस में युद्ध पर बात की.", "a.txt")
    person(a, "e1", "वोलोदिमिर जेलेंस्की", wikidata="Q3874799")
    kb.add_article(a)
    kb.add_article(plain("गाजा में युद्ध जारी है.", "b.txt"))
    assert [h["source"] for h in kb.search("युद्ध", entity="Q3874799")] == ["a.txt"]
    assert kb.count_search("युद्ध", entity="Q3874799") == 1 and kb.count_search("युद्ध") == 2
    with pytest.raises(NotFoundError):
        kb.search("युद्ध", entity="कोई नहीं")


def test_entity_is_named_as_most_articles_name_it(kb: KnowledgeBase) -> None:
    spellings = ("जेलेन्स्की", "जेलेंस्की", "जेलेंस्की")
    for i, surname in enumerate(spellings):
        art = plain(f"राष्ट्रपति {surname} ने बयान दिया. बातचीत {i} घंटे चली.", f"{i}.txt")
        person(art, "e1", f"वोलोदिमिर {surname}", wikidata="Q3874799")
        kb.add_article(art)
    kb.update_clusters()
    [ent] = kb.list_entities()
    assert ent["name"] == "वोलोदिमिर जेलेंस्की"


def test_one_word_of_a_name_finds_the_entity_page(kb: KnowledgeBase) -> None:
    for i in range(2):
        art = plain(f"जेरेड कुशनर ने {i + 2} बैठकें कीं.", f"j{i}.txt")
        person(art, "e1", "जेरेड कुशनर")
        kb.add_article(art)
    art = plain("चार्ल्स कुशनर ने बयान दिया.", "c.txt")
    person(art, "e1", "चार्ल्स कुशनर")
    kb.add_article(art)
    page = kb.get_entity("कुशनर")
    assert page is not None and page["name"] == "जेरेड कुशनर"
    assert [c["name"] for c in page["candidates"]] == ["चार्ल्स कुशनर"]
    resolution = kb.resolve("कुशनर")
    assert resolution.best is not None and resolution.best.articles == 2
    assert resolution.did_you_mean() is not None and "चार्ल्स कुशनर" in resolution.did_you_mean()


def test_text_file_as_database_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("यह डेटाबेस नहीं है\n", encoding="utf-8")
    for readonly in (True, False):
        with pytest.raises(KhabarError, match="not a khabar knowledge base"):
            KnowledgeBase(path, readonly=readonly)


def test_readonly_knowledge_base_serves_several_threads(tmp_path: Path) -> None:
    import threading

    path = tmp_path / "kb.db"
    with KnowledgeBase(path) as kb:
        for i in range(5):
            kb.add_article(plain(story(i), f"{i}.txt"))
    ro = KnowledgeBase(path, readonly=True)
    results: list[int] = []
    failures: list[BaseException] = []

    def work() -> None:
        try:
            for _ in range(20):
                results.append(len(ro.search("मंडी")))
                ro.stats()
        except BaseException as exc:
            failures.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not failures and set(results) == {5}


def test_entity_no_article_names_any_more_is_dropped(kb: KnowledgeBase) -> None:
    """An article cleaned again without its only mention of a person (the line was a learned template
    line) leaves no entity of that person behind; the other article's entity stays."""
    from khabar.store import db

    first = plain("राष्ट्रपति जेलेंस्की ने बयान दिया. बातचीत दो घंटे चली.", "a.txt")
    person(first, "e1", "वोलोदिमिर जेलेंस्की", wikidata="Q3874799")
    second = plain("प्रधानमंत्री मोदी ने बयान दिया. बैठक लंबी चली.", "b.txt")
    person(second, "e1", "नरेंद्र मोदी")
    kb.add_article(first)
    kb.add_article(second)
    kb.update_clusters()
    assert sorted(e["name"] for e in kb.list_entities()) == ["नरेंद्र मोदी", "वोलोदिमिर जेलेंस्की"]
    again = plain("बातचीत दो घंटे चली.", "a.txt")
    again.id = first.id
    db.replace_article(kb.connection, again)
    kb.update_clusters()
    assert [e["name"] for e in kb.list_entities()] == ["नरेंद्र मोदी"]
    assert kb.resolve("जेलेंस्की").best is None


def test_article_cleaned_again_keeps_its_entity_links(kb: KnowledgeBase) -> None:
    """Cleaning an article again (a template line learned or unlearned later) links every entity it
    names to the KB entity it was first linked to, so links do not depend on when lines were learned:
    a surname first seen alone stays its own entity after a full-name person with it arrives, even
    when a learned line took the entity out of the article for a while."""
    from khabar.store import db

    text = "विटकॉफ ने कहा कि बातचीत अच्छी रही. पढ़ें ताज़ा खबरें."
    first = plain(text, "a.txt")
    person(first, "e1", "विटकॉफ")
    kb.add_article(first)
    links = "SELECT article_id, entity_id FROM article_entities ORDER BY article_id"
    before = kb.connection.execute(links).fetchall()
    without = plain("बातचीत अच्छी रही. पढ़ें ताज़ा खबरें.", "a.txt")
    without.id = first.id
    db.replace_article(kb.connection, without)  # the name was in a line now learned
    kb.update_clusters()  # entity names refreshed: the surname's entity, named nowhere, is dropped
    second = plain("स्टीव विटकॉफ ने बैठक की.", "b.txt")
    person(second, "e1", "स्टीव विटकॉफ")
    kb.add_article(second)
    again = plain(text, "a.txt")
    again.id = first.id
    person(again, "e1", "विटकॉफ")
    db.replace_article(kb.connection, again)  # the line is unlearned again
    after = kb.connection.execute(links).fetchall()
    assert after[0] == before[0] and len({eid for _, eid in after}) == 2
    kb.update_clusters()
    assert sorted(e["name"] for e in kb.list_entities()) == ["विटकॉफ", "स्टीव विटकॉफ"]


def test_article_id_does_not_depend_on_learned_template_lines() -> None:
    """Two documents that differ only in a line learned as a template line keep two ids (the id is of
    the text without learned lines), so the second is not refused as an id conflict."""
    from khabar.clean.learned import segment_key
    from khabar.ingest.readers import RawDoc
    from khabar.pipeline import build_article

    line = "राज्य में पिछले साल भी ऐसे कई धरने हुए थे और सरकार ने हर बार बातचीत की।"
    body = "किसानों ने मंगलवार को पटना में धरना दिया।\n\nप्रशासन ने बातचीत का भरोसा दिया।"
    key = segment_key(line)
    assert key is not None

    def doc(text: str, source: str) -> RawDoc:
        return RawDoc(source=source, text=text)

    with_line = build_article(doc(f"{body}\n\n{line}", "a.txt"), None, learned={key})
    without = build_article(doc(body, "b.txt"), None, learned={key})
    assert with_line.text == without.text
    assert with_line.id != without.id
    assert without.id == build_article(doc(body, "b.txt"), None).id
