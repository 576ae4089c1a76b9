"""A user's search query as an FTS5 expression over `search_index`, through the Hindi analyzer.

- a bare word matches its analyzer term (stem + spelling-variant fold) in the stem columns, so किसान
  finds किसानों and हिन्दी finds हिंदी; a word with a hyphen (रूस-यूक्रेन) is a phrase of its parts;
- `"a quoted phrase"` and `=word` match the words exactly as typed (the exact columns);
- `word*` is a prefix of the exact words; `AND`, `OR`, `NOT`, parentheses and `title:`/`lead:`/`text:`
  column filters work as in FTS5; words next to each other must all occur, except function words
  (`lang/hi/search_stopwords.txt`: का, में, से …) in a plain query of several words. A plain query of
  several words also has `any_expr` (any of its words): the search ranks the articles with all words
  first, then those with some of them (on the tune queries of the search gold set this took Hindi
  recall@20 from 0.68 to 0.84 at equal or better precision@10).

`term_expr` is the one place where a query term becomes FTS5 text: the query parser feeds it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache

from khabar.errors import QueryError
from khabar.lang.hi import read_list
from khabar.store import fts_query
from khabar.store.fts_query import DEFAULT_BOUNDS, QueryBounds
from khabar.text.analyzer import index_term, prefold, query_terms

STEM_COLUMNS = ("title", "lead", "text")
EXACT_COLUMNS = ("title_exact", "lead_exact", "text_exact")
_STEM_SET = "{" + " ".join(STEM_COLUMNS) + "}"
_EXACT_SET = "{" + " ".join(EXACT_COLUMNS) + "}"
_OPERATORS = frozenset({"AND", "OR", "NOT"})
_TOKEN = re.compile(
    r"""\s*(?:
      (?P<phrase>"[^"]*")
    | (?P<open>\() | (?P<close>\))
    | (?P<column>(?:title|lead|text):)
    | (?P<word>[^\s"()]+)
    | (?P<bad>")
    )""",
    re.VERBOSE,
)


@dataclass
class AnalyzedQuery:
    """The FTS5 expression and what it looks for (to mark hits in snippets)."""

    expr: str
    any_expr: str | None = None  # for a plain query of several words: any of them (the backfill)
    operands: list[str] = field(default_factory=list)  # the words (or groups) `any_expr` ORs
    stems: set[str] = field(default_factory=set)
    exact: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


Expander = Callable[[str], list[str]]


def term_expr(
    text: str,
    found: AnalyzedQuery,
    *,
    exact: bool = False,
    prefix: bool = False,
    expand: Expander | None = None,
) -> str | None:
    """FTS5 text for one query term (None when it holds no word): analyzer terms in the stem columns
    (a one-word term OR its spelling neighbours from `expand`), or with `exact`/`prefix` the typed
    words in the exact columns."""
    words = [w for w in re.split(r"\s+", text.strip()) if w]
    if not words:
        return None
    if prefix:
        word = prefold(text.strip())
        found.prefixes.add(word)
        return f"({_EXACT_SET} : {_quote(text.strip())}*)"
    if exact:
        found.exact.update(prefold(w) for w in query_terms(text, prefold))
        return f"({_EXACT_SET} : {_quote(text.strip())})"
    terms = query_terms(text)
    if not terms:
        return None
    found.stems.update(terms)
    options = [_quote(" ".join(terms))]
    if expand is not None and len(terms) == 1:
        neighbours = expand(terms[0])
        found.stems.update(neighbours)
        options.extend(_quote(n) for n in neighbours)
    return (
        f"({_STEM_SET} : {' OR '.join(options)})"
        if len(options) == 1
        else f"({_STEM_SET} : ({' OR '.join(options)}))"
    )


def build_query(
    query: str, expand: Expander | None = None, bounds: QueryBounds = DEFAULT_BOUNDS
) -> AnalyzedQuery:
    """The analyzed FTS5 expression of a user query (bare words OR'd with `expand`'s spelling
    neighbours); QueryError when empty, malformed or over `bounds` (`khabar.store.fts_query` parses
    and bounds it first: terms, prefix terms, nesting, length)."""
    query = query.strip()
    if not query:
        raise QueryError("empty search query")
    fts_query.parse_query(query, bounds)
    found = AnalyzedQuery("")
    parts: list[str] = []
    optional: set[int] = set()  # indexes of stopword terms in parts
    depth = 0
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            break
        pos = m.end()
        kind = m.lastgroup
        value = m.group(kind or "bad")
        if kind == "bad":
            raise QueryError(f"malformed search query {query!r}: unbalanced double quote")
        if kind == "open":
            depth += 1
            parts.append("(")
        elif kind == "close":
            depth -= 1
            if depth < 0:
                raise QueryError(f"malformed search query {query!r}: unbalanced parentheses")
            parts.append(")")
        elif kind == "column":
            name = value[:-1]
            parts.append(f"{{{name} {name}_exact}} :")
        elif kind == "phrase":
            expr = term_expr(value[1:-1], found, exact=True)
            if expr:
                parts.append(expr)
        elif value in _OPERATORS:
            parts.append(value)
        elif value.startswith("=") and len(value) > 1:
            expr = term_expr(value[1:], found, exact=True)
            if expr:
                parts.append(expr)
        elif value.endswith("*") and len(value) > 1:
            expr = term_expr(value[:-1], found, prefix=True)
            if expr:
                parts.append(expr)
        else:
            expr = term_expr(value, found, expand=expand)
            if expr:
                if is_stopword(value):
                    optional.add(len(parts))
                parts.append(expr)
    if depth:
        raise QueryError(f"malformed search query {query!r}: unbalanced parentheses")
    parts = _dedupe_or(parts)
    kept = _drop_stopwords(parts, optional)
    if len(kept) < len(parts):
        found.stems -= _stopwords()
    parts = kept
    if not found.stems and not found.exact and not found.prefixes:
        raise QueryError(f"search query {query!r} has no words")
    found.expr = " ".join(_with_ands(parts))
    operands = _top_level_operands(parts)
    if operands and len(operands) > 1:
        found.any_expr = " OR ".join(operands)
        found.operands = operands
    return found


def _top_level_operands(parts: list[str]) -> list[str] | None:
    """The operands side by side at the top level (words or bracketed groups), or None when the top
    level has an operator or a column filter."""
    out: list[str] = []
    depth, current = 0, []
    for part in parts:
        if depth == 0 and (part in _OPERATORS or part.endswith(":")):
            return None
        depth += part == "("
        depth -= part == ")"
        current.append(part)
        if depth == 0:
            out.append(" ".join(current))
            current = []
    return out


@cache
def _stopwords() -> frozenset[str]:
    return frozenset(index_term(w) for w in read_list("search_stopwords.txt"))


def is_stopword(word: str) -> bool:
    """Whether a word is a search stopword (its index term is one of `lang/hi/search_stopwords.txt`)."""
    terms = query_terms(word)
    return len(terms) == 1 and terms[0] in _stopwords()


def _drop_stopwords(parts: list[str], optional: set[int]) -> list[str]:
    """Stopword terms left out of a plain word query (no operators or brackets) that has other words."""
    if not optional or len(optional) == len(parts):
        return parts
    if any(p in _OPERATORS or p in ("(", ")") or p.endswith(":") for p in parts):
        return parts
    return [p for i, p in enumerate(parts) if i not in optional]


def _dedupe_or(parts: list[str]) -> list[str]:
    """A top-level OR of repeated operands (`क* OR क* OR …`) once each: FTS5 would merge every copy."""
    if "OR" not in parts or any(p in ("(", ")", "AND", "NOT") or p.endswith(":") for p in parts):
        return parts
    segments = " ".join(parts).split(" OR ")
    unique = list(dict.fromkeys(segments))
    if len(unique) == len(segments):
        return parts
    out: list[str] = []
    for segment in unique:
        out.extend([*(["OR"] if out else []), segment])
    return out


def _with_ands(parts: list[str]) -> list[str]:
    """FTS5 needs an explicit AND between two bracketed operands: words side by side all must occur."""
    out: list[str] = []
    for part in parts:
        starts = part not in _OPERATORS and part != ")"
        if out and starts and out[-1] not in _OPERATORS and not out[-1].endswith(":") and out[-1] != "(":
            out.append("AND")
        out.append(part)
    return out
