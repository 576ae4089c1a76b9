"""A readable report of one analysed article, for a person (rich)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from khabar.article import Article, date_label, event_dict

_KIND_STYLE = {"paragraph": "green", "heading": "bold cyan", "boilerplate": "yellow", "duplicate": "red"}

# How an English name was found, shown after it (gazetteer names are shown bare).
ENGLISH_SOURCE_NOTE = {
    "composed": " (composed)",
    "parts": " (by parts)",
    "romanized": " (romanised)",
    "rules": " (romanised by rules)",
}


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """`1 document`, `2 documents`, `0 copies` (`nouns`: an irregular plural)."""
    return f"{n:,} {noun if n == 1 else (nouns or noun + 's')}"


def score_text(score: float) -> str:
    """A search score for people: two decimals (`< 0.01` for the tiny BM25 values of a small corpus)."""
    return f"{score:.2f}" if abs(score) >= 0.01 or score == 0 else "< 0.01"


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def _actor_name(actor: dict[str, Any] | None) -> str:
    if not actor:
        return "—"
    return str(actor.get("name_en") or actor.get("text") or actor.get("entity") or "?")


def event_cells(ev: dict[str, Any]) -> tuple[str, ...]:
    """An event (in the `event_dict` shape) as text cells, the same in `khabar analyze --format text`
    and `khabar events`: when, CAMEO (Goldstein), type, modality, source → target, others, place,
    trigger."""
    place = ev.get("place") or {}
    return (
        ev.get("date_shown") or "—",
        f"{ev['cameo']} ({ev['goldstein']:+.1f})",
        str(ev["type"]),
        str(ev.get("modality") or "occurred"),
        f"{_actor_name(ev.get('actor1'))} → {_actor_name(ev.get('actor2'))}",
        ", ".join(_actor_name(o) for o in ev.get("others") or []),
        str(place.get("name_en") or place.get("text") or ""),
        str((ev.get("trigger") or {}).get("text") or ""),
    )


def event_line(ev: dict[str, Any]) -> str:
    """One event as a line of text, the same in `khabar analyze --format text` and `khabar events`:
    when, CAMEO code and type (Goldstein), [modality], source → target (+ others) @ place «trigger»."""
    when, code, kind, mode, actors, others, where, trigger = event_cells(ev)
    extra = f" (+ {others})" if others else ""
    place = f" @ {where}" if where else ""
    return f"{when}  {code} {kind} [{mode}]  {actors}{extra}{place}  «{trigger}»"


def print_report(article: Article, console: Console | None = None) -> None:
    """Print blocks, clean text and every analysis layer that is present."""
    con = console or Console()
    con.rule(f"[bold]{article.title or article.source or article.id}")
    con.print(
        f"source: {article.source}   id: {article.id}   published: {article.published or '—'}   "
        f"language: {article.language} ({article.language_confidence:.2f})"
    )
    for warning in article.warnings:
        con.print(f"[yellow]warning:[/] {warning}")
    kept = sum(1 for b in article.blocks if b.kept)
    table = Table(title=f"Blocks: {len(article.blocks)} in, {kept} kept", show_lines=False)
    table.add_column("#", justify="right")
    table.add_column("kind")
    table.add_column("why")
    table.add_column("text")
    for b in article.blocks:
        why = b.rule or ""
        if b.duplicate_of is not None:
            why = f"{why} of #{b.duplicate_of}".strip()
        table.add_row(str(b.index), Text(b.kind, style=_KIND_STYLE[b.kind]), why, _short(b.text))
    con.print(table)
    con.rule(f"Clean text · {len(article.sentences)} sentences · {len(article.text)} characters")
    con.print(article.text)
    if article.summary:
        con.rule("Summary")
        for sent in article.summary:
            con.print(f"• {sent}")
    if article.entities:
        con.rule("Entities")

        for etype in ("PERSON", "LOCATION", "ORGANIZATION"):
            ents = [e for e in article.entities if e.type == etype]
            if not ents:
                continue
            t = Table(title=etype.title())
            for col in ("name", "English", "roles", "wikidata", "mentions"):
                t.add_column(col)
            for e in ents:
                forms = sorted({m.text for m in e.mentions})
                en = e.name_en + ENGLISH_SOURCE_NOTE.get(e.name_en_source, "")
                t.add_row(
                    e.name,
                    en,
                    ", ".join(e.roles),
                    e.wikidata or "",
                    f"{len(e.mentions)}: " + " · ".join(forms),
                )
            con.print(t)
    names = {e.id: e.name for e in article.entities}
    if article.dates:
        t = Table(title="Dates")
        for col in ("text", "date", "grain", "rule"):
            t.add_column(col)
        for d in article.dates:
            t.add_row(d.text, date_label(d.value, d.grain, d.last) or "—", d.grain, d.rule)
        con.print(t)
    if article.quantities:
        t = Table(title="Quantities")
        for col in ("text", "op", "value", "unit"):
            t.add_column(col)
        for q in article.quantities:
            t.add_row(q.text, q.op, f"{q.value:g}", q.unit or "")
        con.print(t)
    if article.quotes:
        t = Table(title="Quotes")
        for col in ("speaker", "cue", "text"):
            t.add_column(col)
        for quote in article.quotes:
            who = names.get(quote.speaker or "") or f"({quote.source_kind or 'unnamed'})"
            t.add_row(who, quote.cue, _short(quote.text, 80))
        con.print(t)
    if article.events:
        con.print(f"[bold]Events[/] ({len(article.events)}; source → target, English names)")
        for ev in article.events:
            con.print(escape("  " + event_line(event_dict(article, ev))))
