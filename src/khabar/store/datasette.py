"""datasette metadata for a khabar knowledge base: titles, descriptions, column notes, facets and the
full-text search of `articles` (`khabar export --format datasette --out metadata.json`, then
`datasette news.db -m metadata.json`).

The database itself needs no metadata to be usable: datasette detects the FTS table of `articles`
by itself (`content="articles"`); this file adds the descriptions and sensible defaults.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from khabar.store.schema import SCHEMA_VERSION

TABLES: dict[str, dict[str, Any]] = {
    "articles": {
        "description": "One row per distinct article: clean text, lead, headline (title or first sentence).",
        "sort_desc": "published",
        "facets": ["published", "language", "cluster"],
        "fts_table": "articles_fts",
        "fts_pk": "rowid",
        "label_column": "headline",
        "columns": {
            "headline": "the title, else the first sentence",
            "lead": "the first two body sentences (searched with extra weight)",
            "cluster": "the near-duplicate cluster (see clusters)",
            "text_hash": "exact-duplicate key",
        },
    },
    "article_summary": {
        "description": "A view: each article with its counts of documents, entities, quotes and events.",
        "sort_desc": "published",
    },
    "entities": {
        "description": "One real-world person, place or organisation across all articles.",
        "facets": ["type"],
        "label_column": "name_en",
        "columns": {"key": "spelling-variant name key", "single_token": "known by one name token only"},
    },
    "entity_summary": {
        "description": "A view: entities with article and mention counts, Wikidata links, first and last day.",
        "sort_desc": "articles",
        "facets": ["type"],
    },
    "events": {
        "description": "CAMEO-coded events; actors, place and date as found in the text.",
        "facets": ["root", "modality", "quad_class"],
    },
    "event_view": {
        "description": "A view: events with English names of actors and place, the day and the evidence.",
        "sort_desc": "day",
        "facets": ["type", "modality", "place"],
    },
    "quotes": {"description": "Direct and reported speech with its speaker.", "facets": ["kind"]},
    "mentions": {"description": "Every entity mention (offsets into articles.text).", "facets": ["type"]},
    "clusters": {"description": "Near-duplicate clusters (the representative article is their id)."},
    "article_analysis": {
        "description": "The whole analysis JSON of each article (Article.to_dict() without raw).",
        "hidden": True,
    },
    "article_fingerprints": {"description": "Dedup signatures (MinHash, sentence hashes).", "hidden": True},
    "kb_state": {"hidden": True},
    "schema_version": {"hidden": True},
}


def metadata(db_name: str = "news") -> dict[str, Any]:
    """The metadata document for a knowledge base opened under the name `db_name`."""
    return {
        "title": "khabar knowledge base",
        "description": "Hindi news as clean text, entities, quotes and CAMEO events (khabar schema "
        f"version {SCHEMA_VERSION}); offsets are character offsets into articles.text.",
        "license": "the articles belong to their publishers; khabar's tables: see NOTICE",
        "source": "khabar",
        "databases": {db_name: {"tables": TABLES}},
    }


def write_metadata(out: str | Path, db_path: str | Path) -> None:
    """Write the metadata JSON for the knowledge base file `db_path` (named as datasette names it)."""
    name = Path(db_path).stem
    Path(out).write_text(json.dumps(metadata(name), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
