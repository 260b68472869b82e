"""Brief runs of the fuzz targets of tests/fuzz_targets.py, and the inputs fuzzing found.

Each target runs FUZZ_CI_EXAMPLES examples (default 100) from a fixed seed, so CI is repeatable
and takes a few seconds; ``FUZZ_RANDOM=1`` draws new examples on every run instead. Long runs
of the same targets: ``make fuzz`` (bench/fuzz.py).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from generator.errors import DigestError
from generator.frontmatter import split_front_matter
from generator.taxonomy import slugify
from tests import fuzz_targets
from tests.fuzz_targets import TARGETS

EXAMPLES = int(os.environ.get("FUZZ_CI_EXAMPLES", "100"))
BRIEF = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get("FUZZ_RANDOM"),
                 database=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
                 print_blob=True)


@BRIEF
@given(TARGETS["front_matter"][1])
def test_front_matter_gives_front_matter_or_a_digest_error(text):
    fuzz_targets.front_matter(text)


@BRIEF
@given(TARGETS["load"][1])
def test_any_file_loads_as_a_sound_article_or_a_digest_error(case):
    fuzz_targets.load(case)


@settings(BRIEF, max_examples=EXAMPLES * 3)  # the cheapest target
@given(TARGETS["slug"][1])
def test_slugs_are_safe_bounded_and_stable(text):
    fuzz_targets.slug(text)


@BRIEF
@given(TARGETS["feeds"][1])
def test_hostile_articles_give_valid_feeds(case):
    fuzz_targets.feeds(case)


def test_every_target_has_a_brief_run():
    tested = {"front_matter", "load", "slug", "feeds"}
    assert set(TARGETS) == tested


# Inputs the fuzzers found, kept as cases of their own. ---------------------------------------

FEED_CASE = fuzz_targets.FeedCase
FEED_ARTICLE = fuzz_targets.FeedArticle


@pytest.mark.parametrize("article", [
    # An empty body made an empty Atom <content> (W3C NotBlank); the summary stands in now.
    FEED_ARTICLE("x", None, "A summary.", (), "", None, None, "id"),
    FEED_ARTICLE("x", None, None, (), "<script>all of it goes</script>", None, None, "id"),
    # A lone surrogate in a tag name could not be encoded: the feed raised UnicodeEncodeError.
    FEED_ARTICLE("x", None, None, ("Tide\ud800",), "Body.", None, None, "id"),
    FEED_ARTICLE("t\ud800", "a\udfff", "s\ud800", ("t\udbff ok",), "b\ud800", None, None, "id"),
    # An end tag in an author's name draws ContainsHTML, as in a title (the build warns of it now).
    FEED_ARTICLE("x", "</b>", None, (), "Body.", None, None, "id"),
])
@pytest.mark.parametrize("full_content", [True, False])
def test_found_feed_cases(article, full_content):
    fuzz_targets.feeds(FEED_CASE((article,), full_content))


def test_found_load_cases():
    # Found in review: with no letters in the title or file name, the slug was the raw id, a path.
    fuzz_targets.load(("🔥", b'---\ntitle: "!!!"\nid: ../../escaped\n---\nbody\n'))


# Found by fuzzing in other modules (and fixed there): kept as cases of their own.

@pytest.mark.parametrize("value", ["!!timestamp x", "!!timestamp 2024-01-01T", "!!bool x", '!!int ""',
                                   '!!float ""', "!!int _"])
def test_explicit_tags_on_unreadable_values_are_digest_errors(value):
    # generator/yamlio.py let AttributeError, KeyError and IndexError out of PyYAML's constructors.
    with pytest.raises(DigestError) as caught:
        split_front_matter(f"---\ndate: {value}\n---\nBody\n", Path("a.md"))
    assert caught.value.problems[0].line == 2


@pytest.mark.parametrize("text", ["हिन्दी", "தமிழ்", "עִבְרִית", "العَرَبِيَّة"])
def test_slugs_keep_words_with_combining_marks_whole(text):
    # generator/taxonomy.py took combining marks (vowel signs) for separators: "हिन्दी" -> "ह-न-द".
    assert slugify(text) == text


# Found by fuzzing: case folding after NFKC undid the normalization (text.normalize_key).
def test_a_slug_is_its_own_slug_after_case_folding():
    made = slugify("ß\u0301")  # "ss\u0301", whose NFKC form is "sś"
    assert slugify(made) == made
