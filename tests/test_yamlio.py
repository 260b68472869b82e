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
])
def test_problems_name_the_line(text, message, line):
    with pytest.raises(YamlProblem) as caught:
        load_yaml(text)
    assert (caught.value.message, caught.value.line) == (message, line)


def test_dump_keeps_order_and_round_trips():
    data = {"title": "Colon: and 'quotes' \"both\"", "tags": ["b", "a"], "n": "2025"}
    text = dump_yaml(data)
    assert text.index("title") < text.index("tags")
    assert load_yaml(text).data == data
