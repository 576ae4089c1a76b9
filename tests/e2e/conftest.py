"""Fixtures for the browser tests: a knowledge base, a running `khabar serve`, headless Chromium.

Chromium is Debian's `/usr/bin/chromium` (install: `bash scripts/install-browser.sh`), driven by
playwright-python; no browser is downloaded. Without it the tests fail with that instruction, unless
KHABAR_SKIP_BROWSER=1.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import serve_support

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("KHABAR_CHROMIUM", "/usr/bin/chromium"))
SCREENSHOTS = ROOT / "artifacts" / "screenshots"
# Synthetic articles ingested beside examples/ for the browser tests (enough for co-mentions and charts).
E2E_ARTICLES = 40


@pytest.fixture(scope="session")
def chromium_path() -> Path:
    """Debian's chromium; fails with the install command when missing (skips if KHABAR_SKIP_BROWSER=1)."""
    if os.environ.get("KHABAR_SKIP_BROWSER") == "1":
        pytest.skip("KHABAR_SKIP_BROWSER=1")
    if not CHROMIUM.is_file():
        pytest.fail(
            f"browser tests need Debian chromium at {CHROMIUM}: run `bash scripts/install-browser.sh` "
            "(or set KHABAR_SKIP_BROWSER=1 to skip them)",
            pytrace=False,
        )
    return CHROMIUM


@pytest.fixture(scope="session")
def e2e_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base ingested from examples/ plus synthetic articles."""
    corpus = serve_support
    db = tmp_path_factory.mktemp("kb") / "e2e.db"
    built: Path = corpus.build_kb(db, E2E_ARTICLES, ROOT / "examples")
    return built


@pytest.fixture(scope="session")
def server(e2e_db: Path) -> Iterator[str]:
    """Base URL of `khabar serve` over the test knowledge base."""
    support = serve_support
    proc, base = support.start_server(e2e_db)
    try:
        yield base
    finally:
        support.stop_server(proc)


@pytest.fixture(scope="session")
def browser(chromium_path: Path) -> Iterator[Any]:
    """Headless Chromium driven by playwright."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(chromium_path), args=serve_support.CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def record_console(msg: Any, problems: list[str]) -> None:
    """Keep console errors, except the browser's note on a 4xx answer that a test asked for."""
    if msg.type == "error" and "Failed to load resource" not in msg.text:
        problems.append(f"console: {msg.text}")


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    """A fresh page that fails the test on any JavaScript error or dialog (e.g. an injected alert)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="hi-IN")
    pg = context.new_page()
    problems: list[str] = []
    pg.on("pageerror", lambda exc: problems.append(f"page error: {exc}"))
    pg.on("dialog", lambda dialog: (problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
    pg.on("console", lambda msg: record_console(msg, problems))
    pg.problems = problems
    try:
        yield pg
    finally:
        context.close()
    assert not problems, problems


@pytest.fixture(scope="session")
def screenshots() -> Path:
    """Where the browser tests save their screenshots (a test artifact, gitignored)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS
