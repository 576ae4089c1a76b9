"""Every command of the `khabar` CLI, including ones added later, has help text."""

from __future__ import annotations

from typing import Any

import pytest
import typer.main
from typer.testing import CliRunner

from khabar.cli import app

# Typer ships its own copy of click, so commands are walked by duck typing: a group has `.commands`.


def walk(command: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    found = [(path, command)]
    for name, sub in sorted((getattr(command, "commands", None) or {}).items()):
        found.extend(walk(sub, (*path, name)))
    return found


COMMANDS = walk(typer.main.get_command(app))


def test_the_tree_has_analyze_and_eval_sentences() -> None:
    paths = {path for path, _ in COMMANDS}
    assert ("analyze",) in paths
    assert ("eval", "sentences") in paths


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) or "khabar" for p, _ in COMMANDS])
def test_every_command_has_help_text(path: tuple[str, ...], command: Any) -> None:
    name = " ".join(("khabar", *path))
    assert (command.help or "").strip(), f"{name} has no help text"
    for param in command.params:
        if param.param_type_name == "option" and not getattr(param, "hidden", False):
            assert (param.help or "").strip(), f"{name}: option {param.name} has no help text"
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.stdout
