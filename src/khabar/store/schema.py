"""The knowledge-base schema as ordered migrations; `docs/schema.md` documents every table.

Migration N turns a version N-1 database into version N. Never edit a shipped migration: append one.
"""

from __future__ import annotations

# The FTS5 tokenizer: letters, numbers, private use and ALL marks (M*) are token characters, so a
# Devanagari word is never split at a vowel sign or virama (the default unicode61 splits at them).
FTS_TOKENIZE = "unicode61 categories 'L* N* Co M*'"

MIGRATION_1 = f"""
CREATE TABLE articles (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    url TEXT,
    title TEXT,
    published TEXT,
    language TEXT,
    lead TEXT NOT NULL,
    text TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    words INTEGER NOT NULL,
    minhash BLOB NOT NULL,
    sentence_hashes BLOB NOT NULL,
    cluster TEXT,
    analysis TEXT NOT NULL,
    ingested_at TEXT NOT NULL
);
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_cluster ON articles(cluster);

CREATE TABLE documents (
    source TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    ingested_at TEXT NOT NULL,
    PRIMARY KEY (source, raw_hash)
);
CREATE INDEX documents_raw_hash ON documents(raw_hash);
CREATE INDEX documents_article ON documents(article_id);

CREATE TABLE blocks (
    article_id TEXT NOT NULL REFERENCES articles(id),
    idx INTEGER NOT NULL,
    kind TEXT NOT NULL,
    start INTEGER,
    "end" INTEGER,
    duplicate_of INTEGER,
    rule TEXT,
    text TEXT NOT NULL,
    PRIMARY KEY (article_id, idx)
);

CREATE TABLE entities (
    id TEXT PRIMARY KEY,
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    wikidata TEXT,
    key TEXT NOT NULL,
    single_token INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX entities_type_key ON entities(type, key);
CREATE UNIQUE INDEX entities_wikidata ON entities(wikidata) WHERE wikidata IS NOT NULL;

CREATE TABLE aliases (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    key TEXT NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
CREATE INDEX aliases_key ON aliases(key);

CREATE TABLE entity_roles (
    entity_id TEXT NOT NULL REFERENCES entities(id),
    role TEXT NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    PRIMARY KEY (entity_id, role, article_id)
);

CREATE TABLE article_entities (
    article_id TEXT NOT NULL REFERENCES articles(id),
    local_id TEXT NOT NULL,
    entity_id TEXT NOT NULL REFERENCES entities(id),
    name TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (article_id, local_id)
);
CREATE INDEX article_entities_entity ON article_entities(entity_id);

CREATE TABLE mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id TEXT REFERENCES entities(id),
    local_entity TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    type TEXT NOT NULL,
    source TEXT,
    name TEXT,
    role TEXT
);
CREATE INDEX mentions_article ON mentions(article_id);
CREATE INDEX mentions_entity ON mentions(entity_id);

CREATE TABLE dates (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value TEXT,
    grain TEXT NOT NULL,
    rule TEXT
);
CREATE INDEX dates_article ON dates(article_id);

CREATE TABLE quantities (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    value REAL NOT NULL,
    op TEXT NOT NULL,
    unit TEXT
);
CREATE INDEX quantities_article ON quantities(article_id);

CREATE TABLE quotes (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    text TEXT NOT NULL,
    speaker_local TEXT,
    speaker_entity TEXT REFERENCES entities(id),
    cue TEXT,
    kind TEXT NOT NULL
);
CREATE INDEX quotes_article ON quotes(article_id);
CREATE INDEX quotes_speaker ON quotes(speaker_entity);

CREATE TABLE events (
    id INTEGER PRIMARY KEY,
    article_id TEXT NOT NULL REFERENCES articles(id),
    idx INTEGER NOT NULL,
    type TEXT NOT NULL,
    cameo TEXT NOT NULL,
    goldstein REAL,
    trigger_start INTEGER NOT NULL,
    trigger_end INTEGER NOT NULL,
    trigger_text TEXT,
    location_local TEXT,
    location_entity TEXT REFERENCES entities(id),
    date TEXT,
    sentence INTEGER,
    UNIQUE (article_id, idx)
);
CREATE INDEX events_date ON events(date);

CREATE TABLE event_participants (
    event_id INTEGER NOT NULL REFERENCES events(id),
    position INTEGER NOT NULL,
    local_entity TEXT NOT NULL,
    entity_id TEXT REFERENCES entities(id),
    PRIMARY KEY (event_id, position)
);
CREATE INDEX event_participants_entity ON event_participants(entity_id);

CREATE TABLE clusters (
    id TEXT PRIMARY KEY,
    representative TEXT NOT NULL REFERENCES articles(id),
    size INTEGER NOT NULL
);

CREATE TABLE kb_state (
    key TEXT PRIMARY KEY,
    value TEXT
);

CREATE TABLE errors (
    id INTEGER PRIMARY KEY,
    source TEXT NOT NULL,
    message TEXT NOT NULL,
    at TEXT NOT NULL,
    UNIQUE (source, message)
);

CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, lead, text, content='articles', content_rowid='rowid', tokenize="{FTS_TOKENIZE}"
);
"""

# Facts as an analyst needs them (issue 14): events with source and target actors, CAMEO root and
# QuadClass, modality, date grain and range end, evidence sentence and confidence; the role of each
# event participant; a quote's source kind when it names no speaker; a date range's last day.
MIGRATION_2 = """
ALTER TABLE events ADD COLUMN root TEXT;
ALTER TABLE events ADD COLUMN quad_class INTEGER;
ALTER TABLE events ADD COLUMN modality TEXT NOT NULL DEFAULT 'occurred';
ALTER TABLE events ADD COLUMN actor1_local TEXT;
ALTER TABLE events ADD COLUMN actor1_entity TEXT REFERENCES entities(id);
ALTER TABLE events ADD COLUMN actor1_text TEXT;
ALTER TABLE events ADD COLUMN actor1_name_en TEXT;
ALTER TABLE events ADD COLUMN actor1_code TEXT;
ALTER TABLE events ADD COLUMN actor2_local TEXT;
ALTER TABLE events ADD COLUMN actor2_entity TEXT REFERENCES entities(id);
ALTER TABLE events ADD COLUMN actor2_text TEXT;
ALTER TABLE events ADD COLUMN actor2_name_en TEXT;
ALTER TABLE events ADD COLUMN actor2_code TEXT;
ALTER TABLE events ADD COLUMN date_grain TEXT;
ALTER TABLE events ADD COLUMN date_last TEXT;
ALTER TABLE events ADD COLUMN evidence_start INTEGER;
ALTER TABLE events ADD COLUMN evidence_end INTEGER;
ALTER TABLE events ADD COLUMN confidence REAL;
CREATE INDEX events_actor1 ON events(actor1_entity);
CREATE INDEX events_actor2 ON events(actor2_entity);
ALTER TABLE event_participants ADD COLUMN role TEXT;
ALTER TABLE quotes ADD COLUMN source_kind TEXT;
ALTER TABLE dates ADD COLUMN last TEXT;
"""

# A database other tools open as is (issue 17): the dedup signatures and the analysis JSON move out
# of `articles` into side tables (a page of articles in datasette is text, not 12 KB of BLOBs and
# JSON per row); `articles.headline` (the title, else the first sentence: filled in Python, see
# `db.POST_MIGRATION`) and a declared foreign key on `articles.cluster`; the FTS table is declared
# with `content="articles"`, the form datasette detects; views for people.
MIGRATION_3 = f"""
CREATE TABLE article_analysis (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    analysis TEXT NOT NULL
);
INSERT INTO article_analysis (article_id, analysis) SELECT id, analysis FROM articles;
CREATE TABLE article_fingerprints (
    article_id TEXT PRIMARY KEY REFERENCES articles(id),
    minhash BLOB NOT NULL,
    sentence_hashes BLOB NOT NULL
);
INSERT INTO article_fingerprints (article_id, minhash, sentence_hashes)
    SELECT id, minhash, sentence_hashes FROM articles;
CREATE TABLE articles_v3 (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source TEXT,
    url TEXT,
    title TEXT,
    headline TEXT,
    published TEXT,
    language TEXT,
    lead TEXT NOT NULL,
    text TEXT NOT NULL,
    raw_hash TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    words INTEGER NOT NULL,
    cluster TEXT REFERENCES clusters(id),
    ingested_at TEXT NOT NULL
);
INSERT INTO articles_v3 (rowid, id, source, url, title, headline, published, language, lead, text,
    raw_hash, text_hash, words, cluster, ingested_at)
    SELECT rowid, id, source, url, title, title, published, language, lead, text,
    raw_hash, text_hash, words, cluster, ingested_at FROM articles;
DROP TABLE articles_fts;
DROP TABLE articles;
ALTER TABLE articles_v3 RENAME TO articles;
CREATE INDEX articles_published ON articles(published);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_cluster ON articles(cluster);
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, lead, text, content="articles", content_rowid="rowid", tokenize="{FTS_TOKENIZE}"
);
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');
CREATE VIEW article_summary AS
SELECT a.id, a.headline, a.title, a.published, a.source, a.url, a.language, a.words, a.cluster,
    (SELECT count(*) FROM documents d WHERE d.article_id = a.id) AS documents,
    (SELECT count(*) FROM article_entities ae WHERE ae.article_id = a.id) AS entities,
    (SELECT count(*) FROM quotes q WHERE q.article_id = a.id) AS quotes,
    (SELECT count(*) FROM events ev WHERE ev.article_id = a.id) AS events,
    a.ingested_at
FROM articles a;
CREATE VIEW entity_summary AS
SELECT e.id, e.type, e.name, e.name_en, e.wikidata,
    CASE WHEN e.wikidata IS NOT NULL THEN 'https://www.wikidata.org/wiki/' || e.wikidata END AS wikidata_url,
    count(DISTINCT ae.article_id) AS articles, coalesce(sum(ae.mentions), 0) AS mentions,
    min(a.published) AS first_published, max(a.published) AS last_published
FROM entities e
LEFT JOIN article_entities ae ON ae.entity_id = e.id
LEFT JOIN articles a ON a.id = ae.article_id
GROUP BY e.id;
CREATE VIEW event_view AS
SELECT ev.id, ev.article_id, a.headline AS article,
    coalesce(ev.date, a.published) AS day,
    CASE WHEN ev.date IS NULL THEN 'publication' ELSE 'text' END AS day_source,
    ev.date_grain, ev.date_last, ev.cameo, ev.type, ev.root, ev.quad_class, ev.goldstein, ev.modality,
    coalesce(e1.name_en, ev.actor1_name_en) AS actor1, coalesce(e1.name, ev.actor1_text) AS actor1_hi,
    ev.actor1_entity, ev.actor1_code,
    coalesce(e2.name_en, ev.actor2_name_en) AS actor2, coalesce(e2.name, ev.actor2_text) AS actor2_hi,
    ev.actor2_entity, ev.actor2_code,
    le.name_en AS place, le.name AS place_hi, ev.location_entity AS place_entity,
    ev.trigger_text AS trigger,
    CASE WHEN ev.evidence_start IS NULL THEN NULL
        ELSE substr(a.text, ev.evidence_start + 1, ev.evidence_end - ev.evidence_start) END AS evidence,
    ev.confidence
FROM events ev
JOIN articles a ON a.id = ev.article_id
LEFT JOIN entities e1 ON e1.id = ev.actor1_entity
LEFT JOIN entities e2 ON e2.id = ev.actor2_entity
LEFT JOIN entities le ON le.id = ev.location_entity
"""

# Search as readers expect (issue 13): one contentless FTS5 index with two forms of every word, the
# analyzer's folded stem (title, lead, text: default queries) and the exact word (title_exact,
# lead_exact, text_exact: "quoted phrases" and =word), so one query mixes both and BM25 ranks them
# together; `khabar.store.search_index` fills it (on opening, when its analyzer version is not the
# current one). articles_fts stays for datasette and SQL users. Article vectors for meaning search.
MIGRATION_4 = f"""
CREATE VIRTUAL TABLE search_index USING fts5(
    title, lead, text, title_exact, lead_exact, text_exact, content='', tokenize="{FTS_TOKENIZE}"
);
CREATE TABLE article_vectors (
    rowid INTEGER PRIMARY KEY REFERENCES articles(rowid),
    model TEXT NOT NULL,
    vector BLOB NOT NULL
)
"""

# A change counter for article_vectors in kb_state (`vectors_version`): readers key their cached vector
# matrix on it, so checking for new vectors is one lookup instead of a scan of the table.
MIGRATION_5 = """
INSERT OR REPLACE INTO kb_state (key, value) VALUES ('vectors_version', '0');
CREATE TRIGGER article_vectors_added AFTER INSERT ON article_vectors BEGIN
    UPDATE kb_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
END;
CREATE TRIGGER article_vectors_changed AFTER UPDATE ON article_vectors BEGIN
    UPDATE kb_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
END;
CREATE TRIGGER article_vectors_removed AFTER DELETE ON article_vectors BEGIN
    UPDATE kb_state SET value = CAST(value AS INTEGER) + 1 WHERE key = 'vectors_version';
END
"""

# Entities carry the name knowledge base's class and, for places, country, ADM1 code and coordinates.
MIGRATION_6 = """
ALTER TABLE entities ADD COLUMN category TEXT;
ALTER TABLE entities ADD COLUMN country TEXT;
ALTER TABLE entities ADD COLUMN adm1 TEXT;
ALTER TABLE entities ADD COLUMN lat REAL;
ALTER TABLE entities ADD COLUMN lon REAL
"""

# Incremental clustering and learned template lines (issue 12; see store/dedup_index.py,
# store/learned.py): LSH band keys and sentence anchors by article rowid; the template-line keys of
# each article and, per key, the number of stories (clusters, or single articles) it occurs in and
# whether it is learned, with one example of the line.
MIGRATION_7 = """
CREATE TABLE dedup_bands (
    key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;

CREATE TABLE dedup_anchors (
    key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;

CREATE TABLE line_keys (
    key INTEGER NOT NULL,
    article INTEGER NOT NULL,
    PRIMARY KEY (key, article)
) WITHOUT ROWID;
CREATE INDEX line_keys_article ON line_keys(article);

CREATE TABLE line_stats (
    key INTEGER PRIMARY KEY,
    stories INTEGER NOT NULL,
    learned INTEGER NOT NULL DEFAULT 0,
    example TEXT NOT NULL
);
CREATE INDEX line_stats_learned ON line_stats(learned) WHERE learned = 1;
"""

# Clustering reads an article's text without learned template lines (store/learned.py): kept here
# when it differs from the clean text (NULL otherwise).
MIGRATION_8 = """
ALTER TABLE article_fingerprints ADD COLUMN text TEXT
"""

# The verification features of an article's text without learned lines (`dedup.feature_codec`),
# read when a new article is verified against it; NULL (computed from the text then) for articles
# stored before, or loaded from a Ray dataset.
# And the story each counted article's template-line keys are counted in (`store.learned`: story
# counts are kept by deltas), with the keys findable by count for the learned flags.
MIGRATION_9 = """
ALTER TABLE article_fingerprints ADD COLUMN features BLOB;

CREATE TABLE line_story (
    article INTEGER PRIMARY KEY,
    story TEXT NOT NULL
);
CREATE INDEX line_stats_stories ON line_stats(stories);
"""

# The first KB entity each article entity (by type and name) was linked to: an article cleaned again
# (`db.replace_article`) links an entity it names again to it, even after a learned line took the
# entity away for a while, so links do not depend on when lines were learned (local engine or Ray).
# `linked_id` is an `entities.id` that may have been dropped meanwhile (so no declared key).
MIGRATION_10 = """
CREATE TABLE entity_link_memory (
    article_id TEXT NOT NULL REFERENCES articles(id),
    type TEXT NOT NULL,
    name TEXT NOT NULL,
    linked_id TEXT NOT NULL,
    PRIMARY KEY (article_id, type, name)
) WITHOUT ROWID;

INSERT OR IGNORE INTO entity_link_memory (article_id, type, name, linked_id)
SELECT ae.article_id, e.type, ae.name, ae.entity_id FROM article_entities ae JOIN entities e ON e.id = ae.entity_id
"""

# (version, SQL script) in order; the database's version is the last one applied.
MIGRATIONS: tuple[tuple[int, str], ...] = (
    (1, MIGRATION_1),
    (2, MIGRATION_2),
    (3, MIGRATION_3),
    (4, MIGRATION_4),
    (5, MIGRATION_5),
    (6, MIGRATION_6),
    (7, MIGRATION_7),
    (8, MIGRATION_8),
    (9, MIGRATION_9),
    (10, MIGRATION_10),
)
SCHEMA_VERSION = MIGRATIONS[-1][0]
