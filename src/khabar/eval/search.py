"""`khabar eval search`: retrieval quality of each search arm on the search gold set.

The gold folder holds `corpus.jsonl` ({"id","source","published","title","text"}) and `queries.jsonl`
({"qid","part","query","kind","relevant":[ids]}). The corpus is ingested into a knowledge base (the
full pipeline, so English names resolve through its entities) and embedded once; each arm then answers
every query with its top 20 articles, copies not grouped (relevance is per article):

- `exact`: version 1's search, every word exactly as typed (FTS5, BM25, all words must occur);
- `fold`: the spelling-variant fold of entity name keys, with the current query policy (function
  words optional; articles with all words first, then those with some); `stem`: + khabar's light
  stemmer (stemming first, then folding); `snowball`: snowballstemmer's Hindi stemmer alone,
  `snowball_fold`: then folded; these five run on the same in-memory FTS5 index layout;
- `keyword`: khabar's keyword search as users get it (the stem arm + English/romanised names read as
  entities); `semantic`: multilingual-e5 vectors; `hybrid`: reciprocal-rank fusion of the two.

Figures: recall@20 (relevant found in the top 20 / relevant), recall@20_of_possible (… / min(relevant,
20): a query with 68 relevant articles can reach at most 20/68 recall@20), precision@10 (relevant in the
top 10 / 10) and MRR (1 / rank of the first relevant, 0 when none in the top 20), averaged over queries.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from khabar.errors import InputError
from khabar.store.schema import FTS_TOKENIZE
from khabar.store.search_query import is_stopword
from khabar.text.analyzer import fold, index_term, prefold, query_terms, words

DEPTH = 20
KEYWORD_ARMS = ("exact", "fold", "stem", "snowball", "snowball_fold")
KB_ARMS = ("keyword", "semantic", "hybrid")


@dataclass(frozen=True, slots=True)
class GoldQuery:
    qid: str
    part: str
    query: str
    kind: str
    relevant: frozenset[str]


def load_gold(folder: Path) -> tuple[Path, list[GoldQuery]]:
    """The corpus file and the queries of a search gold folder; InputError when malformed."""
    corpus, queries = folder / "corpus.jsonl", folder / "queries.jsonl"
    for path in (corpus, queries):
        if not path.is_file():
            raise InputError(f"{path}: missing (a search gold folder has corpus.jsonl and queries.jsonl)")
    out = []
    for n, line in enumerate(queries.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            out.append(
                GoldQuery(str(row["qid"]), row["part"], row["query"], row["kind"], frozenset(row["relevant"]))
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise InputError(f"{queries}:{n}: not a gold query ({exc})") from None
    return corpus, out


def _snowball() -> Callable[[str], str]:
    import snowballstemmer

    stemmer = snowballstemmer.stemmer("hindi")

    def term(word: str) -> str:
        return str(stemmer.stemWord(unicodedata_nfc(word).lower()))

    return term


def unicodedata_nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


def analyzers() -> dict[str, Callable[[str], str]]:
    """The word → index term function of each in-memory keyword arm."""
    snowball = _snowball()
    return {
        "exact": lambda w: unicodedata_nfc(w).lower(),
        "fold": lambda w: fold(prefold(w)),
        "stem": index_term,
        "snowball": snowball,
        "snowball_fold": lambda w: fold(snowball(w)),
    }


class ArmIndex:
    """An in-memory FTS5 index of the corpus (title, lead, text) through one analyzer."""

    def __init__(self, articles: Sequence[tuple[str, str, str, str]], term: Callable[[str], str]) -> None:
        self.term = term
        self.conn = sqlite3.connect(":memory:")
        self.conn.execute(
            f'CREATE VIRTUAL TABLE f USING fts5(id UNINDEXED, title, lead, text, tokenize="{FTS_TOKENIZE}")'
        )

        def stream(text: str) -> str:
            return " ".join(term(w) for _, _, w in words(text))

        self.conn.executemany(
            "INSERT INTO f (id, title, lead, text) VALUES (?, ?, ?, ?)",
            [(aid, stream(title), stream(lead), stream(text)) for aid, title, lead, text in articles],
        )

    def search(self, query: str, depth: int = DEPTH, today: bool = False) -> list[str]:
        """The top `depth` ids: `today`, all words required (version 1's search); otherwise the
        current query policy (stopwords optional, all words first, then some of them)."""
        words_ = query.split()
        if not today:
            words_ = [w for w in words_ if not is_stopword(w)] or words_
        terms = [t for w in words_ for t in query_terms(w, self.term) if t]
        if not terms:
            return []
        quoted = ['"' + t.replace('"', '""') + '"' for t in terms]
        sql = "SELECT id FROM f WHERE f MATCH ? ORDER BY bm25(f, 0, 4.0, 2.0, 1.0), id LIMIT ?"
        ranked = [r[0] for r in self.conn.execute(sql, (" AND ".join(quoted), depth))]
        if not today and len(quoted) > 1:
            ranked += [
                r[0] for r in self.conn.execute(sql, (" OR ".join(quoted), depth)) if r[0] not in ranked
            ]
        return ranked[:depth]


def metrics(ranked: Sequence[str], relevant: frozenset[str]) -> dict[str, float]:
    """recall@20, precision@10 and reciprocal rank of one ranking."""
    top = list(ranked[:DEPTH])
    found = [aid in relevant for aid in top]
    first = next((i for i, hit in enumerate(found, 1) if hit), 0)
    return {
        "recall@20": sum(found) / len(relevant) if relevant else 0.0,
        "recall@20_of_possible": sum(found) / min(len(relevant), DEPTH) if relevant else 0.0,
        "precision@10": sum(found[:10]) / 10,
        "mrr": 1.0 / first if first else 0.0,
    }


def _average(rows: Sequence[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {k: round(sum(r[k] for r in rows) / len(rows), 4) for k in rows[0]}


def _code_signature() -> str:
    """A hash of khabar's installed code and tables: a stored gold KB made by other code is stale."""
    import khabar

    digest = hashlib.sha256()
    package = Path(khabar.__file__).parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def _cached_embedder(work: Path) -> Callable[[list[str]], Any]:
    """`embedder.embed_passages` with a cache of passage vectors in `work` (a rebuilt gold KB does not
    re-embed passages that did not change)."""
    import numpy as np

    from khabar.store import embedder

    path = work / "passage_vectors.npz"
    known: dict[str, Any] = dict(np.load(path)) if path.is_file() else {}

    def embed(texts: list[str]) -> Any:
        keys = [hashlib.sha256(f"{embedder.MODEL}\n{t}".encode()).hexdigest() for t in texts]
        todo = [i for i, key in enumerate(keys) if key not in known]
        if todo:
            for i, vec in zip(todo, embedder.embed_passages([texts[i] for i in todo]), strict=True):
                known[keys[i]] = vec
            np.savez(path, **known)
        return np.stack([known[key] for key in keys]) if keys else embedder.embed_passages([])

    return embed


def build_kb(corpus: Path, work: Path, semantic: bool) -> Path:
    """Ingest (and embed) the gold corpus into `work`/gold.db unless it is there already, made from
    the same corpus by the same code."""
    from khabar.ingest.runner import ingest_paths
    from khabar.store import vectors
    from khabar.store.kb import KnowledgeBase

    work.mkdir(parents=True, exist_ok=True)
    db = work / "gold.db"
    stamp = work / "gold.stamp"
    signature = hashlib.sha256(corpus.read_bytes()).hexdigest() + " " + _code_signature()
    if not (db.is_file() and stamp.is_file() and stamp.read_text() == signature):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        ingest_paths([str(corpus)], db, workers=1)
        stamp.write_text(signature)
    if semantic:
        with KnowledgeBase(db) as kb:
            vectors.embed_missing(kb.connection, embed=_cached_embedder(work))
    return db


def evaluate(
    gold: Path, part: str = "all", work: Path | None = None, semantic: bool = True
) -> dict[str, Any]:
    """Figures of every arm per part and query kind (see the module docstring)."""
    from khabar.store.kb import KnowledgeBase

    if part not in ("tune", "test", "all"):
        raise InputError(f"--part must be tune, test or all, got {part!r}")
    corpus, queries = load_gold(gold)
    queries = [q for q in queries if part == "all" or q.part == part]
    work = work or Path(".khabar-eval")
    db = build_kb(corpus, work, semantic)
    runs: dict[str, dict[str, list[str]]] = {}
    with KnowledgeBase(db, readonly=True) as kb:
        articles = [
            (r[0], r[1] or "", r[2], r[3])
            for r in kb.connection.execute("SELECT id, title, lead, text FROM articles ORDER BY rowid")
        ]
        for name, term in analyzers().items():
            index = ArmIndex(articles, term)
            runs[name] = {q.qid: index.search(q.query, today=name == "exact") for q in queries}
        for mode in KB_ARMS if semantic else KB_ARMS[:1]:
            runs[mode] = {
                q.qid: [
                    h["id"] for h in kb.search_results(q.query, mode=mode, limit=DEPTH, group=False)["hits"]
                ]
                for q in queries
            }
    table: dict[str, Any] = {}
    for arm, ranked in runs.items():
        per_query = {q.qid: metrics(ranked[q.qid], q.relevant) for q in queries}
        groups: dict[str, list[dict[str, float]]] = {}
        for q in queries:
            for key in (f"{q.part}/all", f"{q.part}/{q.kind}", f"all/{q.kind}", "all/all"):
                groups.setdefault(key, []).append(per_query[q.qid])
        table[arm] = {key: {**_average(rows), "queries": len(rows)} for key, rows in sorted(groups.items())}
    return {
        "gold": str(gold),
        "part": part,
        "queries": len(queries),
        "articles": len(articles),
        "depth": DEPTH,
        "arms": table,
    }
