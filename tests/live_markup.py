"""Find markup that would run in a browser, by parsing HTML rather than grepping text."""

from __future__ import annotations

import re
from html.parser import HTMLParser

DANGEROUS_TAGS = {"script", "iframe", "style", "object", "embed", "frame", "frameset", "base", "form", "meta"}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "poster", "background"}
SAFE_SCHEMES = ("http:", "https:", "mailto:")
# The theme's own scripts: content-hashed files under static/, and JSON-LD data (which never runs).
THEME_SCRIPT = re.compile(r"^(?:\./|(?:\.\./)+)static/[\w-]+\.[0-9a-f]{10}\.js$")


class _Finder(HTMLParser):
    def __init__(self, allow_meta: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []
        self.allow_meta = allow_meta

    def _theme_own(self, tag: str, attrs: dict[str, str | None]) -> bool:
        if not self.allow_meta:
            return False
        if tag == "meta":
            return True
        if tag == "script":
            return (attrs.get("type") == "application/ld+json" and "src" not in attrs) or \
                bool(THEME_SCRIPT.match(attrs.get("src") or ""))
        return tag == "form" and attrs.get("class") == "search-form"

    def handle_starttag(self, tag, attrs):
        if tag in DANGEROUS_TAGS and not self._theme_own(tag, dict(attrs)):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            if name in URL_ATTRIBUTES and value and ":" in value.split("/")[0]:
                scheme = value.strip().lower()
                if not scheme.startswith(SAFE_SCHEMES):
                    self.found.append(f"{tag} {name}={value}")


def live_markup(html: str, *, whole_page: bool = False) -> list[str]:
    """Elements and attributes that could execute.

    ``whole_page`` allows the theme's own meta tags, JSON-LD, static scripts and search form.
    """
    finder = _Finder(allow_meta=whole_page)
    finder.feed(html)
    return finder.found
