"""The connection under a knowledge base: one SQLite connection, the lock guarding it, a query deadline."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from khabar.errors import KhabarError, QueryTimeoutError
from khabar.store import connection

# SQLite virtual-machine steps between two looks at the deadline (a few hundred microseconds).
PROGRESS_STEPS = 20_000


class KBConnection:
    """A knowledge base file's connection; `readonly=True` opens it read-only (it must exist)."""

    def __init__(self, path: str | Path, readonly: bool = False) -> None:
        self.path = Path(path)
        self.readonly = readonly
        self._conn = connection.connect(self.path, readonly=readonly)
        self._lock = threading.RLock()
        self._deadline_at: float | None = None
        self._conn.set_progress_handler(self._past_deadline, PROGRESS_STEPS)

    def _past_deadline(self) -> int:
        at = self._deadline_at
        return 1 if at is not None and time.monotonic() > at else 0

    @contextmanager
    def deadline(self, seconds: float | None) -> Iterator[None]:
        """Queries run in the body are interrupted by SQLite itself `seconds` from now (QueryTimeoutError),
        so a costly query frees its thread instead of running on after its caller gave up."""
        if seconds is None:
            yield
            return
        with self._lock:
            outer = self._deadline_at
            at = time.monotonic() + seconds
            self._deadline_at = at if outer is None else min(outer, at)
            try:
                yield
            except sqlite3.OperationalError as exc:
                if "interrupted" in str(exc):
                    raise QueryTimeoutError(
                        f"the query took longer than {seconds:g} s and was stopped; narrow it down"
                    ) from None
                raise
            finally:
                self._deadline_at = outer

    def interrupt(self) -> None:
        """Stop the query running on this connection now (from any thread)."""
        self._conn.interrupt()

    def close(self) -> None:
        """Close the connection."""
        with self._lock:
            self._conn.close()

    @property
    def connection(self) -> sqlite3.Connection:
        """The underlying connection (hold `lock` while using it from several threads)."""
        return self._conn

    @property
    def lock(self) -> threading.RLock:
        """The lock that serialises use of the connection."""
        return self._lock

    def _rows(self, sql: str, params: tuple[Any, ...] | list[Any] = ()) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _writable(self) -> None:
        if self.readonly:
            raise KhabarError(f"{self.path}: opened read-only")
