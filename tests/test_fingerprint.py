"""The unchanged-build shortcut: taken only when neither the inputs nor the output changed."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from generator.cli import main
from generator.fingerprint import CACHE_DIR, OUTPUT_CACHE_PREFIX, RECORD
from tests.conftest import article_text, site_tree

GOOD = {"one.md": article_text("First story", "Text one.", date="2024-03-30", tags=["Harbour"]),
        "two.md": article_text("Second story", "Text two.", date="2024-03-29", tags=["Harbour", "Council"])}
SHORTCUT = "nothing changed since the last build"


def build(config, capsys, *args):
    capsys.readouterr()
    assert main(["--config", str(config), "build", *args]) == 0
    return capsys.readouterr().out


def later(path):
    """Give a file a modification time clearly after its last one."""
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


def test_a_build_with_nothing_changed_writes_nothing(make_site, capsys):
    from generator.config import load_config
    from generator.fingerprint import output_fingerprint, read_record

    config = make_site(GOOD)
    build(config, capsys)
    site = config.parent / "site"
    record = read_record(load_config(config))
    # The record lists exactly what is in the folder, and its output hash, made from what the
    # build wrote, is that of the folder as it is.
    assert set(record.files) == {p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_file()}
    assert set(record.folders) == {"", *(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())}
    assert record.output == output_fingerprint(site, record.files, record.folders, record.settled_ns)
    # Taken after the last file was written: no folder changed later.
    assert record.settled_ns >= max(p.stat().st_mtime_ns for p in [site, *site.rglob("*")] if p.is_dir())
    before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}
    out = build(config, capsys)
    assert SHORTCUT in out and "0 of" in out and "files changed" in out
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == before


def test_a_site_holds_as_recorded_with_its_file_records_only_when_each_is_as_the_record_gives(make_site, capsys):
    import dataclasses

    from generator.build_cache import read_file_records
    from generator.config import load_config
    from generator.fingerprint import holds_as_recorded, read_record

    config = make_site(GOOD)
    build(config, capsys)
    loaded = load_config(config)
    site, record, records = config.parent / "site", read_record(loaded), read_file_records(loaded)
    assert holds_as_recorded(site, record, records)
    name = "index.html"
    unlike = {**records, name: dataclasses.replace(records[name], size=records[name].size + 1)}
    assert holds_as_recorded(site, record) and not holds_as_recorded(site, record, unlike)
    assert not holds_as_recorded(site, record, {k: v for k, v in records.items() if k != name})  # one missing
    assert not holds_as_recorded(site, record, {**records, "other.html": records[name]})  # one more
    page = site / name
    stat = page.stat()
    os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # changed in place: its folder keeps its time
    assert not holds_as_recorded(site, record, records)


def test_a_copy_with_the_same_names_and_times_is_not_the_recorded_site(make_site, capsys):
    import shutil

    from generator.config import load_config
    from generator.fingerprint import holds_as_recorded, output_fingerprint, read_record

    config = make_site(GOOD)
    build(config, capsys)
    site, copy = config.parent / "site", config.parent / "copy"
    record = read_record(load_config(config))
    shutil.copytree(site, copy)  # files and folders keep their sizes and times
    assert output_fingerprint(copy, record.files, record.folders, record.settled_ns) == record.output
    assert holds_as_recorded(site, record) and not holds_as_recorded(copy, record)
    site.rename(config.parent / "old")
    copy.rename(site)
    assert SHORTCUT not in build(config, capsys)


def edit_article(root):
    path = root / "content" / "articles" / "one.md"
    path.write_text(path.read_text().replace("Text one.", "Text one, edited."))
    later(path)


def add_article(root):
    (root / "content" / "articles" / "three.md").write_text(article_text("Third story", "Text three."))


def touch_article(root):
    later(root / "content" / "articles" / "two.md")


def change_config(root):
    path = root / "site.yaml"
    path.write_text(path.read_text() + "\nsearch: false\n")


def add_template(root):
    (root / "templates").mkdir()
    (root / "templates" / "404.html").write_text("<!doctype html><title>gone</title>\n")


def delete_output_file(root):
    (root / "site" / "articles" / "first-story" / "index.html").unlink()


def edit_output_file(root):
    path = root / "site" / "index.html"
    path.write_text(path.read_text() + "<!-- edited -->")
    later(path)


def add_output_file(root):
    # A folder's time changes with every entry added to it; bumped here as well, so that the
    # test does not rely on the file system's clock ticking between the build and this.
    folder = root / "site" / "articles" / "first-story"
    (folder / "stray.html").write_text("<!doctype html><title>stray</title>\n")
    later(folder)


def replace_output_file_with_folder(root):
    path = root / "site" / "articles" / "first-story" / "index.html"
    path.unlink()
    path.mkdir()


def set_source_date(root):
    os.environ["SOURCE_DATE_EPOCH"] = "1711800000"


@pytest.mark.parametrize("change", [edit_article, add_article, touch_article, change_config, add_template,
                                    delete_output_file, edit_output_file, add_output_file,
                                    replace_output_file_with_folder, set_source_date])
def test_any_change_to_inputs_or_output_builds_again(make_site, capsys, monkeypatch, change):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    config = make_site(GOOD)
    build(config, capsys)
    change(config.parent)
    out = build(config, capsys)
    assert SHORTCUT not in out and " rendered), " in out
    assert SHORTCUT in build(config, capsys)  # and the new build is the one recorded
    assert (config.parent / "site" / "articles" / "first-story" / "index.html").is_file()
    assert "<!-- edited -->" not in (config.parent / "site" / "index.html").read_text()
    assert not (config.parent / "site" / "articles" / "first-story" / "stray.html").exists()


def test_an_article_or_the_text_model_written_back_to_its_old_size_and_time_is_another_input(make_site):
    import time

    from generator.config import load_config
    from generator.fingerprint import input_fingerprint

    config = load_config(make_site(GOOD))
    config.text_model_file.write_bytes(b"model one")
    before = input_fingerprint(config)
    for path in (config.content_dir / "one.md", config.text_model_file):
        found, data = path.stat(), path.read_bytes()
        time.sleep(0.05)  # past the tick of the file system's clock it was written in
        path.write_bytes(data.swapcase())
        os.utime(path, ns=(found.st_atime_ns, found.st_mtime_ns))
        assert (path.stat().st_size, path.stat().st_mtime_ns) == (found.st_size, found.st_mtime_ns)
        after = input_fingerprint(config)
        assert after != before, path.name  # its change time tells
        before = after


@pytest.mark.parametrize("record", ["not json", "[]", json.dumps({"version": 99}),
                                    json.dumps({"version": 2, "inputs": 5, "output": "x", "report": {
                                        "articles": 2, "tags": 2, "files": 1, "bytes": 1}}),
                                    json.dumps({"version": 2, "inputs": "x", "output": "x", "report": {
                                        "articles": "2", "tags": 2, "files": 1, "bytes": 1}})])
def test_a_corrupt_or_foreign_record_is_never_trusted(make_site, capsys, record):
    config = make_site(GOOD)
    build(config, capsys)
    (next((config.parent / CACHE_DIR).glob(OUTPUT_CACHE_PREFIX + "*")) / RECORD).write_text(record)
    assert SHORTCUT not in build(config, capsys)
    assert SHORTCUT in build(config, capsys)


@pytest.mark.parametrize("field, value", [("files", "abc"), ("folders", [1]), ("files", None), ("version", 5),
                                          ("folders", ["a\0b"]), ("settled_ns", "1"), ("folder_id", [1]),
                                          ("folder_id", None), ("files", ["../outside.html"]),
                                          ("folders", ["", "/etc"]), ("files", ["a//b.html"])])
def test_a_record_with_one_field_spoiled_is_never_trusted(make_site, capsys, field, value):
    from generator.config import load_config
    from generator.fingerprint import read_record

    config = make_site(GOOD)
    build(config, capsys)
    path = next((config.parent / CACHE_DIR).glob(OUTPUT_CACHE_PREFIX + "*")) / RECORD
    record = json.loads(path.read_text())
    record[field] = value
    path.write_text(json.dumps(record))
    assert read_record(load_config(config)) is None
    assert SHORTCUT not in build(config, capsys)


def test_clean_builds_in_full_and_the_same_bytes(make_site, capsys):
    config = make_site(GOOD)
    build(config, capsys)
    first = site_tree(config.parent / "site")
    assert SHORTCUT not in build(config, capsys, "--clean")
    assert site_tree(config.parent / "site") == first


def test_a_failed_build_leaves_the_record_of_the_last_good_one(make_site, capsys):
    config = make_site(GOOD)
    build(config, capsys)
    broken = config.parent / "content" / "articles" / "broken.md"
    broken.write_text("---\ntitle: [unclosed\n---\nBody\n")
    assert main(["--config", str(config), "build"]) == 1
    broken.unlink()
    assert SHORTCUT in build(config, capsys)  # the inputs are those of the last good build again


def test_an_article_linked_from_elsewhere_counts_by_its_target(make_site, capsys, tmp_path_factory):
    outside = tmp_path_factory.mktemp("elsewhere") / "linked.md"
    outside.write_text(article_text("Linked story", "Text linked.", date="2024-03-28"))
    config = make_site(GOOD)
    (config.parent / "content" / "articles" / "linked.md").symlink_to(outside)
    build(config, capsys)
    outside.write_text(article_text("Linked story", "Text linked, and edited.", date="2024-03-28"))
    assert SHORTCUT not in build(config, capsys)
    assert "and edited" in (config.parent / "site" / "articles" / "linked-story" / "index.html").read_text()


def test_a_static_file_in_a_linked_folder_counts(make_site, capsys, tmp_path_factory):
    shared = tmp_path_factory.mktemp("shared")
    (shared / "logo.svg").write_text("<svg/>")
    config = make_site(GOOD)
    (config.parent / "static").mkdir()
    (config.parent / "static" / "img").symlink_to(shared)
    build(config, capsys)
    (shared / "logo.svg").write_text("<svg></svg>")
    later(shared / "logo.svg")
    assert SHORTCUT not in build(config, capsys)
    assert [p.read_text() for p in (config.parent / "site" / "static" / "img").glob("logo.*.svg")] == ["<svg></svg>"]


def test_an_editors_swap_file_changes_nothing(make_site, capsys):
    config = make_site(GOOD)
    (config.parent / "templates").mkdir()
    build(config, capsys)
    (config.parent / "templates" / ".tags.html.swp").write_bytes(b"b0VIM")
    (config.parent / "content" / "articles" / "one.md~").write_text("old")
    assert SHORTCUT in build(config, capsys)


def test_a_folder_changed_in_the_tick_a_build_published_is_judged_by_its_names(tmp_path):
    from generator.fingerprint import output_fingerprint

    site = tmp_path / "site"
    folder = site / "a"
    folder.mkdir(parents=True)
    (folder / "index.html").write_text("page")
    changed = folder.stat().st_mtime_ns

    def fingerprint(settled_ns):
        return output_fingerprint(site, ["a/index.html"], ["", "a"], settled_ns)

    in_that_tick, before_it = fingerprint(changed), fingerprint(changed + 1)
    (folder / "stray.html").write_text("stray")
    os.utime(folder, ns=(changed, changed))  # added within the same tick of the clock: the time stays
    assert fingerprint(changed) != in_that_tick  # changed as the build published: its names count
    assert fingerprint(changed + 1) == before_it  # changed a tick before: its time stands for its names


def test_installed_versions_are_those_importlib_metadata_finds(tmp_path, monkeypatch):
    from importlib import metadata

    from generator.fingerprint import _OUTPUT_LIBRARIES, installed_versions

    found = installed_versions([*_OUTPUT_LIBRARIES, "no-such-distribution"])
    assert found == {name: metadata.version(name) for name in _OUTPUT_LIBRARIES}
    # Installs of other kinds: a wheel's metadata named as the project spells itself, a legacy
    # egg-info with the Python version in its name, and one without a version in its name.
    for folder, metadata_file, name, version in [("PyYAML-6.0.1.dist-info", "METADATA", "PyYAML", "6.0.1"),
                                                 ("MarkupSafe-2.1.5-py3.11.egg-info", "PKG-INFO", "MarkupSafe", "2.1.5"),
                                                 ("Jinja2.egg-info", "PKG-INFO", "Jinja2", "3.1.2")]:
        (tmp_path / folder).mkdir()
        (tmp_path / folder / metadata_file).write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    wanted = ["pyyaml", "MarkupSafe", "jinja2"]
    expected = {dist.metadata["Name"]: dist.version for dist in metadata.distributions(path=[str(tmp_path)])}
    assert installed_versions(wanted) == {"pyyaml": expected["PyYAML"], "MarkupSafe": expected["MarkupSafe"],
                                          "jinja2": expected["Jinja2"]}


@pytest.fixture
def new_process():
    """Call to have the code, libraries and Python taken afresh, as a process started now takes
    them (one process keeps what it loaded); and taken afresh again after the test."""
    from generator.fingerprint import loaded_code

    yield loaded_code.cache_clear
    loaded_code.cache_clear()


def test_an_upgraded_library_builds_again(make_site, capsys, monkeypatch, new_process):
    config = make_site(GOOD)
    build(config, capsys)
    from generator import fingerprint

    installed = fingerprint.installed_versions
    monkeypatch.setattr(fingerprint, "installed_versions",
                        lambda names: {**installed(names), "jinja2": "99.0"})
    new_process()
    assert SHORTCUT not in build(config, capsys)


@pytest.mark.parametrize("attribute, value", [("version", "3.99.0 (another build)"),
                                               ("unidata_version", "99.0.0")])
def test_another_python_builds_again(make_site, capsys, monkeypatch, new_process, attribute, value):
    # unicodedata and re shape slugs, cleaned text and words: another Python may make other pages.
    config = make_site(GOOD)
    build(config, capsys)
    import unicodedata
    monkeypatch.setattr(sys if attribute == "version" else unicodedata, attribute, value)
    new_process()
    assert SHORTCUT not in build(config, capsys)
    assert SHORTCUT in build(config, capsys)


def test_the_same_site_yaml_named_another_way_is_the_same_build(make_site, capsys, monkeypatch):
    # An editor builds from the site's folder, a cron job with the full path: one site, one cache.
    config = make_site(GOOD)
    build(config, capsys)  # by its absolute path
    monkeypatch.chdir(config.parent)
    assert SHORTCUT in build("site.yaml", capsys)
    monkeypatch.chdir(config.parent / "content")
    assert SHORTCUT in build(os.path.join("..", "site.yaml"), capsys)


@pytest.fixture
def zone_folder(tmp_path):
    """Point zoneinfo at a time zone database of the test's own (a folder), as an update of the
    system's would; restored, with no zone read from it left cached, afterwards."""
    import zoneinfo

    def use(rules_of_utc: bytes):
        folder = tmp_path / f"zones-{len(list(tmp_path.iterdir()))}"  # a new folder each time
        folder.mkdir()
        (folder / "UTC").write_bytes(rules_of_utc)
        zoneinfo.reset_tzpath([str(folder)])
        zoneinfo.ZoneInfo.clear_cache()
    yield use
    zoneinfo.reset_tzpath()
    zoneinfo.ZoneInfo.clear_cache()


def test_new_time_zone_rules_build_again(make_site, capsys, zone_folder):
    # An update of the time zone database can move the day an undated-zone article falls on.
    from generator.fingerprint import zone_rules

    utc, moscow = zone_rules("UTC"), zone_rules("Europe/Moscow")
    assert utc.startswith(b"TZif") and moscow.startswith(b"TZif") and utc != moscow
    zone_folder(utc)
    config = make_site(GOOD)  # timezone: UTC
    build(config, capsys)
    assert SHORTCUT in build(config, capsys)
    zone_folder(moscow)  # "UTC" now has other rules
    assert SHORTCUT not in build(config, capsys)
    assert SHORTCUT in build(config, capsys)


FINGERPRINTS = """
import sys
from pathlib import Path
from generator.config import load_config
from generator.fingerprint import environment_fingerprint
config = load_config(Path(sys.argv[1]))
print(environment_fingerprint(config))
if len(sys.argv) > 2:  # digest upgraded on disk (as by pip or git) while this process runs
    from tests.conftest import upgrade
    upgrade(Path(sys.argv[2]))
    print(environment_fingerprint(config))
"""


def test_a_process_counts_the_code_it_loaded_not_what_its_files_became(make_site, installed_copy, tmp_path):
    # digest serve, or a Dask worker, keeps running the code it loaded when its files change:
    # recording the new code's fingerprint would vouch for pages the old code made.
    config = make_site(GOOD)
    folder = installed_copy()

    def fingerprints(*args):
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(folder), str(Path(__file__).parents[1])])}
        result = subprocess.run([sys.executable, "-c", FINGERPRINTS, str(config), *args], env=env, cwd=tmp_path,
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    before, after = fingerprints(str(folder))
    assert after == before  # the process still runs the code it loaded
    [fresh] = fingerprints()
    assert fresh != before  # a process started now loads the upgrade, and says so
    assert fingerprints() == [fresh]  # each process alike: the same code is the same fingerprint


def test_an_input_is_fingerprinted_by_every_field_of_its_identity_in_order(tmp_path):
    # _input_entry formats the fields itself (for speed): it must stay what the build cache trusts.
    from generator.content_files import FileIdentity
    from generator.fingerprint import _input_entry

    article = tmp_path / "a.md"
    article.write_text("x", encoding="utf-8")
    found = os.stat(article)
    assert _input_entry("a.md", found) == "\0".join(("a.md", *map(str, FileIdentity.of(found))))
    assert len(FileIdentity._fields) == _input_entry("a.md", found).count("\0")
