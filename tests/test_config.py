from dataclasses import astuple
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import DigestError


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_and_resolved_paths(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/news\n"))
    assert config.base_url == "https://x.org/news/"
    assert config.output_dir == tmp_path.resolve() / "site"
    assert config.feeds.items == 20 and config.feeds.full_content is True
    assert config.topics == ()


def test_every_problem_is_reported_at_once(tmp_path):
    path = write(tmp_path, "title: T\nbase_url: ftp://x.org/\ncolour: red\nfeeds:\n  items: lots\n"
                           "timezone: Mars/Olympus\n")
    with pytest.raises(DigestError) as caught:
        load_config(path)
    assert [str(p).replace(str(path), "site.yaml") for p in caught.value.problems] == [
        "site.yaml:3: unknown key 'colour' (known keys: author, base_url, content_dir, description, digests, feeds, "
        "ingest, language, output_dir, pagination, raw_dir, related, search, stories, tags, theme, timezone, title, topics)",
        "site.yaml:4: feeds.items must be int",
        "site.yaml:2: base_url 'ftp://x.org/' is not an absolute http(s) URL without query or fragment "
        "(for example https://news.example.org/)",
        "site.yaml:6: unknown timezone 'Mars/Olympus' (use an IANA name such as UTC)",
    ]


def test_missing_required_keys(tmp_path):
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, "description: nothing else\n"))
    assert [p.message for p in caught.value.problems] == [
        "missing required key 'title'", "missing required key 'base_url'"]


def test_missing_file_and_bad_yaml(tmp_path):
    with pytest.raises(DigestError, match="configuration file not found"):
        load_config(tmp_path / "nope.yaml")
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, "title: [\n"))
    assert caught.value.problems[0].line == 2


def test_a_config_past_the_size_cap_is_refused_without_reading_it_all(tmp_path):
    # /dev/zero (a file that never ends) was read until memory ran out.
    with pytest.raises(DigestError) as caught:
        load_config(Path("/dev/zero"))
    assert str(caught.value) == "/dev/zero: configuration is larger than 1 MiB (pass --config the site's site.yaml)"
    padded = write(tmp_path, "title: T\nbase_url: https://x.org/\n" + "#" * (1024 * 1024 - 40) + "\n")
    assert load_config(padded).title == "T"  # under the cap


def test_topics_are_parsed(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\ntopics:\n  Crocus: [Crocus City Hall]\n  Moscow:\n"))
    assert [(t.name, t.aliases) for t in config.topics] == [("Crocus", ("Crocus City Hall",)), ("Moscow", ())]


def test_a_spelling_that_means_two_topics_is_an_error(tmp_path):
    # The first to claim it won without a word: topic Kremlin, an alias of Putin, had no page.
    text = ("title: T\nbase_url: https://x.org/\ntopics:\n  Putin: [Kremlin, Peskov]\n  Kremlin: [Peskov]\n"
            "  PUTIN: []\n  Moscow: [moscow]\n")
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, text))
    assert [str(p).split("/")[-1] for p in caught.value.problems] == [
        "site.yaml:3: topics 'Putin' and 'PUTIN' are one name",
        "site.yaml:3: 'Kremlin' is an alias of topic 'Putin' and a topic itself (give each name or alias to one topic)",
        "site.yaml:3: 'Peskov' is an alias of topic 'Kremlin' and of 'Putin' (give each name or alias to one topic)"]


@pytest.mark.parametrize("line, message", [
    ("base_url: https://x.org/news?x=1", "base_url 'https://x.org/news?x=1' is not an absolute http(s) URL"),
    ("base_url: https://x.org/a b/", "base_url 'https://x.org/a b/' is not an absolute http(s) URL"),
    ("base_url: https://x.org/#top", "base_url 'https://x.org/#top' is not an absolute http(s) URL"),
    ("base_url: https://[x/", "base_url 'https://[x/' is not an absolute http(s) URL"),
    ("base_url: https://x.org:99999/", "base_url 'https://x.org:99999/' is not an absolute http(s) URL"),
    ("base_url: https://x.org:abc/", "base_url 'https://x.org:abc/' is not an absolute http(s) URL"),
    ("base_url: https://x.org/%zz/", "base_url 'https://x.org/%zz/' is not an absolute http(s) URL"),
    ("related: {top_k: 100000000000000000000}",
     "site.yaml:2: related.top_k must be at most 1,000,000,000, not 100,000,000,000,000,000,000"),
    ("pagination: {per_page: 9223372036854775807}", "pagination.per_page must be at most 1,000,000,000"),
    ("related: {tags_weight: .nan}", "site.yaml:2: related.tags_weight must be a finite number, not nan"),
    ("related: {window_days: .inf}", "related.window_days must be a finite number, not inf"),
    ("stories: {max_days: .nan}", "stories.max_days must be a finite number, not nan"),
    ("language: not a lang", "language 'not a lang' is not a language tag (for example en or en-GB)"),
    ('theme: ""', "site.yaml:2: theme must be a folder path, not empty"),
    ("output_dir: '  '", "site.yaml:2: output_dir must be a folder path, not empty"),
])
def test_values_that_would_break_every_page_are_refused(tmp_path, line, message):
    text = "title: T\n" + line + "\n" + ("" if line.startswith("base_url") else "base_url: https://x.org/\n")
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, text))
    assert message in str(caught.value)


def test_config_text_loses_forbidden_characters(tmp_path):
    config = load_config(write(tmp_path, 'title: "Bell\\a  and \\uFFFF Digest"\nbase_url: https://x.org/\nlanguage: en-GB\n'))
    assert config.title == "Bell and Digest" and config.language == "en-GB"


def test_an_iri_base_url_is_made_an_ascii_uri(tmp_path):
    # Feeds and sitemaps need URIs: /ñews/ went out raw, and feed validators flagged every link.
    config = load_config(write(tmp_path, "title: T\nbase_url: https://bücher.example/ñews\n"))
    assert config.base_url == "https://xn--bcher-kva.example/%C3%B1ews/"
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org:8080/a%20b/\n"))
    assert config.base_url == "https://x.org:8080/a%20b/"  # ASCII: as typed


def test_paths_are_resolved(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\noutput_dir: site/x/..\n"))
    assert config.output_dir == tmp_path.resolve() / "site"


def test_ingest_settings_default_and_resolve(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\n"))
    assert config.profiles_dir == tmp_path.resolve() / "profiles" and config.duplicate_threshold == 0.8
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\n"
                                         "ingest:\n  profiles: rules/sites\n  duplicate_threshold: 1\n"))
    assert config.profiles_dir == tmp_path.resolve() / "rules" / "sites" and config.duplicate_threshold == 1.0


@pytest.mark.parametrize("value, message", [
    ("0", "site.yaml:3: ingest.duplicate_threshold must be above 0 and at most 1, not 0.0"),
    ("1.5", "site.yaml:3: ingest.duplicate_threshold must be above 0 and at most 1, not 1.5"),
    (".nan", "site.yaml:3: ingest.duplicate_threshold must be a finite number, not nan"),
    ("high", "site.yaml:3: ingest.duplicate_threshold must be a number"),
])
def test_a_bad_duplicate_threshold_is_reported(tmp_path, value, message):
    path = write(tmp_path, f"title: T\nbase_url: https://x.org/\ningest:\n  duplicate_threshold: {value}\n")
    with pytest.raises(DigestError) as caught:
        load_config(path)
    assert [str(p).replace(str(path), "site.yaml") for p in caught.value.problems] == [message]


def test_related_weights_are_read_and_checked(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\nrelated:\n  text_weight: 0\n"
                                         "  window_days: 7\n"))
    assert astuple(config.related_weights) == (1.0, 0.0, 0.02, 7.0)
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\nrelated:\n  tags_weight: -1\n"
                                    "  window_days: 0\n"))
    assert [p.message for p in caught.value.problems] == [
        "related.tags_weight must be at least 0, not -1.0", "related.window_days must be above 0, not 0.0"]


def test_story_settings_and_corpus_topics_are_read_and_checked(tmp_path):
    config = load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\nstories:\n  window_days: 5\n"
                                         "  min_similarity: 0.4\n  max_days: 9\ntags:\n  corpus_topics: false\n"))
    assert astuple(config.stories) == (5.0, 0.4, 9.0) and config.corpus_topics is False
    assert load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\n")).corpus_topics is True
    with pytest.raises(DigestError) as caught:
        load_config(write(tmp_path, "title: T\nbase_url: https://x.org/\nstories:\n  window_days: -1\n"
                                    "  min_similarity: 1.5\n"))
    assert [p.message for p in caught.value.problems] == [
        "stories.window_days must be at least 0, not -1.0",
        "stories.min_similarity must be above 0 and at most 1, not 1.5"]
