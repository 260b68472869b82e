"""A seeded synthetic news corpus for benchmarks: ``synthetic_articles(count)``, ``write_markdown``.

The text imitates the statistics that matter to the related-links and search stages:

- words are drawn Zipf-distributed (weight 1/rank) from a vocabulary of 40,000 words: the
  commonest ranks are English function words, as in real text (the tokenizer drops them), the
  rest are made-up pronounceable words;
- there are 200 tags, each with 50 topic words of its own (the first is the tag's name): an
  article mixes 10-15% topic words of its tags into its body, so articles sharing a tag share
  vocabulary and related links by text and by tag mean something;
- an article has 2-4 ordinary tags (Zipf-Mandelbrot over 197 tags) and, independently, each of
  3 hub tags on 35%, 28% and 22% of articles;
- bodies have 400-1000 words (mean 700) in sentences of 5-25 words and paragraphs of 2-6
  sentences; titles have 6-10 words; dates are spread over three years, UTC, whole seconds.

Everything comes from ``numpy.random.default_rng`` seeded with ``seed``, so a seed always gives
the same corpus. Articles are made in blocks of ``BLOCK`` with a random stream per block, so a
corpus of 1,000 is the first 1,000 articles of one of 100,000. 100,000 articles take about 12 s.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import yaml

from generator.model import ID_NAMESPACE, Article, Tag
from generator.taxonomy import tag_slug

VOCABULARY_SIZE = 40_000
TAG_COUNT = 200
HUB_TAG_SHARES = (0.35, 0.28, 0.22)  # share of articles carrying each hub tag (the first tags)
TOPIC_WORDS_PER_TAG = 50
TOPIC_WORD_MIN_RANK = 1_000  # topic words are rarer words, so they tell topics apart
ORDINARY_TAGS = (2, 4)  # per article, fewest and most
TAG_RANK_OFFSET = 5  # Zipf-Mandelbrot 1/(rank + 5): keeps the commonest ordinary tag below the hubs
BODY_WORDS_MEAN, BODY_WORDS_SD, BODY_WORDS = 700, 150, (400, 1000)
TITLE_WORDS = (6, 10)
SENTENCE_WORDS = (5, 25)
PARAGRAPH_SENTENCES = (2, 6)
BODY_TOPIC_SHARE = (0.10, 0.15)  # share of body words drawn from the article's tags' topic words
TITLE_TOPIC_SHARE = 0.3
FIRST_DATE = datetime(2023, 1, 1, tzinfo=timezone.utc)
DATE_SPAN_SECONDS = 3 * 365 * 86_400
BLOCK = 1_000  # articles per random stream

# The commonest words of English news, roughly in frequency order: the top ranks of a Zipf
# vocabulary carry ~40% of all words, and in real text those are words like these.
FUNCTION_WORDS = tuple("""
the of and to a in that is for on was with he it as said at by from his be have has an are but not
they this who were had been their will which its or after would about more she her one also over
than up into when all out there new two we can could last first year other some time so only just
""".split())
# Pieces of made-up words: onset + vowel per syllable, a coda at the end. No piece ends in "s",
# so the tokenizer's plural stripping never merges two made-up words.
ONSETS = tuple("b c d f g h j k l m n p r t v w z br ch cl cr dr fl fr gl gr pl pr sh sk sl sp st th tr".split())
VOWELS = tuple("a e i o u a e i o ai ea ee ia io oa ou".split())
CODAS = ("", "", "", "", "n", "r", "l", "m", "nd", "rt", "st", "x", "k")
SYLLABLE_COUNTS, SYLLABLE_COUNT_WEIGHTS = (2, 3, 4), (0.45, 0.4, 0.15)

# A token is a word in one of its variants: lower case or capitalized, followed by one of
# SUFFIXES. Token = word + VOCABULARY_SIZE * (2 * suffix + capitalized). Every variant's text is
# made once, so a text is one join of its tokens: sentences and paragraphs cost nothing per word.
SUFFIXES = (" ", ". ", ".\n\n", ".", "")
WORD_GAP, SENTENCE_END, PARAGRAPH_END, TEXT_END, TITLE_END = range(len(SUFFIXES))


class CumulativeSampler:
    """Draws indices by a fixed probability table, exactly like ``searchsorted`` on the cumulative
    sums but about five times faster: a lookup table of ``buckets`` finer than the least likely
    index answers every draw with one gather and one comparison."""

    def __init__(self, weights: np.ndarray) -> None:
        probabilities = weights / weights.sum()
        self.cumulative = np.cumsum(probabilities)
        self.cumulative[-1] = 1.0
        # With buckets no wider than the least likely index, a bucket holds at most one boundary.
        self.buckets = 1 << int(np.ceil(np.log2(1 / probabilities.min())))
        self.table = np.searchsorted(self.cumulative, np.arange(self.buckets) / self.buckets, side="right")

    def draw(self, rng: np.random.Generator, count: int) -> np.ndarray:
        uniform = rng.random(count)
        index = self.table[(uniform * self.buckets).astype(np.int64)]
        index += self.cumulative[index] <= uniform
        return index


@dataclass(frozen=True)
class Language:
    """What every article of one corpus shares: its words, their frequencies and the tags' topics."""

    token_texts: np.ndarray  # object array: token -> its text, see SUFFIXES
    word_sampler: CumulativeSampler  # over word indices, by Zipf rank
    topic_words: np.ndarray  # (TAG_COUNT, TOPIC_WORDS_PER_TAG) word indices, each tag's by its own Zipf
    topic_sampler: CumulativeSampler  # over a tag's topic word positions
    tags: tuple[Tag, ...]  # hub tags first
    ordinary_tag_log_weights: np.ndarray  # for the tags after the hubs


def synthetic_articles(count: int, seed: int = 7) -> tuple[Article, ...]:
    """``count`` articles, stems ``a000000`` upwards, the same for the same seed."""
    language = make_language(seed)
    articles: list[Article] = []
    for block in range(0, count, BLOCK):
        # A whole block even for a partial one: its stream, hence its articles, stay the same.
        articles.extend(_article_block(language, np.random.default_rng([seed, 1, block // BLOCK]), block))
    return tuple(articles[:count])


def write_markdown(articles: tuple[Article, ...] | list[Article], folder: Path) -> None:
    """Each article as ``<stem>.md`` with the front matter ``generator.load`` reads."""
    folder.mkdir(parents=True, exist_ok=True)
    for article in articles:
        meta = {"id": article.id, "title": article.title, "slug": article.slug}
        if article.date:
            meta["date"] = article.date.isoformat()
        meta["tags"] = [tag.name for tag in article.tags]
        front = yaml.safe_dump(meta, sort_keys=False, allow_unicode=True, width=1_000)
        (folder / f"{article.stem}.md").write_text(f"---\n{front}---\n\n{article.body}\n", encoding="utf-8")


def make_language(seed: int) -> Language:
    """The words, tags and topic words of the corpus made with ``seed``."""
    rng = np.random.default_rng([seed, 0])
    words = list(FUNCTION_WORDS) + _made_up_words(rng, VOCABULARY_SIZE - len(FUNCTION_WORDS), set(FUNCTION_WORDS))
    # Every tag's topic words are distinct from its own name word; names are distinct from each other.
    candidates = np.arange(TOPIC_WORD_MIN_RANK, VOCABULARY_SIZE)
    names = rng.choice(candidates, TAG_COUNT, replace=False)
    others = np.setdiff1d(candidates, names)
    topic_words = np.array([[name, *rng.choice(others, TOPIC_WORDS_PER_TAG - 1, replace=False)] for name in names])
    tags = tuple(Tag(slug=tag_slug(words[name].capitalize()), name=words[name].capitalize()) for name in names)
    ordinary_ranks = np.arange(1, TAG_COUNT - len(HUB_TAG_SHARES) + 1)
    return Language(
        token_texts=_token_texts(words),
        word_sampler=CumulativeSampler(1 / np.arange(1, len(words) + 1)),
        topic_words=topic_words,
        topic_sampler=CumulativeSampler(1 / np.arange(1, TOPIC_WORDS_PER_TAG + 1)),
        tags=tags,
        ordinary_tag_log_weights=-np.log(ordinary_ranks + TAG_RANK_OFFSET),
    )


def _made_up_words(rng: np.random.Generator, count: int, taken: set[str]) -> list[str]:
    """``count`` distinct pronounceable words, none of them in ``taken``, in random order."""
    found: dict[str, None] = {}  # ordered set
    while len(found) < count:
        batch = count
        syllables = rng.choice(SYLLABLE_COUNTS, size=batch, p=SYLLABLE_COUNT_WEIGHTS)
        onsets = rng.integers(0, len(ONSETS), (batch, max(SYLLABLE_COUNTS)))
        vowels = rng.integers(0, len(VOWELS), (batch, max(SYLLABLE_COUNTS)))
        codas = rng.integers(0, len(CODAS), batch)
        for n in range(batch):
            word = "".join(ONSETS[onsets[n, s]] + VOWELS[vowels[n, s]] for s in range(syllables[n])) + CODAS[codas[n]]
            if word not in taken:
                found[word] = None
    return list(found)[:count]


def _token_texts(words: list[str]) -> np.ndarray:
    capitalized = [w.capitalize() for w in words]
    return np.array([w + suffix for suffix in SUFFIXES for case in (words, capitalized) for w in case], dtype=object)


def _tokens(words: np.ndarray, suffixes: np.ndarray, capitalized: np.ndarray) -> np.ndarray:
    """Token numbers of words with their suffix (index into SUFFIXES) and case (1 capitalized)."""
    return words + VOCABULARY_SIZE * (2 * suffixes + capitalized)


def _article_block(language: Language, rng: np.random.Generator, first: int) -> list[Article]:
    """``BLOCK`` articles numbered from ``first``; all random draws for the block are made in bulk."""
    tag_ids, tag_counts = _draw_tags(language, rng, BLOCK)
    body_lengths = np.clip(np.rint(rng.normal(BODY_WORDS_MEAN, BODY_WORDS_SD, BLOCK)), *BODY_WORDS).astype(np.int64)
    title_lengths = rng.integers(TITLE_WORDS[0], TITLE_WORDS[1] + 1, BLOCK)
    body_shares = rng.uniform(*BODY_TOPIC_SHARE, BLOCK)
    seconds = rng.integers(0, DATE_SPAN_SECONDS, BLOCK)
    body_words = _draw_words(language, rng, body_lengths, body_shares, tag_ids, tag_counts)
    title_words = _draw_words(language, rng, title_lengths, np.full(BLOCK, TITLE_TOPIC_SHARE), tag_ids, tag_counts)
    bodies = _bodies(language, rng, body_words, body_lengths)
    titles = _titles(language, title_words, title_lengths)
    articles = []
    for offset in range(BLOCK):
        stem = f"a{first + offset:06d}"
        articles.append(Article(
            source_path=Path(f"{stem}.md"), stem=stem, id=str(uuid.uuid5(ID_NAMESPACE, stem)), slug=stem,
            title=titles[offset], date=FIRST_DATE + timedelta(seconds=int(seconds[offset])), updated=None,
            author=None, source=None, source_url=None, image_caption=None, image_credit=None,
            tags=tuple(language.tags[t] for t in tag_ids[offset, :tag_counts[offset]]), summary=None,
            body=bodies[offset]))
    return articles


def _draw_tags(language: Language, rng: np.random.Generator, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Per article, its tag indices (ordinary tags first, then padding) and how many there are."""
    hub_count = len(HUB_TAG_SHARES)
    most = ORDINARY_TAGS[1]
    # Gumbel top-k: the ``most`` largest of log weight + Gumbel noise are a weighted draw without
    # replacement, for all articles at once.
    keys = language.ordinary_tag_log_weights + rng.gumbel(size=(count, len(language.ordinary_tag_log_weights)))
    ordinary = np.argsort(-keys, axis=1)[:, :most] + hub_count
    ordinary_counts = rng.integers(ORDINARY_TAGS[0], most + 1, count)
    has_hub = rng.random((count, hub_count)) < np.array(HUB_TAG_SHARES)
    candidates = np.hstack([ordinary, np.broadcast_to(np.arange(hub_count), (count, hub_count))])
    chosen = np.hstack([np.arange(most) < ordinary_counts[:, None], has_hub])
    # A stable sort on "not chosen" moves each row's chosen tags to its front, in order.
    order = np.argsort(~chosen, axis=1, kind="stable")
    return np.take_along_axis(candidates, order, axis=1), chosen.sum(axis=1)


def _draw_words(language: Language, rng: np.random.Generator, lengths: np.ndarray, topic_shares: np.ndarray,
                tag_ids: np.ndarray, tag_counts: np.ndarray) -> np.ndarray:
    """Word indices of all the texts, one after another: Zipf background with topic words mixed in."""
    words = language.word_sampler.draw(rng, int(lengths.sum()))
    owner = np.repeat(np.arange(len(lengths)), lengths)
    topical = np.flatnonzero(rng.random(len(words)) < topic_shares[owner])
    owner = owner[topical]
    slot = (rng.random(len(topical)) * tag_counts[owner]).astype(np.int64)  # one of the article's tags
    topic = language.topic_sampler.draw(rng, len(topical))
    words[topical] = language.topic_words[tag_ids[owner, slot], topic]
    return words


def _bodies(language: Language, rng: np.random.Generator, words: np.ndarray, lengths: np.ndarray) -> list[str]:
    """The texts of ``words`` (concatenated bodies of ``lengths``) in sentences and paragraphs."""
    total = len(words)
    text_ends = np.cumsum(lengths)  # exclusive
    # Sentence and paragraph breaks run on across texts; every text end is one too.
    sentence_lengths = rng.integers(SENTENCE_WORDS[0], SENTENCE_WORDS[1] + 1, total // SENTENCE_WORDS[0] + 1)
    is_sentence_end = np.zeros(total, dtype=bool)
    sentence_ends = np.cumsum(sentence_lengths) - 1
    is_sentence_end[sentence_ends[sentence_ends < total]] = True
    is_sentence_end[text_ends - 1] = True
    sentence_ends = np.flatnonzero(is_sentence_end)
    paragraph_sizes = rng.integers(PARAGRAPH_SENTENCES[0], PARAGRAPH_SENTENCES[1] + 1, len(sentence_ends))
    paragraph_ends = np.cumsum(paragraph_sizes) - 1
    suffixes = np.full(total, WORD_GAP)
    suffixes[sentence_ends] = SENTENCE_END
    suffixes[sentence_ends[paragraph_ends[paragraph_ends < len(sentence_ends)]]] = PARAGRAPH_END
    suffixes[text_ends - 1] = TEXT_END
    capitalized = np.zeros(total, dtype=np.int64)
    capitalized[0] = 1
    capitalized[sentence_ends[:-1] + 1] = 1
    return _join(language, _tokens(words, suffixes, capitalized), text_ends)


def _titles(language: Language, words: np.ndarray, lengths: np.ndarray) -> list[str]:
    ends = np.cumsum(lengths)
    suffixes = np.full(len(words), WORD_GAP)
    suffixes[ends - 1] = TITLE_END
    capitalized = np.zeros(len(words), dtype=np.int64)
    capitalized[ends - lengths] = 1
    return _join(language, _tokens(words, suffixes, capitalized), ends)


def _join(language: Language, tokens: np.ndarray, ends: np.ndarray) -> list[str]:
    """The texts of consecutive runs of ``tokens`` ending (exclusive) at ``ends``."""
    texts = language.token_texts[tokens].tolist()
    return ["".join(texts[start:end]) for start, end in zip([0, *ends[:-1].tolist()], ends.tolist())]
