"""Export a knowledge base as JSON Lines: one article per line (its analysis, KB entity links, cluster)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from khabar.store.kb import KnowledgeBase


def export_jsonl(kb: KnowledgeBase, out: str | Path) -> int:
    """Write every article to `out` (gzip-compressed when it ends in .gz); returns how many."""
    from khabar.schema.models import ArticleRecord, dump

    path = Path(out)
    count = 0
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "wt", encoding="utf-8") as handle:
        for data in kb.iter_articles():
            handle.write(json.dumps(dump(ArticleRecord, data), ensure_ascii=False) + "\n")
            count += 1
    return count
