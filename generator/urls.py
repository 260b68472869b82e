"""Site-relative paths -> hrefs: relative ones for pages, absolute ones for feeds and meta."""

from __future__ import annotations

import functools
from urllib.parse import quote


@functools.lru_cache(maxsize=1 << 16)  # every page links the same articles and tags again
def quote_path(path: str) -> str:
    """Percent-encode a site path (non-ASCII slugs included), keeping ``/``."""
    return quote(path, safe="/")


def absolute_url(base_url: str, path: str) -> str:
    """``base_url`` ends in ``/``; ``path`` is site-relative, e.g. ``articles/x/``."""
    return base_url + quote_path(path)


def root_prefix(page_path: str) -> str:
    """The relative prefix from a page back to the site root: ``articles/x/`` -> ``../../``.

    Relative links keep the site working wherever it is served from.
    """
    depth = page_path.count("/")  # folders above the page's file
    return "../" * depth if depth else "./"


def output_file(page_path: str) -> str:
    """Where a page's bytes go: ``articles/x/`` -> ``articles/x/index.html``."""
    return page_path + "index.html" if page_path.endswith("/") or not page_path else page_path
