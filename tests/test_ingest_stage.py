"""The ingest stage over a folder: naming, re-ingest, hand edits, bad files, sources, duplicates, report."""

import json
import os
import random
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import DigestError
from generator.frontmatter import split_front_matter
from generator.ingest.report import DUPLICATE
from generator.ingest_stage import INGEST_MANIFEST, ingest
from tests.ingest_pages import PITCH, harbor_page, paragraph

FIXTURES = Path(__file__).parent / "fixtures" / "ingest"


@pytest.fixture
def folders(tmp_path, make_site):
    config = load_config(make_site())
    raw = tmp_path / "raw"
    raw.mkdir()
    for name in ("riverside_courier.txt", "northfield_ledger.txt"):
        (raw / name).write_bytes((FIXTURES / name).read_bytes())
    return config, raw, tmp_path / "out"


def run(config, raw, out, **kwargs):
    warnings = []
    return ingest(raw, out, config, warnings.append, **kwargs), warnings


def test_one_markdown_file_per_input_named_by_stem(folders):
    config, raw, out = folders
    report, _ = run(config, raw, out)
    assert sorted(p.name for p in report.written) == ["northfield_ledger.md", "riverside_courier.md"]
    assert sorted(p.name for p in out.iterdir()) == [INGEST_MANIFEST, "northfield_ledger.md", "riverside_courier.md"]


def test_reingest_is_byte_identical_and_reports_unchanged(folders):
    config, raw, out = folders
    run(config, raw, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    report, _ = run(config, raw, out)
    assert report.written == () and len(report.unchanged) == 2
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_hand_edits_are_kept_unless_forced(folders):
    config, raw, out = folders
    run(config, raw, out)
    edited = out / "riverside_courier.md"
    edited.write_text(edited.read_text() + "\nAn editor's note.\n")
    report, _ = run(config, raw, out)
    assert report.skipped_edited == (edited,) and "An editor's note." in edited.read_text()
    report, _ = run(config, raw, out, force=True)
    assert edited in report.written and "An editor's note." not in edited.read_text()


def test_changed_input_rewrites_an_untouched_article(folders):
    config, raw, out = folders
    run(config, raw, out)
    source = raw / "riverside_courier.txt"
    source.write_text(source.read_text().replace("Council", "The council", 1))  # a re-scrape
    before = (out / "riverside_courier.md").read_text()
    report, _ = run(config, raw, out)
    assert [p.name for p in report.written] == ["riverside_courier.md"]
    assert (out / "riverside_courier.md").read_text() != before


def test_bad_files_fail_alone_with_their_names(folders):
    config, raw, out = folders
    (raw / "a_empty.txt").write_bytes(b"")
    (raw / "b_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    report, _ = run(config, raw, out)
    assert [str(p) for p in report.failed] == [
        f"{raw / 'a_empty.txt'}: empty file (the scraper wrote nothing; re-scrape the page)",
        f"{raw / 'b_binary.txt'}:3: binary file, not text (raw articles must be UTF-8 text dumps)",
    ]
    assert len(report.written) == 2


def test_a_page_whose_file_name_is_no_utf8_is_ingested_with_the_rest(folders):
    config, raw, out = folders
    (raw / "northfield_ledger.txt").unlink()
    (raw / os.fsdecode(b"l\xe9dger.txt")).write_text(harbor_page(1))  # a Latin-1 name, no URL to take the id from
    report, _ = run(config, raw, out)
    assert sorted(p.name for p in report.written) == sorted([os.fsdecode(b"l\xe9dger.md"), "riverside_courier.md"])


def test_missing_raw_folder(folders, tmp_path):
    config, _, out = folders
    with pytest.raises(DigestError, match="raw folder not found"):
        run(config, tmp_path / "nope", out)


def test_output_path_that_is_a_file(folders, tmp_path):
    config, raw, _ = folders
    (tmp_path / "afile").write_text("x")
    with pytest.raises(DigestError) as caught:
        run(config, raw, tmp_path / "afile")
    assert str(caught.value) == f"{tmp_path / 'afile'}: the output path exists and is not a folder"


def test_an_unwritable_target_fails_alone(folders):
    config, raw, out = folders
    (out / "northfield_ledger.md").mkdir(parents=True)
    report, _ = run(config, raw, out)
    assert [str(p) for p in report.failed] == [f"{out / 'northfield_ledger.md'}: cannot write: Is a directory"]
    assert [p.name for p in report.written] == ["riverside_courier.md"]


def front_matter(path):
    return split_front_matter(path.read_text(), path).meta.data


def harbor_folder(tmp_path, make_site, count, **page):
    config = load_config(make_site())
    raw = tmp_path / "raw"
    raw.mkdir(exist_ok=True)
    for i in range(count):
        (raw / f"hv{i}.txt").write_text(harbor_page(i, url=f"https://harborvalley.example/news/{i}", **page))
    return config, raw, tmp_path / "out"


def test_a_block_on_every_page_of_a_source_is_dropped(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 4)
    report, _ = run(config, raw, out, report_path=tmp_path / "report.txt")
    assert len(report.written) == 4
    assert all(PITCH not in p.read_text() for p in report.written)
    assert all("The harbour council" in p.read_text() or "ferry" in p.read_text() for p in report.written)
    audit = (tmp_path / "report.txt").read_text()
    assert f"[repeats on 4 of 4 pages from harborvalley.example] {PITCH[:60]}" in audit


def test_two_pages_of_a_source_keep_a_shared_paragraph(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 2)
    report, _ = run(config, raw, out)
    assert all(PITCH in p.read_text() for p in report.written)


def test_a_source_profile_drops_its_blocks_and_names_the_source(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    (tmp_path / "profiles").mkdir()
    shutil.copy(Path(__file__).parent / "fixtures" / "profiles" / "harbor_valley.yaml", tmp_path / "profiles")
    report, _ = run(config, raw, out, report_path=tmp_path / "report.json")
    (written,) = report.written
    assert PITCH not in written.read_text()
    assert front_matter(written)["source"] == "Harbor Valley Gazette"
    (page,) = json.loads((tmp_path / "report.json").read_text())["pages"]
    assert page["profile"] == "Harbor Valley Gazette"
    assert {"text": PITCH, "reason": "profile harbor_valley.yaml: matches 'fisheries desk is supported by'"} \
        in page["dropped"]


def test_a_bad_profile_stops_ingest_with_its_file_and_line(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "x.yaml").write_text("name: X\nmatch: {files: [a]}\ndrop: ['(']\n")
    with pytest.raises(DigestError) as caught:
        run(config, raw, out)
    assert str(caught.value).startswith(f"{tmp_path / 'profiles' / 'x.yaml'}:3: drop pattern '(' is not a valid")


def test_the_same_story_twice_is_reported_and_written_once(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 2)
    copy = harbor_page(1, url="https://harborvalley.example/news/1?utm_source=feed").replace("By Priya", "By: Priya")
    (raw / "hv1_rescrape.txt").write_text(copy)
    report, _ = run(config, raw, out)
    assert sorted(p.name for p in report.written) == ["hv0.md", "hv1.md"]
    (duplicate,) = report.having(DUPLICATE)
    assert duplicate.raw == raw / "hv1_rescrape.txt"
    assert duplicate.detail == f"near-duplicate of {raw / 'hv1.txt'} (100% of the text is the same)"
    assert not (out / "hv1_rescrape.md").exists()


@pytest.mark.parametrize("url", ["https://harborvalley.example/news/0", None], ids=["same-url", "no-url"])
def test_three_scrapes_of_one_story_write_it_once_whole(tmp_path, make_site, url):
    # Counted three times, each paragraph would repeat on every page of the source.
    config, raw, out = harbor_folder(tmp_path, make_site, 0)
    (raw / "a.txt").write_text(harbor_page(0, url=url))
    run(config, raw, tmp_path / "alone")
    for name in ("b.txt", "c.txt"):
        (raw / name).write_text(harbor_page(0, url=url))
    report, _ = run(config, raw, out)
    assert report.written == (out / "a.md",)
    assert [o.raw.name for o in report.having(DUPLICATE)] == ["b.txt", "c.txt"]
    assert (out / "a.md").read_text() == (tmp_path / "alone" / "a.md").read_text()


def test_pages_of_no_known_source_keep_a_sentence_they_share(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 0)
    shared = "The spokesman for the company declined to comment on the matter when reached by phone."
    for n, (title, lede) in enumerate([
            ("Ferry operator raises fares for the summer", "The ferry operator will raise fares by eight "
             "percent from June, it said on Thursday, blaming the price of fuel and new crew rules."),
            ("Bakery chain to close three town shops", "The bakery chain will close three of its town "
             "shops by the end of July, it told its staff in a letter sent out on Friday morning."),
            ("Quarry owner fined over dust from blasting", "The owner of the quarry above the village was "
             "fined forty thousand pounds on Monday for failing to keep the dust of its blasting down.")]):
        (raw / f"p{n}.txt").write_text(f"{title}\n\nBy Ann Lee\n\n{lede}\n\n{shared}\n\n"
                                       f"{paragraph(random.Random(n))}\n")
    report, _ = run(config, raw, out)
    assert len(report.written) == 3
    assert all(shared in path.read_text() for path in report.written)


def test_an_article_already_written_wins_over_a_new_copy(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    run(config, raw, out)
    (raw / "hv0.txt").rename(raw / "zz.txt")  # gone from raw, but its article is published
    (raw / "aa.txt").write_text(harbor_page(0))
    report, _ = run(config, raw, out)
    assert report.written == ()
    assert [o.detail for o in report.having(DUPLICATE)] == [
        f"near-duplicate of {out / 'hv0.md'} (100% of the text is the same)",
        f"near-duplicate of {out / 'hv0.md'} (100% of the text is the same)",
    ]


def test_ids_follow_the_source_url_across_rescrapes(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    run(config, raw, out)
    first = front_matter(out / "hv0.md")["id"]
    page = raw / "hv0.txt"
    page.write_text(page.read_text().replace("warned", "cautioned"))
    report, _ = run(config, raw, out)
    assert report.written == (out / "hv0.md",)
    assert front_matter(out / "hv0.md")["id"] == first
    page.write_text(harbor_page(0, url="https://harborvalley.example/news/moved"))
    run(config, raw, out)
    assert front_matter(out / "hv0.md")["id"] != first


def test_pages_that_would_write_one_file_are_an_error(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    (raw / "HV0.txt").write_text(harbor_page(5))
    (raw / "notes.docx").write_bytes(b"PK")
    (raw / ".DS_Store").write_bytes(b"\0")
    report, _ = run(config, raw, out)
    assert [str(p) for p in report.failed] == [
        f"{raw / 'hv0.txt'}: would be written as hv0.md, like HV0.txt; skipped (rename one of the two)"]
    assert report.written == (out / "HV0.md",)
    assert report.ignored == (raw / "notes.docx",)


def test_the_text_report_lists_kept_and_dropped_blocks_with_reasons(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    (raw / "empty.txt").write_bytes(b"")
    run(config, raw, out, report_path=tmp_path / "audit.txt")
    audit = (tmp_path / "audit.txt").read_text()
    assert audit.splitlines()[1] == "written 1, unchanged 0, kept (edited by hand) 0, duplicate 0, failed 1"
    assert f"## {raw / 'empty.txt'}: failed" in audit
    assert f"## {raw / 'hv0.txt'} -> {out / 'hv0.md'}: written" in audit
    assert "title: Harbour news story number 0 makes the headlines" in audit
    assert "source_url: https://harborvalley.example/news/0" in audit
    assert "kept: 7 paragraphs, " in audit  # one page: its pitch is not known to repeat
    assert "] © 2024 Harbor Valley Gazette. All rights reserved." in audit
    assert "  - [title] Harbour news story number 0 makes the headlines" in audit


def test_text_html_and_gzipped_html_pages_are_all_ingested(tmp_path, make_site):
    config = load_config(make_site())
    raw = tmp_path / "raw"
    raw.mkdir()
    html = Path(__file__).parent / "fixtures" / "ingest_html"
    shutil.copy(FIXTURES / "riverside_courier.txt", raw / "one.TXT")
    shutil.copy(html / "harbour_herald.html", raw / "two.htm")
    shutil.copy(html / "valley_times.html.gz", raw / "three.html.gz")
    report, _ = run(config, raw, tmp_path / "out")
    assert report.failed == ()
    assert sorted(p.name for p in report.written) == ["one.md", "three.md", "two.md"]
    for path in report.written:
        meta = front_matter(path)
        assert meta["title"] and meta["id"] and "<" not in path.read_text().split("---", 2)[2]


def test_bad_html_pages_fail_alone_with_one_line_each(tmp_path, make_site):
    config, raw, out = harbor_folder(tmp_path, make_site, 1)
    (raw / "a.html.gz").write_bytes(b"not gzip at all")
    (raw / "b.html").write_bytes(b"\x00\x01\x02binary")
    report, _ = run(config, raw, out)
    assert [str(p).split(" (")[0] for p in report.failed] == [
        f"{raw / 'a.html.gz'}: not a valid gzip file", f"{raw / 'b.html'}: binary file, not HTML"]
    assert report.written == (out / "hv0.md",)
