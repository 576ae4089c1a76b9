"""The SQLite knowledge base: schema and migrations, writing articles, linking entities, search, queries."""
