"""Extractive summary."""

from __future__ import annotations

from datetime import date

from facts_support import SEED_ENTITIES, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.events import extract_events
from khabar.analysis.summary import summarize


def test_summary_skips_headings_questions_and_teasers() -> None:
    text = (
        "बाढ़ से बिहार में हाहाकार\n"
        "बिहार के बारह जिलों में बाढ़ से लाखों लोग प्रभावित हुए हैं और राहत कार्य जारी है.\n"
        "ये भी पढ़ें: बिहार में बाढ़ से जुड़ी सभी खबरें यहां पढ़ें और जानें पूरा हाल\n"
        "क्या सरकार इस बार समय पर मदद पहुंचा पाएगी?\n"
        "मुख्यमंत्री ने प्रभावित इलाकों का हवाई सर्वेक्षण किया और अधिकारियों को निर्देश दिए."
    )
    article = summarize(make_article(text))
    assert article.summary == [
        "बिहार के बारह जिलों में बाढ़ से लाखों लोग प्रभावित हुए हैं और राहत कार्य जारी है.",
        "मुख्यमंत्री ने प्रभावित इलाकों का हवाई सर्वेक्षण किया और अधिकारियों को निर्देश दिए.",
    ]


def test_summary_is_in_text_order_and_at_most_three(seed_text: str) -> None:
    article = make_article(seed_text, SEED_ENTITIES, date(2026, 1, 6))
    extract_dates(article)
    extract_events(article)
    summarize(article)
    assert 2 <= len(article.summary) <= 3
    positions = [article.text.index(s) for s in article.summary]
    assert positions == sorted(positions)
    assert any("मीटिंग" in s for s in article.summary)
    assert not any(s.startswith("ये भी पढ़ें") or s.endswith("?") for s in article.summary)


def test_summary_of_a_short_article_is_what_there_is() -> None:
    article = summarize(make_article("दिल्ली में आज सुबह से तेज बारिश हो रही है और कई सड़कों पर पानी भरा है."))
    assert len(article.summary) == 1
