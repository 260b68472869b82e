"""Templates -> pages: the context every page gets, and one OutputFile per page."""

from __future__ import annotations

import dataclasses
import functools
import json
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
from markupsafe import Markup

from .config import FEED_FILES, SiteConfig
from .errors import DigestError
from .model import OutputFile, PendingFile
from .page_keys import PageKeys, page_key, plan_key
from .theme import TEMPLATE_SUFFIXES, Theme
from .urls import absolute_url, output_file, quote_path, root_prefix


@dataclass(frozen=True)
class FeedLink:
    """A ``<link rel="alternate">`` to a feed."""

    media_type: str
    title: str  # "The Digest: Crocus (RSS)", for feed readers
    href: str  # absolute
    label: str  # the format alone: "RSS", "Atom", "JSON Feed"


@dataclass(frozen=True)
class PageMeta:
    """What every template knows about the page it renders (documented in docs/templates.md)."""

    kind: str  # index, article, tag, tags, story, archive, day, week, search, 404
    path: str  # site-relative URL, e.g. "articles/x/"
    title: str
    description: str
    canonical_url: str
    root: str  # relative prefix back to the site root ("../../"), or base_url on the 404 page
    feeds: tuple[FeedLink, ...]
    prev_path: str | None = None  # the previous page of a paginated list or digest series
    next_path: str | None = None
    json_ld: Markup | Deferred | None = None  # structured data, already safe inside <script>

    def link(self, path: str) -> str:
        """A relative href from this page to a site path."""
        return self.root + quote_path(path)


@dataclass(frozen=True)
class Deferred:
    """A context value made only as its page renders, from inputs its page key covers: 150,000
    pages waiting to render then hold references, not copies (measured at 100,000 articles:
    900 MB of pages waiting, mostly each article's HTML copied into a Markup)."""

    make: Callable[..., Any]  # a module-level function, so the page's key and a cluster can pickle it
    args: tuple[Any, ...]

    def value(self) -> Any:
        return self.make(*self.args)


def resolved(value: Any) -> Any:
    return value.value() if isinstance(value, Deferred) else value


def feed_links(config: SiteConfig, prefix: str, title: str) -> tuple[FeedLink, ...]:
    """Links to the feeds under ``prefix`` ("" for the site, "tags/x/" for a tag) in every configured format."""
    links = []
    for fmt in config.feeds.formats:
        name, media_type, label = FEED_FILES[fmt]
        links.append(FeedLink(media_type, f"{title} ({label})", absolute_url(config.base_url, prefix + name), label))
    return tuple(links)


def page_meta(config: SiteConfig, *, kind: str, path: str, title: str, description: str = "",
              feeds: tuple[FeedLink, ...] = (), absolute_links: bool = False, prev_path: str | None = None,
              next_path: str | None = None, json_ld: Markup | None = None) -> PageMeta:
    return PageMeta(
        kind=kind, path=path, title=title, description=description or config.description,
        canonical_url=absolute_url(config.base_url, path),
        root=config.base_url if absolute_links else root_prefix(path),
        feeds=feeds or _site_feed_links(config),
        prev_path=prev_path, next_path=next_path, json_ld=json_ld,
    )


_SITE_FEEDS: dict[tuple[Any, ...], tuple[FeedLink, ...]] = {}


def _site_feed_links(config: SiteConfig) -> tuple[FeedLink, ...]:
    """The site's feed links, one tuple shared by every page that shows them."""
    key = (config.base_url, config.title, tuple(config.feeds.formats))
    if key not in _SITE_FEEDS:
        _SITE_FEEDS[key] = feed_links(config, "", config.title)
    return _SITE_FEEDS[key]


def script_json(data: Any) -> Markup:
    """JSON that is safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` can end it early."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))


def render(theme: Theme, template: str, out_path: str, origin: str, **context: Any) -> OutputFile:
    """Render one template into one output file.

    Any failure inside a template (syntax, undefined names, a filter raising) becomes an
    error naming the template file and line where it happened, and the page being built.
    """
    try:
        text = theme.environment.get_template(template).render(**context)
    except (DigestError, MemoryError):
        raise
    except RecursionError:
        raise DigestError.at(f"template error while rendering {out_path}: templates include or call "
                             "themselves without end", template) from None
    except Exception as exc:  # noqa: BLE001 - a theme can raise anything; report it, never a traceback
        path, line = _template_location(exc, template)
        message = (f"no template named {exc.name!r} in templates/" if type(exc) is TemplateNotFound
                   else exc.message if isinstance(exc, TemplateError) and exc.message
                   else f"{type(exc).__name__}: {exc}")  # TemplatesNotFound names every one tried
        raise DigestError.at(f"template error while rendering {out_path}: {message}", path, line) from None
    return OutputFile(PurePosixPath(out_path), text.encode("utf-8"), origin)


def _template_location(exc: Exception, template: str) -> tuple[str, int | None]:
    """The template file and line where ``exc`` arose: syntax errors know it, others leave it
    in the traceback, whose template frames Jinja maps back to template lines."""
    if isinstance(exc, TemplateSyntaxError) and exc.filename:
        return exc.filename, exc.lineno
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith(TEMPLATE_SUFFIXES):
            return frame.filename, frame.lineno
    return template, None


def render_page(theme: Theme, config: SiteConfig, template: str, page: PageMeta, origin: str,
                **context: Any) -> OutputFile:
    out = output_file(page.path) if page.kind != "404" else "404.html"

    def asset(name: str) -> str:
        """The href of a static file by its unhashed name (``style.css``)."""
        return page.link(theme.asset_path(name))

    if isinstance(page.json_ld, Deferred):
        page = dataclasses.replace(page, json_ld=page.json_ld.value())
    return render(theme, template, out, origin, site=config, page=page, link=page.link, asset=asset,
                  **{name: resolved(value) for name, value in context.items()})


def defer_page(theme: Theme, config: SiteConfig, template: str, page: PageMeta, origin: str,
               keys: PageKeys | None = None, **context: Any) -> PendingFile:
    """``render_page``, to be called by whichever process writes the page; with ``keys``, the
    page can tell whether its inputs changed since the last build."""
    out = output_file(page.path) if page.kind != "404" else "404.html"
    return defer_planned(theme, config, out, origin, functools.partial(_as_given, template, page, context), keys)


def _as_given(template: str, page: PageMeta, context: dict[str, Any]) -> tuple[str, PageMeta, dict[str, Any]]:
    """The plan of a page planned already."""
    return template, page, context


# A page's template, meta and context, made when called: by the process that renders the page.
PagePlan = Callable[[], tuple[str, PageMeta, dict[str, Any]]]


def defer_planned(theme: Theme, config: SiteConfig, path: str, origin: str, plan: PagePlan,
                  keys: PageKeys | None = None, **context: Any) -> PendingFile:
    """``defer_page`` of a page at ``path`` whose template, meta and further context ``plan``
    makes: planning each of 10,000 article pages in this process took 0.3 s of the build, with
    the other cores idle. With ``keys``, the page can tell whether its inputs changed."""
    return PendingFile(PurePosixPath(path), origin,
                       functools.partial(_render_planned, theme, config, origin, plan, context),
                       None if keys is None else functools.partial(_planned_key, keys, origin, plan, context))


def _render_planned(theme: Theme, config: SiteConfig, origin: str, plan: PagePlan, context: dict[str, Any]
                    ) -> OutputFile:
    template, page, planned = plan()
    return render_page(theme, config, template, page, origin, **context, **planned)


def _planned_key(keys: PageKeys, origin: str, plan: PagePlan, context: dict[str, Any]) -> str | None:
    # The plan, not what it makes: a plan is a function of what it is given (and of digest's
    # code, which the environment covers), and an article page's plan is given fewer, smaller
    # objects than it makes (its key took half the time).
    if isinstance(plan, functools.partial):
        return plan_key(keys, origin, plan, context)
    return page_key(keys, "plan", plan, origin, **context)


def safe_html(html: str) -> Markup:
    """Mark sanitized article HTML as safe for HTML templates (never used for feeds)."""
    return Markup(html)
