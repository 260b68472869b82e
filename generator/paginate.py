"""Splitting a list of articles into numbered pages: ``tags/x/``, ``tags/x/page/2/``, ..."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Article


@dataclass(frozen=True)
class Pager:
    """One page of a paginated list, and where its neighbours are."""

    number: int  # 1-based
    count: int  # how many pages the list has
    articles: tuple[Article, ...]
    total: int  # articles in the whole list
    path: str  # this page's site path
    first_path: str
    prev_path: str | None  # the page before (newer articles), None on the first
    next_path: str | None  # the page after (older articles), None on the last
    offset: int  # how many articles come before this page, for an <ol start>


def page_path(base: str, number: int) -> str:
    """Page 1 lives at the list's own path; later pages under ``page/N/``."""
    return base if number == 1 else f"{base}page/{number}/"


def paginate(articles: tuple[Article, ...], base: str, per_page: int) -> tuple[Pager, ...]:
    """Every page of ``articles``; an empty list still has its one (empty) page.

    ``per_page`` 0 puts everything on one page.
    """
    size = per_page if per_page > 0 else max(len(articles), 1)
    count = max(1, -(-len(articles) // size))
    return tuple(
        Pager(number=n, count=count, articles=articles[(n - 1) * size:n * size], total=len(articles),
              path=page_path(base, n), first_path=base,
              prev_path=page_path(base, n - 1) if n > 1 else None,
              next_path=page_path(base, n + 1) if n < count else None,
              offset=(n - 1) * size)
        for n in range(1, count + 1))
