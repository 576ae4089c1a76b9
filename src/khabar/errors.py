"""Error types whose messages a person can act on; the CLI prints them as one line."""

from __future__ import annotations


class KhabarError(Exception):
    """Base class: `str(err)` is a complete one-line message."""


class InputError(KhabarError):
    """The input cannot be read: missing, empty, binary or undecodable."""


class QueryError(KhabarError):
    """A search query or filter is malformed."""


class ModelError(KhabarError):
    """A shipped model or data table is missing or unreadable."""


class NotFoundError(KhabarError):
    """An id or name (an article, an entity, or an entity filter) names nothing in the knowledge base."""


def no_entity(name: str) -> NotFoundError:
    """The one message for an entity name or id that names nothing (CLI and API alike)."""
    return NotFoundError(f"no entity {name!r} in the knowledge base")


class QueryTimeoutError(KhabarError):
    """A knowledge-base query ran past its deadline and was interrupted."""
