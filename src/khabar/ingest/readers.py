"""Turn paths into raw documents, one at a time (streaming), with an error record per bad input.

Nothing a file holds stops the stream: characters that UTF-8 cannot encode (lone surrogates, e.g. a
`"\\ud800"` escape in JSON) are replaced by U+FFFD and counted in the document's `warnings`; a file
name that is not UTF-8 is shown with `\\xNN` escapes; a truncated or corrupt gzip member, a line over
`Limits.max_line_bytes` or a file over `Limits.max_file_bytes` (decompressed) becomes an error record
while what was read before it is kept. Each file is read (and decompressed) once.
"""

from __future__ import annotations

import glob
import gzip
import io
import json
import os
import re
import sys
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import IO, cast

from khabar.errors import InputError
from khabar.limits import (
    GZIP_MAX_RATIO,
    GZIP_RATIO_AFTER,
    HTML_MARKUP_FACTOR,
    NO_LIMITS,
    LimitError,
    Limits,
)

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
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DocError:
    """A document that could not be read; `message` is one line."""

    source: str
    message: str


_UNENCODABLE = re.compile("[\ud800-\udfff]")


def replace_unencodable(text: str) -> tuple[str, int]:
    """The text with characters UTF-8 cannot encode (lone surrogates) replaced by U+FFFD, and how many
    were replaced; a surrogate pair left split in a `str` is joined into its character first."""
    if _UNENCODABLE.search(text) is None:
        return text, 0
    joined = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
    return _UNENCODABLE.subn("\ufffd", joined)


def unencodable_warning(count: int) -> str:
    """The warning recorded for a document in which `count` characters were replaced."""
    return f"unicode: replaced {count} unencodable character{'s' if count != 1 else ''} (lone surrogates) with U+FFFD"


def sanitize_doc(doc: RawDoc) -> RawDoc:
    """The document with every unencodable character of its fields replaced, counted in `warnings`
    (the same document when there is none)."""
    fields = {"source": doc.source, "text": doc.text, "html": doc.html, "id": doc.id, "url": doc.url}
    fields["title"] = doc.title
    changed: dict[str, str] = {}
    total = 0
    for name, value in fields.items():
        if value is not None:
            clean, count = replace_unencodable(value)
            if clean is not value:
                changed[name], total = clean, total + count
    if not changed:
        return doc
    warnings = (*doc.warnings, unencodable_warning(total)) if total else doc.warnings
    return replace(doc, **changed, warnings=warnings)  # type: ignore[arg-type]


def display_path(path: str) -> str:
    """A path as text that UTF-8 can store: bytes of a non-UTF-8 file name as `\\xNN` escapes."""
    if _UNENCODABLE.search(path) is None:
        return path
    try:
        return os.fsencode(path).decode("utf-8", "backslashreplace")
    except UnicodeError:
        return replace_unencodable(path)[0]


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


def iter_paths(paths: Iterable[str], *, canonical: bool = False) -> Iterator[str | DocError]:
    """Expand files, directories (recursive, known suffixes, sorted) and globs; `-` is stdin.

    With `canonical`, each file is given by its absolute path with symbolic links resolved, so the same
    file reached by two paths is one file.
    """

    def named(p: str) -> str:
        return os.path.realpath(p) if canonical else p

    for given in paths:
        if given == "-":
            yield given
            continue
        label = display_path(given)
        path = Path(given)
        if path.is_dir():
            found = sorted(
                str(p) for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(ALL_SUFFIXES)
            )
            if not found:
                yield DocError(label, f"{label}: directory has no .txt, .html or .jsonl files")
            yield from (named(p) for p in found)
        elif path.exists():
            yield named(given)
        elif glob.has_magic(given):
            matches = sorted(p for p in glob.glob(given, recursive=True) if os.path.isfile(p))
            if not matches:
                yield DocError(label, f"{label}: no files match this pattern")
            yield from (named(p) for p in matches)
        else:
            yield DocError(label, f"{label}: no such file or directory")


def iter_documents(
    paths: Iterable[str], limits: Limits | None = None, *, canonical: bool = False
) -> Iterator[RawDoc | DocError]:
    """Read every document under `paths`, streaming; bad inputs become `DocError` records.

    `limits` bounds line length and decompressed size (`Limits.max_line_bytes`, `max_file_bytes`) and
    the size of a whole text or HTML file (`max_bytes`, times `HTML_MARKUP_FACTOR`); `canonical` names
    files by their resolved absolute paths.
    """
    bounds = limits or NO_LIMITS
    for item in iter_paths(paths, canonical=canonical):
        if isinstance(item, DocError):
            yield item
            continue
        label = "<stdin>" if item == "-" else display_path(item)
        try:
            yield from read_path(item, bounds)
        except InputError as exc:
            yield DocError(label, str(exc))
        except OSError as exc:
            yield DocError(label, f"{label}: cannot read ({exc.strerror or exc})")
        except MemoryError:
            yield DocError(label, f"{label}: too large to read into memory")


def read_path(path: str, limits: Limits | None = None) -> Iterator[RawDoc | DocError]:
    """Documents of one file (several for JSONL); `-` reads standard input."""
    bounds = limits or NO_LIMITS
    name = path.lower()
    if name.endswith(JSONL_SUFFIXES):
        yield from read_jsonl(path, bounds)
        return
    if path == "-":
        data = sys.stdin.buffer.read()
        source = "<stdin>"
    else:
        source = display_path(path)
        if bounds.max_bytes is not None:
            limit = bounds.max_bytes * HTML_MARKUP_FACTOR
            size = os.path.getsize(path)
            if size > limit:
                raise LimitError(
                    f"{source}: the file is {size:,} bytes, over the limit of {limit:,} "
                    f"(--max-bytes times {HTML_MARKUP_FACTOR} for markup)",
                    "max_bytes",
                )
        data = Path(path).read_bytes()
    text = decode_bytes(data, source)
    if path == "-" and looks_like_jsonl(text):
        lines = _bounded_lines(io.BytesIO(text.encode("utf-8")), source, bounds)
        yield from _jsonl_records(lines, source, bounds)
        return
    if name.endswith(HTML_SUFFIXES) or looks_like_html(text):
        yield sanitize_doc(RawDoc(source=source, html=text))
    else:
        yield sanitize_doc(RawDoc(source=source, text=text))


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


def read_jsonl(path: str, limits: Limits | None = None) -> Iterator[RawDoc | DocError]:
    """One document per line: `text` or `html`, optional `id`, `url`, `title`, `published`.

    A `.gz` file is decompressed as it is read; when it is truncated or corrupt, the records before the
    damage are kept and the file gets one error record.
    """
    bounds = limits or NO_LIMITS
    source = display_path(path)
    gz = path.lower().endswith(".gz")
    try:
        with open(path, "rb") as raw:
            handle = cast(IO[bytes], gzip.GzipFile(fileobj=raw, mode="rb")) if gz else raw
            lines = _bounded_lines(handle, source, bounds, raw if gz else None)
            yield from _jsonl_records(lines, source, bounds)
    except (EOFError, gzip.BadGzipFile, zlib.error) as exc:
        yield DocError(
            source, f"{source}: truncated or corrupt gzip file ({exc}); the records before it are kept"
        )
    except LimitError as exc:
        yield DocError(source, f"{exc}; the records before it are kept")


def read_jsonl_stream(
    handle: IO[bytes], source: str, limits: Limits | None = None
) -> Iterator[RawDoc | DocError]:
    """Documents of JSON Lines from an open binary stream (e.g. a remote file), within `limits`."""
    bounds = limits or NO_LIMITS
    yield from _jsonl_records(_bounded_lines(handle, source, bounds), source, bounds)


# Bytes read (and decompressed) at a time.
_CHUNK = 1024 * 1024


def _bounded_lines(
    handle: IO[bytes], source: str, limits: Limits, compressed: IO[bytes] | None = None
) -> Iterator[tuple[int, bytes | int]]:
    """(line number, line) for each non-blank line, read in 1 MiB chunks; a line longer than
    `max_line_bytes` is never held whole and is given as its length. LimitError past `max_file_bytes`
    in all, or when a gzip member expands more than `GZIP_MAX_RATIO` times (`compressed` is the
    underlying file)."""
    line_limit = limits.max_line_bytes
    total = 0
    lineno = 0
    pending: list[bytes] = []  # the start of the current line
    pending_size = 0
    skipped = -1  # >= 0 while skipping an over-long line: its length so far

    def consumed(upto: int) -> None:
        if limits.max_file_bytes is not None and upto > limits.max_file_bytes:
            raise LimitError(
                f"{source}: over the limit of {limits.max_file_bytes:,} bytes decompressed (--max-file-bytes)",
                "max_file_bytes",
            )

    def check(n: int) -> None:
        nonlocal total
        total += n
        if compressed is not None and total > GZIP_RATIO_AFTER:
            packed = max(1, compressed.tell())
            if total / packed > GZIP_MAX_RATIO:
                raise LimitError(
                    f"{source}: expands more than {GZIP_MAX_RATIO} times when decompressed (a gzip bomb?)",
                    "max_file_bytes",
                )

    def too_long(size: int) -> bool:
        return line_limit is not None and size > line_limit

    while chunk := handle.read(_CHUNK):
        start = total
        check(len(chunk))
        if skipped < 0 and not pending_size and chunk.isspace():  # blank lines only: count them
            consumed(total)
            lineno += chunk.count(b"\n")
            continue
        parts = chunk.split(b"\n")
        offset = start
        for k, part in enumerate(parts):
            last = k == len(parts) - 1
            offset += len(part) + (0 if last else 1)
            consumed(offset)
            if skipped >= 0:
                skipped += len(part)
                if not last:
                    lineno += 1
                    yield lineno, skipped
                    skipped = -1
                continue
            if last:  # no newline yet: keep it for the next chunk, unless it is already too long
                pending.append(part)
                pending_size += len(part)
                if too_long(pending_size):
                    skipped, pending, pending_size = pending_size, [], 0
                continue
            lineno += 1
            if pending:
                pending.append(part)
                part, pending, pending_size = b"".join(pending), [], 0
            if too_long(len(part)):
                yield lineno, len(part)
            elif part and not part.isspace():
                yield lineno, part
    lineno += 1
    if skipped >= 0:
        yield lineno, skipped
    elif pending_size:
        line = b"".join(pending)
        if not line.isspace():
            yield lineno, line


def _jsonl_records(
    lines: Iterable[tuple[int, bytes | int]], path: str, limits: Limits
) -> Iterator[RawDoc | DocError]:
    """Documents of numbered JSON lines; an int is the length of a line skipped as too long."""
    records = 0
    for lineno, line in lines:
        source = f"{path}:{lineno}"
        if isinstance(line, int):
            records += 1
            yield DocError(
                source,
                f"{source}: the line is {line:,} bytes, over the limit of {limits.max_line_bytes or 0:,} "
                "(--max-line-bytes)",
            )
            continue
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
        except RecursionError:
            yield DocError(source, f"{source}: invalid JSON (nested too deeply)")
            continue
        try:
            yield sanitize_doc(doc_from_record(record, source))
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
