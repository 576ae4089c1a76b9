"""The `khabar` command: a thin shell over the library. Each command's docstring is its --help."""

from __future__ import annotations

import os
import sys

import typer

from khabar.errors import KhabarError

app = typer.Typer(
    name="khabar",
    help="Hindi news to clean text and a searchable knowledge base of who did what, with whom, where and when.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
train_app = typer.Typer(
    help="Build the models shipped in the package from ../shared/data.", no_args_is_help=True
)
eval_app = typer.Typer(help="Measure quality on gold data; prints JSON figures.", no_args_is_help=True)
app.add_typer(train_app, name="train")
app.add_typer(eval_app, name="eval")


def _register() -> None:
    from khabar.cli import (
        analyze_cmd,
        corpus_cmd,
        export_cmd,
        facts_cmd,
        names_cmd,
        ner_cmd,
        scale_cmd,
        search_cmd,
        serve_cmd,
    )

    for module in (
        analyze_cmd,
        ner_cmd,
        names_cmd,
        corpus_cmd,
        export_cmd,
        search_cmd,
        serve_cmd,
        facts_cmd,
        scale_cmd,
    ):
        module.register(app, train_app, eval_app)


_register()


def fail(message: str, code: int = 2) -> None:
    """Print a one-line error to stderr and exit non-zero."""
    first = message.strip().splitlines()[0] if message.strip() else "error"
    typer.echo(f"khabar: error: {first}", err=True)
    raise SystemExit(code)


def main() -> None:
    """Entry point: run the app and turn every failure into a one-line message and an exit code."""
    try:
        code = app(standalone_mode=False)
    except KhabarError as exc:
        fail(str(exc))
    except typer.Abort:
        fail("aborted", 130)
    except typer.TyperException as exc:  # click's usage and parameter errors (vendored by typer)
        if type(exc).__name__ == "NoArgsIsHelpError":
            raise SystemExit(2) from None
        ctx = getattr(exc, "ctx", None)
        where = ctx.command_path if ctx is not None else "khabar"
        message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
        fail(f"{message} (see '{where} --help')", int(getattr(exc, "exit_code", 2)))
    except KeyboardInterrupt:
        fail("interrupted", 130)
    except BrokenPipeError:
        sys.stderr.close()
        raise SystemExit(1) from None
    except SystemExit:
        raise
    except Exception as exc:
        if os.environ.get("KHABAR_DEBUG"):
            raise
        fail(f"internal error: {type(exc).__name__}: {exc} (set KHABAR_DEBUG=1 for a traceback)", 70)
    if isinstance(code, int) and code:
        raise SystemExit(code)
