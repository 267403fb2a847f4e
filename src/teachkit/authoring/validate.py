"""Prove an exercise set's tests are strong enough, by grading known answers with the real grader.

For each set: the solution earns every automatic point; the generated exercise runs top to
bottom in a student session without an error and earns nothing when graded; and each declared
wrong solution fails the task it targets. Anything else is reported with the culprit named.
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import nbformat

from ..course import course_root
from .build import build_exercise
from .exercise_set import EXERCISE_SUFFIX, lint, nbgrader_meta, read_set, solution_paths

if TYPE_CHECKING:
    from ..grading.grader import GradeOptions


def _write(folder: Path, student: str, name: str, notebook: object) -> None:
    target = folder / student / f"{name}{EXERCISE_SUFFIX}"
    target.parent.mkdir(parents=True)
    nbformat.write(notebook, target)


def validate_sets(paths: list[Path] | None = None, jobs: int = 2) -> list[str]:
    """Problems over all sets; [] means every set is sound.

    All sets are graded on one Dask cluster (a local one unless $DASK_SCHEDULER_ADDRESS names one),
    started once rather than once per set.
    """
    from ..grading.cluster import dask_client
    from ..grading.grader import GradeOptions

    with dask_client(None, jobs, GradeOptions().limits.memory) as client:
        options = GradeOptions(jobs=jobs, scheduler=client.scheduler.address)
        return [problem for path in paths or solution_paths() for problem in _validate_set(path, options)]


def _validate_set(path: Path, options: GradeOptions) -> list[str]:
    """The problems of one set, graded with `options` (which name the cluster to use)."""
    from ..grading.grader import grade_folder
    from ..grading.runner import Limits, python_read_paths, run_notebook

    problems: list[str] = []
    exercise_set = read_set(path)
    where = path.name
    problems += lint(exercise_set)
    exercise = build_exercise(exercise_set)
    with tempfile.TemporaryDirectory(prefix="teachkit-validate-") as scratch:
        subs = Path(scratch) / "submissions"
        _write(subs, "solution", exercise_set.name, exercise_set.notebook)
        _write(subs, "exercise", exercise_set.name, exercise)
        for number, wrong in enumerate(exercise_set.wrong_solutions, 1):
            notebook = copy.deepcopy(exercise_set.notebook)
            for cell in notebook.cells:
                gid = nbgrader_meta(cell).get("grade_id")
                if gid in wrong.replace:
                    cell.source = wrong.replace[gid]
            _write(subs, f"wrong-{number:02d}", exercise_set.name, notebook)
        results = grade_folder(subs, Path(scratch) / "out", options, solutions=[path], progress=False)
        by_student = {r.student: r for r in results}
        root = course_root()
        student_run = run_notebook(
            copy.deepcopy(exercise),
            data_dir=root / "data",
            read_paths=python_read_paths([root, Path(scratch)]),
            limits=Limits(),
            grading=False,
        )
    auto = {t.task_id for t in exercise_set.tasks if t.kind == "auto"}
    solution = by_student["solution"]
    for task in solution.tasks:
        if task.task in auto and task.status != "passed":
            problems.append(f"{where}: the solution fails task {task.task!r} ({task.status}: {task.reason}).")
    for task in by_student["exercise"].tasks:
        if task.task in auto and (task.points or 0) > 0:
            problems.append(
                f"{where}: the untouched exercise earns points for task {task.task!r}; its test must fail on the stub."
            )
    for index, cell in sorted(student_run.cells.items()):
        if cell.status != "ok":
            problems.append(
                f"{where}: the exercise stops in a student session at cell "
                f"{index + 1} ({cell.status}: {cell.ename} {cell.evalue})."
            )
    if student_run.crashed:
        problems.append(f"{where}: the exercise crashed its kernel: {student_run.crashed}.")
    for number, wrong in enumerate(exercise_set.wrong_solutions, 1):
        result = by_student.get(f"wrong-{number:02d}")
        tasks = result.tasks if result else []
        target = next((t for t in tasks if t.task == wrong.task), None)
        if target is None:
            problems.append(f"{where}: wrong solution {number} ({wrong.why}) was not graded.")
        elif target.status == "passed":
            problems.append(
                f"{where}: wrong solution {number} ({wrong.why}) passes task "
                f"{wrong.task!r}; add a check that catches it."
            )
    return problems
