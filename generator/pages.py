"""The HTML pages of a site: index, articles, tags, archive, 404."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .config import SiteConfig
from .model import Article, OutputFile, Site
from .render import feed_links, page_meta, render_page, safe_html
from .theme import Theme


@dataclass(frozen=True)
class ArchiveMonth:
    label: str  # "March 2024", or "Undated"
    articles: tuple[Article, ...]


def html_pages(site: Site, config: SiteConfig, theme: Theme) -> Iterator[OutputFile]:
    yield render_page(theme, config, "index.html",
                      page_meta(config, kind="index", path="", title=config.title),
                      "index", articles=site.articles)
    for position in range(len(site.articles)):
        yield article_page(site, config, theme, position)
    yield render_page(theme, config, "tags.html",
                      page_meta(config, kind="tags", path="tags/", title="Topics"),
                      "tag index", tag_groups=site.tag_groups)
    for group in site.tag_groups:
        prefix = f"tags/{group.tag.slug}/"
        meta = page_meta(config, kind="tag", path=prefix, title=group.tag.name,
                         description=f"Articles about {group.tag.name}",
                         feeds=feed_links(config, prefix, f"{config.title}: {group.tag.name}"))
        yield render_page(theme, config, "tag.html", meta, f"tag {group.tag.name!r}",
                          tag=group.tag, articles=group.articles)
    yield render_page(theme, config, "archive.html",
                      page_meta(config, kind="archive", path="archive/", title="Archive"),
                      "archive", months=archive_months(site.articles))
    yield render_page(theme, config, "404.html",
                      page_meta(config, kind="404", path="404.html", title="Page not found",
                                absolute_links=True),
                      "404 page")


def article_page(site: Site, config: SiteConfig, theme: Theme, position: int) -> OutputFile:
    article = site.articles[position]
    newer = site.articles[position - 1] if position > 0 else None
    older = site.articles[position + 1] if position + 1 < len(site.articles) else None
    meta = page_meta(config, kind="article", path=article.url_path, title=article.title,
                     description=article.summary or "")
    return render_page(theme, config, "article.html", meta, str(article.source_path),
                       article=article, body=safe_html(article.body_html),
                       related=site.related.get(article.id, ()), newer=newer, older=older)


def archive_months(articles: tuple[Article, ...]) -> tuple[ArchiveMonth, ...]:
    """Articles grouped by month of publication, newest month first; undated ones last."""
    months: dict[str, list[Article]] = {}
    for article in articles:  # already newest first
        label = f"{article.date:%B %Y}" if article.date else "Undated"
        months.setdefault(label, []).append(article)
    return tuple(ArchiveMonth(label, tuple(items)) for label, items in months.items())
