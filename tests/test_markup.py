import ctypes

import pytest

from generator.check_links import BodyLink, body_links
from generator.markup import absolutize_urls, cmark_html, markdown_to_html
from tests.live_markup import live_markup

PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    '<img src=x onerror="alert(1)">',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD4=">x</a>',
    "[x](javascript:alert(1))",
    '<iframe src="https://evil.example/"></iframe>',
    "<style>body{display:none}</style>",
    '<div onmouseover="alert(1)">hover</div>',
    '```"><script>alert(1)</script>\ncode\n```',
    '[t](https://ok.example/ "\\"><script>alert(1)</script>")',
    '![a" onerror="alert(1)](x.png)',
]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payloads_never_survive(payload):
    assert live_markup(markdown_to_html(payload)) == []


def test_the_checker_itself_sees_live_markup():
    assert live_markup('<p><img src="x" onerror="a()"><a href=" JavaScript:x">y</a><script></script></p>') == [
        "img onerror=", "a href= JavaScript:x", "<script>"]


def test_ordinary_markdown_survives():
    html = markdown_to_html("# Head\n\nSome **bold** and [a link](https://example.org/x).\n\n- one\n- two\n")
    assert "<h1>Head</h1>" in html and "<strong>bold</strong>" in html
    assert '<a href="https://example.org/x">a link</a>' in html
    assert "<li>one</li>" in html


def test_obsolete_tags_lose_the_tag_not_the_text():
    assert markdown_to_html("<center>middle</center>").count("middle") == 1
    assert "<center" not in markdown_to_html("<center>middle</center>")


def test_absolutize_urls_for_feeds():
    html = markdown_to_html("[up](../other/) ![p](pic.png) [abs](https://x.org/) [m](mailto:a@b.c)")
    out = absolutize_urls(html, "https://news.example.org/articles/one/")
    assert 'href="https://news.example.org/articles/other/"' in out
    assert 'src="https://news.example.org/articles/one/pic.png"' in out
    assert 'href="https://x.org/"' in out and 'href="mailto:a@b.c"' in out


def test_each_base_url_gets_its_own_links_however_calls_interleave():
    # The sanitizers are made once per base URL and kept: none may answer for another.
    html = markdown_to_html("[up](../other/) ![p](pic.png)")
    for base, up in (("https://a.example/x/", "https://a.example/other/"),
                     ("https://b.example/y/z/", "https://b.example/y/other/"),
                     ("https://a.example/x/", "https://a.example/other/")):
        out = absolutize_urls(html, base)
        assert f'href="{up}"' in out and f'src="{base}pic.png"' in out
        assert markdown_to_html("[up](../other/) ![p](pic.png)") == html  # pages stay relative
    assert 'href="../other/"' in html and 'src="pic.png"' in html


def test_output_stays_valid_html_after_sanitizing():
    html = markdown_to_html('<a href="javascript:x">y</a> <img src="a.png"> <img alt="kept" src="b.png"> ![md](c.png)')
    assert "<a>y</a>" in html  # no rel left on a link without href
    assert '<img src="a.png" alt="">' in html
    assert '<img alt="kept" src="b.png">' in html and '<img src="c.png" alt="md">' in html


def test_character_references_cannot_smuggle_forbidden_characters():
    html = markdown_to_html('<div>A &#x1; B &#x7f; C &#xFFFE; D &#xFDD0;</div>\n\nx <span title="&#x1;">t</span>')
    assert html == '<div>A  B  C  D </div>\n<p>x <span title="">t</span></p>\n'


@pytest.mark.parametrize("reference", ["&#xFFFF;", "&#65535;", "&#xfffe;", "&#65534;", "&#x0FFFF;"])
def test_references_cmark_writes_as_no_utf8_are_dropped_not_fatal(reference):
    # In Markdown text (not raw HTML) cmark decodes them itself, into bytes no UTF-8 decoder takes.
    markdown = f'A {reference} B [x](https://ok.example/ "t{reference}")'
    assert markdown_to_html(markdown) == '<p>A  B <a href="https://ok.example/" title="t">x</a></p>\n'
    assert body_links(markdown) == (BodyLink(1, "https://ok.example/", False),)


def test_unparsable_urls_are_dropped_in_pages_and_feeds_alike():
    page = markdown_to_html('<img src="//[x"> <a href="http://[y">z</a>')
    assert page == '<p><img alt=""> <a>z</a></p>\n'
    assert absolutize_urls(page, "https://x.org/a/") == page


class _MallocInfo(ctypes.Structure):  # glibc's struct mallinfo2
    _fields_ = [(name, ctypes.c_size_t) for name in
                ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks",
                 "keepcost")]


def _allocated_bytes() -> int:
    """What the C library has handed out and not had back: unlike the process's resident size, it
    does not move with how the allocator lays out and returns its memory."""
    mallinfo2 = ctypes.CDLL(None).mallinfo2
    mallinfo2.restype = _MallocInfo
    info = mallinfo2()
    return info.uordblks + info.hblkhd


def test_what_cmark_returns_is_freed():
    # cmarkgfm's own markdown_to_html never frees cmark's buffer: every page rendered leaked its
    # body's HTML, 1.6 MB a call here.
    markdown = "A paragraph of *words*.\n\n" * 40_000
    before = _allocated_bytes()
    for _ in range(10):
        cmark_html(markdown, 0)
    assert _allocated_bytes() - before < 1_000_000
