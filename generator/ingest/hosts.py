"""A page's site as its URL names it: one spelling for profiles, sources and duplicates."""

from __future__ import annotations

from urllib.parse import urlsplit


def bare_host(host: str) -> str:
    """"WWW.Example.org." -> "example.org": case, a final dot and "www." say nothing of the site."""
    host = host.strip().lower().rstrip(".")
    return host.removeprefix("www.")


def page_host(url: str | None) -> str | None:
    """The bare host of an absolute URL; None when there is none or the URL does not parse."""
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:
        return None
    return bare_host(host) if host else None
