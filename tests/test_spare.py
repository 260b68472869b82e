from types import SimpleNamespace

from generator.model import FileRecord
from generator.spare import untouched_folders


def test_a_reused_site_keeps_the_checked_times_of_the_folders_only_where_nothing_was_added_removed_or_replaced():
    def record(mtime_ns):
        return FileRecord("key", "digest", 1, mtime_ns)

    kept = {"a/same.html": record(1), "b/rewritten.html": record(1), "c/gone.html": record(1),
            "c/stays.html": record(1), "d/inside/gone.html": record(1), "e/same.html": record(1)}
    folders = ("", "a", "b", "c", "d", "d/inside", "e")
    listed = SimpleNamespace(files=tuple(kept), folders=folders)
    checked = {name: 100 + n for n, name in enumerate(folders)}
    now = {"a/same.html": record(1), "b/rewritten.html": record(2), "c/stays.html": record(1),
           "e/same.html": record(1), "e/new/page.html": record(2)}
    left_alone = untouched_folders(listed, kept, checked, now, ("", "a", "b", "c", "d", "e", "e/new"))
    # b's file was replaced, c lost one, d lost its folder inside (which lost its file), e gained
    # a folder: the root and a are as checked.
    assert left_alone == {"": 100, "a": 101}
    assert untouched_folders(listed, kept, None, now, folders) == {}
