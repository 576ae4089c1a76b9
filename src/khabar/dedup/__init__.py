"""Near-duplicate detection: exact hashes, MinHash LSH candidates, containment and sentence verification."""
