"""Bylines, tag lines, publisher names, source URLs and image credits."""

from __future__ import annotations

import datetime

import pytest

from generator.ingest import load_rules
from generator.ingest.blocks import Block, Header
from generator.ingest.metadata import (
    bare_byline,
    block_roles,
    byline_author,
    byline_date,
    has_labelled_credit,
    is_credit_line,
    joined_bylines,
    publisher,
    source_url,
    split_caption_credit,
    tag_line_tags,
)


def blocks(*texts: str) -> tuple[Block, ...]:
    return tuple(Block(i, t, i + 1, True) for i, t in enumerate(texts))


@pytest.mark.parametrize(("line", "author"), [
    ("By AFP", "AFP"),
    ("By Jane Doe and John Roe", "Jane Doe and John Roe"),
    ("BY LISA MARSH, TOM ELLIS and ANA VEGA", "LISA MARSH, TOM ELLIS and ANA VEGA"),
    ("Author: Priya Raman", "Priya Raman"),
    ("Written by Tomás de la Cruz", "Tomás de la Cruz"),
    ("Story and photos by Leif Amundsen", "Leif Amundsen"),
    ("Submitted by Sian Pryce on Thu, 03/06/2025 - 14:12", "Sian Pryce"),  # Drupal's
    # A name and the job, no "By".
    ("Kenji Watanabe | Sports Reporter", "Kenji Watanabe"),
    ("Elena Vos, Health Reporter", "Elena Vos"),
    ("Mara Quill — Senior Political Correspondent", "Mara Quill"),
    # A name (and the job) and the date after a bar.
    ("Mara Quill | 14/02/2023", "Mara Quill"),
    ("Mara Quill, Ports Correspondent | 14 Feb 2023 | 11:08 GMT", "Mara Quill"),
    # ... the outlet between them.
    ("Amélie Thériault · Harbour News · Posted: Feb 26, 2023 4:00 AM AST | Last Updated: 3 hours ago",
     "Amélie Thériault"),
    ("Mara Quill / HWN / Updated: Mar 3, 2023, 22:14 IST", "Mara Quill"),
    ("By Mara Quill / HWN / Updated: Mar 3, 2023, 22:14 IST", "Mara Quill"),
    ("Words and pictures by Ines de Sousa", "Ines de Sousa"),
    ("Words: Ffion Carradine", "Ffion Carradine"),
    ("Reviewed by Oona Lindqvist", "Oona Lindqvist"),  # a review's critic
    ("By Park Ji-won", "Park Ji-won"),  # a given name's second syllable in lower case
    ("By Aiko Tanabe / Kansai Herald Staff Writer", "Aiko Tanabe"),
    ("By Aiko Tanabe / The Kansai Herald", "Aiko Tanabe"),
    ("By Samuel Okafor | November 5, 2022", "Samuel Okafor"),
    ("by Jeff Doe — November 18, 2019", "Jeff Doe"),
    ("By Mia Chen , Ola Berg on Monday, November 18th, 2019 at 11:08 a.m.", "Mia Chen , Ola Berg"),
    ("Posted by Mara Quill on 14 February 2023", "Mara Quill"),
    ("Posted on 14 February 2023 by Mara Quill", "Mara Quill"),
    ("Posted by Mara Quill on February 14, 2023, 6:21 AM EST", "Mara Quill"),
    # How to reach them is not part of the name.
    ("By Tomas Quill tquill@harbour-news.example(555) 459-5382", "Tomas Quill"),
    ("By Tomas Quill, Reuters tquill@harbour-news.example", "Tomas Quill"),
    ("By Ines de Sousa @inesdesousa", "Ines de Sousa"),
    ("By Ines de Sousa 555-459-5382", "Ines de Sousa"),
    ("Published Feb. 14, 2023 at 9:10 a.m. by Mara Quill and Tom Ellis", "Mara Quill and Tom Ellis"),
    # Where the reporter filed from is not part of the name; name particles are.
    ("By Tomas Quill in Portsmouth", "Tomas Quill"),
    ("By Jan van der Berg and Ines de Sousa in Rotterdam, the Netherlands", "Jan van der Berg and Ines de Sousa"),
    # The agency they write for is not one of them; an agency alone, or a surname, is the author.
    ("By LISA MARSH and TOM ELLIS Associated Press", "LISA MARSH and TOM ELLIS"),
    ("By Jane Doe, The Associated Press", "Jane Doe"),
    ("By Jane Doe, Reuters", "Jane Doe"),
    ("By The Associated Press", "The Associated Press"),
    ("By Michael Bloomberg", "Michael Bloomberg"),
    # Nor is their job title; a name that is one of its words stays.
    ("By Mel Dockery, Gazette Staff Writer", "Mel Dockery"),
    ("By Ana Vega and Tom Ellis, Staff Writers", "Ana Vega and Tom Ellis"),
    ("By Jane Doe, Senior Political Correspondent", "Jane Doe"),
    ("By Ruth Editor", "Ruth Editor"),
    ("By The Editors", "The Editors"),
    # A newsroom's team named for its outlet.
    ("By the Meridian politics team", "the Meridian politics team"),
    ("By the Harbour Wire news desk", "the Harbour Wire news desk"),
    # The outlet after the names' one comma; a list of names keeps its last.
    ("By Ines Carvalho, Tidewater Beat", "Ines Carvalho"),
    ("By KAREN HOLT FOR THE HARBOUR HERALD", "KAREN HOLT"),
    ("By Jane Doe for HarbourOnline", "Jane Doe"),
    ("By Ana Vega and Tom Ellis, Local Democracy Reporting Service", "Ana Vega and Tom Ellis"),
    ("By Ana Vega, Tom Ellis and Rui Sousa", "Ana Vega, Tom Ellis and Rui Sousa"),
    # Wire copy's credits: places before "and", and the editors after a semicolon, are no names.
    ("Reporting by Chanda Mwale in Lusaka and Tom Ardley in London; Editing by Fiona Keyes",
     "Chanda Mwale and Tom Ardley"),
    ("Interview by Tessa Brandt", "Tessa Brandt"),
    ("Text: Anneke de Vries", "Anneke de Vries"),
    # Each writer's job after their name, the first one's before "and".
    ("By Ana Vega, Harbour Correspondent, and Tom Ellis, Ports Editor", "Ana Vega and Tom Ellis"),
    ("By Ana Vega, Harbour Correspondent and Tom Ellis", "Ana Vega and Tom Ellis"),
    # The date's weekday right after the names, the byline and date lines run together.
    ("By Ana Vega Tuesday 10 March 2026, 14:05", "Ana Vega"),
    ("By Ana Vega on Thursday, March 12, 2026", "Ana Vega"),
    ("By Li Sun 10 March 2026", "Li Sun"),  # "Sun" is a name as much as a weekday
    # Irish surnames: "Ó", "an", and a mutated first letter before the capital.
    ("By Pádraig Ó Conghaile and Siobhán Nic an tSaoi", "Pádraig Ó Conghaile and Siobhán Nic an tSaoi"),
    ("By Seán Ó hAodha", "Seán Ó hAodha"),
    ("By Áine Ní hÉalaí", "Áine Ní hÉalaí"),
    # A foreign outlet's "By" on its English page, before two names at least.
    ("Von Jonas Wertheim", "Jonas Wertheim"),
    ("Par Camille Rostand", "Camille Rostand"),
    ("Door Jan de Vries", "Jan de Vries"),
])
def test_bylines(line: str, author: str) -> None:
    assert byline_author(line, load_rules()) == author


@pytest.mark.parametrize("line", ["Posted on 14 February 2023 by Mara Quill",
                                  "Posted by Mara Quill on February 14, 2023, 6:21 AM EST",
                                  "Submitted by Mara Quill on Tue, 02/14/2023 - 14:32",  # Drupal's
                                  "Mara Quill | 14/02/2023"])
def test_a_blog_byline_dates_the_post(line: str) -> None:
    assert byline_date(line, load_rules()) == datetime.date(2023, 2, 14)


@pytest.mark.parametrize("line", [
    "By the end of the week, the river had risen by two metres.",
    "By then it was too late.",
    "Bypass roads were closed on Sunday.",
    "Posted in Harbour News by the editors",  # no date before the names
    "Published in 2019 by the county's press office.",
    "Author: Notes: from the harbour",  # a colon that is no time's
    "Opinion | Letters to the Editor",
    "Harbour board, editor",  # no name's capitals
    "By then the staff",  # no outlet's name before the team
    "Words matter more than ever",  # no label's colon
    "By the end of the team",
    "Harbour Town Crier | 12 Quay St. | Northport",  # an address after the bar, no year
    "Harbour Town Crier / 02:35 PM October 30, 2023",  # a slash alone after the outlet's name
    "By an unknown hand",  # "an" joins Irish names, and names none
    "Von Miller",  # a surname, not "Von" and a name
    "Par for the course",
])
def test_sentences_starting_with_by_are_not_bylines(line: str) -> None:
    assert byline_author(line, load_rules()) is None


@pytest.mark.parametrize(("lead_in", "names", "author"), [
    ("By", "Tomas Quill", "Tomas Quill"),
    ("By:", "Tomas Quill and Ines de Sousa", "Tomas Quill and Ines de Sousa"),
    ("Written by", "Ines de Sousa", "Ines de Sousa"),
    ("News provided by", "Harbour Analytics", "Harbour Analytics"),  # a press release's company
])
def test_a_byline_split_over_two_lines_is_one_block(lead_in: str, names: str, author: str) -> None:
    rules = load_rules()
    joined = joined_bylines(blocks("Harbour Wire", lead_in, names, "Published June 4, 2024"), rules)
    assert [b.text for b in joined] == ["Harbour Wire", f"{lead_in} {names}", "Published June 4, 2024"]
    assert [b.index for b in joined] == [0, 1, 2] and [b.line for b in joined] == [1, 2, 4]
    assert byline_author(joined[1].text, rules) == author


@pytest.mark.parametrize(("line", "author"), [
    ("Marta Oyelaran", "Marta Oyelaran"),
    ("Jan van der Berg", "Jan van der Berg"),
    ("Siobhan O'Neill-McAdam", "Siobhan O'Neill-McAdam"),
    ("J. R. Tolland", "J. R. Tolland"),
    ("Marta", None),  # one name is no byline
    ("MARTA OYELARAN", "MARTA OYELARAN"),  # a name in capitals, as the page sets it
    ("Marta OYELARAN", None),  # capitals beside a capitalised word: an acronym's
    ("BBC NEWS", None),
    ("Live Updates", None),
    ("Harbour Wire Staff", None),
    ("Harbour Wire", None),  # the publisher
    ("June 4 2024", None),
    ("Tomas Quill reports", None),
    ("Tomas Quill, Harbour Wire", None),
    ("With Ines de Sousa", "Ines de Sousa"),  # a columnist's byline
    ("Seán Ó hAodha", "Seán Ó hAodha"),
    ("Seán Mac an tSaoir", "Seán Mac an tSaoir"),
    ("Seán hello", None),  # a mutated letter goes before a capital
])
def test_a_bare_byline_is_a_name_alone(line: str, author: str | None) -> None:
    assert bare_byline(line, "Harbour Wire", load_rules()) == author


@pytest.mark.parametrize("after", ["the end of the week, the river had risen by two metres.", "Share", "Subscribe"])
def test_a_by_line_before_what_is_no_name_stays_alone(after: str) -> None:
    texts = ("Gulls blamed for stolen chips", "By", after)
    assert [b.text for b in joined_bylines(blocks(*texts), load_rules())] == list(texts)


def test_tag_lines() -> None:
    rules = load_rules()
    assert tag_line_tags("Read more about: Crocus , Putin , Moscow", rules) == ("Crocus", "Putin", "Moscow")
    assert tag_line_tags("Tags: floods; city council | budget • Mill Quarter", rules) == (
        "floods", "city council", "budget", "Mill Quarter")
    assert tag_line_tags("More on: harbour", rules) == ("harbour",)
    assert tag_line_tags("Read more", rules) is None


@pytest.mark.parametrize(("line", "tags"), [
    ("This entry was posted in Garden, Vegetables and tagged leeks, plant diseases, rust. Bookmark the permalink.",
     ("leeks", "plant diseases", "rust")),
    ("This entry was posted in Garden. Bookmark the permalink.", ("Garden",)),
    ("Posted in Garden | Tagged leeks, rust | 4 Comments", ("leeks", "rust")),
    ("The post was posted in error, the council said.", None),
])
def test_a_blogs_entry_footer_is_its_tag_line(line: str, tags: tuple[str, ...] | None) -> None:
    assert tag_line_tags(line, load_rules()) == tags


def test_publisher_most_frequent_capture_wins() -> None:
    page = blocks("Support The Example Post!", "A Message from The Example Post:",
                  "We, the journalists of The Example Post, need you.",
                  "© 2024 Example Media Group Ltd. All rights reserved.")
    assert publisher(page, load_rules()) == "The Example Post"


@pytest.mark.parametrize(("line", "source"), [
    ("More from Harbour Wire", "Harbour Wire"),
    ("More stories from The Harbour Herald", "The Harbour Herald"),
    ("More from Opinion", None),  # a section of the site, not its name
    ("More from Local News", None),
])
def test_publisher_of_a_more_from_line(line: str, source: str | None) -> None:
    assert publisher(blocks(line), load_rules()) == source


def test_publisher_suffix_is_dropped_and_none_when_unnamed() -> None:
    assert publisher(blocks("© 2024 Harbor Valley Gazette Ltd."), load_rules()) == "Harbor Valley Gazette"
    assert publisher(blocks("Just a line.", "Another line."), load_rules()) is None


def test_source_url_from_header_or_canonical_line() -> None:
    rules = load_rules()
    assert source_url(Header(url="https://a.example/x"), (), rules) == "https://a.example/x"
    page = blocks("Headline", "Canonical: https://b.example/story-1")
    assert source_url(Header(), page, rules) == "https://b.example/story-1"
    assert source_url(Header(), blocks("Visit https://c.example today"), rules) is None


@pytest.mark.parametrize("line", ["Kremlin.ru", "Photo: Marta Lind / Riverside Courier", "Getty Images",
                                  "Jane Roe / Northern Agency", "Photo by Lena Ortiz", "(AP)",
                                  "Ana Vega, Associated Press", "Image: Harbour Trust", "Courtesy of state DNR",
                                  "(Courtesy Harbour Trust)", "Staff photo", "File photo by Ana Vega",
                                  "Submitted photos", "Photo: Marta Lind/Riverside Courier.", "(Ledger file photo)",
                                  "(Supplied)", "Supplied: Harbour Trust"])
def test_credit_lines(line: str) -> None:
    assert is_credit_line(line, load_rules())


@pytest.mark.parametrize("line", ["The vote was unanimous.", "City council", "Read more",
                                  "Council approves new flood barrier for the east bank", "Staff photos of the week",
                                  "Photo: we met the crew on Monday. They sailed at dawn.",
                                  "Courtesy calls to every household began on Monday and will run for a week."])
def test_not_credit_lines(line: str) -> None:
    assert not is_credit_line(line, load_rules())


def test_caption_with_credit_tail() -> None:
    rules = load_rules()
    line = "Crew members unload crates at the north pier on Monday. Tomás Ferreira / Gazette Photo Desk"
    assert split_caption_credit(line, rules) == (
        "Crew members unload crates at the north pier on Monday.", "Tomás Ferreira / Gazette Photo Desk")
    assert split_caption_credit("A flooded street in the Mill Quarter. Photo: Ana Vega", rules) == (
        "A flooded street in the Mill Quarter.", "Photo: Ana Vega")
    # After a label the credited name may start with a digit.
    assert split_caption_credit("A still from the film. Credit: 20th Century Studios", rules) == (
        "A still from the film.", "Credit: 20th Century Studios")
    assert split_caption_credit("The quarterback throws on the run on Sunday. Staff photo", rules) == (
        "The quarterback throws on the run on Sunday.", "Staff photo")
    # A copyright sign before the credit; a labelled credit in brackets needs no full stop before it.
    assert split_caption_credit("Riders on the old ski run on Monday. © Jean-Paul ROCHE / AFP", rules) == (
        "Riders on the old ski run on Monday.", "© Jean-Paul ROCHE / AFP")
    assert split_caption_credit("Coins found on the beach after the storm (Image: Harbour Museums)", rules) == (
        "Coins found on the beach after the storm", "(Image: Harbour Museums)")
    assert split_caption_credit("The council met on Monday (photo: below)", rules) is None


@pytest.mark.parametrize("credit", [
    "Photo: Ana Vega/Gazette.",  # a labelled credit closed by a full stop
    "(Harbour Radio: Ana Vega)", "[Ana Vega, Gazette]", "(Photo: Ana Vega, Gazette)",  # parts set off in brackets
    "© Ana Vega, AFP", "(Supplied)", "(Gazette file photo)",
])
def test_caption_with_a_credit_set_off_by_brackets_or_punctuation(credit: str) -> None:
    caption = "Crew members unload crates at the north pier on Monday."
    assert split_caption_credit(f"{caption} {credit}", load_rules()) == (caption, credit.removesuffix("."))


def test_labelled_credit() -> None:
    rules = load_rules()
    assert has_labelled_credit("The new tanks in the old salting hall. Credit: Erik Sand", rules)
    assert has_labelled_credit("The new tanks in the old salting hall. Photo: Erik Sand", rules)
    assert not has_labelled_credit("The new tanks in the old salting hall. Erik Sand / Fjord", rules)
    assert not has_labelled_credit("The tanks were built last year. They hold kelp.", rules)


@pytest.mark.parametrize("line", [
    "The council voted on Thursday. The barrier will cost 40 million euros.",
    "First sentence here. Second part without a period",
    "Residents cheered. Mayor",
    "The pier reopened on Monday. (Repairs cost less than expected)",  # an aside, not a credit
    "The pier reopened on Monday. Ana Vega.",  # closed by a full stop, unlabelled: a sentence
    # A credit is shorter than its caption: this is a teaser headline, not "'Gone!'" credited to someone.
    "'Gone Again!' Ferry Service Cancelled For Third Week",
    # A date written day first: the day's dot ends no sentence, the month and year credit nobody.
    "Veröffentlicht am 4. Juni 2024",
    "Publisert 12. mars 2023",
])
def test_paragraphs_are_not_captions(line: str) -> None:
    assert split_caption_credit(line, load_rules()) is None


def test_block_roles() -> None:
    page = blocks("By Jane Doe", "Published 12 May 2023", "Photo: Ana Vega", "Tags: a, b", "Tags",
                  "Plain text of the article, which says nothing special.")
    assert block_roles(page, load_rules()) == (
        "byline", "dateline", "image credit", "tag line", "tag heading", None)
