"""The one definition of every JSON shape khabar outputs (article, entity, event, quote, search hit,
cluster, the list envelope and RFC 9457 problem details).

`khabar.schema.models` holds the typed models (pydantic); the CLI's JSON, the API responses and their
OpenAPI, and the exports all go through them. `khabar.schema.paging` holds the list envelope and the
default and maximum page sizes, the same in the CLI and the API. This package itself imports nothing
heavy.
"""

from __future__ import annotations

from khabar.schema.paging import DEFAULT_LIMITS, MAX_LIMITS, MAX_OFFSET, envelope, next_link

__all__ = ["DEFAULT_LIMITS", "MAX_LIMITS", "MAX_OFFSET", "envelope", "next_link"]
