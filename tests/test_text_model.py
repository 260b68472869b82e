"""The kept text model: its file, when it fits, and builds that weigh words with it."""

import dataclasses
import io
import random
import shutil
import tempfile
import time
import weakref
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import pytest

from generator import neighbours, pipeline, similarity, text_model
from generator.atomic import TEMP_PREFIX
from generator.array_stores import NEIGHBOURS, RELATED, TERM_COUNTS, read_kept_neighbours
from generator.cli import main
from generator.config import load_config
from generator.fingerprint import CACHE_DIR, environment_fingerprint
from generator.similarity import MODEL_SETTINGS, KeptFeatures, text_features, text_keys
from generator.neighbours import kept_neighbours, nearest
from generator.text_model import ModelError, TextModel, model_bytes, read_model
from tests.conftest import article_text, site_tree, subject_corpus
from tests.test_related import scoring_counted

MODEL = "text-model.npz"
in_rows = neighbours._nearest_in_rows


def documents(count=40, seed=5):
    return subject_corpus(count, 3, seed)[0]


def fitted(docs):
    return text_features(docs, keep_model=True).model


def test_a_model_reads_back_as_written(tmp_path):
    model = fitted(documents())
    (tmp_path / MODEL).write_bytes(model_bytes(model))
    again = read_model(tmp_path / MODEL)
    assert again.words == model.words and again.total == model.total == 40
    assert again.settings == model.settings == MODEL_SETTINGS
    for name in ("document_frequency", "projection", "keys", "average_length"):
        assert np.asarray(getattr(again, name)).tobytes() == np.asarray(getattr(model, name)).tobytes()
    assert read_model(tmp_path / "none.npz") is None


def changed_model(model, part):
    """``model`` with ``part`` changed in one place (or only in its shape)."""
    if part == "words":
        return dataclasses.replace(model, words=(*model.words[:-1], model.words[-1] + "x"))
    if part == "total":
        return dataclasses.replace(model, total=model.total + 1)
    if part == "average_length":
        return dataclasses.replace(model, average_length=np.float32(model.average_length + 1))
    if part == "projection shape":  # the same numbers, one column
        return dataclasses.replace(model, projection=model.projection.reshape(-1, 1))
    if part == "settings":
        return dataclasses.replace(model, settings=model.settings + " more")
    values = getattr(model, part).copy()
    values.reshape(-1)[len(values) // 2] += 1
    return dataclasses.replace(model, **{part: values})


@pytest.mark.parametrize("part", ["words", "document_frequency", "total", "average_length", "projection",
                                  "projection shape", "keys", "settings"])
def test_a_model_changed_in_any_part_has_another_fingerprint(tmp_path, part):
    model = fitted(documents())
    (tmp_path / MODEL).write_bytes(model_bytes(model))
    assert read_model(tmp_path / MODEL).fingerprint == model.fingerprint  # read back: the same model
    assert changed_model(model, part).fingerprint != model.fingerprint


def damaged(model_file: Path) -> None:
    model_file.write_bytes(model_file.read_bytes()[:500])


def pickled(model_file: Path) -> None:
    out = io.BytesIO()
    np.savez(out, **{name: np.array([{"x": 1}], dtype=object) for name in text_model._ARRAYS})
    model_file.write_bytes(out.getvalue())


def mismatched(model_file: Path) -> None:
    with np.load(model_file) as stored:
        arrays = dict(stored)
    arrays["projection"] = arrays["projection"][:-1]
    out = io.BytesIO()
    np.savez(out, **arrays)
    model_file.write_bytes(out.getvalue())


@pytest.mark.parametrize("spoil, message", [(damaged, "File is not a zip file"), (lambda f: f.write_bytes(b"x" * 99), "not an .npz file"),
                                            (pickled, "Object arrays cannot be loaded when allow_pickle=False"),
                                            (mismatched, "its arrays do not fit together")])
def test_a_file_that_is_no_model_is_refused(tmp_path, spoil, message):
    (tmp_path / MODEL).write_bytes(model_bytes(fitted(documents())))
    spoil(tmp_path / MODEL)
    with pytest.raises(ModelError, match=message):
        read_model(tmp_path / MODEL)


def test_a_model_fits_until_a_tenth_of_its_articles_changed_or_came_or_went():
    docs = documents(40)
    model = fitted(docs)
    keys = text_keys(docs)
    edited = lambda n: text_keys([(title, body + " more") if i < n else (title, body)  # noqa: E731
                                  for i, (title, body) in enumerate(docs)])
    assert model.fits(keys, MODEL_SETTINGS) and model.fits(edited(4), MODEL_SETTINGS)
    assert not model.fits(edited(5), MODEL_SETTINGS)
    assert model.fits(keys[:36], MODEL_SETTINGS) and not model.fits(keys[:35], MODEL_SETTINGS)
    added = text_keys(documents(5, seed=9))
    assert model.fits(np.concatenate([keys, added[:4]]), MODEL_SETTINGS)
    assert not model.fits(np.concatenate([keys, added]), MODEL_SETTINGS)
    assert not model.fits(keys, MODEL_SETTINGS + " changed")


def test_with_a_model_an_edit_changes_no_other_articles_vectors_or_topics():
    docs = documents(40)
    model = fitted(docs)
    edited = [*docs[:7], (docs[7][0], docs[7][1] + " " + docs[3][1]), *docs[8:]]
    before = text_features(docs, keep_model=True, model=model)
    pinned = text_features(edited, keep_model=True, model=model)
    refitted = text_features(edited, keep_model=True)
    assert pinned.model is model and refitted.model is not model
    others = [n for n in range(40) if n != 7]
    assert pinned.vectors[others].toarray().tobytes() == before.vectors[others].toarray().tobytes()
    assert pinned.topics[others].tobytes() == before.topics[others].tobytes()
    assert pinned.vectors[7].toarray().tobytes() != before.vectors[7].toarray().tobytes()
    # Without the model the edit moves every article's weights.
    assert refitted.vectors[others].toarray().tobytes() != before.vectors[others].toarray().tobytes()


def test_a_fit_and_the_model_it_gives_weigh_words_alike():
    docs = documents(40)
    fit = text_features(docs, keep_model=True)
    with_model = text_features(docs, keep_model=True, model=fit.model)
    assert with_model.model is fit.model
    assert with_model.vectors.toarray().tobytes() == fit.vectors.toarray().tobytes()
    assert with_model.index.toarray().tobytes() == fit.index.toarray().tobytes()
    assert with_model.topics.tobytes() == fit.topics.tobytes()


def test_without_keep_model_no_model_is_made_or_used():
    docs = documents(40)
    assert text_features(docs).model is None
    model = fitted([(title, body + " zebra") for title, body in docs])
    assert "zebra" in model.words and "zebra" not in text_features(docs, model=model).words


# Builds


def corpus(count):
    docs, subjects = subject_corpus(count, 3)
    return {f"a{n:02}.md": article_text(title.title(), body, date=f"2024-03-{n % 28 + 1:02}",
                                        tags=[subjects[n].title()])
            for n, (title, body) in enumerate(docs)}


def build(config, capsys, *args):
    capsys.readouterr()
    assert main(["--config", str(config), "build", "--jobs", "1", *args]) == 0
    return capsys.readouterr()


def clean_site(config, capsys, tmp_path):
    """The project, text model included, copied elsewhere and built from nothing."""
    copy = Path(tempfile.mkdtemp(dir=tmp_path.parent))
    shutil.copy(config.parent / "site.yaml", copy / "site.yaml")
    shutil.copytree(config.parent / "content", copy / "content")
    if (config.parent / MODEL).exists():
        shutil.copy(config.parent / MODEL, copy / MODEL)
    build(copy / "site.yaml", capsys)
    return site_tree(copy / "site"), copy


def append(path, text):
    path.write_text(path.read_text() + text)


def test_a_large_site_keeps_its_model_and_an_edit_equals_a_clean_build_with_it(make_site, capsys, tmp_path):
    config = make_site(corpus(20), related={"model_from": 20})
    build(config, capsys)
    model_file = config.parent / MODEL
    kept = model_file.read_bytes()
    assert read_model(model_file).total == 20
    first = site_tree(config.parent / "site")
    clean, copy = clean_site(config, capsys, tmp_path / "a")
    assert clean == first and (copy / MODEL).read_bytes() == kept  # the model is a fit's: same pages
    assert "nothing changed" in build(config, capsys).out  # writing the model is no change
    append(config.parent / "content" / "articles" / "a03.md", " harbour crane quay " * 5)
    build(config, capsys)
    assert model_file.read_bytes() == kept  # one edit of 20: the model still fits
    after = site_tree(config.parent / "site")
    assert after != first
    assert after == clean_site(config, capsys, tmp_path / "b")[0]


def test_the_model_is_fitted_again_when_a_tenth_of_the_articles_are_new(make_site, capsys, tmp_path):
    config = make_site(corpus(20), related={"model_from": 20})
    build(config, capsys)
    model_file = config.parent / MODEL
    kept = model_file.read_bytes()
    folder = config.parent / "content" / "articles"
    for n in range(2):
        (folder / f"new{n}.md").write_text(article_text(f"New story {n}", "Fresh words here.", date="2024-04-01"))
    build(config, capsys)
    assert model_file.read_bytes() == kept  # two new of twenty: still fits
    (folder / "new2.md").write_text(article_text("New story 2", "Fresh words here.", date="2024-04-01"))
    build(config, capsys)
    assert read_model(model_file).total == 23
    assert "nothing changed" in build(config, capsys).out
    assert site_tree(config.parent / "site") == clean_site(config, capsys, tmp_path)[0]


def test_refit_fits_again_though_the_model_fits(make_site, capsys):
    config = make_site(corpus(20), related={"model_from": 20})
    build(config, capsys)
    append(config.parent / "content" / "articles" / "a03.md", " harbour crane quay")
    build(config, capsys)
    assert read_model(config.parent / MODEL).fits(np.zeros(0, dtype=np.uint64), MODEL_SETTINGS) is False
    before = read_model(config.parent / MODEL).keys
    build(config, capsys, "--refit")
    assert read_model(config.parent / MODEL).keys.tobytes() != before.tobytes()


def test_a_damaged_model_is_fitted_again_with_a_warning_naming_it(make_site, capsys, tmp_path):
    config = make_site(corpus(20), related={"model_from": 20})
    build(config, capsys)
    model_file = config.parent / MODEL
    kept = model_file.read_bytes()
    model_file.write_bytes(b"not a model")
    err = build(config, capsys).err
    assert f"{model_file}: not a text model this digest can read (not an .npz file) " \
           "(it is fitted again and replaced)" in err
    assert model_file.read_bytes() == kept
    assert site_tree(config.parent / "site") == clean_site(config, capsys, tmp_path)[0]


def test_a_model_of_other_settings_is_fitted_again(make_site, capsys, monkeypatch):
    config = make_site(corpus(20), related={"model_from": 20})
    build(config, capsys)
    model_file = config.parent / MODEL
    model = read_model(model_file)
    model_file.write_bytes(model_bytes(TextModel(model.words, model.document_frequency, model.total,
                                                 model.average_length, model.projection, model.keys, "older")))
    build(config, capsys)
    assert read_model(model_file).settings == MODEL_SETTINGS


@pytest.mark.parametrize("settings", [{"model_from": 21}, {"model_from": 0}])
def test_a_site_below_model_from_keeps_no_model(make_site, capsys, settings):
    config = make_site(corpus(20), related=settings)
    build(config, capsys)
    assert not (config.parent / MODEL).exists()


def test_the_model_file_is_where_related_model_says(make_site, capsys):
    config = make_site(corpus(20), related={"model_from": 20, "model": "state/words.npz"})
    build(config, capsys)
    assert read_model(config.parent / "state" / "words.npz").total == 20


# Neighbours found again from the last build's


def clustered_documents(count, seed, clusters=20):
    """Articles in ``clusters`` subjects of their own rare words, plus common ones: each shares
    indexed words with its subject's few articles, as on a real site, not with all."""
    rng = random.Random(seed)
    common = [f"common{n}" for n in range(30)]
    docs = []
    for _ in range(count):
        subject = rng.randrange(clusters)
        pool = [f"s{subject}w{n}" for n in range(40)]
        words = rng.choices(pool, k=40) + rng.choices(common, k=30)
        docs.append((" ".join(rng.choices(pool, k=3)), " ".join(words)))
    return docs


def found_again(docs, model, kept):
    """Neighbours found again from ``kept`` (None: they could not be), afresh, and what to keep."""
    features = text_features(docs, keep_model=True, model=model)
    assert features.model is model
    afresh = nearest(features, 5)
    again = neighbours._nearest_again(features, neighbours._comparison(features, 5), 1, kept) if kept else None
    return again, afresh, kept_neighbours(features, 5, afresh)


@pytest.mark.parametrize("candidates", [neighbours.CANDIDATES, 6])
@pytest.mark.parametrize("seed", range(6))
def test_neighbours_found_again_after_edits_equal_those_found_afresh(seed, candidates, monkeypatch):
    # With 6 candidates most rows have a last candidate that an edited article must outrank
    # (with 64, few of these articles share words with that many): both ways are compared.
    monkeypatch.setattr(neighbours, "CANDIDATES", candidates)
    monkeypatch.setattr(neighbours, "EXACT", min(neighbours.EXACT, candidates // 2))
    rng = random.Random(seed)
    docs = clustered_documents(150, seed)
    spare = clustered_documents(12, seed + 50)
    model = fitted(docs)
    monkeypatch.setattr(text_model, "REFIT_SHARE", 1.0)  # the model stays, whatever the edits
    kept = found_again(docs, model, None)[2]
    for step in range(5):
        n = rng.randrange(len(docs))
        action = ["edit", "add", "remove", "edit", rng.choice(["edit", "add", "remove"])][step]
        if action == "edit":
            docs[n] = (docs[n][0], docs[n][1] + " " + rng.choice(spare)[1])
        elif action == "add":
            docs.insert(n, spare[step])
        else:
            del docs[n]
        again, afresh, kept = found_again(docs, model, kept)
        assert again is not None, (step, action)
        assert again == afresh, (step, action)
        assert nearest(text_features(docs, keep_model=True, model=model), 5, kept=kept) == afresh


def test_an_edit_compares_again_only_the_articles_whose_candidates_it_reaches(monkeypatch):
    monkeypatch.setattr(neighbours, "CANDIDATES", 6)
    monkeypatch.setattr(neighbours, "EXACT", 3)
    monkeypatch.setattr(text_model, "REFIT_SHARE", 1.0)
    docs = clustered_documents(150, 1)
    model = fitted(docs)
    kept = found_again(docs, model, None)[2]
    assert np.count_nonzero(kept.neighbours.last_candidates[:, 1] >= 0) > 100  # most rows have 6 candidates or more
    docs[7] = (docs[7][0], docs[7][1] + " " + clustered_documents(1, 77)[0][1])
    compared, compare = [], neighbours._nearest_in_share
    monkeypatch.setattr(neighbours, "_nearest_in_share", lambda shared, rows: compared.extend(rows.tolist()) or
                        compare(shared, rows))
    again, afresh, _ = found_again(docs, model, kept)
    assert again == afresh
    again_only = compared[len(docs):]  # after the fresh comparison of every row
    index = text_features(docs, keep_model=True, model=model).index
    words = np.union1d(index[7].indices, kept.features.index[7].indices)
    sharing = set(np.flatnonzero(index[:, words].getnnz(axis=1)).tolist())
    assert 7 in again_only and set(again_only) < sharing  # not every article sharing a word with it


def test_a_row_whose_last_candidate_is_outranked_or_removed_is_compared_again():
    # Row 0's last candidate is row 5, sharing 3 words: an article sharing 4, or 3 and before
    # row 5, outranks it; one sharing 3 after it, or 2, does not. The old text of one removed
    # reaches the row if it was a candidate: it outranked the last, or was it.
    last = np.array([[3, 5], [0, -1]], dtype=np.int64)
    articles = np.array([2, 4, 5, 6, 9])
    shared = sp.csr_matrix(np.array([[4, 0], [3, 0], [3, 0], [3, 0], [2, 1]], dtype=np.float32))
    assert neighbours._outranking(shared[[0]], articles[[0]], last).tolist() == [0]
    assert neighbours._outranking(shared[[1]], articles[[1]], last).tolist() == [0]
    assert neighbours._outranking(shared[[2]], articles[[2]], last).tolist() == [0]  # the last itself
    assert neighbours._outranking(shared[[3]], articles[[3]], last).tolist() == []
    assert neighbours._outranking(shared[[4]], articles[[4]], last).tolist() == [1]  # row 1 takes any sharer


def weighing_counted(monkeypatch):
    """The rows each weighing weighs, as the calls go."""
    weighed, weigh = [], similarity._weighed
    monkeypatch.setattr(similarity, "_weighed", lambda counts, *rest: weighed.append(counts.counts.shape[0]) or
                        weigh(counts, *rest))
    return weighed


def same_features(one, other):
    return (all(np.array_equal(getattr(one, name).toarray(), getattr(other, name).toarray())
                and getattr(one, name).dtype == getattr(other, name).dtype for name in ("vectors", "index"))
            and one.topics.tobytes() == other.topics.tobytes() and one.words == other.words
            and np.array_equal(one.keys, other.keys))


def test_rows_kept_under_the_model_are_taken_and_equal_rows_weighed_afresh(monkeypatch):
    docs = clustered_documents(80, 3)
    model = fitted(docs)
    monkeypatch.setattr(text_model, "REFIT_SHARE", 1.0)  # the model stays, whatever the edits
    kept = KeptFeatures.of(text_features(docs, keep_model=True, model=model))
    docs[5] = (docs[5][0], docs[5][1] + " s1w1 s1w2")
    docs.insert(10, clustered_documents(1, 99)[0])
    del docs[40]
    docs.append(docs[0])  # the same text twice: one kept row serves both
    weighed = weighing_counted(monkeypatch)
    again = text_features(docs, keep_model=True, model=model, kept=kept)
    assert weighed == [2]  # the edited and the added article's
    afresh = text_features(docs, keep_model=True, model=model)
    assert weighed == [2, len(docs)]
    assert same_features(again, afresh) and again.model is afresh.model is model


def test_rows_kept_under_another_model_are_weighed_again(monkeypatch):
    docs = clustered_documents(80, 3)
    model = fitted(docs)
    other = dataclasses.replace(model, projection=-model.projection)  # same words, other topics
    kept = KeptFeatures.of(text_features(docs, keep_model=True, model=other))
    weighed = weighing_counted(monkeypatch)
    again = text_features(docs, keep_model=True, model=model, kept=kept)
    assert weighed == [80]
    assert same_features(again, text_features(docs, keep_model=True, model=model))


def test_neighbours_are_found_afresh_when_the_rows_change_order_or_the_model_changes(monkeypatch):
    docs = documents(60)
    model = fitted(docs)
    features = text_features(docs, keep_model=True, model=model)
    kept = kept_neighbours(features, 5, nearest(features, 5))
    swapped = [docs[1], docs[0], *docs[2:]]
    features = text_features(swapped, keep_model=True, model=model)
    assert neighbours._nearest_again(features, neighbours._comparison(features, 5), 1, kept) is None
    assert nearest(features, 5, kept=kept) == nearest(features, 5)
    other = fitted(documents(60, seed=9))
    monkeypatch.setattr(text_model, "REFIT_SHARE", 1.0)  # the other model is used
    features = text_features(docs, keep_model=True, model=other)
    assert features.model is other
    assert neighbours._nearest_again(features, neighbours._comparison(features, 5), 1, kept) is None


def test_a_build_keeps_its_rows_and_neighbours_and_an_edit_finds_them_again(make_site, capsys, tmp_path, monkeypatch):
    config = make_site(clustered_corpus(), related={"model_from": 20})
    build(config, capsys)
    environment = environment_fingerprint(load_config(config))
    kept = read_kept_neighbours(load_config(config), environment)
    assert kept is not None and kept.neighbours.last_candidates.shape == (len(kept.features.keys), 2)
    compared = []
    monkeypatch.setattr(neighbours, "_nearest_in_rows", lambda shared, rows: compared.append(len(rows)) or
                        in_rows(shared, rows))
    weighed = weighing_counted(monkeypatch)
    scored = scoring_counted(monkeypatch)
    append(config.parent / "content" / "articles" / "a03.md", " s0w1 s0w2 s0w3")
    build(config, capsys)
    assert 0 < sum(compared) < 20  # those sharing words with the edited article alone, of 60
    assert weighed == [1]  # the other rows are the last build's
    assert 0 < len(scored) <= sum(compared)  # links of those whose similar texts changed
    assert site_tree(config.parent / "site") == clean_site(config, capsys, tmp_path)[0]


def test_the_kept_rows_are_written_and_let_go_of_before_the_pages_render(make_site, capsys, monkeypatch):
    # Held while the pages rendered, they were in the search index's memory and in every
    # rendering process's too: about 700 MB of a 100,000-article build's peak. They are written
    # in the background while the pages are planned, and waited for.
    config = make_site(corpus(20), related={"model_from": 20})
    cache, kept, seen = config.parent / CACHE_DIR, [], []
    index_site, publish, write_kept = pipeline.index_site, pipeline.publish, pipeline.write_kept_neighbours

    def indexed(*args, **kwargs):
        site = index_site(*args, **kwargs)
        kept.append(weakref.ref(site.kept_neighbours))
        return site

    def slowly_kept(*args):
        time.sleep(0.5)  # still writing when the pages are planned, unless waited for
        write_kept(*args)

    def published(*args, **kwargs):
        seen.append((kept[-1]() is None, (cache / NEIGHBOURS).is_file(), (cache / RELATED).is_file(),
                     (cache / TERM_COUNTS).is_file()))
        return publish(*args, **kwargs)
    monkeypatch.setattr(pipeline, "index_site", indexed)
    monkeypatch.setattr(pipeline, "write_kept_neighbours", slowly_kept)
    monkeypatch.setattr(pipeline, "publish", published)
    build(config, capsys)
    assert seen == [(True, True, True, True)]


def test_a_build_failing_as_it_plans_its_pages_still_writes_the_kept_rows_whole(make_site, capsys, monkeypatch):
    config = make_site(corpus(20), related={"model_from": 20})
    write_kept = pipeline.write_kept_neighbours

    def slowly_kept(*args):
        time.sleep(0.5)
        write_kept(*args)

    def failing(*args, **kwargs):
        raise KeyboardInterrupt
    monkeypatch.setattr(pipeline, "write_kept_neighbours", slowly_kept)
    monkeypatch.setattr(pipeline, "plan_listings", failing)
    assert main(["--config", str(config), "build", "--jobs", "1"]) == 130
    cache = config.parent / CACHE_DIR
    assert read_kept_neighbours(load_config(config), environment_fingerprint(load_config(config))) is not None
    assert not [path.name for path in cache.iterdir() if path.name.startswith(TEMP_PREFIX)]  # none left half written


def garbage(path):
    path.write_bytes(b"garbage")


def truncated(path):
    path.write_bytes(path.read_bytes()[:-200])


@pytest.mark.parametrize("store", [NEIGHBOURS, RELATED])
@pytest.mark.parametrize("spoil", [garbage, truncated])
def test_spoilt_kept_rows_neighbours_and_links_are_not_trusted(make_site, capsys, tmp_path, spoil, store):
    config = make_site(clustered_corpus(), related={"model_from": 20})
    build(config, capsys)
    spoil(config.parent / CACHE_DIR / store)
    append(config.parent / "content" / "articles" / "a03.md", " s0w1 s0w2 s0w3")
    build(config, capsys)
    assert site_tree(config.parent / "site") == clean_site(config, capsys, tmp_path)[0]


@pytest.mark.parametrize("spoil", ["row past the last", "row below -1", "negative count", "one row short"])
def test_kept_last_candidates_that_do_not_check_out_are_not_trusted(make_site, capsys, spoil):
    config = make_site(clustered_corpus(), related={"model_from": 20})
    build(config, capsys)
    path = config.parent / CACHE_DIR / NEIGHBOURS
    with np.load(path) as stored:
        arrays = dict(stored)
    last = arrays["last_candidates"]
    if spoil == "row past the last":
        last[3, 1] = len(last)
    elif spoil == "row below -1":
        last[3, 1] = -2
    elif spoil == "negative count":
        last[3, 0] = -1
    else:
        arrays["last_candidates"] = last[:-1]
    np.savez(path, **arrays)
    settings = load_config(config)
    assert read_kept_neighbours(settings, environment_fingerprint(settings)) is None


@pytest.mark.parametrize("remove", [False, True])
def test_rows_neighbours_and_links_kept_two_builds_ago_are_taken_alike(make_site, capsys, tmp_path, remove):
    config = make_site(clustered_corpus(), related={"model_from": 20})
    build(config, capsys)
    kept = [config.parent / CACHE_DIR / store for store in (NEIGHBOURS, RELATED)]
    older = [store.read_bytes() for store in kept]
    folder = config.parent / "content" / "articles"
    append(folder / "a03.md", " s0w1 s0w2 s0w3")
    if remove:
        (folder / "a07.md").unlink()
    build(config, capsys)
    for store, content in zip(kept, older):
        store.write_bytes(content)
    append(folder / "a11.md", " s1w1 s1w2")
    build(config, capsys)
    assert site_tree(config.parent / "site") == clean_site(config, capsys, tmp_path)[0]


def clustered_corpus():
    return {f"a{n:02}.md": article_text(title.title(), body, date=f"2024-03-{n % 28 + 1:02}")
            for n, (title, body) in enumerate(clustered_documents(60, 3))}
