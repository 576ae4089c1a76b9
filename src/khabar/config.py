"""Paths and defaults shipped with the package."""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def shared_data_dir() -> Path:
    """The training and evaluation data folder: $KHABAR_DATA, else ../shared/data beside the checkout."""
    env = os.environ.get("KHABAR_DATA")
    if env:
        return Path(env)
    return (REPO_ROOT / ".." / "shared" / "data").resolve()
