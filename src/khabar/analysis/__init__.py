"""Analysis steps after cleaning: entities (NER, resolution, English names), dates, quantities, quotes,
events and the summary. Each step is a function of an `Article`; `khabar.pipeline` runs them in order."""
