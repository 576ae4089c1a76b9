"""Shards: the unit a distributed run reads, writes and resumes, and the dataset layout on disk.

A shard is one JSONL / JSONL.gz / Parquet file, or a run of up to `FILES_PER_SHARD` text or HTML files
(in the local engine's order: paths as given, directories and globs sorted). Paths may be local or
any fsspec URL (`s3://...` when the filesystem package is installed).

Records are read with the local engine's readers (`ingest.readers`), so a document gets the same
source, id and error message in both engines; each record's position is `ord` = shard sequence
number << 32 | row, the order the local engine would have met it in.

Layout of an output folder (a Parquet dataset, one folder per table, partitioned by shard)::

    _manifest.json                       shard key -> sequence number, path, kind
    <table>/shard=<key>/part-*.parquet   committed rows (articles, mentions, dates, ...)
    _done/<key>.json                     completion marker: counts and the parts of the shard
    _staging/<key>/<table>/part-*        rows of a shard not yet complete (removed on a rerun)
"""

from __future__ import annotations

import glob as globmod
import hashlib
import json
import os
import posixpath
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from khabar.errors import InputError, KhabarError
from khabar.ingest.readers import (
    ALL_SUFFIXES,
    HTML_SUFFIXES,
    JSONL_SUFFIXES,
    DocError,
    RawDoc,
    decode_bytes,
    doc_from_record,
    looks_like_html,
    read_jsonl_stream,
    read_path,
    sanitize_doc,
)
from khabar.limits import Limits

PARQUET_SUFFIXES = (".parquet",)
# Text and HTML files per shard: enough that a shard's fixed costs (a task, a marker, one part file
# per table) are small next to analysing it, few enough that a killed run redoes little.
FILES_PER_SHARD = 256
MANIFEST = "_manifest.json"
DONE = "_done"
STAGING = "_staging"
ROW_BITS = 32


@dataclass(frozen=True, slots=True)
class Shard:
    """One unit of input: `kind` is jsonl, parquet or files; `paths` its file(s)."""

    key: str
    kind: str
    paths: tuple[str, ...]
    seq: int = 0

    @property
    def label(self) -> str:
        """A short name for messages: the file, or the first file of a run of files."""
        return self.paths[0] if len(self.paths) == 1 else f"{self.paths[0]} (+{len(self.paths) - 1} files)"


def order_key(seq: int, row: int) -> int:
    """The global order of a record: its shard's sequence number, then its row in the shard."""
    return (seq << ROW_BITS) | row


def _fs(path: str) -> tuple[Any, str]:
    import fsspec

    fs, root = fsspec.core.url_to_fs(path)
    return fs, root


def _is_remote(path: str) -> bool:
    return "://" in path and not path.startswith("file://")


def _kind_of(name: str) -> str | None:
    low = name.lower()
    if low.endswith(JSONL_SUFFIXES):
        return "jsonl"
    if low.endswith(PARQUET_SUFFIXES):
        return "parquet"
    if low.endswith(ALL_SUFFIXES):
        return "files"
    return None


def _expand(given: str) -> list[str]:
    """The files of one input path (directories recursive, globs sorted), as the local engine lists and
    names them (absolute, symbolic links resolved)."""
    if not _is_remote(given):
        if os.path.isdir(given):
            found: list[str] = []
            for dirpath, _dirs, files in os.walk(given):
                found.extend(os.path.join(dirpath, f) for f in files)
            return [os.path.realpath(p) for p in sorted(p for p in found if _kind_of(p))]
        if os.path.exists(given):
            return [os.path.realpath(given)]
        if globmod.has_magic(given):
            matches = sorted(p for p in globmod.glob(given, recursive=True) if os.path.isfile(p))
            return [os.path.realpath(p) for p in matches]
        raise InputError(f"{given}: no such file or directory")
    fs, root = _fs(given)
    protocol = given.split("://", 1)[0]
    if globmod.has_magic(root):
        names = sorted(fs.glob(root))
    elif fs.isdir(root):
        names = sorted(fs.find(root))
    elif fs.exists(root):
        names = [root]
    else:
        raise InputError(f"{given}: no such file or directory")
    return [f"{protocol}://{n}" for n in names if _kind_of(n)]


def list_shards(paths: Sequence[str], files_per_shard: int = FILES_PER_SHARD) -> list[Shard]:
    """Shards of the given inputs in the local engine's order (sequence numbers not yet assigned)."""
    shards: list[Shard] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            key = hashlib.sha1("\n".join(run).encode()).hexdigest()[:16]
            shards.append(Shard(key=key, kind="files", paths=tuple(run)))
            run.clear()

    for given in paths:
        files = _expand(given)
        if not files:
            raise InputError(f"{given}: no .jsonl, .jsonl.gz, .parquet, .txt or .html files")
        for path in files:
            kind = _kind_of(path) or "files"
            if kind == "files":
                run.append(path)
                if len(run) >= files_per_shard:
                    flush()
                continue
            flush()
            shards.append(Shard(key=hashlib.sha1(path.encode()).hexdigest()[:16], kind=kind, paths=(path,)))
    flush()
    unique: dict[str, Shard] = {}
    for shard in shards:  # a path given twice is read once (the local engine skips it as stored)
        unique.setdefault(shard.key, shard)
    return list(unique.values())


def read_shard(shard: Shard, limits: Limits | None = None) -> Iterator[RawDoc | DocError]:
    """The records of a shard in order, within `limits` (default `Limits()`, as `khabar ingest`); a bad
    record is a `DocError` (never an exception)."""
    bounds = limits or Limits()
    for path in shard.paths:
        try:
            if shard.kind == "parquet":
                yield from _read_parquet(path)
            elif _is_remote(path):
                yield from _read_remote(path, bounds)
            else:
                yield from read_path(path, bounds)
        except InputError as exc:
            yield DocError(path, str(exc))
        except OSError as exc:
            yield DocError(path, f"{path}: cannot read ({exc.strerror or exc})")
        except Exception as exc:  # a reader bug or a broken file must not stop the run
            yield DocError(path, f"{path}: cannot read ({type(exc).__name__}: {exc})".splitlines()[0])


def _read_remote(path: str, limits: Limits) -> Iterator[RawDoc | DocError]:
    """A remote (fsspec) file read as `read_path` reads a local one."""
    import fsspec

    compression = "gzip" if path.lower().endswith(".gz") else None
    with fsspec.open(path, "rb", compression=compression) as handle:
        if path.lower().endswith(JSONL_SUFFIXES):
            yield from read_jsonl_stream(handle, path, limits)
            return
        text = decode_bytes(handle.read(), path)
    if path.lower().endswith(HTML_SUFFIXES) or looks_like_html(text):
        yield sanitize_doc(RawDoc(source=path, html=text))
    else:
        yield sanitize_doc(RawDoc(source=path, text=text))


def _read_parquet(path: str) -> Iterator[RawDoc | DocError]:
    """One document per row (columns as in JSONL: `text` or `html`, optional id, url, title, published)."""
    import pyarrow.parquet as pq

    fs, root = _fs(path)
    with fs.open(root, "rb") as handle:
        reader = pq.ParquetFile(handle)
        row = 0
        for batch in reader.iter_batches(batch_size=1024):
            for record in batch.to_pylist():
                row += 1
                source = f"{path}:{row}"
                if record.get("published") is not None:
                    record["published"] = str(record["published"])
                try:
                    yield sanitize_doc(doc_from_record(record, source))
                except InputError as exc:
                    yield DocError(source, str(exc))
        if not row:
            yield DocError(path, f"{path}: empty input (no rows)")


# -- the dataset on disk -------------------------------------------------------------------------


class Layout:
    """Paths of an output dataset (local folder or fsspec URL)."""

    def __init__(self, root: str) -> None:
        self.root = root.rstrip("/")
        self.fs, self._base = _fs(self.root)

    def path(self, *parts: str) -> str:
        """A path under the dataset root (as the filesystem names it)."""
        return posixpath.join(self._base, *parts)

    def table_dir(self, table: str, key: str) -> str:
        """Where a shard's committed rows of one table live."""
        return self.path(table, f"shard={key}")

    def staging_dir(self, key: str, table: str | None = None) -> str:
        """Where a shard's rows are written before it is complete."""
        return self.path(STAGING, key, table) if table else self.path(STAGING, key)

    def marker(self, key: str) -> str:
        """The completion marker of a shard."""
        return self.path(DONE, f"{key}.json")

    def write_json(self, path: str, data: object) -> None:
        """Write JSON atomically (a temporary file renamed into place)."""
        self.fs.makedirs(posixpath.dirname(path), exist_ok=True)
        tmp = f"{path}.tmp-{os.getpid()}"
        with self.fs.open(tmp, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False, indent=1, sort_keys=True)
        self.fs.mv(tmp, path)

    def read_json(self, path: str) -> Any:
        """Read a JSON file."""
        with self.fs.open(path, "r", encoding="utf-8") as handle:
            return json.load(handle)

    def done(self) -> dict[str, dict[str, Any]]:
        """Completion markers of the committed shards (key -> marker)."""
        folder = self.path(DONE)
        if not self.fs.exists(folder):
            return {}
        out = {}
        for name in sorted(self.fs.ls(folder, detail=False)):
            if name.endswith(".json"):
                marker = self.read_json(name)
                out[marker["key"]] = marker
        return out

    def manifest(self) -> dict[str, dict[str, Any]]:
        """Shard key -> {seq, kind, paths} of every shard this dataset has seen."""
        path = self.path(MANIFEST)
        if not self.fs.exists(path):
            return {}
        data: dict[str, dict[str, Any]] = self.read_json(path)["shards"]
        return data

    def assign(self, shards: Sequence[Shard]) -> list[Shard]:
        """Give each shard its sequence number (kept from earlier runs; new shards come after)."""
        known = self.manifest()
        if not known and self.fs.exists(self._base) and self.fs.ls(self._base, detail=False):
            raise KhabarError(f"{self.root}: exists and is not a khabar dataset (no {MANIFEST})")
        next_seq = max((int(v["seq"]) for v in known.values()), default=-1) + 1
        out = []
        for shard in shards:
            if shard.key not in known:
                known[shard.key] = {"seq": next_seq, "kind": shard.kind, "paths": list(shard.paths)}
                next_seq += 1
            out.append(Shard(shard.key, shard.kind, shard.paths, int(known[shard.key]["seq"])))
        self.write_json(self.path(MANIFEST), {"version": 1, "shards": known})
        return out

    def clear_unfinished(self, key: str, tables: Sequence[str]) -> None:
        """Remove what a killed run left of a shard that has no marker."""
        for path in [self.staging_dir(key), *(self.table_dir(t, key) for t in tables)]:
            if self.fs.exists(path):
                self.fs.rm(path, recursive=True)

    def commit(self, key: str, tables: Sequence[str], marker: dict[str, Any]) -> None:
        """Move a complete shard's staged parts into place, then write its marker (the commit point)."""
        for table in tables:
            src = self.staging_dir(key, table)
            if not self.fs.exists(src):
                continue
            dst = self.table_dir(table, key)
            if self.fs.exists(dst):
                self.fs.rm(dst, recursive=True)
            self.fs.makedirs(posixpath.dirname(dst), exist_ok=True)
            self.fs.mv(src, dst, recursive=True)
        self.write_json(self.marker(key), marker)
        staging = self.staging_dir(key)
        if self.fs.exists(staging):
            self.fs.rm(staging, recursive=True)

    def parts(self, table: str, keys: Sequence[str] | None = None) -> list[str]:
        """Committed part files of a table (of the given shards, default all committed ones), as
        their markers list them (no folder listing: cheap on object storage)."""
        done = self.done()
        return [
            posixpath.join(self.table_dir(table, key), name)
            for key in sorted(done if keys is None else keys)
            if key in done
            for name in done[key]["parts"]
        ]

    def parts_by_shard(self, table: str) -> dict[str, list[str]]:
        """Committed part files of a table, per shard key (markers read once)."""
        return {
            key: [posixpath.join(self.table_dir(table, key), name) for name in marker["parts"]]
            for key, marker in sorted(self.done().items())
        }


def shard_dict(shard: Shard) -> dict[str, Any]:
    """A shard as plain data (for Ray tasks and markers)."""
    data = asdict(shard)
    data["paths"] = list(shard.paths)
    return data
