"""Shared fixtures."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from khabar.config import shared_data_dir

SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip the test with the reason."""
    path = shared_data_dir()
    if not path.is_dir():
        pytest.skip(f"needs the shared data folder {path} (set KHABAR_DATA)")
    return path


@pytest.fixture
def seed_text() -> str:
    """The user's example article (bundled in examples/)."""
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def built_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base built by `khabar ingest` from examples/ and 20 synthetic articles, shared by
    the tests that only read it (the web app, the schema walk, datasette, the exports)."""
    import serve_support

    db = tmp_path_factory.mktemp("kb") / "kb.db"
    path: Path = serve_support.build_kb(db, 20, SEED.parent)
    return path


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[Any]:
    """One local Ray (2 CPUs, no dashboard, no usage reporting) for the whole test session."""
    os.environ["RAY_USAGE_STATS_ENABLED"] = "0"
    ray = pytest.importorskip("ray", reason="the Ray engine's tests need the ray extra (make install-dev)")
    ray.init(num_cpus=2, include_dashboard=False, logging_level="WARNING", log_to_driver=False)
    yield ray
    ray.shutdown()
