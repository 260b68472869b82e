"""The README's site.yaml reference matches what the configuration accepts."""

import re
from pathlib import Path

import yaml

from generator import config as config_module
from generator.config import load_config

README = Path(__file__).resolve().parents[1] / "README.md"


def reference_rows() -> dict[str, str]:
    """key -> its example, from the README's site.yaml table."""
    text = README.read_text(encoding="utf-8")
    table = text[text.index("| key | default | meaning | example |"):].split("\n\n", 1)[0]
    rows = {}
    for line in table.splitlines()[2:]:
        cells = [cell.strip() for cell in line.strip().strip("|").split(" | ")]
        rows[cells[0].strip("`")] = re.fullmatch(r"`(.*)`", cells[-1]).group(1)
    return rows


def test_every_site_yaml_key_is_documented_with_an_example():
    documented = set(reference_rows())
    accepted = {key for key, (kind, _) in config_module._TOP_LEVEL.items() if kind is not dict}
    accepted |= {f"{section}.{key}" for section, keys in config_module._SECTIONS.items() for key in keys}
    accepted.add("topics")
    assert documented == accepted


def test_every_documented_example_is_accepted(tmp_path):
    (tmp_path / "themes" / "mine" / "templates").mkdir(parents=True)
    for key, example in reference_rows().items():
        data = {"title": "T", "base_url": "https://x.example/", **yaml.safe_load(example)}
        path = tmp_path / "site.yaml"
        path.write_text(yaml.safe_dump(data), encoding="utf-8")
        load_config(path)  # raises, naming the key, if the example is wrong
