from generator.swap import remove_leftovers, swap, temp_prefix


def _site(folder, text):
    folder.mkdir()
    (folder / "index.html").write_text(text)
    return folder


def test_a_new_site_takes_the_place_of_none(tmp_path):
    work = _site(tmp_path / "work", "new")
    assert swap(work, tmp_path / "site", None) == (None, False)
    assert (tmp_path / "site" / "index.html").read_text() == "new" and not work.exists()


def test_the_replaced_site_is_kept_where_asked_or_else_deleted(tmp_path):
    out = _site(tmp_path / "site", "old")
    assert swap(_site(tmp_path / "work", "new"), out, tmp_path / "spare") == (None, True)
    assert (out / "index.html").read_text() == "new"
    assert (tmp_path / "spare" / "index.html").read_text() == "old"
    assert swap(_site(tmp_path / "work2", "newer"), out, None) == (None, False)
    assert (out / "index.html").read_text() == "newer"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site", "spare"]  # the retired site went


def test_only_this_outputs_leftover_build_folders_go(tmp_path):
    out = tmp_path / "site"
    mine = [tmp_path / (temp_prefix(out) + "abcd1234"), tmp_path / (temp_prefix(out) + "old-abcd1234")]
    others = [tmp_path / (temp_prefix(tmp_path / "other") + "abcd1234"),  # another output's
              tmp_path / (temp_prefix(out) + "abc"),  # not a name mkdtemp makes
              tmp_path / "kept"]
    for folder in (*mine, *others):
        _site(folder, "x")
    link = tmp_path / (temp_prefix(out) + "link1234")
    link.symlink_to(tmp_path / "kept")
    remove_leftovers(out)
    assert not any(folder.exists() for folder in mine)
    assert all(folder.exists() for folder in others) and link.is_symlink()
    assert (tmp_path / "kept" / "index.html").exists()
