"""Lead image caption and credit; captions inside the body."""

from __future__ import annotations

from generator.ingest.images import image_text, restates
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


def test_a_source_line_credits_a_lead_image_only_beside_its_caption() -> None:
    image, body = image_of(["Pier repairs approved", "3 November 2025", "Source: Harbour University"] + BODY)
    assert (image.caption, image.credit) == (None, None)  # alone, it names where the story comes from
    assert body == BODY
    caption = "FILE - In this photo taken on May 2, 2023, fishermen mend their nets on the old north pier."
    image, body = image_of(["Pier repairs approved", "By Jane Doe", caption, "Source: Harbour Herald"] + BODY)
    assert (image.caption, image.credit) == (caption, "Source: Harbour Herald")
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


def test_a_caption_above_a_labelled_credit_line_inside_the_body_is_dropped() -> None:
    caption = "Workers inspect the rotten pillars under the pier."
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY[:2]
                           + [caption, "Image credit: Ana Vega"] + BODY[2:])
    assert body == BODY
    assert (4, "image caption") in image.taken
    # A paragraph of more than one sentence above a credit is the story's, the picture's caption elsewhere.
    paragraph = "Workers inspected the rotten pillars on Monday. They found two beyond repair."
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY[:2]
                           + [paragraph, "Photo: Ana Vega"] + BODY[2:])
    assert body == BODY[:2] + [paragraph] + BODY[2:]


def test_no_image() -> None:
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY)
    assert (image.caption, image.credit, image.taken) == (None, None, ())
    assert body == BODY


def test_labelled_credit_marks_a_long_caption_inside_the_body() -> None:
    long_caption = ("Fishermen mend their nets on the old north pier before the storm season begins, as they"
                    " have done every spring for as long as anyone in the town can remember, while the harbour"
                    " master looks on from the office window and the gulls wait for scraps on the railings. The"
                    " pier was built in 1887 and has been repaired four times since then, most recently after"
                    " the great floods of 2002 and the winter storm of 2014.")
    labelled, unlabelled = long_caption + " Credit: Ana Vega", long_caption + " Ana Vega / Herald"
    assert len(unlabelled) > 400  # longer than a caption without a label may be
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY[:2] + [labelled] + BODY[2:])
    assert body == BODY
    image, body = image_of(["Pier repairs approved", "By Jane Doe"] + BODY[:2] + [unlabelled] + BODY[2:])
    assert body == BODY[:2] + [unlabelled] + BODY[2:]


def test_caption_restating_the_lede_is_not_the_body() -> None:
    video = ("Engineers told the board on Tuesday that two of the wooden pillars have rotted and must be"
             " replaced before winter. (Video published May 2, 2023)")
    image, body = image_of(["Pier repairs approved", "By Jane Doe", video] + BODY[1:] + BODY[:1])
    assert body == BODY[1:] + BODY[:1]
    assert any(reason.startswith("restates the lede") for _, reason in image.taken)


def test_restates_needs_most_words_shared() -> None:
    assert restates(BODY[1] + " (Video)", BODY[1])
    assert not restates(BODY[0], BODY[1])
    assert not restates("Board meets", "Board meets")  # too short to tell
