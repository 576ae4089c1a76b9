"""Corpus commands: `khabar ingest`, `duplicates`, `reclean`, `entities`, `entity`, `events` and
`khabar eval dedup` (`export` is in export_cmd.py)."""

from __future__ import annotations

import html
import json
import re
import sys
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from khabar.cli.analyze_cmd import (
    MaxBytesOption,
    MaxFileBytesOption,
    MaxLineBytesOption,
    MaxSecondsOption,
    NerOption,
    PublishedFromFilenameOption,
)
from khabar.errors import InputError, KhabarError
from khabar.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SECONDS, MAX_FILE_BYTES, MAX_LINE_BYTES
from khabar.store.lookup import Resolution

DbOption = Annotated[Path, typer.Option("--db", help="The knowledge base file (SQLite).")]


class OutFormat(StrEnum):
    json = "json"
    text = "text"


FormatOption = Annotated[OutFormat, typer.Option("--format", "-f", help="json or text.")]


# Articles an entity's text page lists (newest first; JSON has them all).
ENTITY_ARTICLES_SHOWN = 20


def open_kb(db: Path) -> Any:
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
    published_from_filename: PublishedFromFilenameOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    max_seconds: MaxSecondsOption = MAX_DOCUMENT_SECONDS,
    max_line_bytes: MaxLineBytesOption = MAX_LINE_BYTES,
    max_file_bytes: MaxFileBytesOption = MAX_FILE_BYTES,
    ner: NerOption = "fast",
    embed: Annotated[
        bool, typer.Option("--embed", help="Also embed new articles for meaning search (see khabar embed).")
    ] = False,
) -> None:
    """Analyse articles and store them in a knowledge base; safe to rerun (adds only what is new).

    A document over a limit (size, analysis time, line length, decompressed size) is recorded as an
    error naming the limit, and the batch goes on.

    Example: khabar ingest examples/ --db demo.db --workers 2
    """
    from rich.console import Console
    from rich.markup import escape
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from khabar.analysis.ner_vectors import check_user_mode
    from khabar.cli.analyze_cmd import make_limits, parse_date
    from khabar.ingest.filedates import compile_pattern
    from khabar.ingest.runner import check_inputs, count_documents, ingest_paths
    from khabar.report import plural

    pub = parse_date(published)
    if workers is not None and workers < 1:
        raise InputError("--workers must be at least 1")
    if published_from_filename:
        compile_pattern(published_from_filename)
    check_inputs(paths)
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

        limits = make_limits(max_bytes, max_seconds, max_line_bytes, max_file_bytes)
        summary = ingest_paths(
            paths,
            db,
            workers=workers,
            published=pub,
            on_document=on_document,
            published_from_filename=published_from_filename,
            limits=limits,
            ner=check_user_mode(ner),
        )
    for source, message in summary.errors[:20]:
        line = message if message.startswith(source) else f"{source}: {message}"
        err.print(f"[red]error[/] {escape(line)}")
    if len(summary.errors) > 20:
        err.print(f"... and {len(summary.errors) - 20} more errors (see the errors table)")
    err.print(
        f"{plural(summary.documents, 'document')}: {summary.added} added, "
        f"{plural(summary.copies, 'copy', 'copies')} of stored articles, {summary.skipped} already stored, "
        f"{plural(len(summary.errors), 'error')}; {plural(summary.clusters, 'duplicate cluster')} "
        f"({summary.cluster_seconds:.1f} s); {summary.seconds:.1f} s in all",
        highlight=False,
    )
    if summary.errors and not (summary.added or summary.copies or summary.skipped):
        raise SystemExit(1)
    if embed:
        from khabar.cli.search_cmd import embed_with_progress

        embed_with_progress(db, quiet=quiet)


LimitOption = Annotated[
    int | None, typer.Option("--limit", help="Rows per page (default per list, as in the API).")
]
OffsetOption = Annotated[
    int, typer.Option("--offset", help="Rows to skip (the next page starts at offset + limit).")
]


def _print_page(model: Any, page: dict[str, Any], filtered: bool = False) -> None:
    """A list envelope as JSON, through the same model as the API (`filtered`: a list an entity filter
    narrows, with its `entity_resolution`)."""
    from khabar.schema.models import FilteredPage, Page, dump

    _print_json(dump(FilteredPage[model] if filtered else Page[model], page))


def _page_line(page: dict[str, Any], noun: str, nouns: str | None = None) -> str:
    """`1-20 of 57 events; next page: --offset 20` under a text listing."""
    from khabar.report import plural

    shown = len(page["items"])
    if not shown:
        return "no more rows" if page["total"] else f"no {nouns or noun + 's'}"
    first = page["offset"] + 1
    line = f"{first}-{page['offset'] + shown} of {plural(page['total'], noun, nouns)}"
    if page["next"]:
        line += f"; next page: --offset {page['offset'] + page['limit']}"
    return line


def _check_days(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None]:
    from khabar.cli.analyze_cmd import parse_date

    start, end = parse_date(date_from, "--from"), parse_date(date_to, "--to")
    if start and end and start > end:
        raise InputError(f"--from ({start}) is after --to ({end})")
    return (start.isoformat() if start else None), (end.isoformat() if end else None)


def duplicates(
    db: DbOption,
    fmt: FormatOption = OutFormat.json,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    rebuild: Annotated[
        bool, typer.Option("--rebuild", help="Recompute every cluster from the stored texts first.")
    ] = False,
) -> None:
    """List duplicate groups: stories with two or more documents (representative first), biggest first.

    Example: khabar duplicates --db demo.db --format text
    """
    if rebuild:
        from khabar.store.kb import KnowledgeBase

        with KnowledgeBase(db) as writable:
            writable.update_clusters(rebuild=True)
    from khabar.schema.models import Cluster
    from khabar.store.lists import duplicates_page

    with open_kb(db) as kb:
        page = duplicates_page(kb, limit, offset)
    if fmt == OutFormat.json:
        _print_page(Cluster, page)
        return
    con = _console()
    from rich.markup import escape

    from khabar.report import plural

    for cl in page["items"]:
        con.print(f"[bold]cluster {cl['id']}[/] ({plural(len(cl['articles']), 'document')})")
        for art in cl["articles"]:
            con.print(f"  {art['id']}  {escape(art['source'] or '')}  {escape(art['headline'] or '')}")
    con.print(_page_line(page, "duplicate cluster"))


def _print_resolution(con: Any, resolution: Resolution) -> None:
    """The entity a name resolved to and, when others fit too, "did you mean …" (text output)."""
    from rich.markup import escape

    best = resolution.best
    if best is None:
        con.print(f"no entity matches {escape(resolution.query)!r}")
        return
    english = f" {escape(best.name_en)}" if best.name_en else ""
    con.print(f"[dim]{escape(resolution.query)} → {escape(best.name)}{english} ({best.type}, {best.id})[/]")
    hint = resolution.did_you_mean()
    if hint:
        con.print(f"[dim]{escape(hint)}[/]")


def reclean(db: DbOption, fmt: FormatOption = OutFormat.text) -> None:
    """Apply the template lines learned so far to every stored article (clean and analyse again the
    ones whose text changes, then cluster them again).

    Example: khabar reclean --db demo.db
    """
    from khabar.store.kb import KnowledgeBase

    with KnowledgeBase(db) as kb:
        result = kb.reclean()
    if fmt == OutFormat.json:
        _print_json(result)
    else:
        typer.echo(
            f"{result['learned_lines']} learned template lines; {result['recleaned']} articles cleaned again; "
            f"{result['duplicate_groups']} duplicate groups",
            err=True,
        )


def entities(
    db: DbOption,
    entity_type: Annotated[
        str | None, typer.Option("--type", help="PERSON, LOCATION or ORGANIZATION.")
    ] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    fmt: FormatOption = OutFormat.json,
) -> None:
    """Top entities across the knowledge base with their story, article and document counts (copies
    of one story are one story).

    Example: khabar entities --db demo.db --type PERSON --format text
    """
    from khabar.schema.models import EntitySummary
    from khabar.store.lists import entities_page

    with open_kb(db) as kb:
        page = entities_page(kb, entity_type, limit, offset)
    if fmt == OutFormat.json:
        _print_page(EntitySummary, page)
        return
    con = _console()
    from rich.markup import escape

    con.print("[bold] stories  articles  documents  mentions  type          name (English, Wikidata)  id[/]")
    for r in page["items"]:
        extra = ", ".join(x for x in (r["name_en"], r["wikidata"]) if x)
        con.print(
            f"{r['stories']:>8}  {r['articles']:>8}  {r['documents']:>9}  {r['mentions']:>8}  {r['type']:<12}  "
            f"{escape(r['name'])}"
            f"{f' ({escape(extra)})' if extra else ''}  [dim]{r['id']}[/]"
        )
    con.print(_page_line(page, "entity", "entities") if page["total"] else "no entities")


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
    from khabar.errors import no_entity
    from khabar.schema.models import EntityDetail, dump

    with open_kb(db) as kb:
        data = kb.get_entity(name_or_id)
        resolution = kb.resolve(name_or_id)
    if data is None:
        raise no_entity(name_or_id)
    if fmt == OutFormat.json:
        _print_json(dump(EntityDetail, data))
        return
    from khabar.report import plural

    con = _console()
    _print_resolution(con, resolution)
    con.print(
        f"[bold]{data['name']}[/] ({data['type']}) {data['name_en'] or ''} {data['wikidata'] or ''} [{data['id']}]"
    )
    con.print(f"aliases: {', '.join(data['aliases'])}")
    con.print(f"roles: {', '.join(data['roles']) or '—'}")
    con.print(
        f"in {plural(data['stories'], 'story', 'stories')} ({plural(data['article_count'], 'article')}, "
        f"{plural(data['documents'], 'document')})"
    )
    shown = data["articles"][:ENTITY_ARTICLES_SHOWN]
    more = f" (the newest {len(shown)})" if len(shown) < len(data["articles"]) else ""
    con.print(f"{plural(len(data['articles']), 'article')}{more}:")
    for art in shown:
        con.print(f"  {art['published'] or '—'}  {art['id']}  {art['headline'] or art['source']}")
    con.print(
        "co-mentioned: "
        + ", ".join(f"{c['name']} ({plural(c['count'], 'story', 'stories')})" for c in data["co_mentions"])
    )
    con.print("per day: " + ", ".join(f"{d['day']}: {d['count']}" for d in data["mentions_per_day"]))


class ModalityChoice(StrEnum):
    occurred = "occurred"
    planned = "planned"
    demanded = "demanded"
    speculative = "speculative"
    negated = "negated"


def events(
    db: DbOption,
    entity: Annotated[str | None, typer.Option(help="Only events with this participant or place.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="On or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="On or before YYYY-MM-DD.")] = None,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    modality: Annotated[
        ModalityChoice | None,
        typer.Option(help="Only this modality: occurred, planned, demanded, speculative or negated."),
    ] = None,
    fmt: FormatOption = OutFormat.json,
) -> None:
    """Events (CAMEO-coded: source → target, modality, date at its grain) across the knowledge base,
    newest first; an event whose text gives no date shows its article's publication date, marked.

    Example: khabar events --db demo.db --entity जेलेंस्की --from 2026-01-01
    """
    from khabar.schema.models import EventRecord
    from khabar.store.lists import events_page

    start, end = _check_days(date_from, date_to)
    with open_kb(db) as kb:
        page = events_page(
            kb,
            entity=entity,
            date_from=start,
            date_to=end,
            modality=modality.value if modality else None,
            limit=limit,
            offset=offset,
        )
        resolution = kb.resolve(entity) if entity else None
    if fmt == OutFormat.json:
        _print_page(EventRecord, page, filtered=True)
        return
    from rich.markup import escape

    from khabar.report import event_line

    con = _console()
    if resolution is not None:
        _print_resolution(con, resolution)
    for ev in page["items"]:
        con.print(escape(f"{event_line(ev)}  ({ev['article_id']})"))
    con.print(_page_line(page, "event") if page["total"] else "no events")


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
    app.command("reclean")(reclean)
    app.command("entities")(entities)
    app.command("entity")(entity)
    app.command("events")(events)
    eval_app.command("dedup")(eval_dedup)
