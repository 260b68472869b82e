from generator.related import related_links, tag_weights
from tests.conftest import make_article


def test_rarer_shared_tag_outranks_common_one():
    hub = [make_article(f"filler-{i}", tags=("World",)) for i in range(6)]
    me = make_article("me", tags=("World", "Harbour"))
    via_rare = make_article("via-rare", tags=("Harbour",))
    via_common = make_article("via-common", tags=("World",))
    articles = (me, via_common, via_rare, *hub)
    links = related_links(articles, top_k=3)["id-me"]
    assert links[0].target.slug == "via-rare"
    assert tag_weights(articles)["harbour"] > tag_weights(articles)["world"]


def test_no_self_links_and_no_links_without_shared_tags():
    a, b, c = make_article("a", tags=("X",)), make_article("b", tags=("X",)), make_article("c", tags=("Y",))
    links = related_links((a, b, c), top_k=5)
    assert [l.target.slug for l in links["id-a"]] == ["b"]
    assert links["id-c"] == ()


def test_ties_break_by_time_then_slug_whatever_the_input_order():
    me = make_article("me", tags=("X",), date="2024-03-10")
    near = make_article("near", tags=("X",), date="2024-03-11")
    far = make_article("far", tags=("X",), date="2024-01-01")
    twin_b = make_article("twin-b", tags=("X",), date="2024-03-12")
    twin_a = make_article("twin-a", tags=("X",), date="2024-03-08")
    expected = ["near", "twin-a", "twin-b", "far"]
    for order in ((me, near, far, twin_b, twin_a), (twin_a, far, twin_b, near, me)):
        assert [l.target.slug for l in related_links(order, top_k=10)["id-me"]] == expected


def test_top_k_and_reason_text():
    me = make_article("me", tags=("Harbour", "Floods"))
    other = make_article("other", tags=("Floods", "Harbour"))
    more = [make_article(f"m{i}", tags=("Floods",)) for i in range(3)]
    links = related_links((me, other, *more), top_k=2)["id-me"]
    assert len(links) == 2
    assert links[0].reason == "shared: Harbour, Floods"  # rarer tag named first
