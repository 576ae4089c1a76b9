"""Defects 4, 5, 6, 8 and the ingest parts of 9: no record, file, name or path stops or corrupts a batch."""

from __future__ import annotations

import gzip
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from corpus_support import story, write_stories
from khabar.ingest.runner import ingest_paths
from reliability_support import KHABAR, khabar


def _counts(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        return {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("articles", "documents", "errors")
        }
    finally:
        conn.close()


def _gz_records(path: Path, start: int, count: int) -> bytes:
    lines = "".join(
        json.dumps({"id": f"r{i}", "text": story(i)}, ensure_ascii=False) + "\n"
        for i in range(start, start + count)
    )
    data = gzip.compress(lines.encode("utf-8"))
    path.write_bytes(data)
    return data


# -- 4: a truncated .jsonl.gz ----------------------------------------------------------------------


def test_a_truncated_gzip_is_an_error_record_and_the_rest_is_stored(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "kb.db"
    write_stories(folder, 2)
    data = _gz_records(folder / "good.jsonl.gz", 100, 3)
    _gz_records(folder / "cut.jsonl.gz", 200, 40)
    (folder / "cut.jsonl.gz").write_bytes((folder / "cut.jsonl.gz").read_bytes()[: len(data) // 2])
    done = khabar("ingest", str(folder), "--db", str(db), "--workers", "1", "--quiet")
    assert done.returncode == 0, done.stderr
    counts = _counts(db)
    assert counts["articles"] >= 5 and counts["errors"] == 1
    conn = sqlite3.connect(db)
    [(source, message)] = conn.execute("SELECT source, message FROM errors").fetchall()
    conn.close()
    assert source.endswith("cut.jsonl.gz") and "truncated or corrupt gzip" in message


def test_a_gzip_file_is_decompressed_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    import khabar
    from khabar.cli import app

    _gz_records(tmp_path / "feed.jsonl.gz", 0, 3)
    opened: list[object] = []
    real = gzip.GzipFile

    class Counting(real):  # type: ignore[misc, valid-type]
        def __init__(self, *args: object, **kwargs: object) -> None:
            opened.append(args)
            super().__init__(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(gzip, "GzipFile", Counting)
    result = CliRunner().invoke(
        app,
        ["ingest", str(tmp_path / "feed.jsonl.gz"), "--db", str(tmp_path / "kb.db"), "--workers", "1", "-q"],
    )
    assert result.exit_code == 0, result.output
    # The package's own gzipped tables (romaniser models) are opened by path; the input once.
    package = Path(khabar.__file__).parent
    inputs = [a for a in opened if not (a and isinstance(a[0], Path) and package in a[0].parents)]
    assert len(inputs) == 1


# -- 8: gzip bombs and endless lines ---------------------------------------------------------------

RSS_PROBE = (
    "import resource, sys\n"
    "from khabar.cli import main\n"
    "try:\n    main()\n"
    "finally:\n    print('peak-rss-kib', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)\n"
)


def _write_gz(path: Path, *pieces: tuple[bytes, int]) -> None:
    """A gzip file of each piece repeated n times, written in chunks (never held whole)."""
    with gzip.open(path, "wb", compresslevel=6) as out:
        for piece, times in pieces:
            for _ in range(times):
                out.write(piece)


def _ingest_with_peak_rss(folder: Path, db: Path) -> tuple[int, str, float]:
    done = subprocess.run(
        [sys.executable, "-c", RSS_PROBE, "ingest", str(folder), "--db", str(db), "--workers", "1", "-q"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    peak_mib = int(done.stderr.rsplit("peak-rss-kib", 1)[1].split()[0]) / 1024
    return done.returncode, done.stderr, peak_mib


# The oversized inputs below are 160 MiB and 256 MiB once decompressed; reading either whole would
# raise the peak by at least that much over an ordinary ingest (models included), so the bound is
# the peak of a normal ingest of a similar folder plus a margin well under the input's size.
MARGIN_MIB = 100


@pytest.fixture(scope="module")
def baseline_peak_mib(tmp_path_factory: pytest.TempPathFactory) -> float:
    """Peak RSS of an ingest of ordinary files (one plain, one gzipped), the same process shape."""
    root = tmp_path_factory.mktemp("rss-baseline")
    folder = root / "in"
    write_stories(folder, 1)
    line = json.dumps({"id": "normal", "text": story(5)}, ensure_ascii=False).encode() + b"\n"
    _write_gz(folder / "normal.jsonl.gz", (line, 1))
    code, stderr, peak_mib = _ingest_with_peak_rss(folder, root / "kb.db")
    assert code == 0, stderr[-500:]
    return peak_mib


def test_an_endless_line_is_skipped_in_bounded_memory(tmp_path: Path, baseline_peak_mib: float) -> None:
    folder, db = tmp_path / "in", tmp_path / "kb.db"
    write_stories(folder, 1)
    good = json.dumps({"id": "after", "text": story(5)}, ensure_ascii=False).encode() + b"\n"
    noise = os.urandom(1024 * 1024).hex().encode()  # incompressible, so this is no gzip bomb
    fill = b"a" * (1024 * 1024)
    _write_gz(
        folder / "long.jsonl.gz",
        (b'{"id": "long", "text": "', 1),
        (noise, 1),
        (fill, 160),
        (b'"}\n' + good, 1),
    )
    code, stderr, peak_mib = _ingest_with_peak_rss(folder, db)
    assert code == 0, stderr[-500:]
    assert "--max-line-bytes" in stderr, stderr[-500:]
    assert peak_mib < baseline_peak_mib + MARGIN_MIB, (
        f"peak RSS {peak_mib:.0f} MiB vs {baseline_peak_mib:.0f}"
    )
    conn = sqlite3.connect(db)
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    conn.close()
    assert "after" in ids and len(ids) == 2


def test_a_gzip_bomb_stops_at_its_ratio_and_the_batch_goes_on(
    tmp_path: Path, baseline_peak_mib: float
) -> None:
    folder, db = tmp_path / "in", tmp_path / "kb.db"
    write_stories(folder, 1)
    first = json.dumps({"id": "first", "text": story(6)}, ensure_ascii=False).encode() + b"\n"
    _write_gz(folder / "bomb.jsonl.gz", (first, 1), (b"\n" * (1024 * 1024), 256))  # 256 MiB of newlines
    assert (folder / "bomb.jsonl.gz").stat().st_size < 3_000_000
    code, stderr, peak_mib = _ingest_with_peak_rss(folder, db)
    assert code == 0, stderr[-500:]
    assert "gzip bomb" in stderr, stderr[-500:]
    assert peak_mib < baseline_peak_mib + MARGIN_MIB, (
        f"peak RSS {peak_mib:.0f} MiB vs {baseline_peak_mib:.0f}"
    )
    conn = sqlite3.connect(db)
    ids = {r[0] for r in conn.execute("SELECT id FROM articles")}
    conn.close()
    assert "first" in ids and len(ids) == 2


def test_decompressed_size_is_bounded_and_earlier_records_are_kept(tmp_path: Path) -> None:
    _gz_records(tmp_path / "feed.jsonl.gz", 0, 30)
    db = tmp_path / "kb.db"
    done = khabar(
        "ingest",
        str(tmp_path / "feed.jsonl.gz"),
        "--db",
        str(db),
        "--max-file-bytes",
        "20000",
        "-q",
        "--workers",
        "1",
    )
    assert done.returncode == 0, done.stderr
    counts = _counts(db)
    assert 0 < counts["articles"] < 30 and counts["errors"] == 1
    assert "--max-file-bytes" in done.stderr


# -- 5: a repeated id with another text ------------------------------------------------------------


def test_a_repeated_id_with_other_content_is_an_error_not_a_silent_copy(tmp_path: Path) -> None:
    feed, db = tmp_path / "feed.jsonl", tmp_path / "kb.db"
    rows = [
        {"id": "x", "text": story(1)},
        {"id": "x", "text": story(2)},
        {"id": "x", "text": story(1), "url": "u"},
    ]
    feed.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    summary = ingest_paths([str(feed)], db, workers=1)
    assert (summary.added, summary.copies, len(summary.errors)) == (1, 1, 1)
    source, message = summary.errors[0]
    assert source.endswith("feed.jsonl:2") and "already used by a different article" in message


# -- 6: a file name that is not UTF-8 --------------------------------------------------------------


@pytest.mark.skipif(sys.platform != "linux", reason="needs a file system that takes any bytes in names")
def test_a_non_utf8_file_name_does_not_abort_ingest(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "kb.db"
    write_stories(folder, 2)
    odd = os.path.join(os.fsencode(folder), b"caf\xe9_news.txt")
    with open(odd, "wb") as handle:
        handle.write(story(7).encode("utf-8"))
    done = khabar("ingest", str(folder), "--db", str(db), "--workers", "1", "-q")
    assert done.returncode == 0, done.stderr
    conn = sqlite3.connect(db)
    sources = sorted(r[0] for r in conn.execute("SELECT source FROM documents"))
    conn.close()
    assert len(sources) == 3 and any(s.endswith("caf\\xe9_news.txt") for s in sources)


# -- 9: one file by two paths, a stop between clusters and names -----------------------------------


def test_the_same_folder_by_relative_and_absolute_path_is_one_set_of_documents(tmp_path: Path) -> None:
    folder, db = tmp_path / "in", tmp_path / "kb.db"
    write_stories(folder, 3)
    (tmp_path / "link").symlink_to(folder)
    first = khabar("ingest", "in", "--db", str(db), "--workers", "1", "-q", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    before = _counts(db)
    for path in (str(folder), str(tmp_path / "link")):
        again = khabar("ingest", path, "--db", str(db), "--workers", "1", "-q")
        assert "0 added, 0 copies" in again.stderr, again.stderr
    assert _counts(db) == before == {"articles": 3, "documents": 3, "errors": 0}
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM clusters").fetchone()[0] == 0
    conn.close()


def test_a_run_stopped_before_the_name_refresh_is_repaired_by_the_next(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from khabar.store import db as store_db

    write_stories(tmp_path / "in", 3)
    path = tmp_path / "kb.db"
    real = store_db.refresh_entity_names

    def crash(conn: sqlite3.Connection) -> None:
        raise KeyboardInterrupt  # the process dies between the cluster update and the names

    monkeypatch.setattr(store_db, "refresh_entity_names", crash)
    with pytest.raises(KeyboardInterrupt):
        ingest_paths([str(tmp_path / "in")], path, workers=1)
    calls: list[int] = []

    def spy(conn: sqlite3.Connection) -> None:
        calls.append(1)
        real(conn)

    monkeypatch.setattr(store_db, "refresh_entity_names", spy)
    summary = ingest_paths([str(tmp_path / "in")], path, workers=1)
    assert summary.added == 0 and calls == [1]  # nothing new, yet the names are refreshed
    ingest_paths([str(tmp_path / "in")], path, workers=1)
    assert calls == [1]  # and only once


def test_kill_and_rerun_keeps_working_with_limits(tmp_path: Path) -> None:
    """The kill-and-rerun test lives in tests/test_ingest_runner.py; here the rerun after a kill
    within the new code path (canonical names) is checked on a small batch."""
    import signal
    import time

    write_stories(tmp_path / "in", 60)
    db = tmp_path / "kb.db"
    proc = subprocess.Popen(
        [*KHABAR, "ingest", "in", "--db", str(db), "--workers", "1", "-q"],
        cwd=tmp_path,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
        try:
            conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
            stored = conn.execute("SELECT count(*) FROM documents").fetchone()[0]
            conn.close()
        except sqlite3.OperationalError:
            continue
        if stored >= 5:
            proc.send_signal(signal.SIGKILL)
            break
    proc.wait(30)
    summary = ingest_paths([str(tmp_path / "in")], db, workers=2)
    assert summary.added + summary.skipped == 60 and not summary.errors
    assert _counts(db) == {"articles": 60, "documents": 60, "errors": 0}
