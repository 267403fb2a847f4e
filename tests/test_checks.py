"""Checks that teach: each plausible mistake gets a sentence that names it."""

from __future__ import annotations

import json
import string

import numpy as np
import pandas as pd
import pytest

from teachkit import checks, course
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


# ---------------------------------------------------------------- the course language


@pytest.fixture
def german(monkeypatch: pytest.MonkeyPatch):
    """The course language is German for one test, as in a notebook of the German edition."""
    course.set_language(None)
    monkeypatch.delenv(checks.GRADING_ENV, raising=False)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    yield
    course.set_language(None)


def test_every_detail_line_exists_in_both_languages_with_the_same_fields() -> None:
    fields = string.Formatter()
    for key, texts in checks.DETAILS.items():
        assert set(texts) == set(course.LANGUAGES), key
        names = {lang: {f for _, f, _, _ in fields.parse(text) if f is not None} for lang, text in texts.items()}
        assert names["de"] == names["en"], key
        filled = {name: "X" for name in names["en"]}
        for lang in course.LANGUAGES:
            assert "X" in checks.say(key, lang, **filled) or not filled, key
    for words in (checks.OUTCOME_WORDS["en"], checks.OUTCOME_WORDS["de"]):
        assert set(words) == set(checks.OUTCOME_WORDS["en"])


def test_the_same_wrong_number_reads_in_each_language() -> None:
    assert compare(12, 13, lang="en") == ["got 12, expected 13."]
    assert compare(12, 13, lang="de") == ["Erwartet wurde 13, Ihr Ergebnis ist 12."]
    [english] = compare(0.56, 56.0, lang="en")
    [german] = compare(0.56, 56.0, lang="de")
    assert english.startswith("got 0.56, expected 56: your numbers are 100 times too small")
    assert german.startswith("Erwartet wurde 56, Ihr Ergebnis ist 0,56. Ihre Zahlen sind 100-mal zu klein")
    assert compare(3.1, 3.14159, lang="de") == [
        "Erwartet wurde 3,14159, Ihr Ergebnis ist 3,1. Ihre Zahlen sind offenbar auf eine Nachkommastelle "
        "gerundet: Rechnen Sie ungerundet weiter und runden Sie erst, wenn Sie das Ergebnis darstellen."
    ]
    assert "auf 2 Nachkommastellen, wie es die Aufgabe verlangt" in compare(3.14159, 3.14, lang="de")[0]
    assert "falsche Vorzeichen" in compare(-12.5, 12.5, lang="de")[0]


def test_differing_rows_read_with_decimal_commas_in_german() -> None:
    want = pd.Series(range(10), dtype="float64")
    [english] = compare(want + 1.5, want, lang="en")
    [german] = compare(want + 1.5, want, lang="de")
    assert english.startswith("column 'values' differs in 10 of 10 rows — row 0: got 1.5, expected 0;")
    assert german.startswith("Die Spalte ohne Namen weicht in 10 von 10 Zeilen ab – Zeile 0: erwartet 0, Ihr Wert 1,5;")
    assert german.endswith("(und 7 weitere Zeilen).") and english.endswith("(and 7 more rows).")
    [german] = compare(pd.Series([1.0, 2.0], name="n").astype(str), pd.Series([1.0, 2.0], name="n"), lang="de")
    assert german.startswith("Die Spalte 'n' sollte Zahlen enthalten") and "pd.to_numeric()" in german


def test_a_missing_column_reads_in_each_language(frame: pd.DataFrame) -> None:
    renamed = frame.rename(columns={"gap": "difference"})
    assert compare(renamed, frame, lang="en") == [
        "missing column(s): 'gap'.",
        "extra column(s): 'difference': keep only the columns the task asks for.",
    ]
    assert compare(renamed, frame, lang="de") == [
        "Es fehlt die Spalte 'gap'.",
        "Die Spalte 'difference' ist überflüssig: Behalten Sie nur die Spalten, die die Aufgabe verlangt.",
    ]
    both = pd.DataFrame({"a": [1], "b": [2]})
    assert compare(pd.DataFrame({"c": [1]}), both, lang="de")[0] == "Es fehlen die Spalten 'a', 'b'."
    [moved] = compare(frame.reset_index().set_index("gap"), frame, lang="de")[:1]
    assert moved == "Es fehlt die Spalte 'gap' (sie steht in Ihrem Index: Verwenden Sie .reset_index())."


def test_a_wrong_index_reads_in_each_language(frame: pd.DataFrame) -> None:
    unindexed = frame["gap"].reset_index(drop=True)
    assert compare(unindexed, frame["gap"], lang="en") == [
        "the row index should be 'year', but yours is unnamed (0, 1, 2, …): "
        "use .set_index('year') or groupby on that column."
    ]
    assert compare(unindexed, frame["gap"], lang="de") == [
        "Der Index sollte 'year' sein, Ihr Index ist aber unbenannt (0, 1, 2, …): "
        "Verwenden Sie .set_index('year') oder groupby nach dieser Spalte."
    ]
    [order] = compare(frame.iloc[[2, 0, 1]], frame, lang="de")
    assert order.startswith("Die Zeilen stehen in einer anderen Reihenfolge als erwartet (zuerst 2016, 2018, 2020).")
    assert compare(frame.iloc[:2], frame, lang="de") == ["Es fehlt die Zeile mit dem Index 2020."]
    assert inspect(frame.reset_index(), index="year", lang="de") == [
        "Der Index sollte 'year' sein, Ihr Index ist aber unbenannt (0, 1, 2, …)."
    ]


def test_a_wrong_type_reads_in_each_language(frame: pd.DataFrame) -> None:
    assert compare("56", 56.0, lang="en") == ["expected a number (float), got text (str)."]
    assert compare("56", 56.0, lang="de") == ["Erwartet wurde eine Zahl (float), Ihr Ergebnis ist ein Text (str)."]
    assert inspect("56", kind=float, lang="de") == [
        "Erwartet wurde eine Zahl (float), Ihr Ergebnis ist ein Text (str). "
        "Entfernen Sie die Anführungszeichen: Eine Zahl wird ohne sie geschrieben."
    ]
    assert compare([1, 2], frame, lang="de") == [
        "Erwartet wurde ein pandas DataFrame, Ihr Ergebnis ist eine Liste (list)."
    ]
    [series] = compare(frame[["gap"]], frame["gap"], lang="de")
    assert series.endswith("Wählen Sie die Spalte mit df['gap'] aus.")  # code stays code
    assert "None (nichts: Haben Sie vergessen" in compare(None, 1.0, lang="de")[0]
    assert inspect(frame, kind=(pd.Series, list), lang="de") == [
        "Erwartet wurde eine pandas Series oder eine Liste (list), Ihr Ergebnis ist ein pandas DataFrame."
    ]


def test_set_and_dict_differences_read_in_each_language() -> None:
    assert compare({"a", "b", "x"}, {"a", "b", "c"}, lang="en") == ["missing: 'c'.", "not expected: 'x'."]
    assert compare({"a", "b", "x"}, {"a", "b", "c"}, lang="de") == ["Es fehlt 'c'.", "'x' gehört nicht dazu."]
    assert compare(set(), {"a", "b", "c", "d"}, lang="de") == ["Es fehlen 'a', 'b', 'c' und 1 weitere."]
    got, want = {"a": 1.5, "z": 0}, {"a": 1.25, "b": 2}
    assert compare(got, want, lang="en") == [
        "missing key(s): 'b'.",
        "unexpected key(s): 'z'.",
        "key 'a': got 1.5, expected 1.25.",
    ]
    assert compare(got, want, lang="de") == [
        "Es fehlt der Schlüssel 'b'.",
        "Der Schlüssel 'z' ist nicht vorgesehen.",
        "Schlüssel 'a': Erwartet wurde 1,25, Ihr Ergebnis ist 1,5.",
    ]
    assert compare([2, 1], [1, 2], lang="de") == [
        "Die richtigen Elemente, aber in falscher Reihenfolge: Sortieren Sie sie, wie es die Aufgabe verlangt."
    ]
    assert compare([1, 2], [1, 2, 3], lang="de") == ["Erwartet wurden 3 Elemente, Ihr Ergebnis hat 2."]


@pytest.mark.parametrize(
    ("value", "expected", "english", "german"),
    [
        (3.0, 7.5, "too small.", "Zu klein."),
        (
            "x",
            7.5,
            "wrong type: expected a number (float), got text (str).",
            "Falscher Typ: Erwartet wurde eine Zahl (float), Ihr Ergebnis ist ein Text (str).",
        ),
        (
            pd.Series([1.0]),
            pd.Series([7.5, 2.0]),
            "missing rows: 1 fewer than expected.",
            "Es fehlen Zeilen: 1 weniger als erwartet.",
        ),
        (0.075, 7.5, "your numbers are 100 times too small", "Ihre Zahlen sind 100-mal zu klein"),
        (
            {"a"},
            {"a", "S13"},
            "missing elements: 1 fewer than expected.",
            "Es fehlen Elemente: 1 weniger als erwartet.",
        ),
        ("S1", "S13", "a different text than expected.", "Ein anderer Text als erwartet."),
    ],
)
def test_hidden_problems_read_in_each_language_and_keep_the_value_secret(value, expected, english, german) -> None:
    [in_english] = checks.hidden_problems(value, expected, lang="en")
    [in_german] = checks.hidden_problems(value, expected, lang="de")
    assert in_english.startswith(english) and in_german.startswith(german)
    for text in (in_english, in_german):
        assert "7.5" not in text and "7,5" not in text and "S13" not in text


def test_a_german_notebook_prints_and_raises_in_german(
    german: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check("Anteil", 12, 13)
    assert capsys.readouterr().out == "✘ Anteil: noch nicht richtig.\n  - Erwartet wurde 13, Ihr Ergebnis ist 12.\n"
    check("Anteil", 12, 13, hint="Zählen Sie alle Zeilen.")
    assert capsys.readouterr().out.endswith("  - Hinweis: Zählen Sie alle Zeilen.\n")
    assert compare(0.5, 1.0) == ["Erwartet wurde 1, Ihr Ergebnis ist 0,5."]  # the course language by default
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    with pytest.raises(CheckFailed, match=r"^Anteil: Erwartet wurde 13, Ihr Ergebnis ist 12\.$"):
        check("Anteil", 12, 13)
    with pytest.raises(NotAnswered, match=r"^Anteil: nicht beantwortet"):
        check("Anteil", ...)
    course.set_language("en")
    with pytest.raises(CheckFailed, match=r"^share: got 12, expected 13\.$"):
        check("share", 12, 13)


HINT = {"en": "Count all rows.", "de": "Zählen Sie alle Zeilen."}


def test_a_hint_by_language_is_shown_in_the_course_language(
    german: None, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check("Anteil", 12, 13, hint=HINT)
    out = capsys.readouterr().out
    assert out.endswith("  - Hinweis: Zählen Sie alle Zeilen.\n") and "Count" not in out
    course.set_language("en")
    check("share", 12, 13, hint=HINT)
    out = capsys.readouterr().out
    assert out.endswith("  - Hint: Count all rows.\n") and "Zählen" not in out
    check("share", 13, 13, hint=HINT)
    assert "Hint" not in capsys.readouterr().out  # a passed check shows no hint
    course.set_language("de")
    monkeypatch.setenv(checks.GRADING_ENV, "1")
    with pytest.raises(CheckFailed, match=r"^Anteil: Erwartet wurde 13, Ihr Ergebnis ist 12\. Hinweis: Zählen Sie"):
        check("Anteil", 12, 13, hint=HINT)


def test_a_hint_without_the_course_language_falls_back_to_english(
    german: None, capsys: pytest.CaptureFixture[str]
) -> None:
    check("Anteil", 12, 13, hint={"en": "Count all rows."})
    assert capsys.readouterr().out.endswith("  - Hinweis: Count all rows.\n")
    assert checks.hint_text({"en": "Count all rows.", "fr": "Comptez."}, "x", "de") == "Count all rows."
    assert checks.hint_text("Shown as written.", "x", "de") == "Shown as written."
    assert checks.hint_text(None, "x", "de") is None


@pytest.mark.parametrize("hint", [{"de": "Zählen Sie alle Zeilen."}, {"en": 3}, {"en": "x", 1: "y"}, ["Count."], 7])
def test_a_malformed_hint_names_the_check_and_what_to_write(hint: object) -> None:
    with pytest.raises(checks.HintError) as raised:
        check("share values", 13, 13, hint=hint)  # raised although the answer is right
    text = str(raised.value)
    assert text.startswith("check 'share values': hint must be a text or a mapping of language to text")
    assert 'hint={"en": ' in text and repr(hint) in text
