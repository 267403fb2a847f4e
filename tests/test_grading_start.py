"""A kernel that fails to start has run no student code: start it again, never score the failure."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

import nbformat
import pytest

from teachkit.course import course_root
from teachkit.grading import runner
from teachkit.grading.grader import grade_job
from teachkit.grading.runner import START_TRIES, Limits, NotebookRun, python_read_paths, run_notebook

SOLUTION = course_root() / "solutions" / "01-digital-natives-solutions.ipynb"


def _failing_first(monkeypatch: pytest.MonkeyPatch, failures: int) -> list[int]:
    """Make the first `failures` starts fail as a kernel does that dies before kernel_info."""
    calls: list[int] = []
    real = runner._run_once

    def start(*args: object, **kwargs: object) -> NotebookRun:
        calls.append(1)
        if len(calls) <= failures:
            return NotebookRun(crashed="the kernel could not be started (Kernel died before replying to kernel_info)")
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "_run_once", start)
    return calls


def test_a_kernel_that_dies_before_answering_is_started_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _failing_first(monkeypatch, failures=START_TRIES - 1)
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("print(6 * 7)")])
    root = course_root()
    run = run_notebook(notebook, data_dir=root / "data", read_paths=python_read_paths([root]), limits=Limits())
    assert len(calls) == START_TRIES
    assert run.sandbox and not run.crashed
    assert notebook.cells[0].outputs[0]["text"] == "42\n"


def test_a_kernel_that_never_starts_is_a_grader_error_not_a_crash(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls = _failing_first(monkeypatch, failures=START_TRIES)
    root = course_root()
    job = {
        "path": str(tmp_path / "ada" / SOLUTION.name),
        "relative": f"ada/{SOLUTION.name}",
        "student": "ada",
        "solutions": [str(SOLUTION)],
        "protected": [str(tmp_path)],
        "set_name": None,
        "limits": asdict(Limits()),
        "content": SOLUTION.read_bytes(),
        "data_dir": str(root / "data"),
        "course_root": str(root),
        "read_paths": python_read_paths([root]),
    }
    result = grade_job(job)
    assert len(calls) == START_TRIES
    # "grader error" is graded again by the next run (resume skips only finished results)
    assert result["status"] == "grader error"
    assert f"in {START_TRIES} tries" in result["reason"] and "grade again" in result["reason"]
    assert not result["tasks"], "no task is scored, so no student loses points for the machine's failure"
