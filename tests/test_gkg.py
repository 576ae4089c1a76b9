"""GKG 2.1-like export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from facts_support import SEED_ENTITIES, make_article
from khabar.analysis.dates import extract_dates
from khabar.analysis.events import extract_events
from khabar.analysis.numbers import extract_quantities
from khabar.analysis.quotes import extract_quotes
from khabar.export.gkg import GKG_COLUMNS, clean_value, gkg_header, gkg_row

PLACES_EN = {"रूस": "Russia", "यूक्रेन": "Ukraine", "अमेरिका": "United States", "पेरिस": "Paris", "फ्रांस": "France"}


def seed_row(seed_text: str) -> dict[str, str]:
    article = make_article(seed_text, SEED_ENTITIES, date(2026, 1, 6))
    article.entities = [replace(e, name_en=PLACES_EN.get(e.name, e.name_en)) for e in article.entities]
    for step in (extract_dates, extract_quantities, extract_quotes, extract_events):
        step(article)
    cells = gkg_row(article).split("\t")
    assert len(cells) == len(GKG_COLUMNS) == 27
    return dict(zip(GKG_COLUMNS, cells, strict=True))


def test_header_has_the_27_gkg_columns() -> None:
    header = gkg_header().split("\t")
    assert header[0] == "GKGRECORDID" and header[-1] == "V2EXTRASXML" and len(header) == 27


def test_seed_row_fills_entities_counts_dates_quotes(seed_text: str) -> None:
    row = seed_row(seed_text)
    assert row["V2.1DATE"] == "20260106000000"
    assert "स्टीव विटकॉफ" in row["V1PERSONS"].split(";")
    assert "यूरोपीय कमीशन" in row["V1ORGANIZATIONS"]
    assert row["V1COUNTS"].startswith("COUNT#25#देश#")
    assert "4#1#6#2026#" in row["V2.1ENHANCEDDATES"]
    quotes = row["V2.1QUOTATIONS"].split("#")
    assert all(len(q.split("|")) == 4 for q in quotes) and any("शांति" in q for q in quotes)
    assert "|स्टीव विटकॉफ" in row["V2EXTRASXML"].split("<KHABAR_QUOTES>")[1]
    events = row["V2EXTRASXML"].split("<KHABAR_EVENTS>")[1].split("</KHABAR_EVENTS>")[0].split("#")
    assert any(e.startswith("040|") for e in events)
    assert row["V1.5TONE"] == ""  # khabar has no tone: empty, not Goldstein values


def test_values_never_break_the_row() -> None:
    assert clean_value("a\tb\nc;d#e,f|g") == "a b c d e f g"
    article = make_article("मोदी ने कहा कि “हम; जीतेंगे, #हर हाल में”.")
    extract_quotes(article)
    row = gkg_row(article)
    assert row.count("\t") == 26 and "\n" not in row


def test_cli_gkg_format_writes_one_row_per_article_and_a_header_on_request(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from khabar.cli import app

    for i, text in enumerate(["मोदी ने मंगलवार को कहा कि 25 से ज्यादा देश साथ हैं.", "दिल्ली में आज बारिश हुई."]):
        (tmp_path / f"{i}.txt").write_text(text, encoding="utf-8")
    args = ["analyze", str(tmp_path), "--format", "gkg", "--published", "2026-01-06"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip("\n").split("\n")
    assert len(lines) == 2 and all(line.count("\t") == 26 for line in lines)
    assert [line.split("\t")[0] for line in lines] == ["20260106000000-0", "20260106000000-1"]
    assert "4#1#6#2026#" in lines[0] + lines[1]
    with_header = CliRunner().invoke(app, [*args, "--header"]).stdout.split("\n")
    assert with_header[0] == gkg_header() and with_header[1:3] == lines


def test_location_and_count_blocks_have_gkg_field_counts(seed_text: str) -> None:
    row = seed_row(seed_text)
    assert row["V1LOCATIONS"] and row["V2ENHANCEDLOCATIONS"]
    assert all(len(b.split("#")) == 7 for b in row["V1LOCATIONS"].split(";"))
    assert all(len(b.split("#")) == 9 for b in row["V2ENHANCEDLOCATIONS"].split(";"))
    assert all(len(b.split("#")) == 10 for b in row["V1COUNTS"].split(";"))
    assert all(len(b.split("#")) == 11 for b in row["V2.1COUNTS"].split(";"))
