"""The fitted word statistics of a large site, kept beside its settings: the text analysis of
the next builds weighs words and finds latent topics with them instead of fitting afresh.

Every article's word weights depend on the whole site (how many articles have each word, the
average length), and its latent topics on a fit over all of them, so one edit would change
every article's vectors a little and every build would refit. Pinned, an article's vectors
depend on its own text and the model alone: a rebuild is the same bytes as a clean build of
the same content and model, and the fit is skipped. The model is refitted when the articles it
was fitted on have drifted (``REFIT_SHARE`` of them changed, or as many added or removed), or
when digest weighs words otherwise (``settings``).

The file is an uncompressed ``.npz`` of plain arrays, read with pickles refused.
"""

from __future__ import annotations

import functools
import io
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .hashing import parts_digest
from .term_counts import names_array, names_from

REFIT_SHARE = 0.1  # of the fitted articles changed, added or removed: fit again
_FORMAT = 2  # of the file
_ARRAYS = ("format", "settings", "words", "document_frequency", "total", "average_length", "projection", "keys")


class ModelError(ValueError):
    """A model file digest cannot read."""


@dataclass(frozen=True, eq=False)
class TextModel:
    words: tuple[str, ...]  # the term of each column, sorted
    document_frequency: np.ndarray  # float32, articles having each word
    total: int  # articles fitted on
    average_length: np.float32  # their average length in words
    projection: np.ndarray  # float32, words x latent topics: a term vector's topics are its product with it
    keys: np.ndarray  # uint64, sorted: the text keys of the articles fitted on (``similarity.text_keys``)
    settings: str  # how words were weighed and topics fitted: a model of other settings is refitted

    def fits(self, keys: np.ndarray, settings: str) -> bool:
        """Whether the articles of ``keys`` may be weighed with this model: fitted with these
        settings, and fewer than ``REFIT_SHARE`` of its articles changed since (a changed
        article is one key gone and one new), or added, or removed."""
        if settings != self.settings:
            return False
        new = len(keys) - int(np.count_nonzero(np.isin(keys, self.keys)))
        gone = len(self.keys) - (len(keys) - new)
        return max(new, gone) <= REFIT_SHARE * len(self.keys)

    @functools.cached_property
    def fingerprint(self) -> str:
        """A hash of the model: what was weighed with it may be kept while it stays (0.015 s at
        10,000 articles, where its 15 MB projection was copied twice first: 0.07 s)."""
        return parts_digest((names_array(self.words), self.document_frequency, str(self.total).encode(),
                             self.average_length, self.projection, str(self.projection.shape).encode(), self.keys,
                             self.settings.encode()))[:16].hex()


def model_bytes(model: TextModel) -> bytes:
    arrays = {"format": np.array(_FORMAT), "settings": np.frombuffer(model.settings.encode(), dtype=np.uint8),
              "words": names_array(model.words),
              "document_frequency": model.document_frequency.astype(np.float32), "total": np.array(model.total),
              "average_length": np.array(model.average_length, dtype=np.float32),
              "projection": model.projection.astype(np.float32), "keys": model.keys.astype(np.uint64)}
    out = io.BytesIO()
    np.savez(out, **arrays)
    return out.getvalue()


def read_model(path: Path) -> TextModel | None:
    """The model in ``path``, or None when there is no such file; raises ``ModelError`` when it
    is no model this digest wrote (damaged, or of another format), and OSError when unreadable."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    if not data.startswith(b"PK"):  # np.load would take other bytes for a pickle or a bare array
        raise ModelError("not an .npz file")
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as stored:
            if sorted(stored.files) != sorted(_ARRAYS):
                raise ModelError("not the arrays of a model")
            arrays = {name: stored[name] for name in _ARRAYS}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:
        raise ModelError(str(exc) or type(exc).__name__) from None
    return _model(arrays)


def _model(arrays: dict[str, np.ndarray]) -> TextModel:
    def array(name: str, kind: str, dims: int) -> np.ndarray:
        value = arrays[name]
        if value.dtype.kind != kind or value.ndim != dims:
            raise ModelError(f"{name} is no {dims}-dimensional array of kind {kind}")
        return value

    if int(array("format", "i", 0)) != _FORMAT:
        raise ModelError(f"format {int(arrays['format'])}, not {_FORMAT}")
    try:
        words = tuple(names_from(array("words", "u", 1)))
        settings = array("settings", "u", 1).tobytes().decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ModelError(str(exc)) from None
    frequency, projection = array("document_frequency", "f", 1), array("projection", "f", 2)
    keys, total = array("keys", "u", 1), int(array("total", "i", 0))
    average = np.float32(array("average_length", "f", 0))
    if (len(frequency) != len(words) or projection.shape[0] != len(words) or list(words) != sorted(set(words))
            or total != len(keys) or total < 1 or np.any(keys[1:] < keys[:-1]) or not average > 0
            or not np.all(np.isfinite(projection)) or not np.all(frequency >= 1)):
        raise ModelError("its arrays do not fit together")
    return TextModel(words, frequency.astype(np.float32, copy=False), total, average,
                     projection.astype(np.float32, copy=False), keys.astype(np.uint64, copy=False), settings)
