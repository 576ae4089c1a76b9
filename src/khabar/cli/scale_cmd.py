"""Scale-out commands: `khabar run` (analysis, near-duplicates and linking on Ray) and `khabar load`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from khabar.cli.analyze_cmd import (
    MaxBytesOption,
    MaxFileBytesOption,
    MaxLineBytesOption,
    MaxSecondsOption,
    NerOption,
)
from khabar.errors import InputError
from khabar.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SECONDS, MAX_FILE_BYTES, MAX_LINE_BYTES


def run(
    paths: Annotated[
        list[str],
        typer.Argument(
            help="Files, folders or globs, local or fsspec URLs: .jsonl[.gz] .parquet .txt .html."
        ),
    ],
    out: Annotated[str, typer.Option("--out", "-o", help="Output dataset folder (local or fsspec URL).")],
    address: Annotated[
        str | None,
        typer.Option(
            help="Ray cluster to join: auto, ray://host:10001 (default: RAY_ADDRESS, else a local one)."
        ),
    ] = None,
    actors: Annotated[
        int | None, typer.Option(help="Analysis actors (default: the cluster's CPUs less one per node).")
    ] = None,
    cpus_per_actor: Annotated[
        float | None,
        typer.Option(help="CPUs per analysis actor (default 1, or 0.5 on nodes of under 4 CPUs)."),
    ] = None,
    num_cpus: Annotated[int | None, typer.Option(help="CPUs of a local cluster (default: all).")] = None,
    batch_size: Annotated[int, typer.Option(help="Records per analysis batch (one part file each).")] = 64,
    published: Annotated[
        str | None, typer.Option(help="Publication date YYYY-MM-DD for inputs that carry none.")
    ] = None,
    dedup: Annotated[bool, typer.Option(help="Find near-duplicate clusters after the analysis.")] = True,
    link: Annotated[bool, typer.Option(help="Link entities across articles after the analysis.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    max_seconds: MaxSecondsOption = MAX_DOCUMENT_SECONDS,
    max_line_bytes: MaxLineBytesOption = MAX_LINE_BYTES,
    max_file_bytes: MaxFileBytesOption = MAX_FILE_BYTES,
    ner: NerOption = "fast",
) -> None:
    """Analyse articles on a Ray cluster into a Parquet dataset, resumable shard by shard; prints a JSON summary.

    A rerun skips the shards already done; limits and --ner work as for khabar ingest; `khabar load OUT --db news.db` builds the knowledge base.

    Example: khabar run corpus/*.jsonl.gz --out dataset/ --address auto
    """
    from khabar.analysis.ner_vectors import check_user_mode
    from khabar.cli.analyze_cmd import make_limits, parse_date
    from khabar.engine.ray import RunOptions
    from khabar.engine.ray import run as run_engine

    if actors is not None and actors < 1:
        raise InputError("--actors must be at least 1")
    if cpus_per_actor is not None and cpus_per_actor <= 0:
        raise InputError("--cpus-per-actor must be above 0")
    if batch_size < 1:
        raise InputError("--batch-size must be at least 1")
    opts = RunOptions(
        address=address,
        actors=actors,
        cpus_per_actor=cpus_per_actor,
        batch_size=batch_size,
        published=parse_date(published),
        num_cpus=num_cpus,
        progress=not quiet,
        ner=check_user_mode(ner),
        limits=make_limits(max_bytes, max_seconds, max_line_bytes, max_file_bytes),
    )
    summary = run_engine(paths, out, opts, dedup=dedup, link=link)
    data = summary.to_dict()
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    typer.echo(
        f"{summary.documents} documents in {summary.shards - summary.shards_skipped} shards "
        f"({summary.shards_skipped} already done): {summary.articles} articles, {summary.errors} errors; "
        f"{data.get('clusters', '-')} duplicate clusters, {data.get('entities', '-')} entities; "
        f"{summary.seconds:.1f} s",
        err=True,
    )
    if summary.errors and not summary.articles and not summary.shards_skipped:
        raise SystemExit(1)


def load(
    dataset: Annotated[str, typer.Argument(help="A dataset folder written by khabar run.")],
    db: Annotated[Path, typer.Option("--db", help="The knowledge base file to create (SQLite).")],
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
) -> None:
    """Build the SQLite knowledge base (for serving and search) from a khabar run dataset.

    Example: khabar load dataset/ --db news.db
    """
    from khabar.engine.load import load_dataset

    summary = load_dataset(dataset, db)
    sys.stdout.write(json.dumps(summary.to_dict(), ensure_ascii=False, indent=2) + "\n")
    if not quiet:
        typer.echo(
            f"{summary.articles} articles, {summary.copies} copies, {summary.errors} errors, "
            f"{summary.entities} entities, {summary.clusters} clusters into {db} in {summary.seconds:.1f} s",
            err=True,
        )


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the commands to the app."""
    app.command("run")(run)
    app.command("load")(load)
