"""Fuzzing the reader and the whole analysis with hypothesis: any bytes in a file of any kind give
documents or error records (never an exception), and every analysed span stays inside the clean text.

CI runs KHABAR_FUZZ_EXAMPLES examples per test (default 150); set it higher for a longer hunt, e.g.
`KHABAR_FUZZ_EXAMPLES=5000 pytest tests/reliability/test_fuzz.py`.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from khabar.article import Article
from khabar.errors import KhabarError
from khabar.ingest.readers import DocError, iter_documents
from khabar.limits import Limits
from khabar.pipeline import analyze_doc

EXAMPLES = int(os.environ.get("KHABAR_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=os.environ.get("KHABAR_FUZZ_RANDOM") is None,  # CI: the same examples every run
)
LIMITS = Limits(max_bytes=200_000, max_seconds=20.0)

WORDS = [
    "पटना",
    "में",
    "प्रधानमंत्री",
    "नरेंद्र",
    "मोदी",
    "ने",
    "कहा",
    "कि",
    "“",
    "”",
    "।",
    "?",
    "5",
    "२५",
    "हजार",
    "सोमवार",
    "7 जनवरी",
    "बैठक",
    "हुई",
    "<p>",
    "</p>",
    "<div>",
    "<h2>",
    "&amp;",
    "\u200d",
    "\u093c",
    "\ud800",
    "\x00",
    "\r\n",
    "\n\n",
    " ",
    "vkt dh",
    "ये भी पढ़ें:",
    "http://x.y",
    "{",
    "}",
    '"',
    "\\",
]
texts = st.lists(st.sampled_from(WORDS) | st.text(max_size=8), max_size=60).map(" ".join)


def _check(article: Article) -> None:
    n = len(article.text)
    json.dumps(article.to_dict(), ensure_ascii=False).encode("utf-8")  # encodable, always
    last = -1
    for s in article.sentences:
        assert 0 <= s.start <= s.end <= n and s.start >= last
        last = s.end
        assert all(s.start <= a <= b <= s.end for a, b in s.tokens)
    for layer in (article.mentions, article.dates, article.quantities, article.quotes):
        for item in layer:
            assert 0 <= item.start <= item.end <= n
            assert article.text[item.start : item.end] == item.text
    for ev in article.events:
        assert all(0 <= sp.start <= sp.end <= n for sp in ev.mentions)
    ids = {e.id for e in article.entities}
    assert all(m.entity is None or m.entity in ids for m in article.mentions)


def _read_and_analyze(name: str, data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        for doc in iter_documents([str(path)], LIMITS):
            if isinstance(doc, DocError):
                assert doc.message and "\n" not in doc.message
                continue
            try:
                article = analyze_doc(doc, limits=LIMITS)
            except KhabarError as exc:
                assert str(exc)
                continue
            _check(article)


@FUZZ
@given(texts, st.sampled_from(["a.txt", "a.html"]), st.sampled_from(["utf-8", "utf-16", "utf-8-sig"]))
def test_any_text_file_reads_and_analyses_cleanly(text: str, name: str, codec: str) -> None:
    _read_and_analyze(name, text.encode(codec, "surrogatepass"))


@FUZZ
@given(
    st.lists(
        st.one_of(
            texts.map(lambda t: {"text": t}),
            st.dictionaries(
                st.sampled_from(["id", "text", "html", "published", "title"]),
                texts | st.integers() | st.none(),
            ),
        ),
        max_size=5,
    )
)
def test_any_jsonl_file_reads_and_analyses_cleanly(records: list[dict[str, object]]) -> None:
    data = "\n".join(json.dumps(r) for r in records).encode("ascii")
    _read_and_analyze("feed.jsonl", data)


@FUZZ
@given(st.binary(max_size=400), st.sampled_from(["a.txt", "a.html", "a.jsonl", "a.jsonl.gz"]))
def test_any_bytes_give_documents_or_error_records(data: bytes, name: str) -> None:
    _read_and_analyze(name, data)
