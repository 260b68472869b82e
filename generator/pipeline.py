"""The two stages, each readable top to bottom: ingest (raw -> Markdown) and build (Markdown -> site)."""

from __future__ import annotations

import hashlib
import itertools
import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import ingest as cleaner
from .config import SiteConfig
from .errors import DigestError, Problem
from .feeds import feed_files
from .index import index_site
from .load import find_articles, load_article
from .model import ID_NAMESPACE
from .pages import html_pages
from .sitemap import seo_files
from .taxonomy import Vocabulary
from .text import clean_text
from .theme import load_theme, static_files
from .write import MARKER, check_output_dir, publish, write_text_atomically

Warn = Callable[[str], None]
RAW_SUFFIXES = (".txt",)
# Records what ingest last wrote, so a hand-edited article is recognised and kept.
INGEST_MANIFEST = ".ingest-manifest.json"


@dataclass(frozen=True)
class BuildReport:
    articles: int
    tags: int
    files: int
    bytes: int


def build(config: SiteConfig, warn: Warn) -> BuildReport:
    """content/articles -> site/, published only if every step succeeds."""
    check_output_dir(config.output_dir, config.root, (config.content_dir, config.raw_dir, config.theme_dir,
                                                      config.root / "templates", config.root / "static"))
    vocabulary = Vocabulary.from_topics(config.topics)
    articles = _load_all(find_articles(config.content_dir), config, vocabulary)
    if not articles and (config.output_dir / MARKER).is_file():
        # An emptied content folder (a failed mount, a bad sync) must not wipe a published site.
        raise DigestError.at("no articles to build; the published site is kept", config.content_dir,
                             hint="add articles, or delete the output folder to publish an empty site")
    site = index_site(articles, config)
    for warning in site.warnings:
        warn(str(warning))
    theme = load_theme(config)
    files = itertools.chain(
        html_pages(site, config, theme),
        feed_files(site, config, theme),
        seo_files(site, config, theme),
        static_files(theme),
    )
    written = publish(files, config.output_dir)
    if written.leftover:
        warn(str(Problem("the previous site could not be removed after the swap; delete it by hand",
                         written.leftover)))
    return BuildReport(len(site.articles), len(site.tag_groups), written.files, written.bytes)


def _load_all(paths: list[Path], config: SiteConfig, vocabulary: Vocabulary) -> list:
    """Load every article, reporting all bad files at once."""
    articles, problems = [], []
    for path in paths:
        try:
            articles.append(load_article(path, config, vocabulary))
        except DigestError as exc:
            problems.extend(exc.problems)
    if problems:
        raise DigestError(*problems)
    return articles


@dataclass(frozen=True)
class IngestReport:
    written: tuple[Path, ...]
    unchanged: tuple[Path, ...]
    skipped_edited: tuple[Path, ...]  # changed by hand since ingest wrote them; kept
    failed: tuple[Problem, ...]


def raw_stem(path: Path) -> str:
    return path.name[: -len(path.suffix)] if path.suffix in RAW_SUFFIXES else path.stem


def ingest(raw_dir: Path, out_dir: Path, config: SiteConfig, warn: Warn, *, force: bool = False) -> IngestReport:
    """Clean every raw file into ``out_dir/<stem>.md``; one bad file does not stop the others."""
    if not raw_dir.is_dir():
        raise DigestError.at("raw folder not found", raw_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise DigestError.at("the output path exists and is not a folder", out_dir)
    vocabulary = Vocabulary.from_topics(config.topics)
    rules = cleaner.load_rules()
    recorded = _read_manifest(out_dir)
    manifest = dict(recorded)
    written, unchanged, skipped, failed = [], [], [], []
    for path in sorted(p for p in raw_dir.iterdir() if p.is_file() and p.suffix in RAW_SUFFIXES):
        target = out_dir / f"{raw_stem(path)}.md"
        try:
            text = clean_text(cleaner.decode_raw(path.read_bytes(), path))
            article = cleaner.clean_text_dump(text, vocabulary=vocabulary, rules=rules,
                                              min_mentions=config.tag_min_mentions,
                                              max_inferred=config.tag_max_inferred)
        except DigestError as exc:
            failed.extend(Problem(p.message, p.path or path, p.line, p.hint) for p in exc.problems)
            continue
        for warning in article.warnings:
            warn(str(Problem(warning, path)))
        markdown = cleaner.to_markdown(article, article_id=_stable_id(text))
        digest = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
        current = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None
        if current == digest:
            unchanged.append(target)
        elif current is not None and current != recorded.get(target.name) and not force:
            skipped.append(target)  # changed by hand since ingest wrote it
            continue
        else:
            try:
                write_text_atomically(target, markdown)
            except OSError as exc:
                failed.append(Problem(f"cannot write: {exc.strerror}", target))
                continue
            written.append(target)
        manifest[target.name] = digest
        if manifest != recorded:  # after each article, so a crash part-way keeps the record
            write_text_atomically(out_dir / INGEST_MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            recorded = dict(manifest)
    return IngestReport(tuple(written), tuple(unchanged), tuple(skipped), tuple(failed))


def _stable_id(text: str) -> str:
    """The same input text always gets the same id, so re-ingesting keeps feed GUIDs."""
    return str(uuid.uuid5(ID_NAMESPACE, hashlib.sha256(text.encode("utf-8")).hexdigest()))


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / INGEST_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}
