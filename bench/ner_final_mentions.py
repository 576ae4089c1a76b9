"""NER gold scores of the NER step alone and of the final mentions users see (after
`resolve_entities`' span corrections: titles cut, names extended to their organisation head).

`khabar eval ner --gold-jsonl` scores the NER step; this scores both, on the same paragraphs.

Usage: python bench/ner_final_mentions.py bench/data/gold/entities/paragraphs.jsonl [more.jsonl ...]
"""

from __future__ import annotations

import sys
from pathlib import Path

from khabar.analysis.ner import tag_article
from khabar.analysis.resolve import resolve_entities
from khabar.eval import ner_gold
from khabar.pipeline import FOUNDATION_STEPS, analyze


def final_paragraph(text: str) -> tuple[str, ner_gold.Spans]:
    """The cleaned text and the mention spans after entity resolution (adjectival forms left out)."""
    article = resolve_entities(tag_article(analyze(text, steps=FOUNDATION_STEPS)))
    spans = [
        (m.start, m.end, str(m.type))
        for m in article.mentions
        if not (m.name and m.source == "pattern" and m.text != m.name and m.type == "LOCATION")
    ]
    return article.text, spans


def main() -> None:
    for path in sys.argv[1:]:
        paragraphs = ner_gold.read_gold_paragraphs(Path(path))
        row = []
        for label, tag in (("NER step", ner_gold.tag_paragraph), ("final", final_paragraph)):
            scores = ner_gold.score_gold(paragraphs, tag)
            m, e = scores["mentions"], scores["entities"]
            assert isinstance(m, dict) and isinstance(e, dict)
            row.append(
                f"{label}: mentions {m['micro']['f1']:.2f} (PER {m['PERSON']['f1']:.2f}, "
                f"LOC {m['LOCATION']['f1']:.2f}, ORG {m['ORGANIZATION']['f1']:.2f}), entities {e['micro']['f1']:.2f}"
            )
        print(f"{path}: " + " | ".join(row))


if __name__ == "__main__":
    main()
