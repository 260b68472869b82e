from datetime import date

import pytest

from generator.yamlio import YamlProblem, dump_yaml, load_yaml


def test_yaml_1_1_booleans_stay_text():
    assert load_yaml("tags: [no, on, yes, off]\n").data == {"tags": ["no", "on", "yes", "off"]}
    assert load_yaml("draft: true\n").data == {"draft": True}


def test_key_lines_with_offset():
    loaded = load_yaml("title: x\n\ndate: 2024-03-30\n", line_offset=1)
    assert loaded.key_lines == {"title": 2, "date": 4}
    assert loaded.data["date"] == date(2024, 3, 30)


@pytest.mark.parametrize("text, message, line", [
    ("a: 1\nb: 2\na: 3\n", "duplicate key 'a' (first on line 1)", 3),
    ("x: &big [1, 2]\ny: *big\n", "YAML aliases (*name) are not allowed", 1),
    ("title: " + "[" * 30000 + "]" * 30000 + "\n", "YAML nested more than 32 levels deep", 1),
    ("when: 2023-02-29\n", "invalid date '2023-02-29': day is out of range for month", 1),
    ("!!python/object/apply:os.system [ls]\n",
     "could not determine a constructor for the tag 'tag:yaml.org,2002:python/object/apply:os.system'"
     " (only plain YAML is allowed)", 1),
    # Where an unclosed construct opens, not where the parser gave up lines later.
    ("title: T\ntags: [Putin,\n  Moscow\nsummary: x\n",
     "while parsing a flow sequence did not find expected ',' or ']'", 2),
    ('title: "T\ndate: 2024-01-01\n', "while scanning a quoted scalar found unexpected end of stream", 1),
    ("title: T\n- x\ndate: 2024-01-01\n", "while parsing a block mapping did not find expected key", 2),
])
def test_problems_name_the_line(text, message, line):
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text)
    assert (caught.value.message, caught.value.line) == (message, line)


def _nested(style: str, depth: int) -> str:
    """A document nested ``depth`` collections deep, each style as sparing of the characters
    collections start at as it can be."""
    if style == "flow sequences":
        return "[" * depth + "x" + "]" * depth + "\n"
    if style == "flow pairs":  # [a: [a: x]]: a sequence and a mapping per "[" and ":"
        return "[a: " * (depth // 2) + "x" + "]" * (depth // 2) + "\n"
    if style == "block sequences":
        return "- " * depth + "x\n"
    if style == "block mappings":
        return "".join(" " * level + "k:\n" for level in range(depth - 1)) + " " * (depth - 1) + "k: x\n"
    raise ValueError(style)


@pytest.mark.parametrize("style", ["flow sequences", "flow pairs", "block sequences", "block mappings"])
def test_nesting_is_refused_from_one_level_past_the_limit_in_every_style(style):
    # Texts short of characters that start collections skip the nesting check: the bound must
    # hold for the sparest way to nest.
    assert load_yaml(_nested(style, 32)).data is not None
    with pytest.raises(YamlProblem) as caught:
        load_yaml(_nested(style, 34 if style == "flow pairs" else 33))
    assert caught.value.message == "YAML nested more than 32 levels deep"


def test_dump_keeps_order_and_round_trips():
    data = {"title": "Colon: and 'quotes' \"both\"", "tags": ["b", "a"], "n": "2025"}
    text = dump_yaml(data)
    assert text.index("title") < text.index("tags")
    assert load_yaml(text).data == data
