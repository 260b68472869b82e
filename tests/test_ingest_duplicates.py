"""Near-duplicates: same story twice is found; related but different stories are not."""

import random

from generator.ingest.duplicates import Candidate, find_duplicates, resemblance, shingles

WORDS = ("harbour council ferry herring season crews market prices report tonnes pier boats "
         "water bay station biologists weather storm bridge road school budget vote mayor").split()


def story(seed, length=300):
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(length))


def test_identical_bodies_are_duplicates_and_the_first_is_kept():
    body = story(1)
    found = find_duplicates([Candidate("a.txt", body), Candidate("b.txt", body)])
    assert list(found) == ["b.txt"]
    assert found["b.txt"].of == "a.txt" and found["b.txt"].similarity == 1.0
    assert found["b.txt"].reason == "near-duplicate of a.txt (100% of the text is the same)"


def test_a_rescrape_with_small_changes_is_a_duplicate():
    body = story(2)
    words = body.split()
    rescrape = " ".join(["Updated:", *words[:150], "correction", *words[150:290]])
    found = find_duplicates([Candidate("first.txt", body), Candidate("second.html", rescrape)])
    assert found["second.html"].similarity >= 0.8


def test_a_follow_up_that_shares_background_is_not_a_duplicate():
    background = story(3, 60)
    first = story(4) + " " + background
    follow_up = story(5) + " " + background
    assert find_duplicates([Candidate("a", first), Candidate("b", follow_up)]) == {}


def test_the_same_source_url_is_the_same_story_whatever_the_text():
    found = find_duplicates([
        Candidate("a", story(6), "https://www.Harbor.example/news/ferry/"),
        Candidate("b", story(7), "http://harbor.example/news/ferry#comments"),
    ])
    assert found["b"].of == "a" and found["b"].similarity == 1.0


def test_the_threshold_is_respected():
    body = story(8)
    words = body.split()
    half = " ".join(words[:150] + story(9, 150).split())
    similarity = resemblance(shingles(body), shingles(half))
    assert 0.2 < similarity < 0.8
    assert find_duplicates([Candidate("a", body), Candidate("b", half)]) == {}
    assert "b" in find_duplicates([Candidate("a", body), Candidate("b", half)], threshold=similarity)


def test_many_stories_each_copy_found_once():
    stories = [Candidate(f"s{i}", story(100 + i)) for i in range(200)]
    copies = [Candidate(f"copy{i}", story(100 + i)) for i in range(0, 200, 20)]
    found = find_duplicates(stories + copies)
    assert sorted(found) == sorted(c.name for c in copies)
    assert all(found[f"copy{i}"].of == f"s{i}" for i in range(0, 200, 20))


def test_empty_bodies_are_never_duplicates():
    assert find_duplicates([Candidate("a", ""), Candidate("b", "")]) == {}
