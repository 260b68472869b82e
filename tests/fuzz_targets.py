"""Fuzz targets: plain functions of one fuzzed input, and the hypothesis strategies that make it.

Each target returns None when the input is handled as promised and raises (AssertionError, or
whatever escaped the code under test) when not:

- ``front_matter(text)``: ``split_front_matter`` on any text gives front matter or a DigestError
  with a usable line, never another exception;
- ``load(case)``: ``load_article`` on any bytes and file name gives an Article that keeps every
  promise later stages rely on (clean text, safe slugs, dates in range), or a DigestError;
- ``slug(text)``: ``slugify`` and ``tag_slug`` give a slug that cannot leave its folder, in the
  slug alphabet, bounded, stable and idempotent;
- ``feeds(case)``: articles with hostile fields (control characters, lone surrogates,
  noncharacters, ``]]>``, ``&``, ``<``, relative links, very long titles) give RSS, Atom and
  JSON feeds that parse (xml.etree, feedparser with bozo 0, json), carry each title exactly as
  cleaned and cut (``feeds.feed_title``), hold no relative URL and get no error from
  tests/feedcheck.py, and no warning but those the author's own text draws (see
  ``_allowed_warning``).

``TARGETS`` names each (target, strategy) pair: tests/test_fuzz.py runs each briefly in CI and
bench/fuzz.py runs them at length (``make fuzz``). A failure the long run finds is saved under
.hypothesis/fuzz/ and tried first by the next long run; once fixed, its input belongs in
tests/test_fuzz.py as a case of its own.
"""

from __future__ import annotations

import atexit
import functools
import html
import json
import re
import shutil
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import feedparser
import yaml
from hypothesis import strategies as st

from generator.bodies import body_text
from generator.config import SiteConfig, load_config
from generator.errors import DigestError
from generator.feeds import MAX_FEED_TITLE_LENGTH, feed_files, feed_text, feed_title
from generator.frontmatter import normalize_newlines, split_front_matter
from generator.load import load_article
from generator.model import Article, Site, Tag, TagGroup, guid
from generator.taxonomy import MAX_SLUG_BYTES, MAX_SLUG_LENGTH, Vocabulary, make_tags, slugify, tag_slug
from generator.text import clean_text, normalize_key
from generator.theme import Theme, load_theme
from tests.conftest import BASE_CONFIG
from tests.feedcheck import feed_messages

# ----------------------------------------------------------------------------- shared setup


@dataclass(frozen=True)
class Setting:
    config: SiteConfig
    theme: Theme
    vocabulary: Vocabulary


@functools.cache
def setting(full_content: bool = True) -> Setting:
    """A site (conftest's test config) in a temporary folder, made once per process."""
    root = Path(tempfile.mkdtemp(prefix="digest-fuzz-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    config_data = {**BASE_CONFIG, "feeds": {"full_content": full_content}}
    (root / "site.yaml").write_text(yaml.safe_dump(config_data), encoding="utf-8")
    (root / "content" / "articles").mkdir(parents=True)
    config = load_config(root / "site.yaml")
    return Setting(config, load_theme(config), Vocabulary.from_topics(config.topics))


def _is_clean(text: str) -> bool:
    """No character XML forbids: what every text field of an Article promises."""
    return clean_text(text) == text and not re.search("[\ud800-\udfff]", text)


def _check_error(error: DigestError, lines: int) -> None:
    """A DigestError the user can act on: problems with a message, lines within the file."""
    assert error.problems
    str(error)  # printable
    for problem in error.problems:
        assert isinstance(problem.message, str) and problem.message
        assert problem.line is None or 1 <= problem.line <= lines + 1, (problem.line, lines, problem.message)


# ----------------------------------------------------------------------------- slugs

TAG_HASH = re.compile(r"tag-[0-9a-f]{10}")


def slug_shaped(text: str) -> bool:
    """Letters and digits of any script (with their combining marks), single dashes between."""
    return (bool(text) and not text.startswith("-") and not text.endswith("-") and "--" not in text
            and all(c == "-" or c.isalnum() or unicodedata.category(c)[0] == "M" for c in text))


def slug(text: str) -> None:
    """``slugify`` and ``tag_slug`` give safe, bounded, stable, idempotent slugs for any text."""
    made = slugify(text)
    assert made == slugify(text), "not deterministic"
    assert made == "" or slug_shaped(made), made
    assert not {"/", "\\", "\x00", "."} & set(made) and made not in (".", "..")
    assert len(made) <= MAX_SLUG_LENGTH and len(made.encode("utf-8")) <= MAX_SLUG_BYTES
    assert slugify(made) == made, "not idempotent"
    tag = tag_slug(text)
    assert tag == tag_slug(text), "not deterministic"
    assert tag == (made or tag) and (slug_shaped(tag) or TAG_HASH.fullmatch(tag)), tag
    assert len(tag) <= MAX_SLUG_LENGTH and slugify(tag) == tag and tag_slug(tag) == tag


_SLUG_PIECES = st.sampled_from([
    "..", ".", "/", "\\", "\x00", "_", "-", "--", " ", "\t", "\u00a0", "\u200b", "\u200d", "\ufe0f",
    "\u0301", "é", "e\u0301", "ß", "ẞ", "İ", "ǅ", "ﬁ", "Ⅻ", "①", "²", "½", "٣", "𝟘", "Ａ", "＿", "．", "／",
    "😀", "👩\u200d👩\u200d👧", "🇺🇦", "日本語", "हिन्दी", "العَرَبِيَّة", "עִבְרִית", "ภาษาไทย", "ᾳ", "\u0345",
    "con", "nul", "a" * 81, "ж" * 101, "😀" * 60, "../../etc/passwd", "C:\\x", "%2e%2e",
])
SLUG_TEXT = st.one_of(
    st.text(),
    st.lists(st.one_of(_SLUG_PIECES, st.text(max_size=5)), max_size=12).map("".join),
    st.text(alphabet=st.characters(codec="utf-8", categories=("L", "M", "N", "Pc", "Pd", "Zs")), max_size=120),
)


# ----------------------------------------------------------------------------- front matter

PATH = Path("content/articles/fuzz.md")

_KEYS = st.sampled_from(["title", "date", "updated", "tags", "slug", "id", "author", "source", "source_url",
                         "summary", "image_caption", "image_credit", "Title", "x", "<<", "? title", "'title'",
                         '"date"', "- title", ""])
_YAML_VALUES = st.sampled_from([
    "", "~", "null", "true", "no", "0", "-1", "007", "1e400", ".nan", "-.inf", "0x1F", "0o17", "1_000", "12:30:00",
    "2024-03-30", "2024-02-30", "2024-13-01", "0001-01-01", "1000-01-01", "9999-12-31", "1999-12-31T23:59:60Z",
    "2024-03-30 10:00:00 +05:00", "9999-12-31 23:59:59 -12:00", "0001-01-01 00:00:00 +14:00",
    "2024-03-30T10:00:00+99:00", '"2024-03-30T25:00"', '"2024-03-30Z"', '"not a date"', '"  2024-03-30  "',
    "[a, b]", "[]", "{}", "{a: 1}", "[[1], {a: b}]", "[" * 40 + "]" * 40, "{a: " * 40 + "1" + "}" * 40,
    "&a x", "*a", "&a [*a]", "[&a x, *a]", "!!binary aGVsbG8=", "!!python/object:os.system x", "!!str 1",
    "!!int x", "!!float x", "!!timestamp x", "!!set {a}", "!!omap [a: 1]", "!!map {a: 1}", "!custom x",
    '"\\ud800"', '"\\udfff\\ud800"', '"\\x00\\x07\\x1b\\x7f\\x85\\x9f\\u2028"', '"\\ufffe\\uffff\\U0001FFFE"',
    '"\\0"', '"\\e\\a"', "'single ''quoted'''", "|\n  block\n  text", ">-\n  folded\n  text", "|-\n\t tab",
    '"unterminated', "'unterminated", "\t tab", "\n- a\n- b", "\n  - [x, {y: z}]", "\n  nested: map",
    "https://example.org/x y", "http://[::1", "http://", "https://ex.org/p?q=<x>#f r", "javascript:alert(1)",
    "ftp://example.org/", "//example.org/x", "1" * 5000, "9" * 30, "-" * 3, "...", "a: b: c", "{title: merged}",
    "]]> & <b>x</b>", "</script>", "../../escaped", "a/b", "C:\\x", "-", "😀 Москва", "\u202eevil", "x\u00a0y",
    "%YAML 1.2", "@reserved", "`tick",
])
# A scalar as JSON spells it is YAML too: lone surrogates and control characters become escapes.
_QUOTED = st.text(max_size=30).map(lambda t: json.dumps(t, ensure_ascii=False))
_WORDS = st.text(alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=30)
_PLAIN = _WORDS.map(str.strip)
_VALUE = st.one_of(_YAML_VALUES, _QUOTED, _QUOTED, _PLAIN, _PLAIN, st.text(max_size=30))
_ENTRY = st.one_of(
    st.tuples(_KEYS, _VALUE).map(lambda kv: f"{kv[0]}: {kv[1]}"),
    st.tuples(_KEYS, st.lists(_VALUE, max_size=4)).map(
        lambda kv: f"{kv[0]}:" + "".join(f"\n  - {v}" for v in kv[1])),
)
_LINE = st.one_of(
    _ENTRY,
    _YAML_VALUES,
    st.text(max_size=40),
    st.sampled_from(["---", "...", "--- x", "---  ", "#comment", "%TAG ! tag:x,2024:", "<<: {title: merged}"]),
)
_FENCE = st.sampled_from(["---", "---", "---", "--- ", "---\t", "----", "...", "", "-- -", "\ufeff---"])
_BODY = st.one_of(
    st.text(),
    st.lists(st.sampled_from([
        "Body text.", "[rel](../x) ![img](p.png)", "<script>alert(1)</script>", "]]>", "&amp; &", "\x00\x1b",
        "\ud800", "\ufffe", "---", "```", "<!--", "# Heading", "> quote", "- item", "Harbour news. The port.",
        "&#0; &#xD800; &#x110000;", "\r\n", "\x85", "\u2028",
    ]), max_size=6).map("\n".join),
)
_NEWLINE = st.sampled_from(["\n", "\n", "\r\n", "\r", "\u2028", "\x85"])


@st.composite
def _front_matter_text(draw: Callable[..., Any]) -> str:
    """Mostly an article a person might write, its values hostile; else any shape at all."""
    if draw(st.integers(0, 9)) < 8:
        title = draw(st.one_of(_QUOTED, _PLAIN, st.sampled_from(['"!!!"', "😀", "…", "'---'", "_"])))
        fields = draw(st.dictionaries(_KEYS.filter(lambda k: k != "title"), st.one_of(_QUOTED, _PLAIN, _YAML_VALUES),
                                      max_size=6))
        entries = [f"title: {title}"] + [f"{key}: {value}" for key, value in fields.items()]
        return "---\n" + "\n".join(entries) + "\n---\n" + draw(_BODY)
    newline = draw(_NEWLINE)
    lines = [draw(st.sampled_from(["", "\ufeff", "\ufeff\ufeff", " ", "\n"])) + draw(_FENCE)]
    lines += draw(st.lists(_LINE, max_size=8))
    if draw(st.booleans()):
        lines.append(draw(_FENCE))
    lines.append(draw(_BODY))
    return newline.join(lines)


_SHAPED = _front_matter_text()
FRONT_MATTER_TEXT = st.one_of(_SHAPED, _SHAPED, _SHAPED, _SHAPED, st.text(),
                              st.just(70_000).map(lambda n: f"---\nk: {'x' * n}\n---\n"))


def front_matter(text: str) -> None:
    """``split_front_matter`` gives a mapping and a body, or a DigestError naming a line of the file."""
    try:
        front = split_front_matter(text, PATH)
    except DigestError as error:
        _check_error(error, normalize_newlines(text).count("\n") + 1)
        return
    assert isinstance(front.meta.data, dict)
    assert isinstance(front.body, str) and front.body_line >= 2
    assert all(isinstance(line, int) and line >= 2 for line in front.meta.key_lines.values())


_BAD_BYTES = st.sampled_from([b"\xff", b"\xfe\xff", b"\xc3", b"\xc3(", b"\xed\xa0\x80", b"\xf4\x90\x80\x80",
                              b"\xc0\xaf", b"\x00", b"\r", b"\xef\xbb\xbf", b"\xe2\x80\xa8", b"\x1b[0m"])


@st.composite
def _corrupted(draw: Callable[..., Any]) -> bytes:
    data = bytearray(draw(FRONT_MATTER_TEXT).encode("utf-8", errors="surrogatepass"))
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(data)))
        data[at:at] = draw(_BAD_BYTES)
    return bytes(data)


_STEMS = st.one_of(st.just("fuzz"), st.sampled_from(["!!!", "🔥", "..", "-", "a.b", "Ünïcode Straße", "x" * 250,
                                                     "con", " spaced "]),
                   st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/\x00"), min_size=1,
                           max_size=20))
_UTF8 = FRONT_MATTER_TEXT.map(lambda t: t.encode("utf-8", errors="surrogatepass"))
_UTF16 = FRONT_MATTER_TEXT.map(lambda t: t.encode("utf-16", errors="surrogatepass"))
ARTICLE_FILES = st.tuples(_STEMS, st.one_of(_UTF8, _UTF8, _UTF8, _corrupted(), st.binary(), _UTF16))


def load(case: tuple[str, bytes]) -> None:
    """``load_article`` on a file named ``<stem>.md`` holding ``data``: an Article that keeps every
    promise of the model, or a DigestError; no other exception."""
    stem, data = case
    ctx = setting()
    path = ctx.config.content_dir / f"{stem}.md"
    path.write_bytes(data)  # a loaded article's body is read back from its file
    try:
        article = load_article(path, ctx.config, ctx.vocabulary, data=data)
    except DigestError as error:
        _check_error(error, data.count(b"\n") + data.count(b"\r") + 1)
        return
    check_article(article)


def check_article(article: Article) -> None:
    """What every stage after loading relies on."""
    assert isinstance(article, Article)
    assert article.title and article.title == " ".join(article.title.split())
    for name in ("title", "id", "author", "source", "image_caption", "image_credit", "summary"):
        value = getattr(article, name)
        assert value is None or (isinstance(value, str) and _is_clean(value)), (name, value)
    assert _is_clean(body_text(article.body))
    assert slug_shaped(article.slug) and len(article.slug) <= MAX_SLUG_LENGTH, f"unsafe slug {article.slug!r}"
    for moment in (article.date, article.updated):
        if moment is not None:
            assert moment.tzinfo is not None and moment.microsecond == 0
            assert datetime(1000, 1, 2, tzinfo=timezone.utc) <= moment <= datetime(9999, 12, 30, tzinfo=timezone.utc)
    if article.source_url is not None:
        assert re.fullmatch(r"https?://[^\s\x00-\x1f\x7f]+", article.source_url), article.source_url
    for tag in article.tags:
        assert tag.name and _is_clean(tag.name) and tag.name == " ".join(tag.name.split())
        assert slug_shaped(tag.slug) or TAG_HASH.fullmatch(tag.slug), tag.slug


# ----------------------------------------------------------------------------- feeds

_HOSTILE = st.sampled_from([
    "\x00", "\x01", "\x08", "\x0b", "\x0c", "\x0d", "\x1b", "\x1f", "\x7f", "\x80", "\x85", "\x9f",
    "\ud800", "\udbff", "\udfff", "\ud83d\ude00", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff", "\ufdd0",
    "]]>", "]]", "&", "&amp;", "&#x26;", "&lt;", "&#0;", "&#xD800;", "<", ">", "<![CDATA[", "<!--", "-->",
    "</b>", "<b>", "</script>", '"', "'", "\t", "\n", "\u2028", "\u00a0", "\u200d", "\u0301", "😀", "Москва",
    "javascript:alert(1)", " ", "  ", "AT&T", "a" * 50,
])
TEXT = st.lists(st.one_of(_HOSTILE, st.text(max_size=12)), max_size=6).map("".join)
# Long titles: words, joined entities and scripts without spaces, around the limit and far past it.
_LONG_TITLE = st.one_of(
    st.tuples(st.sampled_from(["AT&T ", "&", "<b> ", "x ", "word ", "日本語", "e\u0301", "👩\u200d👩\u200d👧 ",
                               "]]> ", "a" * 40 + " "]),
              st.integers(MAX_FEED_TITLE_LENGTH - 60, 2100)).map(lambda p: (p[0] * p[1])[:2000 + p[1] % 7]),
    st.text(min_size=MAX_FEED_TITLE_LENGTH - 5, max_size=MAX_FEED_TITLE_LENGTH + 5),
)
_LINK = st.sampled_from([
    "[rel](../map/)", "[up](../../x.html)", "![img](pic.png)", "[root](/abs/path)", "[frag](#note)",
    "[query](?page=2)", "[proto](//cdn.example.com/x)", "[empty]()", "[ref][r]\n\n[r]: rel/ref.html",
    "<https://example.org/auto>", "<a href='raw.html'>raw</a>", "<a title='t' href='t.html'>t</a>",
    "<img src='raw.png'>", "<img data-src='d.png' src='s.png'>", "<q cite='c.html'>q</q>",
    "<blockquote cite='b.html'>b</blockquote>", "<a href=' spaced.html '>s</a>", "<a href='&#x2F;ent'>e</a>",
    "<a href='java&#x09;script:alert(1)'>j</a>", "<a href='data:text/html,x'>d</a>", "<a href='a b'>ab</a>",
    "<a href='h[i]'>h</a>", "<a href='%zz'>pz</a>", "[abs](https://example.org/a?b=1&c=2)", "<a>bare</a>",
    "<base href='https://evil.example/'>", "<a href='\\\\back'>b</a>", "<img src='x.png' srcset='y.png 2x'>",
    "<a href='http://[::1'>v6</a>", "[mail](mailto:a@example.org)", "<a href='HTTPS://EX.ORG/'>up</a>",
])
BODY = st.lists(st.one_of(_LINK, _HOSTILE, st.text(max_size=20)), max_size=8).map(" ".join)
_ZONES = st.sampled_from([timezone.utc, timezone(timedelta(hours=14)), timezone(timedelta(hours=-12)),
                          ZoneInfo("Europe/Moscow"), ZoneInfo("America/St_Johns")])
MOMENT = st.one_of(st.none(), st.datetimes(min_value=datetime(1000, 1, 3), max_value=datetime(9999, 12, 29),
                                           timezones=_ZONES).map(lambda d: d.replace(microsecond=0)))


@dataclass(frozen=True)
class FeedArticle:
    """An article's fields as fuzzed, raw: the feeds, not the loader, must make them safe."""

    title: str
    author: str | None
    summary: str | None
    tags: tuple[str, ...]
    body: str
    date: datetime | None
    updated: datetime | None
    id: str


@dataclass(frozen=True)
class FeedCase:
    articles: tuple[FeedArticle, ...]
    full_content: bool


_FEED_ARTICLE = st.builds(
    FeedArticle,
    # A title with something left after cleaning, as the loader requires one.
    title=st.one_of(TEXT, _LONG_TITLE).map(lambda t: t if feed_text(t) else t + "x"),
    author=st.one_of(st.none(), TEXT),
    summary=st.one_of(st.none(), TEXT),
    tags=st.lists(st.one_of(TEXT, st.sampled_from(["Harbour", "port", "Floods"])), max_size=3).map(tuple),
    body=BODY,
    date=MOMENT,
    updated=MOMENT,
    id=st.one_of(st.uuids().map(str), st.text(alphabet=st.characters(codec="utf-8"), max_size=20)),
)
FEED_CASES = st.builds(FeedCase, articles=st.lists(_FEED_ARTICLE, min_size=1, max_size=3).map(tuple),
                       full_content=st.booleans())

_END_TAG = re.compile(r"</[A-Za-z]")
_RELATIVE_REF = re.compile(r"""\s(?:href|src|cite)="(?![a-zA-Z][a-zA-Z0-9+.-]*:)""")
_BUILD_DATE = datetime(2024, 4, 1, 12, tzinfo=timezone.utc)
_VALIDATED_AT = datetime(2024, 4, 2, tzinfo=timezone.utc).timestamp()
ATOM = "http://www.w3.org/2005/Atom"


def _article(n: int, fields: FeedArticle, vocabulary: Vocabulary) -> Article:
    stem = f"a{n}"
    return Article(
        source_path=Path(f"content/articles/{stem}.md"), stem=stem, id=f"{fields.id}-{n}",
        slug=slugify(fields.title) or stem, title=fields.title, date=fields.date,
        updated=fields.updated, author=fields.author, source=None, source_url=None,
        image_caption=None, image_credit=None, tags=_tags(fields.tags, vocabulary),
        summary=fields.summary, body=fields.body)


def _tags(names: tuple[str, ...], vocabulary: Vocabulary) -> tuple[Tag, ...]:
    """Tags named as written, hostile characters and all (a topic's alias takes the topic's name),
    slugged as the loader would slug them, from the name without lone surrogates (no file can
    hold one, and the slug's hash could not encode it)."""
    tags: dict[str, Tag] = {}
    for name in names:
        encodable = re.sub("[\ud800-\udfff]", "", name)
        for tag in make_tags([encodable], vocabulary):
            known = normalize_key(tag.name) != normalize_key(encodable)
            tags.setdefault(tag.slug, Tag(tag.slug, tag.name if known else name))
    return tuple(tags.values())


def _site(case: FeedCase, vocabulary: Vocabulary) -> Site:
    articles = [_article(n, a, vocabulary) for n, a in enumerate(case.articles)]
    # One article per slug, newest first, as index_site would give them.
    by_slug = {a.slug: a for a in articles}
    ordered = tuple(sorted(by_slug.values(), key=lambda a: (a.date is None, -(a.date.timestamp() if a.date else 0))))
    groups: dict[str, list[Article]] = {}
    for article in ordered:
        for tag in article.tags:
            groups.setdefault(tag.slug, []).append(article)
    tag_groups = tuple(TagGroup(next(t for t in members[0].tags if t.slug == slug), tuple(members))
                       for slug, members in sorted(groups.items()))
    return Site(ordered, tag_groups, {}, _BUILD_DATE)


def _allowed_warning(message: str, site: Site) -> bool:
    """Whether a W3C validator warning is one the author's own text draws, which no escaping can
    spare (the build warns of the first: feeds.feed_text_problems), and that text is there."""
    rule = message.split(":", 1)[0].removeprefix("warning ")
    texts = [t for a in site.articles for t in (a.title, a.summary or "", a.author or "", *(g.name for g in a.tags))]
    if rule in ("ContainsHTML", "ContainsUndeclaredHTML"):
        return any(_END_TAG.search(feed_text(t)) for t in texts)
    if rule == "BadCharacters":  # U+FFFD, or text that reads as UTF-8 decoded twice; CommonMark
        # turns a reference to no character (&#0;, &#xD800;) into U+FFFD
        return any(re.search("[\ufffd\u00c2\u00c3]|&#", t) for t in (*texts, *(body_text(a.body) for a in site.articles)))
    if rule == "MissingTextualContent":  # no summary, and no body or a summary-only feed: `digest check` warns
        return any(not feed_text(a.summary or "") for a in site.articles)
    if rule == "ImplausibleDate":  # before 1990 or after the moment of validation
        return any(d is not None for a in site.articles for d in (a.date, a.updated))
    return False


def feeds(case: FeedCase) -> None:
    """Every feed of a site of these articles parses, carries each title exactly as cleaned and
    cut, holds no relative URL and validates."""
    ctx = setting(case.full_content)
    site = _site(case, ctx.vocabulary)
    expected = {guid(a.id): feed_title(feed_text(a.title)) for a in site.articles}
    for pending in feed_files(site, ctx.config, ctx.theme):
        output = pending.render()
        name = output.path.as_posix()
        if output.path.suffix == ".json":
            document = json.loads(output.content.decode("utf-8"))
            assert all(_is_clean(text) for text in _strings(document)), name
            assert len(document["title"]) <= MAX_FEED_TITLE_LENGTH
            assert document["items"], name
            for item in document["items"]:
                assert item["title"] == expected[item["id"]], (name, item["title"])
                assert not _RELATIVE_REF.search(" " + item.get("content_html", "")), (name, item["content_html"])
            continue
        root = ET.fromstring(output.content)
        parsed = feedparser.parse(output.content)
        assert parsed.bozo == 0, (name, parsed.get("bozo_exception"))
        items = root.findall("channel/item") if root.tag == "rss" else root.findall(f"{{{ATOM}}}entry")
        assert items and len(parsed.entries) == len(items), name
        for item in items:
            item_id = item.findtext("guid") if root.tag == "rss" else item.findtext(f"{{{ATOM}}}id")
            assert _title(item) == expected[item_id], (name, _title(item))
            for html_text in (e.text or "" for e in item if e.tag in (f"{{{ATOM}}}content", "description")):
                assert not _RELATIVE_REF.search(html_text), (name, html_text)
        assert len(_title(root if root.tag != "rss" else root[0])) <= MAX_FEED_TITLE_LENGTH
        messages = feed_messages(output.content, ctx.config.base_url + name, now=_VALIDATED_AT)
        assert not [m for m in messages if m.startswith("error")], (name, messages)
        assert all(_allowed_warning(m, site) for m in messages), (name, messages)


def _strings(value: Any) -> list[str]:
    """Every string in a JSON document, keys and values."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *_strings(v))]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _title(element: ET.Element) -> str:
    """An item's, entry's, channel's or feed's title as a reader shows it."""
    title = element.find("title")
    if title is None:
        title = element.find(f"{{{ATOM}}}title")
    assert title is not None
    return html.unescape(title.text or "") if title.get("type") == "html" else title.text or ""


# ----------------------------------------------------------------------------- registry

TARGETS: dict[str, tuple[Callable[[Any], None], st.SearchStrategy[Any]]] = {
    "front_matter": (front_matter, FRONT_MATTER_TEXT),
    "load": (load, ARTICLE_FILES),
    "slug": (slug, SLUG_TEXT),
    "feeds": (feeds, FEED_CASES),
}
