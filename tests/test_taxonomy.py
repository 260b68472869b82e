from hypothesis import given
from hypothesis import strategies as st

from generator.config import Topic
from generator.taxonomy import Vocabulary, infer_tags, make_tags, normalize_key, slugify

VOCAB = Vocabulary.from_topics((
    Topic("Harbour", ("Harbour Authority", "port")),
    Topic("Council", ("City Council",)),
    Topic("Floods", ()),
))


def test_normalize_key_folds_case_width_and_space():
    assert normalize_key("  ＨＡＲＢＯＵＲ\tAuthority ") == "harbour authority"
    assert normalize_key("Straße") == normalize_key("STRASSE")


def test_invisible_characters_inside_a_name_do_not_make_another_name():
    # A soft hyphen from a scraped page made "Ukr-aine" a second Ukraine topic; a zero-width
    # non-joiner kept "Kyiv" from its topic.
    vocabulary = Vocabulary.from_topics((Topic("Ukraine", ("Kyiv",)),))
    assert normalize_key("Ukr\u00adaine") == normalize_key("Ukraine") and slugify("Ukr\u00adaine") == "ukraine"
    assert vocabulary.canonical_name("Ky\u200civ") == "Ukraine"
    assert normalize_key("\U0001f468\u200d\U0001f469") != normalize_key("\U0001f468")  # the emoji stay


def test_turkish_dotted_capital_i_is_one_name_with_plain_i():
    # "İ".casefold() is "i" and a combining dot: "İstanbul" had its own key, slug and topic page.
    assert normalize_key("İSTANBUL") == normalize_key("İstanbul") == normalize_key("Istanbul") == "istanbul"
    assert slugify("İzmir") == "izmir"
    assert normalize_key("i\u0307\u0301") == normalize_key(normalize_key("i\u0307\u0301"))  # still its own key


def test_slugify_examples():
    assert slugify("Kremlin Says Putin Pained, Even if Not Visible!") == "kremlin-says-putin-pained-even-if-not-visible"
    assert slugify("Москва и мир") == "москва-и-мир"
    assert slugify("../../etc/passwd") == "etc-passwd"
    assert slugify("a_b\\c/d") == "a-b-c-d"
    assert slugify("!!!") == ""


@given(st.text())
def test_slugs_never_leave_their_folder(text):
    slug = slugify(text)
    assert not {"/", "\\", "\x00", "."} & set(slug)
    assert slug == slug.strip("-") and len(slug) <= 80 and len(slug.encode()) <= 200
    assert slugify(slug) == slug


def test_canonical_name_maps_aliases_case_insensitively():
    assert VOCAB.canonical_name("harbour authority") == "Harbour"
    assert VOCAB.canonical_name("CITY  council") == "Council"
    assert VOCAB.canonical_name("  Unknown   topic ") == "Unknown topic"


def test_mentions_prefer_the_longest_phrase():
    counts = VOCAB.mentions("The Harbour Authority said the port flooded. The city council met.")
    assert counts == {"Harbour": 2, "Council": 1}


def test_passing_mention_does_not_tag_but_title_does():
    body = "The port reopened. Officials at the port said so. Floods were mentioned once."
    assert infer_tags("Ships return", body, VOCAB, min_mentions=2, limit=5) == ("Harbour",)
    assert infer_tags("Floods hit town", body, VOCAB, min_mentions=2, limit=5) == ("Floods", "Harbour")
    assert infer_tags("Floods hit town", body, VOCAB, min_mentions=2, limit=1) == ("Floods",)


def test_make_tags_canonicalises_and_deduplicates():
    tags = make_tags(["port", "Harbour", "New Topic", "  "], VOCAB)
    assert [(t.name, t.slug) for t in tags] == [("Harbour", "harbour"), ("New Topic", "new-topic")]


def test_tags_without_letters_get_stable_distinct_slugs():
    fire, water = make_tags(["🔥"], VOCAB)[0], make_tags(["💧"], VOCAB)[0]
    assert fire.name == "🔥" and fire.slug.startswith("tag-") and fire.slug != water.slug
    assert make_tags(["🔥"], VOCAB)[0].slug == fire.slug and slugify(fire.slug) == fire.slug
