"""Bodies are read back from their files, never held: the same text load cleaned, or an error."""

from __future__ import annotations

import pickle

import pytest

from generator import pipeline
from generator.bodies import body_key, body_text, text_key
from generator.cli import main
from generator.config import load_config
from generator.errors import InputChanged
from generator.load import load_article
from generator.model import StoredBody
from generator.taxonomy import Vocabulary
from generator.term_counts import count_terms, document_keys
from tests.conftest import article_text, site_tree

CHANGED = "changed while the site was being built (build again; the published site is kept as it was)"


@pytest.fixture
def config(make_site):
    return load_config(make_site())


def load(config, name: str, text: str, newline: str = "\n"):
    path = config.content_dir / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return load_article(path, config, Vocabulary.from_topics(config.topics))


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_a_loaded_article_holds_where_its_body_is_and_reads_the_cleaned_text(config, newline):
    article = load(config, "a.md", "\ufeff" + article_text("Quays", "Zanzibarish cranes\x07 rise.\n\nSecond line."),
                   newline)
    assert isinstance(article.body, StoredBody)
    assert b"Zanzibarish" not in pickle.dumps(article)  # the text is not held, nor cached with the article
    assert body_text(article.body) == "\nZanzibarish cranes rise.\n\nSecond line.\n"  # as load cleaned it
    assert body_key(article.body) == text_key(body_text(article.body)) == body_key(body_text(article.body))


def test_an_empty_body_after_the_closing_fence(config):
    article = load(config, "a.md", "---\ntitle: Only a title\n---")
    assert body_text(article.body) == ""


def test_a_file_changed_after_loading_is_an_error_naming_it(config):
    article = load(config, "a.md", article_text("Quays", "Cranes rise."))
    (config.content_dir / "a.md").write_text(article_text("Quays", "Cranes fall."), encoding="utf-8")
    with pytest.raises(InputChanged) as caught:
        body_text(article.body)
    assert str(caught.value) == f"{config.content_dir / 'a.md'}: {CHANGED}"
    back = pickle.loads(pickle.dumps(caught.value))  # as it comes back from a worker process
    assert type(back) is InputChanged and back.problems == caught.value.problems


def test_a_file_removed_after_loading_is_a_change_too(config):
    article = load(config, "a.md", article_text("Quays", "Cranes rise."))
    (config.content_dir / "a.md").unlink()
    with pytest.raises(InputChanged) as caught:
        body_text(article.body)
    assert str(caught.value) == f"{config.content_dir / 'a.md'}: cannot read: No such file or directory"


def test_a_template_that_prints_a_stored_body_fails_naming_itself(make_site, capsys):
    config = make_site({"a.md": article_text("Quays", "Cranes rise.", date="2024-03-01")})
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "article.html").write_text("<p>{{ article.body }}</p>\n", encoding="utf-8")
    assert main(["--config", str(config), "--quiet", "build"]) == 1
    err = capsys.readouterr().err
    assert err == (f"error: {config.parent / 'templates' / 'article.html'}:1: template error while rendering "
                   "articles/quays/index.html: TypeError: an article's body is no text in templates; the article "
                   "page has its HTML as `body`\n")  # not this machine's path to the article, published


def test_stored_and_held_bodies_of_one_text_count_and_key_alike(config):
    stored = load(config, "a.md", article_text("Quays", "Harbour cranes rise over harbour quays."))
    held = (stored.title, body_text(stored.body))
    assert document_keys([(stored.title, stored.body)]) == document_keys([held])
    counted, expected = count_terms([(stored.title, stored.body)]), count_terms([held])
    assert counted.names == expected.names and (counted.counts != expected.counts).nnz == 0


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_article_edited_during_the_build_fails_it_and_keeps_the_site(make_site, monkeypatch, capsys, jobs):
    config = make_site({f"a{n}.md": article_text(f"Story {n}", f"Harbour cranes number {n}.", date="2024-03-01")
                        for n in range(3)})
    assert main(["--config", str(config), "--quiet", "build"]) == 0
    published = site_tree(config.parent / "site")
    edited = config.parent / "content" / "articles" / "a1.md"
    planned = pipeline.plan_listings

    def edit_then_plan(*args, **kwargs):  # after loading and relating, before any page renders
        edited.write_text(article_text("Story 1", "A late correction."), encoding="utf-8")
        return planned(*args, **kwargs)
    monkeypatch.setattr(pipeline, "plan_listings", edit_then_plan)
    capsys.readouterr()
    assert main(["--config", str(config), "--quiet", "build", "--clean", "--jobs", jobs]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {edited}: {CHANGED}\n"
    assert site_tree(config.parent / "site") == published
    monkeypatch.undo()
    assert main(["--config", str(config), "--quiet", "build"]) == 0  # the next build takes the edit
    assert b"A late correction." in (config.parent / "site" / "articles" / "story-1" / "index.html").read_bytes()
