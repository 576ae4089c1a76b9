"""Turn paths into raw documents, one at a time (streaming), with an error record per bad input."""

from __future__ import annotations

import glob
import gzip
import json
import os
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from khabar.errors import InputError

TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".ndjson")
ALL_SUFFIXES = TEXT_SUFFIXES + HTML_SUFFIXES + JSONL_SUFFIXES
# Share of control bytes (other than tab, newline, CR, form feed) above which a file is binary.
BINARY_CONTROL_RATIO = 0.01


@dataclass(frozen=True, slots=True)
class RawDoc:
    """One input document before analysis. Exactly one of `text` and `html` is set."""

    source: str
    text: str | None = None
    html: str | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None
    published: date | None = None


@dataclass(frozen=True, slots=True)
class DocError:
    """A document that could not be read; `message` is one line."""

    source: str
    message: str


def decode_bytes(data: bytes, source: str = "input") -> str:
    """Decode UTF-8 (with or without BOM) or UTF-16/32 with BOM; reject empty, binary, undecodable."""
    if not data.strip():
        raise InputError(f"{source}: empty input")
    for bom, codec in (
        (b"\xef\xbb\xbf", "utf-8-sig"),
        (b"\xff\xfe\x00\x00", "utf-32"),
        (b"\x00\x00\xfe\xff", "utf-32"),
        (b"\xff\xfe", "utf-16"),
        (b"\xfe\xff", "utf-16"),
    ):
        if data.startswith(bom):
            try:
                text = data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(
                    f"{source}: not valid {codec.upper()} text ({exc.reason} at byte {exc.start})"
                ) from None
            break
    else:
        if b"\x00" in data[:4096]:
            unmarked = _utf16_without_bom(data)
            if unmarked is None:
                raise InputError(f"{source}: binary file, not text")
            data = data.decode(unmarked).encode("utf-8")
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                f"{source}: not UTF-8 text (invalid byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                "save it as UTF-8 or UTF-16 with a BOM"
            ) from None
    sample = text[:8192]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\t\n\r\f")
    if sample and controls / len(sample) > BINARY_CONTROL_RATIO:
        raise InputError(f"{source}: binary file, not text")
    if not text.strip():
        raise InputError(f"{source}: empty input")
    return text


def _utf16_without_bom(data: bytes) -> str | None:
    """`utf-16-le` or `utf-16-be` when the data reads as UTF-16 text without a byte order mark.

    In such text every NUL byte is the high byte of an ASCII character, so all NULs fall on odd
    offsets (little-endian) or all on even ones (big-endian); in binary data they fall on both.
    """
    sample = data[:4096]
    if len(data) % 2:
        return None
    odd = sum(1 for i in range(1, len(sample), 2) if sample[i] == 0)
    even = sum(1 for i in range(0, len(sample), 2) if sample[i] == 0)
    codec = "utf-16-le" if odd and not even else "utf-16-be" if even and not odd else None
    if codec is None:
        return None
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\t\n\r\f")
    return codec if controls / max(1, len(text[:4096])) <= BINARY_CONTROL_RATIO else None


_HTML_TAG = re.compile(r"<(?:p|div|article|section|main|h[1-6]|body|head|title|meta)\b", re.IGNORECASE)


def looks_like_html(text: str) -> bool:
    """Whether a text is an HTML document (or a fragment starting with a block tag) rather than plain text."""
    head = text.lstrip()[:512].lower()
    if head.startswith(("<!doctype html", "<html", "<?xml")) or ("<body" in head and "</" in text):
        return True
    return head.startswith("<") and bool(_HTML_TAG.match(head)) and "</" in text


def iter_paths(paths: Iterable[str]) -> Iterator[str | DocError]:
    """Expand files, directories (recursive, known suffixes, sorted) and globs; `-` is stdin."""
    for given in paths:
        if given == "-":
            yield given
            continue
        path = Path(given)
        if path.is_dir():
            found = sorted(
                str(p) for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(ALL_SUFFIXES)
            )
            if not found:
                yield DocError(given, f"{given}: directory has no .txt, .html or .jsonl files")
            yield from found
        elif path.exists():
            yield given
        elif glob.has_magic(given):
            matches = sorted(p for p in glob.glob(given, recursive=True) if os.path.isfile(p))
            if not matches:
                yield DocError(given, f"{given}: no files match this pattern")
            yield from matches
        else:
            yield DocError(given, f"{given}: no such file or directory")


def iter_documents(paths: Iterable[str]) -> Iterator[RawDoc | DocError]:
    """Read every document under `paths`, streaming; bad inputs become `DocError` records."""
    for item in iter_paths(paths):
        if isinstance(item, DocError):
            yield item
            continue
        try:
            yield from read_path(item)
        except InputError as exc:
            yield DocError(item, str(exc))
        except OSError as exc:
            yield DocError(item, f"{item}: cannot read ({exc.strerror or exc})")


def read_path(path: str) -> Iterator[RawDoc | DocError]:
    """Documents of one file (several for JSONL); `-` reads standard input."""
    name = path.lower()
    if name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path)
        return
    if path == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        data = Path(path).read_bytes()
        source = path
    text = decode_bytes(data, source)
    if path == "-" and looks_like_jsonl(text):
        yield from _jsonl_records(text.encode("utf-8").splitlines(keepends=True), source)
        return
    if name.endswith(HTML_SUFFIXES) or looks_like_html(text):
        yield RawDoc(source=source, html=text)
    else:
        yield RawDoc(source=source, text=text)


def looks_like_jsonl(text: str) -> bool:
    """Whether a text is JSON Lines: its first non-blank line is a JSON object."""
    for line in text.lstrip("\ufeff").splitlines():
        if line.strip():
            stripped = line.strip()
            if not (stripped.startswith("{") and stripped.endswith("}")):
                return False
            try:
                return isinstance(json.loads(stripped), dict)
            except json.JSONDecodeError:
                return False
    return False


def read_jsonl(path: str) -> Iterator[RawDoc | DocError]:
    """One document per line: `text` or `html`, optional `id`, `url`, `title`, `published`."""
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        with opener(path, "rb") as handle:
            yield from _jsonl_records(handle, path)
    except (EOFError, gzip.BadGzipFile) as exc:
        yield DocError(path, f"{path}: truncated or corrupt gzip file ({exc})")


def _jsonl_records(lines: Iterable[bytes], path: str) -> Iterator[RawDoc | DocError]:
    records = 0
    for lineno, line in enumerate(lines, 1):
        source = f"{path}:{lineno}"
        if lineno == 1 and line.startswith(b"\xef\xbb\xbf"):
            line = line[3:]
        if not line.strip():
            continue
        records += 1
        try:
            record = json.loads(line)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            yield DocError(source, f"{source}: invalid JSON ({exc})")
            continue
        try:
            yield doc_from_record(record, source)
        except InputError as exc:
            yield DocError(source, str(exc))
    if not records:
        yield DocError(path, f"{path}: empty input (no JSON lines)")


def doc_from_record(record: object, source: str) -> RawDoc:
    """A `RawDoc` from one JSON object, validating its fields."""
    if not isinstance(record, dict):
        raise InputError(f"{source}: a JSON object is expected on each line")
    text, html = record.get("text"), record.get("html")
    if not (isinstance(text, str) and text.strip()) and not (isinstance(html, str) and html.strip()):
        raise InputError(f"{source}: record has no non-empty 'text' or 'html'")
    published = record.get("published")
    pub_date: date | None = None
    if published:
        try:
            pub_date = date.fromisoformat(str(published)[:10])
        except ValueError:
            raise InputError(f"{source}: 'published' must be YYYY-MM-DD, got {published!r}") from None

    def opt(key: str) -> str | None:
        value = record.get(key)
        return None if value is None else str(value)

    return RawDoc(
        source=opt("source") or source,
        text=text if isinstance(text, str) and text.strip() else None,
        html=None if isinstance(text, str) and text.strip() else html,
        id=opt("id"),
        url=opt("url"),
        title=opt("title"),
        published=pub_date,
    )
