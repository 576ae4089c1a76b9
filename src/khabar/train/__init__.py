"""Training code that builds the models and tables shipped in `lang/hi/` from ../shared/data."""
