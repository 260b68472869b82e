import pytest

from generator.urls import absolute_url, output_file, quote_path, root_prefix


@pytest.mark.parametrize("page, prefix", [("", "./"), ("tags/", "../"), ("articles/x/", "../../"),
                                          ("rss.xml", "./"), ("tags/x/rss.xml", "../../")])
def test_root_prefix(page, prefix):
    assert root_prefix(page) == prefix


def test_paths_are_percent_encoded():
    assert quote_path("tags/москва/") == "tags/%D0%BC%D0%BE%D1%81%D0%BA%D0%B2%D0%B0/"
    assert absolute_url("https://x.org/news/", "tags/a b/") == "https://x.org/news/tags/a%20b/"


def test_pages_become_index_files():
    assert output_file("articles/x/") == "articles/x/index.html"
    assert output_file("") == "index.html"
    assert output_file("rss.xml") == "rss.xml"
