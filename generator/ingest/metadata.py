"""Metadata lines: bylines, tag lines, publisher mentions, source URLs, image credits.

Each detector looks at one block's text and either recognises it or returns None, so the
classifier can drop the line and the article can keep what it says.
"""

from __future__ import annotations

import dataclasses
import datetime
import re
from collections import Counter
from collections.abc import Sequence

from .blocks import Block, Header
from .dates import dateline_date, find_date
from .features import is_sentence_end, words_of
from .rules import Rules

# Lower-case words a personal or agency name may contain ("Jane Doe and John Roe").
_NAME_JOINERS = frozenset({"and", "&", "of", "de", "van", "von", "der", "den", "la", "le", "du",
                           "da", "del", "della", "di", "bin", "al", "el", "y", "the", "for",
                           "with", "staff", "via", "an"})  # Irish "Nic an Bhaird"
# An Irish surname's mutated first letter goes before its capital ("Ó hAodha", "Nic an tSaoi",
# "Ó nGallchóir"): the name is capitalised all the same.
_IRISH_MUTATION = re.compile(r"(?:t|h|n|bh|mb|gc|nd|ng|bp|dt)(?=[A-ZÁÉÍÓÚ])")
_TAG_SPLIT = re.compile(r"\s*[,;|•·]\s*")
_LAST_SENTENCE_END = re.compile(r"[.!?][\"'”’»)\]]*\s+")
# Where a byline's names end and its date, place or role begins ("By X on Monday", "By X | May 3",
# "By X / TNN / Updated: ...", "By X in Portsmouth"); no name particle is "in" ("Jan van der Berg" stays).
_BYLINE_TAIL = re.compile(
    r"\s+(?:on|at|in|\||/|-|–|—|•|·|updated|published|posted)\s+.*$|\s*[|•·]\s*$", re.IGNORECASE)
_PLACE_BEFORE_AND = re.compile(r"\s+in\s+[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*){0,2}(?=\s+(?:and|&)\s)")
_CREDIT_JOINERS = frozenset({"via", "and", "for", "of", "the", "photo", "by", "courtesy"})


def byline_author(text: str, rules: Rules) -> str | None:
    """The credited name(s) when the block is a byline ("By Jane Doe and John Roe")."""
    if len(text.split()) > 3 * rules.byline_max_words:
        return None
    for pattern in rules.byline:
        match = pattern.search(text)
        if match is None:
            continue
        # "Reporting by A in Lusaka and B in London; Editing by C": after a semicolon others are
        # credited, and a place before "and" is no name.
        author = _PLACE_BEFORE_AND.sub("", match.group("author").split(";")[0])
        dated = rules.date_expr.search(author)
        if dated:
            author = _without_weekday(author[:dated.start()], rules)
        author = _BYLINE_TAIL.sub("", author).strip(" ,;|-–—")
        named = author  # "Jane Doe" of "Jane Doe, Reuters" and of "Jane Doe, Gazette Staff Writer"
        for after_names in rules.byline_after_names:
            named = after_names.sub("", named).strip(" ,;")
        author = named if _looks_like_names(named) else author  # "By The Associated Press" names it alone
        if author and len(author.split()) <= rules.byline_max_words and _looks_like_names(author):
            return author
    return None


def _without_weekday(text: str, rules: Rules) -> str:
    """A byline's names without the weekday of the date after them ("Ximena Brodsky-Achebe Tuesday"
    of "... Tuesday 10 March 2026"); a three-letter one may be a name ("Li Sun")."""
    head, _, last = text.rstrip(" ,").rpartition(" ")
    weekday = last.casefold().rstrip(",.")
    # As cut before the date, with the space after ("Jane Doe on ", which the tail rule reads).
    return f"{head} " if head and len(weekday) > 3 and weekday in rules.weekdays else text


def bare_byline(text: str, site: str | None, rules: Rules) -> str | None:
    """The line when it is a person's name and nothing else ("Marta Oyelaran", "Jan van der
    Berg"): a byline that lost its "By" to a link or an icon. Only the caller knows where
    such a line is a byline (beside the article's date line, below its headline). A columnist's
    "With Bernard Kettleby" names Bernard Kettleby."""
    if text.startswith("With "):
        text = text[5:]
    words = text.split()
    named = [w for w in words if w not in _NAME_JOINERS]
    if not 2 <= len(named) <= _BARE_NAME_WORDS:
        return None
    if not (all(map(_is_name_word, named)) or all(_letters(w).isupper() and len(w) > 1 for w in named)):
        return None  # "Marta Oyelaran" or "GARETH PRYCE", not "Marta OYELARAN Reports"
    if any(w.casefold() in _NOT_NAMES for w in named) or rules.boilerplate_kind(text) is not None:
        return None
    if site and site.casefold() in text.casefold() or rules.date_expr.search(text):
        return None
    if rules.publisher_suffix.search(text):
        return None  # a company's name: "Harlow Subsea Ltd"
    return text


_BARE_NAME_WORDS = 4
# Words of the short capitalised lines a page sets beside its date that name no one.
_NOT_NAMES = frozenset({"news", "live", "updates", "update", "breaking", "exclusive", "opinion", "analysis",
                        "comment", "comments", "share", "read", "more", "listen", "watch", "video", "photos",
                        "audio", "sponsored", "advertisement", "editorial", "reporter", "writer", "editor",
                        "correspondent", "staff", "home", "sport", "sports", "world", "business", "politics",
                        "features", "review", "follow", "print", "email", "subscribe", "published", "updated",
                        "posted", "local", "national", "today", "story", "article", "minute", "minutes"})


_BYLINE_FURNITURE = 3  # lines between a bare name and its date line at most
_BUTTONS = frozenset({"share", "comments"})  # kinds of boilerplate that stand beside a byline


def _byline_furniture(text: str, rules: Rules) -> bool:
    """A writer's job, or a button beside their name ("Email", "Follow", "143 comments"): what
    may stand between a bare name and the date line."""
    return rules.byline_job_line.match(text) is not None or rules.boilerplate_kind(text) in _BUTTONS


def past_byline_furniture(blocks: Sequence[Block], start: int, step: int, limit: int, rules: Rules) -> int | None:
    """The first block from ``start`` on, going ``step`` (1 down, -1 up) and stopping short of
    ``limit``, that is no byline furniture, past ``_BYLINE_FURNITURE`` blocks of it at most: from a
    bare name, its date line; from the date line, the name. None when there is none."""
    for j in range(start, start + step * (_BYLINE_FURNITURE + 1), step):
        if (limit - j) * step <= 0:
            return None
        if not _byline_furniture(blocks[j].text, rules):
            return j
    return None


def _is_name_word(word: str) -> bool:
    """A capitalised word of letters ("Oyelaran", "O'Neill", "Smith-Jones", "McAdam", Irish "hAodha"),
    an initial ("J.") or the Irish "Ó"; not a word in capitals."""
    if len(word) == 2 and word[0].isupper() and word[1] == "." or word == "Ó":
        return True
    letters = _letters(word)
    return letters.isalpha() and _capitalised(word) and not letters.isupper()


def _capitalised(word: str) -> bool:
    """Whether the word starts with a capital, or with an Irish mutation before it ("hAodha")."""
    mutation = _IRISH_MUTATION.match(word)
    return word[mutation.end() if mutation else 0].isupper()


def _letters(word: str) -> str:
    return word.replace("-", "").replace("'", "").replace("\u2019", "")


def joined_bylines(blocks: tuple[Block, ...], rules: Rules) -> tuple[Block, ...]:
    """The blocks with each byline split over two lines ("By" / "Tomas Quill") made one block
    ("By Tomas Quill"), when the two read as a byline and the second is no page furniture ("Share")."""
    out: list[Block] = []
    for block in blocks:
        last = out[-1] if out else None
        if last is not None and rules.byline_lead_in.match(last.text) and byline_author(
                joined := f"{last.text} {block.text}", rules) and rules.boilerplate_kind(block.text) is None:
            out[-1] = Block(last.index, joined, last.line, last.blank_before)
        else:
            out.append(block if block.index == len(out) else dataclasses.replace(block, index=len(out)))
    return tuple(out)


def byline_date(text: str, rules: Rules) -> datetime.date | None:
    """The date written in a byline ("By Jane Doe | May 3, 2023")."""
    if not byline_author(text, rules):
        return None
    found = find_date(text, rules)
    return found[0] if found else None


def _looks_like_names(text: str) -> bool:
    """Names are capitalised words, or a newsroom's team named for its outlet ("the Meridian
    politics team"); "By the end of the week" is not a byline."""
    tokens = _NAME_TOKEN.findall(text)  # "Ji-won" is one name ("Park Ji-won")
    named = [w for w in tokens if w.casefold() not in _NAME_JOINERS]
    if 2 <= len(named) <= _TEAM_WORDS and named[-1].casefold() in _TEAMS and named[0][0].isupper():
        return True
    return bool(named) and sum(map(_capitalised, named)) / len(named) >= 0.75


_NAME_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")
_TEAMS = frozenset({"team", "desk", "staff", "newsroom", "bureau"})  # "the Harbour Wire news desk"
_TEAM_WORDS = 5


def tag_line_tags(text: str, rules: Rules) -> tuple[str, ...] | None:
    """The tags of a tag line ("Read more about: Crocus , Putin"), else None."""
    for pattern in rules.tag_line:
        match = pattern.search(text)
        if match:
            return split_tags(match.group("tags"))
    return None


def split_tags(text: str) -> tuple[str, ...]:
    return tuple(t for t in (part.strip(" .") for part in _TAG_SPLIT.split(text)) if t)


def is_tag_heading(text: str, rules: Rules) -> bool:
    return any(p.search(text) for p in rules.tag_heading)


def heading_tags(blocks: tuple[Block, ...], at: int, rules: Rules) -> tuple[tuple[str, ...], int]:
    """Tags listed one per line after a tag heading, and the index after the last one."""
    tags: list[str] = []
    i = at + 1
    while i < len(blocks) and len(tags) < 30:
        text = blocks[i].text
        if len(text.split()) > 5 or is_sentence_end(text) or rules.boilerplate_kind(text):
            break
        below = blocks[i + 1].text if i + 1 < len(blocks) else ""
        if len(below.split()) > 5 and rules.boilerplate_kind(below):
            break  # "Cookies" heads the cookie notice below it, not a tag
        tags.extend(split_tags(text))
        i += 1
    return tuple(tags), i


def publisher(blocks: tuple[Block, ...], rules: Rules) -> str | None:
    """The publisher named most often by the publisher patterns (ties: earlier pattern, line)."""
    counts: Counter[str] = Counter()
    first: dict[str, tuple[int, int]] = {}
    for block in blocks:
        for rank, pattern in enumerate(rules.publisher):
            for match in pattern.finditer(block.text):
                name = " ".join(match.group("source").split()).strip(" .,:;!")
                name = rules.publisher_suffix.sub("", name).strip(" .,")
                if len(name) >= 2:
                    counts[name] += 1
                    first.setdefault(name, (rank, block.index))
    if not counts:
        return None
    return min(counts, key=lambda name: (-counts[name], first[name]))


def source_url(header: Header, blocks: tuple[Block, ...], rules: Rules) -> str | None:
    if header.url:
        return header.url
    for block in blocks:
        for pattern in rules.source_url:
            match = pattern.search(block.text)
            if match:
                return match.group("url")
    return None


def is_credit_line(text: str, rules: Rules) -> bool:
    """A short non-sentence line crediting an image ("Kremlin.ru", "Photo: X", "X / Agency"); a
    labelled one may end in a full stop ("Photo: Jane Roe/Agency.")."""
    text = text[:-1] if _closed_by_full_stop(text, rules) else text
    if len(text.split()) > 12 or (is_sentence_end(text) and not text.endswith(")")):
        return False
    return any(p.search(text) for p in rules.credit_line)


def _closed_by_full_stop(credit: str, rules: Rules) -> bool:
    """Is this a labelled credit, one sentence, closed by a full stop ("Photo: Jane Roe/Agency.")?"""
    return (credit.endswith(".") and not credit.endswith("..") and rules.credit_labelled_tail.match(credit) is not None
            and not _LAST_SENTENCE_END.search(credit))


# A date written day first with a dot, "4. Juni 2024", "12. mars 2023" (the month a word).
_DAY_FIRST_DATE = re.compile(r"(?<![\w.])[0-3]?\d\. [^\W\d_]+\.? (?:19|20)\d\d$")


def split_caption_credit(text: str, rules: Rules) -> tuple[str, str] | None:
    """``"<caption sentence>. <credit>"`` -> (caption, credit), when the tail is a credit; so is
    a labelled credit in brackets after a caption with no full stop ("... storm (Image: Getty)"),
    and a labelled one closed by a full stop ("... storm. Photo: Jane Roe.")."""
    split = _split_caption_credit(text, rules)
    # Every label ends in a colon: a paragraph without one is not split a second time.
    if split is None and text.endswith(".") and ":" in text:
        split = _split_caption_credit(text[:-1], rules)
        if split is not None and not _closed_by_full_stop(f"{split[1]}.", rules):
            return None
    return split


def _split_caption_credit(text: str, rules: Rules) -> tuple[str, str] | None:
    bracket = text.rfind(" (")
    if text.endswith(")") and bracket > 0 and rules.credit_labelled_tail.match(text[bracket + 1:]):
        cut = bracket
    else:
        ends = list(_LAST_SENTENCE_END.finditer(text))
        if not ends:
            return None
        cut = ends[-1].end()
    caption, credit = text[:cut].strip(), text[cut:].strip()
    if not credit or len(credit.split()) > rules.credit_tail_max_words or len(caption.split()) < 3:
        return None
    if len(credit.split()) >= len(caption.split()):
        return None  # a credit is shorter than its caption: "'Gone!' Teaser Headline Of Seven Words"
    if _DAY_FIRST_DATE.search(f"{caption} {credit}"):
        return None  # "Veröffentlicht am 4. Juni 2024": a day's number and its dot end no sentence
    if not rules.credit_tail.search(credit) or is_sentence_end(credit):
        return None
    names = [w for w in words_of(credit) if w.casefold() not in _CREDIT_JOINERS]
    capitalised = bool(names) and all(w[0].isupper() or w[0].isdigit() for w in names)
    if is_credit_line(credit, rules) or (capitalised and ("/" in credit or len(names) >= 2)):
        return caption, credit
    return None


def has_labelled_credit(text: str, rules: Rules) -> bool:
    """Ends in a labelled credit ("... Credit: ESA"), which no body paragraph does."""
    split = split_caption_credit(text, rules)
    return split is not None and bool(rules.credit_labelled_tail.search(split[1]))


def is_caption_start(text: str, rules: Rules) -> bool:
    return any(p.search(text) for p in rules.caption_start)


def block_roles(blocks: tuple[Block, ...], rules: Rules) -> tuple[str | None, ...]:
    """What each metadata line is: tag line, tag heading, byline, dateline or credit."""
    roles: list[str | None] = []
    for block in blocks:
        text = block.text
        if tag_line_tags(text, rules) is not None:
            roles.append("tag line")
        elif is_tag_heading(text, rules):
            roles.append("tag heading")
        elif byline_author(text, rules):
            roles.append("byline")
        elif dateline_date(text, rules):
            roles.append("dateline")
        elif is_credit_line(text, rules):
            roles.append("image credit")
        else:
            roles.append(None)
    return tuple(roles)
