"""Properties of the cleaner over generated pages: it only ever removes text."""

from __future__ import annotations

import re
from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.config import Topic
from generator.errors import DigestError
from generator.ingest import clean_text_dump, load_rules
from generator.ingest.blocks import split_blocks
from generator.taxonomy import Vocabulary

VOCABULARY = Vocabulary.from_topics((Topic("Harbours", ("harbour", "pier")), Topic("Floods", ())))
WORD = re.compile(r"\w+")
TOPIC_WORDS = {w for name in ("Harbours", "Floods") for w in WORD.findall(name)}

PROSE = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced soon.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
    '"We have waited for years," said a fisherman who has used the pier every morning since 1990.',
    "The vote was unanimous.",
    "A final decision on the money is expected at the next meeting of the board in the first week of March.",
    "HALVERSTAD, Norland (Meridian) — The harbour board voted on Wednesday to close the pier for the winter.",
    "The harbour board met on Tuesday evening to discuss the pier. (Video published May 2, 2023)",
]
CLUTTER = [
    "Home", "News", "Sport", "Share on Facebook", "Advertisement", "2 min read", "Read more",
    "Read also: Ten facts about piers", "Sign up for our newsletter", "Support The Harbour Herald!",
    "By Jane Doe and John Roe", "Published 12 May 2023", "Photo: Ana Vega / Herald",
    "Tags: harbour, floods; pier", "Harbour board backs repairs to the old north pier",
    "A boat at the pier at dawn. Ana Vega / Herald", "If you value our journalism, please support us today.",
    "Teaser summary about something else that ends abruptly...", "© 2024 The Harbour Herald",
    " date 2023-05-12 The Harbour Herald", "url https://herald.example/pier",
    # Other layouts: sign-off bylines, comment threads, teaser boxes, subheadings, wire datelines.
    "Posted by Mara Quill on 14 February 2023", "3 thoughts on “Pier repairs”", "oldsalt says:",
    "May 3, 2023 at 9:12 am", "Reply", "Leave a Reply", "Trending now", "Most read",
    "1. Storm warning for the northern coast", "Talks Break Down After Midnight",
    "The pier at dawn, before the repairs began and the boats came back. Credit: 20th Century Harbour",
    "Switch to the Nordic edition", "Contribute Subscribe Contribute", "Funded by our readers",
    "Tags: Pier, Floods", "Filed under: harbour repairs; Town council",
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
    # A tag is the page's own word or a topic name the vocabulary maps it onto.
    for tag in article.tags:
        assert set(WORD.findall(tag)) <= source | TOPIC_WORDS, tag
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


@given(PAGES, st.sets(st.sampled_from(PROSE + CLUTTER), max_size=8))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_blocks_the_caller_names_never_reach_the_article(page: str, named: set[str]) -> None:
    def hook(text: str) -> str | None:
        return "named by the caller" if text in named else None
    try:
        article = clean_text_dump(page, vocabulary=VOCABULARY, min_mentions=2, max_inferred=4,
                                  boilerplate=hook)
    except DigestError:
        return
    assert not named & set(article.paragraphs)
    assert article.title not in named
    _, blocks = split_blocks(page, load_rules())
    named_blocks = [b.text for b in blocks if b.text in named]
    dropped = Counter(article.dropped)
    for text in set(named_blocks):
        assert dropped[(text, "named by the caller")] == named_blocks.count(text), text
