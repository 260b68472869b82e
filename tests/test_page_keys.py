"""Page keys: equal inputs, equal keys; any change to what a template can reach, a new key."""

import dataclasses

from generator.page_keys import PageKeys, page_key
from tests.conftest import make_article


def test_a_page_keys_the_same_from_one_build_to_the_next_and_changes_with_any_input():
    a, b = make_article("harbour"), make_article("council")
    context = {"article": a, "related": ((b, 0.5),), "newer": None}
    key = page_key(PageKeys.of("env", [a, b]), "article.html", **context)
    # The next build: equal articles, new objects.
    a2, b2 = dataclasses.replace(a), dataclasses.replace(b)
    assert page_key(PageKeys.of("env", [a2, b2]), "article.html", article=a2, related=((b2, 0.5),), newer=None) == key
    changed = dataclasses.replace(b, title="Council votes")  # an article reached only through a related link
    assert page_key(PageKeys.of("env", [a, changed]), "article.html", article=a, related=((changed, 0.5),),
                    newer=None) != key
    assert page_key(PageKeys.of("env", [a, b]), "article.html", article=a, related=((b, 0.51),), newer=None) != key
    assert page_key(PageKeys.of("other", [a, b]), "article.html", **context) != key
    assert page_key(PageKeys.of("env", [a, b]), "tag.html", **context) != key


def test_articles_of_the_build_count_by_their_digest_others_by_value():
    a = make_article("harbour")
    stranger = make_article("council")  # not among the build's articles
    keys = PageKeys.of("env", [a])
    assert page_key(keys, "t", article=a, other=stranger) == page_key(keys, "t", article=a,
                                                                      other=dataclasses.replace(stranger))
    assert page_key(keys, "t", article=a, other=stranger) != page_key(
        keys, "t", article=a, other=dataclasses.replace(stranger, body="Other."))


def test_a_context_that_cannot_be_pickled_has_no_key():
    assert page_key(PageKeys.of("env", []), "t", callback=lambda: None) is None
