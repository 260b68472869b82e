"""Per-source profiles: loading, matching, drop rules and one fixture per failure mode."""

import shutil
from pathlib import Path

import pytest

from generator.errors import DigestError
from generator.ingest.profiles import find_profile, load_profiles

PROFILES = Path(__file__).parent / "fixtures" / "profiles"
INVALID = PROFILES / "invalid"

EXPECTED_ERRORS = {
    "unknown_key.yaml": "unknown_key.yaml:4: unknown key 'colour' (known keys: drop, match, name, source)",
    "bad_pattern.yaml": "bad_pattern.yaml:4: drop pattern '(unclosed' is not a valid regular expression: "
                        "missing ), unterminated subpattern at position 0",
    "no_match.yaml": "no_match.yaml: match needs at least one of hosts, publishers or files "
                     "(otherwise the profile would never apply)",
    "not_mapping.yaml": "not_mapping.yaml:1: a profile must be a mapping with name, match and drop",
    "hosts_not_list.yaml": "hosts_not_list.yaml:2: match.hosts must be a list of non-empty texts",
    "unknown_match_key.yaml": "unknown_match_key.yaml:2: unknown key match.domains (known: files, hosts, publishers)",
    "empty_name.yaml": "empty_name.yaml:1: name must be non-empty text",
    "duplicate_key.yaml": "duplicate_key.yaml:4: duplicate key 'files' (first on line 3)",
}


@pytest.fixture
def harbor():
    (profile,) = load_profiles(PROFILES)
    return profile


def test_a_profile_loads_with_its_fields(harbor):
    assert harbor.name == "Harbor Valley Gazette"
    assert harbor.source == "Harbor Valley Gazette"
    assert harbor.hosts == ("harborvalley.example",)
    assert [p.pattern for p in harbor.drop] == ["^Gazette Plus members read", "fisheries desk is supported by"]


@pytest.mark.parametrize("host, publisher, file_name, expected", [
    ("harborvalley.example", None, "page.txt", True),
    ("www.harborvalley.example", None, "page.txt", True),
    ("news.harborvalley.example", None, "page.txt", True),
    ("notharborvalley.example", None, "page.txt", False),  # a suffix is not a subdomain
    (None, "HARBOR VALLEY GAZETTE", "page.txt", True),
    (None, "Harbor Valley Times", "page.txt", False),
    (None, None, "HVG-2024-06-03.html", True),
    (None, None, "gazette.txt", False),
])
def test_a_profile_matches_by_host_publisher_or_file_name(harbor, host, publisher, file_name, expected):
    assert harbor.matches(host, publisher, file_name) is expected
    assert (find_profile((harbor,), host, publisher, file_name) is harbor) is expected


def test_drop_rules_name_the_profile_and_pattern(harbor):
    assert harbor.drop_reason("GAZETTE PLUS MEMBERS READ without ads") == \
        "profile harbor_valley.yaml: matches '^Gazette Plus members read'"
    assert harbor.drop_reason("The Gazette Plus members read it first.") is None  # anchored at the start


def test_a_missing_profiles_folder_means_no_profiles(tmp_path):
    assert load_profiles(tmp_path / "profiles") == ()


@pytest.mark.parametrize("name", sorted(EXPECTED_ERRORS))
def test_each_bad_profile_is_reported_with_file_and_line(tmp_path, name):
    shutil.copy(INVALID / name, tmp_path / name)
    with pytest.raises(DigestError) as caught:
        load_profiles(tmp_path)
    assert [str(p) for p in caught.value.problems] == [f"{tmp_path}/{EXPECTED_ERRORS[name]}"]


def test_every_invalid_fixture_has_an_expected_error():
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(EXPECTED_ERRORS)


def test_all_bad_profiles_are_reported_at_once(tmp_path):
    for name in ("unknown_key.yaml", "no_match.yaml"):
        shutil.copy(INVALID / name, tmp_path / name)
    with pytest.raises(DigestError) as caught:
        load_profiles(tmp_path)
    assert len(caught.value.problems) == 2
