from generator.atomic import write_text_atomically


def test_write_text_atomically_replaces_and_leaves_no_temp(tmp_path):
    target = tmp_path / "a.md"
    write_text_atomically(target, "one")
    write_text_atomically(target, "two")
    assert target.read_text() == "two" and [p.name for p in tmp_path.iterdir()] == ["a.md"]


def test_a_checksummed_payload_is_found_again_only_whole_and_of_its_kind():
    from generator.atomic import checked, checksummed

    data = checksummed(b"payload", b"kind 1\n")
    assert checked(data, b"kind 1\n") == b"payload" and checked(checksummed(b""), b"") == b""
    assert checked(data, b"kind 2\n") is None  # another kind or version
    assert checked(data[:-1], b"kind 1\n") is None  # cut short
    assert checked(data[:-1] + b"P", b"kind 1\n") is None  # a byte changed
    assert checked(b"", b"kind 1\n") is None
