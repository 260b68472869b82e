"""Compiled templates kept between builds: used when they check out, else compiled again."""

import jinja2
import pytest

from generator.config import load_config
from generator.template_cache import SUFFIX, TemplateCache
from generator.theme import load_theme

CODE = "c0de" * 16


@pytest.fixture
def compiles(monkeypatch):
    """The names of the templates compiled from source since the fixture was made."""
    names = []
    original = jinja2.Environment.compile

    def compile(self, source, name=None, filename=None, *args, **kwargs):
        names.append(name)
        return original(self, source, name, filename, *args, **kwargs)
    monkeypatch.setattr(jinja2.Environment, "compile", compile)
    return names


def page(config, folder, code=CODE):
    """An empty sitemap, rendered by a theme whose compiled templates ``folder`` keeps."""
    theme = load_theme(config, TemplateCache(folder, code))
    return theme.environment.get_template("sitemap.xml").render(entries=[])


def test_a_template_compiled_once_is_not_compiled_again(make_site, tmp_path, compiles):
    config = load_config(make_site())
    first = page(config, tmp_path / "templates")
    assert compiles == ["sitemap.xml"]
    assert len(list((tmp_path / "templates").glob(f"*{SUFFIX}"))) == 1
    compiles.clear()
    assert page(config, tmp_path / "templates") == first
    assert compiles == []


def test_a_changed_template_or_other_code_compiles_again(make_site, tmp_path, compiles):
    config = load_config(make_site())
    page(config, tmp_path)
    compiles.clear()
    assert page(config, tmp_path, code="f" * 64) == page(config, tmp_path)  # the other code's file went
    assert compiles == ["sitemap.xml", "sitemap.xml"]
    assert len(list(tmp_path.glob(f"*{SUFFIX}"))) == 1
    compiles.clear()
    override = config.root / "templates" / "sitemap.xml"
    override.parent.mkdir(exist_ok=True)
    override.write_text("<urlset>{{ entries | length }} pages</urlset>\n")
    assert page(config, tmp_path) == "<urlset>0 pages</urlset>\n"
    override.write_text("<urlset>{{ entries | length }} pages listed</urlset>\n")  # the same file, edited
    assert page(config, tmp_path) == "<urlset>0 pages listed</urlset>\n"
    assert compiles == ["sitemap.xml", "sitemap.xml"]


@pytest.mark.parametrize("damage", ["a byte changed", "cut short", "empty", "no hash", "another Jinja's header",
                                    "no code after the header"])
def test_a_damaged_compiled_template_is_compiled_again_and_replaced(make_site, tmp_path, compiles, damage):
    config = load_config(make_site())
    expected = page(config, tmp_path)
    [stored] = tmp_path.glob(f"*{SUFFIX}")
    data = stored.read_bytes()
    if damage == "a byte changed":
        data = data[:-10] + bytes([data[-10] ^ 1]) + data[-9:]
    elif damage == "cut short":
        data = data[:len(data) // 2]
    elif damage == "empty":
        data = b""
    elif damage == "no hash":
        data = data[32:]
    else:  # whole, as hashed: but of another Jinja, or no compiled code after Jinja's header and checksum
        import hashlib
        import marshal
        import pickle

        from jinja2.bccache import bc_magic

        payload = (b"j2-other-version" + data[48:] if damage == "another Jinja's header"
                   else bc_magic + pickle.dumps(pickle.loads(data[32 + len(bc_magic):]), 2) + marshal.dumps("text"))
        data = hashlib.blake2b(payload, digest_size=32).digest() + payload
    stored.write_bytes(data)
    compiles.clear()
    assert page(config, tmp_path) == expected
    assert compiles == ["sitemap.xml"]
    assert stored.read_bytes() != data  # replaced by the template as compiled now
    compiles.clear()
    page(config, tmp_path)
    assert compiles == []


def test_templates_compile_when_their_cache_cannot_be_written(make_site, tmp_path, compiles):
    config = load_config(make_site())
    blocked = tmp_path / "templates"
    blocked.write_text("a file where the cache's folder goes")
    assert page(config, blocked) == page(config, tmp_path / "elsewhere")
    assert blocked.read_text() == "a file where the cache's folder goes"


def test_files_of_other_code_and_files_left_half_written_go_as_the_cache_is_made(make_site, tmp_path):
    config = load_config(make_site())
    folder = tmp_path / "compiled"
    page(config, folder)
    [kept] = folder.glob(f"*{SUFFIX}")
    for name in (f"{'f' * 16}-0123{SUFFIX}", ".digest-tmp-abc123"):
        (folder / name).write_bytes(b"stale")
    (folder / "notes.txt").write_text("not the cache's")
    TemplateCache(folder, CODE)
    assert sorted(p.name for p in folder.iterdir()) == sorted([kept.name, "notes.txt"])
