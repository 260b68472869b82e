from generator.atomic import write_text_atomically


def test_write_text_atomically_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.md"
    write_text_atomically(target, "one")
    write_text_atomically(target, "two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["a.md"]
