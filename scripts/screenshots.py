"""Take the README screenshots: the user's example article page and an entity page, and both in the
English view on a 375 px phone screen.

Builds a knowledge base from examples/ plus synthetic articles (or uses --db), starts `khabar serve`
on loopback, and drives Debian's chromium (playwright-python) to write docs/img/article.png,
docs/img/entity.png, docs/img/article-en-375.png and docs/img/entity-en-375.png.

Example: .venv/bin/python scripts/screenshots.py --n 300
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
import serve_support

ROOT = Path(__file__).resolve().parents[1]
SEED_NAME = "000_3ad8789db8de2740"
CHROMIUM = "/usr/bin/chromium"
VIEWPORT = {"width": 1280, "height": 1000}
PHONE = {"width": 375, "height": 760}


def find_seed(base: str) -> dict[str, Any]:
    """The stored example article (JSON)."""
    results = httpx.get(f"{base}/api/search", params={"q": "विटकॉफ", "limit": 50}).json()["items"]
    for row in results:
        if SEED_NAME in (row.get("source") or ""):
            article: dict[str, Any] = httpx.get(f"{base}/api/articles/{row['id']}").json()
            return article
    raise SystemExit(f"the example article {SEED_NAME} is not in the knowledge base")


def pick_entity(base: str, article: dict[str, Any]) -> str | None:
    """The KB id of the example's most-mentioned person, else the corpus's top person."""
    people = [e for e in article.get("entities", []) if e.get("type") == "PERSON"]
    people.sort(key=lambda e: -len(e.get("mentions") or []))
    links = article.get("kb_entities") or {}
    for ent in people:
        if links.get(ent["id"]):
            return str(links[ent["id"]])
    top = httpx.get(f"{base}/api/entities", params={"type": "PERSON", "limit": 1}).json()["items"]
    return str(top[0]["id"]) if top else None


def take_screenshots(base: str, out: Path) -> list[Path]:
    """Write article.png and entity.png into `out`; returns the files written."""
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    article = find_seed(base)
    entity = pick_entity(base, article)
    written = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=serve_support.CHROMIUM_ARGS)
        page = browser.new_page(viewport=VIEWPORT, device_scale_factor=1)
        page.goto(f"{base}/articles/{article['id']}")
        page.wait_for_selector("#doc")
        page.screenshot(path=str(out / "article.png"))
        written.append(out / "article.png")
        if entity is None:
            print(
                "no person entity in the knowledge base (is NER installed?); skipped entity.png",
                file=sys.stderr,
            )
        else:
            page.goto(f"{base}/entities/{entity}")
            page.wait_for_selector("h1.entity-name")
            page.screenshot(path=str(out / "entity.png"))
            written.append(out / "entity.png")
        phone = browser.new_page(viewport=PHONE, device_scale_factor=1)
        phone.goto(f"{base}/")
        phone.evaluate("localStorage.setItem('khabar-view', 'en')")
        phone.goto(f"{base}/articles/{article['id']}")
        phone.wait_for_selector("#doc")
        phone.locator("#entities").scroll_into_view_if_needed()
        phone.screenshot(path=str(out / "article-en-375.png"))
        written.append(out / "article-en-375.png")
        if entity is not None:
            phone.goto(f"{base}/entities/{entity}")
            phone.locator("#network").scroll_into_view_if_needed()
            phone.screenshot(path=str(out / "entity-en-375.png"))
            written.append(out / "entity-en-375.png")
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="knowledge base to show (default: build one)")
    parser.add_argument("--n", type=int, default=300, help="synthetic articles when building")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    support = serve_support
    with tempfile.TemporaryDirectory(prefix="khabar-shots-") as tmp:
        os.chdir(ROOT)  # sources are stored as given: show examples/... rather than an absolute path
        db = args.db or support.build_kb(Path(tmp) / "shots.db", args.n, Path("examples"))
        proc, base = support.start_server(db)
        try:
            for path in take_screenshots(base, args.out):
                print(path)
        finally:
            support.stop_server(proc)


if __name__ == "__main__":
    main()
