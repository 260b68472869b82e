from generator.folders import files_under


def test_links_to_folders_are_followed_and_loops_are_not(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "f").write_text("f")
    (tmp_path / "b" / "g").write_text("g")
    (tmp_path / "a" / "to_b").symlink_to(tmp_path / "b")
    (tmp_path / "b" / "to_a").symlink_to(tmp_path / "a")  # a -> b -> a: a loop through two links
    (tmp_path / "a" / "broken").symlink_to(tmp_path / "nowhere")
    (tmp_path / "a" / "ping").symlink_to(tmp_path / "a" / "pong")  # a loop of links: no folder
    (tmp_path / "a" / "pong").symlink_to(tmp_path / "a" / "ping")
    (tmp_path / "a" / "__pycache__").mkdir()
    (tmp_path / "a" / "__pycache__" / "x.pyc").write_text("")
    found = sorted(entry.path[len(str(tmp_path / "a")) + 1:]
                   for entry in files_under(str(tmp_path / "a"), skip=frozenset({"__pycache__"})))
    assert found == ["broken", "f", "ping", "pong", "to_b/g"]


def test_a_missing_folder_or_a_file_has_no_files(tmp_path):
    (tmp_path / "file").write_text("x")
    assert list(files_under(str(tmp_path / "missing"))) == list(files_under(str(tmp_path / "file"))) == []
