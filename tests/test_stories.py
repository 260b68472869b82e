"""Story clusters: heavily overlapping reports within a few days."""

from dataclasses import replace

from generator.config import StorySettings
from generator.neighbours import Neighbour, Neighbours
from generator.stories import find_stories
from tests.conftest import make_article


def articles(*dates):
    return [make_article(f"a{n}", date=date) for n, date in enumerate(dates)]


def linked(pairs, count, cosine=0.7):
    neighbours = [[] for _ in range(count)]
    for a, b in pairs:
        neighbours[a].append(Neighbour(b, cosine, cosine))
        neighbours[b].append(Neighbour(a, cosine, cosine))
    return Neighbours.from_lists(neighbours)


def test_overlapping_reports_within_the_window_form_one_story_oldest_first():
    found = find_stories(articles("2024-03-12", "2024-03-10", "2024-03-30"), linked([(0, 1)], 3))
    assert len(found) == 1
    assert [a.slug for a in found[0].articles] == ["a1", "a0"]
    assert found[0].slug == "a1" and found[0].url_path == "stories/a1/"


def test_reports_too_far_apart_or_too_different_are_separate():
    items = articles("2024-03-01", "2024-03-09")
    assert find_stories(items, linked([(0, 1)], 2)) == ()
    assert find_stories(items, linked([(0, 1)], 2), StorySettings(window_days=10)) != ()
    close = articles("2024-03-01", "2024-03-02")
    assert find_stories(close, linked([(0, 1)], 2, cosine=0.3)) == ()
    assert find_stories(close, linked([(0, 1)], 2, cosine=0.3), StorySettings(min_similarity=0.25)) != ()


def test_a_developing_story_chains_through_daily_reports():
    found = find_stories(articles("2024-03-01", "2024-03-03", "2024-03-05", "2024-03-07"),
                         linked([(0, 1), (1, 2), (2, 3)], 4))
    assert len(found) == 1 and len(found[0].articles) == 4


def test_undated_articles_join_no_story():
    items = articles("2024-03-01", None)
    assert find_stories(items, linked([(0, 1)], 2)) == ()


def test_stories_come_out_in_the_same_order_whatever_the_input_order():
    items = articles("2024-03-01", "2024-03-02", "2024-05-01", "2024-05-02")
    pairs = [(0, 1), (2, 3)]
    forward = find_stories(items, linked(pairs, 4))
    backward = find_stories(items[::-1], linked([(3 - a, 3 - b) for a, b in pairs], 4))
    assert forward == backward and [s.slug for s in forward] == ["a0", "a2"]


def test_found_in_text_end_to_end():
    from generator.neighbours import nearest
    from generator.similarity import text_features

    body = "Fire crews fought a blaze at the Lefortovo warehouse overnight; forty firefighters and ten engines"
    items = [replace(make_article("first", date="2024-03-01"), body=body),
             replace(make_article("second", date="2024-03-02"), body=body + " attended."),
             replace(make_article("other", date="2024-03-02"), body="Council budget vote delayed again.")]
    neighbours = nearest(text_features([(a.title, a.body) for a in items]), 5)
    found = find_stories(items, neighbours)
    assert [[a.slug for a in s.articles] for s in found] == [["first", "second"]]


def test_a_story_lasts_at_most_max_days_from_first_report_to_last():
    dates = [f"2024-03-{day:02d}" for day in range(1, 21, 2)]  # every other day for 20 days
    chain = [(n, n + 1) for n in range(len(dates) - 1)]
    whole = find_stories(articles(*dates), linked(chain, len(dates)), StorySettings(max_days=30))
    assert [len(s.articles) for s in whole] == [10]
    capped = find_stories(articles(*dates), linked(chain, len(dates)), StorySettings(max_days=6))
    assert all((s.articles[-1].date - s.articles[0].date).days <= 6 for s in capped)
    assert sum(len(s.articles) for s in capped) == 10 and len(capped) >= 3
