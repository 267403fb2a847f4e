"""Put a submission back together with the official cells, minus every test.

Every cell the solution notebook owns (setup and read-only cells) is taken from the solution; only
the student's answer cells (by nbgrader grade_id) and any cells they added are kept, and added cells
stay after the official cell they followed. A test cell never enters the student's kernel: in its
place goes a short export of the values that task's checks read (plain.py), and the checks run
later in the grader's own process (checker.py).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from typing import Any

import nbformat

from ..authoring.build import stub_for
from ..authoring.exercise_set import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    ExerciseSet,
    answer_names,
    is_answer_cell,
    is_test_cell,
    nbgrader_meta,
    split_region,
)


def export_source(task: str, names: list[str]) -> str:
    """The cell that stands where a test was: it writes the task's answers as plain data."""
    return f"__import__('teachkit.grading.plain').grading.plain.export({task!r}, {names!r}, globals())"


@dataclass
class Assembled:
    notebook: Any
    task_cells: dict[str, int] = field(default_factory=dict)  # task id -> cell index
    answer_cells: dict[str, int] = field(default_factory=dict)  # answer grade_id -> index
    owner: dict[int, str] = field(default_factory=dict)  # cell index -> task it leads to
    missing_answers: list[str] = field(default_factory=list)
    answer_text: dict[str, str] = field(default_factory=dict)  # manual answers, for the feedback
    answer_names: dict[str, list[str]] = field(default_factory=dict)  # task id -> names it exports


def _stub_cell(official: Any) -> Any:
    cell = copy.deepcopy(official)
    inside, _ = split_region(official.source, BEGIN_SOLUTION, END_SOLUTION)
    cell.source = stub_for("\n".join(inside)) if official.cell_type == "code" else ""
    return cell


def assemble(submission: Any, exercise_set: ExerciseSet) -> Assembled:
    """The notebook to grade: official cells, the student's answers and extra cells."""
    official = exercise_set.notebook.cells
    known = {nbgrader_meta(c).get("grade_id") for c in official} - {None}
    answers: dict[str, Any] = {}
    extras: dict[str | None, list[Any]] = {}
    anchor: str | None = None
    for cell in submission.get("cells", []):
        gid = nbgrader_meta(cell).get("grade_id")
        if gid in known:
            anchor = gid
            if is_answer_cell(cell):
                answers[gid] = cell
            continue  # an official cell: the solution's copy is used instead
        if cell.get("cell_type") == "code":
            extras.setdefault(anchor, []).append(cell)
    cells: list[Any] = []
    result = Assembled(notebook=None)
    for cell in extras.get(None, []):
        cells.append(_clean(cell))
    for cell in official:
        gid = nbgrader_meta(cell).get("grade_id")
        if gid and is_answer_cell(cell):
            mine = answers.get(gid)
            if mine is None or mine.get("cell_type") != cell.cell_type:
                result.missing_answers.append(gid)
                mine = _stub_cell(cell)
            chosen = _clean(mine)
            chosen.metadata["nbgrader"] = copy.deepcopy(cell.metadata["nbgrader"])
            result.answer_cells[gid] = len(cells)
            if cell.cell_type == "markdown":
                result.answer_text[gid] = chosen.source
        else:
            chosen = copy.deepcopy(cell)
            if chosen.cell_type == "code":
                chosen.outputs, chosen.execution_count = [], None
            if is_test_cell(chosen) and gid:
                result.answer_names[gid] = answer_names(exercise_set, gid)
                chosen.source = export_source(gid, result.answer_names[gid])
        if gid in {t.task_id for t in exercise_set.tasks}:
            result.task_cells[gid] = len(cells)
        cells.append(chosen)
        for extra in extras.get(gid, []) if gid else []:
            cells.append(_clean(extra))
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(exercise_set.notebook.metadata))
    notebook.metadata.get("teachkit", {}).pop("wrong_solutions", None)
    result.notebook = notebook
    task_at = sorted((index, task) for task, index in result.task_cells.items())
    for index in range(len(cells)):
        later = [task for at, task in task_at if at >= index]
        if later:
            result.owner[index] = later[0]
    return result


def _clean(cell: Any) -> Any:
    """A fresh cell from student content: source kept, outputs and odd metadata dropped."""
    source = cell.get("source", "")
    source = "".join(source) if isinstance(source, list) else str(source)
    if cell.get("cell_type") == "markdown":
        return nbformat.v4.new_markdown_cell(source)
    return nbformat.v4.new_code_cell(source)
