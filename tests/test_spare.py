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


def test_a_spare_whose_check_in_a_child_process_was_lost_is_checked_here(tmp_path, monkeypatch):
    import os
    import signal

    from generator import spare as spare_module
    from generator.background import in_child_process
    from generator.spare import Spare, checked_meanwhile

    checked_here = []
    monkeypatch.setattr(spare_module, "held_folder_times",
                        lambda folder, published, records: checked_here.append(folder) or {"": os.getpid()})
    published = SimpleNamespace(files=(), folders=("",))
    spare = Spare(tmp_path, {}, published)
    # The check runs in a child process (its answer names that process)...
    assert checked_meanwhile(spare).checked() not in (None, {"": os.getpid()}) and checked_here == []
    # ... and when that process is killed, here.
    killed = Spare(tmp_path, {}, published, held=in_child_process(lambda: os.kill(os.getpid(), signal.SIGKILL)))
    assert killed.checked() == {"": os.getpid()} and checked_here == [tmp_path]
