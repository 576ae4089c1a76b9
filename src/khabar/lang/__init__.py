"""Language data, kept apart from algorithms (one folder per language)."""
