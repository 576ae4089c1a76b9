"""`khabar analyze`."""

from __future__ import annotations

import json
import os
import sys
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from khabar.errors import InputError
from khabar.limits import MAX_DOCUMENT_BYTES, MAX_DOCUMENT_SECONDS, MAX_FILE_BYTES, MAX_LINE_BYTES, Limits

MaxBytesOption = Annotated[
    int,
    typer.Option(
        "--max-bytes",
        help="Largest document text in UTF-8 bytes (HTML markup may be 8 times that); 0: no limit.",
        min=0,
    ),
]
MaxSecondsOption = Annotated[
    float,
    typer.Option("--max-seconds", help="Longest analysis of one document, in seconds; 0: no limit.", min=0),
]
MaxLineBytesOption = Annotated[
    int, typer.Option("--max-line-bytes", help="Longest JSON Lines record in bytes; 0: no limit.", min=0)
]
MaxFileBytesOption = Annotated[
    int,
    typer.Option(
        "--max-file-bytes", help="Largest input file once decompressed, in bytes; 0: no limit.", min=0
    ),
]
PublishedFromFilenameOption = Annotated[
    str | None,
    typer.Option(
        "--published-from-filename",
        metavar="PATTERN",
        help="Read each file's publication date from its path: YYYY, MM, DD placeholders, e.g. YYYY-MM-DD.",
    ),
]
NerOption = Annotated[
    str,
    typer.Option(
        "--ner", help="NER mode: fast (default; static vectors) or accurate (contextual encoder, slower)."
    ),
]


def make_limits(max_bytes: int, max_seconds: float, max_line_bytes: int, max_file_bytes: int) -> Limits:
    """The limits given on the command line (0 switches one off)."""
    return Limits(
        max_bytes=max_bytes or None,
        max_seconds=max_seconds or None,
        max_line_bytes=max_line_bytes or None,
        max_file_bytes=max_file_bytes or None,
    )


class AnalyzeFormat(StrEnum):
    json = "json"
    jsonl = "jsonl"
    text = "text"
    gkg = "gkg"
    events = "events"


def parse_date(value: str | None, option: str = "--published") -> date | None:
    """A YYYY-MM-DD option value, or a one-line error."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(f"{option} must be a date as YYYY-MM-DD, got {value!r}") from None


def analyze(
    paths: Annotated[
        list[str],
        typer.Argument(help="Files, directories or globs (.txt, .html, .jsonl[.gz]); '-' reads stdin."),
    ],
    published: Annotated[
        str | None,
        typer.Option(
            help="Publication date YYYY-MM-DD for inputs that give none (JSONL records may carry their own); relative dates resolve against it."
        ),
    ] = None,
    fmt: Annotated[
        AnalyzeFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="json (one input), jsonl (default for several), text report, gkg (GDELT GKG 2.1 TSV), events (GDELT Event 2.0 TSV of occurred events).",
        ),
    ] = None,
    no_raw: Annotated[bool, typer.Option("--no-raw", help="Leave the raw input out of the JSON.")] = False,
    header: Annotated[
        bool,
        typer.Option("--header", help="gkg/events: a first line of column names (GDELT files have none)."),
    ] = False,
    published_from_filename: PublishedFromFilenameOption = None,
    max_bytes: MaxBytesOption = MAX_DOCUMENT_BYTES,
    max_seconds: MaxSecondsOption = MAX_DOCUMENT_SECONDS,
    max_line_bytes: MaxLineBytesOption = MAX_LINE_BYTES,
    max_file_bytes: MaxFileBytesOption = MAX_FILE_BYTES,
    ner: NerOption = "fast",
) -> None:
    """Clean and analyse Hindi news articles and print the result.

    Example: khabar analyze examples/000_3ad8789db8de2740.txt --published 2026-01-06 --format text
    """
    import glob
    import itertools

    from khabar.analysis.ner_vectors import check_user_mode
    from khabar.ingest.filedates import filename_dater
    from khabar.ingest.readers import JSONL_SUFFIXES, DocError, iter_documents
    from khabar.pipeline import analyze_doc

    pub = parse_date(published)
    dated = filename_dater(published_from_filename)
    limits = make_limits(max_bytes, max_seconds, max_line_bytes, max_file_bytes)
    ner = check_user_mode(ner)
    # One path that names one document (a file, a missing file, or stdin holding one document) gives
    # one JSON object and fails as a whole; anything else streams JSON lines with error records.
    documents = iter_documents(paths, limits)
    single = (
        len(paths) == 1
        and not Path(paths[0]).is_dir()
        and not (paths[0] != "-" and glob.has_magic(paths[0]) and not Path(paths[0]).exists())
        and not paths[0].lower().endswith(JSONL_SUFFIXES)
    )
    if single and paths[0] == "-":
        head = list(itertools.islice(documents, 2))
        single = len(head) == 1 and not head[0].source.startswith("<stdin>:")
        documents = itertools.chain(head, documents)
    out_format = fmt or (AnalyzeFormat.json if single else AnalyzeFormat.jsonl)
    if out_format == AnalyzeFormat.json and not single:
        out_format = AnalyzeFormat.jsonl
    failures = 0
    total = 0
    header_done = not header
    event_id = 1
    rows = 0
    for doc in documents:
        total += 1
        if isinstance(doc, DocError):
            if single:
                raise InputError(doc.message)
            failures += 1
            typer.echo(f"khabar: error: {doc.message}", err=True)
            if out_format == AnalyzeFormat.jsonl:
                _write_json({"source": doc.source, "error": doc.message}, indent=None)
            continue
        try:
            article = analyze_doc(dated(doc), pub, limits=limits, ner=ner)
        except Exception as exc:
            # In a batch one bad article (or a bug a step hits on it) must not stop the others.
            if single or os.environ.get("KHABAR_DEBUG"):
                raise
            message = (
                str(exc)
                if isinstance(exc, InputError)
                else f"{doc.source}: internal error: {type(exc).__name__}: {exc}"
            )
            message = " ".join(message.split())
            failures += 1
            typer.echo(f"khabar: error: {message}", err=True)
            if out_format == AnalyzeFormat.jsonl:
                _write_json({"source": doc.source, "error": message}, indent=None)
            continue
        for warning in article.warnings:
            typer.echo(f"khabar: warning: {doc.source}: {warning}", err=True)
        if out_format == AnalyzeFormat.text:
            from khabar.report import print_report

            print_report(article)
        elif out_format == AnalyzeFormat.gkg:
            from khabar.export.gkg import gkg_header, gkg_row

            if not header_done:
                sys.stdout.write(gkg_header() + "\n")
                header_done = True
            sys.stdout.write(gkg_row(article, seq=rows) + "\n")
            rows += 1
        elif out_format == AnalyzeFormat.events:
            from khabar.export.events import event_rows, events_header

            if not header_done:
                sys.stdout.write(events_header() + "\n")
                header_done = True
            for row in event_rows(article, first_id=event_id):
                sys.stdout.write("\t".join(row) + "\n")
                event_id += 1
        else:
            from khabar.schema.models import ArticleDoc, dump

            data = dump(ArticleDoc, article.to_dict())
            if no_raw:
                data.pop("raw", None)
            _write_json(data, indent=2 if out_format == AnalyzeFormat.json else None)
    if failures:
        typer.echo(f"khabar: {failures} of {total} inputs failed", err=True)
        raise SystemExit(1)


def _write_json(data: object, indent: int | None) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=indent) + "\n")


def eval_sentences(
    conllu: Annotated[
        Path | None,
        typer.Argument(
            help="A CoNLL-U file with '# text' lines; default ../shared/data/ud-hindi-pud/hi_pud-ud-test.conllu."
        ),
    ] = None,
) -> None:
    """Sentence boundary F1 and token F1 of khabar against UD Hindi, beside indic-nlp-library; prints JSON.

    Example: khabar eval sentences
    """
    from khabar.eval.text import evaluate_sentences

    _write_json(evaluate_sentences(conllu), indent=2)


def register(app: typer.Typer, train_app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add the analysis commands."""
    app.command("analyze")(analyze)
    eval_app.command("sentences")(eval_sentences)
