"""GKG 2.1 and Event 2.0 exports of a real knowledge base pass the codebooks' field rules
(`gdelt_codebook`), and the rules catch the deviations GDELT tools would misread."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from gdelt_codebook import event_problems, gkg_problems
from khabar.article import Article, Entity, Mention
from khabar.export.events import export_events
from khabar.export.gkg import export_gkg, gkg_header, gkg_row, outlet_name
from khabar.geo import COUNTRY, US_CITY, US_STATE, WORLD_CITY, WORLD_STATE, locate
from khabar.store.kb import KnowledgeBase


@pytest.fixture(scope="module")
def gkg_lines(built_kb: Path, tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    out = tmp_path_factory.mktemp("gdelt") / "kb.gkg"
    with KnowledgeBase(built_kb, readonly=True) as kb:
        export_gkg(kb, out)
    return out.read_text(encoding="utf-8").splitlines()


def test_every_gkg_record_follows_the_codebook(gkg_lines: list[str]) -> None:
    assert len(gkg_lines) > 5 and not gkg_lines[0].startswith("GKGRECORDID")
    problems = [(i, p) for i, line in enumerate(gkg_lines) for p in gkg_problems(line)]
    assert problems == []
    ids = [line.split("\t", 1)[0] for line in gkg_lines]
    assert len(set(ids)) == len(ids)
    located = [line.split("\t")[9] for line in gkg_lines if line.split("\t")[9]]
    assert len(located) >= len(gkg_lines) // 2  # most articles name a place GDELT can code


def test_every_event_row_follows_the_codebook(built_kb: Path, tmp_path: Path) -> None:
    out = tmp_path / "kb.events"
    with KnowledgeBase(built_kb, readonly=True) as kb:
        n = export_events(kb, out, ("occurred", "planned", "demanded", "speculative", "negated"))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert n == len(lines) > 5
    assert [(i, p) for i, line in enumerate(lines) for p in event_problems(line)] == []
    coded = [line.split("\t")[51:59] for line in lines if line.split("\t")[51] != "0"]
    assert coded and all(geo[2] and geo[5] and geo[6] for geo in coded)


def test_places_get_gdelt_types_codes_and_coordinates() -> None:
    uk = locate("United Kingdom")
    assert uk is not None and (uk.type, uk.country_fips) == (COUNTRY, "UK")
    for name, fips in (("Australia", "AS"), ("China", "CH"), ("South Africa", "SF"), ("Serbia", "RI")):
        place = locate(name)
        assert place is not None and place.country_fips == fips, name
    for name, fips in (("Spain", "SP"), ("Bangladesh", "BG"), ("Russia", "RS")):
        place = locate(name)
        assert place is not None and place.country_fips == fips, name
    delhi = locate("Delhi")
    assert delhi is not None and (delhi.type, delhi.adm1) == (WORLD_CITY, "IN07")
    up = locate("Uttar Pradesh", "Q1498")
    assert up is not None and (up.type, up.adm1) == (WORLD_STATE, "IN36")
    paris = locate("Paris")
    assert paris is not None and (paris.type, paris.country_fips, paris.adm1[:2]) == (WORLD_CITY, "FR", "FR")
    assert 48 < float(paris.lat) < 49 and 2 < float(paris.lon) < 3
    california = locate("California")
    assert california is not None and california.type == US_STATE
    washington = locate("Washington")
    assert washington is not None and washington.type == US_CITY
    assert locate("Washington, D.C.") == washington
    assert locate("Europe") is None and locate("Asia") is None


def article_with(places: list[tuple[str, str]], url: str | None = None) -> Article:
    text = " ".join(hindi for hindi, _ in places) + " में लोगों ने कहा कि “हम साथ हैं”."
    ents, pos = [], 0
    for i, (hindi, english) in enumerate(places):
        m = Mention(pos, pos + len(hindi), hindi, "LOCATION", entity=f"e{i}")
        ents.append(Entity(f"e{i}", "LOCATION", hindi, english, "gazetteer", None, (), (m,)))
        pos += len(hindi) + 1
    return Article(
        text=text, id="x1", source="corpus/2026/a.txt", url=url, published=date(2026, 1, 6), entities=ents
    )


def test_the_rules_catch_what_gdelt_tools_misread() -> None:
    article = article_with(
        [("ब्रिटेन", "United Kingdom"), ("पेरिस", "Paris")], url="https://www.bhaskar.com/a/1"
    )
    good = gkg_row(article)
    assert gkg_problems(good) == []
    cells = good.split("\t")
    assert cells[3] == "bhaskar.com" and cells[9].startswith("1#United Kingdom#UK#UK#")
    assert ";4#Paris, Ile-de-France, France#FR#FR11#48.8534#2.3488#2988507" in cells[9]
    iso = good.replace("#UK#UK#", "#GB#GB#")  # ISO GB is Gabon in FIPS 10-4
    assert any("coded 'GB'" in p for p in gkg_problems(iso))
    assert any(
        "not YYYYMMDDHHMMSS-N" in p for p in gkg_problems(good.replace("20260106000000-0", "undated-x1"))
    )
    assert any("fields" in p for p in gkg_problems(gkg_header()))
    assert any("type" in p for p in gkg_problems(good.replace("1#United Kingdom", "4#United Kingdom")))
    five = good.split("\t")
    five[22] = five[22] + "|Speaker"
    assert any("not Offset|Length|Verb|Quote" in p for p in gkg_problems("\t".join(five)))
    tone = good.split("\t")
    tone[15] = "1.5"
    assert any("V1.5TONE" in p for p in gkg_problems("\t".join(tone)))
    path = gkg_row(replace(article, url=None, meta={"outlet": "corpus/2026/a.txt"}))
    assert any("is a path" in p for p in gkg_problems(path))


def test_outlet_is_a_domain_never_a_path() -> None:
    assert outlet_name(article_with([], url="https://www.amarujala.com/news/x?y=1")) == "amarujala.com"
    assert outlet_name(article_with([])) == ""
