"""Cross-document boilerplate: a block counts as repeated on >= 3 pages and more than half of its source."""

from generator.ingest.repeats import block_key, repeated_blocks

PITCH = "Our fisheries desk is supported by readers like you."


def pages(source, count, shared_on):
    return [(source, [f"Story {i} opens here.", *([PITCH] if i < shared_on else [])]) for i in range(count)]


def test_block_key_ignores_case_spacing_and_punctuation():
    assert block_key("  Sign up — for our NEWSLETTER! ") == block_key("sign up for our newsletter")
    assert block_key("...") == ""


def test_a_block_on_most_pages_of_a_source_is_repeated():
    found = repeated_blocks(pages("harborvalley.example", 4, shared_on=3))
    assert found["harborvalley.example"].reason(PITCH.upper()) == \
        "repeats on 3 of 4 pages from harborvalley.example"
    assert found["harborvalley.example"].reason("Story 1 opens here.") is None


def test_two_pages_are_not_enough_evidence():
    assert repeated_blocks(pages("harborvalley.example", 2, shared_on=2)) == {}


def test_half_of_the_pages_is_not_enough():
    # 3 of 6 pages: background two follow-up stories share is not boilerplate
    assert repeated_blocks(pages("harborvalley.example", 6, shared_on=3)) == {}


def test_sources_are_counted_apart():
    mixed = pages("a.example", 2, shared_on=2) + pages("b.example", 2, shared_on=2)
    assert repeated_blocks(mixed) == {}


def test_a_block_repeated_on_one_page_counts_once():
    found = repeated_blocks([("s", [PITCH, PITCH, PITCH]), ("s", ["x"]), ("s", ["y"])])
    assert found == {}
