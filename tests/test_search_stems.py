"""The search stemmer's guards against over-stemming (analyzer version 2): short stems, function words
made by the fold, names in -िया/-ा; and the rebuild of an index made by the version before."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from khabar.article import Article, Entity, Mention
from khabar.errors import KhabarError
from khabar.lang.hi import read_list
from khabar.pipeline import analyze
from khabar.store import search_index
from khabar.store.kb import KnowledgeBase
from khabar.text import analyzer
from khabar.text.analyzer import aksharas, index_term, prefold, search_stem, stem


def plain(text: str, source: str, published: date | None = None) -> Article:
    """An article cleaned but not analysed (fast)."""
    return analyze(text, published, source=source, html=False, steps=())


@pytest.fixture()
def kb(tmp_path: Path) -> KnowledgeBase:
    return KnowledgeBase(tmp_path / "kb.db")


def _function_terms() -> set[str]:
    return {index_term(w) for w in read_list("search_stopwords.txt")}


def test_aksharas_count_a_conjunct_once() -> None:
    assert [aksharas(w) for w in ("प्र", "प्रि", "प्रिय", "किसान", "स्त्री", "हिंदी")] == [1, 1, 2, 3, 1, 2]


@pytest.mark.parametrize("word", ["प्रिया", "प्री", "श्री", "श्रेया", "क्या", "स्पीकर", "ब्रोकर", "ट्रेनी"])
def test_a_stem_keeps_two_aksharas(word: str) -> None:
    st = search_stem(prefold(word))
    assert aksharas(st) >= 2 or st == prefold(word), st


@pytest.mark.parametrize("word", ["प्रिया", "प्री", "जीना", "जीने", "मैंने"])
def test_no_function_word_term_through_the_fold(word: str) -> None:
    assert index_term(word) not in _function_terms(), index_term(word)


@pytest.mark.parametrize(("word", "function_word"), [("करने", "कर"), ("इसे", "इस"), ("रहेगा", "रहा")])
def test_inflections_of_function_words_keep_their_stem(word: str, function_word: str) -> None:
    assert index_term(word) == index_term(function_word)


@pytest.mark.parametrize(
    ("name", "other"),
    [
        ("प्रिया", "पर"),
        ("सोनिया", "सोना"),
        ("शर्मा", "शर्म"),
        ("गुप्ता", "गुप्त"),
        ("बढ़िया", "बढ़ना"),
        ("द्वारा", "द्वार"),
    ],
)
def test_names_and_words_in_iya_and_aa_keep_their_own_term(name: str, other: str) -> None:
    assert index_term(name) != index_term(other)


@pytest.mark.parametrize(
    "forms",
    [
        ("चिड़िया", "चिड़ियों", "चिड़ियां"),  # a -िया noun whose plural the frequency list has
        ("प्रक्रिया", "प्रक्रियाएं", "प्रक्रियाओं"),
        ("मात्रा", "मात्राओं"),
        ("स्त्री", "स्त्रियों"),
        ("जुर्माना", "जुर्माने"),
        ("बेटा", "बेटी", "बेटे", "बेटियों"),
        ("सीमा", "सीमाओं"),
    ],
)
def test_guarded_words_still_meet_their_inflections(forms: tuple[str, ...]) -> None:
    assert len({index_term(f) for f in forms}) == 1, {f: index_term(f) for f in forms}


def test_event_model_stemmer_is_not_guarded() -> None:
    # The event trigger model was fitted on `stem`; only search uses the guards.
    assert stem(prefold("करेंगे")) == search_stem(prefold("करेंगे")) == "कर"
    assert stem(prefold("प्रिया")) == "प्र" and search_stem(prefold("प्रिया")) == "प्रिय"


def test_priya_does_not_match_an_article_with_only_par(kb: KnowledgeBase) -> None:
    kb.add_article(plain("अभिनेत्री प्रिया ने नई फिल्म की घोषणा की.", "priya.txt"))
    kb.add_article(plain("सरकार ने इस पर कोई जवाब नहीं दिया.", "par.txt"))
    assert [h["source"] for h in kb.search("प्रिया")] == ["priya.txt"]
    assert [h["source"] for h in kb.search("प्रिया फिल्म")] == ["priya.txt"]


def test_english_priya_through_the_entity_does_not_match_par(kb: KnowledgeBase) -> None:
    for i in range(2):
        text = f"अभिनेत्री प्रिया ने मुंबई में फिल्म {i} की शूटिंग शुरू की."
        art = plain(text, f"priya{i}.txt")
        start = text.index("प्रिया")
        mention = Mention(start, start + len("प्रिया"), "प्रिया", "PERSON", name="प्रिया", entity="e0")
        art.mentions.append(mention)
        art.entities.append(Entity("e0", "PERSON", "प्रिया", "Priya", "romanized", None, (), (mention,)))
        kb.add_article(art)
    for i in range(3):
        kb.add_article(plain(f"मंत्री ने सड़क {i} पर बयान दिया.", f"par{i}.txt"))
    page = kb.search_results("Priya")
    assert {h["source"] for h in page["hits"]} == {"priya0.txt", "priya1.txt"}


def _old_analyze(text: str, term: object = None) -> str:
    """Version 1's index terms: the unguarded stemmer, then the fold."""
    return " ".join(analyzer.fold(stem(prefold(w))) for _, _, w in analyzer.words(text))


def test_an_index_of_the_old_analyzer_is_rebuilt(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "old.db"
    with KnowledgeBase(path) as kb:
        kb.add_article(plain("अभिनेत्री प्रिया ने नई फिल्म की घोषणा की.", "priya.txt"))
        kb.add_article(plain("सरकार ने इस पर कोई जवाब नहीं दिया.", "par.txt"))
    # Make it a knowledge base of analyzer version 1: its terms, its recorded version.
    conn = sqlite3.connect(path, isolation_level=None)
    with monkeypatch.context() as patch:
        patch.setattr(search_index, "analyze", _old_analyze)
        patch.setattr(search_index, "analyzer_version", lambda: "1")
        conn.execute("BEGIN")
        search_index.rebuild(conn)
        conn.execute("COMMIT")
    assert conn.execute("SELECT value FROM kb_state WHERE key = 'search_analyzer'").fetchone() == ("1",)
    stale = conn.execute(
        "SELECT count(*) FROM search_index WHERE search_index MATCH '{title lead text} : \"पर\"'"
    ).fetchone()[0]
    assert stale == 2  # प्रिया was indexed as पर
    conn.close()
    with pytest.raises(KhabarError, match="reclean"):
        KnowledgeBase(path, readonly=True)
    with KnowledgeBase(path) as kb:  # a writable open rebuilds the index
        assert [h["source"] for h in kb.search("प्रिया")] == ["priya.txt"]
        row = kb.connection.execute("SELECT value FROM kb_state WHERE key = 'search_analyzer'").fetchone()
        assert row == (search_index.analyzer_version(),)
    with KnowledgeBase(path, readonly=True) as kb:
        assert [h["source"] for h in kb.search("प्रिया")] == ["priya.txt"]
