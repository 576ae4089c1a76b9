"""Cleaning: Unicode normalisation and block classification."""
