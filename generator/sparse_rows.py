"""Rows of several matrices taken into one, in one copy.

A rebuild keeps most rows of the last build's matrices (term counts, term vectors, topics) and
adds a few new ones. Stacking the two and then picking rows copied every kept row twice: at
100,000 articles the stacked copy was a rebuild's peak. Here consecutive rows of one matrix are
taken as one run, and each run is copied once, into the result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import scipy.sparse as sp

Run = tuple[int, int, int]  # which matrix, its first row, the row after the last


def row_runs(part_of: np.ndarray, row_of: np.ndarray) -> list[Run]:
    """Runs of the rows ``row_of[n]`` of matrix ``part_of[n]``, in order: consecutive rows of one
    matrix make one run."""
    if not len(part_of):
        return []
    breaks = (np.flatnonzero((part_of[1:] != part_of[:-1]) | (row_of[1:] != row_of[:-1] + 1)) + 1).tolist()
    return [(int(part_of[start]), int(row_of[start]), int(row_of[start]) + stop - start)
            for start, stop in zip([0, *breaks], [*breaks, len(part_of)])]


def sparse_rows(matrices: Sequence[sp.csr_matrix], runs: Sequence[Run], width: int) -> sp.csr_matrix:
    """The rows of ``runs`` from CSR ``matrices`` whose columns mean the same, one below the other."""
    indices, data, sizes = [], [], []
    for part, first, stop in runs:
        matrix = matrices[part]
        begin, end = matrix.indptr[first], matrix.indptr[stop]
        indices.append(matrix.indices[begin:end])
        data.append(matrix.data[begin:end])
        sizes.append(np.diff(matrix.indptr[first:stop + 1]))
    dtype = np.result_type(*(matrix.dtype for matrix in matrices))
    if not runs:
        return sp.csr_matrix((0, width), dtype=dtype)
    sizes = np.concatenate(sizes)
    indptr = np.concatenate(([0], np.cumsum(sizes))).astype(np.int64)
    return sp.csr_matrix((np.concatenate(data).astype(dtype, copy=False),
                          np.concatenate(indices).astype(np.int32, copy=False), indptr), shape=(len(sizes), width))


def dense_rows(arrays: Sequence[np.ndarray], runs: Sequence[Run]) -> np.ndarray:
    """The rows of ``runs`` from ``arrays`` of one width, one below the other."""
    return np.concatenate([arrays[part][first:stop] for part, first, stop in runs]) if runs else arrays[0][:0].copy()
