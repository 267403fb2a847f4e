"""The instructor's whole loop on fixtures: Moodle download → collect → grade → hand grades → gradebook
→ Moodle worksheet, Grades import CSV and feedback zip; and the bad inputs along the way."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import nbformat
import pytest
from moodle_fixtures import CLASS, EXERCISE, SET, SOLUTION, WORKSHEET_HEADER, download, worksheet

from teachkit.authoring.exercise_set import nbgrader_meta, read_set
from teachkit.cli import main
from teachkit.grading.grader import GradeOptions, grade_folder
from teachkit.handgrade import HandGradeError, HandGrader, handgrade_folder, read_rubric
from teachkit.participants import read_key

NB = f"{SET}-exercises.ipynb"
REFLECTIONS = {
    "Jürgen O'Brien": "Only **one in five** aged 65–74 used networks (Eurostat, 2020), but two thirds of online 65+.",
    "Anna-Lena Müller": "Older customers are *fewer* online, not absent.\n\n- segment by channel\n- ask them",
}


def _submission(reflection: str | None) -> bytes:
    """The solution's answers with the student's own reflection; None: the untouched exercise."""
    if reflection is None:
        return EXERCISE.read_bytes()
    nb = nbformat.read(SOLUTION, as_version=4)
    for cell in nb.cells:
        if nbgrader_meta(cell).get("grade_id") == "reflection":
            cell.source = reflection
    nb.metadata.get("teachkit", {}).pop("wrong_solutions", None)
    return nbformat.writes(nb).encode()


def _moodle_importer_accepts(name: str, participants: set[str]) -> str | None:
    """assignfeedback_file_zip_importer::is_valid_filename_for_import, step by step: the participant."""
    for part in name.split("/"):
        info = part.split("_", 4)
        if len(info) < 4 or not info[1].isdigit() or info[1] not in participants:
            continue
        if (info[2], info[3]) == ("assignfeedback", "file"):
            return info[1]
    return None


@pytest.fixture(scope="module")
def loop(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("term")
    files = [(name, pid, NB, _submission(REFLECTIONS.get(name))) for name, pid in CLASS]
    archive = download(base / "Course-Exercise 01-77.zip", files)
    subs, graded, key = base / "submissions" / "01", base / "graded" / "01", base / "participant-key.csv"
    assert main(["collect", str(archive), "--set", SET, "--out", str(subs), "--key", str(key)]) == 0
    grade_folder(subs, graded, GradeOptions(jobs=2, set_name=SET), progress=False)
    sheet = base / "Grades-Exercise 01.csv"
    sheet.write_text(worksheet([(n, p) for n, p in CLASS] + [("Nicht Abgegeben", 102000)]), encoding="utf-8")
    return {"base": base, "subs": subs, "graded": graded, "key": key, "sheet": sheet}


def _pseudonym(loop: dict[str, Path], name: str) -> str:
    pid = dict(CLASS)[name]
    pseudonym = read_key(loop["key"]).pseudonym_for(SET, str(pid))
    assert pseudonym
    return pseudonym


def test_the_rubric_comes_from_the_solution_notebook() -> None:
    rows, model = read_rubric(read_set(SOLUTION), "reflection")
    assert [r.points for r in rows] == [1, 1, 1]
    assert rows[0].text.startswith("uses at least one figure")
    assert "Model answer" in model and "Rubric" not in model


def test_a_german_rubric_is_read_the_same_way(tmp_path: Path) -> None:
    notebook = nbformat.read(SOLUTION, as_version=4)
    for cell in notebook.cells:
        cell.source = (
            cell.source.replace("Rubric", "Bewertungsraster")
            .replace("1 point:", "1 Punkt:")
            .replace("Model answer", "Musterlösung")
        )
    german = tmp_path / SOLUTION.name
    nbformat.write(notebook, german)
    english_rows, _ = read_rubric(read_set(SOLUTION), "reflection")
    rows, model = read_rubric(read_set(german), "reflection")
    assert [r.points for r in rows] == [r.points for r in english_rows] == [1, 1, 1]
    assert "Musterlösung" in model and "Bewertungsraster" not in model


def test_the_whole_loop_ends_in_moodles_worksheet(loop: dict[str, Path], capsys: pytest.CaptureFixture) -> None:
    jurgen, anna, zoe = (_pseudonym(loop, n) for n, _ in CLASS)
    grader = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    assert grader.task == "reflection"
    assert grader.students == sorted([jurgen, anna])  # Zoë answered nothing: 0 by the autograder, not here
    assert grader.progress() == "0 of 2 graded"
    grader.go(jurgen)
    assert "one in five" in grader.answers[jurgen] and "Jürgen" not in json.dumps(grader.answers)
    grader.choose(0, 1)
    grader.choose(1, 0)
    grader.tick(1, "Name the base of each figure.")
    grader.choose(2, 1)
    grader.comment("Good use of sources.")
    assert grader.points() == 2 and grader.progress() == "1 of 2 graded"
    grader.go(anna)
    grader.choose(0, 0)  # started, then the kernel dies: Anna's grade is incomplete

    # the gradebook now shows Anna's hand grade as missing, not as 0
    out = loop["base"] / "grades"
    args = ["gradebook", str(loop["graded"]), "--key", str(loop["key"]), "--out", str(out)]
    assert main([*args, "--worksheet", str(loop["sheet"])]) == 0
    said = capsys.readouterr().out
    assert f"{anna}: hand grade missing for reflection; Grade left empty." in said
    merged = list(csv.DictReader((out / "gradebook-merged.csv").open(encoding="utf-8")))
    anna_reflection = next(r for r in merged if r["student"] == anna and r["task"] == "reflection")
    assert anna_reflection["points"] == "" and anna_reflection["source"] == "missing hand grade"

    # a new session resumes at Anna, keeps Jürgen's grade, and finishes her with the keyboard shortcuts
    again = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    assert again.student == anna and again.points(jurgen) == 2
    assert again.store.comments(1) == ["Name the base of each figure."]
    again.key("21")
    again.key("31")
    assert again.points() == 2 and again.progress() == "2 of 2 graded"
    again.key("p" if jurgen < anna else "n")  # students are in pseudonym order; pseudonyms are random
    assert again.student == jurgen

    assert main([*args, "--worksheet", str(loop["sheet"])]) == 1
    assert "exists; add --force" in capsys.readouterr().err
    assert main([*args, "--worksheet", str(loop["sheet"]), "--force"]) == 0
    capsys.readouterr()

    # the worksheet: the downloaded one, every row and column, plus Grade and Feedback comments
    before = list(csv.reader(io.StringIO(loop["sheet"].read_text(encoding="utf-8"))))
    after = list(csv.reader((out / "Grades-Exercise 01-filled.csv").open(encoding="utf-8")))
    assert after[0] == before[0] == WORKSHEET_HEADER and len(after) == len(before)
    grade, comments = WORKSHEET_HEADER.index("Grade"), WORKSHEET_HEADER.index("Feedback comments")
    expected_points = {"Jürgen O'Brien": 8 + 2, "Anna-Lena Müller": 8 + 2, "Zoë de la Cruz": 0}
    for old, new in zip(before[1:], after[1:], strict=True):
        changed = {i for i, (a, b) in enumerate(zip(old, new, strict=True)) if a != b}
        if old[1] in expected_points:
            assert changed <= {grade, comments}
            assert new[grade] == f"{expected_points[old[1]] / 11 * 100:.2f}", (old[1], new)
        else:
            assert changed == set()  # the participant who handed in nothing keeps an untouched row
    jurgen_row = next(r for r in after if r[1] == "Jürgen O'Brien")
    assert "reflection: 2/3 (by hand)" in jurgen_row[comments]

    # the feedback zip: Moodle's importer finds every participant, and the hand comments are inside
    ids = {str(p) for _, p in CLASS}
    with zipfile.ZipFile(out / f"{SET}-feedback.zip") as zf:
        found = {_moodle_importer_accepts(n, ids): n for n in zf.namelist()}
        assert set(found) == ids
        text = zf.read(found[str(dict(CLASS)["Jürgen O'Brien"])]).decode("utf-8")
    assert "Name the base of each figure." in text and "Good use of sources." in text
    assert "Total, with the tasks graded by hand: 10 of 11 points" in text

    # the wide CSV for Grades → Import: one row per student, one column per set
    wide = list(csv.DictReader((out / "grades-import.csv").open(encoding="utf-8")))
    assert {r["pseudonym"]: r[SET] for r in wide} == {jurgen: "10", anna: "10", zoe: "0"}

    # the same data as a spreadsheet and back
    exported = again.export_csv(loop["base"] / "reflection.csv")
    rows = list(csv.reader(exported.open(encoding="utf-8")))
    assert rows[1][0] == sorted([jurgen, anna])[0] and len(rows) == 3
    text = exported.read_text(encoding="utf-8").replace(
        f"{anna},{SET},reflection,0,1,1", f"{anna},{SET},reflection,1,1,1"
    )
    exported.write_text(text, encoding="utf-8")
    assert again.import_csv(exported) == 2 and again.points(anna) == 3


def test_a_worksheet_of_another_assignment_is_refused(loop: dict[str, Path], capsys: pytest.CaptureFixture) -> None:
    other = loop["base"] / "other.csv"
    other.write_text(worksheet([(n, p + 7000) for n, p in CLASS]), encoding="utf-8")
    out = loop["base"] / "refused"
    args = ["gradebook", str(loop["graded"]), "--key", str(loop["key"]), "--out", str(out), "--worksheet", str(other)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert "none of the 3 graded participants of set 01-digital-natives" in err and "other.csv" in err
    assert not out.exists()
    no_worksheet = loop["base"] / "not-a-sheet.csv"
    no_worksheet.write_text("Vorname,Nachname\nA,B\n", encoding="utf-8")
    assert main([*args[:-1], str(no_worksheet)]) == 1
    assert "no column 'Identifier'" in capsys.readouterr().err


def test_a_hand_grade_file_from_a_newer_version_is_refused(loop: dict[str, Path]) -> None:
    folder = handgrade_folder(loop["graded"])
    path = folder / "reflection.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    saved = path.read_text(encoding="utf-8")
    try:
        path.write_text(json.dumps({**data, "version": 99}), encoding="utf-8")
        with pytest.raises(HandGradeError, match="newer teachkit .format version 99"):
            HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    finally:
        path.write_text(saved, encoding="utf-8")


def test_two_graders_on_one_task_keep_each_others_work(loop: dict[str, Path]) -> None:
    one = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    two = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    first, second = one.students
    one.go(first)
    two.go(second)
    one.comment("from grader one")
    two.comment("from grader two")  # two's copy was read before one wrote; one's comment survives
    fresh = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    assert fresh.store.free(first) == "from grader one" and fresh.store.free(second) == "from grader two"


def test_the_widgets_drive_the_same_api(loop: dict[str, Path]) -> None:
    """Clicking a level, ticking a comment and typing keys in the app change the saved grades."""
    grader = HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION])
    box = grader.widget()
    view = grader._view
    grader.go(grader.students[0])
    student = grader.student
    levels, ticks, new = view.rows[2]
    levels.value = 0
    assert grader.store.levels(student)[2] == 0
    new.value = "Conclusion missing."  # what pressing Enter in the field sends
    assert grader.store.ticked(student, 2) == ["Conclusion missing."] and new.value == ""
    assert [c.description for c in view.rows[2][1].children] == ["Conclusion missing."]
    view.rows[2][1].children[0].value = False
    assert grader.store.ticked(student, 2) == []
    view.keys.value = "n"
    assert grader.student == grader.students[1] and view.keys.value == ""
    assert student not in view.header.value and grader.student in view.header.value
    assert "of 2 graded" in view.header.value and box is view.box
    view.free.value = "typed in the app"
    assert HandGrader(loop["graded"], loop["subs"], solutions=[SOLUTION]).store.free(grader.student) == (
        "typed in the app"
    )
