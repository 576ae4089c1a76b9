"""Kill `khabar ingest` with SIGKILL again and again, rerun it each time, and compare every table with a
clean ingest of the same input (issue 16: no batch lost or doubled by a crash).

The input is a folder of distinct generated stories (`tests/corpus_support.py`). Each round starts the
real command, waits until a few more documents are stored, kills it, and starts the next; when a run
finishes by itself the tables (row counts of every table, and the stored article ids and texts) are
compared with one uninterrupted ingest.

    python bench/bench_kills.py --docs 300 --kills 20      # prints JSON
"""

from __future__ import annotations

import argparse
import hashlib
import json
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from corpus_support import write_stories  # noqa: E402

KHABAR = [sys.executable, "-c", "from khabar.cli import main; main()"]
TABLES = ("articles", "documents", "mentions", "blocks", "entities", "article_entities", "events", "errors")


def _stored(db: Path) -> int:
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=0.1)
        try:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        finally:
            conn.close()
    except sqlite3.Error:
        return 0


def fingerprint(db: Path) -> dict[str, Any]:
    """Row counts of every table and a hash of the stored (id, text) pairs."""
    conn = sqlite3.connect(db)
    try:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
        digest = hashlib.sha256()
        for aid, text in conn.execute("SELECT id, text FROM articles ORDER BY id"):
            digest.update(f"{aid}\x00{text}\x01".encode())
        return {"counts": counts, "articles_sha256": digest.hexdigest()[:16]}
    finally:
        conn.close()


def main(argv: list[str] | None = None) -> dict[str, Any]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=300)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--step", type=int, default=10, help="documents stored between two kills")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        write_stories(folder, args.docs)
        clean, killed = Path(tmp) / "clean.db", Path(tmp) / "killed.db"
        subprocess.run(
            [*KHABAR, "ingest", str(folder), "--db", str(clean), "-q", "--workers", "1"], check=True
        )
        kills = 0
        while True:
            before = _stored(killed)
            proc = subprocess.Popen(
                [*KHABAR, "ingest", str(folder), "--db", str(killed), "-q", "--workers", "1"],
                stderr=subprocess.DEVNULL,
            )
            while proc.poll() is None and kills < args.kills:
                time.sleep(0.02)
                if _stored(killed) >= before + args.step:
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    kills += 1
                    break
            if proc.wait() == 0:
                break
        result = {
            "docs": args.docs,
            "kills": kills,
            "clean": fingerprint(clean),
            "killed_and_rerun": fingerprint(killed),
        }
        result["identical"] = result["clean"] == result["killed_and_rerun"]
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
