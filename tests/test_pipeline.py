"""The ingest stage over a folder: naming, re-ingest, hand edits, bad files."""

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import DigestError
from generator.pipeline import INGEST_MANIFEST, ingest

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
    source.write_text(source.read_text() + "\n")  # a re-scrape: new bytes, new id
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
