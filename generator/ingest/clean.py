"""Text dump -> CleanedArticle: the passes of the cleaner, in order.

blocks -> features and metadata roles -> classify and smooth -> main region -> image
caption and credit -> title -> byline, date, tags, publisher -> summary. Every pass is a
pure function of frozen values; this module sequences them and records, for the audit,
why each dropped block went.

Failure policy: when no article body or no headline can be found this raises
DigestError(Problem(...)) without a path; the caller knows the file and adds it.
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import datetime
import re
from collections.abc import Callable, Iterator, Mapping

from ..errors import DigestError, Problem
from ..taxonomy import Vocabulary, infer_tags
from .article import CleanedArticle
from .blocks import Block, Header, split_blocks
from .classify import GOOD, Label, classify
from .dates import article_date, parse_header_date, published_line_date
from .features import SENTENCE_BREAK, Features, is_sentence_end, page_features, page_rules
from .images import image_text
from .lists import is_list_item
from .metadata import (bare_byline, block_roles, byline_author, byline_date, heading_tags, is_tag_heading,
                       joined_bylines, past_byline_furniture, publisher, source_url, tag_line_tags)
from .pull_quotes import PULL_QUOTE, pull_quotes
from .region import COMMENTS, Region, main_region
from .rules import Rules, load_rules
from .title import find_title, without_label

SIGN_OFF_BLOCKS = 3  # blocks below the body where a blog's byline may sign off


def clean_text_dump(text: str, *, vocabulary: Vocabulary, min_mentions: int, max_inferred: int,
                    rules: Rules | None = None,
                    boilerplate: Callable[[str], str | None] | None = None) -> CleanedArticle:
    """Clean one page dump; DigestError (without a path) when it holds no article.

    ``boilerplate`` is what the caller knows beyond this page (a source's profile rules,
    blocks repeated across its pages): a block for which it returns a reason is
    boilerplate for that reason, never body, title or metadata.
    """
    rules = rules or load_rules()
    header, split = split_blocks(text, rules)
    blocks = joined_bylines(split, rules)
    if not blocks:
        raise DigestError(Problem("no page text after the scraper header",
                                  hint="the dump holds no article; re-scrape the page"))
    rules = page_rules(blocks, rules)
    external = external_boilerplate(blocks, boilerplate)
    features = mark_boilerplate(page_features(blocks, rules), external)
    roles = block_roles(blocks, rules)
    first, labels = classify(features, roles, rules)
    region = main_region(first, labels, features, roles, rules, tuple(b.text for b in blocks))
    if region is None:
        raise DigestError(Problem("no article body found",
                                  hint="no run of prose paragraphs on the page; is it an index page?"))
    quotes = pull_quotes(frozenset(region.kept), tuple(b.text for b in blocks))
    kept = tuple(sorted({*(i for i in region.kept if i not in quotes),
                         *own_lines_below(blocks, region, rules, frozenset(external))}))
    image = image_text(blocks, features, roles, region.start, kept, rules, frozenset(external))
    if not image.body:
        raise DigestError(Problem("no article body found", hint="only an image caption was found"))
    body = image.body
    reasons = {**external, **dict.fromkeys(quotes, PULL_QUOTE), **dict(image.taken)}
    site = publisher(blocks, rules)
    paragraphs = tuple(blocks[i].text for i in body)
    title_at = find_title(blocks, features, roles, body[0], site, "\n".join(paragraphs), rules,
                          frozenset(reasons))
    if title_at is None:
        # No byline or dateline set the headline apart, and the body took it in with the lines
        # around it: it is the best title-like line above the first paragraph of prose.
        lead = [i for i in itertools.takewhile(lambda i: first[i].cls != GOOD, body)]
        if 0 < len(lead) < len(body):
            title_at = find_title(blocks, features, roles, body[len(lead)], site, "\n".join(paragraphs), rules,
                                  frozenset(reasons))
        if title_at is not None:
            reasons.update((i, ABOVE_HEADLINE) for i in lead if i < title_at)
            body = tuple(i for i in body if i > title_at)
            paragraphs = tuple(blocks[i].text for i in body)
    if title_at is None:
        raise DigestError(Problem("no headline found above the article body",
                                  hint="the page has no title-like line before its first paragraph"))
    title = without_label(blocks[title_at].text, rules)
    reasons[title_at] = "title"
    stated_summary = _stated_summary(blocks, title_at, body, rules)
    if stated_summary is not None:
        reasons[stated_summary[1]] = "summary"
        body = tuple(i for i in body if i != stated_summary[1])
        paragraphs = tuple(blocks[i].text for i in body)
    top = min(title_at, body[0])

    # Site furniture says nothing about this article (a header showing today's date).
    skip = frozenset(external)
    sign_off = _sign_off(blocks, region.end, rules)
    author = _author(blocks, top, body[0], region.end, sign_off, rules, skip)
    stated = _date(header, blocks, top, body[0], sign_off, rules, skip)
    if author is None and stated is not None and stated[1] is not None:
        author = _bare_byline(blocks, stated[1], title_at, body[0], site, rules, skip)
    elif author is None and stated is None:
        relative = next((i for i in range(title_at + 1, body[0])
                         if i not in skip and rules.relative_stamp.match(blocks[i].text)), None)
        if relative is not None:
            author = _bare_byline(blocks, relative, title_at, body[0], site, rules, skip)
    listed = _page_tags(blocks, title_at, region.end, rules, skip)
    for found, reason in ((author, "byline"), (stated, "dateline"), (listed, "tag line")):
        if found is not None and found[1] is not None:
            reasons.setdefault(found[1], reason)
    tags = article_tags(listed[0] if listed else None, title, paragraphs, vocabulary, min_mentions, max_inferred)
    warnings = missing_metadata(stated, tags)
    return CleanedArticle(
        title=title, date=stated[0] if stated else None, author=author[0] if author else None,
        source=site, source_url=source_url(header, blocks, rules),
        image_caption=image.caption, image_credit=image.credit, tags=tags,
        summary=summarize(stated_summary[0] if stated_summary else lede(paragraphs, rules),
                          rules.thresholds.summary_target),
        paragraphs=paragraphs,
        dropped=_dropped(header, blocks, labels, frozenset(body), reasons),
        warnings=warnings)


ABOVE_HEADLINE = "above the headline"


def _stated_summary(blocks: tuple[Block, ...], title_at: int, body: tuple[int, ...], rules: Rules
                    ) -> tuple[str, int] | None:
    """The page's own summary ("Summary: ...", ``summary_line``) between the headline and the
    first paragraph, or opening the body when more follows it; and its block."""
    last = body[0] if len(body) > 1 else body[0] - 1
    for i in range(title_at + 1, last + 1):
        found = rules.summary_line.match(blocks[i].text)
        if found:
            return found["summary"], i
    return None


def own_lines_below(blocks: tuple[Block, ...], region: Region, rules: Rules, skip: frozenset[int]
                    ) -> tuple[int, ...]:
    """The article's own lines below its body's last paragraph: its copyright line right below
    it (an agency's "© 2024 The Associated Press. All rights reserved ..."; a site's footer line
    stands below its share bars and teasers), and the paper a science story reports on, a few
    blocks down ("More information: ... DOI ...", "Provided by ...")."""
    if not region.kept or region.kept[-1] != region.end:
        return ()
    texts = tuple(b.text for b in blocks)
    below = region.end + 1
    rights = (below,) if below < len(blocks) and rules.is_rights_notice(texts[below]) else ()
    body = "\n".join(texts[i] for i in region.kept)
    return tuple(i for i in (*rights, *rules.reference_below(texts, region.end, body)) if i not in skip)


def external_boilerplate(blocks: tuple[Block, ...],
                         judge: Callable[[str], str | None] | None) -> dict[int, str]:
    """Block index -> the caller's reason, for the blocks the caller calls boilerplate."""
    if judge is None:
        return {}
    verdicts: dict[str, str | None] = {}
    for block in blocks:
        if block.text not in verdicts:
            verdicts[block.text] = judge(block.text) or None
    return {b.index: reason for b in blocks if (reason := verdicts[b.text])}


def mark_boilerplate(features: tuple[Features, ...], external: Mapping[int, str]) -> tuple[Features, ...]:
    """Features with the caller's boilerplate marked; a kind of our own (a hard stop such
    as a copyright line) is kept, since it also says where the article ends."""
    return tuple(dataclasses.replace(f, boilerplate=f.boilerplate or external[i]) if i in external else f
                 for i, f in enumerate(features))


def _author(blocks: tuple[Block, ...], top: int, first: int, end: int, sign_off: range,
            rules: Rules, skip: frozenset[int] = frozenset()) -> tuple[str, int] | None:
    """The byline nearest above the body (from just above the title), else just inside it,
    else just below it (blogs sign off: "Posted by Jane Doe on May 3, 2023")."""
    order = [*range(first - 1, max(-1, top - 4), -1), *range(first + 1, min(end, first + 6)),
             *sign_off]
    for i in order:
        if i in skip:
            continue
        author = byline_author(blocks[i].text, rules)
        if author:
            return author, i
    return None


def _bare_byline(blocks: tuple[Block, ...], dated: int, title_at: int, first: int, site: str | None,
                 rules: Rules, skip: frozenset[int]) -> tuple[str, int] | None:
    """A name alone on the line beside the date line, between the headline and the body
    ("Marta Oyelaran" over "November 20, 2026"): the byline, its "By" a link or an icon. Their
    job and the buttons beside their name may stand between them ("Senior Reviews Editor",
    "Email", "Follow", "143 comments")."""
    above = past_byline_furniture(blocks, dated - 1, -1, title_at, rules)
    for i in (dated - 1, dated + 1, *((above,) if above is not None and above < dated - 1 else ())):
        if title_at < i < first and i not in skip:
            author = bare_byline(blocks[i].text, site, rules)
            if author:
                return author, i
    # Or the date line names them among its parts ("2026-03-04 · Aisha Okonkwo · 7 min read").
    if title_at < dated < first and dated not in skip:
        author = next(filter(None, (bare_byline(part, site, rules) for part in _LINE_PARTS.split(blocks[dated].text))),
                      None)
        if author:
            return author, dated
    return None


_LINE_PARTS = re.compile(r"\s+[|·•]\s+")


def _sign_off(blocks: tuple[Block, ...], end: int, rules: Rules) -> range:
    """The blocks just below the body where a blog's byline may sign off, up to a comments
    heading: below it, "Posted by Gary Lund on April 14, 2024" signs a reader's comment."""
    stop = min(len(blocks), end + 1 + SIGN_OFF_BLOCKS)
    heading = next((i for i in range(end + 1, stop) if rules.boilerplate_kind(blocks[i].text) == COMMENTS), stop)
    return range(end + 1, heading)


def _date(header: Header, blocks: tuple[Block, ...], top: int, first: int, sign_off: range,
          rules: Rules, skip: frozenset[int] = frozenset()) -> tuple[datetime.date, int | None] | None:
    """The scraper header's date, else the article's date from the lines around the headline
    (``article_date``; and its block), else the date of a sign-off byline just below the body.

    Below the body only a byline's date counts, or a line saying when the page was published
    ("This article was published on 12 June 2025.", an obituary's "Published by Times-Tribune on
    Nov. 2, 2025."): a bare date there is more often a comment's time stamp than the article's.
    """
    if header.date:
        stated = parse_header_date(header.date, rules)
        if stated is not None:
            return stated, None
    near = ((i, blocks[i].text) for i in range(max(0, top - 8), min(len(blocks), first + 3)) if i not in skip)
    found = article_date(near, rules, functools.partial(byline_date, rules=rules), top)
    if found is not None:
        return found
    for i in sign_off:
        text = blocks[i].text
        stated = None if i in skip else byline_date(text, rules) or published_line_date(text, rules)
        if stated is not None:
            return stated, i
    return None


def _page_tags(blocks: tuple[Block, ...], title_at: int, end: int, rules: Rules,
               skip: frozenset[int] = frozenset()) -> tuple[tuple[str, ...], int] | None:
    """Tags the page lists: a tag line, or a tag heading with one tag per line.

    Lines after the body are tried first: a "Topics:" line above the headline is more
    often a site menu than the article's own tags.
    """
    order = list(range(end + 1, len(blocks))) + list(range(title_at + 1, end + 1))
    for i in order:
        if i in skip:
            continue
        tags = tag_line_tags(blocks[i].text, rules)
        if tags is not None:
            return tags, i
        if i > end and is_tag_heading(blocks[i].text, rules):
            listed, _ = heading_tags(blocks, i, rules)
            if listed:
                return listed, i
    return None


def article_tags(listed: tuple[str, ...] | None, title: str, paragraphs: tuple[str, ...], vocabulary: Vocabulary,
                 min_mentions: int, max_inferred: int) -> tuple[str, ...]:
    """The page's own tags in the vocabulary's spelling, else the topics the text names often enough."""
    if listed is not None:
        return tuple(dict.fromkeys(vocabulary.canonical_name(t) for t in listed))
    return infer_tags(title, "\n\n".join(paragraphs), vocabulary, min_mentions=min_mentions, limit=max_inferred)


def missing_metadata(date: object | None, tags: tuple[str, ...]) -> tuple[str, ...]:
    """Warnings for what an editor may want to add by hand."""
    warnings = []
    if date is None:
        warnings.append("no date stated; left undated")
    if not tags:
        warnings.append("no tags: no tag line and no vocabulary topic mentioned often enough")
    return tuple(warnings)


LEDE_MIN_WORDS = 6


def lede(paragraphs: tuple[str, ...] | list[str], rules: Rules) -> str:
    """The first paragraph of at least LEDE_MIN_WORDS words: a heading ("Key points") and its
    items, a time ("10 p.m."), a label ("Staff Reports") or an event's facts ("When: ...") above
    the story's first sentence is no summary, nor are the points under a heading that lost their
    bullets (no sentence end) or a live blog's entry heading below its time. The first paragraph
    when none is that long."""
    points = set(_unbulleted_points(paragraphs, rules)) | set(_entry_headings(paragraphs, rules))
    return next((p for n, p in enumerate(paragraphs) if len(p.split()) >= LEDE_MIN_WORDS and not is_list_item(p)
                 and not rules.fact_line.match(p) and n not in points), paragraphs[0])


def _unbulleted_points(paragraphs: tuple[str, ...] | list[str], rules: Rules) -> Iterator[int]:
    """The places of the paragraphs under a key-points heading that end no sentence."""
    for n, paragraph in enumerate(paragraphs):
        if rules.summary_heading.search(paragraph.strip()):
            following = itertools.takewhile(lambda p: not is_sentence_end(p[1]), enumerate(paragraphs[n + 1:], n + 1))
            yield from (at for at, _ in following)


def _entry_headings(paragraphs: tuple[str, ...] | list[str], rules: Rules) -> Iterator[int]:
    """The places of the paragraphs right below an entry's time ("8.40pm") that end no sentence."""
    for n, paragraph in enumerate(paragraphs[:-1]):
        if rules.entry_time.match(paragraph.strip()) and not is_sentence_end(paragraphs[n + 1]):
            yield n + 1


SUMMARY_SLACK = 1.25  # a summary may run this far past its target to end with a sentence


def summarize(lede: str, target: int) -> str:
    """The lede whole, or cut at the sentence end nearest ``target`` characters; a lede with
    no sentence end near it (a run-on, a list) is cut at a word before ``target``, with "…"."""
    longest = int(target * SUMMARY_SLACK)
    if len(lede) <= longest:
        return lede
    ends = [m.end() for m in SENTENCE_BREAK.finditer(lede) if m.end() <= longest]
    if ends:
        return lede[:min(ends, key=lambda e: abs(e - target))].strip()
    return cut_at_word(lede, target)


def cut_at_word(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` characters at a space, marked with "…"."""
    space = text.rfind(" ", 0, limit + 1)
    kept = text[:space if space > 0 else limit].rstrip(" ,;:-–—")
    return kept + "…"


def _dropped(header: Header, blocks: tuple[Block, ...], labels: tuple[Label, ...],
             kept: frozenset[int], reasons: dict[int, str]) -> tuple[tuple[str, str], ...]:
    """Every block not in the body with the most specific reason known for it."""
    out = [(line, "scraper header") for line in header.lines]
    for block in blocks:
        i = block.index
        if i in kept:
            continue
        if i in reasons:
            out.append((block.text, reasons[i]))
        elif labels[i].cls == GOOD:
            out.append((block.text, "outside the main article text"))
        else:
            out.append((block.text, labels[i].reason))
    return tuple(out)
