"""Incremental builds: the article cache, page keys and the reused spare site give the same
bytes as a clean build, render and write only what changed, and never trust a bad cache."""

import json
import os
import random
import time
import re
import shutil
import struct
import tempfile
import zipfile
from pathlib import Path

import numpy as np
import pytest
import yaml

from generator import load, pipeline
from generator.array_stores import SEARCH_TERMS, TERM_COUNTS
from generator.build_cache import ARTICLE_FILES, ARTICLES, FILES, SPARE, SPARE_FILES
from generator.cli import main
from generator.fingerprint import CACHE_DIR, OUTPUT_CACHE_PREFIX, RECORD, SPARE_RECORD
from tests.conftest import article_text, site_tree, subject_corpus

SUMMARY = re.compile(r"(\d+) pages \((\d+) rendered\), \d+ feeds, (\d+) files \((\d+) changed")


def corpus(count=12):
    docs, subjects = subject_corpus(count, 3)
    return {f"a{n:02}.md": article_text(title.title(), body, date=f"2024-03-{n + 1:02}",
                                        tags=[subjects[n].title(), "Digest"])
            for n, (title, body) in enumerate(docs)}


def build(config, capsys, *args):
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--jobs", "1", *args]) == 0
    out = capsys.readouterr().out
    found = SUMMARY.search(out)
    return {"pages": int(found[1]), "rendered": int(found[2]), "files": int(found[3]), "changed": int(found[4])}


def clean_build(config, capsys, tmp_path):
    """The same project copied elsewhere and built from nothing: what an incremental build must equal."""
    return site_tree(clean_site(config, capsys, tmp_path))


def clean_site(config, capsys, tmp_path):
    """The folder of ``clean_build``'s site."""
    copy = Path(tempfile.mkdtemp(dir=tmp_path.parent))
    for name in ("site.yaml", "content", "templates"):
        if (config.parent / name).exists():
            shutil.copytree(config.parent / name, copy / name) if (config.parent / name).is_dir() \
                else shutil.copy(config.parent / name, copy / name)
    capsys.readouterr()
    assert main(["--config", str(copy / "site.yaml"), "build", "--jobs", "1"]) == 0
    return copy / "site"


def folders(site):
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*") if p.is_dir())


def edit(path, old, new):
    path.write_text(path.read_text().replace(old, new))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))


@pytest.fixture
def settled(monkeypatch):
    """Builds that list the articles an hour after now: every file as written then has settled
    (``FileIdentity.settled``), and its identity is kept for the next build."""
    monkeypatch.setattr(load, "time_ns", lambda: time.time_ns() + 3600 * 10**9)


@pytest.fixture
def reads(monkeypatch):
    """The names of the article files a build reads to load them (not to render their pages)."""
    names = []
    real = pipeline.read_bytes
    monkeypatch.setattr(pipeline, "read_bytes", lambda path: names.append(path.name) or real(path))
    return names


def test_a_rebuild_reads_only_the_article_files_whose_identity_changed(make_site, capsys, tmp_path, settled, reads):
    config = make_site(corpus(6))
    folder = config.parent / "content" / "articles"
    build(config, capsys)
    reads.clear()
    edit(folder / "a02.md", "title: ", "title: Once ")
    build(config, capsys)
    assert set(reads) == {"a02.md"}
    # Rewritten in place to its old size and modification time: its change time still tells.
    path = folder / "a04.md"
    before, text = path.stat(), path.read_text()
    title = re.search(r"^title: (.+)$", text, re.M)[1]
    path.write_text(text.replace(f"title: {title}", f"title: {title.upper()}"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_ino, after.st_mtime_ns) == (before.st_size, before.st_ino, before.st_mtime_ns)
    reads.clear()
    build(config, capsys)
    assert set(reads) == {"a04.md"}
    assert title.upper() in (config.parent / "site" / "index.html").read_text()
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)


def test_files_changed_within_the_settling_time_are_read_by_every_build(make_site, capsys, reads):
    config = make_site(corpus(4))
    build(config, capsys)
    assert json.loads((config.parent / CACHE_DIR / ARTICLE_FILES).read_text())["files"] == {}
    reads.clear()
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: Once ")
    build(config, capsys)
    assert sorted(reads) == ["a00.md", "a01.md", "a01.md", "a02.md", "a03.md"]  # the edited one to load it too


def test_a_settings_change_reads_every_article_file_again(make_site, capsys, settled, reads):
    config = make_site(corpus(4))
    build(config, capsys)
    config.write_text(config.read_text().replace("title:", "title: Renamed", 1))
    reads.clear()
    build(config, capsys)
    assert sorted(set(reads)) == ["a00.md", "a01.md", "a02.md", "a03.md"]


def test_an_edit_renders_and_writes_only_what_changed_and_equals_a_clean_build(make_site, capsys, tmp_path):
    config = make_site(corpus())
    first = build(config, capsys)
    assert first["rendered"] == first["pages"] and first["changed"] == first["files"]
    site = config.parent / "site"
    before = site_tree(site)
    inode = {path: os.stat(site / path).st_ino for path in before}
    edit(config.parent / "content" / "articles" / "a03.md", "title: ", "title: Corrected ")
    again = build(config, capsys)
    assert 0 < again["rendered"] < again["pages"] / 2
    after = site_tree(site)
    changed = differ(before, after)
    assert 0 < again["changed"] == len(changed) < again["files"] / 2
    untouched = {path for path in after if os.stat(site / path).st_ino == inode.get(path)}
    assert untouched == after.keys() - changed  # the others are the same files, linked
    assert after == clean_build(config, capsys, tmp_path)


def test_a_rebuild_compiles_no_template_and_a_clean_build_each_one_it_renders_with(make_site, capsys, monkeypatch):
    import jinja2

    config = make_site(corpus(4))
    build(config, capsys)
    compiled = []
    original = jinja2.Environment.compile
    monkeypatch.setattr(jinja2.Environment, "compile", lambda self, source, name=None, *args, **kwargs:
                        compiled.append(name) or original(self, source, name, *args, **kwargs))
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: Corrected ")
    assert build(config, capsys)["rendered"] > 0
    assert compiled == []  # as the first build compiled them
    build(config, capsys, "--clean")
    assert {"article.html", "base.html", "tag.html", "sitemap.xml"} <= set(compiled)


def test_random_edits_always_equal_a_clean_build(make_site, capsys, tmp_path):
    config = make_site(corpus(10))
    folder = config.parent / "content" / "articles"
    rng = random.Random(7)
    build(config, capsys)
    for step in range(6):
        names = sorted(p.name for p in folder.iterdir())
        action = rng.choice(["title", "body", "tags", "add", "delete"])
        name = rng.choice(names)
        if action == "title":
            edit(folder / name, "title: ", f"title: Step {step} ")
        elif action == "body":
            edit(folder / name, "\n---\n", f"\n---\nA new first paragraph at step {step}.\n\n")
        elif action == "tags":
            edit(folder / name, "- Digest", "- Harbour")
        elif action == "add":
            (folder / f"new{step}.md").write_text(article_text(f"New story {step}", "Fresh words here.",
                                                               date="2024-04-01", tags=["Digest"]))
        elif len(names) > 3:
            (folder / name).unlink()
        build(config, capsys)
        assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path / str(step)), action


def test_the_folders_of_removed_pages_go_from_the_reused_spare(make_site, capsys, tmp_path):
    config = make_site(corpus(6))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, and the next build updates it
    (folder / "a03.md").unlink()
    edit(folder / "a02.md", "title: ", "title: Twice ")
    build(config, capsys)
    clean = clean_site(config, capsys, tmp_path)
    assert not any("a03" in name for name in folders(site))
    assert folders(site) == folders(clean) and site_tree(site) == site_tree(clean)


@pytest.mark.parametrize("links_reported", ["as they are", "always one (as sshfs reports them)"])
def test_the_spare_is_overwritten_in_place_only_where_the_published_site_shares_nothing(make_site, capsys,
                                                                                         tmp_path, monkeypatch,
                                                                                         links_reported):
    from generator import write

    if links_reported != "as they are":
        monkeypatch.setattr(write, "_links", lambda found: 1)
    config = make_site(corpus(8))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    spare = site_records(config.parent / CACHE_DIR) / SPARE
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now: the next build updates it, then swaps it in
    published = site_tree(site)
    # Held open, the spare's files keep their inodes: a file replaced gets another one.
    handles = {path: os.open(spare / path, os.O_RDONLY) for path in site_tree(spare)}
    try:
        before = {path: os.fstat(handle) for path, handle in handles.items()}
        edit(folder / "a01.md", "title: Once ", "title: ")  # as the spare has it again
        # a05's page the last build linked from the site before: shared, so replaced. The
        # "Digest" topic's pages list a01 too, so it wrote them anew: the spare's own, so
        # overwritten in place, and shorter than the spare's.
        title = re.search(r"^title: .*$", (folder / "a05.md").read_text(), re.MULTILINE)[0]
        edit(folder / "a05.md", title, "title: Ab")
        again = build(config, capsys)
        after = site_tree(site)
        written = [path for path in after if path not in before or os.stat(site / path).st_mtime_ns
                   != before[path].st_mtime_ns or os.stat(site / path).st_ino != before[path].st_ino]
        in_place = [path for path in written if path in before and os.stat(site / path).st_ino == before[path].st_ino]
    finally:
        for handle in handles.values():
            os.close(handle)
    assert len(written) > len(in_place) > 0
    # The summary counts files unlike the site published before, written or kept from the spare.
    assert again["changed"] == len(differ(published, after)) > len(written)
    # Only files no other path shared were written through: the site published during that
    # build, the spare now, is exactly as it was.
    assert all(before[path].st_nlink == 1 for path in in_place)
    assert site_tree(spare) == published
    assert after == clean_build(config, capsys, tmp_path)


def differ(before, after):
    """The files one site tree adds, changes or removes against another."""
    return {path for path in before.keys() | after.keys() if before.get(path) != after.get(path)}


def test_undoing_an_edit_reports_the_files_it_changes_back(make_site, capsys):
    config = make_site(corpus(6))
    site = config.parent / "site"
    build(config, capsys)
    original = site_tree(site)
    edit(config.parent / "content" / "articles" / "a02.md", "title: ", "title: Briefly ")
    edited = build(config, capsys)
    changed = site_tree(site)
    assert edited["changed"] == len(differ(original, changed)) > 0
    edit(config.parent / "content" / "articles" / "a02.md", "title: Briefly ", "title: ")
    # The spare still holds the first site: it is published again without writing a file, and
    # the summary says how many files that changed back, not how many were written.
    undone = build(config, capsys)
    assert site_tree(site) == original
    assert undone["changed"] == len(differ(changed, original)) == edited["changed"]


def test_the_published_sites_records_are_moved_to_the_spare_not_written_again(make_site, capsys):
    config = make_site(corpus(4))
    folder = config.parent / "content" / "articles"
    build(config, capsys)
    records = site_records(config.parent / CACHE_DIR)
    published = (records / FILES).read_bytes()
    first = os.stat(records / FILES)
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, and so are its records
    moved = os.stat(records / SPARE_FILES)
    assert (moved.st_ino, moved.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert (records / SPARE_FILES).read_bytes() == published
    assert os.stat(records / FILES).st_ino != first.st_ino  # this build's own, written anew
    # and the spare's records still tell the spare: its files are each as recorded.
    spare = records / SPARE
    spare_records = json.loads((records / SPARE_FILES).read_text())["files"]
    assert spare_records and all(os.stat(spare / name).st_size == size
                                 for name, (_, _, size, _) in spare_records.items())


def test_published_records_that_cannot_be_read_are_none_for_the_spare_either(make_site, capsys, tmp_path):
    from generator.build_cache import read_file_records
    from generator.config import load_config

    config = make_site(corpus(4))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    records = site_records(config.parent / CACHE_DIR)
    (records / FILES).write_text('{"version": 1, "files": ')  # cut short
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # no file of the published site trusted; it is the spare now
    assert read_file_records(load_config(config), SPARE_FILES) is None
    assert read_file_records(load_config(config)) is not None  # this build's own
    edit(folder / "a02.md", "title: ", "title: Twice ")
    build(config, capsys)  # the spare, without records, has every file replaced
    assert site_tree(site) == clean_build(config, capsys, tmp_path)


def test_the_spare_is_not_listed_while_it_holds_what_its_record_says(make_site, capsys, tmp_path, monkeypatch):
    from generator import write

    listed = []
    survey = write._survey
    monkeypatch.setattr(write, "_survey", lambda folder: listed.append(folder) or survey(folder))
    config = make_site(corpus(6))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    spare = site_records(config.parent / CACHE_DIR) / SPARE
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, and its build's record the spare's
    (folder / "a03.md").unlink()  # its page's folder goes from the spare too
    edit(folder / "a02.md", "title: ", "title: Twice ")
    build(config, capsys)
    assert listed == []
    clean = clean_site(config, capsys, tmp_path / "first")
    assert folders(site) == folders(clean) and site_tree(site) == site_tree(clean)
    # A stray deep in the spare changes its folder, unlike the record: the spare is listed, and
    # the stray goes.
    page = next(path for path in sorted((spare / "articles").iterdir()) if path.is_dir())
    (page / "stray.html").write_text("stray")
    edit(folder / "a04.md", "title: ", "title: Thrice ")
    build(config, capsys)
    assert listed == [spare]
    assert site_tree(site) == clean_build(config, capsys, tmp_path / "second")


def test_a_build_that_could_not_record_itself_leaves_the_spare_no_record(make_site, capsys, tmp_path, monkeypatch):
    from generator import pipeline, write

    listed = []
    survey = write._survey
    monkeypatch.setattr(write, "_survey", lambda folder: listed.append(folder) or survey(folder))
    config = make_site(corpus(7))
    folder, site, cache = config.parent / "content" / "articles", config.parent / "site", config.parent / CACHE_DIR

    def edit_and_build(name):
        edit(folder / name, "title: ", f"title: {name} ")
        build(config, capsys)
        assert site_tree(site) == clean_build(config, capsys, tmp_path / name)

    build(config, capsys)
    edit_and_build("a01.md")
    edit_and_build("a02.md")  # the spare, with its build's record, is updated in place
    assert listed == []

    def cache_full(*args):
        raise OSError(28, "No space left on device")
    with monkeypatch.context() as patched:
        patched.setattr(pipeline, "write_article_cache", cache_full)
        edit_and_build("a03.md")  # published, and not recorded: the records are the last build's
    assert not (site_records(cache) / SPARE_RECORD).exists()
    edit_and_build("a04.md")  # so the spare has no record, and is listed
    # The last record, from two builds before, describes the site this build retired no more
    # than the one it published: the spare it keeps is not that record's folder, and is listed.
    edit_and_build("a05.md")
    assert listed == [site_records(cache) / SPARE] * 2
    edit_and_build("a06.md")  # and records are whole again
    assert listed == [site_records(cache) / SPARE] * 2


def test_a_spare_checked_whole_as_recorded_has_no_file_checked_again(make_site, capsys, tmp_path, monkeypatch):
    from generator import write

    config = make_site(corpus(6))
    folder, site, cache = config.parent / "content" / "articles", config.parent / "site", config.parent / CACHE_DIR
    build(config, capsys)
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, with its record
    checked = []
    intact = write._intact
    monkeypatch.setattr(write, "_intact", lambda where, path, record: checked.append(where) or intact(where, path,
                                                                                                        record))
    edit(folder / "a02.md", "title: ", "title: Twice ")
    build(config, capsys)
    spare = site_records(cache) / SPARE
    assert spare not in checked and site_tree(site) == clean_build(config, capsys, tmp_path / "first")
    # A page of the spare changed in place (its folder keeps its time): each file is checked again.
    page = spare / "index.html"
    page.write_bytes(page.read_bytes().replace(b"<title>", b"<title>Tampered "))
    edit(folder / "a03.md", "title: ", "title: Thrice ")
    build(config, capsys)
    assert checked.count(spare) > 10 and site_tree(site) == clean_build(config, capsys, tmp_path / "second")


def test_the_folders_a_build_leaves_alone_in_the_spare_are_recorded_as_checked(make_site, capsys, tmp_path,
                                                                              monkeypatch):
    from generator import fingerprint, write
    from generator.config import load_config
    from generator.fingerprint import holds_as_recorded, read_record

    # The spare checked an hour on: every folder of it has settled (``held_folder_times``).
    monkeypatch.setattr(fingerprint, "time_ns", lambda: time.time_ns() + 3600 * 10**9)
    timed = []
    folder_times = write.folder_times
    monkeypatch.setattr(write, "folder_times", lambda root, names: timed.append(list(names)) or folder_times(root,
                                                                                                            names))
    config = make_site(corpus(8))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, with its record
    changes = {
        "a body edited": lambda: edit(folder / "a02.md", "\n---\n", "\n---\nA new first paragraph.\n\n"),
        "an article added, with a tag of its own": lambda: (folder / "new.md").write_text(
            article_text("A new story", "Fresh words here.", date="2024-04-01", tags=["Harbour"])),
        "an article removed": lambda: (folder / "a03.md").unlink(),
        "a title edited": lambda: edit(folder / "a04.md", "title: ", "title: Twice "),
        # Files go from folders that stay: the site's, each topic's.
        "the Atom feeds switched off": lambda: config.write_text(
            yaml.safe_dump({**yaml.safe_load(config.read_text()), "feeds": {"formats": ["rss"]}})),
    }
    for what, change in changes.items():
        change()
        timed.clear()
        build(config, capsys)
        record = read_record(load_config(config))
        # Only the folders it may have changed were timed as it published; the others keep the
        # times the spare's check found, and the record holds for every one of them.
        assert "static" in record.folders and "static" not in timed[-1], what
        assert len(timed[-1]) < len(record.folders) and holds_as_recorded(site, record), what
        assert site_tree(site) == clean_build(config, capsys, tmp_path / what.replace(" ", "-"))
    # Checked within the tick its static folder last changed in, the spare's folder could change
    # again and keep its time: it is timed again.
    spare = site_records(config.parent / CACHE_DIR) / SPARE
    monkeypatch.setattr(fingerprint, "time_ns", lambda: os.stat(spare / "static").st_mtime_ns)
    edit(folder / "a05.md", "title: ", "title: Thrice ")
    build(config, capsys)
    record = read_record(load_config(config))
    assert "static" in timed[-1] and holds_as_recorded(site, record)


def test_a_folder_the_spare_changes_in_after_its_check_is_not_recorded_as_published(make_site, capsys, tmp_path,
                                                                                   monkeypatch):
    from generator import fingerprint
    from generator import spare as spare_module
    from generator.config import load_config
    from generator.fingerprint import holds_as_recorded, read_record

    monkeypatch.setattr(fingerprint, "time_ns", lambda: time.time_ns() + 3600 * 10**9)  # every folder settled
    config = make_site(corpus(6))
    folder, site = config.parent / "content" / "articles", config.parent / "site"
    build(config, capsys)
    edit(folder / "a01.md", "title: ", "title: Once ")
    build(config, capsys)  # the first site is the spare now, with its record
    held = spare_module.held_folder_times

    def checked_then_changed(spare, *args):
        times = held(spare, *args)
        (spare / "static" / "stray.txt").write_text("stray")  # a folder this build leaves alone
        return times
    with monkeypatch.context() as patched:
        patched.setattr(spare_module, "held_folder_times", checked_then_changed)
        edit(folder / "a02.md", "title: ", "title: Twice ")
        build(config, capsys)
    # The record gives the folder as checked, not as it is now: the site is not taken as built.
    assert (site / "static" / "stray.txt").exists()
    assert not holds_as_recorded(site, read_record(load_config(config)))
    build(config, capsys)  # built again (a summary of pages), not "nothing changed"
    edit(folder / "a03.md", "title: ", "title: Thrice ")
    build(config, capsys)  # the site with the stray is the spare now: it is listed, and the stray goes
    assert "static/stray.txt" not in site_tree(site) and site_tree(site) == clean_build(config, capsys, tmp_path)


def test_an_edit_finds_the_features_of_the_edited_text_only(make_site, capsys, monkeypatch):
    from generator import count_stores

    config = make_site(corpus(8))
    build(config, capsys)
    counted = []
    real = count_stores._count_share
    monkeypatch.setattr(count_stores, "_count_share",
                        lambda shared, share: counted.append((shared[0].__name__, len(share))) or real(shared, share))
    edit(config.parent / "content" / "articles" / "a03.md", "\n---\n", "\n---\nA new first paragraph.\n\n")
    build(config, capsys)
    assert counted == [("count_texts", 1)]  # for related links and search at once
    counted.clear()
    build(config, capsys, "--clean")
    assert counted == [("count_texts", 8)]
    counted.clear()
    corrupt_features(config.parent / CACHE_DIR)
    edit(config.parent / "content" / "articles" / "a05.md", "title: ", "title: Once ")
    build(config, capsys)
    assert counted == [("count_texts", 8)]  # a damaged store is not believed


def counted_texts(monkeypatch):
    """The sizes of the batches of texts counted from now on."""
    from generator import count_stores

    counted = []
    real = count_stores._count_share
    monkeypatch.setattr(count_stores, "_count_share",
                        lambda shared, share: counted.append(len(share)) or real(shared, share))
    return counted


def corrupt_member(path, member):
    """Flip the last byte of one member's bytes in a zip (``.npz``): reading it fails its checksum."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    data = bytearray(path.read_bytes())
    name_length, extra_length = struct.unpack("<HH", data[info.header_offset + 26:info.header_offset + 30])
    data[info.header_offset + 30 + name_length + extra_length + info.compress_size - 1] ^= 0xFF
    path.write_bytes(bytes(data))


def test_an_edit_adds_its_counts_beside_the_stored_ones_which_are_not_written_again(make_site, capsys, monkeypatch,
                                                                                     tmp_path):
    from generator import count_stores

    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.5)
    config = make_site(corpus(12), search=False)
    build(config, capsys)
    stored, added = config.parent / CACHE_DIR / TERM_COUNTS, config.parent / CACHE_DIR / "term-counts.added.npz"
    before = stored.stat()
    counted = counted_texts(monkeypatch)
    edit(config.parent / "content" / "articles" / "a03.md", "\n---\n", "\n---\nA new first paragraph.\n\n")
    build(config, capsys)
    assert counted == [1]
    after = stored.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)  # not written again
    with np.load(added) as rows:
        assert rows["keys"].shape == (1, 16) and rows["indptr"].tolist()[:1] == [0] and len(rows["indptr"]) == 2
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)
    counted.clear()
    edit(config.parent / "content" / "articles" / "a07.md", "title: ", "title: Once ")
    build(config, capsys)
    assert counted == [1]  # the first edit's row is taken from the rows added
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)


def test_with_a_text_model_an_edit_reads_none_of_the_stored_counts(make_site, capsys, monkeypatch, tmp_path):
    from generator import count_stores

    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.5)
    config = make_site(corpus(20), search=False, related={"model_from": 20})
    build(config, capsys)
    corrupt_member(config.parent / CACHE_DIR / TERM_COUNTS, "data.npy")  # any read of the rows fails
    counted = counted_texts(monkeypatch)
    edit(config.parent / "content" / "articles" / "a03.md", "\n---\n", "\n---\nA new first paragraph.\n\n")
    build(config, capsys)
    assert counted == [1]  # weighed alone: the other rows are the last build's
    assert (config.parent / CACHE_DIR / TERM_COUNTS).exists()  # never read, so never found damaged
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)


def unknown_compression(path, member):
    """Name a compression no zip reader knows in one member's entry of the zip's directory
    (reading it, zipfile raises NotImplementedError)."""
    data = bytearray(path.read_bytes())
    entry = data.rfind(member.encode()) - 46  # the directory's entries follow the members
    assert data[entry:entry + 4] == b"PK\x01\x02"
    data[entry + 10:entry + 12] = struct.pack("<H", 99)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [corrupt_member, unknown_compression])
def test_stored_counts_that_cannot_be_read_when_needed_are_counted_again(make_site, capsys, monkeypatch, tmp_path,
                                                                         damage):
    from generator import count_stores

    monkeypatch.setattr(count_stores, "COMPACT_SHARE", 0.5)
    config = make_site(corpus(12), search=False)
    build(config, capsys)
    damage(config.parent / CACHE_DIR / TERM_COUNTS, "data.npy")
    counted = counted_texts(monkeypatch)
    edit(config.parent / "content" / "articles" / "a03.md", "\n---\n", "\n---\nA new first paragraph.\n\n")
    build(config, capsys)
    assert counted == [1, 12]  # the edited text, then every text: the analysis weighs them all
    assert not (config.parent / CACHE_DIR / TERM_COUNTS).exists()  # damaged: gone, not believed again
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)
    counted.clear()
    edit(config.parent / "content" / "articles" / "a07.md", "title: ", "title: Once ")
    build(config, capsys)
    assert counted == [12]  # counted afresh, and kept anew
    assert (config.parent / CACHE_DIR / TERM_COUNTS).exists()
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)


def test_search_terms_are_counted_again_when_their_store_cannot_be_kept(make_site, capsys, monkeypatch, tmp_path):
    from generator import count_stores, pipeline

    config = make_site(corpus(6))
    real_write = pipeline.write_counted

    def write_related_only(config, environment, name, counted, before):
        if name == SEARCH_TERMS:
            raise OSError(28, "No space left on device")
        real_write(config, environment, name, counted, before)
    monkeypatch.setattr(pipeline, "write_counted", write_related_only)
    counted = []
    real = count_stores._count_share
    monkeypatch.setattr(count_stores, "_count_share",
                        lambda shared, share: counted.append(len(share)) or real(shared, share))
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--jobs", "1"]) == 0
    assert "cannot record this build" in capsys.readouterr().err
    assert counted == [6, 6]  # for related links and search; then search's again, from this build's texts
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)
    counted.clear()
    edit(config.parent / "content" / "articles" / "a03.md", "title: ", "title: Corrected ")
    build(config, capsys)
    assert counted == [6, 6]  # the related store alone is not believed: not one text but all


def test_an_edit_rewrites_only_the_search_files_of_the_words_it_adds(make_site, capsys):
    from generator.search import shard_file, shard_key, terms

    config = make_site(corpus(8))
    build(config, capsys)
    search = config.parent / "site" / "search"
    inode = {path.name: path.stat().st_ino for path in search.iterdir()}
    added = "Zebraquagga grazes quietly."
    edit(config.parent / "content" / "articles" / "a03.md", "\n---\n", f"\n---\n{added}\n\n")
    build(config, capsys)
    rewritten = {path.name for path in search.iterdir() if inode.get(path.name) != path.stat().st_ino}
    assert rewritten == {"meta.json", *(shard_file(shard_key(term)) for term in terms(added))}


def test_clean_renders_and_writes_everything(make_site, capsys):
    config = make_site(corpus(4))
    build(config, capsys)
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: New ")
    again = build(config, capsys, "--clean")
    assert again["rendered"] == again["pages"] and again["changed"] == again["files"]


def site_records(cache):
    """The cache's folder of the records of the one output built, and of its spare site."""
    (folder,) = cache.glob(OUTPUT_CACHE_PREFIX + "*")
    return folder


def corrupt_shard(cache):
    for shard in (cache / ARTICLES).iterdir():
        data = bytearray(shard.read_bytes())
        data[-5] ^= 0xFF
        shard.write_bytes(bytes(data))


def truncate_shard(cache):
    for shard in (cache / ARTICLES).iterdir():
        shard.write_bytes(shard.read_bytes()[:40])


def corrupt_features(cache):
    for name in (TERM_COUNTS, SEARCH_TERMS):
        data = bytearray((cache / name).read_bytes())
        data[len(data) // 2] ^= 0xFF  # inside the arrays: the zip's checksum no longer matches
        (cache / name).write_bytes(bytes(data))


def truncate_features(cache):
    for name in (TERM_COUNTS, SEARCH_TERMS):
        (cache / name).write_bytes((cache / name).read_bytes()[:100])


def garbage_records(cache):
    (site_records(cache) / FILES).write_text("{not json")
    (site_records(cache) / SPARE_FILES).write_text('{"version": 1, "output": "x", "files": []}')


def garbage_article_files(cache):
    (cache / ARTICLE_FILES).write_text('{"version": 1, "environment": 3, "files": [1]}')


def misplaced_article_files(cache):
    """A file's identity given another file's key: a key of an article in the cache, but not of
    an article of that file."""
    data = json.loads((cache / ARTICLE_FILES).read_text())
    first, second = sorted(data["files"])[:2]
    data["files"][first][0] = data["files"][second][0]
    (cache / ARTICLE_FILES).write_text(json.dumps(data))


def lying_records(cache):
    """Records claiming every file has other bytes: sizes and times no longer match the disk."""
    text = (site_records(cache) / FILES).read_text()
    (site_records(cache) / FILES).write_text(re.sub(r",(\d+),(\d+)\]", lambda m: f",{int(m[1]) + 1},{m[2]}]", text))


def spoil_spare(cache):
    """The kept previous site edited by hand, given a stray file, a link out and a folder in a file's place."""
    spare = site_records(cache) / SPARE
    index = spare / "index.html"
    index.write_text("spoiled")
    (spare / "stray.html").write_text("stray")
    (spare / "link.html").symlink_to("/etc/hostname")
    (spare / "tags.html").unlink(missing_ok=True)
    (spare / "404.html").unlink()
    (spare / "404.html").mkdir()  # a folder where a file goes
    shutil.rmtree(spare / "articles")
    (spare / "articles").write_text("a file where a folder goes")
    outside = cache.parent / "outside"
    outside.mkdir()
    shutil.rmtree(spare / "tags")
    (spare / "tags").symlink_to(outside)  # nothing may be written through it


def spoil_deep_in_spare(cache):
    """Deep in the kept previous site, a stray file, and a page's folder turned into a link out:
    only listing the folders holding them finds either."""
    first, second = [path for path in sorted((site_records(cache) / SPARE / "articles").iterdir()) if path.is_dir()][:2]
    (first / "stray.html").write_text("stray")
    outside = cache.parent / "outside"
    outside.mkdir()
    shutil.rmtree(second)
    second.symlink_to(outside)  # nothing may be written through it


def garbage_spare_record(cache):
    (site_records(cache) / SPARE_RECORD).write_text('{"version": 5, "files": 3}')


def swapped_spare_record(cache):
    """The spare given the record of the published site, which it does not hold."""
    shutil.copy(site_records(cache) / RECORD, site_records(cache) / SPARE_RECORD)


@pytest.mark.parametrize("spoil", [corrupt_shard, truncate_shard, corrupt_features, truncate_features,
                                   garbage_records, lying_records, spoil_spare, spoil_deep_in_spare,
                                   garbage_spare_record, swapped_spare_record, garbage_article_files,
                                   misplaced_article_files])
def test_a_corrupt_or_stale_cache_is_never_trusted(make_site, capsys, tmp_path, spoil, settled):
    config = make_site(corpus(6))
    build(config, capsys)
    edit(config.parent / "content" / "articles" / "a02.md", "title: ", "title: Once ")
    build(config, capsys)  # now there is a spare, the site the first build made
    assert (site_records(config.parent / CACHE_DIR) / SPARE / "index.html").is_file()
    spoil(config.parent / CACHE_DIR)
    edit(config.parent / "content" / "articles" / "a04.md", "title: ", "title: Twice ")
    build(config, capsys)
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path)
    outside = config.parent / "outside"
    assert not outside.exists() or not any(outside.iterdir())


def test_a_failed_build_leaves_the_site_and_a_usable_cache(make_site, capsys, tmp_path):
    config = make_site(corpus(5))
    build(config, capsys)
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: Again ")
    build(config, capsys)
    site = config.parent / "site"
    published = site_tree(site)
    (config.parent / "templates").mkdir()
    (config.parent / "templates" / "tag.html").write_text("{{ nothing.here() }}")
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--jobs", "1"]) != 0
    assert site_tree(site) == published
    (config.parent / "templates" / "tag.html").unlink()
    (config.parent / "templates").rmdir()
    edit(config.parent / "content" / "articles" / "a03.md", "title: ", "title: Later ")
    build(config, capsys)
    assert site_tree(site) == clean_build(config, capsys, tmp_path)


def test_a_second_build_while_one_runs_stops_at_once_with_an_error(make_site, capsys):
    from generator.pipeline import LOCK
    from generator.atomic import exclusive

    config = make_site(corpus(3))
    build(config, capsys)
    site = site_tree(config.parent / "site")
    lock = config.parent / CACHE_DIR / LOCK
    edit(config.parent / "content" / "articles" / "a01.md", "title: ", "title: Meanwhile ")
    with exclusive(lock):  # as a running build holds it
        capsys.readouterr()
        assert main(["--config", str(config), "build", "--jobs", "1"]) == 1
        assert capsys.readouterr().err == (f"error: {lock}: another digest build of this site is running "
                                           "(wait for it to finish; its lock goes when it ends)\n")
    assert site_tree(config.parent / "site") == site
    assert build(config, capsys)["changed"] > 0  # and the lock is gone with its holder


def test_tags_read_back_from_the_cache_are_one_object_per_tag(make_site, capsys):
    from generator.build_cache import read_article_cache
    from generator.config import load_config

    config = make_site(corpus(6))
    build(config, capsys)
    cached = read_article_cache(load_config(config))
    tags = [tag for shard in cached.shards.values() for article in shard.values() for tag in article.tags]
    names = {(tag.slug, tag.name) for tag in tags}
    assert len(tags) > len(names)  # every article has the tag "Digest"
    assert len({id(tag) for tag in tags}) == len(names)


def test_articles_read_back_from_the_cache_take_the_listed_path_objects(make_site, capsys):
    from generator.build_cache import read_article_cache
    from generator.config import load_config

    config = make_site(corpus(6))
    build(config, capsys)
    loaded_config = load_config(config)
    listed = {str(path): path for path in load.list_articles(loaded_config.content_dir).paths}
    taken = read_article_cache(loaded_config, listed)
    articles = [article for shard in taken.shards.values() for article in shard.values()]
    assert len(articles) == len(listed) == 6
    assert all(article.source_path is listed[str(article.source_path)] for article in articles)
    # Without a listing, each comes back as a path of its own, equal.
    alone = read_article_cache(loaded_config)
    again = {article.stem: article for shard in alone.shards.values() for article in shard.values()}
    assert {article.stem: article for article in articles} == again
    assert all(again[article.stem].source_path is not article.source_path for article in articles)


def test_pages_are_keyed_by_the_articles_load_keys_whether_loaded_or_read_from_the_cache(make_site, capsys,
                                                                                        monkeypatch):
    import pickle
    from types import SimpleNamespace

    from generator import page_keys
    from generator.model import Article

    digested = []

    def dumps(obj, *args, **kwargs):
        if isinstance(obj, Article):  # an article counted by the digest of its pickle
            digested.append(obj.stem)
        return pickle.dumps(obj, *args, **kwargs)

    monkeypatch.setattr(page_keys, "pickle", SimpleNamespace(dumps=dumps, Pickler=pickle.Pickler,
                                                             PicklingError=pickle.PicklingError))
    config = make_site(corpus())
    assert build(config, capsys)["rendered"] > 12  # every article loaded from its file
    edit(config.parent / "content" / "articles" / "a03.md", "title: ", "title: Corrected ")
    assert 0 < build(config, capsys)["rendered"]  # all but one from the cache
    assert digested == []


def test_search_term_files_are_written_again_when_the_code_that_writes_them_changes(make_site, capsys, monkeypatch):
    import json

    from generator import fingerprint, pipeline, search

    config = make_site(corpus(8))
    build(config, capsys)
    # An upgrade that writes the term files another way: the same postings, new bytes.
    upgraded = fingerprint.environment_fingerprint
    for module in (fingerprint, pipeline):
        monkeypatch.setattr(module, "environment_fingerprint", lambda config: upgraded(config) + "-upgraded")
    monkeypatch.setattr(search, "_dump", lambda data: json.dumps(data, indent=1, sort_keys=True).encode("utf-8"))
    build(config, capsys)
    term_files = list((config.parent / "site" / "search").glob("t-*.json"))
    assert term_files and all(b"\n" in path.read_bytes() for path in term_files)


def test_a_file_where_the_cache_folder_belongs_is_an_error_naming_it(make_site, capsys):
    config = make_site(corpus(3))
    build(config, capsys)
    site = site_tree(config.parent / "site")
    shutil.rmtree(config.parent / CACHE_DIR)
    (config.parent / CACHE_DIR).write_text("x")
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--clean", "--jobs", "1"]) == 1
    assert capsys.readouterr().err == (f"error: {config.parent / CACHE_DIR}: cannot hold the build lock: File exists "
                                       "(this is digest's build cache folder; remove whatever is in its place)\n")
    assert site_tree(config.parent / "site") == site


def test_a_build_elsewhere_leaves_the_sites_own_records_be(make_site, capsys, tmp_path):
    config = make_site(corpus(6))
    build(config, capsys)
    elsewhere = build(config, capsys, "--output", str(tmp_path / "preview"))
    assert elsewhere["rendered"] == elsewhere["pages"]  # a new output: nothing of it recorded
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--jobs", "1"]) == 0
    assert "nothing changed since the last build" in capsys.readouterr().out
    edit(config.parent / "content" / "articles" / "a03.md", "title: ", "title: Lately ")
    again = build(config, capsys)
    assert 0 < again["rendered"] < again["pages"]
    assert site_tree(config.parent / "site") == clean_build(config, capsys, tmp_path / "clean")


def test_the_cache_keeps_the_records_of_the_last_outputs_only(make_site, capsys, tmp_path):
    from generator.build_cache import KEPT_OUTPUTS

    config = make_site(corpus(4))
    cache = config.parent / CACHE_DIR
    cache.mkdir()
    for name in (FILES, SPARE_FILES, RECORD, SPARE_RECORD):  # where earlier versions kept them
        (cache / name).write_text("{}")
    (cache / SPARE).mkdir()
    build(config, capsys)
    assert [path.name for path in cache.iterdir() if path.name in (FILES, SPARE_FILES, RECORD, SPARE_RECORD,
                                                                     SPARE)] == []
    own = site_records(cache)
    for n in range(KEPT_OUTPUTS + 1):
        build(config, capsys, "--output", str(tmp_path / f"out{n}"))
        assert len(list(cache.glob(OUTPUT_CACHE_PREFIX + "*"))) == min(n + 2, KEPT_OUTPUTS)
    assert not own.exists()  # the least recently built output's went
