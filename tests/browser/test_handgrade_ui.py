"""The hand-grading app in a real JupyterLab: two reflections graded with the keyboard only, with a
page reload between them that loses nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import nbformat
from lab_harness import ROOT, LabPage, LabServer, write_notebook

from teachkit.authoring.exercise_set import nbgrader_meta
from teachkit.grading.grader import GradeOptions, grade_folder

SET = "01-digital-natives"
SOLUTION = ROOT / "solutions" / f"{SET}-solutions.ipynb"
STUDENTS = {
    "amber-otter-11": "Only one in five aged 65–74 used networks (Eurostat, 2020); segment by channel, not by age.",
    "brave-heron-22": "Older customers are **fewer** online, not absent:\n\n- ask which channel\n- then decide",
}


def _graded(base: Path) -> tuple[Path, Path]:
    subs, graded = base / "submissions" / "01", base / "graded" / "01"
    for student, reflection in STUDENTS.items():
        nb = nbformat.read(SOLUTION, as_version=4)
        for cell in nb.cells:
            if nbgrader_meta(cell).get("grade_id") == "reflection":
                cell.source = reflection
        (subs / student).mkdir(parents=True)
        nbformat.write(nb, subs / student / f"{SET}-exercises.ipynb")
    grade_folder(subs, graded, GradeOptions(jobs=2, set_name=SET), solutions=[SOLUTION], progress=False)
    return subs, graded


def _press(page: Any, key: str) -> None:
    """Type one shortcut into the Keys field and wait until the app has taken it (the field empties)."""
    field = page.locator(".tk-handgrade-keys input")
    page.keyboard.type(key)
    page.wait_for_function("(e) => e.value === ''", arg=field.element_handle(), timeout=20_000)


def _progress(page: Any, text: str) -> None:
    page.locator(".tk-handgrade-progress", has_text=text).wait_for(timeout=20_000)


def test_two_reflections_graded_by_keyboard_survive_a_reload(lab: LabServer, lab_page: LabPage) -> None:
    folder = lab.course / "instructor"
    folder.mkdir(exist_ok=True)
    subs, graded = _graded(folder)
    write_notebook(
        folder / "handgrade.ipynb",
        [
            "from pathlib import Path\nfrom teachkit.handgrade import HandGrader\n"
            f"grader = HandGrader({str(graded)!r}, {str(subs)!r}, solutions=[Path({str(SOLUTION)!r})])\ngrader"
        ],
    )
    path = "instructor/handgrade.ipynb"
    page = lab_page.page
    lab_page.open(path)
    lab_page.run_all()
    app = page.locator(".tk-handgrade")
    app.wait_for(timeout=60_000)
    _progress(page, "0 of 2 graded")
    assert "amber-otter-11" in page.locator(".tk-handgrade-student").inner_text()
    assert "one in five" in page.locator(".tk-handgrade-answer").inner_text()

    page.locator(".tk-handgrade-keys input").focus()  # from here on, only the keyboard
    for key in "112031":  # row 1 → 1, row 2 → 0, row 3 → 1
        _press(page, key)
    _progress(page, "1 of 2 graded")
    lab_page.screenshot(app, "handgrade")
    _press(page, "n")
    page.locator(".tk-handgrade-student", has_text="brave-heron-22").wait_for(timeout=20_000)

    lab_page.reload(path)  # a closed tab, a new page: the saved grade and the position remain
    lab_page.run_all()
    page.locator(".tk-handgrade").wait_for(timeout=60_000)
    _progress(page, "1 of 2 graded")
    assert "brave-heron-22" in page.locator(".tk-handgrade-student").inner_text()
    assert page.locator(".tk-handgrade-answer li").count() == 2  # the answer is rendered Markdown

    page.locator(".tk-handgrade-keys input").focus()
    for key in "112131":
        _press(page, key)
    _progress(page, "2 of 2 graded")

    saved = json.loads((graded.parent / "01-handgrades" / "reflection.json").read_text(encoding="utf-8"))
    levels = {student: entry["levels"] for student, entry in saved["grades"].items()}
    assert levels == {"amber-otter-11": {"0": 1, "1": 0, "2": 1}, "brave-heron-22": {"0": 1, "1": 1, "2": 1}}
    assert lab_page.problems() == []
