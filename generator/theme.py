"""The theme: a Jinja environment (autoescape on for HTML and XML) and static files.

A site-local ``templates/`` or ``static/`` file overrides the theme's of the same name.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path, PurePosixPath

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from .config import SiteConfig
from .errors import DigestError
from .model import OutputFile


@dataclass(frozen=True)
class StaticFile:
    relative: str  # under static/, with "/" separators
    path: Path


@dataclass(frozen=True)
class Theme:
    environment: Environment
    static_files: tuple[StaticFile, ...]


def human_date(value: datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def iso_date(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def rfc822(value: datetime | None) -> str:
    return format_datetime(value.astimezone(timezone.utc), usegmt=True) if value else ""


def rfc3339(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def load_theme(config: SiteConfig) -> Theme:
    theme_templates = config.theme_dir / "templates"
    if not theme_templates.is_dir():
        raise DigestError.at("theme has no templates folder", config.theme_dir,
                             hint="set theme in site.yaml to a folder holding templates/")
    search_path = [str(p) for p in (config.root / "templates", theme_templates) if p.is_dir()]
    environment = Environment(
        loader=FileSystemLoader(search_path),
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=True,
                                     default=True),
        undefined=StrictUndefined,  # a typo in a template is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    environment.filters.update(human_date=human_date, iso_date=iso_date, rfc822=rfc822,
                               rfc3339=rfc3339)
    return Theme(environment, _static_files(config))


def _static_files(config: SiteConfig) -> tuple[StaticFile, ...]:
    found: dict[str, Path] = {}
    for folder in (config.theme_dir / "static", config.root / "static"):  # later wins
        if folder.is_dir():
            for path in sorted(folder.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    found[path.relative_to(folder).as_posix()] = path
    return tuple(StaticFile(rel, found[rel]) for rel in sorted(found))


def static_files(theme: Theme) -> Iterator[OutputFile]:
    for static in theme.static_files:
        yield OutputFile(PurePosixPath("static", *static.relative.split("/")),
                         static.path.read_bytes(), str(static.path))
