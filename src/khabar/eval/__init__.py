"""Quality measures against gold data."""
