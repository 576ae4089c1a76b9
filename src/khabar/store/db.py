"""Write one article into a knowledge base (all its rows in one transaction), replace it, keep entity
names and clusters current. Connections and migrations are in `store.connection`."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections import Counter
from collections.abc import Callable

from khabar.article import Actor, Article, Entity, article_headline
from khabar.dedup.minhash import Fingerprint
from khabar.errors import KhabarError
from khabar.ingest.readers import RawDoc
from khabar.pipeline import dedup_fingerprint, unlearned_text
from khabar.store import learned, search_index
from khabar.store.connection import utc_now
from khabar.store.learned import index_line_keys
from khabar.store.link import link_entity
from khabar.store.search_index import index_article

# Links an article entity to a KB entity id (default: `link.link_entity`, the local store's rules); an
# executor that linked entities elsewhere (the Ray engine) passes its precomputed links.
Linker = Callable[[sqlite3.Connection, Entity, str], str]

# The lead indexed for search (its own BM25 column): the first two sentences of the body, at most
# 400 characters (a Hindi news lead sentence runs 80-250 characters).
LEAD_SENTENCES = 2
LEAD_CHARS = 400


class IdConflictError(KhabarError):
    """A document's id is already used by a stored article with a different text."""


def raw_hash(doc: RawDoc) -> str:
    """A hash of everything in a raw document that shapes its analysis (not its source path)."""
    payload = json.dumps(
        [
            doc.text,
            doc.html,
            doc.id,
            doc.url,
            doc.title,
            doc.published.isoformat() if doc.published else None,
        ],
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


def known_document(conn: sqlite3.Connection, source: str, digest: str) -> str | None:
    """The article id already stored for this (source, raw hash), else for this raw hash, else None."""
    row = conn.execute(
        "SELECT article_id FROM documents WHERE raw_hash = ? ORDER BY source = ? DESC LIMIT 1",
        (digest, source),
    ).fetchone()
    return str(row[0]) if row else None


def has_document(conn: sqlite3.Connection, source: str, digest: str) -> bool:
    """Whether this exact document was already stored from this source."""
    row = conn.execute(
        "SELECT 1 FROM documents WHERE source = ? AND raw_hash = ?", (source, digest)
    ).fetchone()
    return row is not None


def add_document(conn: sqlite3.Connection, source: str, digest: str, article_id: str) -> bool:
    """Record that `source` (with this raw hash) holds an already stored article; False if known."""
    cur = conn.execute(
        "INSERT OR IGNORE INTO documents (source, raw_hash, article_id, ingested_at) VALUES (?, ?, ?, ?)",
        (source, digest, article_id, utc_now()),
    )
    return cur.rowcount > 0


def record_error(conn: sqlite3.Connection, source: str, message: str) -> None:
    """Store one input error (the same error for the same source is kept once)."""
    conn.execute(
        "INSERT OR IGNORE INTO errors (source, message, at) VALUES (?, ?, ?)", (source, message, utc_now())
    )


def write_article(
    conn: sqlite3.Connection,
    article: Article,
    digest: str,
    fingerprint: Fingerprint | None = None,
    linker: Linker | None = None,
) -> bool:
    """Store an analysed article and every layer in one transaction; False if its id was stored already
    with the same text (a copy). An id stored with a different text raises IdConflictError.

    `digest` is the raw hash of its input (see `raw_hash`); `fingerprint` is computed when not given;
    `linker` links its entities (default: `link_entity`).
    """
    source = article.source or "<unknown>"
    conn.execute("BEGIN IMMEDIATE")
    try:
        exists = conn.execute("SELECT text_hash, source FROM articles WHERE id = ?", (article.id,)).fetchone()
        if exists:
            text_hash = (fingerprint or dedup_fingerprint(article)).text_hash
            if exists[0] != text_hash:
                raise IdConflictError(
                    f"{source}: id {article.id!r} is already used by a different article (from {exists[1]}); "
                    "not stored: give this record an id of its own"
                )
            add_document(conn, source, digest, article.id)
            conn.execute("COMMIT")
            return False
        _insert_article(
            conn, article, digest, fingerprint or dedup_fingerprint(article), linker or link_entity
        )
        add_document(conn, source, digest, article.id)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


def article_lead(art: Article) -> str:
    """The lead: the first LEAD_SENTENCES sentences of the body (headings skipped), at most LEAD_CHARS."""
    spans = [(s.start, s.end) for s in art.sentences if s.block is None or _kind(art, s.block) != "heading"]
    if not spans:
        return art.text[:LEAD_CHARS]
    first = spans[:LEAD_SENTENCES]
    return art.text[first[0][0] : min(first[-1][1], first[0][0] + LEAD_CHARS)]


def _kind(art: Article, block_index: int) -> str | None:
    for block in art.blocks:
        if block.index == block_index:
            return block.kind
    return None


def _insert_article(
    conn: sqlite3.Connection, art: Article, digest: str, fp: Fingerprint, linker: Linker = link_entity
) -> None:
    data = art.to_dict()
    data.pop("raw", None)
    aid = art.id
    lead = article_lead(art)
    cur = conn.execute(
        "INSERT INTO articles (id, source, url, title, headline, published, language, lead, text, raw_hash, "
        "text_hash, words, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            aid,
            art.source,
            art.url,
            art.title,
            article_headline(art),
            art.published.isoformat() if art.published else None,
            art.language,
            lead,
            art.text,
            digest,
            fp.text_hash,
            fp.words,
            utc_now(),
        ),
    )
    conn.execute(
        "INSERT INTO article_analysis (article_id, analysis) VALUES (?, ?)",
        (aid, json.dumps(data, ensure_ascii=False)),
    )
    unlearned = unlearned_text(art)
    conn.execute(
        "INSERT INTO article_fingerprints (article_id, minhash, sentence_hashes, text, features) "
        "VALUES (?, ?, ?, ?, ?)",
        (aid, fp.minhash, fp.sentences, None if unlearned == art.text else unlearned, fp.features),
    )
    conn.execute(
        "INSERT INTO articles_fts (rowid, title, lead, text) VALUES (?, ?, ?, ?)",
        (cur.lastrowid, art.title, lead, art.text),
    )
    index_article(conn, int(cur.lastrowid or 0), art.title, lead, art.text)
    _insert_layers(conn, art, int(cur.lastrowid or 0), linker)


def _insert_layers(conn: sqlite3.Connection, art: Article, rowid: int, linker: Linker = link_entity) -> None:
    """The rows of every layer of a stored article (all but `articles`, its analysis, fingerprints and
    search entry)."""
    aid = art.id
    conn.executemany(
        'INSERT INTO blocks (article_id, idx, kind, start, "end", duplicate_of, rule, text) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        [(aid, b.index, b.kind, b.start, b.end, b.duplicate_of, b.rule, b.text) for b in art.blocks],
    )
    index_line_keys(conn, rowid, art.blocks)
    kb: dict[str, str] = {}
    for ent in art.entities:
        kb[ent.id] = linker(conn, ent, aid)
    conn.executemany(
        "INSERT OR IGNORE INTO entity_link_memory (article_id, type, name, linked_id) VALUES (?, ?, ?, ?)",
        [(aid, ent.type, ent.name, kb[ent.id]) for ent in art.entities],
    )
    mentions = list(art.mentions) or [m for ent in art.entities for m in ent.mentions]
    counts = Counter(m.entity for m in mentions if m.entity)
    names = {ent.id: ent.name for ent in art.entities}
    conn.executemany(
        "INSERT OR REPLACE INTO article_entities (article_id, local_id, entity_id, name, mentions) "
        "VALUES (?, ?, ?, ?, ?)",
        [(aid, local, kb_id, names[local], counts.get(local, 0)) for local, kb_id in kb.items()],
    )
    conn.executemany(
        'INSERT INTO mentions (article_id, entity_id, local_entity, start, "end", text, type, source, name, role) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (aid, kb.get(m.entity or ""), m.entity, m.start, m.end, m.text, m.type, m.source, m.name, m.role)
            for m in mentions
        ],
    )
    conn.executemany(
        'INSERT INTO dates (article_id, start, "end", text, value, grain, rule, last) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
        [(aid, d.start, d.end, d.text, d.value, d.grain, d.rule, d.last) for d in art.dates],
    )
    conn.executemany(
        'INSERT INTO quantities (article_id, start, "end", text, value, op, unit) VALUES (?, ?, ?, ?, ?, ?, ?)',
        [(aid, q.start, q.end, q.text, q.value, q.op, q.unit) for q in art.quantities],
    )
    conn.executemany(
        'INSERT INTO quotes (article_id, start, "end", text, speaker_local, speaker_entity, cue, kind, source_kind) '
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (aid, q.start, q.end, q.text, q.speaker, kb.get(q.speaker or ""), q.cue, q.kind, q.source_kind)
            for q in art.quotes
        ],
    )
    for idx, ev in enumerate(art.events):
        a1, a2 = ev.actor1, ev.actor2
        cur = conn.execute(
            "INSERT INTO events (article_id, idx, type, cameo, goldstein, trigger_start, trigger_end, "
            "trigger_text, location_local, location_entity, date, sentence, root, quad_class, modality, "
            "actor1_local, actor1_entity, actor1_text, actor1_name_en, actor1_code, "
            "actor2_local, actor2_entity, actor2_text, actor2_name_en, actor2_code, "
            "date_grain, date_last, evidence_start, evidence_end, confidence) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                aid,
                idx,
                ev.type,
                ev.cameo,
                ev.goldstein,
                ev.trigger.start,
                ev.trigger.end,
                ev.trigger_text,
                ev.location,
                kb.get(ev.location or ""),
                ev.date,
                ev.sentence,
                ev.root,
                ev.quad_class,
                ev.modality,
                *_actor_cells(art, a1, kb),
                *_actor_cells(art, a2, kb),
                ev.date_grain,
                ev.date_last,
                ev.evidence.start if ev.evidence else None,
                ev.evidence.end if ev.evidence else None,
                ev.confidence,
            ),
        )
        roles = {a.entity: r for a, r in ((a1, "actor1"), (a2, "actor2")) if a is not None and a.entity}
        conn.executemany(
            "INSERT INTO event_participants (event_id, position, local_entity, entity_id, role) "
            "VALUES (?, ?, ?, ?, ?)",
            [
                (cur.lastrowid, pos, p, kb.get(p), roles.get(p, "other"))
                for pos, p in enumerate(ev.participants)
            ],
        )


def _actor_cells(art: Article, actor: Actor | None, kb: dict[str, str]) -> tuple[str | None, ...]:
    """(local id, KB id, text, English name, CAMEO actor code) of an event actor."""
    if actor is None:
        return (None, None, None, None, None)
    ent = art.entity(actor.entity) if actor.entity else None
    name_en = ent.name_en if ent else actor.name_en
    return (actor.entity, kb.get(actor.entity or ""), actor.text, name_en, actor.code)


def refresh_entity_names(conn: sqlite3.Connection) -> None:
    """Name each KB entity by the name its articles use most (ties: the longer, then the first in
    sort order), so an early odd spelling does not stay the entity's name, and drop the entities no
    article names any more (an article cleaned again without its last mention: the knowledge base
    then depends on its articles' final analyses, not on the order they were cleaned in). Records how
    many articles the names cover (`names_current`), so a run stopped before this step repeats it."""
    unlinked = "NOT EXISTS (SELECT 1 FROM article_entities ae WHERE ae.entity_id = {})"
    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute(f"DELETE FROM aliases WHERE {unlinked.format('aliases.entity_id')}")
        conn.execute(f"DELETE FROM entity_roles WHERE {unlinked.format('entity_roles.entity_id')}")
        conn.execute(f"DELETE FROM entities WHERE {unlinked.format('entities.id')}")
        conn.execute(
            "UPDATE entities SET name = (SELECT ae.name FROM article_entities ae WHERE ae.entity_id = entities.id "
            "GROUP BY ae.name ORDER BY count(*) DESC, length(ae.name) DESC, ae.name LIMIT 1) "
            "WHERE id IN (SELECT entity_id FROM article_entities)"
        )
        conn.execute(
            "INSERT OR REPLACE INTO kb_state (key, value) "
            "VALUES ('named_articles', (SELECT count(*) FROM articles))"
        )
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def names_current(conn: sqlite3.Connection) -> bool:
    """Whether the entity names were refreshed after the last article was stored."""
    row = conn.execute("SELECT value FROM kb_state WHERE key = 'named_articles'").fetchone()
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    return row is not None and int(row[0]) == int(total)


def replace_article(conn: sqlite3.Connection, art: Article) -> None:
    """Replace a stored article's text, analysis and every layer (same id, rowid, documents and
    cluster) in one transaction; for an article cleaned again with other learned template lines
    (`khabar reclean`). Its fingerprints stay: they are of its text without learned lines, which
    recleaning does not change."""
    row = conn.execute(
        "SELECT a.rowid, a.title, a.lead, a.text, coalesce(f.text, a.text) FROM articles a "
        "JOIN article_fingerprints f ON f.article_id = a.id WHERE a.id = ?",
        (art.id,),
    ).fetchone()
    if row is None:
        raise KhabarError(f"no stored article {art.id}")
    rowid = int(row[0])
    data = art.to_dict()
    data.pop("raw", None)
    lead = article_lead(art)
    # An entity the article names (same type and name) keeps the KB entity it was first linked to:
    # cleaning an article again removes template lines, it does not relink what it says, so the
    # knowledge base does not depend on when lines were learned (nor on the engine that stored it).
    prior = {
        (str(kind), str(name)): str(eid)
        for kind, name, eid in conn.execute(
            "SELECT type, name, linked_id FROM entity_link_memory WHERE article_id = ?", (art.id,)
        )
    }

    def keep_links(conn: sqlite3.Connection, ent: Entity, article_id: str) -> str:
        return link_entity(conn, ent, article_id, known=prior.get((ent.type, ent.name)))

    conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("DELETE FROM line_keys WHERE article = ?", (rowid,))
        for table in (
            "blocks",
            "mentions",
            "article_entities",
            "entity_roles",
            "dates",
            "quantities",
            "quotes",
        ):
            conn.execute(f"DELETE FROM {table} WHERE article_id = ?", (art.id,))
        conn.execute(
            "DELETE FROM event_participants WHERE event_id IN (SELECT id FROM events WHERE article_id = ?)",
            (art.id,),
        )
        conn.execute("DELETE FROM events WHERE article_id = ?", (art.id,))
        conn.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, lead, text) VALUES ('delete', ?, ?, ?, ?)",
            (rowid, row[1], row[2], row[3]),
        )
        search_index.unindex_article(conn, rowid, row[1], row[2], row[3])
        conn.execute("DELETE FROM article_vectors WHERE rowid = ?", (rowid,))  # computed again
        conn.execute(
            "UPDATE articles SET title = ?, headline = ?, lead = ?, text = ? WHERE rowid = ?",
            (art.title, article_headline(art), lead, art.text, rowid),
        )
        conn.execute(
            "UPDATE article_analysis SET analysis = ? WHERE article_id = ?",
            (json.dumps(data, ensure_ascii=False), art.id),
        )
        conn.execute(
            "UPDATE article_fingerprints SET text = ? WHERE article_id = ?",
            (None if row[4] == art.text else row[4], art.id),
        )
        conn.execute(
            "INSERT INTO articles_fts (rowid, title, lead, text) VALUES (?, ?, ?, ?)",
            (rowid, art.title, lead, art.text),
        )
        index_article(conn, rowid, art.title, lead, art.text)
        _insert_layers(conn, art, rowid, keep_links)
        conn.execute("DELETE FROM kb_state WHERE key = 'named_articles'")  # names to refresh
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def count_clusters(conn: sqlite3.Connection) -> int:
    """How many duplicate clusters (stories with two or more articles) are stored."""
    return int(conn.execute("SELECT count(*) FROM clusters").fetchone()[0])


def clusters_current(conn: sqlite3.Connection) -> bool:
    """Whether the stored clusters cover every stored article."""
    from khabar.store.dedup_index import clusters_current as current

    return current(conn)


def update_clusters(
    conn: sqlite3.Connection, rebuild: bool = False, recleaner: learned.Recleaner | None = None
) -> int:
    """Cluster the articles stored since the last update (`rebuild`: all of them again), count their
    template lines, learn template lines and clean again (with `recleaner`, default in this process)
    the stored articles that newly learned lines change (their clusters stay: clustering reads the
    text without learned lines); returns how many clusters there are."""
    from khabar.store import dedup_index

    if rebuild:
        dedup_index.rebuild_clusters(conn)
        learned.rebuild_line_stats(conn)
    else:
        dedup_index.update_clusters(conn)
    learned.update_learned(conn, recleaner)
    return count_clusters(conn)
