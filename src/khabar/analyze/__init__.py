"""Analysis steps: entities, dates, numbers, quotes, events, summary."""
