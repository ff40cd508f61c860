"""The strict YAML loader: no silent conversions, no lost keys, lines kept."""

from pathlib import Path

import pytest

from factsheet.load import LoadError, load_file, load_text

P = Path("facts/topics/x.yaml")


def test_values_stay_as_typed():
    doc = load_text("a: no\nb: 2025-01-02\nc: 007\nd: 1.10\ne: yes\n", P)
    assert doc.data == {"a": "no", "b": "2025-01-02", "c": "007", "d": "1.10", "e": "yes"}


def test_null_and_empty_become_none_but_quoted_null_is_text():
    doc = load_text('a: null\nb: ~\nc:\nd: "null"\n', P)
    assert doc.data == {"a": None, "b": None, "c": None, "d": "null"}


def test_lines_are_recorded_for_keys_and_items():
    doc = load_text("facts:\n  - id: one\n    quote: |\n      text\n  - id: two\n", P)
    assert doc.line_of(("facts", 0, "id")) == 2
    assert doc.line_of(("facts", 0, "quote")) == 3
    assert doc.line_of(("facts", 1)) == 5
    # a path that does not exist points at its nearest parent
    assert doc.line_of(("facts", 1, "missing")) == 5


def problem(text: str):
    with pytest.raises(LoadError) as info:
        load_text(text, P)
    return info.value.problem


def test_duplicate_key_names_both_lines():
    p = problem("id: a\ntitle: one\ntitle: two\n")
    assert p.where.line == 3
    assert p.where.field == "title"
    assert "appears twice in the same block (first on line 2)" in p.message
    assert p.fix


def test_duplicate_key_inside_a_list_item():
    p = problem("facts:\n  - id: a\n    id: b\n")
    assert (p.where.line, p.where.field) == (3, "facts[0].id")


def test_aliases_are_refused_where_they_are_used():
    p = problem("a: &x hello\nb: *x\n")
    assert p.where.line == 2
    assert "Anchors and aliases" in p.message


def test_tags_are_refused():
    p = problem("a: !!python/object:os.system 1\n")
    assert "tag" in p.message


def test_several_documents_are_refused():
    p = problem("a: 1\n---\nb: 2\n")
    assert p.where.line == 2
    assert "more than one YAML document" in p.message


def test_syntax_error_has_line_and_plain_advice():
    p = problem("title: Ketamine\nstatement: one: two\n")
    assert p.where.line == 2
    assert p.message.startswith("The YAML could not be read")
    assert "quotes" in p.fix


def test_bad_encoding_is_reported_with_line(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_bytes(b"a: ok\nb: caf\xe9\n")
    with pytest.raises(LoadError) as info:
        load_file(path)
    assert info.value.problem.where.line == 2
    assert "UTF-8" in info.value.problem.message


def test_empty_file_loads_as_none():
    assert load_text("# only a comment\n", P).data is None
