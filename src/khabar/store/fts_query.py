"""Search queries: parsed and bounded here, so SQLite's FTS5 only ever sees an expression we wrote.

`parse_query` reads the user's query (words, "phrases", `prefix*`, `^initial`, AND/OR/NOT, implicit AND,
parentheses, NEAR(... , N), `title:`/`{title lead}:`/`-text:` column filters) into a small tree;
repeated operands of AND/OR are dropped (`क* OR क*` is `क*`). `check_bounds` refuses a tree over
`QueryBounds` (terms, prefix terms, nesting, length): each prefix term makes FTS5 merge the postings of
every token it matches, so their number, not the query's length, sets the cost. `to_fts5` writes the
FTS5 expression with every term quoted, so no user text is read as FTS5 syntax.

    >>> to_fts5(parse_query('रूस-यूक्रेन OR "शांति वार्ता" मोदी*'))
    '"रूस-यूक्रेन" OR ("शांति वार्ता" AND "मोदी"*)'

A later analyser (stemming, variants) can rewrite terms with `map_terms` before `to_fts5`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace

from khabar.errors import QueryError

# FTS5 columns of the articles index, in order.
COLUMNS = ("title", "lead", "text")


@dataclass(frozen=True, slots=True)
class QueryBounds:
    """The largest query accepted. Set from the costs measured on a 300-article index: 40 repeated
    one-letter prefix terms took 2 s and the cost grows with their square; 4 distinct prefix terms take
    about 10 ms. Real queries use 1-6 words."""

    max_chars: int = 1000
    max_terms: int = 32
    max_prefix_terms: int = 4
    max_depth: int = 8


DEFAULT_BOUNDS = QueryBounds()


@dataclass(frozen=True, slots=True)
class Term:
    """A word or phrase (`text` as typed, without quotes); `prefix` for `word*`, `initial` for `^word`."""

    text: str
    prefix: bool = False
    initial: bool = False


@dataclass(frozen=True, slots=True)
class Near:
    """NEAR(term term ..., distance)."""

    terms: tuple[Term, ...]
    distance: int | None = None


@dataclass(frozen=True, slots=True)
class Column:
    """A column filter: `child` searched only in `columns` (or, with `negate`, in the others)."""

    columns: tuple[str, ...]
    child: Node
    negate: bool = False


@dataclass(frozen=True, slots=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    """`left NOT right`: left without right (FTS5's NOT is binary)."""

    left: Node
    right: Node


Node = Term | Near | Column | And | Or | Not

_TOKEN = re.compile(
    r"""\s*(?:
      (?P<string>"(?:[^"]|"")*")
    | (?P<open>\() | (?P<close>\)) | (?P<comma>,) | (?P<star>\*) | (?P<caret>\^) | (?P<colon>:)
    | (?P<colset>-?\{[^{}]*\})
    | (?P<word>[^\s"()*^,{}:]+(?::[^\s"()*^,{}:]+)*)
    | (?P<bad>\S)
    )""",
    re.VERBOSE,
)
_COLUMN_WORD = re.compile(rf"(-?(?:{'|'.join(COLUMNS)})):(.*)$", re.DOTALL)
_OPERATORS = frozenset({"AND", "OR", "NOT"})


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str
    text: str
    glued: bool  # no space before it


def _tokens(query: str) -> list[_Tok]:
    """Tokens of a query; `title:` (a known column and a colon) is a column token, and any other word
    may hold colons (12:30 is one word, a phrase for FTS5)."""
    out: list[_Tok] = []
    pos = 0
    while pos < len(query):
        m = _TOKEN.match(query, pos)
        if m is None or m.end() == pos:
            break
        kind = m.lastgroup or "bad"
        text = m.group(kind)
        glued = m.start(kind) == pos and bool(out)
        pos = m.end()
        if kind == "bad":
            why = "unbalanced double quote" if text == '"' else f"unexpected {text!r}"
            raise QueryError(f"malformed search query {query!r}: {why}")
        column = _COLUMN_WORD.match(text) if kind == "word" else None
        if column is not None:  # "title:word"
            out.append(_Tok("colname", column.group(1), glued))
            out.append(_Tok("colon", ":", True))
            if column.group(2):
                out.append(_Tok("word", column.group(2), True))
            continue
        if kind == "word" and _COLUMN_WORD.match(text + ":") and query[pos:].lstrip().startswith(":"):
            kind = "colname"  # "title :"
        out.append(_Tok(kind, text, glued))
    return out


class _Parser:
    def __init__(self, query: str, bounds: QueryBounds) -> None:
        self.query = query
        self.bounds = bounds
        self.toks = _tokens(query)
        self.pos = 0

    def error(self, why: str) -> QueryError:
        return QueryError(f"malformed search query {self.query!r}: {why}")

    def peek(self, offset: int = 0) -> _Tok | None:
        i = self.pos + offset
        return self.toks[i] if i < len(self.toks) else None

    def take(self) -> _Tok:
        tok = self.peek()
        if tok is None:
            raise self.error("it ends too early")
        self.pos += 1
        return tok

    def is_op(self, name: str) -> bool:
        tok = self.peek()
        return tok is not None and tok.kind == "word" and tok.text == name

    def parse(self) -> Node:
        if not self.toks:
            raise QueryError("empty search query")
        node = self.or_expr(0)
        tok = self.peek()
        if tok is not None:
            raise self.error("unbalanced parentheses" if tok.kind == "close" else f"unexpected {tok.text!r}")
        return node

    def or_expr(self, depth: int) -> Node:
        parts = [self.and_expr(depth)]
        while self.is_op("OR"):
            self.take()
            parts.append(self.and_expr(depth))
        return _combine(Or, parts)

    def and_expr(self, depth: int) -> Node:
        parts = [self.not_expr(depth)]
        while True:
            tok = self.peek()
            if tok is None or tok.kind == "close" or (tok.kind == "word" and tok.text in ("OR", "NOT")):
                break
            if tok.kind == "word" and tok.text == "AND":
                self.take()
            parts.append(self.not_expr(depth))
        return _combine(And, parts)

    def not_expr(self, depth: int) -> Node:
        node = self.unary(depth)
        while self.is_op("NOT"):
            self.take()
            node = Not(node, self.unary(depth))
        return node

    def unary(self, depth: int) -> Node:
        tok = self.peek()
        if tok is None:
            raise self.error("it ends with an operator")
        nxt = self.peek(1)
        if tok.kind in ("colset", "colname"):
            return self.column(depth)
        if tok.kind == "open":
            if depth >= self.bounds.max_depth:
                raise self.error(f"parentheses nested deeper than {self.bounds.max_depth}")
            self.take()
            node = self.or_expr(depth + 1)
            if (close := self.peek()) is None or close.kind != "close":
                raise self.error("unbalanced parentheses")
            self.take()
            return node
        if tok.kind == "word" and tok.text == "NEAR" and nxt is not None and nxt.kind == "open":
            return self.near()
        return self.term()

    def column(self, depth: int) -> Node:
        tok = self.take()
        negate = False
        if tok.kind == "colset":
            negate = tok.text.startswith("-")
            names = tuple(tok.text.lstrip("-").strip("{}").split())
        else:
            negate = tok.text.startswith("-")
            names = (tok.text.lstrip("-"),)
        colon = self.take()
        if colon.kind != "colon":
            raise self.error("a column list must be followed by ':'")
        unknown = [n for n in names if n not in COLUMNS]
        if not names or unknown:
            raise self.error(
                f"unknown column {' '.join(unknown) or '{}'!r}; columns are {', '.join(COLUMNS)}"
            )
        return Column(tuple(dict.fromkeys(names)), self.unary(depth), negate)

    def near(self) -> Node:
        self.take()  # NEAR
        self.take()  # (
        terms: list[Term] = []
        distance: int | None = None
        while True:
            tok = self.peek()
            if tok is None:
                raise self.error("unbalanced parentheses in NEAR(...)")
            if tok.kind == "close":
                self.take()
                break
            if tok.kind == "comma":
                self.take()
                num = self.take()
                if num.kind != "word" or not num.text.isdigit():
                    raise self.error("NEAR(...) takes a number after its comma")
                distance = int(num.text)
                if (close := self.take()).kind != "close":
                    raise self.error(f"unexpected {close.text!r} in NEAR(...)")
                break
            terms.append(self.term())
        if len(terms) < 2:
            raise self.error("NEAR(...) needs two or more terms")
        return Near(tuple(terms), distance)

    def term(self) -> Term:
        initial = False
        tok = self.take()
        if tok.kind == "caret":
            initial = True
            tok = self.take()
        if tok.kind == "string":
            text = tok.text[1:-1].replace('""', '"')
        elif tok.kind == "word" and tok.text not in _OPERATORS:
            text = tok.text
        elif tok.kind == "word":
            raise self.error(f"{tok.text} needs a term on each side")
        elif tok.kind == "star":
            raise self.error("'*' must follow a word")
        else:
            raise self.error(f"unexpected {tok.text!r}")
        prefix = False
        star = self.peek()
        if star is not None and star.kind == "star" and star.glued:
            self.take()
            prefix = True
        if not text.strip():
            raise self.error("empty phrase")
        return Term(text, prefix, initial)


def _combine(kind: type[And] | type[Or], parts: list[Node]) -> Node:
    """An AND/OR of parts, flattening nested ones of the same kind and dropping repeats."""
    flat: list[Node] = []
    for part in parts:
        flat.extend(part.children if isinstance(part, kind) else (part,))
    unique = list(dict.fromkeys(flat))
    return unique[0] if len(unique) == 1 else kind(tuple(unique))


def terms(node: Node) -> Iterator[Term]:
    """Every term of a query tree, in order."""
    if isinstance(node, Term):
        yield node
    elif isinstance(node, Near):
        yield from node.terms
    elif isinstance(node, Column):
        yield from terms(node.child)
    elif isinstance(node, Not):
        yield from terms(node.left)
        yield from terms(node.right)
    else:
        for child in node.children:
            yield from terms(child)


def map_terms(node: Node, fn: Callable[[Term], Node]) -> Node:
    """The tree with each term replaced by `fn(term)` (a term, or e.g. an OR of variants); terms
    inside NEAR(...) stay terms."""
    if isinstance(node, Term):
        return fn(node)
    if isinstance(node, Near):
        return node
    if isinstance(node, Column):
        return replace(node, child=map_terms(node.child, fn))
    if isinstance(node, Not):
        return Not(map_terms(node.left, fn), map_terms(node.right, fn))
    return _combine(type(node), [map_terms(child, fn) for child in node.children])


def check_bounds(node: Node, query: str, bounds: QueryBounds = DEFAULT_BOUNDS) -> None:
    """QueryError when the tree has more terms or prefix terms than `bounds` allow."""
    found = list(terms(node))
    if len(found) > bounds.max_terms:
        raise QueryError(f"search query has {len(found)} terms; at most {bounds.max_terms} are allowed")
    prefixes = sum(1 for t in found if t.prefix)
    if prefixes > bounds.max_prefix_terms:
        raise QueryError(
            f"search query has {prefixes} prefix terms (word*); at most {bounds.max_prefix_terms} are allowed"
        )


def parse_query(query: str, bounds: QueryBounds = DEFAULT_BOUNDS) -> Node:
    """The query tree of a user's query, within `bounds`; QueryError when malformed or too large."""
    query = query.strip()
    if not query:
        raise QueryError("empty search query")
    if len(query) > bounds.max_chars:
        raise QueryError(
            f"search query is {len(query)} characters long; at most {bounds.max_chars} are allowed"
        )
    node = _Parser(query, bounds).parse()
    check_bounds(node, query, bounds)
    return node


def _quote(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def to_fts5(node: Node) -> str:
    """The FTS5 MATCH expression of a query tree (every term quoted)."""
    if isinstance(node, Term):
        return ("^ " if node.initial else "") + _quote(node.text) + ("*" if node.prefix else "")
    if isinstance(node, Near):
        inner = " ".join(to_fts5(t) for t in node.terms)
        return f"NEAR({inner}{'' if node.distance is None else f', {node.distance}'})"
    if isinstance(node, Column):
        cols = node.columns[0] if len(node.columns) == 1 else "{" + " ".join(node.columns) + "}"
        return f"{'-' if node.negate else ''}{cols} : ({to_fts5(node.child)})"
    if isinstance(node, Not):
        return f"({_group(node.left)} NOT {_group(node.right)})"
    op = " AND " if isinstance(node, And) else " OR "
    return op.join(_group(child) for child in node.children)


def _group(node: Node) -> str:
    text = to_fts5(node)
    return f"({text})" if isinstance(node, And | Or) else text


def prepare_query(query: str, bounds: QueryBounds = DEFAULT_BOUNDS) -> str:
    """The bounded FTS5 expression for a user's query (parse, check, write)."""
    return to_fts5(parse_query(query, bounds))
