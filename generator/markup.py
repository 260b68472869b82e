"""Markdown (CommonMark) -> HTML that is safe to put in a page or a feed.

Raw HTML in articles is allowed by the parser and then cut down by an allow-list
sanitizer (nh3/ammonia): no ``<script>``, ``<style>``, ``<iframe>``, event handlers
or ``javascript:``/``data:`` URLs survive, whatever their casing or encoding.
"""

from __future__ import annotations

import ctypes
import functools
import re
from collections import Counter
from urllib.parse import urljoin, urlsplit

import nh3
from cmarkgfm import _cmark
from cmarkgfm.cmark import Options

from .text import clean_text

# Obsolete in HTML5 (the Nu checker rejects them); their text is kept, the tag goes.
_OBSOLETE_TAGS = {"acronym", "big", "center", "strike", "tt"}
# The W3C Feed Validator flags these in feed content (bdo as a security risk, rtc as not HTML).
_FEED_UNSAFE_TAGS = {"bdo", "rtc"}
ALLOWED_TAGS = frozenset(nh3.ALLOWED_TAGS - _OBSOLETE_TAGS - _FEED_UNSAFE_TAGS)
URL_SCHEMES = frozenset({"http", "https", "mailto"})
_URL_ATTRIBUTES = {"href", "src", "cite"}
# A URL's scheme as a browser reads it (WHATWG URL parsing): leading and trailing C0 controls and
# spaces stripped, tabs and newlines dropped anywhere, then letters, digits, "+", "-", "." up to ":".
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_TAB_OR_NEWLINE = re.compile("[\t\n\r]")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*(?=:)")
_KEPT_SCHEMES = frozenset({None, *URL_SCHEMES})  # None: a relative URL
# An <img> as the sanitizer serializes it: attribute values always double-quoted.
_IMG = re.compile(r'<img((?:\s+[^\s=>]+(?:="[^"]*")?)*)\s*/?>')


def _clean(html: str, base_url: str | None = None) -> str:
    """Sanitize; with ``base_url``, make link and image URLs absolute.

    Character references in raw HTML (``&#x1;``) decode to characters XML forbids, so the
    result is cleaned again. No rel on links: on an <a> whose unsafe href was removed it
    would be invalid HTML, and with no target attribute allowed, noopener protects nothing.
    """
    return _IMG.sub(_with_alt, clean_text(_cleaner(base_url).clean(html)))


@functools.lru_cache(maxsize=8)
def _cleaner(base_url: str | None) -> nh3.Cleaner:
    """The sanitizer for one base URL, made once per process: ``nh3.clean`` makes one on every
    call, which took about half of the time of sanitizing a 5 KB article."""
    return nh3.Cleaner(tags=set(ALLOWED_TAGS), url_schemes=set(URL_SCHEMES), link_rel=None,
                       attribute_filter=functools.partial(_url_filter, base_url))


def _url_filter(base_url: str | None, tag: str, attribute: str, value: str) -> str | None:
    if attribute not in _URL_ATTRIBUTES:
        return value
    # Judge the URL as the page will hold it: the sanitizer checked href and src before the
    # characters no page may hold were removed ("java&#x1;script:" was a relative URL to it,
    # "javascript:" after), and it checks no scheme on cite at all.
    value = clean_text(value)
    if url_scheme(value) not in _KEPT_SCHEMES:
        return None
    try:
        urlsplit(value)  # a URL that cannot be parsed goes, in pages and feeds alike
        return urljoin(base_url, value) if base_url else value
    except ValueError:
        return None


def url_scheme(url: str) -> str | None:
    """The scheme a browser finds in ``url``, lower-cased; None for a relative URL."""
    match = _SCHEME.match(_TAB_OR_NEWLINE.sub("", url.strip(_C0_AND_SPACE)))
    return match.group(0).lower() if match else None


def _with_alt(match: re.Match[str]) -> str:
    """HTML requires alt on every image; an image without one is decorative (alt="")."""
    attributes = match.group(1)
    return match.group(0) if re.search(r'\salt="', attributes) else f'<img{attributes} alt="">'


def sanitize_html(html: str) -> str:
    return _clean(html)


def render_markdown(text: str) -> str:
    """CommonMark -> HTML by cmark, the spec's reference implementation in C, with no GitHub
    extensions; raw HTML is kept here (``UNSAFE``) and cut down by the sanitizer after."""
    return cmark_html(text, Options.CMARK_OPT_UNSAFE)


def cmark_html(text: str, options: int) -> str:
    """cmark's HTML of ``text``. cmark writes the character references ``&#xFFFE;`` and
    ``&#xFFFF;`` as lone bytes, which are no UTF-8: they go, as every noncharacter goes from
    a page (``clean_text``), rather than fail the build.

    cmark is called here rather than through ``cmarkgfm.markdown_to_html``, which never frees
    the buffer cmark returns: each page leaked its body's HTML, 370 MB in each process
    rendering a 100,000-article site, and for ever in a long-running ``digest serve``."""
    source = text.encode("utf-8")
    buffer = _cmark.lib.cmark_markdown_to_html(source, len(source), options)
    try:
        html = _cmark.ffi.string(buffer)
    finally:
        _free(int(_cmark.ffi.cast("uintptr_t", buffer)))  # the caller's to free, cmark.h says
    try:
        return html.decode("utf-8")
    except UnicodeDecodeError:
        return html.decode("utf-8", "ignore")


# The C library's free, which cmark's default allocator pairs with (its calloc and realloc);
# cmarkgfm's bindings do not export it.
_free = ctypes.CDLL(None).free
_free.argtypes = (ctypes.c_void_p,)
_free.restype = None


def markdown_to_html(text: str) -> str:
    """Render CommonMark and sanitize the result."""
    return sanitize_html(render_markdown(text))


MAX_DEPTH = 1000  # elements inside one another an article may have (quotes, lists, raw HTML)
_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9-]*)[^>]*>")
_VOID = frozenset("area base br col embed hr img input link meta param source track wbr".split())
# Elements whose end tag may be left out: a new one closes the open one when nothing but such
# elements lie between them (<li>a<li>b, <tr><td>a<td>b<tr>), never across a list or table.
_END_TAG_OPTIONAL = frozenset("li p dt dd tr td th thead tbody tfoot option optgroup rt rp colgroup".split())


def too_deep(text: str) -> int | None:
    """How deep the body's HTML nests, when deeper than ``MAX_DEPTH``; else None.

    The sanitizer's time grows with the square of the nesting (measured: 80,000 nested
    ``<div>`` or ``>`` take 17-29 s a call, and every page and feed with the body calls it),
    so a 1 MB article could stall a build for minutes. Only a body with that many markers
    can nest that deep, so most are never rendered here. The depth is counted as an HTML
    parser builds the tree, erring deep: ``<div/>`` opens a div (``/>`` closes only void
    elements), and an end tag closes only an element that is open.
    """
    markers = text.count("<") + text.count(">") + text.count("*") + text.count("_") + text.count("\n")
    if markers <= MAX_DEPTH:
        return None
    open_elements: list[str] = []
    open_count: Counter[str] = Counter()  # of each name: whether an end tag closes anything, at once
    deepest = 0
    for closing, name in _TAG.findall(render_markdown(text)):
        name = name.lower()
        if name in _VOID:
            continue
        if closing:
            if open_count[name]:
                # Found from the end, past only the elements it closes: each element is passed
                # once, so 200,000 nested quotes take a fraction of a second, not a minute.
                at = len(open_elements) - 1
                while open_elements[at] != name:
                    at -= 1
                _close(open_elements, open_count, at)
            continue
        if name in _END_TAG_OPTIONAL:
            at = len(open_elements)
            while at and open_elements[at - 1] in _END_TAG_OPTIONAL and open_elements[at - 1] != name:
                at -= 1
            if at and open_elements[at - 1] == name:
                _close(open_elements, open_count, at - 1)
        open_elements.append(name)
        open_count[name] += 1
        deepest = max(deepest, len(open_elements))
    return deepest if deepest > MAX_DEPTH else None


def _close(open_elements: list[str], open_count: Counter[str], at: int) -> None:
    """Close the open element at ``at`` and those inside it."""
    open_count.subtract(open_elements[at:])
    del open_elements[at:]


def absolutize_urls(html: str, base_url: str) -> str:
    """Make every link and image URL in sanitized HTML absolute, for feed readers.

    Feed readers show content away from the page it came from, where relative URLs
    would point nowhere.
    """

    return _clean(html, base_url)
