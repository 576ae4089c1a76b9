"""`khabar serve`: a read-only web UI and JSON API over the knowledge base.

Names are imported on first use, so the analysis worker (`khabar.serve.analysis`) starts without
loading the web framework.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from khabar.serve.app import KBReader, ServeOptions, create_app

__all__ = ["KBReader", "ServeOptions", "create_app"]


def __getattr__(name: str) -> Any:
    if name in __all__:
        from khabar.serve import app

        return getattr(app, name)
    raise AttributeError(f"module 'khabar.serve' has no attribute {name!r}")
