"""`khabar export`: the knowledge base as JSON Lines, Parquet tables, GDELT GKG / Event TSV or
datasette metadata."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from khabar.article import MODALITIES
from khabar.cli.corpus_cmd import DbOption, open_kb
from khabar.errors import InputError


class ExportFormat(StrEnum):
    jsonl = "jsonl"
    parquet = "parquet"
    gkg = "gkg"
    events = "events"
    datasette = "datasette"


def _check_out(out: Path, folder: bool) -> None:
    """A one-line error before anything is written when `--out` cannot be written."""
    if folder:
        if out.exists() and not out.is_dir():
            raise InputError(f"--out {out}: exists and is not a folder (parquet writes one file per table)")
    elif out.is_dir():
        raise InputError(f"--out {out}: is a folder; give a file name (e.g. {out / 'export.tsv'})")
    parent = out.resolve().parent
    if not parent.is_dir():
        raise InputError(f"--out {out}: folder {parent} does not exist")


def export(
    db: DbOption,
    fmt: Annotated[
        ExportFormat,
        typer.Option(
            "--format",
            "-f",
            help="jsonl, parquet (a folder), gkg (GDELT GKG 2.1 TSV), events (GDELT Event 2.0 TSV) "
            "or datasette (a metadata file for `datasette news.db -m`).",
        ),
    ],
    out: Annotated[
        Path,
        typer.Option("--out", "-o", help="Output file (jsonl, gkg, events, datasette) or folder (parquet)."),
    ],
    all_modalities: Annotated[
        bool,
        typer.Option(
            "--all-modalities",
            help="events/gkg: also events reported as planned, demanded, speculated or denied.",
        ),
    ] = False,
    header: Annotated[
        bool,
        typer.Option(
            "--header", help="gkg/events: write a first line of column names (GDELT files have none)."
        ),
    ] = False,
) -> None:
    """Export the knowledge base: JSON Lines of articles, typed Parquet tables, GDELT GKG 2.1 or Event
    2.0 TSV (only events reported as done unless --all-modalities), or datasette metadata.

    Example: khabar export --db demo.db --format parquet --out demo-parquet/
    """
    from khabar.report import plural

    _check_out(out, folder=fmt == ExportFormat.parquet)
    with open_kb(db) as kb:
        if fmt == ExportFormat.jsonl:
            from khabar.export.jsonl import export_jsonl

            n = export_jsonl(kb, out)
            typer.echo(f"wrote {plural(n, 'article')} to {out}", err=True)
        elif fmt == ExportFormat.parquet:
            from khabar.export.parquet import export_parquet

            counts = export_parquet(kb, out)
            typer.echo(
                f"wrote {plural(len(counts), 'table')} ({plural(counts.get('articles', 0), 'article')}) to {out}",
                err=True,
            )
        elif fmt == ExportFormat.datasette:
            from khabar.store.datasette import write_metadata

            write_metadata(out, db)
            typer.echo(f"wrote datasette metadata to {out}; run: datasette {db} -m {out}", err=True)
        elif fmt == ExportFormat.events:
            from khabar.export.events import export_events

            n = export_events(kb, out, MODALITIES if all_modalities else ("occurred",), header=header)
            typer.echo(f"wrote {plural(n, 'event row')} to {out}", err=True)
        else:
            from khabar.export.gkg import export_gkg

            n = export_gkg(kb, out, MODALITIES if all_modalities else ("occurred",), header=header)
            typer.echo(f"wrote {plural(n, 'GKG row')} to {out}", err=True)


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add `khabar export`."""
    app.command("export")(export)
