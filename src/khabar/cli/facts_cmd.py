"""`khabar train facts` and `khabar eval facts`."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer


class Part(StrEnum):
    tune = "tune"
    test = "test"
    all = "all"


def train_facts(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
) -> None:
    """Build the fact word lists (lang/hi/verb_forms_gen.txt) from ../shared/data; prints a JSON summary.

    Example: khabar train facts
    """
    from khabar.config import shared_data_dir
    from khabar.train.facts import train_facts as build

    typer.echo(json.dumps(build(data or shared_data_dir()), indent=2))


def eval_facts(
    gold: Annotated[
        Path | None,
        typer.Argument(help="Facts gold set (JSON Lines); default bench/data/gold/facts/articles.jsonl."),
    ] = None,
    part: Annotated[
        Part, typer.Option(help="Which part to score: tune, test (held out) or all.")
    ] = Part.tune,
    predictions: Annotated[
        Path | None,
        typer.Option(
            help="Score these analysed articles (khabar analyze --format jsonl) instead of analysing."
        ),
    ] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="Also list every miss, spurious item and wrong field.")
    ] = False,
) -> None:
    """Score quotes (P/R/F1, speaker accuracy), events (P/R/F1 on CAMEO root + trigger, actor1/actor2,
    modality) and dates (resolved right) against the facts gold set; prints JSON.

    Matching rules are in docs/facts.md. Example: khabar eval facts --part tune --errors
    """
    from khabar.eval.facts import default_gold, evaluate_facts, read_predictions
    from khabar.eval.facts_gold import read_gold

    articles = read_gold(gold or default_gold(), part.value)
    preds = read_predictions(predictions) if predictions else None
    result = evaluate_facts(articles, preds, errors=errors)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the facts commands."""
    train_app.command("facts")(train_facts)
    eval_app.command("facts")(eval_facts)
