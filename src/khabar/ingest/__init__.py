"""Readers: plain text (encoding detection), HTML (trafilatura), JSONL, directories, globs and stdin."""

from khabar.ingest.readers import DocError, RawDoc, decode_bytes, iter_documents, iter_paths

__all__ = ["DocError", "RawDoc", "decode_bytes", "iter_documents", "iter_paths"]
