"""Writing the search index (`search_index`, migration 3): each article's title, lead and text twice,
as analyzer terms (`khabar.text.analyzer`) and as typed.

The analyzer's version (`analyzer_version()`: ANALYZER_VERSION and a digest of the analyzer's data
files) is kept in `kb_state` (`search_analyzer`); a writable knowledge base whose index was built by
another version is rebuilt on opening (`ensure_current`), and a read-only open of one is refused, so a
change of the stemmer never leaves old and new terms mixed.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from khabar.text.analyzer import analyze, data_digest

# Bump when the analyzer's code changes its output (the stem guards, the fold, the word pattern); a
# change of its data files (`analyzer.DATA_FILES`) changes the recorded version by itself. A change to
# stem_suffixes.tsv also needs the event trigger model refitted (khabar train facts --events-only). A
# read-only open of an index built by another version is refused, with the advice to open it once for
# writing, so old terms are never searched with new ones.
# 2 (2026-12-08): search stems keep two aksharas, are never a function word's term through the fold
# alone, and -िया/-ा are stripped only with paradigm evidence (प्रिया was पर, शर्मा was शर्म).
ANALYZER_VERSION = "2"
_STATE_KEY = "search_analyzer"
_INSERT = (
    "INSERT INTO search_index (rowid, title, lead, text, title_exact, lead_exact, text_exact) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def index_article(conn: sqlite3.Connection, rowid: int, title: str | None, lead: str, text: str) -> None:
    """Add one article to the search index (inside the caller's transaction)."""
    title = title or ""
    conn.execute(_INSERT, (rowid, analyze(title), analyze(lead), analyze(text), title, lead, text))


def unindex_article(conn: sqlite3.Connection, rowid: int, title: str | None, lead: str, text: str) -> None:
    """Remove one article from the search index, given the values it was indexed with (the index is
    contentless; inside the caller's transaction)."""
    title = title or ""
    conn.execute(
        "INSERT INTO search_index (search_index, rowid, title, lead, text, title_exact, lead_exact, text_exact) "
        "VALUES ('delete', ?, ?, ?, ?, ?, ?, ?)",
        (rowid, analyze(title), analyze(lead), analyze(text), title, lead, text),
    )


def rebuild(conn: sqlite3.Connection, progress: Callable[[int, int], None] | None = None) -> int:
    """Empty and refill the search index from `articles` (inside the caller's transaction); returns
    the number of articles indexed. `progress(done, total)` is called every 1,000 articles."""
    conn.execute("INSERT INTO search_index (search_index) VALUES ('delete-all')")
    total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    done = 0
    for rowid, title, lead, text in conn.execute(
        "SELECT rowid, title, lead, text FROM articles ORDER BY rowid"
    ):
        index_article(conn, rowid, title, lead, text)
        done += 1
        if progress and done % 1000 == 0:
            progress(done, total)
    conn.execute(
        "INSERT INTO kb_state (key, value) VALUES (?, ?) "
        "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
        (_STATE_KEY, analyzer_version()),
    )
    return done


def analyzer_version() -> str:
    """The version recorded with an index: ANALYZER_VERSION and the digest of the analyzer's data files
    (`khabar.text.analyzer.DATA_FILES`)."""
    return f"{ANALYZER_VERSION}:{data_digest()}"


def built_by(conn: sqlite3.Connection) -> str | None:
    """The analyzer version that built the index (None when none is recorded)."""
    row = conn.execute("SELECT value FROM kb_state WHERE key = ?", (_STATE_KEY,)).fetchone()
    return None if row is None else str(row[0])


def is_current(conn: sqlite3.Connection) -> bool:
    """Whether the index was built by this analyzer version."""
    return built_by(conn) == analyzer_version()


def ensure_current(conn: sqlite3.Connection) -> bool:
    """Rebuild the index in one transaction when another analyzer version built it; True if rebuilt."""
    if is_current(conn):
        return False
    conn.execute("BEGIN IMMEDIATE")
    try:
        if is_current(conn):  # another writer rebuilt it meanwhile
            conn.execute("COMMIT")
            return False
        rebuild(conn)
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return True


def cache_key(conn: sqlite3.Connection, state: tuple[int, ...]) -> tuple[object, ...]:
    """A key for data read from this knowledge base in this state: its file (or the connection, for an
    in-memory database) and `state` (row counts that change when the data does)."""
    path = conn.execute("PRAGMA database_list").fetchone()[2]
    return (path or id(conn), *state)


# Spelling neighbours: a folded term of at least NEIGHBOUR_LETTERS letters also matches the index terms
# one medial vowel sign away (अमेरिक ~ अमरिक: अमेरिका/अमरीका), if they occur in the knowledge base. The
# last character is never touched (that is the stemmer's business: लडकि is not लडक).
NEIGHBOUR_LETTERS = 4
MAX_NEIGHBOURS = 3
_SIGNS = "\u093e\u093f\u0941\u0947\u094b"  # the vowel signs left after the name-key fold
_CONSONANTS = {chr(c) for c in range(0x0915, 0x093A)}


def _vowel_edits(term: str) -> set[str]:
    out: set[str] = set()
    for i in range(1, len(term) - 1):
        if term[i] in _SIGNS:
            out.add(term[:i] + term[i + 1 :])
        if term[i - 1] in _CONSONANTS and term[i] in _CONSONANTS:
            out.update(term[:i] + sign + term[i:] for sign in _SIGNS)
    out.discard(term)
    return out


def spelling_neighbours(conn: sqlite3.Connection, term: str) -> list[str]:
    """Index terms one medial vowel sign away from `term` that occur in the stem columns, most
    frequent first (at most MAX_NEIGHBOURS); none for short terms."""
    if sum(1 for ch in term if ch in _CONSONANTS or "\u0904" <= ch <= "\u0914") < NEIGHBOUR_LETTERS:
        return []
    edits = sorted(_vowel_edits(term))
    if not edits:
        return []
    conn.execute(
        "CREATE VIRTUAL TABLE IF NOT EXISTS temp.search_vocab USING fts5vocab(main, search_index, 'col')"
    )
    marks = ",".join("?" * len(edits))
    rows = conn.execute(
        f"SELECT term, sum(doc) AS n FROM temp.search_vocab WHERE term IN ({marks}) "
        "AND col IN ('title', 'lead', 'text') GROUP BY term ORDER BY n DESC, term LIMIT ?",
        [*edits, MAX_NEIGHBOURS],
    ).fetchall()
    return [r[0] for r in rows]
