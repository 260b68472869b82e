"""extract.py: what digest puts back around trafilatura's extraction (the whole-page behaviour is
tested through clean_html_page in test_ingest_html.py)."""

from generator.ingest.extract import _unglue


def test_words_the_extractor_glues_together_are_split_again() -> None:
    nodes = {"pier", "0", "The", "council", "W", "ord"}
    assert _unglue("the pier.0The council", {"pier", "the", "council"}, nodes) == "the pier.0 The council"
    assert _unglue("a Word here", {"a", "Word", "here"}, nodes) == "a Word here"  # the page shows it whole
    assert _unglue("an Xyz here", {"an", "here"}, nodes) == "an Xyz here"  # no split explains it
    # A page showing nothing (its story in JSON-LD): a word whole in a text node is not split
    # for the pieces another holds ("it's" gives "it" and "s").
    assert _unglue("lose its only", set(), {"lose", "its", "only", "it", "s"}) == "lose its only"
