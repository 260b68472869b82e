"""New sites and new articles: what ``digest init`` and ``digest new`` put on disk.

Both only ever create files: an existing file is never overwritten, so running either twice,
or in the wrong folder, cannot destroy an editor's work.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import datetime
from collections.abc import Mapping
from pathlib import Path

from .config import DEFAULT_THEME, SiteConfig, builtin_theme
from .errors import DigestError, display_path
from .frontmatter import dump_front_matter
from .load import find_articles, load_article
from .model import stable_id
from .taxonomy import Vocabulary, slugify
from .text import clean_text

CONFIG_NAME = "site.yaml"
WELCOME_STEM = "welcome-to-your-digest"


@dataclass(frozen=True)
class NewSite:
    folder: Path
    created: tuple[Path, ...]  # files and folders made, in order
    kept: tuple[Path, ...]  # files that were there already and were left alone


def init_site(folder: Path, title: str, base_url: str, now: datetime, copy_theme: bool = False,
              add_missing: bool = False) -> NewSite:
    """A site ``digest build`` turns into a site at once: a commented site.yaml, the content
    folders with one welcome article, a .gitignore, and the default theme by reference (or a
    copy in ``themes/default/`` to customise). A folder that is not empty is refused unless
    ``add_missing``, which adds only what is missing."""
    if folder.exists() and not folder.is_dir():
        raise DigestError.at("exists and is not a folder", folder, hint="choose a new folder name")
    if folder.is_dir() and any(folder.iterdir()) and not add_missing:
        what = "is a digest site already" if (folder / CONFIG_NAME).exists() else "is not empty"
        raise DigestError.at(f"the folder {what}", folder,
                             hint="choose a new folder, or add --force to add only the files it lacks")
    title = " ".join(clean_text(title).split()) or "My Digest"
    files = {
        Path(CONFIG_NAME): site_yaml(title, base_url, "themes/default" if copy_theme else DEFAULT_THEME),
        Path(".gitignore"): "# Build output and digest's cache: made again by `digest build`.\nsite/\n.digest-cache/\n",
        Path("content/raw/.gitkeep"): "",  # hidden: ingest skips it
        Path("content/articles") / f"{WELCOME_STEM}.md": welcome_article(title, now),
    }
    created, kept = [], []
    for relative, text in files.items():
        target = folder / relative
        if _create(target, text):
            created.append(target)
        else:
            kept.append(target)
    if copy_theme:
        theme = folder / "themes" / DEFAULT_THEME
        if theme.exists():
            kept.append(theme)
        else:
            shutil.copytree(builtin_theme(), theme, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            created.append(theme)
    return NewSite(folder, tuple(created), tuple(kept))


def new_article(config: SiteConfig, title: str, tags: list[str], date: datetime, slug: str | None = None,
                taken: Mapping[str, Path] | None = None) -> Path:
    """A new article in the content folder, named after its slug, with valid front matter and a
    stable id; an article of that name already there, or one at its URL (``taken``: slug ->
    file), is an error, never overwritten."""
    title = " ".join(clean_text(title).split())
    if not title:
        raise DigestError.at("the title is empty", config.content_dir, hint='digest new "Kremlin says ..."')
    stem = slugify(slug or title)
    if not stem:
        raise DigestError.at(f"no file name can be made from {slug or title!r}", config.content_dir,
                             hint="give one with --slug, e.g. --slug moscow-concert-attack")
    target = config.content_dir / f"{stem}.md"
    other = (taken or {}).get(stem)
    if other is not None and other != target:
        raise DigestError.at(f"the URL articles/{stem}/ is taken by {display_path(other)}", target,
                             hint="give the new article another --slug")
    meta = {"id": stable_id(None, stem), "title": title, "date": date.replace(microsecond=0),
            "tags": [name for name in (" ".join(clean_text(t).split()) for t in tags) if name] or None,
            "summary": None}
    if slug:
        meta["slug"] = stem
    text = dump_front_matter(meta, "Write the article here, in Markdown.")
    if not _create(target, text):
        raise DigestError.at("an article of that name exists already", target,
                             hint="edit it, or give the new one another --slug")
    return target


def taken_slugs(config: SiteConfig) -> dict[str, Path]:
    """The URL slug of every article that loads, and its file (``digest check`` reports the rest)."""
    vocabulary = Vocabulary.from_topics(config.topics)
    taken = {}
    for path in find_articles(config.content_dir) if config.content_dir.is_dir() else ():
        try:
            taken[load_article(path, config, vocabulary).slug] = path
        except DigestError:
            continue
    return taken


def _create(path: Path, text: str) -> bool:
    """Write a new file (and its folders); False if something is there already."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with open(path, "x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        return False
    return True


def site_yaml(title: str, base_url: str, theme: str) -> str:
    """site.yaml for a new site: every key a new editor meets, with its default and what it does."""
    return SITE_YAML.format(title=_yaml_text(title), base_url=_yaml_text(base_url), theme=_yaml_text(theme))


def _yaml_text(text: str) -> str:
    """A YAML double-quoted scalar: safe for any title an editor types."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return f'"{escaped}"'


def welcome_article(title: str, now: datetime) -> str:
    meta = {"id": stable_id(None, WELCOME_STEM), "title": f"Welcome to {title}",
            "date": now.replace(microsecond=0), "tags": ["Getting started"],
            "summary": "Your digest is built. Replace this article with your own."}
    return dump_front_matter(meta, WELCOME_BODY)


WELCOME_BODY = """\
This site was made by `digest init`. Every page, topic page and feed you see was built from the
Markdown files in `content/articles/`.

The daily loop:

1. Save scraped pages (text dumps or HTML) into `content/raw/`.
2. `digest ingest content/raw --out content/articles` cleans them into Markdown.
3. Review and edit the articles; `digest check` finds problems before you publish.
4. `digest serve` shows the site at http://127.0.0.1:8000/ and reloads it as you edit.
5. `digest build` writes `site/`, ready for any static host.

Delete this file when your first article is in.
"""

SITE_YAML = """\
# digest site configuration. Only title and base_url are required; the keys below show their
# defaults. Paths are relative to this file. Every key is listed in digest's README ("site.yaml").
title: {title}
base_url: {base_url}   # where the site is published: feeds, sitemap and canonical links use it
description: ""
language: en                             # the pages' lang and the feeds' language
author: ""                               # feed author when an article names none
timezone: UTC                            # for dates stated without a time zone, e.g. Europe/Moscow

content_dir: content/articles            # Markdown articles (digest build reads this)
raw_dir: content/raw                     # scraped pages (digest ingest reads this)
output_dir: site                         # replaced whole by each successful build
theme: {theme}   # "default": the theme digest ships with; or a theme folder's path.
# A file in templates/ or static/ beside this file replaces the theme's file of that name.

feeds:                                   # site-wide feeds, and per topic under tags/<slug>/
  items: 20                              # newest N articles per feed
  full_content: true                     # false: summaries only
  formats: [rss, atom, json]             # RSS 2.0, Atom 1.0, JSON Feed 1.1

pagination:
  per_page: 10                           # articles per index and topic page; 0: all on one page

digests:
  daily: true                            # days/YYYY-MM-DD/: one page per day, grouped by topic
  weekly: true                           # weeks/YYYY-MM-DD/ (the Monday)

search: true                             # search/: a static index searched in the browser

related:
  top_k: 5                               # related links per article

tags:
  min_mentions: 2                        # body mentions before a topic is inferred
  corpus_topics: true                    # untagged articles get a topic found in the text

# The topic vocabulary: tag name -> other spellings. Every tag is mapped onto these names,
# so one topic has one page; ingest infers tags from it. `digest tags --suggest` proposes some.
topics:
  Getting started: []
"""
