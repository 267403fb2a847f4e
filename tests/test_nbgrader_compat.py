"""Real nbgrader accepts our solution notebook and scores the solution full and our stub zero.

A temporary nbgrader course: source/ps1 holds our solution; `generate_assignment` must accept it;
two submissions (the solution, and our generated exercise untouched) go through `autograde`, with
TEACHKIT_GRADING=1 so checks raise the way nbgrader expects a failing test to.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("nbgrader")

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"
EXERCISE = ROOT / "exercises" / "01-digital-natives-exercises.ipynb"
NOTEBOOK = "set01"


def _path() -> str:
    """nbgrader runs the `alembic` script by name: the venv's bin folder must be on PATH."""
    return os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])


def _nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PATH": _path(),
        "TEACHKIT_GRADING": "1",
        "TEACHKIT_COURSE_ROOT": str(ROOT),
        "JUPYTER_CONFIG_DIR": str(course / ".jupyter"),
        "HOME": str(course),
    }
    return subprocess.run(
        [sys.executable, "-m", "nbgrader", *args], cwd=course, env=env, capture_output=True, text=True, timeout=300
    )


def test_nbgrader_generates_and_autogrades_our_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PATH", _path())
    course = tmp_path / "course"
    (course / "source" / "ps1").mkdir(parents=True)
    shutil.copy(SOLUTION, course / "source" / "ps1" / f"{NOTEBOOK}.ipynb")
    (course / "nbgrader_config.py").write_text(
        "c = get_config()\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        "c.CourseDirectory.course_id = 'teachkit-test'\n"
        "c.ExecutePreprocessor.timeout = 120\n"
    )
    made = _nbgrader(course, "generate_assignment", "ps1", "--force", "--create")
    assert made.returncode == 0, made.stderr[-3000:]
    released = (course / "release" / "ps1" / f"{NOTEBOOK}.ipynb").read_text()
    assert "BEGIN HIDDEN TESTS" not in released and "_rows.pivot" not in released

    for student, source in (("alice", SOLUTION), ("bob", EXERCISE)):
        folder = course / "submitted" / student / "ps1"
        folder.mkdir(parents=True)
        shutil.copy(source, folder / f"{NOTEBOOK}.ipynb")
    graded = _nbgrader(course, "autograde", "ps1", "--force", "--create")
    assert graded.returncode == 0, graded.stderr[-3000:]

    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gradebook:
        alice = gradebook.find_submission_notebook(NOTEBOOK, "ps1", "alice")
        bob = gradebook.find_submission_notebook(NOTEBOOK, "ps1", "bob")
        assert alice.max_score == 11
        assert alice.score == 8  # every automatic point; the reflection awaits a person
        assert alice.needs_manual_grade
        assert bob.score == 0
