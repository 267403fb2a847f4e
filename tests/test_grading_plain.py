"""Answers as plain data (grading/plain.py), the names a test cell reads, and the hidden-check words."""

from __future__ import annotations

import json
import os
from pathlib import Path

import nbformat
import numpy as np
import pandas as pd
import pytest

from teachkit import checks
from teachkit.authoring.exercise_set import SetError, answer_names, read_set
from teachkit.grading.plain import PlainError, Unexported, encode, export, rebuild
from teachkit.grading.runner import read_answers

ROOT = Path(__file__).resolve().parents[1]


def _round(value: object) -> object:
    return rebuild(json.loads(json.dumps(encode(value))))


@pytest.mark.parametrize(
    "value",
    [
        3,
        2.5,
        float("nan"),
        True,
        None,
        "S13",
        [1, "a", 2.0],
        (1, 2),
        {"a": 1, 2: [3]},
        {"x", "y"},
        pd.Timestamp("2018-03-01 14:00"),
        pd.Series([1.5, 2.0], index=pd.Index([2018, 2020], name="year"), name="young"),
        pd.Series([True, False], index=pd.Index(["a", "b"], name="k")),
        pd.Series([3, 4], index=pd.DatetimeIndex(["2020-01-01", "2020-01-02"], name="time")),
        pd.DataFrame(
            {"young": [80.0, 85.0], "old": [20.0, 25.0], "n": [1, 2], "label": ["a", "b"]},
            index=pd.Index([2018, 2020], name="year"),
        ),
        pd.DataFrame({"v": [1.0, 2.0]}, index=pd.MultiIndex.from_tuples([("a", 1), ("b", 2)], names=["k", "n"])),
    ],
)
def test_plain_values_come_back_equal_and_checks_agree(value: object) -> None:
    back = _round(value)
    assert checks.compare(back, value) == []
    if isinstance(value, (pd.Series, pd.DataFrame)):
        assert type(back) is type(value)
        pd.testing.assert_index_equal(back.index, value.index, exact=False)
        if isinstance(value, pd.DataFrame):
            assert list(back.dtypes.astype(str)) == list(value.dtypes.astype(str))
        else:
            assert str(back.dtype) == str(value.dtype) and back.name == value.name


def test_numpy_numbers_and_the_stub_travel_as_plain_values() -> None:
    assert type(_round(np.float64(2.5))) is float and type(_round(np.int64(3))) is int
    assert _round(...) is Ellipsis


def test_objects_do_not_cross() -> None:
    class Sneaky(float):
        def __eq__(self, other: object) -> bool:
            return True

        __hash__ = float.__hash__

    assert type(_round(Sneaky(1.0))) is float and _round(Sneaky(1.0)) != 2.0
    back = _round(lambda x: x)
    assert isinstance(back, Unexported) and back != back
    assert checks.compare(back, 2.0) != []


@pytest.mark.parametrize(
    "data",
    [
        {"t": "pickle", "v": "gASV"},
        {"t": "int", "v": "3"},
        {"t": "series", "v": [{"t": "int", "v": 1}], "index": {"names": [], "dtypes": [], "levels": []}},
        {"t": "list", "v": [{"t": "list", "v": []}] * 3} | {"v": None},
        "not a dict",
    ],
)
def test_rebuild_refuses_what_it_does_not_know(data: object) -> None:
    with pytest.raises(PlainError):
        rebuild(data)


def test_export_and_read_back_with_limits(tmp_path: Path) -> None:
    folder = tmp_path / "answers"
    export("t1", ["a", "gone"], {"a": 1.5}, str(folder))
    (folder / "t2.json").write_text("[" * 100_000 + "]" * 100_000)
    os.mkfifo(folder / "t3.json")
    (folder / "t4.json").symlink_to(folder / "t1.json")
    (folder / "t5.json").write_text(json.dumps({"task": "t5", "values": {"a": {"t": "str", "v": "x" * 5_000_000}}}))
    found = read_answers(folder, ["t1", "t2", "t3", "t4", "t5", "t6"])
    assert found["t1"] == {"a": {"t": "float", "v": 1.5}, "gone": {"t": "missing"}}
    assert found["t2"] == "the exported answers were not readable data"
    assert "could not be read" in found["t3"] and "could not be read" in found["t4"]
    assert "could not be read" in found["t5"] and "no answers were exported" in found["t6"]


def test_answer_names_are_derived_and_can_be_declared(tmp_path: Path) -> None:
    path = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"
    exercise_set = read_set(path)
    assert answer_names(exercise_set, "eu-series") == ["eu_series"]
    assert answer_names(exercise_set, "gap-change") == ["gap_change_pp"]
    notebook = nbformat.read(path, as_version=4)
    for cell in notebook.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "gap-change":
            cell.metadata["teachkit"] = {"answers": ["gap_change_pp", "gap"]}
        if cell.metadata.get("nbgrader", {}).get("grade_id") == "registered":
            cell.metadata["teachkit"] = {"answers": "registered_65plus"}
    copy = tmp_path / path.name
    nbformat.write(notebook, copy)
    declared = read_set(copy)
    assert answer_names(declared, "gap-change") == ["gap_change_pp", "gap"]
    with pytest.raises(SetError, match="teachkit.answers"):
        answer_names(declared, "registered")


@pytest.mark.parametrize(
    ("value", "expected", "words"),
    [
        (3.0, 7.5, "too small"),
        (9.0, 7.5, "too large"),
        ("x", 7.5, "wrong type"),
        (pd.Series([1.0]), pd.Series([1.0, 2.0]), "missing rows"),
        (pd.Series([2.0, 1.0], index=[1, 0]), pd.Series([1.0, 2.0]), "different order"),
        ([1, 2], [1, 2, 3], "missing elements"),
        ("S1", "S13", "different text"),
    ],
)
def test_hidden_problems_say_what_is_wrong_without_the_expected_value(value, expected, words) -> None:
    problems = checks.hidden_problems(value, expected)
    assert problems and words in problems[0]
    assert "7.5" not in " ".join(problems) and "S13" not in " ".join(problems)
    assert checks.hidden_problems(expected, expected) == []
