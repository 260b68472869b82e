"""``digest check``'s trial of the theme: a few pages of each kind rendered as the build renders them.

A template that compiles can still fail on the site's content (an undefined attribute, a filter
named only in a branch), and the build stops at the first page it fails on; check reports that
error without building, from the few pages of each kind that between them reach every branch
the site's content can take (``sample_files``).
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import operator
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import PurePosixPath
from types import MappingProxyType
from typing import TypeVar

from .config import SiteConfig
from .digests import Digest
from .errors import DigestError, Problem
from .feeds import feed_files
from .listings import Listings
from .load import FRONT_MATTER_FIELDS
from .model import Article, PendingFile, RelatedLink, Site, Story
from .pages import pages_by_kind
from .paginate import Pager
from .sitemap import seo_files
from .theme import Theme
from .urls import output_file

T = TypeVar("T")


def render_problems(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> list[Problem]:
    """The build's own error for each sample page (``sample_files``) that fails to render:
    a template that compiles can still fail on content (an undefined attribute, a filter named
    only in a branch), and the build stops at the first such page. ``listings`` are the site's
    (``plan_listings``), which the stories ``with_sample_story`` adds do not change."""
    sample = with_sample_story(site)
    made_up = made_up_pages(sample) if sample is not site else frozenset()
    problems = []
    for pending in sample_files(sample, listings, config, theme):
        try:
            pending.render()
        except DigestError as exc:
            # The page names no story the build makes: say where it came from.
            problems += [dataclasses.replace(p, hint=MADE_UP) if pending.path in made_up else p for p in exc.problems]
    return problems


MADE_UP = ("check's sample page: it made the two newest articles one story, the newer related to the older, "
           "as it skips the text analysis that finds stories and related articles")


def made_up_pages(site: Site) -> frozenset[PurePosixPath]:
    """The files of ``with_sample_story``'s story: its page and its articles'."""
    return frozenset(PurePosixPath(output_file(path)) for story in site.stories
                     for path in (story.url_path, *(a.url_path for a in story.articles)))


def sample_files(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> list[PendingFile]:
    """The pages that between them show every optional part any page of their kind shows (an
    article with an image caption and one without, a list's first page and a later one with its
    link back), the sitemap and the site's own feeds. A template fault only some pages reach was
    found by the build alone when check tried the first page of each kind; rendering every page
    is the build's work, and a few pages per kind cover what the templates branch on."""
    kinds = pages_by_kind(site, listings, config, theme)
    of = {article.id: article_parts(article) for article in site.articles}  # each article is in several lists
    chosen = {
        "index": covering(list_parts(pager, of) for pager in listings.index),
        "articles": covering(article_page_parts(site, of)),
        "tags": covering(list_parts(pager, of) for listing in listings.tags for pager in listing.pages),
        "days": covering(digest_parts(digest, of) for digest in listings.days),
        "weeks": covering(digest_parts(digest, of) for digest in listings.weeks),
    }
    pages = [page for name, kind in zip(kinds._fields, kinds) for page in at(kind, chosen.get(name, (0,)))]
    sitemap = [f for f in itertools.islice(seo_files(site, listings, config, theme), 1) if isinstance(f, PendingFile)]
    feeds = list(itertools.islice(feed_files(site, config, theme), len(config.feeds.formats)))  # the site's come first
    return [*pages, *sitemap, *feeds]


# What a template may branch on, each either had or not, both ways to be tried: a page's parts
# are the bits of an int, bit 2i when it has the i-th, 2i+1 when not. check finds the parts of
# every page; as sets of names that took 0.06-0.09 s at 3,000 articles, as bits 0.03 s.
PARTS = (*FRONT_MATTER_FIELDS, "newer", "older", "story", "related", "previous_page", "next_page", "topics",
         "untagged")
_PLACE = {name: 2 * place for place, name in enumerate(PARTS)}
Parts = int


def parts(**had: object) -> Parts:
    """The named parts, each had when its value is true: ``parts(summary=..., newer=...)``."""
    return sum(1 << (_PLACE[name] + (not value)) for name, value in had.items())


def covering(shapes: Iterable[Parts]) -> list[int]:
    """The places (ascending) of a few of ``shapes`` that between them have every part any of
    them has: greedily, the one with the most parts not yet had, the first of equals."""
    first: dict[Parts, int] = {}
    for place, shape in enumerate(shapes):
        first.setdefault(shape, place)  # pages of one shape try the templates alike
    left = functools.reduce(operator.or_, first, 0)
    chosen = []
    while left:
        shape = max(first, key=lambda s: (s & left).bit_count())
        chosen.append(first[shape])
        left &= ~shape
    return sorted(chosen)


def article_parts(article: Article) -> Parts:
    """Which front-matter fields the article states: a template shows each only when set."""
    return _stated_parts(tuple(map(bool, _FIELDS(article))))


_FIELDS = operator.attrgetter(*FRONT_MATTER_FIELDS)


@functools.cache  # a site's articles state few combinations of fields: at most 2 ** 12
def _stated_parts(stated: tuple[bool, ...]) -> Parts:
    return parts(**dict(zip(FRONT_MATTER_FIELDS, stated)))


def article_page_parts(site: Site, of: Mapping[str, Parts]) -> Iterator[Parts]:
    """An article page's parts: its article's (``of`` its id), and its neighbours, story and
    related links."""
    last = len(site.articles) - 1
    for place, article in enumerate(site.articles):
        yield of[article.id] | parts(newer=place > 0, older=place < last, story=article.id in site.story_of,
                                     related=site.related.get(article.id))


def list_parts(pager: Pager, of: Mapping[str, Parts]) -> Parts:
    """A paginated list's page: its links to the pages before and after, and its articles'
    parts (a summary shown in a list only when an article on that page has one)."""
    return _listed(pager.articles, of) | parts(previous_page=pager.prev_path, next_page=pager.next_path)


def digest_parts(digest: Digest, of: Mapping[str, Parts]) -> Parts:
    return _listed(digest.articles, of) | parts(newer=digest.newer, older=digest.older,
                                                topics=len(digest.sections) > 1,
                                                untagged=any(s.tag is None for s in digest.sections))


def _listed(articles: Iterable[Article], of: Mapping[str, Parts]) -> Parts:
    return functools.reduce(operator.or_, {of[article.id] for article in articles}, 0)  # few distinct ones


def at(items: Iterator[T], places: Sequence[int]) -> list[T]:
    """The items at ``places`` of a lazy iterator, made no further than the last of them
    (a page costs little until it renders, but a large site's thousands add up)."""
    wanted = set(places)
    return [item for place, item in zip(range(max(places, default=-1) + 1), items) if place in wanted]


def with_sample_story(site: Site) -> Site:
    """``site`` with its two newest articles as one story and the newer related to the older:
    check skips the text analysis that finds stories and related articles, and the story page
    and the parts of article pages that show them are to be tried too."""
    if len(site.articles) < 2 or site.stories:
        return site
    newer, older = site.articles[:2]
    story = Story(older.slug, older.title, (older, newer))
    shared = tuple(tag for tag in newer.tags if tag in older.tags)
    related = RelatedLink(older, shared, score=0.5, text_similarity=0.5, days_apart=0)
    return dataclasses.replace(site, stories=(story,), story_of=MappingProxyType({a.id: story for a in story.articles}),
                               related=MappingProxyType({**site.related, newer.id: (related,)}))


def new_places(problems: Iterable[Problem], known: Iterable[Problem]) -> list[Problem]:
    """The first of ``problems`` at each file and line none of ``known`` is at: a fault in a
    template that many pages use (base.html) is one problem, not one per page."""
    seen = {(str(p.path), p.line) for p in known}
    found = []
    for problem in problems:
        if (str(problem.path), problem.line) not in seen:
            seen.add((str(problem.path), problem.line))
            found.append(problem)
    return found
