"""Per-block features."""

from __future__ import annotations

from collections import Counter

import pytest

from generator.ingest import load_rules
from generator.ingest.blocks import Block
from generator.ingest.features import block_features, is_menu_row, outside_quotes


def features(text: str, repeats: int = 1):
    return block_features(Block(0, text, 1, True), load_rules(), Counter({text: repeats}))


def test_prose_has_stopwords_and_ends_a_sentence() -> None:
    f = features("The council voted on Thursday to build a barrier along the east bank of the river.")
    assert f.words == 16
    assert f.stopword_density > 0.3
    assert f.ends_sentence and not f.truncated
    assert f.starts_upper
    assert f.boilerplate is None


def test_truncated_teaser() -> None:
    f = features("The transport board says higher fuel prices leave it no choice but to raise...")
    assert f.truncated and not f.ends_sentence
    assert features("Readers queued around the block as the library\u2026").truncated
    assert features("Harbour master warns of (more...)").truncated


def test_a_quotation_trailing_off_is_a_sentence_end_not_a_teaser() -> None:
    f = features('Asked about next summer, the kiosk owner shrugged and said only: "Maybe next year..."')
    assert f.ends_sentence and not f.truncated
    assert not features("He paused. \u2018We shall see\u2026\u2019").truncated


def test_headline_is_title_case() -> None:
    assert features("Council Approves New Flood Barrier for East Bank").title_case == 1.0
    assert features("Council approves new flood barrier for east bank").title_case < 0.3


def test_reader_address_outside_quotes_only() -> None:
    quoted = features('"If you need us, we will be there for you," the mayor told residents on Monday.')
    assert quoted.reader_density == 0.0
    appeal = features("We need your help: if you value our reporting, please support us today.")
    assert appeal.reader_density > 0.25
    assert appeal.appeal


def test_an_appeal_asks_in_the_publications_voice_a_service_line_does_not() -> None:
    assert features("Independent local news costs money. Help us keep reporting on the pier for free.").appeal
    assert features("Get the morning headlines in your inbox.").appeal  # an ask needs no "us"
    service = features("If you live on the promenade and need help with your bins, you can call the council's"
                       " free hotline.")
    assert service.reader_density > 0.09 and not service.appeal


def test_a_help_line_speaks_to_the_reader_as_the_article_does() -> None:
    line = features("If you need support, call the Samaritans on 116 123.")
    assert line.reader_density == 0.0 and not line.appeal
    assert features("If you value our reporting, please support us today.").appeal
    verdict = features("We rate the statement Mostly True.")  # a fact check's, in its "we"
    assert verdict.reader_density == 0.0 and not verdict.appeal
    assert features("We rely on readers like you.").appeal


def test_unclosed_quote_runs_to_the_end() -> None:
    assert outside_quotes('He said: "we will').strip() == "He said:"


def test_repeats_and_boilerplate_kind() -> None:
    f = features("Share on Facebook", repeats=3)
    assert f.repeats == 3
    assert f.boilerplate == "share"


@pytest.mark.parametrize("text", ['He left.', 'She asked "why?"', "It ended (finally).", "Wow!"])
def test_sentence_endings(text: str) -> None:
    assert features(text).ends_sentence


@pytest.mark.parametrize("text", [
    "Quayside | Harbour Road | Old Mill | Lighthouse Ward | Fish Market | Dock Street",
    "Home » Local News » Harbour",
    "Ferries · Tides · Weather · Fish prices",
])
def test_a_row_of_menu_items(text: str) -> None:
    assert is_menu_row(text)


@pytest.mark.parametrize("text", [
    "Pier repairs approved | Harbour Herald",  # a title line: the headline, then the site
    "Pier repairs approved by the harbour board | Local News | Harbour Herald",
    "Board says yes - but who will pay for the pier?",
    "Harbour board: the pier will be repaired",
])
def test_a_title_line_or_headline_is_no_menu_row(text: str) -> None:
    assert not is_menu_row(text)


@pytest.mark.parametrize(("text", "appeal"), [
    ("If your shop was affected, please contact your account manager or write to support@harbourpay.example.", False),
    ("If your shop was affected, see https://harbourpay.example/support for the refund form.", False),
    ("Please support the Harbour Herald's journalism today.", True),
])
def test_an_address_asks_nothing_of_the_reader(text: str, appeal: bool) -> None:
    # "support@" and "/support" are where to write, not a request for support.
    assert features(text).appeal is appeal
