"""Lead image caption and credit; captions inside the body."""

from __future__ import annotations

from generator.ingest.images import image_text
from tests.ingest_passes import run_passes

BODY = [
    "The harbour board met on Tuesday evening to discuss the state of the old north pier and its repairs.",
    "Engineers told the board that two of the wooden pillars have rotted and must be replaced before winter.",
    "The repairs are expected to cost about half a million euros, which the board hopes to share with the town.",
]


def image_of(lines: list[str]):
    p = run_passes(lines)
    image = image_text(p.blocks, p.features, p.roles, p.region.start, p.region.kept, p.rules)
    return image, [p.blocks[i].text for i in image.body]


def test_short_credit_line_above_the_body() -> None:
    image, body = image_of(["Pier repairs approved", "By Jane Doe", "Getty Images"] + BODY)
    assert (image.caption, image.credit) == (None, "Getty Images")
    assert body == BODY


def test_caption_with_credit_line() -> None:
    image, body = image_of(["Pier repairs approved", "By Jane Doe",
                            "The old north pier at low tide on Monday. Ana Vega / Harbour Herald"] + BODY)
    assert image.caption == "The old north pier at low tide on Monday."
    assert image.credit == "Ana Vega / Harbour Herald"
    assert body == BODY


def test_wire_caption_then_credit_line() -> None:
    caption = ("FILE - In this photo taken on May 2, 2023, fishermen mend their nets on the old north pier"
               " before the storm season begins.")
    image, body = image_of(["Pier repairs approved", "By Jane Doe", caption, "Ana Vega, Associated Press"] + BODY)
    assert (image.caption, image.credit) == (caption, "Ana Vega, Associated Press")
    assert body == BODY


def test_caption_inside_the_body_is_dropped() -> None:
    inner = "Workers inspect the rotten pillars under the pier. Photo: Ana Vega"
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY[:2] + [inner] + BODY[2:])
    assert body == BODY
    assert image.taken == ((4, "image caption and credit"),)
    assert image.caption is None  # only the lead image has its caption in the metadata


def test_no_image() -> None:
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY)
    assert (image.caption, image.credit, image.taken) == (None, None, ())
    assert body == BODY
