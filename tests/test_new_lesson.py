"""`teachkit new-lesson`: a scaffolded lesson passes lint, check-banks and nbval straight away.

One temporary copy of the course gets a new lesson through the real command (which writes the
files and executes both notebooks with `execute_in_place`); the tests then inspect that copy.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat
import pytest

from teachkit.cli import main
from teachkit.data import readme_text
from teachkit.lessons import lesson_table
from teachkit.lint import lint_paths
from teachkit.quiz.bank import bank_paths, check_banks, read_bank
from teachkit.quiz.model import ITEM_TYPES, score_answer
from teachkit.scaffold import LessonName, solutions_notebook

ROOT = Path(__file__).resolve().parents[1]
STEM = "14-tiktok-for-apprentices"


@pytest.fixture(scope="module")
def course(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    root = tmp_path_factory.mktemp("course")
    for folder in ("notebooks", "quizzes", "data"):
        shutil.copytree(ROOT / folder, root / folder)
    saved = os.environ.get("TEACHKIT_COURSE_ROOT")
    os.environ["TEACHKIT_COURSE_ROOT"] = str(root)
    try:
        assert main(["new-lesson", "14", "tiktok-for-apprentices", "TikTok for apprentices"]) == 0
        yield root
    finally:
        if saved is None:
            os.environ.pop("TEACHKIT_COURSE_ROOT", None)
        else:
            os.environ["TEACHKIT_COURSE_ROOT"] = saved


def test_the_new_lesson_passes_lint(course: Path) -> None:
    findings = lint_paths([course / "notebooks" / f"{STEM}.ipynb"], root=course)
    assert not findings, "\n".join(map(str, findings))
    whole_course = [str(f) for f in lint_paths(root=course)]  # the shipped lessons are tested in test_lint.py
    assert not [f for f in whole_course if STEM in f], whole_course


def test_the_new_bank_passes_check_banks_with_one_item_per_type(course: Path) -> None:
    assert check_banks(bank_paths(course)) == []
    bank = read_bank(course / "quizzes" / f"{STEM}.yaml")
    assert sorted(item.type for item in bank.items) == sorted(ITEM_TYPES)


def test_the_example_items_accept_their_right_answers_in_both_languages(course: Path) -> None:
    items = {item.type: item for item in read_bank(course / "quizzes" / f"{STEM}.yaml").items}
    right = {
        "single_choice": 0,
        "multiple_choice": [0, 1],
        "true_false": "falsch",
        "numeric": "25 %",
        "short_text": "lektion",
        "matching": {
            "Reword a quiz question": "quizzes/",
            "Update a table with newer figures": "data/",
            "Add a task to the exercise set": "solutions/",
        },
    }
    for kind, answer in right.items():
        for lang in ("en", "de"):
            assert score_answer(items[kind], answer, lang).status == "correct", (kind, lang)
    assert score_answer(items["numeric"], "0,25", "de").misconceptions == ("share-not-percent",)


def test_the_new_notebooks_pass_nbval_strict(course: Path) -> None:
    (course / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # keep the repo's addopts out
    env = {**os.environ, "TEACHKIT_COURSE_ROOT": str(course)}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-q",
            "-p",
            "no:cacheprovider",
            "--nbval",
            "--nbval-current-env",
            "--nbval-sanitize-with",
            str(ROOT / "tests" / "nbval-sanitize.cfg"),
            f"notebooks/{STEM}.ipynb",
            f"solutions/{STEM}-solutions.ipynb",
        ],
        cwd=course,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]
    assert " passed" in run.stdout and "failed" not in run.stdout


def test_executed_notebooks_carry_no_timestamps(course: Path) -> None:
    for path in (course / "notebooks" / f"{STEM}.ipynb", course / "solutions" / f"{STEM}-solutions.ipynb"):
        notebook = nbformat.read(path, as_version=4)
        assert [c.execution_count for c in notebook.cells if c.cell_type == "code"][0] == 1
        assert not [c for c in notebook.cells if "execution" in c.metadata], path.name


def test_solutions_notebook_is_in_nbgrader_v3_format(course: Path) -> None:
    notebook = nbformat.read(course / "solutions" / f"{STEM}-solutions.ipynb", as_version=4)
    assert_exercise_set_shape(notebook)
    assert not any(o.output_type == "error" for c in notebook.cells for o in c.get("outputs", []))


@pytest.mark.parametrize("with_checks", [True, False], ids=["teachkit.checks", "asserts"])
def test_both_solution_variants_have_the_exercise_set_shape(with_checks: bool) -> None:
    notebook = solutions_notebook(LessonName.parse("11", "x", "X"), with_checks=with_checks)
    assert_exercise_set_shape(notebook)
    setup = next(c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "setup")
    assert ("from teachkit.checks import check" in setup.source) is with_checks


def assert_exercise_set_shape(notebook: nbformat.NotebookNode) -> None:
    """nbgrader v3 cells, markers, 3-6 tasks with a hand-graded one, 2 wrong solutions per autograded task."""
    graded = [c for c in notebook.cells if "nbgrader" in c.metadata]
    ids = [c.metadata.nbgrader.grade_id for c in graded]
    assert len(ids) == len(set(ids))
    for cell in graded:
        meta = cell.metadata.nbgrader
        assert meta.schema_version == 3
        assert {"grade", "solution", "locked", "grade_id"} <= set(meta)
        if meta.grade:
            assert meta.points > 0
        if meta.solution:
            assert "### BEGIN SOLUTION" in cell.source and "### END SOLUTION" in cell.source
    auto = [
        c.metadata.nbgrader.grade_id for c in graded if c.metadata.nbgrader.grade and not c.metadata.nbgrader.solution
    ]
    manual = [c for c in graded if c.metadata.nbgrader.grade and c.metadata.nbgrader.solution]
    assert 3 <= len(auto) + len(manual) <= 6 and manual
    for task in auto:
        test = next(c for c in graded if c.metadata.nbgrader.grade_id == task)
        assert test.metadata.nbgrader.locked
        assert "### BEGIN HIDDEN TESTS" in test.source and "### END HIDDEN TESTS" in test.source
    wrong = notebook.metadata.teachkit.wrong_solutions
    for task in auto:
        mine = [w for w in wrong if w["task"] == task]
        assert len(mine) >= 2 and all(w["why"] and set(w["replace"]) <= set(ids) for w in mine), task


def test_glossary_rows_and_lesson_table_come_from_the_new_files(course: Path) -> None:
    glossary = (course / "data" / "glossary.csv").read_text(encoding="utf-8")
    assert glossary.count(f",{STEM}\n") == 1
    row = next(line for line in lesson_table(course).splitlines() if line.startswith("| 14 |"))
    assert row.startswith(f"| 14 | [TikTok for apprentices](notebooks/{STEM}.ipynb) | Replace this line")
    assert row.endswith(" | 45 min |")


def test_data_readme_is_regenerated_with_the_new_glossary_rows(course: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(course))
    assert (course / "data" / "README.md").read_text(encoding="utf-8") == readme_text()
    assert readme_text() != (ROOT / "data" / "README.md").read_text(encoding="utf-8")  # the row count changed


def test_an_existing_lesson_number_is_refused(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(p.name for p in (course / "notebooks").iterdir())
    assert main(["new-lesson", "14", "other-topic", "Other topic", "--no-execute"]) == 1
    assert "Lesson 14 or its files exist already (notebooks/14-tiktok-for-apprentices.ipynb)" in capsys.readouterr().err
    assert sorted(p.name for p in (course / "notebooks").iterdir()) == before


@pytest.mark.parametrize(("number", "slug"), [("1x", "ok"), ("12", "Not A Slug"), ("12", "trailing-")])
def test_a_bad_lesson_name_is_refused_with_the_rule(number: str, slug: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["new-lesson", number, slug, "Title", "--no-execute"]) == 1
    assert "use two digits, a hyphen and a lower-case slug, e.g. '03-recruiting'" in capsys.readouterr().err
