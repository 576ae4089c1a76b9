"""Fixtures of the reliability suite (helpers are in reliability_support.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reliability_support import build_story_kb


@pytest.fixture(scope="session")
def story_kb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base of short stories, shared by the tests of a session (opened read-only by them)."""
    return build_story_kb(tmp_path_factory.mktemp("kb") / "stories.db")
