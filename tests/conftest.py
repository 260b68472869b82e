"""Shared fixtures: small sites written into a temporary folder."""

from __future__ import annotations

import random
import signal
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from generator.frontmatter import dump_front_matter

# Ctrl-C as a terminal delivers it, however the suite was started: a shell's background job
# starts with SIGINT ignored, which Python and every build the tests run would inherit, and
# the tests of Ctrl-C would then see nothing happen.
signal.signal(signal.SIGINT, signal.default_int_handler)

ROOT = Path(__file__).resolve().parents[1]
THEME = ROOT / "themes" / "default"

BASE_CONFIG: dict[str, Any] = {
    "title": "Test Digest",
    "description": "A digest for tests.",
    "base_url": "https://news.example.org/",
    "theme": str(THEME),
    "topics": {"Harbour": ["harbour authority", "port"], "Council": ["city council"], "Floods": []},
}


def article_text(title: str | None = "An article", body: str = "Body text.", **meta: Any) -> str:
    """A Markdown article with front matter; keys given as None are left out."""
    fields = {"title": title, **meta}
    return dump_front_matter(fields, body)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., Path]:
    """Write site.yaml and articles (name -> text) into tmp_path; return the site.yaml path."""

    def make(articles: dict[str, str] | None = None, **config: Any) -> Path:
        (tmp_path / "site.yaml").write_text(yaml.safe_dump({**BASE_CONFIG, **config}), encoding="utf-8")
        content = tmp_path / "content" / "articles"
        content.mkdir(parents=True, exist_ok=True)
        for name, text in (articles or {}).items():
            (content / name).write_text(text, encoding="utf-8")
        return tmp_path / "site.yaml"

    return make


def site_tree(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, by relative path, with its bytes."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def make_article(slug: str, *, tags: tuple[str, ...] = (), date: str | None = "2024-03-30",
                 title: str | None = None, **fields: Any):
    """An Article built directly, for stage tests that need no files."""
    from datetime import datetime

    from generator.model import Article, Tag
    from generator.taxonomy import slugify

    values = dict(
        source_path=Path(f"content/articles/{slug}.md"), stem=slug, id=f"id-{slug}", slug=slug,
        title=title or slug.replace("-", " ").title(),
        date=_aware(datetime.fromisoformat(date)) if date else None,
        updated=None, author=None, source=None, source_url=None, image_caption=None, image_credit=None,
        tags=tuple(Tag(slugify(t), t) for t in tags), summary=None, body="Body.")
    values.update(fields)
    return Article(**values)


def _aware(moment):
    from datetime import timezone

    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


# Word pools of distinct subjects, for corpus topic and clustering tests.
POOLS = {
    "harbour": "harbour quay ships cranes dock cargo port ferry sailors tide".split(),
    "council": "council mayor budget vote councillors taxes planning committee election ward".split(),
    "school": "school pupils teachers exams classroom headteacher lessons curriculum term grades".split(),
    "hospital": "hospital nurses patients doctors ward surgery clinic beds waiting treatment".split(),
}
FILLER = "today report week city people local officials statement spokesman area".split()


def subject_corpus(count: int, subjects: int, seed: int = 5) -> tuple[list[tuple[str, str]], list[str]]:
    """(title, body) of ``count`` articles on ``subjects`` subjects in turn, each written from its
    own word pool plus shared filler, and the subject of each."""
    rng = random.Random(seed)
    names = list(POOLS)[:subjects]
    docs, truth = [], []
    for n in range(count):
        subject = names[n % subjects]
        words = rng.choices(POOLS[subject], k=30) + rng.choices(FILLER, k=30)
        docs.append((f"{rng.choice(POOLS[subject])} {rng.choice(FILLER)}", " ".join(words)))
        truth.append(subject)
    return docs, truth


@pytest.fixture
def installed_copy(tmp_path: Path) -> Callable[[], Path]:
    """A copy of digest's package in a folder of its own, for a test to run (PYTHONPATH) and then
    upgrade on disk as pip or git would; returns the folder to put on the path."""

    def copy() -> Path:
        import shutil

        folder = tmp_path / "installed"
        shutil.copytree(ROOT / "generator", folder / "generator", ignore=shutil.ignore_patterns("__pycache__"))
        return folder

    return copy


def upgrade(folder: Path) -> None:
    """digest's copy in ``folder`` changed on disk: every article body gets a mark after it."""
    markup = folder / "generator" / "markup.py"
    old = "    return sanitize_html(render_markdown(text))\n"
    assert old in markup.read_text(encoding="utf-8")
    markup.write_text(markup.read_text(encoding="utf-8").replace(
        old, '    return sanitize_html(render_markdown(text)) + "<!--v2-->"\n'), encoding="utf-8")
