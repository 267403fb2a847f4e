"""Test strength: `validate` grades the solution, the stub and every declared wrong solution."""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

from teachkit.authoring.exercise_set import solution_paths
from teachkit.authoring.validate import validate_sets

ROOT = Path(__file__).resolve().parents[1]


def _tiny_set(folder: Path, wrong: list[dict]) -> Path:
    """A three-task set whose answers need no data: quick to validate."""

    def cell(kind: str, source: str, **nbg: object) -> dict:
        made = (nbformat.v4.new_code_cell if kind == "code" else nbformat.v4.new_markdown_cell)(source)
        made.metadata["nbgrader"] = {"schema_version": 3, "grade": False, "solution": False, "locked": False, **nbg}
        return made

    cells = [
        nbformat.v4.new_markdown_cell("# 99 · Tiny — Solutions"),
        cell("code", "from teachkit.checks import check", locked=True, grade_id="setup"),
    ]
    for name, value in (("a", "2 + 2"), ("b", "0.5 * 100")):
        cells.append(
            cell(
                "code",
                f"### BEGIN SOLUTION\n{name} = {value}\n### END SOLUTION",
                solution=True,
                grade_id=f"{name}-answer",
            )
        )
        cells.append(
            cell(
                "code",
                f'check("{name} type", {name}, kind=float, hidden=1)\n'
                f"### BEGIN HIDDEN TESTS\n"
                f'check("{name} value", {name}, {value})\n'
                f"### END HIDDEN TESTS",
                grade=True,
                locked=True,
                points=1,
                grade_id=name,
            )
        )
    cells.append(
        cell(
            "markdown",
            "### BEGIN SOLUTION\nModel answer.\n### END SOLUTION",
            grade=True,
            solution=True,
            points=1,
            grade_id="why",
        )
    )
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = {"name": "python3", "language": "python", "display_name": "Python 3"}
    notebook.metadata["teachkit"] = {"wrong_solutions": wrong}
    path = folder / "solutions" / "99-tiny-solutions.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


def test_validate_names_a_wrong_solution_the_tests_miss(tmp_path: Path) -> None:
    wrong = [
        {"task": "a", "why": "same as the solution", "replace": {"a-answer": "a = 4"}},
        {"task": "a", "why": "off by one", "replace": {"a-answer": "a = 5"}},
        {"task": "b", "why": "share", "replace": {"b-answer": "b = 0.5"}},
    ]
    problems = validate_sets([_tiny_set(tmp_path, wrong)], jobs=2)
    assert any("wrong solution 1 (same as the solution) passes task 'a'" in p for p in problems)
    assert any("task 'b': 1 wrong solution(s)" in p for p in problems)
    assert not any("off by one" in p or "the solution fails" in p or "exercise" in p for p in problems), problems


@pytest.mark.parametrize("path", solution_paths(ROOT), ids=lambda p: p.name)
def test_validate_every_course_set(path: Path) -> None:
    assert validate_sets([path], jobs=2) == []
