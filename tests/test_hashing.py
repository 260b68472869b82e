import hashlib

import numpy as np

from generator.hashing import parts_digest


def test_parts_that_join_alike_hash_apart():
    assert parts_digest([b"ab", b"c"]) != parts_digest([b"a", b"bc"])
    assert parts_digest([b""]) != parts_digest([]) != parts_digest([b"", b""])


def test_an_array_hashes_as_the_bytes_of_its_items_in_order():
    items = np.arange(12, dtype=np.float32).reshape(3, 4)
    assert parts_digest([items]) == parts_digest([items.tobytes()])
    assert parts_digest([items.T]) == parts_digest([items.T.tobytes()])  # not contiguous: read in order
    assert parts_digest([np.float32(1.5)]) == parts_digest([np.float32(1.5).tobytes()])
    assert parts_digest([np.zeros((5, 0), dtype=np.float32)]) == parts_digest([b""])


def test_the_digest_is_the_sha256_of_each_part_after_its_length():
    expected = hashlib.sha256(len(b"ab").to_bytes(8, "little") + b"ab" + (0).to_bytes(8, "little")).digest()
    assert parts_digest([b"ab", b""]) == expected
