"""Sentences and tokens for Hindi news."""
