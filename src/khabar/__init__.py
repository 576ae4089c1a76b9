"""khabar: Hindi news to clean text and a knowledge base of who did what, with whom, where and when."""

from khabar.article import SCHEMA_VERSION, Article
from khabar.pipeline import analyze

__all__ = ["SCHEMA_VERSION", "Article", "__version__", "analyze"]
__version__ = "0.1.0"
