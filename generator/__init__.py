"""digest: a static news-digest site generator."""

__version__ = "0.1.0"
