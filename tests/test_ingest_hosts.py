"""One spelling of a page's site, shared by profiles, sources and duplicate URLs."""

import pytest

from generator.errors import DigestError, Problem
from generator.ingest.hosts import bare_host, page_host


@pytest.mark.parametrize("url, host", [
    ("https://WWW.Harbor.example./news/1", "harbor.example"),
    ("http://news.harbor.example:8080/x", "news.harbor.example"),
    ("harbor.example/news", None),  # not absolute
    ("http://[::1", None),  # does not parse
    (None, None),
])
def test_page_host(url, host):
    assert page_host(url) == host


def test_bare_host_keeps_other_subdomains():
    assert bare_host(" WWW2.Example.org ") == "www2.example.org"


def test_an_error_names_the_file_only_where_it_named_none():
    error = DigestError(Problem("empty file", hint="h"), Problem("bad", "other.txt", 3))
    assert [str(p) for p in error.in_file("page.txt").problems] == ["page.txt: empty file (h)", "other.txt:3: bad"]
