"""`khabar train names`, `khabar eval romanize` and `khabar eval names`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from khabar.errors import InputError


class Split(StrEnum):
    dev = "dev"
    test = "test"


class Part(StrEnum):
    dev = "dev"
    test = "test"
    all = "all"


def train_names(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Write the tables here instead of the package's lang/hi folder.")
    ] = None,
) -> None:
    """Build the name knowledge base (lang/hi/names.sqlite) and the romaniser's learned tables from
    ../shared/data and the curated tables in lang/hi; prints a JSON summary.

    Example: khabar train names
    """
    from khabar.config import shared_data_dir
    from khabar.train.names import train_names as build

    if out is not None and not out.is_dir():
        raise InputError(f"--out must be an existing folder, got {out}")
    summary = build(data or shared_data_dir(), out)
    typer.echo(json.dumps(summary, ensure_ascii=False, indent=2))


def eval_romanize(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
    split: Annotated[
        Split, typer.Option(help="Held-back name pairs to measure on: test (report) or dev (tuning).")
    ] = Split.test,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Leave the learned word table out.")
    ] = False,
    examples: Annotated[int, typer.Option(help="Also list this many wrong romanisations.")] = 0,
) -> None:
    """Measure the romaniser on held-back Hindi–English name pairs (never trained on): exact match
    (case-insensitive, punctuation ignored) and character error rate, in percent, as JSON.

    Example: khabar eval romanize --examples 20
    """
    from khabar.config import shared_data_dir
    from khabar.eval.romanize import evaluate_romanizer

    folder = data or shared_data_dir()
    if not folder.is_dir():
        raise InputError(f"shared data folder not found: {folder} (set KHABAR_DATA or pass --data)")
    result = evaluate_romanizer(folder, split.value, use_lexicon=not rules_only, examples=examples)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def train_geo(
    data: Annotated[
        Path | None, typer.Option(help="The shared data folder (default ../shared/data or $KHABAR_DATA).")
    ] = None,
) -> None:
    """Rebuild the shipped geography tables (countries with FIPS 10-4 codes, ADM1 divisions, towns)
    from GeoNames in ../shared/data/geo; the GKG and Event exports geocode places with them.

    Example: khabar train geo
    """
    from khabar.config import shared_data_dir
    from khabar.geo.build import build_geo

    typer.echo(json.dumps(build_geo(data or shared_data_dir())))


def eval_names(
    gold: Annotated[
        Path | None,
        typer.Option(
            help="Entity gold folder (default: bench/data/gold/entities; the untouched names set is "
            "bench/data/gold/entities2, all of it --part test)."
        ),
    ] = None,
    part: Annotated[
        Part, typer.Option(help="Gold part: dev (inspectable), test (held back) or all.")
    ] = Part.dev,
    examples: Annotated[
        int, typer.Option(help="Also list this many wrong English names (dev part only).")
    ] = 0,
) -> None:
    """Measure English names, Wikidata ids, types and cross-article linking on the entity gold set:
    exact English-name rate per type, Wikidata coverage of prominent entities and agreement with the
    gold ids, and pairwise precision/recall of knowledge-base merges (a fresh KB of the part), as JSON.

    Example: khabar eval names --part dev --examples 20
    """
    from khabar.eval.names import run_names_eval

    if gold is not None and not gold.is_dir():
        raise InputError(f"entity gold folder not found: {gold}")
    typer.echo(json.dumps(run_names_eval(gold, part.value, examples), ensure_ascii=False, indent=2))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the name commands to the CLI."""
    train_app.command("names")(train_names)
    train_app.command("geo")(train_geo)
    eval_app.command("romanize")(eval_romanize)
    eval_app.command("names")(eval_names)
