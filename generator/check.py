"""``digest check``: what would fail a build, and what an editor should look at, without building.

Errors are what the build itself refuses (files that do not load, two articles at one URL or
with one id, two tags on one page, a broken theme, a template that fails on the site's content),
found by the build's own code. Warnings are what the build accepts but a reader would notice:
unknown front-matter fields, missing dates, tags outside the site's topics, dates in the future,
links to pages the site does not have.
Nothing is written, and the text analysis (related links, stories, corpus topics) is skipped,
so a check takes about as long as loading the articles; it runs only when a link to a tag page,
or a feed setting, names no tag the articles state, which only a corpus topic could make good.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from types import MappingProxyType

from .analysis import analyse, awaits_corpus_topic
from .bodies import clean_body
from .check_links import BodyLink, body_links, broken_links
from .check_templates import new_places, render_problems
from .config import FEED_FILES, SiteConfig
from .errors import DigestError, Problem
from .feeds import feed_settings, feed_text_problems, unknown_feed_names
from .frontmatter import FrontMatter, split_front_matter
from .index import (EPOCH, UNDATED, UNDATED_HINT, UPDATED_BEFORE_DATE, UPDATED_BEFORE_DATE_HINT,
                    check_unique, group_by_tag, newest_first, one_spelling_per_tag)
from .listings import Listings, plan_listings
from .content_files import decode_text, read_bytes
from .load import FRONT_MATTER_FIELDS, list_articles, load_article
from .model import Article, Site, Story
from .pages import html_pages
from .parallel import available_cores, batches, map_with_shared
from .taxonomy import Vocabulary
from .text import normalize_key
from .theme import Theme, load_theme, make_theme, template_problems
from .urls import output_file
from .output_paths import MARKER, check_output_dir, nothing_to_build

CHECK_BATCH = 200  # articles a process reads per task, as the build loads them
FUTURE_HINT = "the article will show a future date; feed readers may sort it first"


@dataclass(frozen=True)
class CheckReport:
    """Everything ``digest check`` found, each list sorted by file, then line."""

    articles: int  # article files checked, loadable or not
    errors: tuple[Problem, ...]  # the build would fail
    warnings: tuple[Problem, ...]  # the build succeeds, but an editor should look

    def failed(self, strict: bool = False) -> bool:
        """Whether the check fails: on errors, and with ``strict`` (for CI) on warnings too."""
        return bool(self.errors or (strict and self.warnings))


@dataclass(frozen=True)
class CheckedFile:
    """One article file as read for checking."""

    path: Path
    article: Article | None  # None when the file does not load
    keys: tuple[tuple[str, int], ...]  # front-matter keys in file order, each with its file line
    links: tuple[BodyLink, ...]
    problems: tuple[Problem, ...]  # why it does not load

    def line_of(self, key: str) -> int:
        return next((line for name, line in self.keys if name == key), 1)

    def has(self, key: str) -> bool:
        return any(name == key for name, _ in self.keys)


def check_site(config: SiteConfig, now: datetime, *, jobs: int | None = None) -> CheckReport:
    """Check the configuration's theme and every article in ``config.content_dir``; ``now``
    (timezone-aware) is when dates start being in the future. Articles are read over ``jobs``
    processes (default: every core this process may use)."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    theme, theme_loads, errors = _theme(config)
    try:
        check_output_dir(config.output_dir, config.root, config.input_folders, config.kept_files)
    except DigestError as exc:
        errors += exc.problems
    try:
        listed = list_articles(config.content_dir, (*config.input_folders, config.output_dir))
    except DigestError as exc:
        return _report(0, [*errors, *exc.problems], [])
    paths, errors = listed.paths, [*errors, *listed.problems]
    vocabulary = Vocabulary.from_topics(config.topics)
    files = read_files(paths, config, vocabulary, available_cores() if jobs is None else jobs)
    by_path = {f.path: f for f in files}
    articles = [f.article for f in files if f.article is not None]
    errors += [p for f in files for p in f.problems]
    articles, clashes = _as_the_build_lists(articles)
    errors += [_at_key_line(p, by_path) for p in clashes]
    if not files and (config.output_dir / MARKER).is_file():
        errors += nothing_to_build(config.content_dir).problems

    site = site_without_analysis(articles)
    listings = plan_listings(site, config)  # planned once for the links and the template trial: 0.1 s at 3,000 articles

    def links_to_nothing(site: Site, listings: Listings) -> list[tuple[str | None, Problem]]:
        produced = produced_files(site, listings, config, theme)
        return [p for a in site.articles for p in broken_links(a, by_path[a.source_path].links, config, produced)]
    broken = links_to_nothing(site, listings)
    if ((any(path and path.startswith("tags/") for path, _ in broken) or unknown_feed_names(site, config))
            and config.corpus_topics and any(map(awaits_corpus_topic, articles))):
        # Only the text analysis knows the corpus topics, whose tag pages a link or a feed
        # setting may name: it runs when there is such a name it could make good.
        site = with_corpus_topics(site, config, jobs)
        listings = plan_listings(site, config)
        broken = links_to_nothing(site, listings)
    if theme_loads:
        errors += new_places(render_problems(site, listings, config, theme), errors)
    summary_only = _summary_only(config)
    warnings = [*listed.unread, *(p for f in files for p in file_warnings(f, vocabulary, now, summary_only))]
    warnings += [problem for _, problem in broken]
    warnings += feed_text_problems(site)
    warnings += [Problem(f"feeds.per_feed names {name!r}, which is no topic of the site", config.path, None,
                         "use a tag name as it appears on the Topics page, or site")
                 for name in unknown_feed_names(site, config)]
    return _report(len(paths), errors, warnings)


def _report(articles: int, errors: Iterable[Problem], warnings: Iterable[Problem]) -> CheckReport:
    def order(problem: Problem) -> tuple[str, int]:
        return (str(problem.path) if problem.path is not None else "", problem.line or 0)
    return CheckReport(articles, tuple(sorted(errors, key=order)), tuple(sorted(warnings, key=order)))


def _theme(config: SiteConfig) -> tuple[Theme, bool, list[Problem]]:
    """The site's theme, whether it loads, and its problems; an empty theme when it does not
    load, so the rest is checked."""
    try:
        theme = load_theme(config)
        return theme, True, template_problems(theme)
    except DigestError as exc:
        return make_theme({}, (), config.zone), False, list(exc.problems)


# --- reading: the build's loader, plus where each key and link sits in the file --------------

def read_files(paths: Sequence[Path], config: SiteConfig, vocabulary: Vocabulary, jobs: int) -> list[CheckedFile]:
    """Every file read and loaded, in file order; one that fails does not stop the others."""
    found = map_with_shared(_read_batch, (config, vocabulary, paths), batches(len(paths), CHECK_BATCH), jobs)
    return [checked for batch in found for checked in batch]


def _read_batch(shared: tuple[SiteConfig, Vocabulary, list[Path]], batch: range) -> list[CheckedFile]:
    config, vocabulary, paths = shared
    return [read_file(path, config, vocabulary) for path in paths[batch.start:batch.stop]]


def read_file(path: Path, config: SiteConfig, vocabulary: Vocabulary) -> CheckedFile:
    data = b""
    try:
        data = read_bytes(path)
        article = load_article(path, config, vocabulary, data)
    except DigestError as exc:
        # Its keys still help: "Title:" is why the title is missing.
        front = _front_matter(path, data)
        return CheckedFile(path, None, _keys(front) if front else (), (), exc.problems)
    front = split_front_matter(decode_text(path, data), path)  # cannot fail: load_article just parsed it
    # The body as load cleaned it, from these bytes: not read again (an edit meanwhile is no error here).
    return CheckedFile(path, article, _keys(front), body_links(clean_body(front.body), front.body_line), ())


def _front_matter(path: Path, data: bytes) -> FrontMatter | None:
    try:
        return split_front_matter(decode_text(path, data), path)
    except DigestError:
        return None


def _keys(front: FrontMatter) -> tuple[tuple[str, int], ...]:
    return tuple((str(key), front.line_of(str(key))) for key in front.meta.data)


# --- errors the build would stop on -----------------------------------------------------------

def _as_the_build_lists(articles: list[Article]) -> tuple[list[Article], list[Problem]]:
    """The build's own checks for two articles at one URL or with one id, and two tag names on one
    page; the articles with one spelling per tag, as the build lists them."""
    problems: list[Problem] = []
    try:
        check_unique(articles)
    except DigestError as exc:
        problems += exc.problems
    try:
        articles = one_spelling_per_tag(articles)
    except DigestError as exc:
        problems += exc.problems
    return articles, problems


def at_stated_line(problem: Problem) -> Problem:
    """The problem at the line of the first of its keys its file states, read from the file:
    the build reports problems between files (one slug, one id) without the files' lines."""
    if problem.line is not None or not problem.keys or problem.path is None:
        return problem
    try:
        front = _front_matter(Path(problem.path), read_bytes(Path(problem.path)))
    except (OSError, DigestError):  # gone or changed since: the problem still stands, lineless
        return problem
    return _at_first_key(problem, _keys(front)) if front else problem


def _at_key_line(problem: Problem, files: dict[Path, CheckedFile]) -> Problem:
    """The problem at the line of the key that caused it, where the file states that key."""
    checked = files.get(Path(problem.path)) if problem.path is not None else None
    if checked is None or problem.line is not None:
        return problem
    return _at_first_key(problem, checked.keys)


def _at_first_key(problem: Problem, stated: tuple[tuple[str, int], ...]) -> Problem:
    """The problem at the line of the first of its keys that ``stated`` (key, line) holds."""
    lines = dict(reversed(stated))  # reversed: the first of a repeated key wins
    return dataclasses.replace(problem, line=next((lines[key] for key in problem.keys if key in lines), None))


# --- warnings on one file ---------------------------------------------------------------------

def file_warnings(checked: CheckedFile, vocabulary: Vocabulary, now: datetime,
                  summary_only: Callable[[Article], bool]) -> list[Problem]:
    problems = unknown_fields(checked)
    if checked.article is not None:
        problems += missing_fields(checked, checked.article, summary_only)
        problems += unknown_tags(checked, checked.article, vocabulary)
        problems += future_dates(checked, checked.article, now)
    return problems


def unknown_fields(checked: CheckedFile) -> list[Problem]:
    problems = []
    for key, line in checked.keys:
        if key in FRONT_MATTER_FIELDS:
            continue
        close = difflib.get_close_matches(key.casefold(), FRONT_MATTER_FIELDS, n=1)
        hint = f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(sorted(FRONT_MATTER_FIELDS))
        problems.append(Problem(f"unknown field {key!r} is ignored", checked.path, line, hint))
    return problems


def missing_fields(checked: CheckedFile, article: Article, summary_only: Callable[[Article], bool]) -> list[Problem]:
    """A missing date changes where the article is listed; a missing summary matters only where
    a feed carries summaries instead of the text (pages fall back to the site's description)."""
    problems = []
    if article.date is None:
        problems.append(Problem(UNDATED, checked.path, checked.line_of("date"), UNDATED_HINT))
    if article.updated_before_date:
        problems.append(Problem(UPDATED_BEFORE_DATE, checked.path, checked.line_of("updated"),
                                UPDATED_BEFORE_DATE_HINT))
    if article.summary is None and summary_only(article):
        problems.append(Problem("no summary; a summary-only feed carries it with empty text", checked.path,
                                checked.line_of("summary"), "add summary: followed by a sentence or two"))
    return problems


def _summary_only(config: SiteConfig) -> Callable[[Article], bool]:
    """Whether a feed the article is in (the site's or one of its tags') carries summaries only."""
    settings = feed_settings(config)
    return lambda article: any(not settings(key).full_content
                               for key in (None, *(tag.name for tag in article.tags)))


def unknown_tags(checked: CheckedFile, article: Article, vocabulary: Vocabulary) -> list[Problem]:
    """Tags the front matter states that are neither a topic nor an alias of one (inferred tags
    come from the topics, so they always are); only when site.yaml has topics at all."""
    if not vocabulary.canonical or article.tags_inferred:
        return []
    problems = []
    for tag in article.tags:
        key = normalize_key(tag.name)
        if key in vocabulary.canonical:
            continue
        close = difflib.get_close_matches(key, sorted(vocabulary.canonical), n=1)
        hint = (f"did you mean {vocabulary.canonical[close[0]]!r}?" if close
                else "add it under topics in site.yaml, or as an alias of a topic")
        problems.append(Problem(f"tag {tag.name!r} is not a topic in site.yaml", checked.path,
                                checked.line_of("tags"), hint))
    return problems


def future_dates(checked: CheckedFile, article: Article, now: datetime) -> list[Problem]:
    return [Problem(f"{key} {moment.isoformat()} is in the future", checked.path, checked.line_of(key), FUTURE_HINT)
            for key, moment in (("date", article.date), ("updated", article.updated))
            if moment is not None and moment > now]


# --- links: what the build will publish, and what article bodies point at ------------------------

def site_without_analysis(articles: list[Article]) -> Site:
    """The site as index_site orders and groups it, without the text analysis (related links,
    stories, corpus topics): of the pages, that adds only story pages and corpus topics' tag pages."""
    ordered = tuple(sorted(articles, key=newest_first))
    return Site(ordered, group_by_tag(ordered), MappingProxyType({}), EPOCH)


def with_corpus_topics(site: Site, config: SiteConfig, jobs: int | None) -> Site:
    """``site`` with its articles' corpus topics, and their tags' pages (related links and stories
    still left out)."""
    tagged = analyse(site.articles, config, jobs).articles
    return dataclasses.replace(site, articles=tagged, tag_groups=group_by_tag(tagged))


def produced_files(site: Site, listings: Listings, config: SiteConfig, theme: Theme) -> frozenset[str]:
    """The site paths of the files a build writes that an article may link to (search index
    shards aside): the HTML pages as pages.py plans them from ``listings`` (the site's), feeds,
    sitemap and static files."""
    pages = {str(page.path) for page in html_pages(site, listings, config, theme)}
    feeds = {prefix + FEED_FILES[fmt][0] for prefix in ("", *(g.tag.url_path for g in site.tag_groups))
             for fmt in config.feeds.formats}
    # A story is named after its first report; which articles lead one only the text analysis
    # knows, so a link to any article's story page passes.
    stories = {output_file(Story(a.slug, a.title, (a,)).url_path) for a in site.articles}
    other = {"sitemap.xml", "robots.txt", *(s.published for s in theme.static_files),
             *(("search/meta.json",) if config.search else ())}
    return frozenset(pages | feeds | stories | other)
