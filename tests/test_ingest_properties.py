"""Properties of the cleaner over generated pages: it only ever removes text."""

from __future__ import annotations

import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Topic
from generator.errors import DigestError
from generator.ingest import clean_text_dump
from generator.taxonomy import Vocabulary

VOCABULARY = Vocabulary.from_topics((Topic("Harbours", ("harbour", "pier")), Topic("Floods", ())))
WORD = re.compile(r"\w+")

PROSE = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced soon.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
    '"We have waited for years," said a fisherman who has used the pier every morning since 1990.',
    "The vote was unanimous.",
    "A final decision on the money is expected at the next meeting of the board in the first week of March.",
]
CLUTTER = [
    "Home", "News", "Sport", "Share on Facebook", "Advertisement", "2 min read", "Read more",
    "Read also: Ten facts about piers", "Sign up for our newsletter", "Support The Harbour Herald!",
    "By Jane Doe and John Roe", "Published 12 May 2023", "Photo: Ana Vega / Herald",
    "Tags: harbour, floods; pier", "Harbour board backs repairs to the old north pier",
    "A boat at the pier at dawn. Ana Vega / Herald", "If you value our journalism, please support us today.",
    "Teaser summary about something else that ends abruptly...", "© 2024 The Harbour Herald",
    " date 2023-05-12 The Harbour Herald", "url https://herald.example/pier",
]
LINES = st.one_of(
    st.sampled_from(PROSE), st.sampled_from(CLUTTER),
    st.text(st.characters(categories=("L", "N", "P", "Zs")), max_size=120),
)
PAGES = st.lists(st.tuples(LINES, st.sampled_from(["\n", "\n\n", "\r\n"])), min_size=1, max_size=40).map(
    lambda parts: "".join(line + sep for line, sep in parts))


@given(PAGES)
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_cleaning_never_adds_words(page: str) -> None:
    try:
        article = clean_text_dump(page, vocabulary=VOCABULARY, min_mentions=2, max_inferred=4)
    except DigestError:
        return  # no article on this page: nothing was produced, nothing was added
    source = set(WORD.findall(page))
    produced = [article.title, *article.paragraphs, article.image_caption or "",
                article.image_credit or "", article.author or "", article.summary or "",
                article.source or ""]
    for text in produced:
        assert set(WORD.findall(text)) <= source, text
    for paragraph in article.paragraphs:
        assert paragraph in page or " ".join(paragraph.split()) in " ".join(page.split())


@given(PAGES)
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_paragraphs_are_single_tidy_lines_apart_from_the_title(page: str) -> None:
    try:
        article = clean_text_dump(page, vocabulary=VOCABULARY, min_mentions=2, max_inferred=4)
    except DigestError:
        return
    assert article.paragraphs and all(p.strip() == p and p for p in article.paragraphs)
    assert all("\n" not in p for p in article.paragraphs)
    assert article.title and article.title not in article.paragraphs
