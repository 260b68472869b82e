import numpy as np
import pytest
import scipy.sparse as sp

from generator.sparse_rows import dense_rows, row_runs, sparse_rows


def picked(first, second, place):
    """Each ``place`` of ``first`` and ``second`` one below the other: (matrix, row) of each."""
    part = (place >= first.shape[0]).astype(np.int64)
    return part, np.where(part == 1, place - first.shape[0], place)


def test_consecutive_rows_of_one_matrix_make_one_run():
    part, row = np.array([0, 0, 0, 1, 1, 0, 0]), np.array([4, 5, 6, 0, 2, 7, 8])
    assert row_runs(part, row) == [(0, 4, 7), (1, 0, 1), (1, 2, 3), (0, 7, 9)]
    assert row_runs(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)) == []


@pytest.mark.parametrize("seed", range(20))
def test_rows_taken_by_runs_are_the_rows_of_the_two_stacked(seed):
    rng = np.random.default_rng(seed)
    first = sp.random(int(rng.integers(0, 30)), 17, density=0.3, format="csr", dtype=np.float32, random_state=seed)
    second = sp.random(int(rng.integers(1, 10)), 17, density=0.3, format="csr", dtype=np.float32,
                       random_state=seed + 100)
    place = rng.integers(0, first.shape[0] + second.shape[0], int(rng.integers(0, 40)))
    if seed % 2:
        place.sort()  # as a rebuild's: long runs
    runs = row_runs(*picked(first, second, place))
    got, wanted = sparse_rows((first, second), runs, 17), sp.vstack([first, second], format="csr")[place]
    assert (got.shape, got.dtype, got.indices.dtype, got.indptr.dtype) == \
        (wanted.shape, wanted.dtype, wanted.indices.dtype, wanted.indptr.dtype)
    for ours, theirs in ((got.indptr, wanted.indptr), (got.indices, wanted.indices), (got.data, wanted.data)):
        np.testing.assert_array_equal(ours, theirs)
    dense = (first.toarray(), second.toarray())
    np.testing.assert_array_equal(dense_rows(dense, runs), np.concatenate(dense)[place])


def test_no_rows():
    matrix = sp.csr_matrix(np.ones((3, 4), dtype=np.float32))
    assert sparse_rows((matrix,), [], 4).shape == (0, 4)
    assert dense_rows((np.ones((3, 4)),), []).shape == (0, 4)
