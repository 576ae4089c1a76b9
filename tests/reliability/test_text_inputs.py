"""Defect 9 on text inputs: legacy-font Hindi stored as English, HTML fragments and deep nesting that
lost their text."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from khabar.pipeline import analyze
from khabar.store.kb import KnowledgeBase
from reliability_support import khabar

# One sentence written twice by hand: in Unicode and as typed in the Kruti Dev 010 font.
UNICODE = "प्रधानमंत्री ने कहा कि सरकार किसानों के लिए नई योजना लाएगी।"
KRUTIDEV = "iz/kkuea=h us dgk fd ljdkj fdlkuksa ds fy, ubZ ;kstuk yk,xhA"
SENTENCE = "प्रधानमंत्री नरेंद्र मोदी ने सोमवार को दिल्ली में किसानों से मुलाकात की और उनकी समस्याएं सुनीं।"


def test_krutidev_text_is_converted_to_unicode_with_a_warning() -> None:
    article = analyze(KRUTIDEV)
    assert article.text == analyze(UNICODE).text == UNICODE
    assert article.language == "hi"
    assert any(w.startswith("legacy font") for w in article.warnings)


def test_english_is_not_taken_for_a_legacy_font() -> None:
    english = "The minister said on Monday that the government will bring a new scheme for farmers."
    article = analyze(english)
    assert article.text == english and not any("legacy" in w for w in article.warnings)


def test_ingest_stores_legacy_font_hindi_as_hindi(tmp_path: Path) -> None:
    (tmp_path / "old_site.txt").write_text(
        KRUTIDEV + "\n\n" + 'vkt dh [kcj ds vuqlkj ljdkj us ;kstuk dh ?kks"k.kk dhA', encoding="utf-8"
    )
    db = tmp_path / "kb.db"
    done = khabar("ingest", str(tmp_path), "--db", str(db), "--workers", "1", "-q")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    [(article_id, language)] = conn.execute("SELECT id, language FROM articles").fetchall()
    conn.close()
    with KnowledgeBase(db, readonly=True) as kb:
        stored = kb.get_article(article_id)
    assert stored is not None and language == "hi"
    assert UNICODE in stored["text"] and "आज की खबर" in stored["text"]
    assert any(w.startswith("legacy font") for w in stored["warnings"])


def test_a_single_paragraph_fragment_keeps_its_text() -> None:
    article = analyze(f"<p>{SENTENCE}</p>")
    assert article.text == SENTENCE


def test_deeply_nested_html_keeps_its_text() -> None:
    for depth in (300, 5000):
        page = "<html><body>" + "<div>" * depth + f"<p>{SENTENCE}</p>" + "</div>" * depth + "</body></html>"
        assert analyze(page).text == SENTENCE
    fragment = "<div>" * 300 + f"<h2>बैठक</h2><p>{SENTENCE}</p>" + "</div>" * 300
    article = analyze(fragment)
    assert article.text == f"बैठक\n\n{SENTENCE}" and article.blocks[0].kind == "heading"


def test_scripts_and_styles_of_a_fragment_are_not_text() -> None:
    article = analyze(f"<div><script>var x = 1;</script><style>p {{}}</style><p>{SENTENCE}</p></div>")
    assert article.text == SENTENCE
