"""The static search index: what it holds, and that the browser script finds articles with it."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import given
from hypothesis import strategies as st

from generator.bodies import body_text
from generator.config import load_config
from generator.pipeline import build
from generator.taxonomy import slugify
from generator.search import CHUNK, shard_file, shard_key, terms
from tests.conftest import article_text

ARTICLES = {
    "harbour.md": article_text("Harbour reopens after the storm", "Ships are back in the harbour. Fishermen cheer.",
                               date="2024-03-30", tags=["Harbour"], summary="Ships are back."),
    "council.md": article_text("Council meets", "The city council debated the storm damage budget.",
                               date="2024-03-28", tags=["Council", "Floods"]),
    "moscow.md": article_text("Москва: новости", "Текст статьи о городе.", date="2024-03-27"),
}


def made(files):
    """The index's files with their bytes: the term files are made by the writer's processes."""
    from generator.model import PendingFile

    return [f.render() if isinstance(f, PendingFile) else f for f in files]


@pytest.fixture
def built(make_site) -> Path:
    config = load_config(make_site(ARTICLES))
    build(config, warn=lambda message: None)
    return config.output_dir


def query(site: Path, text: str) -> list[str]:
    """Run a query over the index files the way search.js does: every word, as a prefix, must match.

    Returns the matching article URLs, best first (title/tag hits outweigh body hits, then newest).
    """
    folder = site / "search"
    meta = json.loads((folder / "meta.json").read_text())
    total: dict[int, int] | None = None
    for word in terms(text):
        key = shard_key(word)
        shard = json.loads((folder / shard_file(key)).read_text()) if key in meta["shards"] else {}
        found: dict[int, int] = {}
        for term, postings in shard.items():
            if term.startswith(word):
                weight = 2 if term == word else 1
                for field, boost in (("b", 1), ("h", 4)):
                    number = 0
                    for delta in postings.get(field, []):
                        number += delta
                        found[number] = max(found.get(number, 0), weight * boost)
        total = found if total is None else {n: total[n] + s for n, s in found.items() if n in total}
    ranked = sorted((total or {}).items(), key=lambda item: (-item[1], item[0]))
    urls = []
    for number, _ in ranked:
        docs = json.loads((folder / f"d-{number // meta['chunk']}.json").read_text())
        urls.append(docs[number % meta["chunk"]][0])
    return urls


def test_words_match_as_prefixes_across_title_tags_and_body(built):
    assert query(built, "storm") == ["articles/harbour-reopens-after-the-storm/", "articles/council-meets/"]
    assert query(built, "fisher") == ["articles/harbour-reopens-after-the-storm/"]
    assert query(built, "floods") == ["articles/council-meets/"]  # a tag only
    assert query(built, "storm budget") == ["articles/council-meets/"]  # every word must match
    assert query(built, "STORM") == query(built, "storm")
    assert query(built, "москва") == [f"articles/{'москва-новости'}/"]
    assert query(built, "volcano") == []


def test_title_hits_rank_above_body_hits(built):
    # "council" is in one title and one tag, "harbour" in a title, a tag and a body.
    assert query(built, "harbour")[0] == "articles/harbour-reopens-after-the-storm/"


def test_meta_lists_every_shard_and_a_content_version(built, make_site):
    folder = built / "search"
    meta = json.loads((folder / "meta.json").read_text())
    assert meta["articles"] == 3 and meta["chunk"] == CHUNK
    assert sorted(p.name for p in folder.glob("t-*.json")) == sorted(shard_file(k) for k in meta["shards"])
    docs = json.loads((folder / "d-0.json").read_text())
    assert docs[0] == ["articles/harbour-reopens-after-the-storm/", "Harbour reopens after the storm",
                       "30 March 2024", "Harbour", "Ships are back."]
    config = load_config(make_site({**ARTICLES, "new.md": article_text("New", "Fresh words.", date="2024-04-01")}))
    build(config, warn=lambda m: None)
    assert json.loads((config.output_dir / "search" / "meta.json").read_text())["version"] != meta["version"]


def test_stopwords_and_single_letters_are_not_indexed():
    assert terms("The storm and a ship, x 42") == {"storm", "ship", "42"}


def test_words_keep_their_marks_and_cjk_runs_become_pairs():
    assert terms("हिन्दी समाचार") == {"हिन्दी", "समाचार"}  # vowel signs are combining marks
    assert terms("東京都の知事") == {"東京", "京都", "都の", "の知", "知事"}
    assert terms("Straße ΟΔΟΣ") == {"straße", "οδος"}  # lower(), as JavaScript's toLowerCase()
    assert shard_key("知事") == "知" and shard_key("straße") == "st"
    # Marks beyond the first plane are marks too, as search.js's \\p{M} has them: Chakma's
    # virama (U+11134) split a word apart.
    assert terms("\U0001110c\U0001110b\U00011134\U0001110c") == {"\U0001110c\U0001110b\U00011134\U0001110c"}


MULTILINGUAL = {
    "de.md": article_text("Die Straße am Hafen", "Text über die Straße.", date="2024-03-30"),
    "el.md": article_text("ΟΔΟΣ και λιμάνι", "Κείμενο για την οδό.", date="2024-03-29"),
    "hi.md": article_text("हिन्दी समाचार", "बंदरगाह की ख़बर।", date="2024-03-28"),
    "ja.md": article_text("東京都の新しい知事", "港のニュースです。", date="2024-03-27"),
    "ccp.md": article_text("\U0001110c\U0001110b\U00011134\U0001110c news", "Text.", date="2024-03-26"),
}


def test_search_js_splits_queries_as_the_index_does_in_every_script(make_site):
    """The browser's tokenizer must agree with generator/search.py's, or words silently never match."""
    from tests.clients import chromium_dom, serve

    config = load_config(make_site(MULTILINGUAL))
    build(config, warn=lambda message: None)
    with serve(config.output_dir) as base:
        for query, title in (("Straße", "Die Straße am Hafen"), ("ΟΔΟΣ", "ΟΔΟΣ και λιμάνι"),
                             ("समाचार", "हिन्दी समाचार"), ("知事", "東京都の新しい知事"), ("ニュース", "東京都の新しい知事"),
                             ("\U0001110c\U0001110b\U00011134\U0001110c", "\U0001110c\U0001110b\U00011134\U0001110c news")):
            dom = chromium_dom(base + "search/?q=" + quote(query))
            results = dom.split('id="search-results"')[1].split("</ol>")[0]
            assert "1 article matches." in dom, (query, dom[-600:])
            assert unquote(results.split('href="')[1].split('"')[0]).endswith(f"/articles/{slugify(title)}/"), query


def test_search_can_be_switched_off(make_site):
    config = load_config(make_site(ARTICLES, search=False))
    build(config, warn=lambda m: None)
    assert not (config.output_dir / "search").exists()
    assert ">Search</a>" not in (config.output_dir / "index.html").read_text()


def test_search_page_finds_articles_in_a_real_browser(built):
    """search.js in headless Chromium: the query in ?q= runs, results link to the articles."""
    from tests.clients import chromium_dom, serve

    requests: list[tuple[int, str]] = []
    with serve(built, requests) as base:
        dom = chromium_dom(base + "search/?q=storm%20budg")
        nothing = chromium_dom(base + "search/?q=volcano")
    results = dom.split('id="search-results"')[1].split("</ol>")[0]
    assert 'href="' + base + 'articles/council-meets/"' in results and "Council meets" in results
    assert "harbour-reopens" not in results  # "budg" narrows "storm" to one article
    assert "1 article matches." in dom
    assert "No articles match." in nothing
    assert [r for r in requests if r[0] >= 400] == []


def whole_text_terms(text):
    """The search terms found by running the word pattern over the whole text at once: what
    ``terms`` must equal, however it gets there."""
    import unicodedata

    from generator.search import _CJK_RUN, STOPWORDS, _word

    found = set()
    for word in _word().findall(unicodedata.normalize("NFKC", text).lower()):
        for number, part in enumerate(_CJK_RUN.split(word)):
            if number % 2:
                found.update(part[i:i + 2] for i in range(max(1, len(part) - 1)))
            elif len(part) >= 2 and part not in STOPWORDS:
                found.add(part)
    return found


@given(st.text(alphabet=st.sampled_from(list("ab Ab\u00a0\t\n/-_.9é\u0301日本語テスト\uff21\u2167x")), max_size=60))
def test_terms_split_by_pieces_equal_the_pattern_over_the_whole_text(text):
    from generator.search import terms

    assert terms(text) == whole_text_terms(text)


def test_an_index_built_over_several_processes_is_the_same(make_site, monkeypatch):
    from generator import search
    from generator.index import index_site
    from generator.load import find_articles
    from generator.pipeline import _load_all
    from generator.taxonomy import Vocabulary

    config = load_config(make_site(ARTICLES))
    loaded = _load_all(find_articles(config.content_dir), config, Vocabulary.from_topics(()), "", None)
    site = index_site(list(loaded.values()), config, 1)
    serial = made(search.search_files(site, config, 1))
    monkeypatch.setattr(search, "PARALLEL_MIN", 1)  # one article per process
    parallel = made(search.search_files(site, config, 2))
    assert parallel == serial and len(serial) > 3


@pytest.mark.parametrize("jobs", [1, 3])
def test_each_posting_list_decodes_to_exactly_the_articles_having_the_term(make_site, monkeypatch, jobs):
    from generator import search
    from generator.index import index_site
    from generator.load import find_articles
    from generator.pipeline import _load_all
    from generator.taxonomy import Vocabulary
    from tests.conftest import subject_corpus

    docs, subjects = subject_corpus(14, 3)
    config = load_config(make_site({f"a{n:02}.md": article_text(title, body, date=f"2024-03-{n + 1:02}",
                                                                tags=[subjects[n]])
                                    for n, (title, body) in enumerate(docs)}))
    loaded = _load_all(find_articles(config.content_dir), config, Vocabulary.from_topics(()), "", None)
    site = index_site(list(loaded.values()), config, 1)
    monkeypatch.setattr(search, "PARALLEL_MIN", 1)  # several shares, merged
    monkeypatch.setattr(search, "_DIFFERENCE_CHUNK", 3)  # differences made a few entries at a time
    files = {str(f.path): json.loads(f.content) for f in made(search.search_files(site, config, jobs))}
    decoded = {}
    for name, shard in files.items():
        if name.startswith("search/t-"):
            for term, entry in shard.items():
                decoded[term] = {kind: [sum(entry[kind][:i + 1]) for i in range(len(entry[kind]))] for kind in entry}
    expected = {}
    for number, a in enumerate(site.articles):
        head = terms(" ".join([a.title, *(t.name for t in a.tags)]))
        for term in head | terms(body_text(a.body)) | terms(a.summary or ""):
            expected.setdefault(term, {"b": []})["b"].append(number)
        for term in head:
            expected[term].setdefault("h", []).append(number)
    assert decoded == expected and len(expected) > 30


TEXT = st.text(alphabet=st.sampled_from(list("ab Ab\u00a0\t\n/-_.9é\u0301日本語テ\uff21\u2167\u2026\u00a8\ufb01xΣς")),
               max_size=40)


@given(st.lists(st.tuples(TEXT, TEXT, TEXT, st.lists(TEXT, max_size=2)), max_size=6))
def test_terms_noted_while_counting_texts_are_flagged_as_search_finds_them(texts):
    """Bodies in NFKC are split once for related links and search; the others apart."""
    from types import SimpleNamespace

    from generator.search import HEAD, BODY, count_texts, flagged_terms, text_documents

    articles = [SimpleNamespace(title=title, body=body, summary=summary, tags=[SimpleNamespace(name=t) for t in tags])
                for title, body, summary, tags in texts]
    flagged = flagged_terms(articles, count_texts(text_documents(articles))[1])
    matrix = flagged.counts
    for row, article in enumerate(articles):
        head = terms(" ".join([article.title, *(t.name for t in article.tags)]))
        expected = {term: HEAD | BODY for term in head}
        expected.update((term, BODY) for term in terms(f"{article.body}\n{article.summary}") - head)
        found = {flagged.names[c]: int(v) for c, v in zip(matrix.indices[matrix.indptr[row]:matrix.indptr[row + 1]],
                                                           matrix.data[matrix.indptr[row]:matrix.indptr[row + 1]])}
        assert found == expected


def test_a_full_piece_table_starts_again_between_texts_never_within_one(monkeypatch):
    from generator import search

    monkeypatch.setattr(search._TermOfPiece, "LIMIT", 2)  # full after two pieces
    text = " ".join(f"left{n}/right{n} single{n}" for n in range(9))
    for _ in range(2):  # met afresh, then with the table full from the text before
        assert search.terms(text) == whole_text_terms(text)
    assert len(search._TERM_OF_PIECE) <= 18  # this text's pieces: the table did not keep growing
