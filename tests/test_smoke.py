from khabar import analyze


def test_analyze_returns_clean_text() -> None:
    article = analyze("दिल्ली में आज बारिश हुई। लोग खुश हैं।")
    assert article.text == "दिल्ली में आज बारिश हुई। लोग खुश हैं।"
    assert len(article.sentences) == 2
