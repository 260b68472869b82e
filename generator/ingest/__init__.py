"""Ingest: scraped news text dumps -> clean articles (metadata + body) -> Markdown.

Rules are data (``rules.yaml``); the heuristics that need no per-site knowledge live in
small modules: blocks, features, classify, region, title, metadata, dates, markdown_out.
"""

from .article import CleanedArticle
from .blocks import decode_raw
from .clean import clean_text_dump
from .markdown_out import escape_paragraph, to_markdown
from .rules import Rules, load_rules

__all__ = ["CleanedArticle", "Rules", "clean_text_dump", "decode_raw", "escape_paragraph",
           "load_rules", "to_markdown"]
