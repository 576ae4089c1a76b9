"""Cross-article entity linking of a dataset on Ray, with the local store's own linking rules.

The local store links each article's entities, in input order, against the knowledge base built so
far (`store.link.link_entity`): by Wikidata id, by type and name key (of the name or an alias), and a
one-word person name by its word in a full name. What an entity links to depends only on earlier
entities that share one of those keys with it. So:

1. each entity of each (canonical) article is an *occurrence* node, joined to a node per key through
   which `link_entity` can find it or be found: `w:<wikidata>`, `k:<type>:<name key>` for its name,
   aliases and mention names (they all become aliases), and for persons `t:<word>` for the first and
   last word of a multi-word key and for a one-word name, and for places and organisations named by the
   name knowledge base `e:<type>:<English name>`;
2. the connected components of that graph (`shuffle.connected_components`) are independent;
3. each component is linked, in parallel with the others, by `link_entity` itself over a scratch
   knowledge base, its occurrences in input order; entity names are then chosen as the local store
   chooses them (`store.db.refresh_entity_names`).

The output tables are the knowledge base's `entities`, `aliases`, `entity_roles`, and
`entity_links` (article_id, local_id, entity_id, name, mentions: the `article_entities` rows).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from khabar.article import Article, Entity, _entity_dict, _entity_from
from khabar.engine.dedup import finish_components, graph_parts, publish, reset_staging, write_part
from khabar.engine.shards import Layout
from khabar.engine.shuffle import GraphStats, Row, connected_components, run_stage, split, transpose
from khabar.engine.tables import arrow_table, kb_columns
from khabar.store import connection, db
from khabar.store.link import link_entity, linked_by_english_name, name_key

OUTPUT_TABLES = ("entities", "aliases", "entity_roles", "entity_links")
STAGING_DIR = "_staging/link"
# Output table -> the scratch knowledge-base table it is read from.
_SOURCES = {
    "entities": "entities",
    "aliases": "aliases",
    "entity_roles": "entity_roles",
    "entity_links": "article_entities",
}


def link_keys(ent: Entity) -> list[str]:
    """The graph nodes of an occurrence: every key `link_entity` may look it up by or record for it."""
    names = {ent.name, *ent.aliases, *(m.name or m.text for m in ent.mentions)}
    keys = {name_key(n) for n in names if n} | {name_key(ent.name) or ent.name}
    keys.discard("")
    nodes = {f"k:{ent.type}:{k}" for k in keys}
    if ent.wikidata:
        nodes.add(f"w:{ent.wikidata}")
    if ent.type == "PERSON":
        for key in keys:
            words = key.split()
            nodes.update({f"t:{words[0]}", f"t:{words[-1]}"} if len(words) > 1 else {f"t:{key}"})
    if linked_by_english_name(ent):
        nodes.add(f"e:{ent.type}:{ent.name_en}")
    return sorted(nodes)


def _read(root: str, parts: int, paths: list[str]) -> tuple[Any, ...]:
    """A shard's article JSON, by article id."""
    layout = Layout(root)
    rows: list[Row] = []
    for path in paths:
        with layout.fs.open(path, "rb") as handle:
            rows.extend((r["article_id"], r["ord"], r["analysis"]) for r in pq.read_table(handle).to_pylist())
    return tuple(split(rows, parts))


def _occurrences(chunks: list[list[Row]], parts: int) -> tuple[Any, ...]:
    """Occurrences of the canonical articles of one id partition, and their key edges."""
    first: dict[str, Row] = {}
    for chunk in chunks:
        for row in chunk:
            if row[0] not in first or row[1] < first[row[0]][1]:
                first[row[0]] = row
    occurrences: list[Row] = []
    edges: list[tuple[str, str]] = []
    for aid, order, analysis in first.values():
        art = Article.from_dict(json.loads(analysis))
        counts = Counter(m.entity for m in (art.mentions or [m for e in art.entities for m in e.mentions]))
        for pos, ent in enumerate(art.entities):
            node = f"o:{order:020d}:{pos:05d}"
            occurrences.append(
                (
                    node,
                    aid,
                    order,
                    pos,
                    json.dumps(_entity_dict(ent), ensure_ascii=False),
                    counts.get(ent.id, 0),
                )
            )
            keys = link_keys(ent) or [f"x:{node}"]
            edges.extend((node, key) for key in keys)
    return (edges, len(edges), *split(occurrences, parts))


def _by_component(occurrences: list[list[Row]], labels: list[dict[str, str]], parts: int) -> tuple[Any, ...]:
    label = labels[0] if labels else {}
    rows = [(label[o[0]], o) for chunk in occurrences for o in chunk]
    return tuple(split(rows, parts))


def _link(chunks: list[list[Row]], root: str, index: int) -> tuple[int, int, int]:
    """Link every component of one partition with `link_entity`; write the knowledge-base rows."""
    components: dict[str, list[Row]] = defaultdict(list)
    for chunk in chunks:
        for label, occ in chunk:
            components[label].append(occ)
    out: dict[str, list[tuple[Any, ...]]] = {}
    # One scratch knowledge base for all components: they share no key, so no lookup of one can
    # find an entity of another.
    conn = connection.connect(":memory:")
    try:
        conn.execute("BEGIN")
        for occs in components.values():
            occs.sort(key=lambda o: (o[2], o[3]))
            for _node, aid, _order, _pos, data, mentions in occs:
                ent = _entity_from(json.loads(data))
                kb_id = link_entity(conn, ent, aid)
                conn.execute(
                    "INSERT OR REPLACE INTO article_entities (article_id, local_id, entity_id, name, mentions) "
                    "VALUES (?, ?, ?, ?, ?)",
                    (aid, ent.id, kb_id, ent.name, mentions),
                )
        conn.execute("COMMIT")
        db.refresh_entity_names(conn)
        for table, source in _SOURCES.items():
            cols = ", ".join(f'"{c}"' for c, _ in kb_columns(conn, source))
            out[table] = conn.execute(f"SELECT {cols} FROM {source} ORDER BY rowid").fetchall()
    finally:
        conn.close()
    layout = Layout(root)
    schemas = link_schemas()
    for table, rows in out.items():
        schema = schemas[table]
        write_part(layout, layout.path(STAGING_DIR, table), index, arrow_table(rows, schema))
    largest = max((len(c) for c in components.values()), default=0)
    return len(out["entities"]), len(components), largest


def link_schemas() -> dict[str, pa.Schema]:
    """Parquet schemas of the linking tables (the knowledge base's columns and types)."""
    conn = connection.connect(":memory:")
    try:
        return {table: pa.schema(kb_columns(conn, source)) for table, source in _SOURCES.items()}
    finally:
        conn.close()


def link_entities_ray(ray: Any, layout: Layout, parts: int | None = None) -> GraphStats:
    """Link the entities of every committed article; writes the linking tables."""
    parts = parts or graph_parts(ray)
    stats = GraphStats()
    staging = layout.path(STAGING_DIR)
    reset_staging(layout, staging)
    analysis = layout.parts_by_shard("analysis")
    done = sorted(analysis)
    if not done:
        publish(layout, staging, OUTPUT_TABLES)
        return stats
    per_shard = [(analysis[k],) for k in done]
    reads = run_stage(ray, _read, [() for _ in done], parts, layout.root, parts, per_task=per_shard)
    stats.mark(ray, "read", reads)
    occ = run_stage(ray, _occurrences, [(col,) for col in transpose(reads)], parts + 2, parts)
    stats.edges = sum(ray.get([o[1] for o in occ]))
    stats.mark(ray, "keys", occ)
    labels = connected_components(ray, [o[0] for o in occ], parts, stats)
    placed = transpose(occ, column=2, width=parts)
    grouped = run_stage(ray, _by_component, [(placed[p], [labels[p]]) for p in range(parts)], parts, parts)
    stats.mark(ray, "group", grouped)
    return finish_components(ray, _link, "link", grouped, layout, staging, stats, OUTPUT_TABLES)
