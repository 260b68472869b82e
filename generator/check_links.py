"""Links in article bodies, for ``digest check``: where each link and image URL stands in the
file, and which site-relative ones lead to no file the build writes, with the likeliest page meant.
"""

from __future__ import annotations

import difflib
import functools
import posixpath
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import unquote, urljoin, urlsplit

from cmarkgfm.cmark import Options

from .config import SiteConfig
from .errors import Problem
from .markup import ALLOWED_TAGS, cmark_html
from .model import Article
from .urls import absolute_url, output_file


@dataclass(frozen=True)
class BodyLink:
    """A link or image URL in an article body, as the published page will carry it."""

    line: int  # file line
    target: str  # the href or src, as rendered (percent-encoded where Markdown encodes)
    image: bool


def body_links(markdown: str, first_line: int = 1) -> tuple[BodyLink, ...]:
    """Every link and image URL the body's page will carry, with its line (the body starting on
    ``first_line``). The build's Markdown parser decides what is a link, so code is not."""
    if "](" not in markdown and "]:" not in markdown and "<" not in markdown:
        return ()  # no inline link, reference definition or raw HTML: most articles
    finder = _LinkFinder(markdown.split("\n"))
    finder.feed(cmark_html(markdown, Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_SOURCEPOS))
    finder.close()
    return tuple(BodyLink(first_line + line - 1, target, image) for line, target, image in finder.found)


class _LinkFinder(HTMLParser):
    """Collects href and src values from cmark's HTML with their body lines.

    cmark marks each block with ``data-sourcepos="L:C-L:C"`` and keeps a paragraph's line
    breaks, so a link's line is its block's first line plus the breaks before it. Raw HTML
    blocks carry no position; their links are found by searching the text after the last block.
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__(convert_charrefs=True)
        self.lines = lines
        self.blocks: list[tuple[str, int, int, int]] = []  # open blocks: tag, HTML line, first and last body line
        self.last_line = 0  # the last body line of the latest block closed
        self.found: list[tuple[int, str, bool]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        html_line = self.getpos()[0]
        position = attributes.get("data-sourcepos")
        if position:
            start, end = (int(part.split(":")[0]) for part in position.split("-"))
            self.blocks.append((tag, html_line, start, end))
        if tag not in ALLOWED_TAGS:
            return  # the sanitizer removes it, links and all
        for name in ("href", "src"):
            value = attributes.get(name)
            if value is not None:
                self.found.append((self._line(html_line, value), value, tag == "img"))

    def handle_endtag(self, tag: str) -> None:
        if self.blocks and self.blocks[-1][0] == tag:
            self.last_line = self.blocks.pop()[3]

    def _line(self, html_line: int, value: str) -> int:
        if self.blocks:
            _, block_html_line, start, end = self.blocks[-1]
            return min(start + html_line - block_html_line, end)
        after = self.last_line  # 0-based index of the line after the last block
        return next((after + i + 1 for i, text in enumerate(self.lines[after:]) if value in text),
                    min(after + 1, len(self.lines)))


def broken_links(article: Article, links: tuple[BodyLink, ...], config: SiteConfig,
                 produced: frozenset[str]) -> list[tuple[str | None, Problem]]:
    """Site-relative links (relative to the article's page or to the site root) that lead to no
    file the build writes, each with the site path it leads to (None: outside the site). Links
    to other sites, ``mailto:`` and ``#fragment`` are not checked."""
    page_url = absolute_url(config.base_url, article.url_path)
    root = urlsplit(config.base_url).path  # "/" unless the site is served from a folder
    problems = []
    for link in links:
        try:
            parts = urlsplit(link.target)
        except ValueError:
            continue  # the sanitizer drops a URL it cannot parse: the page has no such link
        if parts.scheme or parts.netloc or not parts.path:
            continue  # another site, mailto: and the like, or this very page (#part, ?query)
        what, shown = "image" if link.image else "link", unquote(link.target)
        path = urlsplit(urljoin(page_url, link.target)).path
        if not path.startswith(root):
            problems.append((None, Problem(f"broken {what} {shown!r}: it leads outside the site",
                                           article.source_path, link.line, f"the site is served from {root}")))
            continue
        site_path = unquote(path[len(root):])
        if not _exists(site_path, produced):
            problems.append((site_path, Problem(f"broken {what} {shown!r}: the site has no {site_path}",
                                                article.source_path, link.line,
                                                _suggestion(site_path, article, root, link.target, produced))))
    return problems


def _exists(site_path: str, produced: frozenset[str]) -> bool:
    """A folder link names its index.html; a folder named without its slash is redirected to it."""
    if site_path == "" or site_path.endswith("/"):
        return output_file(site_path) in produced
    return site_path in produced or site_path + "/index.html" in produced


def _suggestion(site_path: str, article: Article, root: str, target: str, produced: frozenset[str]) -> str | None:
    """The closest page or file, written the way the link was: from the root or from the page.
    A link from the page is first read as if from the site root, the commonest slip in an article
    (``tags/harbour/`` for ``../../tags/harbour/``): read only where it leads, into the article's
    own folder, it matched the article's own page, and "did you mean './'?" helped no one."""
    readings = (site_path,) if target.startswith("/") else (_from_root(target), site_path)
    close = next((found for found in (_closest(path, produced, article.url_path) for path in readings)
                  if found is not None), None)
    if close is None:
        return None
    if target.startswith("/"):
        return f"did you mean {root + close!r}?"
    relative = posixpath.relpath("/" + close, "/" + article.url_path)
    if close.endswith("/") or not close:
        relative += "/"  # relpath drops a folder's slash
    return f"did you mean {relative!r}?"


def _closest(site_path: str, produced: frozenset[str], own_page: str) -> str | None:
    """The page or file the site has that ``site_path`` most likely means, in its section; never
    ``own_page``, the page the link is on."""
    section = site_path.split("/", 1)[0]
    if section == "static":
        return None  # static files are published under content-hashed names: no name to link for good
    # A page for a page, a file for a file: "quay.jpg" is no typo of the article's own page.
    page = "." not in site_path.rsplit("/", 1)[-1]
    if site_path != own_page and (not page or site_path.endswith("/")) and (
            (site_path + "index.html" if page else site_path) in produced):
        return site_path  # the page itself (a relative link read from the root): no fuzzy search of the section
    # The two best, for one of them may be the page the link is on.
    return next((path for path in difflib.get_close_matches(site_path, _candidates(produced, section, page), n=2)
                 if path != own_page), None)


def _from_root(target: str) -> str:
    """A relative link's site path read from the site root: ``../tags/x/`` -> ``tags/x/``."""
    path = unquote(urlsplit(target).path)
    while path.startswith(("./", "../")):
        path = path.split("/", 1)[1]
    return path


@functools.lru_cache(maxsize=8)  # one list per section and kind, not one per broken link
def _candidates(produced: frozenset[str], section: str, page: bool) -> tuple[str, ...]:
    return tuple(sorted(p.removesuffix("index.html") if page else p for p in produced
                        if p.split("/", 1)[0] == section and p.endswith("index.html") == page))
