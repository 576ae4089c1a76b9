"""A readable report of one analysed article, for a person (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from khabar.article import Article

_KIND_STYLE = {"paragraph": "green", "heading": "bold cyan", "boilerplate": "yellow", "duplicate": "red"}


def _short(text: str, width: int = 90) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


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
                en = e.name_en + ("" if e.name_en_source == "gazetteer" else " (romanised)")
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
        for col in ("text", "value", "grain", "rule"):
            t.add_column(col)
        for d in article.dates:
            t.add_row(d.text, d.value or "—", d.grain, d.rule)
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
            t.add_row(names.get(quote.speaker or "", "?"), quote.cue, _short(quote.text, 80))
        con.print(t)
    if article.events:
        t = Table(title="Events")
        for col in ("type", "CAMEO", "Goldstein", "trigger", "participants", "where", "when"):
            t.add_column(col)
        for ev in article.events:
            t.add_row(
                ev.type,
                ev.cameo,
                f"{ev.goldstein:+.1f}",
                ev.trigger_text,
                ", ".join(names.get(p, p) for p in ev.participants),
                names.get(ev.location or "", ""),
                ev.date or "",
            )
        con.print(t)
