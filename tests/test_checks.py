"""Checks that teach: each plausible mistake gets a sentence that names it."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from teachkit import checks
from teachkit.checks import CheckFailed, NotAnswered, check, compare, inspect


@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"year": [2016, 2018, 2020], "gap": [56.0, 69.0, 65.0]}).set_index("year")


def test_equal_values_have_no_problems(frame: pd.DataFrame) -> None:
    assert compare(frame.copy(), frame) == []
    assert compare(3, 3.0) == []
    assert compare("  Instagram ", "instagram") == []


def test_share_instead_of_percent_is_named(frame: pd.DataFrame) -> None:
    shares = frame / 100
    [problem] = compare(shares, frame)
    assert "row 2016" in problem and "100 times too small" in problem
    [problem] = compare(0.56, 56.0)
    assert "100 times too small" in problem
    [problem] = compare(5600.0, 56.0)
    assert "100 times too large" in problem


def test_rounding_and_sign_are_named() -> None:
    assert "rounded to 1 decimal" in compare(3.1, 3.14159)[0]
    assert "round your result to 2 decimal" in compare(3.14159, 3.14)[0]
    assert "wrong sign" in compare(-12.5, 12.5)[0]


def test_wrong_type_and_series_vs_frame(frame: pd.DataFrame) -> None:
    assert "expected a pandas DataFrame" in compare([1, 2], frame)[0]
    assert "got a Series" in compare(frame["gap"], frame)[0]
    assert "take the column" in compare(frame[["gap"]], frame["gap"])[0]
    assert "text (str)" in compare("56", 56.0)[0]
    assert "truth value" in compare(True, 1.0)[0]


def test_columns_and_index(frame: pd.DataFrame) -> None:
    flat = frame.reset_index()
    problems = compare(flat, frame)
    assert "extra column(s): 'year'" in problems[0] and ".set_index()" in problems[0]
    renamed = frame.rename(columns={"gap": "difference"})
    problems = compare(renamed, frame)
    assert any("missing column(s): 'gap'" in p for p in problems)
    assert any("extra column(s): 'difference'" in p for p in problems)
    by_other = frame.reset_index().set_index("gap")
    assert "missing column(s): 'gap'" in compare(by_other, frame)[0]


def test_unsorted_rows_and_missing_rows(frame: pd.DataFrame) -> None:
    shuffled = frame.iloc[[2, 0, 1]]
    [problem] = compare(shuffled, frame)
    assert "different order" in problem and "2016" in problem
    [problem] = compare(frame.iloc[:2], frame)
    assert "missing row label(s): 2020" in problem


def test_differing_rows_are_listed_first_few_only() -> None:
    want = pd.Series(range(10), dtype="float64", name="n")
    got = want + 1.5
    [problem] = compare(got, want)
    assert "differs in 10 of 10 rows" in problem
    assert "row 0: got 1.5, expected 0" in problem and "(and 7 more rows)" in problem


def test_numbers_stored_as_text() -> None:
    want = pd.Series([1.0, 2.0])
    [problem] = compare(want.astype(str), want)
    assert "should hold numbers" in problem


def test_structure_only_checks_reveal_no_values(frame: pd.DataFrame) -> None:
    assert inspect(frame, kind=pd.DataFrame, columns=["gap"], index="year", length=3) == []
    problems = inspect(frame.reset_index(), kind=pd.DataFrame, columns=["gap"], index="year")
    assert any("extra column(s): 'year'" in p for p in problems)
    assert any("index should be 'year'" in p for p in problems)
    assert "Remove the quotation marks" in inspect("56", kind=float)[0]
    assert inspect(np.float64(2.5), kind=float) == []
    assert inspect(True, kind=float) != []


def test_student_session_prints_and_goes_on(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(checks.GRADING_ENV, raising=False)
    assert check("gap", ..., kind=float, hidden=2) is None
    out = capsys.readouterr().out
    assert "gap: not answered yet" in out and "2 hidden checks will run at grading" in out
    check("gap", 0.56, 56.0)
    assert "✘ gap: not quite." in capsys.readouterr().out
    check("gap", 56.0, 56.0, hidden=1)
    out = capsys.readouterr().out
    assert "✔ gap: looks right." in out and "1 hidden check will run" in out


def test_grading_raises_with_the_same_words(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    log = tmp_path / "checks.jsonl"
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    monkeypatch.setenv(checks.LOG_ENV, str(log))
    with pytest.raises(NotAnswered):
        check("gap", ...)
    with pytest.raises(CheckFailed, match="100 times too small"):
        check("gap", 0.56, 56.0)
    check("gap", 56.0, 56.0)
    records = [json.loads(line) for line in log.read_text().splitlines()]
    assert [r["passed"] for r in records] == [False, False, True]
    assert [r["answered"] for r in records] == [False, True, True]
