"""Search commands: `khabar search`, `khabar embed` and `khabar eval search`."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from khabar.cli.corpus_cmd import (
    DbOption,
    FormatOption,
    LimitOption,
    OffsetOption,
    OutFormat,
    _check_days,
    _console,
    _marks_to_rich,
    _page_line,
    _print_json,
    open_kb,
)
from khabar.errors import InputError


class Mode(StrEnum):
    keyword = "keyword"
    semantic = "semantic"
    hybrid = "hybrid"


def search(
    query: Annotated[
        str,
        typer.Argument(
            help='Words (inflections and spellings meet; all must occur), "exact phrase", =exactword, '
            "prefix*, OR, NOT, title:word; or an English/romanised name (Modi, Narendra Modi)."
        ),
    ],
    db: DbOption,
    fmt: FormatOption = OutFormat.json,
    limit: LimitOption = None,
    offset: OffsetOption = 0,
    mode: Annotated[
        Mode, typer.Option(help="keyword (BM25), semantic (meaning; needs khabar embed) or hybrid (both).")
    ] = Mode.keyword,
    entity: Annotated[
        str | None, typer.Option(help="Only articles mentioning this entity (name or id).")
    ] = None,
    source: Annotated[str | None, typer.Option(help="Only articles from this source.")] = None,
    date_from: Annotated[str | None, typer.Option("--from", help="Published on or after YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Published on or before YYYY-MM-DD.")] = None,
    facets: Annotated[bool, typer.Option("--facets", help="Add counts by entity, source and day.")] = False,
) -> None:
    """Search the knowledge base; copies of one story are grouped, with totals and highlighted snippets.

    Example: khabar search किसान --db demo.db --format text
    """
    from khabar.schema.models import SearchPage, dump
    from khabar.store.lists import search_page

    start, end = _check_days(date_from, date_to)
    with open_kb(db) as kb:
        page = search_page(
            kb,
            query,
            entity=entity,
            source=source,
            date_from=start,
            date_to=end,
            limit=limit,
            offset=offset,
            mode=mode.value,
            facets=facets,
        )
    if fmt == OutFormat.json:
        _print_json(dump(SearchPage, page))
        return
    _print_text(page, query)


def _print_text(page: dict[str, Any], query: str) -> None:
    from rich.markup import escape

    from khabar.report import plural, score_text
    from khabar.store.entity_query import is_latin_query

    con = _console()
    used = page.get("entity")
    if used:
        others = ", ".join(
            f"{c['name']} ({c['name_en'] or c['matched']}, {c['articles']})" for c in page["candidates"]
        )
        con.print(
            f"[dim]read as {escape(used['name'])} ({escape(used['name_en'] or used['matched'])}, "
            f"{used['type']}, {plural(used['articles'], 'article')})"
            + (f"; did you mean: {escape(others)}" if others else "")
            + "[/]"
        )
    resolved = page.get("entity_resolution")
    if resolved:
        con.print(f"[dim]{escape(_resolution_line(resolved))}[/]")
    for h in page["items"]:
        copies = f" · {plural(h['copies'], 'more copy', 'more copies')}" if h.get("copies") else ""
        con.print(
            f"[bold]{escape(h['headline'] or h['id'])}[/]  "
            f"[dim]{h['published'] or 'undated'} · {escape(h['source'] or '')} · {h['id']} · "
            f"score {score_text(h['score'])}{copies}[/]"
        )
        con.print(f"  {_marks_to_rich(h['snippet'])}")
    for name, rows in (page.get("facets") or {}).items():
        if name == "dates":
            continue
        label = [f"{r.get('name') or r.get('source')} {r['articles']}" for r in rows]
        con.print(f"[dim]{name}: {escape(' · '.join(label))}[/]")
    line = _page_line(page, "story", "stories") if page["total"] else "no matches"
    if not page["total"] and page["mode"] == "keyword" and is_latin_query(query) and not used:
        line += (
            " (English words match English names only in keyword mode; for English topic words use "
            "--mode semantic or hybrid, after khabar embed)"
        )
    if page["total"]:
        about = "about " if page.get("total_approximate") else ""
        if about:  # estimated totals: "1-20 of about 87,000 stories"
            line = line.replace(" of ", " of about ", 1)
        line += f" ({about}{plural(page['total_articles'], 'article')}; {page['mode']})"
    con.print(line)


def _resolution_line(resolved: dict[str, Any]) -> str:
    """`--entity X → name (English, type, id); did you mean: …` for an entity filter's resolution."""
    from khabar.report import plural

    best = resolved.get("best")
    if not best:
        return f"--entity {resolved['query']}: no entity matches"
    english = f" {best['name_en']}" if best.get("name_en") else ""
    line = f"--entity {resolved['query']} → {best['name']}{english} ({best['type']}, {best['id']})"
    others = []
    for c in resolved.get("candidates", [])[:5]:
        name = f"{c['name']} ({c['name_en']})" if c.get("name_en") else c["name"]
        others.append(f"{name} [{c['type']}, {plural(c['articles'], 'article')}]")
    return line + (f"; did you mean: {', '.join(others)}" if others else "")


def embed_with_progress(db: Path, *, quiet: bool = False, batch: int = 16) -> int:
    """Embed the articles of `db` that have no vector yet, with a progress bar on stderr."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from khabar.store import vectors
    from khabar.store.kb import KnowledgeBase

    err = Console(stderr=True)
    with KnowledgeBase(db) as kb:
        total = vectors.missing(kb.connection)
        progress = Progress(
            TextColumn("embed"),
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]:.1f} articles/s"),
            TimeRemainingColumn(),
            console=err,
            disable=quiet,
        )
        with progress:
            task = progress.add_task("embed", total=total, rate=0.0)

            def advance(n: int) -> None:
                progress.advance(task, n)
                progress.update(task, rate=progress.tasks[0].speed or 0.0)

            with kb.lock:
                done = vectors.embed_missing(kb.connection, batch=batch, progress=advance)
            elapsed = progress.tasks[0].elapsed or 0.0
    rate = done / elapsed if elapsed else 0.0
    err.print(f"{done} articles embedded ({rate:.1f} articles/s); {total - done} left")
    return done


def embed(
    db: DbOption,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    batch: Annotated[int, typer.Option(help="Articles per encoder call.")] = 16,
) -> None:
    """Embed every article that has no vector yet (title, lead, summary; multilingual-e5-small), for
    `khabar search --mode semantic|hybrid`. Safe to stop and rerun.

    Example: khabar embed --db demo.db
    """
    if batch < 1:
        raise InputError("--batch must be at least 1")
    if not db.is_file():
        raise InputError(f"{db}: no such knowledge base (create it with khabar ingest)")
    embed_with_progress(db, quiet=quiet, batch=batch)


def eval_search(
    gold: Annotated[Path, typer.Option(help="Folder with corpus.jsonl and queries.jsonl.")] = Path(
        "bench/data/gold/search"
    ),
    part: Annotated[str, typer.Option(help="tune, test or all.")] = "all",
    work: Annotated[
        Path | None, typer.Option(help="Folder for the gold knowledge base (kept to rerun fast).")
    ] = None,
    no_semantic: Annotated[bool, typer.Option("--no-semantic", help="Skip the vector arms.")] = False,
) -> None:
    """Recall@20, precision@10 and MRR of every search arm (exact FTS, + folding, + stemming,
    snowball, BM25, semantic, hybrid) on the search gold set, per query kind and part; JSON.

    Example: khabar eval search --gold bench/data/gold/search
    """
    from khabar.eval.search import evaluate

    _print_json(evaluate(gold, part=part, work=work, semantic=not no_semantic))


def train_search(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the table here instead of the package's lang/hi folder.")
    ] = None,
) -> None:
    """Build the romanised-query table (lang/hi/roman_words_gen.tsv) from the Dakshina lexicon in
    ../shared/data; prints a JSON summary."""
    from khabar.config import shared_data_dir
    from khabar.lang.hi import data_path
    from khabar.train.search import build

    target = out or data_path("stem_suffixes.tsv").parent
    _print_json(build(data or shared_data_dir(), target))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the search commands."""
    app.command("search")(search)
    app.command("embed")(embed)
    train_app.command("search")(train_search)
    eval_app.command("search")(eval_search)
