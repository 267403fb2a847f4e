"""A German exercise submission is graded exactly like its English twin, with feedback in German.

The German set is built the way `translate build` builds it (solutions/de/ → exercises/de/ through
`build_exercise(..., lang="de")`), so the test covers the set id and grade ids the German notebook
carries, not a hand-made copy. One grading run grades both twins; their points must be equal.
"""

from __future__ import annotations

import copy
import csv
import re
from pathlib import Path

import nbformat
import pytest

from teachkit.authoring.build import TEXT_STUBS, build_exercise
from teachkit.authoring.exercise_set import nbgrader_meta, read_set
from teachkit.grading.grader import GradeOptions, grade_folder

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"
SET = "01-digital-natives"
HIDDEN_WRONG = {  # answers that pass the public checks and fail the hidden ones
    "registered-answer": "registered_65plus = round(400 * 65)",  # 26000 where 260 is expected
    "right-source-answer": 'right_source = "S12"',  # S13 is expected
}


def german_solution(folder: Path) -> Path:
    """A German edition of the solution notebook: prose replaced, code and nbgrader cells unchanged."""
    notebook = nbformat.read(SOLUTION, as_version=4)
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and not nbgrader_meta(cell).get("solution"):
            cell.source = cell.source.replace("Solutions", "Lösungen") + "\n\n(Deutsch)"
    path = folder / "solutions" / "de" / SOLUTION.name
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


def answered(exercise: nbformat.NotebookNode, solution: nbformat.NotebookNode, wrong: dict[str, str]) -> object:
    """A copy of the exercise with every answer filled in from the solution, except the `wrong` ones."""
    exercise = copy.deepcopy(exercise)
    answers = {nbgrader_meta(c).get("grade_id"): c.source for c in solution.cells if nbgrader_meta(c).get("solution")}
    answers.update(wrong)
    for cell in exercise.cells:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in answers:
            cell.source = answers[gid]
    return exercise


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("twins")
    english_set = read_set(SOLUTION)
    german_set = read_set(german_solution(base))
    german = build_exercise(german_set, "de")
    english = build_exercise(english_set)
    wrong = english_set.wrong_solutions[0]  # fails a public check
    replace = {**wrong.replace, **HIDDEN_WRONG}
    subs = base / "submissions"
    for student, notebook in (("anna", english), ("berta", german)):
        folder = subs / student
        folder.mkdir(parents=True)
        nbformat.write(answered(notebook, english_set.notebook, replace), folder / f"{SET}-exercises.ipynb")
    out = base / "out"
    results = grade_folder(subs, out, GradeOptions(jobs=1), solutions=[SOLUTION], progress=False)
    with (out / "gradebook.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        "checks": {r.student: {c["label"]: c for t in r.tasks for c in t.checks} for r in results},
        "german_set": german_set,
        "german": german,
        "english": english,
        "wrong_task": wrong.task,
        "rows": rows,
        "feedback": {s: (out / "feedback" / f"{s}.md").read_text(encoding="utf-8") for s in ("anna", "berta")},
    }


def test_the_german_exercise_carries_the_same_set_and_grade_ids(graded: dict[str, object], tmp_path: Path) -> None:
    german, english = graded["german"], graded["english"]
    assert german.metadata["teachkit"]["set"] == english.metadata["teachkit"]["set"] == SET
    assert german.metadata["teachkit"]["lang"] == "de" and "lang" not in english.metadata["teachkit"]
    ids = [[nbgrader_meta(c).get("grade_id") for c in nb.cells] for nb in (german, english)]
    assert ids[0] == ids[1]
    assert graded["german_set"].exercise_path.parts[-3:] == ("exercises", "de", f"{SET}-exercises.ipynb")
    assert german.cells[0].source.startswith("# 01 · Digital natives as customers — Übungen")
    written = [c.source for c in german.cells if c.cell_type == "markdown" and nbgrader_meta(c).get("solution")]
    assert written and all(text == TEXT_STUBS["de"] for text in written)


def test_the_german_twin_gets_exactly_the_english_points(graded: dict[str, object]) -> None:
    by_student: dict[str, list[tuple[str, str, str, str]]] = {}
    for row in graded["rows"]:
        by_student.setdefault(row["student"], []).append((row["set"], row["task"], row["points"], row["status"]))
    assert by_student["anna"] == by_student["berta"]
    statuses = {task: status for _, task, _, status in by_student["berta"]}
    assert statuses[graded["wrong_task"]] == "failed"
    assert "passed" in statuses.values() and "manual" in statuses.values()


def test_the_german_twin_gets_feedback_in_german(graded: dict[str, object]) -> None:
    german, english = graded["feedback"]["berta"], graded["feedback"]["anna"]
    assert german.startswith("# Rückmeldung für berta\n")
    assert re.search(
        r"^## 01-digital-natives: \d+ von \d+ Punkten \(\d+ werden noch von Hand bewertet\)$", german, re.M
    )
    assert "| Aufgabe | Punkte | Ergebnis |" in german
    assert "✘ nicht bestanden" in german and "✔ bestanden" in german and "✎ Bewertung von Hand" in german
    assert english.startswith("# Feedback for anna\n") and "✘ failed" in english
    assert "Rückmeldung" not in english


def test_check_lines_speak_the_language_of_the_submission(graded: dict[str, object]) -> None:
    """Public and hidden check lines come from the checker in the edition's language, values kept secret."""
    german, english = graded["checks"]["berta"], graded["checks"]["anna"]
    assert not german["eu_series shape"]["hidden"] and not german["eu_series shape"]["passed"]
    assert german["eu_series shape"]["message"] == "Erwartet wurden 3 Zeilen, Ihr Ergebnis hat 4."
    assert english["eu_series shape"]["message"] == "expected 3 rows, got 4."
    registered, source = german["registered_65plus value"], german["right_source value"]
    assert registered["hidden"] and source["hidden"] and not registered["passed"] and not source["passed"]
    assert registered["message"].startswith("Ihre Zahlen sind 100-mal zu groß: Gefragt sind Anteile (0–1)")
    assert "; Hinweis: " in registered["message"]
    assert english["registered_65plus value"]["message"].startswith("your numbers are 100 times too large")
    assert "; Hint: " in english["registered_65plus value"]["message"]
    assert "; Hinweis: Welche Erhebung zählt die Internetnutzenden ab 65 Jahren" in registered["message"]
    assert "; Hint: Which survey counts internet users aged 65+" in english["registered_65plus value"]["message"]
    assert (
        "Which survey" not in registered["message"] and "Erhebung" not in english["registered_65plus value"]["message"]
    )
    assert source["message"].startswith("Ein anderer Text als erwartet.; Hinweis: Prüfen Sie in der Zeile das Jahr")
    assert english["right_source value"]["message"].startswith("a different text than expected.; Hint: ")
    for checks in (german, english):
        hidden = " ".join(c["message"] for c in checks.values() if c["hidden"])
        assert "260" not in hidden and "S13" not in hidden  # the expected values
    feedback = graded["feedback"]["berta"]
    assert "- ✘ right_source value (verdeckte Prüfung): Ein anderer Text als erwartet." in feedback
    assert "- ✘ eu_series shape: Erwartet wurden 3 Zeilen, Ihr Ergebnis hat 4." in feedback
    assert "- ✘ eu_series values (verdeckte Prüfung): wurde nicht ausgeführt" in feedback
    assert (
        "did not run" not in feedback
        and "- ✘ eu_series values (hidden check): did not run" in graded["feedback"]["anna"]
    )
    assert "expected 3 rows" not in feedback and "too large" not in feedback
    assert "- ✘ right_source value (hidden check): a different text than expected." in graded["feedback"]["anna"]
