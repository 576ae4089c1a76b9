"""Hindi language data: tables and models shipped as files beside this module.

Loaders read a table once per process; the returned objects are read-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from importlib import resources
from pathlib import Path

from khabar.errors import ModelError

# Folders searched before this one (innermost first): cross-validation builds each fold's generated
# tables and model in a folder of its own and reads them through `overlay`.
_OVERLAYS: list[Path] = []


@contextmanager
def overlay(folder: Path) -> Iterator[None]:
    """Read data files from `folder` first while the block runs (loader caches are cleared on entry
    and exit, so nothing read from the overlay outlives it)."""
    _OVERLAYS.insert(0, folder)
    clear_loader_caches()
    try:
        yield
    finally:
        _OVERLAYS.remove(folder)
        clear_loader_caches()


def clear_loader_caches() -> None:
    """Forget every table read so far (the NER modules' derived caches included)."""
    import sys

    read_table.cache_clear()
    read_list.cache_clear()
    for module in (
        "khabar.analysis.ner_features",
        "khabar.analysis.ner",
        "khabar.analysis.ner_orgs",
        "khabar.analysis.ner_vectors",
    ):
        loaded = sys.modules.get(module)
        for name in dir(loaded) if loaded is not None else ():
            func = getattr(loaded, name)
            if callable(func) and hasattr(func, "cache_clear"):
                func.cache_clear()


def data_path(name: str) -> Path:
    """The path of a data file in this folder (or in an active overlay folder that has it)."""
    for folder in _OVERLAYS:
        if (folder / name).exists():
            return folder / name
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
