"""``digest check``'s trial of the theme: each template rendered once, as the build renders it.

A template that compiles can still fail on the site's content (an undefined attribute, a filter
named only in a branch), and the build stops at the first page it fails on; check reports that
error without building, from one sample file per template.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable
from types import MappingProxyType

from .config import SiteConfig
from .errors import DigestError, Problem
from .feeds import feed_files
from .listings import Listings
from .model import PendingFile, RelatedLink, Site, Story
from .pages import pages_by_kind
from .sitemap import seo_files
from .theme import Theme


def render_problems(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> list[Problem]:
    """The build's own error for each sample page (``sample_files``) that fails to render:
    a template that compiles can still fail on content (an undefined attribute, a filter named
    only in a branch), and the build stops at the first such page. ``listings`` are the site's
    (``plan_listings``), which the stories ``with_sample_story`` adds do not change."""
    problems = []
    for pending in sample_files(with_sample_story(site), listings, config, theme):
        try:
            pending.render()
        except DigestError as exc:
            problems += exc.problems
    return problems


def sample_files(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> list[PendingFile]:
    """One file per template the build renders: the first page of each kind, the sitemap and the
    site's own feeds. A fault only some pages reach (an article with an image caption, a list's
    second page) is left to the build: rendering every page is the build's work."""
    pages = [first for kind in pages_by_kind(site, listings, config, theme) for first in itertools.islice(kind, 1)]
    sitemap = [f for f in itertools.islice(seo_files(site, listings, config, theme), 1) if isinstance(f, PendingFile)]
    feeds = list(itertools.islice(feed_files(site, config, theme), len(config.feeds.formats)))  # the site's come first
    return [*pages, *sitemap, *feeds]


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
