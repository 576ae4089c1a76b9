"""Readers: encodings, binary rejection, HTML via trafilatura, JSONL, directories and stdin."""

from __future__ import annotations

import gzip
import io
import json
import sys
from pathlib import Path

import pytest

from khabar.errors import InputError
from khabar.ingest.readers import DocError, RawDoc, decode_bytes, iter_documents, looks_like_html
from khabar.pipeline import FOUNDATION_STEPS, analyze_doc

TEXT = "पटना में बारिश\n\nपटना में सोमवार को भारी बारिश हुई। नगर निगम ने पंप लगाए।\n"

HTML = """<!doctype html>
<html lang="hi"><head><meta charset="utf-8">
<title>पटना में भारी बारिश से जलभराव</title>
<meta property="article:published_time" content="2026-01-05T10:30:00+05:30">
</head><body>
<nav><a href="/">होम</a> <a href="/desh">देश</a></nav>
<article>
<h1>पटना में भारी बारिश से जलभराव</h1>
<p>पटना में सोमवार को हुई भारी बारिश से कई इलाकों में जलभराव हो गया। नगर निगम ने पंप लगाकर पानी निकालने
का काम शुरू किया। मौसम विभाग ने अगले दो दिन और बारिश की चेतावनी दी है।</p>
<p>ये भी पढ़ें: दिल्ली में ठंड ने तोड़ा 10 साल का रिकॉर्ड</p>
<h2>स्कूल बंद रहेंगे</h2>
<p>जिलाधिकारी ने बताया कि मंगलवार को सभी सरकारी और निजी स्कूल बंद रहेंगे। लोगों से घरों में रहने की अपील की
गई है।</p>
</article>
<footer><p>© 2026 खबर मीडिया</p></footer>
</body></html>
"""


def docs(paths: list[str]) -> list[RawDoc | DocError]:
    return list(iter_documents(paths))


@pytest.mark.parametrize(
    "data",
    [
        b"\xef\xbb\xbf" + TEXT.encode("utf-8"),
        b"\xff\xfe" + TEXT.encode("utf-16-le"),
        b"\xfe\xff" + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-32"),
    ],
    ids=["utf8-bom", "utf16le-bom", "utf16be-bom", "utf16le-no-bom", "utf32-bom"],
)
def test_bom_and_utf16_decode_to_the_same_text(data: bytes) -> None:
    assert decode_bytes(data) == TEXT


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16-le", "utf-16-be"])
def test_bom_input_gives_the_same_clean_text_as_utf8(tmp_path: Path, encoding: str) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_bytes(TEXT.encode("utf-8"))
    other = tmp_path / "other.txt"
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(encoding, b"")
    other.write_bytes(bom + TEXT.encode(encoding))
    [a], [b] = docs([str(plain)]), docs([str(other)])
    assert isinstance(a, RawDoc) and isinstance(b, RawDoc)
    assert analyze_doc(a, steps=FOUNDATION_STEPS).text == analyze_doc(b, steps=FOUNDATION_STEPS).text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty input"),
        (b"  \n\t\n", "empty input"),
        (b"\xef\xbb\xbf", "empty input"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00", "binary file"),
        (bytes(range(256)) * 4, "binary file"),
        ("पटना".encode() + b"\xff\xfe\xfa abc", "not UTF-8"),
        ("बारिश हुई".encode("cp1252", errors="replace") + b"\x9d\x81", "not UTF-8"),
    ],
    ids=["empty", "blank", "bom-only", "png", "bytes", "bad-utf8", "cp1252"],
)
def test_bad_bytes_are_rejected_with_a_message(data: bytes, message: str) -> None:
    with pytest.raises(InputError, match=message):
        decode_bytes(data, "x.txt")


def test_html_file_gives_title_date_headings_and_boilerplate(tmp_path: Path) -> None:
    path = tmp_path / "story.html"
    path.write_text(HTML, encoding="utf-8")
    [doc] = docs([str(path)])
    assert isinstance(doc, RawDoc) and doc.html is not None
    article = analyze_doc(doc, steps=FOUNDATION_STEPS)
    assert article.title == "पटना में भारी बारिश से जलभराव"
    assert article.published is not None and article.published.isoformat() == "2026-01-05"
    by_text = {b.text: b for b in article.blocks}
    assert by_text["स्कूल बंद रहेंगे"].kind == "heading"
    assert by_text["ये भी पढ़ें: दिल्ली में ठंड ने तोड़ा 10 साल का रिकॉर्ड"].kind == "boilerplate"
    assert "होम" not in article.text
    assert "ये भी पढ़ें" not in article.text
    assert article.raw == HTML


def test_published_option_overrides_the_html_date(tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "story.htm"
    path.write_text(HTML, encoding="utf-8")
    [doc] = docs([str(path)])
    assert isinstance(doc, RawDoc)
    assert analyze_doc(doc, date(2026, 1, 6), steps=FOUNDATION_STEPS).published == date(2026, 1, 6)


def test_html_is_detected_without_a_suffix() -> None:
    assert looks_like_html(HTML)
    assert looks_like_html("<p>पटना में बारिश</p><p>दूसरा</p>")
    assert not looks_like_html("पटना में <b>बारिश</b> हुई")


def test_jsonl_records_with_text_html_and_fields(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    lines = [
        {"id": "a1", "url": "https://x.in/1", "title": "बारिश", "published": "2026-01-05", "text": TEXT},
        {"id": "a2", "html": HTML},
        {"id": "a3", "text": ""},
        {"id": "a4", "text": TEXT, "published": "5 जनवरी"},
    ]
    path.write_text(
        "\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n\nnot json\n", encoding="utf-8"
    )
    out = docs([str(path)])
    assert isinstance(out[0], RawDoc)
    assert (out[0].id, out[0].url, out[0].title, str(out[0].published)) == (
        "a1",
        "https://x.in/1",
        "बारिश",
        "2026-01-05",
    )
    assert out[0].text == TEXT and out[0].html is None
    assert isinstance(out[1], RawDoc) and out[1].html == HTML
    assert isinstance(out[2], DocError) and "no non-empty 'text' or 'html'" in out[2].message
    assert isinstance(out[3], DocError) and "YYYY-MM-DD" in out[3].message
    assert isinstance(out[4], DocError) and out[4].source.endswith(":6") and "invalid JSON" in out[4].message


def test_gzipped_jsonl_is_read(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl.gz"
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": TEXT}, ensure_ascii=False) + "\n")
    [doc] = docs([str(path)])
    assert isinstance(doc, RawDoc) and doc.text == TEXT


def test_empty_jsonl_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "feed.jsonl"
    path.write_text("\n", encoding="utf-8")
    [doc] = docs([str(path)])
    assert isinstance(doc, DocError) and "empty" in doc.message


def test_directory_is_walked_sorted_with_known_suffixes(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    (tmp_path / "b.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "a.html").write_text(HTML, encoding="utf-8")
    (tmp_path / "notes.md").write_text("skip", encoding="utf-8")
    sources = [d.source for d in docs([str(tmp_path)])]
    assert sources == [str(tmp_path / "b.txt"), str(tmp_path / "sub" / "a.html")]


def test_missing_path_and_empty_directory_are_error_records(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    out = docs([str(tmp_path / "nope.txt"), str(tmp_path / "empty"), str(tmp_path / "*.xyz")])
    assert [type(d) for d in out] == [DocError, DocError, DocError]
    assert "no such file" in out[0].message


def test_stdin_text_and_stdin_jsonl(monkeypatch: pytest.MonkeyPatch) -> None:
    class FakeStdin:
        def __init__(self, data: bytes) -> None:
            self.buffer = io.BytesIO(data)

    monkeypatch.setattr(sys, "stdin", FakeStdin(TEXT.encode("utf-16")))
    [doc] = docs(["-"])
    assert isinstance(doc, RawDoc) and doc.text == TEXT and doc.source == "<stdin>"
    feed = "\n".join(json.dumps({"id": str(i), "text": TEXT}, ensure_ascii=False) for i in range(3))
    monkeypatch.setattr(sys, "stdin", FakeStdin(feed.encode()))
    out = docs(["-"])
    assert [d.id for d in out if isinstance(d, RawDoc)] == ["0", "1", "2"]


def test_html_without_main_text_is_an_input_error() -> None:
    from khabar.ingest.html import extract_html

    with pytest.raises(InputError, match="no main text"):
        extract_html("<html><body><nav><a href='/'>होम</a></nav></body></html>", "empty.html")
