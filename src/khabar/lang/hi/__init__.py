"""Hindi language data: tables and models shipped as files beside this module.

Loaders read a table once per process; the returned objects are read-only.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

from khabar.errors import ModelError


def data_path(name: str) -> Path:
    """The path of a data file in this folder."""
    path = Path(str(resources.files(__package__))) / name
    if not path.exists():
        raise ModelError(f"khabar data file missing: lang/hi/{name} (reinstall khabar)")
    return path


@cache
def read_table(name: str) -> tuple[tuple[str, ...], ...]:
    """Rows of a TSV table, skipping blank lines and `#` comments; cells are stripped."""
    rows: list[tuple[str, ...]] = []
    for line in data_path(name).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        rows.append(tuple(cell.strip() for cell in line.split("\t")))
    return tuple(rows)


@cache
def read_list(name: str) -> frozenset[str]:
    """The first column of a table as a set."""
    return frozenset(row[0] for row in read_table(name) if row and row[0])
