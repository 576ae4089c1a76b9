"""End-to-end: `khabar serve` over an ingested knowledge base, used through headless Chromium."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SEED_NAME = "000_3ad8789db8de2740"
# The people of the user's example article the NER finds, one spelling each as written in it (जोश
# ग्रुएनबाम, named only after a title, is missed since the title rule lost on news: docs/ner.md).
SEED_PEOPLE = ("जेलेंस्की", "विटकॉफ", "कुशनर", "ग्रिंकेविच", "चार्ल्स कुश्नर", "मैक्रों")


def seed_id(server: str) -> str:
    """The id of the user's example article in the test knowledge base."""
    results = httpx.get(f"{server}/api/search", params={"q": "विटकॉफ"}).json()["items"]
    ids: list[str] = [r["id"] for r in results if SEED_NAME in (r.get("source") or "")]
    assert ids, results
    return ids[0]


def search_from_home(page: Any, server: str, query: str) -> None:
    """Type a query into the home page's search box and submit it."""
    page.goto(server + "/")
    page.fill("form.search.big input[name=q]", query)
    page.click("form.search.big button[type=submit]")
    page.wait_for_selector("#results")


def test_search_finds_example_and_opens_it(page: Any, server: str, screenshots: Path) -> None:
    search_from_home(page, server, "जेलेंस्की")
    results = page.locator("#results li.result")
    assert results.count() >= 1
    assert page.locator("#results mark").count() >= 1
    page.screenshot(path=str(screenshots / "01-search.png"), full_page=True)
    seed = results.filter(has_text=SEED_NAME)
    assert seed.count() == 1
    seed.locator("a.title").click()
    page.wait_for_selector("#doc")
    assert "/articles/" in page.url
    assert "वोलोदिमिर जेलेंस्की" in page.locator("#text").inner_text()
    assert page.locator("#doc .val-DATE").count() >= 1
    removed = page.locator("details#removed")
    assert removed.get_attribute("open") is None
    removed.locator("summary").click()
    assert "ये भी पढ़ें" in removed.inner_text()
    page.screenshot(path=str(screenshots / "02-article.png"), full_page=True)


def test_article_people_are_highlighted_and_link_to_entity_pages(
    page: Any, server: str, screenshots: Path
) -> None:
    page.goto(f"{server}/articles/{seed_id(server)}")
    people = page.locator("#text a.ent-PERSON")
    highlighted = set(people.all_inner_texts())
    missing = [name for name in SEED_PEOPLE if not any(name in text for text in highlighted)]
    assert not missing, f"not highlighted: {missing}; highlighted: {sorted(highlighted)}"
    assert page.locator("#legend").is_visible()
    name = people.first.inner_text()
    people.first.click()
    page.wait_for_selector("h1.entity-name")
    assert "/entities/" in page.url
    assert page.locator("#entity-articles tbody tr a").count() >= 1
    page.screenshot(path=str(screenshots / "03-entity.png"), full_page=True)
    assert name.strip()


def test_entity_page_has_chart_and_network_that_navigates(page: Any, server: str, screenshots: Path) -> None:
    page.goto(server + "/entities?type=PERSON")
    page.locator("#entity-table a.chip").first.click()
    page.wait_for_selector("h1.entity-name")
    assert page.locator("#timeline svg.chart rect.bar").count() >= 1
    nodes = page.locator("#network svg.network a.node")
    assert nodes.count() >= 1
    page.screenshot(path=str(screenshots / "04-entity-network.png"), full_page=True)
    before = page.url
    nodes.first.locator("circle").click()
    page.wait_for_selector("h1.entity-name")
    assert page.url != before


def test_script_in_article_is_shown_as_text(page: Any, server: str, screenshots: Path) -> None:
    search_from_home(page, server, "साइबर")
    page.locator("#results li.result a.title").first.click()
    page.wait_for_selector("#doc")
    assert "<script>alert('khabar')</script>" in page.locator("h1.article-title").inner_text()
    assert "<script>alert('khabar')</script>" in page.locator("#text").inner_text()
    assert "<b>साइबर सुरक्षा</b>" in page.locator("#text").inner_text()
    assert page.evaluate("document.querySelectorAll('main script, main b').length") == 0
    page.screenshot(path=str(screenshots / "05-script-escaped.png"), full_page=True)
    # the `page` fixture fails the test if an alert dialog opened


def test_bad_query_shows_message(page: Any, server: str) -> None:
    response = page.goto(server + '/search?q="जेलेंस्की')
    assert response.status == 400
    assert "quote" in page.locator("#error").inner_text()


def test_analyze_page_marks_pasted_text(page: Any, server: str, screenshots: Path, seed_text: str) -> None:
    page.goto(server + "/analyze")
    page.fill("textarea[name=text]", seed_text)
    page.fill("input[name=published]", "2026-01-06")
    page.click("form.analyze button[type=submit]")
    page.wait_for_selector("#doc", timeout=60_000)
    assert page.locator("#doc .val-DATE").count() >= 1
    assert page.locator("#doc .ent-PERSON").count() >= 1
    page.screenshot(path=str(screenshots / "06-analyze.png"), full_page=True)


def test_legend_switches_a_highlight_off(page: Any, server: str) -> None:
    page.goto(f"{server}/articles/{seed_id(server)}")
    box = page.locator("#legend input[data-type=DATE]")
    box.uncheck()
    assert "hide-DATE" in (page.locator("#doc").get_attribute("class") or "")
    box.check()
    assert "hide-DATE" not in (page.locator("#doc").get_attribute("class") or "")


def test_events_and_duplicates_pages_render(page: Any, server: str, screenshots: Path) -> None:
    page.goto(server + "/events")
    assert page.locator("h1").inner_text() == "Events timeline"
    page.screenshot(path=str(screenshots / "07-events.png"), full_page=True)
    page.goto(server + "/duplicates")
    assert page.locator("#clusters li[id^=cluster-]").count() >= 1
    page.screenshot(path=str(screenshots / "08-duplicates.png"), full_page=True)
