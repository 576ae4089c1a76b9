"""`khabar serve`: a read-only web UI and JSON API over the knowledge base."""

from khabar.serve.app import KBReader, ServeOptions, create_app

__all__ = ["KBReader", "ServeOptions", "create_app"]
