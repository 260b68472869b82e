import numpy as np
import pytest
from dataclasses import replace
from datetime import timedelta

from generator.analysis import TEXT_NEIGHBOURS
from generator.model import Story
from generator.related import HUB_NEIGHBOURS, RelatedWeights, related_links, tag_weights
from generator.similarity import text_features
from generator.neighbours import nearest
from tests.conftest import make_article


def with_text(articles, top_k, weights=RelatedWeights(), story_of=None):
    """Related links with text evidence, as a build computes them."""
    neighbours = nearest(text_features([(a.title, a.body) for a in articles]), TEXT_NEIGHBOURS)
    return related_links(articles, top_k, weights, neighbours, story_of or {})


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
    assert links[0].reason == "shared: Harbour, Floods; same day"  # rarer tag named first


def test_each_link_names_exactly_the_tags_both_share_rarest_first(monkeypatch):
    import random

    from generator import related

    monkeypatch.setattr(related, "CHUNK", 5)  # chunk boundaries inside the corpus
    rng = random.Random(4)
    names = ["Harbour", "Floods", "Council", "World", "Schools", "Trains", "Moscow"]
    articles = tuple(make_article(f"a{n:02d}", tags=tuple(rng.sample(names, rng.randint(1, 5))),
                                  date=f"2024-03-{1 + n % 28:02d}") for n in range(40))
    idf = tag_weights(articles)
    by_id = {a.id: a for a in articles}
    checked = 0
    for article_id, links in related_links(articles, top_k=6).items():
        rarest_first = sorted(by_id[article_id].tags, key=lambda t: (-idf[t.slug], t.slug))
        for link in links:
            theirs = {t.slug for t in link.target.tags}
            assert link.shared_tags == tuple(t for t in rarest_first if t.slug in theirs)
            checked += len(link.shared_tags) > 1
    assert checked > 40  # many links share several tags


STORY = "The harbour authority closed the northern quay after the storm damaged cranes and flooded warehouses."


def test_similar_text_links_articles_that_share_no_tag_and_says_so():
    me = replace(make_article("me", tags=("Harbour",), date="2024-03-10"), body=STORY)
    twin = replace(make_article("twin", tags=("Storms",), date="2024-03-12"),
                   body=STORY.replace("northern", "southern"))
    other = replace(make_article("other", tags=("Schools",)), body="Schools reopen with new teachers.")
    filler = [replace(make_article(f"f{i}", tags=("Misc",)), body=f"Unrelated note number {i} about gardens.")
              for i in range(4)]
    links = with_text((me, twin, other, *filler), top_k=3)["id-me"]
    assert [l.target.slug for l in links] == ["twin"]
    assert links[0].reason == "similar text; 2 days apart" and links[0].text_similarity > 0.5


def test_text_weight_zero_means_tags_only():
    me = replace(make_article("me", tags=("Harbour",)), body=STORY)
    twin = replace(make_article("twin", tags=("Storms",)), body=STORY)
    assert with_text((me, twin), top_k=3)["id-me"]
    assert with_text((me, twin), top_k=3, weights=RelatedWeights(text=0))["id-me"] == ()


def test_the_other_reports_of_the_articles_story_are_no_related_links():
    me = make_article("me", tags=("Harbour",), date="2024-03-10")
    report = make_article("report", tags=("Harbour",), date="2024-03-11")
    tagged = make_article("tagged", tags=("Harbour",), date="2024-03-01")
    story = Story("me", me.title, (me, report))
    links = related_links((me, report, tagged), top_k=3, story_of={me.id: story, report.id: story})
    assert [l.target.slug for l in links["id-me"]] == ["tagged"]
    assert [l.target.slug for l in links["id-tagged"]] == ["me", "report"]  # not in the story: both related
    assert [l.target.slug for l in related_links((me, report, tagged), top_k=3)["id-me"]] == ["report", "tagged"]


def test_recency_breaks_otherwise_equal_links_towards_the_closer_article():
    me = make_article("me", tags=("X",), date="2024-03-10")
    close = make_article("zz-close", tags=("X",), date="2024-03-11")
    far = make_article("aa-far", tags=("X",), date="2023-03-11")
    links = related_links((me, close, far), top_k=2)["id-me"]
    assert [l.target.slug for l in links] == ["zz-close", "aa-far"]
    assert links[0].score > links[1].score  # the recency bonus, not only the tie-break


def test_a_hub_tag_looks_only_at_the_articles_closest_in_time():
    hub = tuple(make_article(f"h{i:04d}", tags=("World",), date=f"20{10 + i // 365:02d}-01-01")
                for i in range(HUB_NEIGHBOURS * 3))
    links = related_links(hub, top_k=5)
    assert all(len(v) == 5 for v in links.values())


def test_a_hub_tag_window_is_the_slice_around_the_article_in_time_order():
    import numpy as np

    from generator.related import hub_window_start

    sizes = np.array([1000, 1000, 1000, 3])
    starts = hub_window_start(sizes, np.array([500, 0, 999, 2]), 4)
    assert starts.tolist() == [498, 0, 996, 0]  # around it; all after it at the start; all before it at the end;
                                                # all of a tag no bigger than the window


def test_links_scored_over_several_processes_are_the_same(monkeypatch):
    from generator import related

    monkeypatch.setattr(related, "CHUNK", 7)  # runs of 7 articles,
    monkeypatch.setattr(related, "PARALLEL_MIN", 20)  # in tasks of 20 to 40 over two processes
    monkeypatch.setattr(related, "SHARE_MAX", 40)
    # W is a hub tag (on more than HUB_NEIGHBOURS articles), so its windows are used too.
    articles = tuple(make_article(f"a{i:03d}", tags=(("X", "Y", "Z")[i % 3], "W"), date=f"2024-03-{1 + i % 28:02d}")
                     for i in range(130))
    serial, parallel = related_links(articles, 5, jobs=1), related_links(articles, 5, jobs=2)
    assert serial == parallel and len(serial) == 130 and all(len(links) == 5 for links in serial.values())


def test_days_apart_are_calendar_days_where_the_site_shows_its_dates():
    from zoneinfo import ZoneInfo

    late, night, next_noon = (make_article(slug, tags=("Ferry",), date=moment) for slug, moment in (
        ("late", "2024-03-01T00:30:00+00:00"), ("night", "2024-03-01T23:30:00+00:00"),
        ("next-noon", "2024-03-02T11:00:00+00:00")))
    def reasons(zone):
        links = related_links((next_noon, night, late), top_k=2, zone=zone)
        return {(a, link.target.slug): link.reason for a, found in links.items() for link in found}
    utc = reasons(ZoneInfo("UTC"))
    assert utc[("id-late", "night")] == "shared: Ferry; same day"  # 23 hours apart, both on 1 March
    assert utc[("id-night", "next-noon")] == "shared: Ferry; 1 day apart"  # 11.5 hours apart, two days
    # In New York the first falls on 29 February.
    assert reasons(ZoneInfo("America/New_York"))[("id-late", "night")] == "shared: Ferry; 1 day apart"


def tagged_corpus(count=130):
    """Articles of small tags and a hub tag (W, on more than HUB_NEIGHBOURS), with texts of a
    few subjects, so tags and texts both bring candidates."""
    return tuple(make_article(f"a{i:03d}", tags=(("X", "Y", "Z")[i % 3], "W"), date=f"2024-03-{1 + i % 28:02d}",
                              body=f"ferry{i % 16} crane{i % 16} report {i} ballot{i // 16} river{i // 16}")
                 for i in range(count))


def text_neighbours(articles):
    return nearest(text_features([(a.title, a.body) for a in articles]), TEXT_NEIGHBOURS)


def scoring_counted(monkeypatch):
    """The rows each call scoring links scores."""
    from generator import related

    scored, best = [], related._best_links
    monkeypatch.setattr(related, "_best_links", lambda evidence, chunk: scored.extend(chunk) or best(evidence, chunk))
    return scored


def same_choice(one, other):
    from generator.related import ChosenLinks

    return one.links == other.links and all(
        np.array_equal(getattr(one.kept.chosen, name), getattr(other.kept.chosen, name))
        for name in ChosenLinks.__dataclass_fields__)


def test_links_kept_are_taken_and_only_articles_whose_similar_texts_changed_are_scored_again(monkeypatch):
    from generator import related
    from generator.neighbours import Neighbour, Neighbours
    from generator.related import chosen_links

    monkeypatch.setattr(related, "CHUNK", 16)
    monkeypatch.setattr(related, "PARALLEL_MIN", 20)  # the first build's links scored over two processes
    monkeypatch.setattr(related, "SHARE_MAX", 40)
    articles = tagged_corpus()
    neighbours = text_neighbours(articles)
    first = chosen_links(articles, 5, neighbours=neighbours, jobs=2)
    lists = [list(found) for found in neighbours]
    lists[3] = [Neighbour(78, 0.95, 0.9), *lists[3][:-1]]  # a new similar text, first
    unlike = next(r for r in range(40, 130) if lists[r] and lists[r][0].score >= related.MIN_TEXT)
    lists[unlike] = []  # its text changed beyond likeness
    lists[unlike + 1] = [Neighbour(n.row, n.score, n.word_cosine) for n in lists[unlike + 1]]  # the same, anew
    changed = Neighbours.from_lists(lists)
    edited = replace(articles[78], body=articles[78].body + " more words")  # an edit of its words alone
    articles = (*articles[:78], edited, *articles[79:])
    scored = scoring_counted(monkeypatch)
    again = chosen_links(articles, 5, neighbours=changed, kept=first.kept, jobs=2)
    assert scored == [3, unlike]
    assert any(link.target is edited for link in again.links["id-a003"])  # as loaded in this build
    assert same_choice(again, chosen_links(articles, 5, neighbours=changed))
    assert not same_choice(again, first)


def test_links_are_scored_again_whole_when_a_tag_moves_to_the_next_article(monkeypatch):
    """Each article's tags, rarest first, read one after another, are the same before and after:
    only where one article's end is tells the move."""
    from generator.model import Tag
    from generator.related import chosen_links

    def tagged(articles, changes):
        return tuple(replace(a, tags=tuple(Tag(name.lower(), name) for name in changes[n])) if n in changes else a
                     for n, a in enumerate(articles))

    corpus = tagged(tagged_corpus(), {20: ("R1", "W"), 30: ("R2", "W"), 31: ("R2", "W")})
    before = tagged(corpus, {9: ("R1", "R2")})  # R1 (2 articles), then R2 (3): rarer than Y and W
    after = tagged(corpus, {9: ("R1",), 10: ("R2", "Y", "W")})
    neighbours = text_neighbours(before)
    first = chosen_links(before, 5, neighbours=neighbours)
    scored = scoring_counted(monkeypatch)
    again = chosen_links(after, 5, neighbours=neighbours, kept=first.kept)
    assert sorted(scored) == list(range(len(after)))
    assert same_choice(again, chosen_links(after, 5, neighbours=neighbours))


@pytest.mark.parametrize("change", ["tag", "tag name", "slug", "id", "date", "time", "undated", "story", "removed", "top_k"])
def test_links_are_scored_again_whole_when_anything_but_texts_changed(change, monkeypatch):
    from generator.related import chosen_links

    articles = tagged_corpus()
    neighbours = text_neighbours(articles)
    top_k, story_of = 5, {}
    first = chosen_links(articles, top_k, neighbours=neighbours)
    if change == "tag":
        articles = (*articles[:9], replace(articles[9], tags=articles[10].tags), *articles[10:])
    elif change == "tag name":  # the same tag page, shown by another name in the links' reasons
        renamed = tuple(replace(tag, name=tag.name.lower()) for tag in articles[9].tags)
        articles = (*articles[:9], replace(articles[9], tags=renamed), *articles[10:])
    elif change in ("slug", "id"):
        articles = (*articles[:9], replace(articles[9], **{change: "other"}), *articles[10:])
    elif change == "date":
        articles = (*articles[:9], replace(articles[9], date=articles[40].date), *articles[10:])
    elif change == "time":  # the same day
        articles = (*articles[:9], replace(articles[9], date=articles[9].date + timedelta(minutes=1)), *articles[10:])
    elif change == "undated":
        articles = (*articles[:9], replace(articles[9], date=None), *articles[10:])
    elif change == "story":
        story_of = {articles[1].id: Story("s", "S", articles[1:3]), articles[2].id: Story("s", "S", articles[1:3])}
    elif change == "removed":
        articles, neighbours = articles[:-1], text_neighbours(articles[:-1])
    else:
        top_k = 4
    scored = scoring_counted(monkeypatch)
    again = chosen_links(articles, top_k, neighbours=neighbours, story_of=story_of, kept=first.kept)
    assert sorted(scored) == list(range(len(articles)))
    assert same_choice(again, chosen_links(articles, top_k, neighbours=neighbours, story_of=story_of))
