"""The publication date comes only from what the input states: record, page metadata, URL, user."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

from khabar.analysis.dates import date_from_url
from khabar.ingest.readers import RawDoc
from khabar.ingest.runner import ingest_paths
from khabar.pipeline import FOUNDATION_STEPS, analyze_doc

# A page with years in its body and its footer, and no date in its metadata or URL.
UNDATED_HTML = """<!doctype html>
<html lang="hi"><head><meta charset="utf-8"><title>कोसी में फिर बाढ़</title></head><body>
<nav><a href="/">होम</a> <a href="/bihar">बिहार</a></nav>
<article>
<h1>कोसी में फिर बाढ़, सैकड़ों गांव डूबे</h1>
<p>सुपौल और सहरसा जिलों में कोसी नदी का पानी गांवों में घुस गया है। अधिकारियों ने बताया कि 2008 में
भी ऐसी ही बाढ़ आई थी, जब लाखों लोग बेघर हो गए थे।</p>
<p>प्रशासन ने राहत शिविर खोले हैं और नावों से लोगों को सुरक्षित जगहों पर पहुंचाया जा रहा है। 18 अगस्त 2008
को कुसहा में तटबंध टूटा था।</p>
<p>स्थानीय लोगों का कहना है कि हर साल बरसात में यही हाल होता है।</p>
</article>
<footer><p>© 2008 समाचार डेस्क</p></footer>
</body></html>
"""
DATED_HTML = UNDATED_HTML.replace(
    "<title>", '<meta property="article:published_time" content="2025-07-14T09:00:00+05:30"><title>'
)


def test_undated_html_page_gets_no_publication_date_from_its_body() -> None:
    article = analyze_doc(RawDoc(source="kosi.html", html=UNDATED_HTML), steps=FOUNDATION_STEPS)
    assert article.published is None
    assert "published_from" not in article.meta


def test_undated_html_page_leaves_no_invented_date_in_the_knowledge_base(tmp_path: Path) -> None:
    page = tmp_path / "kosi.html"
    page.write_text(UNDATED_HTML, encoding="utf-8")
    db = tmp_path / "kb.db"
    summary = ingest_paths([str(page)], db, workers=1)
    assert summary.added == 1
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT published FROM articles").fetchall() == [(None,)]
    # the dates stored are those the text states, at their grain; nothing relative got resolved
    stored = set(conn.execute("SELECT text, value, grain FROM dates").fetchall())
    assert stored <= {("2008", "2008-01-01", "year"), ("18 अगस्त 2008", "2008-08-18", "day")}
    assert conn.execute(
        "SELECT count(*) FROM events WHERE date IS NOT NULL AND date NOT LIKE '2008%'"
    ).fetchone() == (0,)
    conn.close()


def test_page_metadata_gives_the_publication_date() -> None:
    article = analyze_doc(RawDoc(source="kosi.html", html=DATED_HTML), steps=FOUNDATION_STEPS)
    assert article.published == date(2025, 7, 14)
    assert article.meta["published_from"] == "page"


def test_url_path_gives_the_publication_date() -> None:
    url = "https://example.in/bihar/2025/07/14/kosi-baadh"
    page = analyze_doc(RawDoc(source="x", html=UNDATED_HTML, url=url), steps=FOUNDATION_STEPS)
    assert page.published == date(2025, 7, 14)  # htmldate reads the URL as page metadata
    text = analyze_doc(RawDoc(source="y", text="कोसी में फिर बाढ़ आई।", url=url), steps=FOUNDATION_STEPS)
    assert (text.published, text.meta["published_from"]) == (date(2025, 7, 14), "url")
    assert date_from_url("https://example.in/news/20250714/kosi") == date(2025, 7, 14)
    assert date_from_url("https://example.in/news/2008-flood-anniversary") is None
    assert date_from_url("https://example.in/story/123456789") is None


def test_record_date_wins_over_the_users_default() -> None:
    doc = RawDoc(source="x", text="कोसी में फिर बाढ़ आई।", published=date(2025, 7, 1))
    article = analyze_doc(doc, date(2026, 1, 6), steps=FOUNDATION_STEPS)
    assert (article.published, article.meta["published_from"]) == (date(2025, 7, 1), "record")
    plain = analyze_doc(
        RawDoc(source="y", text="कोसी में फिर बाढ़ आई।"), date(2026, 1, 6), steps=FOUNDATION_STEPS
    )
    assert plain.meta["published_from"] == "user"
