"""The ingest stage, readable top to bottom: scraped pages (raw text or HTML) -> Markdown articles."""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from .config import SiteConfig
from .errors import DigestError, Problem, display_path
from .frontmatter import split_front_matter
from .ingest import CleanedArticle, load_rules, to_markdown
from .ingest.duplicates import Candidate, Duplicate, find_duplicates
from .ingest.hosts import page_host
from .ingest.profiles import Profile, find_profile, load_profiles
from .ingest.raw import RawPage, clean_page, find_raw_pages, read_page
from .ingest.repeats import RepeatedBlocks, repeated_blocks
from .ingest.report import DUPLICATE, FAILED, KEPT_EDITED, UNCHANGED, WRITTEN, PageOutcome, format_report
from .model import stable_id
from .progress import NO_PROGRESS, Progress
from .taxonomy import Vocabulary
from .atomic import write_text_atomically

Warn = Callable[[str], None]
# Records what ingest last wrote, so a hand-edited article is recognised and kept.
INGEST_MANIFEST = ".ingest-manifest.json"


@dataclass(frozen=True)
class IngestReport:
    outcomes: tuple[PageOutcome, ...]  # one per raw page, in file-name order
    ignored: tuple[Path, ...]  # files in the raw folder that are not pages

    def having(self, status: str) -> tuple[PageOutcome, ...]:
        return tuple(o for o in self.outcomes if o.status == status)

    def targets(self, status: str) -> tuple[Path, ...]:
        return tuple(o.target for o in self.having(status) if o.target is not None)

    @property
    def written(self) -> tuple[Path, ...]:
        return self.targets(WRITTEN)

    @property
    def unchanged(self) -> tuple[Path, ...]:
        return self.targets(UNCHANGED)

    @property
    def skipped_edited(self) -> tuple[Path, ...]:
        return self.targets(KEPT_EDITED)

    @property
    def failed(self) -> tuple[Problem, ...]:
        return tuple(p for o in self.having(FAILED) for p in o.problems)


def ingest(raw_dir: Path, out_dir: Path, config: SiteConfig, warn: Warn, *, force: bool = False,
           report_path: Path | None = None, progress: Progress = NO_PROGRESS) -> IngestReport:
    """Clean every raw page into ``out_dir/<stem>.md``; one bad page does not stop the others.
    Each page cleaned is reported to ``progress``."""
    if not raw_dir.is_dir():
        raise DigestError.at("raw folder not found", raw_dir)
    if out_dir.exists() and not out_dir.is_dir():
        raise DigestError.at("the output path exists and is not a folder", out_dir)
    if report_path is not None and report_path.suffix.lower() == ".md" \
            and report_path.resolve().parent == out_dir.resolve():
        raise DigestError.at("the report would be read as an article", report_path,
                             hint="write it outside the articles folder or give it another suffix")
    profiles = load_profiles(config.profiles_dir)
    folder = find_raw_pages(raw_dir)
    clean: Clean = functools.partial(clean_page, vocabulary=Vocabulary.from_topics(config.topics),
                                     rules=load_rules(), min_mentions=config.tag_min_mentions,
                                     max_inferred=config.tag_max_inferred)
    progress.stage("Cleaning pages", len(folder.pages))
    cleaned, failed = _clean_each(folder.pages, clean, progress)
    cleaned, profile_of, failed_again = _apply_source_rules(cleaned, profiles, clean, config.duplicate_threshold)
    duplicates = _find_duplicates(cleaned, out_dir, config.duplicate_threshold)
    written = _write_articles(cleaned, duplicates, profile_of, out_dir, warn, force)
    clashes = [PageOutcome(Path(p.path), None, FAILED, problems=(p,)) for p in folder.clashes]
    outcomes = sorted([*failed, *failed_again, *written, *clashes], key=lambda o: o.raw.name)
    report = IngestReport(tuple(outcomes), folder.ignored)
    if report_path is not None:
        text = format_report(report.outcomes, raw_dir, out_dir, as_json=report_path.suffix.lower() == ".json")
        try:
            write_text_atomically(report_path, text)
        except OSError as exc:
            raise DigestError.at(f"cannot write the report: {exc.strerror}", report_path) from None
    return report


Clean = Callable[..., CleanedArticle]


def _clean_each(pages: tuple[RawPage, ...], clean: Clean, progress: Progress
                ) -> tuple[dict[RawPage, CleanedArticle], list[PageOutcome]]:
    cleaned, failed = {}, []
    for page in pages:
        try:
            cleaned[page] = clean(page, read_page(page))
        except DigestError as exc:
            failed.append(_failed(page, exc.problems))
        progress.advance(1)
    return cleaned, failed


def _apply_source_rules(cleaned: dict[RawPage, CleanedArticle], profiles: tuple[Profile, ...], clean: Clean,
                        threshold: float
                        ) -> tuple[dict[RawPage, CleanedArticle], dict[RawPage, Profile | None], list[PageOutcome]]:
    """Clean again the pages that a source profile or a block repeated across their source's pages touches.

    Blocks are counted over one copy of each story: three scrapes of one page would otherwise
    make every paragraph of it repeated, and leave no copy with a body. Pages of no known
    source are no source's pages, so unrelated stories never lose a sentence they share."""
    profile_of = {page: find_profile(profiles, page_host(article.source_url), article.source, page.path.name)
                  for page, article in cleaned.items()}
    source_of = {page: _source_key(article, profile_of[page]) for page, article in cleaned.items()}
    copies = find_duplicates([Candidate(str(page.path), "\n".join(article.paragraphs), article.source_url)
                              for page, article in cleaned.items()], threshold)
    repeats = repeated_blocks((source_of[page], _block_texts(article)) for page, article in cleaned.items()
                              if source_of[page] is not None and str(page.path) not in copies)
    result, failed = {}, []
    for page, article in cleaned.items():
        profile = profile_of[page]
        source = source_of[page]
        hook = _boilerplate_hook(profile, repeats.get(source) if source is not None else None)
        if hook is not None and any(hook(text) for text in _block_texts(article)):
            try:  # read again rather than hold every page's text through the first pass
                article = clean(page, read_page(page), boilerplate=hook)
            except DigestError as exc:
                failed.append(_failed(page, exc.problems))
                continue
        if profile is not None and profile.source:
            article = dataclasses.replace(article, source=profile.source)
        result[page] = article
    return result, profile_of, failed


def _find_duplicates(cleaned: dict[RawPage, CleanedArticle], out_dir: Path, threshold: float) -> dict[str, Duplicate]:
    """One story, one article: articles already written come first, so re-ingests are stable."""
    targets = {page: _target(out_dir, page) for page in cleaned}
    batch = sorted(cleaned, key=lambda p: (not targets[p].is_file(), p.path.name))
    candidates = [*_existing_articles(out_dir, {t.name.casefold() for t in targets.values()}),
                  *(Candidate(str(page.path), "\n".join(cleaned[page].paragraphs), cleaned[page].source_url)
                    for page in batch)]
    return find_duplicates(candidates, threshold)


def _write_articles(cleaned: dict[RawPage, CleanedArticle], duplicates: dict[str, Duplicate],
                    profile_of: dict[RawPage, Profile | None], out_dir: Path, warn: Warn,
                    force: bool) -> list[PageOutcome]:
    """Write each article, never over one edited by hand since ingest wrote it (unless ``force``)."""
    recorded = _read_manifest(out_dir)
    manifest = dict(recorded)
    outcomes = []
    for page, article in cleaned.items():
        target = _target(out_dir, page)
        profile = profile_of[page].name if profile_of[page] else None
        duplicate = duplicates.get(str(page.path))
        if duplicate is not None:
            outcomes.append(PageOutcome(page.path, target, DUPLICATE, _duplicate_detail(duplicate, target),
                                        article, profile))
            continue
        markdown = to_markdown(article, article_id=stable_id(article.source_url, page.stem))
        digest = hashlib.sha256(markdown.encode("utf-8")).hexdigest()
        current = hashlib.sha256(target.read_bytes()).hexdigest() if target.is_file() else None
        if current == digest:
            status = UNCHANGED
        elif current is not None and current != recorded.get(target.name) and not force:
            outcomes.append(PageOutcome(page.path, target, KEPT_EDITED,
                                        "edited by hand since the last ingest; --force overwrites it",
                                        article, profile))
            continue
        else:
            try:
                write_text_atomically(target, markdown)
            except OSError as exc:
                outcomes.append(_failed(page, (Problem(f"cannot write: {exc.strerror}", target),)))
                continue
            status = WRITTEN
        outcomes.append(PageOutcome(page.path, target, status, None, article, profile))
        for warning in article.warnings:
            warn(str(Problem(warning, page.path)))
        manifest[target.name] = digest
        if manifest != recorded:  # after each article, so a crash part-way keeps the record
            write_text_atomically(out_dir / INGEST_MANIFEST, json.dumps(manifest, indent=1, sort_keys=True) + "\n")
            recorded = dict(manifest)
    return outcomes


def _target(out_dir: Path, page: RawPage) -> Path:
    return out_dir / f"{page.stem}.md"


def _failed(page: RawPage, problems: tuple[Problem, ...]) -> PageOutcome:
    return PageOutcome(page.path, None, FAILED, problems=problems)


def _source_key(article: CleanedArticle, profile: Profile | None) -> str | None:
    """Pages are one source when a profile, the URL's host or the named publisher says so;
    None when none does."""
    if profile is not None:
        return profile.name
    return page_host(article.source_url) or article.source or None


def _block_texts(article: CleanedArticle) -> list[str]:
    return [*article.paragraphs, *(text for text, _ in article.dropped)]


def _boilerplate_hook(profile: Profile | None, repeats: RepeatedBlocks | None) -> Callable[[str], str | None] | None:
    if profile is None and repeats is None:
        return None

    def reason(text: str) -> str | None:
        return (profile.drop_reason(text) if profile else None) or (repeats.reason(text) if repeats else None)
    return reason


def _existing_articles(out_dir: Path, batch_names: set[str]) -> list[Candidate]:
    """Articles already in the output folder that no page of this run writes."""
    if not out_dir.is_dir():
        return []
    found = []
    for path in sorted(out_dir.glob("*.md")):
        if path.name.casefold() in batch_names or not path.is_file():
            continue
        try:
            article = split_front_matter(path.read_text(encoding="utf-8"), path)
        except (OSError, UnicodeDecodeError, DigestError):
            continue  # not ours to judge here; digest build reports bad articles
        url = article.meta.data.get("source_url")
        found.append(Candidate(str(path), article.body, url if isinstance(url, str) else None))
    return found


def _duplicate_detail(duplicate: Duplicate, target: Path) -> str:
    detail = duplicate.reason.replace(duplicate.of, display_path(duplicate.of))
    if target.is_file():
        detail += f"; {display_path(target)} from an earlier ingest is left in place, delete it if unwanted"
    return detail


def _read_manifest(out_dir: Path) -> dict[str, str]:
    try:
        data = json.loads((out_dir / INGEST_MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {k: v for k, v in data.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(data, dict) else {}
