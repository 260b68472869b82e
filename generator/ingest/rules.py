"""The cleaning rules: ``rules.yaml`` (package data) loaded into frozen dataclasses.

Patterns are compiled once here, so every other module works with ready regexes and a
bad pattern is reported when the rules load, naming the rule, not deep inside a clean.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any, Mapping, Sequence

from ..errors import DigestError
from ..yamlio import YamlProblem, load_yaml

RULES_FILE = "rules.yaml"


@dataclass(frozen=True)
class Thresholds:
    length_low: int
    length_high: int
    length_sentence: int
    stopwords_low: float
    stopwords_high: float
    max_title_case: float
    reader_density_bad: float
    reader_density_strong: float
    min_sentence_words: int
    min_closing_words: int
    max_gap_blocks: int
    max_gap_chars: int
    summary_target: int
    # A page whose long blocks have fewer of the stopwords than this is in another language:
    # its own most frequent words stand in for them (page_stopwords of them at most).
    foreign_stopwords: float = 0.12
    page_stopwords: int = 40


@dataclass(frozen=True)
class Rules:
    header_max_lines: int
    header: tuple[re.Pattern[str], ...]
    source_url: tuple[re.Pattern[str], ...]
    byline_max_words: int
    byline: tuple[re.Pattern[str], ...]
    byline_after_names: tuple[re.Pattern[str], ...]  # an agency, a job title: "Jane Doe, Reuters Staff Writer"
    byline_lead_in: re.Pattern[str]  # "By" on a line of its own, the names on the next
    byline_collective: re.Pattern[str]  # "Gazette Staff", "History Society": a credit naming no person
    byline_job_line: re.Pattern[str]  # "Senior Reviews Editor": a writer's job on a line of its own
    date_max_words: int
    dateline: tuple[re.Pattern[str], ...]
    date_published: re.Pattern[str]  # a word saying the date after it is the publication's
    date_updated: tuple[re.Pattern[str], ...]  # datelines that only date an update
    date_filler: re.Pattern[str]
    title_label: re.Pattern[str]  # "Opinion | ": a section's label before the headline
    date_published_by_paper: re.Pattern[str]  # "Published by Times-Tribune on ...": a newspaper's, below the body
    date_release: tuple[re.Pattern[str], ...]  # "CAMBRIDGE, Mass., Oct. 21, 2025 /PRNewswire/ --": a release's dateline
    date_span: re.Pattern[str]  # what joins two dates into a span ("1931 – 2024"): no dateline
    life_event: re.Pattern[str]  # "Born: 9 June 1938, Salford": a date in a life, no dateline
    relative_stamp: re.Pattern[str]  # "2 days ago": when, but no date
    months: Mapping[str, int]
    weekdays: Mapping[str, int]  # name -> 0 (Monday) .. 6: a weekday tells "Tue, 02/11/2025" is February 11
    date_expr: re.Pattern[str]  # built from the month names
    tag_line: tuple[re.Pattern[str], ...]
    tag_heading: tuple[re.Pattern[str], ...]
    publisher: tuple[re.Pattern[str], ...]
    publisher_suffix: re.Pattern[str]
    boilerplate: tuple[tuple[str, tuple[re.Pattern[str], ...]], ...]  # (kind, patterns), in file order
    reference_line: re.Pattern[str]
    reference_label: re.Pattern[str]
    reference_tail: tuple[re.Pattern[str], ...]
    rights_notice: re.Pattern[str]
    site_footer: re.Pattern[str]
    site_offer: re.Pattern[str]  # a lead-in offering the site's media or wares introduces no list of the story's
    speech_lead_in: re.Pattern[str]  # "Ms Morley said:": a short lead-in of the story's list
    summary_heading: re.Pattern[str]  # "Key points:": heads a list of the story's points above its lede
    contents_heading: re.Pattern[str]  # "On this page": heads a list of the article's own subheadings
    summary_line: re.Pattern[str]  # "Summary: ...": the page's own summary of the story, above its lede
    fact_line: re.Pattern[str]  # "When: Saturday, Nov. 15": a line of an event's facts box
    fact_event: re.Pattern[str]  # "When:", "Where:": a facts box is an event's when one line says so
    entry_time: re.Pattern[str]  # "4:10 p.m.": a live blog's entry time on a line of its own
    list_teaser_lead_in: re.Pattern[str]  # "More of our coverage:": heads a list of the site's links in the body
    hard_stop_always: frozenset[str]
    hard_stop_unless_prose: frozenset[str]
    box_lines: Mapping[str, frozenset[str]]  # of such a stop's kind: the kinds of the lines of its box below it
    credit_line: tuple[re.Pattern[str], ...]
    credit_tail: re.Pattern[str]
    credit_tail_max_words: int
    credit_labelled_tail: re.Pattern[str]
    credit_needs_caption: re.Pattern[str]  # "Source: X" credits a lead image only beside its caption
    caption_start: tuple[re.Pattern[str], ...]
    thresholds: Thresholds
    article_voice: tuple[re.Pattern[str], ...]  # reader-addressed lines that are article text
    appeal_words: frozenset[str]
    publication_appeal_words: frozenset[str]
    publication_words: frozenset[str]
    reader_words: frozenset[str]
    stopwords: frozenset[str]

    def boilerplate_kind(self, text: str) -> str | None:
        """The first boilerplate kind with a pattern found in ``text``, else None."""
        for kind, patterns in self.boilerplate:
            if any(p.search(text) for p in patterns):
                return kind
        return None

    def is_article_voice(self, text: str) -> bool:
        """Does ``text`` speak to the reader as the article does (a help line, a call for
        witnesses), not as an appeal?"""
        return any(p.search(text) for p in self.article_voice)

    def is_rights_notice(self, text: str) -> bool:
        """Whether ``text`` is an article's own copyright line, as it reads right below its last
        paragraph: a copyright line of a few words asserting the rights, naming none of the
        site's pages."""
        return (len(text.split()) <= RIGHTS_NOTICE_MAX_WORDS and self.boilerplate_kind(text) == "copyright"
                and self.rights_notice.search(text) is not None and self.site_footer.search(text) is None)

    def reference_below(self, texts: Sequence[str], last: int, body: str) -> tuple[int, ...]:
        """Where the paper the story ``body`` reports on is cited below its last paragraph ``last``:
        a "More information: ... DOI" line within a few blocks sharing words with the story (a box
        of other studies beside it shares one by chance at most), and the journal and "Provided
        by" lines right after it."""
        story_words = set(_LONG_WORD.findall(body.casefold()))
        for i in range(last + 1, min(len(texts), last + 1 + REFERENCE_WINDOW)):
            split = self.reference_label.match(texts[i]) is not None and i + 1 < len(texts)
            cited = f"{texts[i]} {texts[i + 1]}" if split else texts[i]
            if not self.reference_line.match(cited) or len(cited.split()) > REFERENCE_MAX_WORDS:
                continue
            shared = (set(_LONG_WORD.findall(cited.casefold())) - _CITATION_WORDS) & story_words
            if len(shared) < REFERENCE_SHARED_WORDS:
                return ()
            found = [i, i + 1] if split else [i]
            while (len(found) < REFERENCE_WINDOW and found[-1] + 1 < len(texts)
                   and any(p.match(texts[found[-1] + 1]) for p in self.reference_tail)):
                found.append(found[-1] + 1)
            return tuple(found)
        return ()


_LONG_WORD = re.compile(r"[^\W\d_]{5,}")
_CITATION_WORDS = frozenset({"information", "journal", "reference", "references", "study", "paper"})
RIGHTS_NOTICE_MAX_WORDS = 40
REFERENCE_WINDOW = 6  # blocks below the body: an "Explore further" box may come first
REFERENCE_MAX_WORDS = 80
REFERENCE_SHARED_WORDS = 2  # words of five letters or more the citation shares with the story


class RulesError(ValueError):
    """The rules data is malformed; the message names the offending entry."""


def _compile(where: str, pattern: Any) -> re.Pattern[str]:
    if not isinstance(pattern, str):
        raise RulesError(f"{where}: a pattern must be a string, not {type(pattern).__name__}")
    try:
        return re.compile(pattern)
    except re.error as exc:
        raise RulesError(f"{where}: bad regular expression {pattern!r}: {exc}") from None


def _patterns(where: str, raw: Any) -> tuple[re.Pattern[str], ...]:
    if not isinstance(raw, list):
        raise RulesError(f"{where}: expected a list of patterns")
    return tuple(_compile(f"{where}[{i}]", p) for i, p in enumerate(raw))


def _section(data: Mapping[str, Any], key: str) -> Any:
    if key not in data:
        raise RulesError(f"missing section {key!r}")
    return data[key]


def _words(where: str, raw: Any) -> frozenset[str]:
    """A whitespace-separated string of words (or a list of strings)."""
    if isinstance(raw, str):
        raw = raw.split()
    if not isinstance(raw, list) or not all(isinstance(w, str) for w in raw):
        raise RulesError(f"{where}: expected a string of words separated by spaces")
    return frozenset(w.casefold() for w in raw)


_JOBS = "{{jobs}}"  # where a byline pattern names a writer's job


def _job_alternatives(jobs: Any) -> str:
    """``byline.jobs`` as a regular expression's alternatives, the longest first."""
    if not isinstance(jobs, list) or not all(isinstance(job, str) and job for job in jobs):
        raise RulesError("byline.jobs: expected a list of words")
    return "|".join(re.escape(job) for job in sorted(jobs, key=len, reverse=True)) or "(?!)"


def _with_jobs(patterns: Any, jobs: str) -> Any:
    """A pattern, or each of a list, with ``{{jobs}}`` standing for the writer's jobs."""
    if isinstance(patterns, str):
        return patterns.replace(_JOBS, jobs)
    if isinstance(patterns, list):
        return [_with_jobs(p, jobs) for p in patterns]
    return patterns  # not a pattern: _patterns says so, naming the entry


def _date_expression(months: Mapping[str, int], weekdays: Mapping[str, int]) -> re.Pattern[str]:
    """ISO dates and English "March 30, 2024" / "30 March 2024" / "30-Mar-2024" / "Mar. 30, 2024" forms, and a
    numeric date after its weekday ("Tue, 02/11/2025"), whose weekday tells which figure is the month,
    or alone ("23/11/2026", "3/15/26"), read only when one figure alone can be the month."""
    names = "|".join(sorted((re.escape(m) for m in months), key=len, reverse=True))
    month = rf"(?P<{{g}}>{names})\.?"
    days = "|".join(sorted((re.escape(d) for d in weekdays), key=len, reverse=True)) or "(?!)"
    return re.compile(
        r"(?i)(?<!\w)(?:"
        r"(?P<wd>" + days + r")\.?,?\s+(?P<na>[0-3]?\d)/(?P<nb>[0-3]?\d)/(?P<ny>(?:19|20)\d\d)(?!\w)|"
        r"(?P<iy>(?:19|20)\d\d)[-/](?P<im>[01]?\d)[-/](?P<id>[0-3]?\d)(?=T\d|[^\w]|$)"
        r"|(?:" + month.format(g="m1") + r"\s+(?P<d1>[0-3]?\d)(?:st|nd|rd|th)?,?\s+(?P<y1>(?:19|20)\d\d)"
        r"|(?P<d2>[0-3]?\d)(?:st|nd|rd|th)?(?:\s+(?:of\s+)?|-(?=[A-Za-z]))" + month.format(g="m2")
        + r"(?:,?\s+|-)(?P<y2>(?:19|20)\d\d)"  # "5 March 2026", and "5-Mar-2026" as a database writes it
        # 18.11.2019 is day first, and so is 18.11.19, though not a version's 1.2.26.
        r"|(?P<ed>[0-3]?\d)\.(?P<em>[01]?\d)\.(?P<ey>(?:19|20)\d\d|(?<=\d\d\.\d\d\.)\d\d(?!\.\d))"
        # 23/11/2026 and 11/23/2026 alike: read only where the figures cannot be the other way round;
        # a year of two figures only with slashes ("3/15/26": "3-15-26" may be a score).
        r"|(?P<sa>[0-3]?\d)(?P<sep>[/-])(?P<sb>[0-3]?\d)(?P=sep)(?P<sy>(?:19|20)\d\d|(?<=/)\d\d)"
        # A copied page may run the year into the time: "October 31, 20257:45 AM GMT".
        r")(?:(?!\w)|(?=\d{1,2}:\d\d)))")


def rules_from_mapping(data: Mapping[str, Any]) -> Rules:
    """Build Rules from parsed YAML; raise RulesError naming the first bad entry."""
    if not isinstance(data, Mapping):
        raise RulesError("the rules file must be a mapping")
    header = _section(data, "header")
    byline = _section(data, "byline")
    dates = _section(data, "dates")
    credit = _section(data, "credit")
    boilerplate = _section(data, "boilerplate")
    if not isinstance(boilerplate, Mapping):
        raise RulesError("boilerplate: expected a mapping of kind to patterns")
    months = dates.get("months")
    if not isinstance(months, Mapping) or not all(
            isinstance(v, int) and 1 <= v <= 12 for v in months.values()):
        raise RulesError("dates.months: expected a mapping of month name to 1..12")
    weekdays = dates.get("weekdays", {})
    if not isinstance(weekdays, Mapping) or not all(isinstance(v, int) and 0 <= v <= 6 for v in weekdays.values()):
        raise RulesError("dates.weekdays: expected a mapping of weekday name to 0 (Monday)..6")
    month_of = {str(k).casefold(): v for k, v in months.items()}
    weekday_of = {str(k).casefold(): v for k, v in weekdays.items()}
    jobs = _job_alternatives(byline.get("jobs", []))
    hard = _section(data, "hard_stop")
    settings = _section(data, "classify")
    try:
        thresholds = Thresholds(**settings)
    except TypeError as exc:
        raise RulesError(f"classify: {exc}") from None
    return Rules(
        header_max_lines=int(header.get("max_lines", 3)),
        header=_patterns("header.patterns", header.get("patterns")),
        source_url=_patterns("source_url", _section(data, "source_url")),
        byline_max_words=int(byline.get("max_words", 14)),
        byline=_patterns("byline.patterns", _with_jobs(byline.get("patterns"), jobs)),
        byline_after_names=_patterns("byline.after_names", _with_jobs(byline.get("after_names", []), jobs)),
        byline_lead_in=_compile("byline.lead_in", byline.get("lead_in", "(?!)")),
        byline_collective=_compile("byline.collective", byline.get("collective", "(?!)")),
        byline_job_line=_compile("byline.job_line", _with_jobs(byline.get("job_line", "(?!)"), jobs)),
        date_max_words=int(dates.get("max_words", 16)),
        dateline=_patterns("dates.dateline", dates.get("dateline")),
        date_published=_compile("dates.published", dates.get("published", "(?!)")),
        date_updated=_patterns("dates.updated", dates.get("updated", [])),
        date_filler=_compile("dates.filler", dates.get("filler")),
        title_label=_compile("title_label", data.get("title_label", "(?!)")),
        date_published_by_paper=_compile("dates.published_by_paper", dates.get("published_by_paper", "(?!)")),
        date_release=_patterns("dates.release", dates.get("release", [])),
        date_span=_compile("dates.span", dates.get("span", "(?!)")),
        life_event=_compile("dates.life_event", dates.get("life_event", "(?!)")),
        relative_stamp=_compile("dates.relative_stamp", dates.get("relative_stamp", "(?!)")),
        months=month_of,
        weekdays=weekday_of,
        date_expr=_date_expression(month_of, weekday_of),
        tag_line=_patterns("tag_line", _section(data, "tag_line")),
        tag_heading=_patterns("tag_heading", _section(data, "tag_heading")),
        publisher=_patterns("publisher", _section(data, "publisher")),
        publisher_suffix=_compile("publisher_suffix", data.get("publisher_suffix", "(?!)")),
        boilerplate=tuple((str(kind), _patterns(f"boilerplate.{kind}", raw))
                          for kind, raw in boilerplate.items()),
        reference_line=_compile("reference_line", data.get("reference_line", "(?!)")),
        reference_label=_compile("reference_label", data.get("reference_label", "(?!)")),
        reference_tail=_patterns("reference_tail", data.get("reference_tail", [])),
        rights_notice=_compile("rights_notice", data.get("rights_notice", "(?!)")),
        site_footer=_compile("site_footer", data.get("site_footer", "(?!)")),
        site_offer=_compile("site_offer", data.get("site_offer", "(?!)")),
        speech_lead_in=_compile("speech_lead_in", data.get("speech_lead_in", "(?!)")),
        summary_heading=_compile("summary_heading", data.get("summary_heading", "(?!)")),
        contents_heading=_compile("contents_heading", data.get("contents_heading", "(?!)")),
        summary_line=_compile("summary_line", data.get("summary_line", "(?!)")),
        fact_line=_compile("fact_line", data.get("fact_line", "(?!)")),
        fact_event=_compile("fact_event", data.get("fact_event", "(?!)")),
        entry_time=_compile("entry_time", data.get("entry_time", "(?!)")),
        list_teaser_lead_in=_compile("list_teaser_lead_in", data.get("list_teaser_lead_in", "(?!)")),
        hard_stop_always=frozenset(hard.get("always", ())),
        hard_stop_unless_prose=frozenset(hard.get("unless_prose_follows", ())),
        box_lines={str(kind): frozenset(lines) for kind, lines in (hard.get("box_lines") or {}).items()},
        credit_line=_patterns("credit.line", credit.get("line")),
        credit_tail=_compile("credit.tail", credit.get("tail")),
        credit_tail_max_words=int(credit.get("tail_max_words", 8)),
        credit_labelled_tail=_compile("credit.labelled_tail", credit.get("labelled_tail", "(?!)")),
        credit_needs_caption=_compile("credit.needs_caption", credit.get("needs_caption", "(?!)")),
        caption_start=_patterns("credit.caption_start", credit.get("caption_start", [])),
        thresholds=thresholds,
        article_voice=_patterns("article_voice", data.get("article_voice", [])),
        appeal_words=_words("appeal_words", _section(data, "appeal_words")),
        publication_appeal_words=_words("publication_appeal_words", _section(data, "publication_appeal_words")),
        publication_words=_words("publication_words", _section(data, "publication_words")),
        reader_words=_words("reader_words", _section(data, "reader_words")),
        stopwords=_words("stopwords", _section(data, "stopwords")),
    )


@functools.lru_cache(maxsize=1)
def load_rules() -> Rules:
    """The packaged rules; a malformed file is a DigestError naming it."""
    source = resources.files(__package__).joinpath(RULES_FILE)
    try:
        data = load_yaml(source.read_text(encoding="utf-8")).data
        return rules_from_mapping(data)
    except YamlProblem as exc:
        raise DigestError.at(f"bad cleaning rules: {exc.message}", str(source), exc.line) from None
    except (RulesError, AttributeError, TypeError, ValueError) as exc:
        raise DigestError.at(f"bad cleaning rules: {exc}", str(source),
                             hint="fix the packaged rules.yaml") from None
