"""Exports of analysed articles and knowledge bases: JSONL, Parquet, GKG-style TSV."""
