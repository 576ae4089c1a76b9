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


def leaf_commands() -> list[tuple[tuple[str, ...], Any]]:
    return [(path, cmd) for path, cmd in COMMANDS if path and not getattr(cmd, "commands", None)]


def readme_lines() -> dict[tuple[str, ...], str]:
    """The README's command list: `khabar <command> ...` lines of the first sh block under Commands."""
    from pathlib import Path

    text = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    block = text.split("## Commands", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    known = {path for path, _ in leaf_commands()}
    found: dict[tuple[str, ...], str] = {}
    for line in block.strip().splitlines():
        words = line.split()
        assert words[0] == "khabar", line
        path = tuple(words[1:3]) if tuple(words[1:3]) in known else (words[1],)
        found[path] = line
    return found


def test_readme_lists_every_command_and_option_as_help_does() -> None:
    import re

    listed = readme_lines()
    for path, command in leaf_commands():
        name = " ".join(("khabar", *path))
        assert path in listed, f"README's command list lacks `{name}`"
        documented = set(re.findall(r"(?<![\w-])(--[a-z][a-z-]*)", listed[path]))
        options = {
            opt
            for param in command.params
            if param.param_type_name == "option" and not getattr(param, "hidden", False)
            for opt in [*param.opts, *(getattr(param, "secondary_opts", None) or [])]
            if opt.startswith("--") and opt != "--help"
        }
        assert documented == options, f"{name}: README {sorted(documented)} vs --help {sorted(options)}"
    extra = set(listed) - {path for path, _ in leaf_commands()}
    assert not extra, f"README lists commands that do not exist: {extra}"
