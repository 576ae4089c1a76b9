"""The CLI's interfaces: one JSON envelope as the API, clear one-line errors that write nothing,
dates from file names, plural-aware wording, readable scores."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from khabar.ingest.filedates import compile_pattern, date_from_path
from khabar.report import plural, score_text

RUN_MAIN = "import sys; from khabar.cli import main; sys.argv[0] = 'khabar'; main()"
SEED = Path(__file__).resolve().parents[1] / "examples" / "000_3ad8789db8de2740.txt"


def khabar(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", RUN_MAIN, *args], capture_output=True, text=True, timeout=120, check=False
    )


def one_line_error(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode != 0
    assert proc.stderr.startswith("khabar: error: ") and proc.stderr.count("\n") == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "internal error" not in proc.stderr
    return proc.stderr


def test_ingest_of_a_missing_path_writes_no_database(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    message = one_line_error(khabar("ingest", str(tmp_path / "nonexistent"), "--db", str(db)))
    assert "no such file or directory" in message and not db.exists()
    message = one_line_error(khabar("ingest", str(tmp_path / "*.txt"), "--db", str(db)))
    assert "no files match" in message and not db.exists()


def test_export_to_an_existing_folder_names_the_problem(built_kb: Path, tmp_path: Path) -> None:
    for fmt in ("jsonl", "gkg", "events"):
        message = one_line_error(
            khabar("export", "--db", str(built_kb), "--format", fmt, "--out", str(tmp_path))
        )
        assert "is a folder" in message
    assert list(tmp_path.iterdir()) == []


def test_a_bad_date_names_the_option(built_kb: Path) -> None:
    message = one_line_error(khabar("events", "--db", str(built_kb), "--from", "kal"))
    assert "--from must be a date as YYYY-MM-DD, got 'kal'" in message and "date_from" not in message
    message = one_line_error(khabar("search", "युद्ध", "--db", str(built_kb), "--to", "2026-02-30"))
    assert "--to must be a date" in message


def test_an_unknown_entity_filter_fails_as_the_api_does(built_kb: Path) -> None:
    for args in (("events", "--entity", "कोई-नहीं"), ("search", "युद्ध", "--entity", "कोई-नहीं")):
        proc = khabar(*args, "--db", str(built_kb))
        assert proc.returncode == 2 and "no entity 'कोई-नहीं' in the knowledge base" in one_line_error(proc)


def test_wording_is_plural_aware() -> None:
    assert plural(1, "document") == "1 document" and plural(2, "document") == "2 documents"
    assert plural(1, "copy", "copies") == "1 copy" and plural(0, "copy", "copies") == "0 copies"
    assert score_text(1.88e-06) == "< 0.01" and score_text(3.14159) == "3.14"


def test_ingest_summary_of_one_document(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_bytes(SEED.read_bytes())
    proc = khabar("ingest", str(tmp_path / "in"), "--db", str(tmp_path / "kb.db"), "--workers", "1", "-q")
    assert proc.returncode == 0, proc.stderr
    assert (
        proc.stderr.startswith("1 document: 1 added, 0 copies of stored articles")
        and "1 documents" not in proc.stderr
    )


@pytest.mark.parametrize(
    ("pattern", "path", "day"),
    [
        ("YYYY-MM-DD", "in/2026-01-06_rally.txt", date(2026, 1, 6)),
        ("YYYY/MM/DD", "news/2025/12/31/a.txt", date(2025, 12, 31)),
        ("DD.MM.YYYY", "x/06.01.2026.html", date(2026, 1, 6)),
        ("YYYYMMDD", "feed_20260107.jsonl", date(2026, 1, 7)),
        ("YYYY-MM", "2026-03/story.txt", date(2026, 3, 1)),
        ("YYYY-MM-DD", "2026-13-40.txt", None),
    ],
)
def test_dates_come_from_file_names(pattern: str, path: str, day: date | None) -> None:
    assert date_from_path(compile_pattern(pattern), path) == day


def test_published_from_filename_dates_each_file(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "2026-01-06_seed.txt").write_bytes(SEED.read_bytes())
    db = tmp_path / "kb.db"
    args = ("ingest", str(folder), "--db", str(db), "--workers", "1", "-q")
    proc = khabar(*args, "--published-from-filename", "YYYY-MM-DD", "--published", "2020-01-01")
    assert proc.returncode == 0, proc.stderr
    import sqlite3

    assert sqlite3.connect(db).execute("SELECT published FROM articles").fetchall() == [("2026-01-06",)]
    message = one_line_error(khabar(*args, "--published-from-filename", "DD-MM"))
    assert "YYYY" in message
