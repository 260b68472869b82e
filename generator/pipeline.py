"""The build stage, readable top to bottom: Markdown -> site (the ingest stage is ``ingest_stage``)."""

from __future__ import annotations

import dataclasses
import functools
import itertools
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np

from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .build_cache import EMPTY as EMPTY_CACHE
from .array_stores import (SEARCH_TERMS, TERM_COUNTS, read_counted, read_kept_links, read_kept_neighbours,
                           remove_counted, write_counted, write_kept_links, write_kept_neighbours)
from .build_cache import (COMPILED_TEMPLATES, SPARE, SPARE_FILES, ArticleCache, article_key, prune_output_caches,
                          read_article_cache, read_article_files, read_file_records, retire_file_records,
                          unchanged_keys, write_article_cache, write_article_files, write_file_records)
from .fingerprint import (RECORD, SPARE_RECORD, cache_dir, environment_fingerprint, input_fingerprint, loaded_code,
                          output_cache_dir, read_record, record_text, with_text_model, written_record)
from .feeds import feed_files, feed_text_problems, unknown_feed_names
from .index import in_most_used_spelling, index_site, newest_first
from .content_files import read_bytes
from .load import list_articles, load_article
from .model import Article, BuildReport
from .neighbours import KeptNeighbours
from .listings import plan_listings
from .page_keys import PageKeys
from .pages import html_pages
from .background import in_background, waited_out
from .parallel import available_cores, batches, collector_paused, map_with_shared
from .progress import NO_PROGRESS, Progress
from .analysis import analyse, awaits_corpus_topic
from .stories import other_reports, story_index
from .topics import MIN_ARTICLES as MIN_TOPIC_ARTICLES  # noqa: F401 (the CLI's way to it)
from .related import KeptLinks, related_links
from .search import count_texts, flagged_terms, search_files, text_documents
from .sitemap import seo_files
from .taxonomy import Vocabulary
from .template_cache import TemplateCache
from .count_stores import CountRows, CountsLost, count_kinds, counts_of
from .term_counts import Document, TermCounts, count_terms, document_keys
from .text_model import ModelError, TextModel, model_bytes, read_model
from .theme import load_theme, static_files
from .atomic import exclusive, remove_file, write_bytes_atomically, write_text_atomically
from .output_paths import MARKER, check_output_dir, nothing_to_build
from .spare import Spare, checked_meanwhile
from .write import publish

Warn = Callable[[str], None]
LOCK = "build.lock"  # in the cache folder: one build of a site at a time


def build(config: SiteConfig, warn: Warn, jobs: int | None = None, progress: Progress = NO_PROGRESS,
          inputs: str | None = None, use_cache: bool = True, refit: bool = False) -> BuildReport:
    """content/articles -> site/, published only if every step succeeds; the heavy steps run
    over ``jobs`` processes (default: every core this process may use), reporting to ``progress``.
    ``inputs`` is the input fingerprint taken just before, if the caller has one. Articles
    unchanged since the last build come from the cache, and only pages whose inputs changed
    are rendered, unless ``use_cache`` is False (the caches are written afresh either way). A
    large site's text model is used when it fits the articles, unless ``refit`` asks for a new fit."""
    with exclusive(cache_dir(config) / LOCK), collector_paused():
        return _build(config, warn, jobs, progress, inputs, use_cache, refit)


def _build(config: SiteConfig, warn: Warn, jobs: int | None, progress: Progress, inputs: str | None,
           use_cache: bool, refit: bool) -> BuildReport:
    jobs = available_cores() if jobs is None else jobs
    environment = environment_fingerprint(config)
    # The inputs as they are now: a change during the build means a rebuild next time.
    inputs = input_fingerprint(config, environment) if inputs is None else inputs
    previous = read_file_records(config)
    spare = checked_meanwhile(Spare(output_cache_dir(config) / SPARE,
                                    read_file_records(config, SPARE_FILES) if use_cache else None,
                                    read_record(config, SPARE_RECORD) if use_cache else None))
    # From here on the spare may change: its record goes until a build records it again.
    _keep(config, warn, lambda: remove_file(output_cache_dir(config) / SPARE_RECORD))
    check_output_dir(config.output_dir, config.root, config.input_folders, config.kept_files)
    # A broken theme fails the build before the long work starts.
    theme = load_theme(config, _compiled_templates(config) if use_cache else None)
    vocabulary = Vocabulary.from_topics(config.topics)
    listed = list_articles(config.content_dir, (*config.input_folders, config.output_dir))
    for problem in listed.unread:
        warn(str(problem))
    # Listed first: the cached articles take the listed paths (``read_article_cache``).
    cached = read_article_cache(config, {str(path): path for path in listed.paths}) if use_cache else None
    progress.stage("Loading articles", len(listed.paths))
    known_files = read_article_files(config, environment) if use_cache else {}
    loaded = _load_all(listed.paths, config, vocabulary, environment, cached, jobs, progress, listed.problems,
                       unchanged_keys(known_files, listed.paths, listed.identities))
    articles = list(loaded.values())
    if not articles and (config.output_dir / MARKER).is_file():
        raise nothing_to_build(config.content_dir)
    progress.stage("Relating articles", None)
    texts = _TextCounts(config, environment, jobs, use_cache, warn)
    keep_model = 0 < config.text_model_from <= len(articles)
    model = _read_text_model(config, warn) if keep_model and not refit else None
    # The last build's rows are read once the texts are counted: at 100,000 articles each is about
    # 300 MB, and counting (the stores read and gathered anew) is where a rebuild peaked.
    read_kept = functools.partial(read_kept_neighbours, config, environment) if keep_model and use_cache else None
    kept_links = read_kept_links(config, environment) if keep_model and use_cache else None
    site = index_site(articles, config, jobs, count_texts=texts.related, model=model, keep_model=keep_model,
                      read_kept=read_kept, kept_links=kept_links)
    for warning in site.warnings:
        warn(str(warning))
    for problem in feed_text_problems(site):
        warn(str(problem))
    for name in unknown_feed_names(site, config):
        warn(str(Problem(f"feeds.per_feed names {name!r}, which is no topic of the site", config.path, None,
                         "use a tag name as it appears on the Topics page, or site")))
    # The kept rows and neighbours (46 MB at 10,000 articles) are kept now, written while the
    # pages are planned (0.09 s of a one-edit rebuild there), and let go of once written, before
    # the search index is made and the pages are rendered: neither holds them then.
    kept_written = in_background(functools.partial(_keep_related, config, warn, environment, site.kept_neighbours,
                                                   site.kept_links))
    try:
        site = dataclasses.replace(site, kept_neighbours=None, kept_links=None)
        del kept_links  # the last build's: let go of too
        listings = plan_listings(site, config)
        keys = PageKeys.of(environment, site.articles, config, loaded, site.related)
        feeds = list(feed_files(site, config, theme, keys))
    finally:  # written whole before anything else happens, the build goes on or not
        waited_out(kept_written)
    progress.stage("Writing the search index", None)
    files = itertools.chain(
        # The search index first: its arrays are largest while it is made, before the pages'
        # are. Its terms are not held here: its files hold what they need of them.
        search_files(site, config, jobs, texts.searched(site.articles), environment),
        # The sitemap before the pages: rendered early, its long task cannot be the build's last.
        seo_files(site, listings, config, theme, keys),
        html_pages(site, listings, config, theme, keys),
        feeds,
        static_files(theme),
    )

    written = publish(files, config.output_dir, jobs, progress, previous if use_cache else None, spare)
    if written.leftover:
        warn(str(Problem("the previous site could not be removed after the swap; delete it by hand",
                         written.leftover)))
    if site.text_model is not None and site.text_model is not model:
        try:
            write_bytes_atomically(config.text_model_file, model_bytes(site.text_model))
            inputs = with_text_model(inputs, config)
        except (OSError, DigestError) as exc:
            warn(str(Problem(f"cannot keep the text model ({getattr(exc, 'strerror', None) or exc}); the next build "
                             "fits it again", config.text_model_file)))
    report = BuildReport(len(site.articles), len(site.tag_groups), written.files, written.bytes, written.pages,
                         len(feeds), written.rendered, written.changed)
    record = written_record(inputs, report, written.records, written.folders, written.folder_entries,
                            written.settled_ns, written.folder_id)

    def record_build() -> None:
        write_article_cache(config, cached or EMPTY_CACHE, loaded)
        key_of = dict(zip(listed.paths, loaded))  # loaded is in file order
        write_article_files(config, environment, {path: (identity, key_of[path])
                                                  for path, identity in listed.settled().items()})
        # The last build's records describe the site this one retired: kept, they are the spare's,
        # moved as they are (the spare's own record went as this build started).
        records = output_cache_dir(config)
        if written.kept:
            retire_file_records(config)
        else:
            write_file_records(config, None, SPARE_FILES)
        write_file_records(config, written.records)
        write_text_atomically(records / RECORD, record_text(record))
        prune_output_caches(config)
    _keep(config, warn, record_build)
    return report


@dataclass
class _TextCounts:
    """The articles' texts, counted once for the two steps that read every word of them: the
    analysis for related links (``related``, called with the articles in its order) and then
    search (``searched``). Texts unchanged since the last build are not counted again: their
    counts are kept by text in the build cache, one store for each step."""

    config: SiteConfig
    environment: str
    jobs: int
    use_cache: bool
    warn: Warn
    _counted: tuple[list[Document], list[bytes]] | None = None  # the documents counted, their keys

    def related(self, ordered: Sequence[Article]) -> tuple[CountRows, list[bytes]]:
        search = self.config.search
        documents = text_documents(ordered, search)
        keys = document_keys(documents)
        names = (TERM_COUNTS, SEARCH_TERMS) if search else (TERM_COUNTS,)
        known = tuple(read_counted(self.config, self.environment, name) if self.use_cache else None
                      for name in names)
        count = count_texts if search else count_terms
        try:
            stores = count_kinds(documents, self.jobs, known, keys, count)
        except CountsLost:  # stored rows needed to make a store again could not be read: none is believed
            known = (None,) * len(names)
            stores = count_kinds(documents, self.jobs, known, keys, count)
        changed = [(name, store, before) for name, store, before in zip(names, stores, known) if store is not before]
        # Kept before the analysis, which takes only the rows it weighs: search's terms are read
        # back from the cache when the index is made (held through the analysis, they would raise
        # its peak: about 2.05 GB at 100,000 articles). Should only some be written, the next
        # build finds the stores unlike and counts again.
        kept = not changed or _keep(self.config, self.warn, lambda: [
            write_counted(self.config, self.environment, name, store, before) for name, store, before in changed])
        self._counted = (documents, keys) if search and kept else None
        return stores[0].rows_for(keys, functools.partial(self._counted_again, documents)), keys

    def _counted_again(self, documents: Sequence[Document], which: np.ndarray) -> TermCounts:
        """The counts of ``documents[which]``, made afresh: the stored rows could not be read. The
        stores go, so the next build counts every text again and keeps new ones."""
        self._lost()
        return counts_of([documents[n] for n in which.tolist()], self.jobs)[1]

    def _lost(self) -> None:
        _keep(self.config, self.warn,
              lambda: [remove_counted(self.config, name) for name in (TERM_COUNTS, SEARCH_TERMS)])

    def searched(self, articles: Sequence[Article]) -> TermCounts | None:
        """The articles' search terms, in their order (None when the site has no search, or
        when they cannot be had from this build's counts, which ``search_files`` then makes)."""
        if self._counted is None:
            return None
        (documents, keys), self._counted = self._counted, None
        if text_documents(articles) != documents:  # the analysis keeps texts and order: not met
            return None
        stored = read_counted(self.config, self.environment, SEARCH_TERMS)  # as this build left it
        try:
            return flagged_terms(articles, stored.select(keys)) if stored is not None else None
        except KeyError:  # changed since by something else: not believed
            return None
        except CountsLost:
            self._lost()
            return None


def _compiled_templates(config: SiteConfig) -> TemplateCache:
    """Where the theme's templates are kept as compiled, for the code running now."""
    return TemplateCache(cache_dir(config) / COMPILED_TEMPLATES, loaded_code().fingerprint)


def _read_text_model(config: SiteConfig, warn: Warn) -> TextModel | None:
    """The site's text model, or None (and a warning) when it cannot be read: the build then fits
    a new one, as for a site that has none."""
    try:
        return read_model(config.text_model_file)
    except ModelError as exc:
        problem = f"not a text model this digest can read ({exc})"
    except OSError as exc:
        problem = f"cannot read the text model: {exc.strerror}"
    warn(str(Problem(problem, config.text_model_file, None, "it is fitted again and replaced")))
    return None


def _keep_related(config: SiteConfig, warn: Warn, environment: str, neighbours: KeptNeighbours | None,
                  links: KeptLinks | None) -> None:
    _keep(config, warn, lambda: (write_kept_neighbours(config, environment, neighbours),
                                 write_kept_links(config, environment, links)))


def _keep(config: SiteConfig, warn: Warn, record: Callable[[], object]) -> bool:
    """Write to the build cache, saying whether it was written; a cache that cannot be written
    costs the next build time, not this one."""
    try:
        record()
    except (OSError, DigestError) as exc:
        warn(f"{display_path(cache_dir(config))}: cannot record this build ({exc}); the next one runs in full")
        return False
    return True


def related_by_stem(config: SiteConfig) -> dict[str, list[str]]:
    """``{file stem: [related file stem, ...]}``, best first, for the articles in ``content_dir``.

    Keyed by file, so it works on any folder of articles, even one whose titles would give two
    pages one URL (which only a site build must refuse). The other reports of an article's story
    come first, the closest in time first, as the article page lists them above its related links.
    """
    analysis = analyse(sorted(_load_folder(config), key=newest_first), config)
    story_of = story_index(analysis.stories)
    related = related_links(analysis.articles, config.related_top_k, config.related_weights,
                            analysis.neighbours, story_of, jobs=None)
    return {a.stem: ([report.stem for report in other_reports(a, story_of.get(a.id))]
                     + [link.target.stem for link in related.get(a.id, ())])[:config.related_top_k]
            for a in sorted(analysis.articles, key=_stem)}


def tags_by_stem(config: SiteConfig) -> dict[str, list[str]]:
    """``{file stem: [tag, ...]}``: each article's tags, inferred and corpus topics included, each
    in its topic's spelling on the site ("ukraine" in one article, "Ukraine" in most: "Ukraine").
    Two names sharing a tag page are no error here, as for ``related_by_stem``."""
    analysis = analyse(sorted(in_most_used_spelling(_load_folder(config)), key=newest_first), config)
    return {a.stem: [tag.name for tag in a.tags] for a in sorted(analysis.articles, key=_stem)}


@dataclass(frozen=True)
class SuggestedTopic:
    """A corpus topic offered to the editor (``digest tags --suggest``)."""

    name: str
    keywords: tuple[str, ...]  # the name first
    articles: int
    untagged: int  # of them, articles nothing but this topic tags
    examples: tuple[tuple[str, str], ...]  # (file stem, title), the most typical first


def suggested_topics(config: SiteConfig, examples: int = 3) -> tuple[SuggestedTopic, ...]:
    """The topics found in the corpus of ``content_dir``, largest first, whether or not
    ``tags.corpus_topics`` gives them to articles."""
    loaded = tuple(sorted(_load_folder(config), key=newest_first))
    analysis = analyse(loaded, config, all_topics=True)
    return tuple(
        SuggestedTopic(topic.name, topic.keywords, len(topic.members),
                       sum(1 for m in topic.members if awaits_corpus_topic(loaded[m])),
                       tuple((loaded[m].stem, loaded[m].title) for m in topic.members[:examples]))
        for topic in analysis.topics.topics)


def _load_folder(config: SiteConfig) -> list:
    files = list_articles(config.content_dir)
    return list(_load_all(files.paths, config, Vocabulary.from_topics(config.topics),
                          environment_fingerprint(config), None, available_cores(), problems=files.problems).values())


def _stem(article) -> str:
    return article.stem


LOAD_BATCH = 200  # articles a process loads per task


def _load_all(paths: Sequence[Path], config: SiteConfig, vocabulary: Vocabulary, environment: str,
              cached: ArticleCache | None, jobs: int = 1, progress: Progress = NO_PROGRESS,
              problems: Sequence[Problem] = (), unchanged: Mapping[Path, str] = MappingProxyType({})
              ) -> dict[str, Article]:
    """Every article by its cache key, in file order: from ``cached`` when its file's bytes are
    unchanged (its key known by its identity in ``unchanged``, else read), else loaded over
    ``jobs`` processes; all bad files are reported at once, after the ``problems`` found listing them."""
    found: dict[Path, tuple[str, Article]] = {}
    if cached is not None and cached.shards:  # an empty cache: nothing to read the files for here
        for path in paths:
            try:
                key = unchanged.get(path) or article_key(environment, path, read_bytes(path))  # never blocks on a pipe
            except DigestError:
                continue  # loading it again reports it
            article = cached.get(key)
            if article is not None and article.source_path == path:  # a key recorded for another file: not believed
                found[path] = (key, article)
        progress.advance(len(found))
    missing = [path for path in paths if path not in found]
    problems = list(problems)
    for loaded, failed in map_with_shared(_load_batch, (config, vocabulary, environment, missing),
                                          batches(len(missing), LOAD_BATCH),
                                          jobs, done=lambda batch: progress.advance(len(batch))):
        found.update(loaded)
        problems.extend(failed)
    if problems:
        raise DigestError(*sorted(problems, key=lambda problem: str(problem.path)))  # in file order
    return dict(found[path] for path in paths)


def _load_batch(shared: tuple[SiteConfig, Vocabulary, str, list[Path]], batch: range
                ) -> tuple[list[tuple[Path, tuple[str, Article]]], list[Problem]]:
    config, vocabulary, environment, paths = shared
    articles, problems = [], []
    for path in paths[batch.start:batch.stop]:
        try:
            data = read_bytes(path)
            articles.append((path, (article_key(environment, path, data), load_article(path, config, vocabulary,
                                                                                        data))))
        except DigestError as exc:
            problems.extend(exc.problems)
    return articles, problems
