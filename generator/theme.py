"""The theme: a Jinja environment (autoescape on for HTML and XML) and static files.

A site-local ``templates/`` or ``static/`` file overrides the theme's of the same name.
Static files are published under content-hashed names (``static/style.1a2b3c4d5e.css``) so
browsers may cache them for ever; templates ask for them by plain name with ``asset()``.
"""

from __future__ import annotations

import functools
import hashlib
import html
import posixpath
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import format_datetime
from pathlib import Path, PurePosixPath
from types import FunctionType, MethodType
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import (BytecodeCache, Environment, FunctionLoader, StrictUndefined, Template, TemplateSyntaxError,
                    select_autoescape)
from jinja2.runtime import Context
from markupsafe import Markup, escape

try:  # markupsafe's C escaping of a str, which makes no Markup
    from markupsafe._speedups import _escape_inner
except ImportError:  # markupsafe without its C part
    def _escape_inner(text: str) -> str:
        return str(escape(text))

from .config import SiteConfig
from .dates import human_date
from .text import has_end_tag
from .errors import DigestError, Problem
from .folders import files_under, is_scratch_name
from .model import OutputFile


# The files of a templates/ folder that are templates: pages and the parts they include (.html),
# feeds and the sitemap (.xml), plain text (.txt). Anything else there (a README.md, a logo.png,
# a base.html.bak) is none: compiled, it gave bogus errors, and an image failed the build.
TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")

# url(...) references in CSS, rewritten to the hashed names of the files they name.
_CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")\s]+)\1\s*\)""")


@dataclass(frozen=True)
class StaticFile:
    relative: str  # under static/, with "/" separators: its plain name
    published: str  # the site path it is published at, with a content hash in the name
    content: bytes


@dataclass(frozen=True)
class Theme:
    environment: Environment
    static_files: tuple[StaticFile, ...]
    # Template name -> (source, file it was read from): read once, so rendering reads no files
    # and a theme sent to another machine (``--executor dask``) renders the same pages.
    sources: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    zone: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))

    def __reduce__(self) -> tuple[Any, ...]:
        return make_theme, (dict(self.sources), self.static_files, self.zone)

    def asset_path(self, name: str) -> str:
        """The published site path of a static file named ``name``; an unknown name is an error."""
        for static in self.static_files:
            if static.relative == name:
                return static.published
        raise KeyError(f"no static file {name!r} in the theme or the site's static/ folder")


def iso_date(value: datetime | None) -> str:
    return value.isoformat() if value else ""


def rfc822(value: datetime | None) -> str:
    return format_datetime(value.astimezone(timezone.utc), usegmt=True) if value else ""


def rfc3339(value: datetime | None) -> str:
    return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ") if value else ""


def xml_text(value: object) -> Markup:
    """Plain text for a feed element, with ``&``, ``<``, ``>`` and quotes as hexadecimal references.

    The W3C Feed Validator reads plain-text elements (titles, names, categories) for HTML and
    recommends exactly this spelling for text that contains such characters (its
    CharacterData and ContainsHTML notes); readers see the same text either way.
    """
    text = str(value)
    for char, reference in (("&", "&#x26;"), ("<", "&#x3C;"), (">", "&#x3E;"), ('"', "&#x22;"), ("'", "&#x27;")):
        text = text.replace(char, reference)
    return Markup(text)


def atom_text(value: object, element: str) -> Markup:
    """An Atom text construct holding plain text: ``<title>...</title>``.

    Text that contains what reads as an HTML end tag ("Why </script> fails") is sent as
    ``type="html"``, escaped as HTML, because the W3C validator warns about HTML in a plain
    text construct (ContainsUndeclaredHTML); readers show the same text either way.
    """
    text = str(value)
    if has_end_tag(text):
        return Markup(f'<{element} type="html">{xml_text(html.escape(text, quote=False))}</{element}>')
    return Markup(f"<{element}>{xml_text(text)}</{element}>")


def load_theme(config: SiteConfig, compiled_templates: BytecodeCache | None = None) -> Theme:
    """The site's theme, its templates compiled as ``compiled_templates`` keeps them, when given."""
    theme_templates = config.theme_dir / "templates"
    if not theme_templates.is_dir():
        raise DigestError.at("theme has no templates folder", config.theme_dir,
                             hint="set theme in site.yaml to a folder holding templates/")
    sources: dict[str, tuple[str, str]] = {}
    for folder in (theme_templates, config.root / "templates"):  # later wins: the site's own override
        for path in filter(is_template, _files(folder)):
            sources[path.relative_to(folder).as_posix()] = (_template_text(path), str(path))
    return make_theme(sources, _static_files(config), config.zone, compiled_templates)


def is_template(path: Path) -> bool:
    return path.name.endswith(TEMPLATE_SUFFIXES)


def _files(folder: Path) -> list[Path]:
    """The files under ``folder``, through links to folders, sorted; broken links, hidden files
    and editor scratch files (swap files, backups) left out."""
    return sorted(Path(entry.path) for entry in files_under(str(folder))
                  if entry.is_file() and not is_scratch_name(entry.name))


def _template_text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise DigestError.at(f"cannot read template: {exc.strerror}", path) from None
    except UnicodeDecodeError as exc:
        raise DigestError.at(f"template is not valid UTF-8 at byte {exc.start}", path,
                             hint="save the file as UTF-8") from None


def make_theme(sources: Mapping[str, tuple[str, str]], static: tuple[StaticFile, ...], zone: ZoneInfo,
               compiled_templates: BytecodeCache | None = None) -> Theme:
    """A theme of templates given as sources (name -> (source, file name)), compiled as
    ``compiled_templates`` keeps them, when given. (Sent to another machine, a theme compiles
    afresh.)"""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        found = sources.get(name)
        return None if found is None else (found[0], found[1], _always)

    environment = Environment(
        loader=FunctionLoader(load),
        autoescape=select_autoescape(enabled_extensions=("html", "xml"), default_for_string=True,
                                     default=True),
        undefined=StrictUndefined,  # a typo in a template is an error, not an empty string
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,  # templates do not change during a build: no stat of each file per page
        bytecode_cache=compiled_templates,
    )
    environment.template_class = _Template
    environment.context_class = _Context
    environment.filters.update(human_date=_by_moment(functools.partial(human_date, zone=zone)),
                               iso_date=_by_moment(iso_date), rfc822=_by_moment(rfc822),
                               rfc3339=_by_moment(rfc3339), xml_text=xml_text, atom_text=atom_text)
    return Theme(environment, static, sources, zone)


def template_problems(theme: Theme) -> list[Problem]:
    """A problem at the line of each template that does not compile: the build finds them only
    in the templates it renders, when it renders them."""
    problems = []
    for name, (_, filename) in sorted(theme.sources.items()):
        try:
            theme.environment.get_template(name)
        except TemplateSyntaxError as exc:
            problems.append(Problem(f"template error: {exc.message}", exc.filename or filename, exc.lineno))
    return problems


def _escape_output(value: Any) -> str:
    """``markupsafe.escape`` for what a template prints, which is only ever joined into the page:
    plain text is escaped into a ``str``, not a ``Markup``. A page prints a hundred values or
    more, and making each a ``Markup`` was a quarter of the time a topic page took to render."""
    return _escape_inner(value) if type(value) is str else escape(value)


class _Template(Template):
    """A template whose printed values are escaped by ``_escape_output``.

    Jinja's compiled templates escape each printed value with the ``escape`` of their module
    (in autoescape mode, and only there: ``{{ value }}``); everything else, filters included,
    is as Jinja makes it."""

    @classmethod
    def from_code(cls, environment: Environment, code: Any, globals: Any, uptodate: Any = None) -> Template:
        template = super().from_code(environment, code, globals, uptodate)
        # The module's one dict of globals, which its blocks and macros share.
        template.root_render_func.__globals__["escape"] = _escape_output
        return template


class _Context(Context):
    """A template context whose calls of plain Python functions and methods (``link()``,
    ``asset()``) skip Jinja's look for ``pass_context`` and the like on each: a page makes
    about forty such calls, and the look cost three times the call (1.5 us of 2 us)."""

    def call(__self, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own names
        function = __obj.__func__ if type(__obj) is MethodType else __obj
        if type(function) is not FunctionType or "jinja_pass_arg" in function.__dict__:
            return super().call(__obj, *args, **kwargs)
        kwargs.pop("_block_vars", None)  # Jinja adds these for a pass_context callable to take
        kwargs.pop("_loop_vars", None)
        try:
            return __obj(*args, **kwargs)
        except StopIteration:  # as Jinja's: a generator's end is no error escaping the page
            return __self.environment.undefined("value was undefined because a callable raised a"
                                                " StopIteration exception")


def _by_moment(format_date: Callable[[Any], str]) -> Callable[[Any], str]:
    """``format_date`` remembering its answers: one article's date is shown on many pages.
    Keyed by the offset too, as datetimes of one instant in two zones compare equal."""
    @functools.lru_cache(maxsize=1 << 16)
    def remembered(value: Any, kind: type, offset: Any) -> str:
        return format_date(value)

    def cached(value: Any) -> str:
        try:
            return remembered(value, type(value), value.utcoffset() if isinstance(value, datetime) else None)
        except TypeError:  # unhashable: a theme passing something else
            return format_date(value)
    return cached


def _always() -> bool:
    return True


def _static_files(config: SiteConfig) -> tuple[StaticFile, ...]:
    found: dict[str, Path] = {}
    for folder in (config.theme_dir / "static", config.root / "static"):  # later wins
        for path in _files(folder):
            found[path.relative_to(folder).as_posix()] = path
    contents: dict[str, bytes] = {}
    for relative, path in found.items():
        try:
            contents[relative] = path.read_bytes()
        except OSError as exc:
            raise DigestError.at(f"cannot read static file: {exc.strerror}", path) from None
    # Other files first: a stylesheet's hash must cover the hashed names it refers to.
    published: dict[str, str] = {}
    for relative in sorted(contents, key=lambda r: (r.endswith(".css"), r)):
        if relative.endswith(".css"):
            contents[relative] = _rewrite_css_urls(contents[relative], relative, published)
        published[relative] = hashed_name(relative, contents[relative])
    return tuple(StaticFile(rel, published[rel], contents[rel]) for rel in sorted(contents))


def hashed_name(relative: str, content: bytes) -> str:
    """``css/site.css`` -> ``static/css/site.<10 hex digits of its SHA-256>.css``."""
    folder, _, name = relative.rpartition("/")
    stem, dot, suffix = name.partition(".") if not name.startswith(".") else (name, "", "")
    digest = hashlib.sha256(content).hexdigest()[:10]
    hashed = f"{stem}.{digest}{dot}{suffix}" if dot else f"{stem}.{digest}"
    return "/".join(p for p in ("static", folder, hashed) if p)


def _rewrite_css_urls(css: bytes, relative: str, published: dict[str, str]) -> bytes:
    """Point ``url(other.png)`` in a stylesheet at the hashed name of the static file it names."""
    folder = PurePosixPath(relative).parent
    text = css.decode("utf-8", errors="surrogateescape")

    def replace(match: re.Match[str]) -> str:
        target = match.group(2)
        if ":" in target or target.startswith(("/", "#")):
            return match.group(0)  # absolute, data: or fragment: not a static file of ours
        key = posixpath.normpath(str(folder / target.split("?")[0].split("#")[0]))
        if key not in published:
            return match.group(0)
        new = posixpath.relpath(published[key], posixpath.join("static", str(folder)))
        return f"url({match.group(1)}{new}{match.group(1)})"

    return _CSS_URL.sub(replace, text).encode("utf-8", errors="surrogateescape")


def static_files(theme: Theme) -> Iterator[OutputFile]:
    for static in theme.static_files:
        yield OutputFile(PurePosixPath(static.published), static.content, f"static/{static.relative}")
