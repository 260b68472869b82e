"""The ingest audit (``digest ingest --report FILE``): per page, what was kept and what went, and why.

Plain text for an editor to read, or JSON when the file name ends in ``.json``. Only the
formatting lives here; the pipeline gathers the outcomes and the writer writes the file.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from ..errors import Problem, display_path
from .article import CleanedArticle

WRITTEN, UNCHANGED, KEPT_EDITED, DUPLICATE, FAILED = (
    "written", "unchanged", "kept (edited by hand)", "duplicate", "failed")
STATUSES = (WRITTEN, UNCHANGED, KEPT_EDITED, DUPLICATE, FAILED)
_SHOWN_CHARS = 160


@dataclass(frozen=True)
class PageOutcome:
    raw: Path
    target: Path | None
    status: str  # one of STATUSES
    detail: str | None = None  # what it duplicates, or why it was kept
    article: CleanedArticle | None = None
    profile: str | None = None  # the source profile applied
    problems: tuple[Problem, ...] = ()  # why it failed

    @property
    def explanation(self) -> str | None:
        return "; ".join(str(p) for p in self.problems) if self.problems else self.detail


def format_report(outcomes: Sequence[PageOutcome], raw_dir: Path, out_dir: Path, as_json: bool) -> str:
    return _json_report(outcomes) if as_json else _text_report(outcomes, raw_dir, out_dir)


def _text_report(outcomes: Sequence[PageOutcome], raw_dir: Path, out_dir: Path) -> str:
    counts = Counter(o.status for o in outcomes)
    lines = [f"digest ingest report: {len(outcomes)} pages, {display_path(raw_dir)} -> {display_path(out_dir)}",
             ", ".join(f"{status} {counts[status]}" for status in STATUSES), ""]
    for outcome in outcomes:
        target = f" -> {display_path(outcome.target)}" if outcome.target else ""
        lines.append(f"## {display_path(outcome.raw)}{target}: {outcome.status}")
        if outcome.explanation:
            lines.append(f"   {outcome.explanation}")
        article = outcome.article
        if article is not None:
            lines.extend(_metadata_lines(article, outcome.profile))
            words = sum(len(p.split()) for p in article.paragraphs)
            lines.append(f"kept: {len(article.paragraphs)} paragraphs, {words} words")
            lines.extend(f"  + {_shorten(p)}" for p in article.paragraphs)
            lines.append(f"dropped: {len(article.dropped)} blocks")
            lines.extend(f"  - [{reason}] {_shorten(text)}" for text, reason in article.dropped)
            lines.extend(f"warning: {w}" for w in article.warnings)
        lines.append("")
    return "\n".join(lines)


def _metadata_lines(article: CleanedArticle, profile: str | None) -> list[str]:
    fields = [
        ("title", article.title), ("date", _date_text(article.date) or "none stated"),
        ("author", article.author), ("source", article.source), ("source_url", article.source_url),
        ("image_caption", article.image_caption), ("image_credit", article.image_credit),
        ("tags", ", ".join(article.tags) or None), ("profile", profile),
    ]
    return [f"{name}: {value}" for name, value in fields if value]


def _json_report(outcomes: Sequence[PageOutcome]) -> str:
    pages = []
    for outcome in outcomes:
        page: dict[str, object] = {
            "raw": str(outcome.raw), "target": str(outcome.target) if outcome.target else None,
            "status": outcome.status, "detail": outcome.explanation, "profile": outcome.profile,
        }
        article = outcome.article
        if article is not None:
            page.update({
                "title": article.title, "date": _date_text(article.date), "author": article.author,
                "source": article.source, "source_url": article.source_url,
                "image_caption": article.image_caption, "image_credit": article.image_credit,
                "tags": list(article.tags), "summary": article.summary,
                "kept": list(article.paragraphs),
                "dropped": [{"text": text, "reason": reason} for text, reason in article.dropped],
                "warnings": list(article.warnings),
            })
        pages.append(page)
    return json.dumps({"pages": pages}, ensure_ascii=False, indent=1) + "\n"


def _date_text(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _shorten(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN_CHARS else text[:_SHOWN_CHARS - 1].rstrip() + "…"
