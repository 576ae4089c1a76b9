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
    gold: Annotated[
        list[Path] | None,
        typer.Option(
            help="Facts gold set(s) for the event model, repeatable (default: both shipped sets, "
            "bench/data/gold/facts and facts2)."
        ),
    ] = None,
    events_only: Annotated[
        bool, typer.Option("--events-only", help="Only fit the event model (no ../shared/data needed).")
    ] = False,
) -> None:
    """Build the fact word lists (lang/hi/verb_forms_gen.txt) from ../shared/data, then fit the event
    trigger model and target ranker (lang/hi/models/event_triggers.json) on the facts gold set; prints
    a JSON summary.

    Example: khabar train facts
    """
    from khabar.config import shared_data_dir
    from khabar.eval.facts import training_golds
    from khabar.train.events import train_event_model
    from khabar.train.facts import train_facts as build

    out: dict[str, object] = {} if events_only else dict(build(data or shared_data_dir()))
    out.update(train_event_model(gold or training_golds()))
    typer.echo(json.dumps(out, ensure_ascii=False, indent=2))


def eval_facts(
    gold: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Facts gold set(s) (JSON Lines), scored together; default "
            "bench/data/gold/facts/articles.jsonl."
        ),
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
    cv: Annotated[
        int,
        typer.Option(
            help="Cross-validate the event model over the chosen articles in K folds (article i in fold "
            "i mod K, each fold analysed with a model fitted on the others); 0: the shipped model.",
            min=0,
        ),
    ] = 0,
    rules_only: Annotated[
        bool, typer.Option("--rules-only", help="Events by the rules alone, without the event model.")
    ] = False,
) -> None:
    """Score quotes (P/R/F1, speaker accuracy), events (P/R/F1 on CAMEO root + trigger, actor1/actor2,
    modality) and dates (resolved right) against the facts gold set; prints JSON.

    Matching rules are in docs/facts.md. Examples: khabar eval facts --part all --cv 5;
    khabar eval facts bench/data/gold/facts/articles.jsonl bench/data/gold/facts2/articles.jsonl
    --part all --cv 5 (both sets, the event model's training data, cross-validated)
    """
    from khabar.errors import InputError
    from khabar.eval.facts import default_gold, evaluate_facts, read_predictions
    from khabar.eval.facts_gold import read_gold

    articles = [a for path in gold or [default_gold()] for a in read_gold(path, part.value)]
    if len({a.id for a in articles}) < len(articles):
        raise InputError("the gold sets share article ids; score them one at a time")
    if cv == 1 or (cv and predictions):
        raise InputError("--cv needs at least 2 folds and analyses the articles itself (no --predictions)")
    if cv:
        from khabar.train.events import cross_validate, prepare

        result = cross_validate(prepare(articles), k=cv, rules_only=rules_only, errors=errors)
        result["cv_folds"] = cv
    else:
        preds = read_predictions(predictions) if predictions else None
        result = evaluate_facts(articles, preds, errors=errors, rules_only=rules_only)
    typer.echo(json.dumps(result, ensure_ascii=False, indent=2))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the facts commands."""
    train_app.command("facts")(train_facts)
    eval_app.command("facts")(eval_facts)
