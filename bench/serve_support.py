"""Support for the web-server tests, screenshots and load benchmark: a synthetic corpus, a server.

`write_corpus(path, n)` writes `n` short articles as JSON Lines (`text`, `title`, `published`,
`source`), built from sentence templates filled with public figures, places and organisations, so the
knowledge base has people across many articles, co-mentions, dates, numbers, quotes, a few copies of
one story (duplicate clusters) and one article whose text contains `<script>` (escaping checks).
Deterministic for a given seed.

`start_server(db)` runs `khabar serve` on a free loopback port and waits until it answers.

Example: python bench/serve_support.py /tmp/corpus.jsonl --n 300
"""

from __future__ import annotations

import argparse
import json
import random
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date, timedelta
from pathlib import Path

# Flags for Debian's chromium in this sandbox: headless, no sandbox (root), and no background
# connections (the closed network refuses them). Shared by the e2e tests and scripts/screenshots.py.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

PEOPLE: tuple[tuple[str, str], ...] = (
    ("प्रधानमंत्री", "नरेंद्र मोदी"),
    ("कांग्रेस नेता", "राहुल गांधी"),
    ("गृह मंत्री", "अमित शाह"),
    ("मुख्यमंत्री", "योगी आदित्यनाथ"),
    ("मुख्यमंत्री", "ममता बनर्जी"),
    ("वित्त मंत्री", "निर्मला सीतारमण"),
    ("विदेश मंत्री", "एस जयशंकर"),
    ("मुख्यमंत्री", "नीतीश कुमार"),
    ("अमेरिकी राष्ट्रपति", "डोनाल्ड ट्रंप"),
    ("रूसी राष्ट्रपति", "व्लादिमीर पुतिन"),
    ("यूक्रेन के राष्ट्रपति", "वोलोदिमिर जेलेंस्की"),
    ("फ्रांस के राष्ट्रपति", "इमेनुएल मैक्रों"),
    ("रक्षा मंत्री", "राजनाथ सिंह"),
    ("कृषि मंत्री", "शिवराज सिंह चौहान"),
)
PLACES: tuple[str, ...] = (
    "दिल्ली",
    "मुंबई",
    "लखनऊ",
    "पटना",
    "कोलकाता",
    "जयपुर",
    "भोपाल",
    "वाराणसी",
    "पेरिस",
    "मॉस्को",
    "वॉशिंगटन",
    "कीव",
)
ORGS: tuple[str, ...] = (
    "भारतीय जनता पार्टी",
    "कांग्रेस",
    "संयुक्त राष्ट्र",
    "भारतीय रिज़र्व बैंक",
    "चुनाव आयोग",
    "नाटो",
    "विश्व स्वास्थ्य संगठन",
    "सुप्रीम कोर्ट",
)
TOPICS: tuple[str, ...] = (
    "किसानों की आय",
    "महंगाई",
    "सीमा सुरक्षा",
    "रोजगार",
    "युद्ध विराम",
    "बिजली की कीमतें",
    "स्वास्थ्य सेवाओं",
    "रेल परियोजनाओं",
    "जलवायु परिवर्तन",
    "शिक्षा नीति",
)
WEEKDAYS: tuple[str, ...] = ("सोमवार", "मंगलवार", "बुधवार", "गुरुवार", "शुक्रवार", "शनिवार", "रविवार")
LEADS: tuple[str, ...] = (
    "{role} {person} ने {day} को {place} में {org} के प्रतिनिधियों से मुलाकात की.",
    "{place} में {day} को हुई बैठक में {role} {person} ने {topic} पर चर्चा की.",
    "{role} {person} {day} को {place} पहुंचे, जहां उन्होंने {topic} पर एक अहम घोषणा की.",
)
BODY: tuple[str, ...] = (
    "{person} ने कहा कि {topic} पर सरकार जल्द फैसला लेगी.",
    "इस दौरान {other_role} {other} भी मौजूद रहे.",
    "बैठक में {n} से ज्यादा अधिकारियों ने हिस्सा लिया.",
    "{org} ने इस कदम का स्वागत किया और कहा कि इससे {topic} में सुधार होगा.",
    "{other} ने {person} की बात का समर्थन किया.",
    "सूत्रों के मुताबिक {place} में करीब {n} करोड़ रुपये की परियोजनाओं को मंजूरी दी गई.",
    "विपक्ष ने {topic} को लेकर {person} पर निशाना साधा.",
    "{n} जनवरी को {place} में अगली बैठक होगी.",
    "{org} के एक प्रवक्ता ने बताया कि {n} लोगों को हिरासत में लिया गया है.",
)
TITLES: tuple[str, ...] = (
    "{person} ने {place} में {topic} पर की बात",
    "{topic} पर {person} का बड़ा बयान",
    "{place}: {org} और {person} की अहम बैठक",
)
SCRIPT_TITLE = "सुरक्षा जांच <script>alert('khabar')</script> लेख"
SCRIPT_TEXT = (
    "{role} {person} ने {place} में कहा कि <script>alert('khabar')</script> जैसा कोड किसी पन्ने पर "
    "नहीं चलना चाहिए. उन्होंने कहा कि <b>साइबर सुरक्षा</b> पर {org} नई नीति लाएगा."
)
# Every this-many-th article is printed again by a second paper with one extra line (a near copy).
COPY_EVERY = 25
FIRST_DAY = date(2025, 12, 1)
DAYS = 60
# Generous bound for ingesting a test corpus (300 articles take a few seconds on 2 cores).
INGEST_TIMEOUT_S = 600
SERVER_START_TIMEOUT_S = 30.0


def make_article(rng: random.Random, index: int) -> dict[str, str]:
    """One synthetic article: a lead, four to seven body sentences, a title and a date."""
    (role, person), (other_role, other) = rng.sample(PEOPLE, 2)
    slots = {
        "role": role,
        "person": person,
        "other_role": other_role,
        "other": other,
        "place": rng.choice(PLACES),
        "org": rng.choice(ORGS),
        "topic": rng.choice(TOPICS),
        "day": rng.choice(WEEKDAYS),
    }
    sentences = [rng.choice(LEADS).format(**slots)]
    for template in rng.sample(BODY, rng.randint(4, 7)):
        sentences.append(template.format(**slots, n=rng.randint(2, 95)))
    paragraphs = [" ".join(sentences[:3]), " ".join(sentences[3:])]
    published = FIRST_DAY + timedelta(days=rng.randrange(DAYS))
    return {
        "source": f"synthetic/{index:05d}.txt",
        "title": rng.choice(TITLES).format(**slots),
        "published": published.isoformat(),
        "text": "\n".join(paragraphs),
    }


def iter_corpus(n: int, seed: int = 7) -> list[dict[str, str]]:
    """`n` records: synthetic articles, near copies of some, and one article holding `<script>`."""
    rng = random.Random(seed)
    records: list[dict[str, str]] = []
    index = 0
    while len(records) < n - 1:
        art = make_article(rng, index)
        records.append(art)
        index += 1
        if index % COPY_EVERY == 0 and len(records) < n - 1:
            copy = dict(art)
            copy["source"] = f"synthetic/{index:05d}-copy.txt"
            copy["text"] = art["text"] + "\nताजा खबरों के लिए हमारे साथ बने रहें."
            records.append(copy)
            index += 1
    role, person = PEOPLE[0]
    records.append(
        {
            "source": "synthetic/script.txt",
            "title": SCRIPT_TITLE,
            "published": FIRST_DAY.isoformat(),
            "text": SCRIPT_TEXT.format(role=role, person=person, place=PLACES[0], org=ORGS[0]),
        }
    )
    return records


def write_corpus(path: Path, n: int, seed: int = 7) -> Path:
    """Write `n` records as JSON Lines to `path` and return it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for record in iter_corpus(n, seed):
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def build_kb(db: Path, n: int, *extra: Path, seed: int = 7, published: str = "2026-01-06") -> Path:
    """A new knowledge base `db`: the `extra` paths (e.g. examples/, dated `published`) and `n` synthetic
    articles (each with its own date)."""
    corpus = write_corpus(db.with_suffix(".corpus.jsonl"), n, seed)
    khabar = str(Path(sys.executable).with_name("khabar"))
    runs = [[str(corpus)]]
    if extra:
        # Separate run: --published applies to every input of a run, the corpus carries its own dates.
        runs.insert(0, [*map(str, extra), "--published", published])
    for args in runs:
        command = [khabar, "ingest", *args, "--db", str(db), "-q"]
        done = subprocess.run(command, capture_output=True, timeout=INGEST_TIMEOUT_S, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stderr.decode(errors='replace').strip()}")
    return db


def free_port() -> int:
    """A free TCP port on loopback."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(db: Path, port: int | None = None) -> tuple[subprocess.Popen[bytes], str]:
    """Run `khabar serve` over `db` on loopback; return the process and base URL once it answers.

    The server's stderr goes to `<db>.serve.log` (a pipe nobody reads would fill up and stall it).
    """
    port = port or free_port()
    khabar = Path(sys.executable).with_name("khabar")
    log_path = db.with_name(db.name + ".serve.log")
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(khabar), "serve", "--db", str(db), "--port", str(port)],
            stdout=subprocess.DEVNULL,
            stderr=log,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            err = log_path.read_text(encoding="utf-8", errors="replace").strip()
            raise RuntimeError(f"khabar serve exited with {proc.returncode}: {err}")
        try:
            with urllib.request.urlopen(f"{base}/api/health", timeout=1) as answer:
                if answer.status == 200:
                    return proc, base
        except OSError:
            time.sleep(0.2)
    stop_server(proc)
    raise RuntimeError(f"khabar serve did not answer within {SERVER_START_TIMEOUT_S:g} s")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop a server started by `start_server`."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--n", type=int, default=300)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_corpus(args.out, args.n, args.seed)
    print(args.out)


if __name__ == "__main__":
    main()
