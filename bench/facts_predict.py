"""Analyse the facts gold set with another khabar source tree (e.g. an older commit) and write its
predictions as JSON Lines for `khabar eval facts --predictions`.

    git worktree add /tmp/khabar-before <commit>
    python bench/facts_predict.py --src /tmp/khabar-before/src --out before.jsonl --participants-as-actors
    khabar eval facts --part tune --predictions before.jsonl

`--participants-as-actors` fills actor1/actor2 from the first two participants for versions that had
only an unordered participant list (a generous reading of them).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RUNNER = """
import json, sys
from datetime import date
from khabar.pipeline import analyze
for line in sys.stdin:
    g = json.loads(line)
    pub = date.fromisoformat(g["published"][:10]) if g.get("published") else None
    art = analyze(g["text"], published=pub, source=g["id"], title=g.get("title"), html=False)
    art.id = g["id"]
    sys.stdout.write(json.dumps(art.to_dict(), ensure_ascii=False) + "\\n")
"""


def _actor(article: dict[str, object], entity: str | None) -> dict[str, object] | None:
    if entity is None:
        return None
    for ent in article.get("entities") or []:  # type: ignore[union-attr]
        if isinstance(ent, dict) and ent.get("id") == entity:
            return {
                "entity": entity,
                "text": ent.get("name", ""),
                "name_en": ent.get("name_en", ""),
                "code": None,
            }
    return {"entity": entity, "text": entity, "name_en": entity, "code": None}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--src", type=Path, required=True, help="the src/ folder of the khabar to run")
    ap.add_argument(
        "--gold", type=Path, default=ROOT / "bench" / "data" / "gold" / "facts" / "articles.jsonl"
    )
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--participants-as-actors", action="store_true")
    args = ap.parse_args()
    env = dict(os.environ, PYTHONPATH=str(args.src.resolve()))
    done = subprocess.run(
        [sys.executable, "-c", RUNNER],
        input=args.gold.read_text(encoding="utf-8"),
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    with args.out.open("w", encoding="utf-8") as out:
        for line in done.stdout.splitlines():
            data = json.loads(line)
            for ev in data.get("events") or []:
                if args.participants_as_actors and "actor1" not in ev:
                    parts = ev.get("participants") or []
                    ev["actor1"] = _actor(data, parts[0] if parts else None)
                    ev["actor2"] = _actor(data, parts[1] if len(parts) > 1 else None)
            out.write(json.dumps(data, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
