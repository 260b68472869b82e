"""Page keys: equal inputs, equal keys; any change to what a template can reach, a new key."""

import dataclasses

from generator.model import RelatedLink
from generator.page_keys import PageKeys, page_key, plan_key
from tests.conftest import make_article


def test_a_page_keys_the_same_from_one_build_to_the_next_and_changes_with_any_input():
    a, b = make_article("harbour"), make_article("council")
    context = {"article": a, "related": ((b, 0.5),), "newer": None}
    key = page_key(PageKeys.of("env", [a, b]), "article.html", **context)
    # The next build: equal articles, new objects.
    a2, b2 = dataclasses.replace(a), dataclasses.replace(b)
    assert page_key(PageKeys.of("env", [a2, b2]), "article.html", article=a2, related=((b2, 0.5),), newer=None) == key
    changed = dataclasses.replace(b, title="Council votes")  # an article reached only through a related link
    assert page_key(PageKeys.of("env", [a, changed]), "article.html", article=a, related=((changed, 0.5),),
                    newer=None) != key
    assert page_key(PageKeys.of("env", [a, b]), "article.html", article=a, related=((b, 0.51),), newer=None) != key
    assert page_key(PageKeys.of("other", [a, b]), "article.html", **context) != key
    assert page_key(PageKeys.of("env", [a, b]), "tag.html", **context) != key


def test_articles_of_the_build_count_by_their_digest_others_by_value():
    a = make_article("harbour")
    stranger = make_article("council")  # not among the build's articles
    keys = PageKeys.of("env", [a])
    assert page_key(keys, "t", article=a, other=stranger) == page_key(keys, "t", article=a,
                                                                      other=dataclasses.replace(stranger))
    assert page_key(keys, "t", article=a, other=stranger) != page_key(
        keys, "t", article=a, other=dataclasses.replace(stranger, body="Other."))


def test_a_context_that_cannot_be_pickled_has_no_key():
    assert page_key(PageKeys.of("env", []), "t", callback=lambda: None) is None


def test_an_article_as_loaded_counts_by_its_load_key_and_a_changed_one_by_its_content():
    a, b = make_article("harbour"), make_article("council")
    load_key, other_key = "ab" * 20, "cd" * 20

    def key(articles, loaded, **context):
        return page_key(PageKeys.of("env", articles, loaded=loaded), "article.html", **context)

    before = key([a, b], {load_key: a}, article=a, newer=b)
    # The next build: the same file, loaded again or read from the cache as another object.
    again = dataclasses.replace(a)
    assert key([again, b], {load_key: again}, article=again, newer=b) == before
    # The file changed, whatever the article it gives.
    assert key([again, b], {other_key: again}, article=again, newer=b) != before
    # Changed after loading (a corpus topic given): counted by what it is, not by its load key.
    tagged = dataclasses.replace(a, title="Harbour reopens")
    assert key([tagged, b], {load_key: a}, article=tagged, newer=b) == key([tagged, b], {}, article=tagged, newer=b)
    assert key([tagged, b], {load_key: a}, article=tagged, newer=b) != key([a, b], {}, article=a, newer=b)


def test_an_articles_related_links_count_by_a_digest_of_what_they_show(monkeypatch):
    from generator import link_table, related

    def build(articles):
        table = related.chosen_links(articles, 2).links
        keys = PageKeys.of("env", articles, related=table)
        return [page_key(keys, "article.html", article=a, related=table[a.id]) for a in articles]

    articles = tuple(make_article(f"a{n}", tags=("Harbour", ("Ferry", "Council")[n % 2])) for n in range(6))
    made = []
    monkeypatch.setattr(link_table, "RelatedLink", lambda *args: made.append(args) or RelatedLink(*args))
    keys = build(articles)
    assert made == []  # the links are not made to be keyed
    assert build(tuple(dataclasses.replace(a) for a in articles)) == keys  # the next build: new objects
    linked = related.chosen_links(articles, 2).links
    retitled = articles[4]  # shown on the pages linking to it, and on its own
    after = build(tuple(dataclasses.replace(a, title="Ferry sails") if a is retitled else a for a in articles))
    changed = {a.slug for a, before, now in zip(articles, keys, after) if before != now}
    assert changed == {retitled.slug} | {a.slug for a in articles if retitled in [l.target for l in linked[a.id]]}
    assert len(changed) > 1


def test_related_links_without_their_tables_digests_count_by_value():
    from generator import related

    def key(articles):  # PageKeys not given the table: its rows have no digests
        table = related.chosen_links(articles, 2).links
        return page_key(PageKeys.of("env", articles), "article.html", related=table["id-a0"])

    articles = tuple(make_article(f"a{n}", tags=("Harbour",)) for n in range(3))
    by_value = key(articles)
    assert by_value is not None and key(tuple(dataclasses.replace(a) for a in articles)) == by_value
    assert key((articles[0], dataclasses.replace(articles[1], title="Other"), articles[2])) != by_value


def planned(*arguments):
    """A page's plan, as a test's stand-in for ``pages.article_page``."""
    return arguments


def also_planned(*arguments):
    return arguments


def test_a_plans_key_counts_each_argument_by_its_stand_in_and_its_place_and_any_other_by_value():
    import functools

    a, b, c = make_article("harbour"), make_article("council"), make_article("floods")
    keys = PageKeys.of("env", [a, b, c])
    plan = functools.partial
    key = plan_key(keys, "a.md", plan(planned, a, b, None), {"nav": "nav"})
    again = [dataclasses.replace(x) for x in (a, b, c)]  # the next build: equal articles, new objects
    assert plan_key(PageKeys.of("env", again), "a.md", plan(planned, again[0], again[1], None),
                    {"nav": "nav"}) == key
    others = {plan_key(keys, "a.md", plan(planned, *shown), {"nav": "nav"})
              for shown in [(a, c, None), (a, None, b), (a, b, c), (b, a, None), (a, b), (a, b, None, None)]}
    others |= {plan_key(keys, "a.md", plan(also_planned, a, b, None), {"nav": "nav"}),
               plan_key(keys, "b.md", plan(planned, a, b, None), {"nav": "nav"}),
               plan_key(keys, "a.md", plan(planned, a, b, None), {"nav": "other"}),
               plan_key(PageKeys.of("other", [a, b, c]), "a.md", plan(planned, a, b, None), {"nav": "nav"}),
               plan_key(PageKeys.of("env", [a, dataclasses.replace(b, title="Council votes"), c]), "a.md",
                        plan(planned, a, b, None), {"nav": "nav"})}
    assert key not in others and len(others) == 11
    # Anything else by value (a story, a tuple of links, an article of no build), itself keyed by stand-ins.
    stranger = make_article("drought")
    assert plan_key(keys, "a.md", plan(planned, a, (stranger, b)), {"nav": "nav"}) == plan_key(
        keys, "a.md", plan(planned, a, (dataclasses.replace(stranger), b)), {"nav": "nav"})
    assert plan_key(keys, "a.md", plan(planned, a, (stranger, b)), {"nav": "nav"}) != plan_key(
        keys, "a.md", plan(planned, a, (dataclasses.replace(stranger, body="Other."), b)), {"nav": "nav"})
    assert plan_key(keys, "a.md", plan(planned, a, lambda: None), {"nav": "nav"}) is None  # cannot be pickled
    assert plan_key(keys, "a.md", plan(planned, a, extra=1), {"nav": "nav"}) not in (None, key)  # pickled whole


def test_keys_made_by_one_pickler_are_as_fresh_ones_after_a_failure_and_travel_without_it():
    import pickle

    a, b = make_article("harbour"), make_article("council")
    keys = PageKeys.of("env", [a, b])
    fresh = page_key(PageKeys.of("env", [a, b]), "t", article=a, shown=(a, b, "x"))
    assert page_key(keys, "t", article=a, shown=(a, b, "x")) == fresh
    assert page_key(keys, "t", article=a, shown=(a, b, "x")) == fresh  # the last key's objects not taken as seen
    assert page_key(keys, "t", article=a, shown=(a, b, "x" * 1000)) != fresh
    assert page_key(keys, "t", article=a, shown=(a, b, "x")) == fresh  # nor the end of a longer one
    assert page_key(keys, "t", article=a, broken=[b, lambda: None]) is None  # fails half way through
    assert page_key(keys, "t", article=a, shown=(a, b, "x")) == fresh  # nothing of it, nor of the last, left
    assert page_key(pickle.loads(pickle.dumps(keys)), "t", article=a, shown=(a, b, "x")) == fresh
