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

# (version, SQL script) in order; the database's version is the last one applied.
MIGRATIONS: tuple[tuple[int, str], ...] = ((1, MIGRATION_1), (2, MIGRATION_2))
SCHEMA_VERSION = MIGRATIONS[-1][0]
