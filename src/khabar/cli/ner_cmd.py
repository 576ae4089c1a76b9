"""`khabar train ner` and `khabar eval ner`."""

from __future__ import annotations

import dataclasses
import json
import logging
from pathlib import Path
from typing import Annotated

import typer


def train_ner(
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
    tune: Annotated[
        bool, typer.Option(help="Choose the number of training passes on dev (3 extra trainings).")
    ] = True,
) -> None:
    """Build the NER lexicons, tune and train the CRF model into lang/hi/.

    Reads il-ner/train.txt and dev.txt, the name tables and UD PUD from the shared data folder; fixed
    order, no randomness beyond fixed seeds; a few minutes on 2 cores. Prints the chosen settings and dev figures as JSON.

    Example: khabar train ner --data ../shared/data
    """
    from khabar.config import shared_data_dir
    from khabar.train.ner import train_ner as run

    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run(data or shared_data_dir(), tune=tune)
    typer.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2))


def eval_ner(
    file: Annotated[Path, typer.Argument(help="Gold file: token<TAB>BIO tag, blank line between sentences.")],
    predictions: Annotated[
        Path | None,
        typer.Option(help="Write token<TAB>gold<TAB>predicted lines (tags as PERSON/LOCATION/ORGANIZATION)."),
    ] = None,
    exclude: Annotated[
        Path | None,
        typer.Option(help="Leave out sentences that also occur in this file (e.g. train.txt, for dev)."),
    ] = None,
) -> None:
    """Tag the gold tokens with the full NER step and print per-type and micro P/R/F1 as JSON.

    Tags may be IL-NER codes (B-NEP, I-NEL, B-NEO) or names (B-PERSON, …); other types count as O.
    Scores are entity-level, exact span. Gold tags in --predictions are written normalised to names.

    Example: khabar eval ner ../shared/data/il-ner/dev.txt --exclude ../shared/data/il-ner/train.txt
    """
    from khabar.eval.ner import drop_overlap, evaluate_ner, format_scores, read_tagged_sentences

    sentences = read_tagged_sentences(file)
    result: dict[str, object] = {"file": str(file), "sentences": len(sentences)}
    if exclude is not None:
        sentences = drop_overlap(sentences, read_tagged_sentences(exclude))
        result["sentences_after_exclude"] = len(sentences)
    result.update(evaluate_ner(sentences, predictions=predictions))
    typer.echo(format_scores(result))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the NER commands."""
    train_app.command("ner")(train_ner)
    eval_app.command("ner")(eval_ner)
