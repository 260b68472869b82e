"""Articles -> Site: order, tag groups, related links, build date; URL and tag collisions."""

from __future__ import annotations

import dataclasses
import os
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .model import Article, Site, TagGroup, guid
from .analysis import CountTexts, ReadKept, analyse
from .related import KeptLinks, chosen_links
from .stories import story_index
from .taxonomy import normalize_key
from .text_model import TextModel

EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def newest_first(article: Article) -> tuple:
    """Dated articles newest first; undated ones after them (as Hugo treats a zero date), by title."""
    if article.date is None:
        return (1, 0.0, article.title.casefold(), article.slug)
    return (0, -article.date.timestamp(), article.title.casefold(), article.slug)


UNDATED = "no date; listed after dated articles and fed without a publication date"
UNDATED_HINT = "add date: YYYY-MM-DD to its front matter if the source states one"
UPDATED_BEFORE_DATE = "updated is before date; feeds and search engines are told it changed when it was published"
UPDATED_BEFORE_DATE_HINT = "correct updated:, or remove it if the article was not updated after it was published"


def index_site(articles: list[Article], config: SiteConfig, jobs: int | None = None,
               count_texts: CountTexts | None = None, model: TextModel | None = None,
               keep_model: bool = False, read_kept: ReadKept | None = None,
               kept_links: KeptLinks | None = None) -> Site:
    """The site's order, tags, stories and related links; ``count_texts`` gives the texts' term
    counts and keys when the caller keeps them from build to build (the build cache), ``model`` and
    ``keep_model`` and ``read_kept`` are the text analysis's (``analysis.analyse``), ``kept_links`` the
    last build's related links (``related.chosen_links``); with ``keep_model`` the site holds
    what the next build may take of this one's."""
    check_unique(articles)
    # Tags are checked before the text analysis, so a clash is reported at once; corpus topics
    # it adds are named apart from every tag.
    analysis = analyse(sorted(one_spelling_per_tag(articles), key=newest_first), config, jobs, count_texts=count_texts,
                       model=model, keep_model=keep_model, read_kept=read_kept)
    ordered = analysis.articles
    warnings = tuple(Problem(UNDATED, a.source_path, None, UNDATED_HINT) for a in ordered if a.date is None)
    warnings += tuple(Problem(UPDATED_BEFORE_DATE, a.source_path, None, UPDATED_BEFORE_DATE_HINT)
                      for a in ordered if a.updated_before_date)
    date, from_file_times = _build_date(ordered, config.content_dir)
    if from_file_times:
        warnings += (Problem("no article states a date, so the feeds are dated by when the files were last "
                             "changed, which differs between checkouts", config.content_dir, None,
                             "set SOURCE_DATE_EPOCH for builds that are byte-identical everywhere"),)
    stories = analysis.stories
    story_of = story_index(stories)
    related = chosen_links(ordered, config.related_top_k, config.related_weights, analysis.neighbours, story_of,
                           jobs=jobs, zone=config.zone, kept=kept_links)
    return Site(
        articles=ordered,
        tag_groups=group_by_tag(ordered),
        related=related.links,
        build_date=date,
        warnings=warnings,
        stories=stories,
        story_of=story_of,
        text_model=analysis.model,
        kept_neighbours=analysis.kept,
        kept_links=related.kept if keep_model else None,
    )


def group_by_tag(ordered: tuple[Article, ...]) -> tuple[TagGroup, ...]:
    """Each tag with its articles in the given order, by slug."""
    groups: dict[str, list[Article]] = defaultdict(list)
    for article in ordered:
        for tag in article.tags:
            groups[tag.slug].append(article)
    return tuple(TagGroup(next(t for t in members[0].tags if t.slug == slug), tuple(members))
                 for slug, members in sorted(groups.items()))


def build_date(articles: tuple[Article, ...], content_dir: Path) -> datetime:
    """SOURCE_DATE_EPOCH when set, else the newest date in the content: never the clock.

    A site whose articles state no date at all takes the newest modification time of its
    article files (of its content folder, when it has none), so its feeds do not claim 1970,
    which feed validators reject as implausible.
    """
    return _build_date(articles, content_dir)[0]


def _build_date(articles: tuple[Article, ...], content_dir: Path) -> tuple[datetime, bool]:
    """The build date, and whether it had to come from file modification times."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch:
        try:
            return datetime.fromtimestamp(int(epoch), tz=timezone.utc), False
        except (ValueError, OverflowError, OSError):
            raise DigestError.at(f"SOURCE_DATE_EPOCH={epoch!r} is not a Unix timestamp") from None
    dates = [d for a in articles for d in (a.date, a.updated) if d is not None]
    from_file_times = not dates
    if from_file_times:
        dates = [_modified(a.source_path) for a in articles] or [_modified(content_dir)]
    return max(dates, default=EPOCH).astimezone(timezone.utc).replace(microsecond=0), from_file_times


def _modified(path: Path) -> datetime:
    try:
        return datetime.fromtimestamp(int(path.stat().st_mtime), tz=timezone.utc)
    except OSError:
        return EPOCH


def check_unique(articles: list[Article]) -> None:
    """Two articles at one URL or with one id are errors naming both files."""
    problems: list[Problem] = []
    # Ids are compared as feeds see them: "{1234...}" and "1234-..." are one UUID.
    for attribute, what, key_of in (("slug", "URL articles/{}/", lambda a: a.slug),
                                    ("id", "feed id {}", lambda a: guid(a.id))):
        keys = [key_of(article) for article in articles]
        if len(set(keys)) == len(keys):  # the usual case, known without ordering the files
            continue
        owners: dict[str, Article] = {}
        for article, key in sorted(zip(articles, keys), key=lambda pair: str(pair[0].source_path)):
            if key in owners:
                first = owners[key]
                problems.append(Problem(
                    f"{what.format(key)} is claimed by both {display_path(first.source_path)} and "
                    f"{display_path(article.source_path)}",
                    article.source_path, None,
                    f"give one of them a different {'slug' if attribute == 'slug' else 'id'} in its front matter",
                    ("slug", "title") if attribute == "slug" else ("id",)))
            else:
                owners[key] = article
    if problems:
        raise DigestError(*problems)


def one_spelling_per_tag(articles: list[Article]) -> list[Article]:
    """Give every tag one spelling site-wide, or fail when two different names share a slug.

    Spellings that differ only in case or Unicode form ("climate change", "Climate Change")
    are one topic: the most used spelling wins, ties going to the first in sorted order.
    Names that differ otherwise ("C++" and "C") but slug alike are an error naming both.
    """
    problems = shared_tag_pages(articles)
    if problems:
        raise DigestError(*problems)
    return in_most_used_spelling(articles)


def shared_tag_pages(articles: list[Article]) -> list[Problem]:
    """A problem for each page two different tag names would share ("C++" and "C"), naming the
    first file of each, by path."""
    # The spellings of each slug come from the distinct tags; only a slug whose spellings differ
    # by more than case or Unicode form (none, usually) needs the files in order.
    spellings: dict[str, set[str]] = defaultdict(set)
    for tag in {tag for article in articles for tag in article.tags}:
        spellings[tag.slug].add(tag.name)
    clashing = {slug: sorted(names) for slug, names in spellings.items()
                if len({normalize_key(name) for name in names}) > 1}
    first_use: dict[tuple[str, str], Article] = {}
    if clashing:
        for article in sorted(articles, key=lambda a: str(a.source_path)):
            for tag in article.tags:
                if tag.slug in clashing:
                    first_use.setdefault((tag.slug, normalize_key(tag.name)), article)
    problems = []
    for slug, names in sorted(clashing.items()):
        key_a, key_b = sorted({normalize_key(name) for name in names})[:2]
        art_a, art_b = first_use[(slug, key_a)], first_use[(slug, key_b)]
        name_a = next(n for n in names if normalize_key(n) == key_a)
        name_b = next(n for n in names if normalize_key(n) == key_b)
        problems.append(Problem(
            f"tags {name_a!r} ({display_path(art_a.source_path)}) and {name_b!r} "
            f"({display_path(art_b.source_path)}) would share the page tags/{slug}/", art_b.source_path, None,
            "rename one, or make one an alias of the other under topics in site.yaml", ("tags",)))
    return problems


def in_most_used_spelling(articles: list[Article]) -> list[Article]:
    """The articles with each tag in the spelling most articles use among those that differ only in
    case or Unicode form (ties going to the first in sorted order). Names that differ otherwise
    keep their own spelling even where they share a slug: only a build refuses that."""
    used = Counter(tag for article in articles for tag in article.tags)
    topic_of = {tag: (tag.slug, normalize_key(tag.name)) for tag in used}
    uses: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
    for tag, count in used.items():
        uses[topic_of[tag]][tag.name] += count
    chosen = {topic: min(names, key=lambda n: (-names[n], n)) for topic, names in uses.items()}
    respelled = {tag: dataclasses.replace(tag, name=chosen[topic_of[tag]])
                 for tag in used if tag.name != chosen[topic_of[tag]]}
    if not respelled:
        return list(articles)
    return [article if respelled.keys().isdisjoint(article.tags)
            else dataclasses.replace(article, tags=tuple(respelled.get(t, t) for t in article.tags))
            for article in articles]
