"""Corpus commands: `khabar ingest`, `duplicates`, `search`, `entities`, `entity`, `events`, `export`,
and `khabar eval dedup`."""

from __future__ import annotations

import html
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from khabar.article import MODALITIES
from khabar.errors import InputError, KhabarError

DbOption = Annotated[Path, typer.Option("--db", help="The knowledge base file (SQLite).")]


class OutFormat(StrEnum):
    json = "json"
    text = "text"


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    gkg = "gkg"
    events = "events"


FormatOption = Annotated[OutFormat, typer.Option("--format", "-f", help="json or text.")]


def _open_kb(db: Path) -> Any:
    from khabar.store.kb import KnowledgeBase

    return KnowledgeBase(db, readonly=True)


def _print_json(data: object) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _console() -> Any:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


def _marks_to_rich(snippet: str) -> str:
    """An HTML snippet with <mark> hits as rich markup."""
    from rich.markup import escape

    parts = re.split(r"(</?mark>)", snippet)
    out, inside = [], False
    for part in parts:
        if part == "<mark>":
            inside = True
        elif part == "</mark>":
            inside = False
        elif part:
            text = escape(html.unescape(part))
            out.append(f"[bold black on yellow]{text}[/]" if inside else text)
    return "".join(out)


def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (recursive) or globs: .txt .html .jsonl[.gz].")
    ],
    db: DbOption,
    workers: Annotated[int | None, typer.Option(help="Worker processes (default: all cores).")] = None,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that carry none.")
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Analyse articles and store them in a knowledge base; safe to rerun (adds only what is new).

    Example: khabar ingest examples/ --db demo.db --workers 2
    """
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from khabar.cli.analyze_cmd import parse_date
    from khabar.ingest.runner import count_documents, ingest_paths

    pub = parse_date(published)
    if workers is not None and workers < 1:
        raise InputError("--workers must be at least 1")
    err = Console(stderr=True)
    total = count_documents(paths)
    progress = Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TimeRemainingColumn(),
        console=err,
        disable=quiet,
        transient=False,
    )
    with progress:
        task = progress.add_task("ingest", total=total, rate=0.0)

        def on_document(status: str) -> None:
            progress.advance(task)
            speed = progress.tasks[0].speed
            progress.update(task, rate=speed or 0.0)

        summary = ingest_paths(paths, db, workers=workers, published=pub, on_document=on_document)
    for source, message in summary.errors[:20]:
        err.print(
            f"[red]error[/] {message}" if message.startswith(source) else f"[red]error[/] {source}: {message}"
        )
    if len(summary.errors) > 20:
        err.print(f"... and {len(summary.errors) - 20} more errors (see the errors table)")
    err.print(
        f"{summary.documents} documents: {summary.added} added, {summary.copies} copies of stored articles, "
        f"{summary.skipped} already stored, {len(summary.errors)} errors; "
        f"{summary.clusters} duplicate clusters ({summary.cluster_seconds:.1f} s); {summary.seconds:.1f} s in all"
    )
    if summary.errors and not (summary.added or summary.copies or summary.skipped):
        raise SystemExit(1)


def duplicates(db: DbOption, fmt: FormatOption = OutFormat.json) -> None:
    """List clusters of copies of one story (representative first).

    Example: khabar duplicates --db demo.db --format text
    """
    with _open_kb(db) as kb:
        clusters = kb.duplicates()
    if fmt == OutFormat.json:
        _print_json(clusters)
        return
    con = _console()
    from rich.markup import escape

    for cl in clusters:
        con.print(f"[bold]cluster {cl['id']}[/] ({len(cl['articles'])} copies)")
        for art in cl["articles"]:
            con.print(f"  {art['id']}  {escape(art['source'] or '')}  {escape(art['title'] or '')}")
    if not clusters:
        con.print("no duplicates")


def search(
    query: Annotated[
        str, typer.Argument(help='Words (all must occur), or FTS5 syntax: "phrase", OR, NOT, prefix*.')
    ],
    db: DbOption,
    fmt: FormatOption = OutFormat.json,
    limit: Annotated[int, typer.Option(help="Most results.")] = 20,
    entity: Annotated[
        str | None, typer.Option(help="Only articles mentioning this entity (name or id).")
    ] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before YYYY-MM-DD.")] = None,
) -> None:
    """Full-text search (BM25) with highlighted snippets.

    Example: khabar search जेलेंस्की --db demo.db --format text
    """
    with _open_kb(db) as kb:
        hits = kb.search(query, entity=entity, date_from=date_from, date_to=date_to, limit=limit)
    if fmt == OutFormat.json:
        _print_json(
            [{k: h[k] for k in ("id", "source", "title", "score", "snippet", "published")} for h in hits]
        )
        return
    con = _console()
    from rich.markup import escape

    for h in hits:
        con.print(
            f"[bold]{escape(h['title'] or h['source'] or h['id'])}[/]  [dim]{h['id']} score {h['score']:.3g}[/]"
        )
        con.print(f"  {_marks_to_rich(h['snippet'])}")
    if not hits:
        con.print("no matches")


def entities(
    db: DbOption,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="PERSON, LOCATION or ORGANIZATION.")
    ] = None,
    limit: Annotated[int, typer.Option(help="Most entities.")] = 30,
    fmt: FormatOption = OutFormat.json,
) -> None:
    """Top entities across the knowledge base with their article counts.

    Example: khabar entities --db demo.db --type PERSON --format text
    """
    with _open_kb(db) as kb:
        rows = kb.list_entities(type=entity_type, limit=limit)
    if fmt == OutFormat.json:
        _print_json(rows)
        return
    con = _console()
    from rich.markup import escape

    con.print("[bold]articles  mentions  type          name (English, Wikidata)  id[/]")
    for r in rows:
        extra = ", ".join(x for x in (r["name_en"], r["wikidata"]) if x)
        con.print(
            f"{r['articles']:>8}  {r['mentions']:>8}  {r['type']:<12}  {escape(r['name'])}"
            f"{f' ({escape(extra)})' if extra else ''}  [dim]{r['id']}[/]"
        )


def entity(
    name_or_id: Annotated[
        str, typer.Argument(help="A KB entity id, Wikidata id, or a name (Hindi or English).")
    ],
    db: DbOption,
    fmt: FormatOption = OutFormat.json,
) -> None:
    """One entity: aliases, English name, roles, articles, co-mentioned entities, mentions per day.

    Example: khabar entity जेलेंस्की --db demo.db --format text
    """
    with _open_kb(db) as kb:
        data = kb.get_entity(name_or_id)
    if data is None:
        raise KhabarError(f"no entity {name_or_id!r} in {db}")
    if fmt == OutFormat.json:
        _print_json(data)
        return
    con = _console()
    con.print(
        f"[bold]{data['name']}[/] ({data['type']}) {data['name_en'] or ''} {data['wikidata'] or ''} [{data['id']}]"
    )
    con.print(f"aliases: {', '.join(data['aliases'])}")
    con.print(f"roles: {', '.join(data['roles']) or '—'}")
    con.print(f"articles ({len(data['articles'])}):")
    for art in data["articles"][:20]:
        con.print(f"  {art['published'] or '—'}  {art['id']}  {art['title'] or art['source']}")
    con.print("co-mentioned: " + ", ".join(f"{c['name']} ({c['count']})" for c in data["co_mentions"]))
    con.print("per day: " + ", ".join(f"{d['day']}: {d['count']}" for d in data["mentions_per_day"]))


def events(
    db: DbOption,
    entity: Annotated[str | None, typer.Option(help="Only events with this participant or place.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="On or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="On or before YYYY-MM-DD.")] = None,
    limit: Annotated[int, typer.Option(help="Most events.")] = 200,
    modality: Annotated[
        str | None,
        typer.Option(help="Only this modality: occurred, planned, demanded, speculative or negated."),
    ] = None,
    fmt: FormatOption = OutFormat.json,
) -> None:
    """Events (CAMEO-coded: source → target, modality, date at its grain) across the knowledge base,
    newest first; an event whose text gives no date shows its article's publication date, marked.

    Example: khabar events --db demo.db --entity जेलेंस्की --from 2026-01-01
    """
    with _open_kb(db) as kb:
        rows = kb.list_events(
            entity=entity, date_from=date_from, date_to=date_to, limit=limit, modality=modality or None
        )
    if fmt == OutFormat.json:
        _print_json(rows)
        return
    from rich.markup import escape

    from khabar.report import event_line

    con = _console()
    for ev in rows:
        con.print(escape(f"{event_line(ev)}  ({ev['article_id']})"))
    if not rows:
        con.print("no events")


def export(
    db: DbOption,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format", "-f", help="jsonl, parquet (a folder), gkg TSV or events (GDELT Event-like TSV)."
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Output file (jsonl, gkg, events) or folder (parquet).")
    ],
    all_modalities: Annotated[
        bool,
        typer.Option(
            "--all-modalities",
            help="events/gkg: also events reported as planned, demanded, speculated or denied.",
        ),
    ] = False,
) -> None:
    """Export the knowledge base: JSON Lines of articles, Parquet tables, GKG-style TSV, or a GDELT
    Event-like TSV (only events reported as done unless --all-modalities).

    Example: khabar export --db demo.db --format parquet --out demo-parquet/
    """
    with _open_kb(db) as kb:
        if fmt == ExportFormat.jsonl:
            from khabar.export.jsonl import export_jsonl

            n = export_jsonl(kb, out)
            typer.echo(f"wrote {n} articles to {out}", err=True)
        elif fmt == ExportFormat.parquet:
            from khabar.export.parquet import export_parquet

            counts = export_parquet(kb, out)
            typer.echo(
                f"wrote {len(counts)} tables ({counts.get('articles', 0)} articles) to {out}", err=True
            )
        elif fmt == ExportFormat.events:
            n = _export_events(kb, out, MODALITIES if all_modalities else ("occurred",))
            typer.echo(f"wrote {n} event rows to {out}", err=True)
        else:
            n = _export_gkg(kb, out, MODALITIES if all_modalities else ("occurred",))
            typer.echo(f"wrote {n} GKG rows to {out}", err=True)


def _export_events(kb: Any, out: Path, modalities: tuple[str, ...]) -> int:
    from khabar.article import Article
    from khabar.export.events import event_rows, events_header

    n = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write(events_header() + "\n")
        for data in kb.iter_articles():
            for row in event_rows(Article.from_dict(data), modalities, first_id=n + 1):
                handle.write("\t".join(row) + "\n")
                n += 1
    return n


def _export_gkg(kb: Any, out: Path, modalities: tuple[str, ...] = ("occurred",)) -> int:
    try:
        from khabar.export.gkg import gkg_header, gkg_row
    except ImportError:
        raise KhabarError(
            "GKG export is not available in this khabar (khabar.export.gkg is missing)"
        ) from None
    from khabar.article import Article

    n = 0
    with out.open("w", encoding="utf-8") as handle:
        handle.write(gkg_header() + "\n")
        for data in kb.iter_articles():
            handle.write(gkg_row(Article.from_dict(data), modalities) + "\n")
            n += 1
    return n


def eval_dedup(
    corpus: Annotated[
        Path | None,
        typer.Argument(help="A corpus folder with gold.tsv; default: generate the planted corpus."),
    ] = None,
    seed: Annotated[int, typer.Option(help="Seed of the generated planted corpus.")] = 7,
) -> None:
    """Pairwise precision/recall of duplicate clusters: khabar vs plain MinHashLSH vs exact hashes.

    Example: khabar eval dedup   (or: khabar eval dedup bench/out/dedup-corpus)
    """
    import tempfile

    from khabar.dedup.evaluate import evaluate_corpus

    if corpus is not None:
        _print_json(evaluate_corpus(corpus))
        return
    make = _planted_corpus_maker()
    with tempfile.TemporaryDirectory(prefix="khabar-dedup-") as tmp:
        make(Path(tmp), seed)
        result = evaluate_corpus(tmp)
    result["seed"] = seed
    _print_json(result)


def _planted_corpus_maker() -> Any:
    """`write_corpus(folder, seed)` from bench/dedup_corpus.py of this checkout."""
    import importlib.util

    from khabar.config import REPO_ROOT

    path = REPO_ROOT / "bench" / "dedup_corpus.py"
    if not path.is_file():
        raise KhabarError(
            "no corpus given and bench/dedup_corpus.py is not here (run from a khabar checkout)"
        )
    spec = importlib.util.spec_from_file_location("khabar_bench_dedup_corpus", path)
    if spec is None or spec.loader is None:
        raise KhabarError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.write_corpus


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the corpus commands."""
    app.command("ingest")(ingest)
    app.command("duplicates")(duplicates)
    app.command("search")(search)
    app.command("entities")(entities)
    app.command("entity")(entity)
    app.command("events")(events)
    app.command("export")(export)
    eval_app.command("dedup")(eval_dedup)
