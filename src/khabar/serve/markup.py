"""Turn an article's JSON (`Article.to_dict()`, optionally with KB links) into safe HTML pieces.

Every span layer (quotes, entity mentions, dates, quantities) is a pair of offsets into the clean text.
`markup_spans()` nests them into valid HTML: where two spans cross, the inner one is closed and
reopened, so the output is always well formed and every piece of text is escaped exactly once.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from markupsafe import Markup, escape

from khabar.article import event_when, headline
from khabar.clean.learned import describe_rule

ENTITY_TYPES: tuple[str, ...] = ("PERSON", "LOCATION", "ORGANIZATION")
# Display labels for the legend (type -> label).
TYPE_LABELS: dict[str, str] = {
    "PERSON": "person",
    "LOCATION": "place",
    "ORGANIZATION": "organisation",
    "DATE": "date",
    "QUANTITY": "quantity",
    "QUOTE": "quote",
}
REMOVED_KINDS: frozenset[str] = frozenset({"boilerplate", "duplicate"})
_MARK_TAG = re.compile(r"(</?mark>)")

# Nesting order, outermost first: a quote holds mentions; a mention may hold a date or a number.
_LAYER_QUOTE = 0
_LAYER_MENTION = 1
_LAYER_VALUE = 2


@dataclass(frozen=True, slots=True)
class Mark:
    """An HTML element to wrap around `[start, end)`; `layer` orders nesting (lower = outer)."""

    start: int
    end: int
    layer: int
    open_tag: Markup
    close_tag: Markup


@dataclass(slots=True)
class EntityRef:
    """An entity of one article as shown on a page."""

    local_id: str
    type: str
    name: str
    name_en: str
    roles: list[str]
    mentions: int
    href: str | None
    wikidata: str | None = None


@dataclass(slots=True)
class ArticleView:
    """Everything the article template shows, already escaped where it is markup."""

    id: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    cluster: Any
    sources: list[str]
    blocks: list[tuple[str, Markup]]
    removed: list[dict[str, Any]]
    entities: list[EntityRef]
    quotes: list[dict[str, Any]]
    events: list[dict[str, Any]]
    dates: list[dict[str, Any]]
    quantities: list[dict[str, Any]]
    summary: list[str]
    warnings: list[str]
    types_present: list[str] = field(default_factory=list)


def api_link(path: str, **params: Any) -> str:
    """An API URL with the given query parameters, empty ones left out (`api_link("/api/events",
    entity="X", format="csv")`)."""
    from urllib.parse import urlencode

    query = urlencode({k: v for k, v in params.items() if v not in (None, "")})
    return f"{path}?{query}" if query else path


def entity_href(entity_id: Any) -> str:
    """The page URL of a knowledge-base entity."""
    return "/entities/" + quote(str(entity_id), safe="")


def article_href(article_id: Any) -> str:
    """The page URL of an article."""
    return "/articles/" + quote(str(article_id), safe="")


def safe_snippet(snippet: str | None) -> Markup:
    """A search snippet as markup that keeps only `<mark>` tags; any other markup shows as text.

    Works whether or not the store already escaped the snippet: text between the marks is
    unescaped once and escaped again.
    """
    if not snippet:
        return Markup("")
    out: list[str] = []
    for piece in _MARK_TAG.split(snippet):
        if piece in ("<mark>", "</mark>"):
            out.append(piece)
        else:
            out.append(str(escape(html.unescape(piece))))
    # Close a mark left open by a truncated snippet so it cannot swallow the rest of the page.
    opened = sum(1 for p in out if p == "<mark>") - sum(1 for p in out if p == "</mark>")
    out.extend(["</mark>"] * max(opened, 0))
    return Markup("".join(out))


def markup_spans(text: str, start: int, end: int, marks: Sequence[Mark]) -> Markup:
    """Escape `text[start:end]` and wrap the marks that fall inside it, splitting crossing spans."""
    inside = [m for m in marks if m.start < end and m.end > start and m.start < m.end]
    cuts = {start, end}
    for m in inside:
        cuts.add(max(m.start, start))
        cuts.add(min(m.end, end))
    bounds = sorted(cuts)
    out: list[str] = []
    stack: list[Mark] = []
    for a, b in itertools.pairwise(bounds):
        active = sorted(
            (m for m in inside if m.start <= a and m.end >= b),
            key=lambda m: (m.layer, m.start, -m.end),
        )
        keep = 0
        while keep < len(stack) and keep < len(active) and stack[keep] is active[keep]:
            keep += 1
        while len(stack) > keep:
            out.append(str(stack.pop().close_tag))
        for m in active[keep:]:
            out.append(str(m.open_tag))
            stack.append(m)
        out.append(str(escape(text[a:b])))
    while stack:
        out.append(str(stack.pop().close_tag))
    return Markup("".join(out))


def _entity_type(value: Any) -> str:
    return value if value in ENTITY_TYPES else "OTHER"


def _drop_overlaps(spans: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Keep the longest of overlapping spans (mentions must not nest: links cannot hold links)."""
    chosen: list[dict[str, Any]] = []
    for span in sorted(spans, key=lambda s: (-(s["end"] - s["start"]), s["start"])):
        if all(span["end"] <= c["start"] or span["start"] >= c["end"] for c in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s["start"])


def collect_mentions(article: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The article's mentions, each with its local entity id when resolved, without overlaps."""
    seen: dict[tuple[int, int], dict[str, Any]] = {}
    for ent in article.get("entities") or []:
        for m in ent.get("mentions") or []:
            seen[(m["start"], m["end"])] = {**m, "entity": m.get("entity") or ent.get("id")}
    for m in article.get("mentions") or []:
        key = (m["start"], m["end"])
        if key not in seen or (m.get("entity") and not seen[key].get("entity")):
            seen[key] = dict(m)
    return _drop_overlaps(list(seen.values()))


def build_marks(
    article: Mapping[str, Any],
    entity_links: Mapping[str, str],
    entities: Mapping[str, Mapping[str, Any]],
) -> list[Mark]:
    """The marks for every layer: quotes, entity mentions (linked when in `entity_links`), dates, numbers."""
    marks: list[Mark] = []
    for q in article.get("quotes") or []:
        speaker = entities.get(q.get("speaker") or "")
        who = speaker.get("name") if speaker else None
        title = f"quote ({q.get('kind', 'reported')})" + (f" — {who}" if who else "")
        marks.append(
            Mark(
                q["start"],
                q["end"],
                _LAYER_QUOTE,
                Markup('<span class="quote" title="{}">').format(title),
                Markup("</span>"),
            )
        )
    for m in collect_mentions(article):
        etype = _entity_type(m.get("type"))
        local = m.get("entity") or ""
        ent = entities.get(local, {})
        bits = [etype.lower(), str(ent.get("name") or m.get("name") or m.get("text") or "")]
        if ent.get("name_en"):
            bits.append(str(ent["name_en"]))
        if m.get("role"):
            bits.append(str(m["role"]))
        title = " · ".join(b for b in bits if b)
        kb_id = entity_links.get(local)
        if kb_id:
            open_tag = Markup('<a class="ent ent-{}" data-entity="{}" href="{}" title="{}">').format(
                etype, kb_id, entity_href(kb_id), title
            )
            close_tag = Markup("</a>")
        else:
            open_tag = Markup('<span class="ent ent-{}" data-entity="{}" title="{}">').format(
                etype, local, title
            )
            close_tag = Markup("</span>")
        marks.append(Mark(m["start"], m["end"], _LAYER_MENTION, open_tag, close_tag))
    for d in article.get("dates") or []:
        title = f"date: {d.get('value') or '?'} ({d.get('grain', '')})"
        marks.append(
            Mark(
                d["start"],
                d["end"],
                _LAYER_VALUE,
                Markup('<span class="val val-DATE" title="{}">').format(title),
                Markup("</span>"),
            )
        )
    for n in article.get("quantities") or []:
        unit = f" {n['unit']}" if n.get("unit") else ""
        title = f"quantity: {n.get('op', '=')} {n.get('value')}{unit}"
        marks.append(
            Mark(
                n["start"],
                n["end"],
                _LAYER_VALUE,
                Markup('<span class="val val-QUANTITY" title="{}">').format(title),
                Markup("</span>"),
            )
        )
    return marks


def _text_spans(article: Mapping[str, Any]) -> list[tuple[str, int, int]]:
    """(kind, start, end) of each kept block; lines of the text when blocks carry no offsets."""
    spans = [
        (str(b.get("kind")), int(b["start"]), int(b["end"]))
        for b in article.get("blocks") or []
        if b.get("kind") not in REMOVED_KINDS and b.get("start") is not None and b.get("end") is not None
    ]
    if spans:
        return sorted(spans, key=lambda s: s[1])
    text: str = article.get("text") or ""
    out: list[tuple[str, int, int]] = []
    pos = 0
    for line in text.split("\n"):
        if line.strip():
            out.append(("paragraph", pos, pos + len(line)))
        pos += len(line) + 1
    return out


def fallback_title(article: Mapping[str, Any]) -> str:
    """The headline of an article dict: its title, else its first sentence (`article.headline`, the
    rule of every output)."""
    text: str = article.get("text") or ""
    sentences = article.get("sentences") or []
    first = text[sentences[0]["start"] : sentences[0]["end"]] if sentences else text.split("\n", 1)[0]
    return headline(article.get("title"), first) or "(untitled)"


def build_article_view(article: Mapping[str, Any], *, link_entities: bool = True) -> ArticleView:
    """The view of an article dict from the store (`kb_entities`, `cluster`) or fresh from `analyze`."""
    text: str = article.get("text") or ""
    entities = {str(e.get("id")): e for e in article.get("entities") or []}
    kb_map: Mapping[str, Any] = article.get("kb_entities") or {}
    links = {str(k): str(v) for k, v in kb_map.items() if v} if link_entities else {}
    marks = build_marks(article, links, entities)
    blocks = [
        ("heading" if kind == "heading" else "paragraph", markup_spans(text, s, e, marks))
        for kind, s, e in _text_spans(article)
    ]
    removed = [
        {
            "kind": b.get("kind"),
            "rule": b.get("rule"),
            "reason": describe_rule(b.get("rule")),
            "text": b.get("text") or b.get("raw") or "",
        }
        for b in article.get("blocks") or []
        if b.get("kind") in REMOVED_KINDS
    ]
    mention_counts: dict[str, int] = {}
    for m in collect_mentions(article):
        if m.get("entity"):
            mention_counts[m["entity"]] = mention_counts.get(m["entity"], 0) + 1
    refs = [
        EntityRef(
            local_id=local,
            type=_entity_type(e.get("type")),
            name=str(e.get("name") or ""),
            name_en=str(e.get("name_en") or ""),
            roles=[str(r) for r in e.get("roles") or []],
            mentions=mention_counts.get(local, len(e.get("mentions") or [])),
            href=entity_href(links[local]) if local in links else None,
            wikidata=e.get("wikidata"),
        )
        for local, e in entities.items()
    ]
    refs.sort(key=lambda r: (ENTITY_TYPES.index(r.type) if r.type in ENTITY_TYPES else 9, -r.mentions))

    def describe(local: str | None) -> dict[str, Any]:
        ent = entities.get(local or "")
        name = str(ent.get("name")) if ent else (local or "")
        href = entity_href(links[local]) if local and local in links else None
        etype = _entity_type(ent.get("type")) if ent else "OTHER"
        return {
            "name": name,
            "name_en": str(ent.get("name_en") or "") if ent else "",
            "href": href,
            "type": etype,
        }

    def describe_actor(actor: Any) -> dict[str, Any] | None:
        """An event actor for the page: its entity's chip, or a generic actor (Hindi and English)."""
        if not isinstance(actor, dict):
            return None
        if actor.get("entity"):
            ref = describe(actor["entity"])
            return {**ref, "name_en": actor.get("name_en") or ref["name_en"]}
        text = str(actor.get("text") or "")
        return {
            "name": text or actor.get("name_en") or "?",
            "name_en": actor.get("name_en") or "",
            "href": None,
            "type": "OTHER",
        }

    quotes = [
        {
            "text": q.get("text") or text[q["start"] : q["end"]],
            "speaker": describe(q.get("speaker")) if q.get("speaker") else None,
            "cue": q.get("cue"),
            "kind": q.get("kind", "reported"),
        }
        for q in article.get("quotes") or []
    ]
    published = article.get("published")
    events = []
    for ev in article.get("events") or []:
        trig = ev.get("trigger") or {}
        when = event_when(ev.get("date"), ev.get("date_grain"), ev.get("date_last"), published)
        events.append(
            {
                "trigger_hi": trig.get("text") or text[trig.get("start", 0) : trig.get("end", 0)],
                "type": ev.get("type"),
                "cameo": ev.get("cameo"),
                "goldstein": ev.get("goldstein"),
                "modality": ev.get("modality") or "occurred",
                "trigger": trig.get("text") or text[trig.get("start", 0) : trig.get("end", 0)],
                "actor1": describe_actor(ev.get("actor1")),
                "actor2": describe_actor(ev.get("actor2")),
                "others": [describe_actor(o) for o in ev.get("others") or [] if isinstance(o, dict)],
                "participants": [describe(p) for p in ev.get("participants") or []],
                "location": describe(ev["location"]) if ev.get("location") else None,
                "date": ev.get("date"),
                "date_shown": when["date_shown"],
            }
        )
    present = {r.type for r in refs} | {
        _entity_type(m.get("type")) for m in article.get("mentions") or [] if m.get("type")
    }
    types_present = [t for t in ENTITY_TYPES if t in present]
    if article.get("dates"):
        types_present.append("DATE")
    if article.get("quantities"):
        types_present.append("QUANTITY")
    if article.get("quotes"):
        types_present.append("QUOTE")
    return ArticleView(
        id=str(article.get("id") or ""),
        title=str(article.get("headline") or fallback_title(article)),
        source=article.get("source"),
        url=article.get("url"),
        published=article.get("published"),
        cluster=article.get("cluster"),
        sources=[str(src) for src in article.get("sources") or []],
        blocks=blocks,
        removed=removed,
        entities=refs,
        quotes=quotes,
        events=events,
        dates=[dict(d) for d in article.get("dates") or []],
        quantities=[dict(n) for n in article.get("quantities") or []],
        summary=[str(s) for s in article.get("summary") or []],
        warnings=[str(w) for w in article.get("warnings") or []],
        types_present=types_present,
    )
