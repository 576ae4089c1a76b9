"""The "Must show" of the foundation issue, on the user's example article."""

from __future__ import annotations

from datetime import date

from khabar import analyze
from khabar.pipeline import FOUNDATION_STEPS

LEAD = "यूक्रेन के राष्ट्रपति वोलोदिमिर जेलेंस्की रूस के हमलों से तंग आ चुके हैं."


def test_seed_blocks_kept_order_duplicates_and_sentences(seed_text: str) -> None:
    article = analyze(seed_text, published=date(2026, 1, 6), source="seed", steps=FOUNDATION_STEPS)
    assert len(article.blocks) == 14
    kept = [(b.kind, b.text) for b in article.blocks if b.kept]
    assert [k for k, _ in kept] == ["paragraph", "heading", "paragraph", "heading", "paragraph"]
    assert kept[0][1].startswith(LEAD)
    assert kept[1][1] == "जेलेंस्की ने अमेरिका को कहा शुक्रिया"
    assert kept[3][1] == "बैठक में कौन-कौन मौजूद?"
    teasers = [b for b in article.blocks[:7] if b.text.startswith("ये भी पढ़ें")]
    assert [b.kind for b in teasers] == ["boilerplate", "boilerplate"]
    assert [b.kind for b in article.blocks[7:]] == ["duplicate"] * 7
    assert [b.duplicate_of for b in article.blocks[7:]] == list(range(7))
    assert article.text.count(LEAD) == 1
    assert "ये भी पढ़ें" not in article.text
    assert "बाज नहीं आ रहा" not in article.text
    per_block: dict[int | None, int] = {}
    for sent in article.sentences:
        per_block[sent.block] = per_block.get(sent.block, 0) + 1
    assert len(article.sentences) == 18
    assert [per_block[b.index] for b in article.blocks if b.kept] == [7, 1, 4, 1, 5]
    assert article.published == date(2026, 1, 6)
    assert article.language == "hi"


def test_seed_runs_through_the_default_pipeline(seed_text: str) -> None:
    article = analyze(seed_text, published=date(2026, 1, 6))
    assert len(article.blocks) == 14
    assert len(article.sentences) == 18
