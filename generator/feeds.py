"""RSS 2.0 and Atom 1.0 feeds, site-wide and per tag.

Values are prepared here (absolute URLs, dates, ids, plain-text escaping by the
XML template); the theme's ``feeds/*.xml`` templates only lay them out.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from .config import SiteConfig
from .markup import absolutize_urls
from .model import Article, OutputFile, Site, guid
from .render import render
from .theme import Theme
from .urls import absolute_url


@dataclass(frozen=True)
class FeedItem:
    title: str
    link: str
    guid: str  # urn:uuid:..., from the article's stable id
    published: datetime | None  # None for an undated article: RSS leaves pubDate out
    updated: datetime  # Atom requires one; an undated article takes the feed's build date
    author: str | None
    categories: tuple[str, ...]
    summary: str
    content: str | None  # plain str (escaped by the XML template), None when summary-only


@dataclass(frozen=True)
class Feed:
    title: str
    description: str
    page_url: str  # the HTML page the feed mirrors
    rss_url: str
    atom_url: str
    language: str
    author: str
    updated: datetime
    items: tuple[FeedItem, ...]


def feed_item(article: Article, config: SiteConfig, build_date: datetime) -> FeedItem:
    link = absolute_url(config.base_url, article.url_path)
    content = absolutize_urls(article.body_html, link) if config.feeds.full_content else None
    return FeedItem(
        title=article.title,
        link=link,
        guid=guid(article.id),
        published=article.date,
        updated=article.updated or article.date or build_date,
        author=article.author,
        categories=tuple(tag.name for tag in article.tags),
        summary=article.summary or "",
        content=content,
    )


def make_feed(articles: tuple[Article, ...], items_by_id: dict[str, FeedItem], config: SiteConfig,
              build_date: datetime, *, prefix: str, title: str, description: str) -> Feed:
    items = tuple(items_by_id[a.id] for a in articles[:config.feeds.items])
    return Feed(
        title=title,
        description=description,
        page_url=absolute_url(config.base_url, prefix),
        rss_url=absolute_url(config.base_url, prefix + "rss.xml"),
        atom_url=absolute_url(config.base_url, prefix + "atom.xml"),
        language=config.language,
        author=config.author or config.title,
        updated=max((item.updated for item in items), default=build_date),
        items=items,
    )


def feed_files(site: Site, config: SiteConfig, theme: Theme) -> Iterator[OutputFile]:
    # Each article may sit in many feeds (site-wide and one per tag): prepare it once.
    limit = config.feeds.items
    fed = {a.id: a for articles in (site.articles, *(g.articles for g in site.tag_groups))
           for a in articles[:limit]}
    items_by_id = {article_id: feed_item(article, config, site.build_date) for article_id, article in fed.items()}
    feeds = [("", site.articles, config.title, config.description or config.title)]
    feeds += [(f"tags/{g.tag.slug}/", g.articles, f"{config.title}: {g.tag.name}", f"Articles about {g.tag.name}")
              for g in site.tag_groups]
    for prefix, articles, title, description in feeds:
        feed = make_feed(articles, items_by_id, config, site.build_date, prefix=prefix, title=title,
                         description=description)
        origin = f"feed {prefix or '/'}"
        yield render(theme, "feeds/rss.xml", prefix + "rss.xml", origin, feed=feed)
        yield render(theme, "feeds/atom.xml", prefix + "atom.xml", origin, feed=feed)
