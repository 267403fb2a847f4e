"""Write the student copy of a solution notebook, reusing nbgrader's preprocessors.

nbgrader replaces a solution with ``raise NotImplementedError()``, which stops Run All. Our stub
keeps the variable the task asks for (``shares = ...  # your code here``) so an untouched exercise
runs top to bottom and every check says "not answered yet".
"""

from __future__ import annotations

import ast
import copy
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import nbformat

from .exercise_set import (
    BEGIN_SOLUTION,
    END_SOLUTION,
    ExerciseSet,
    read_set,
    solution_paths,
    split_region,
)

TEXT_STUB = "*Write your answer here.*"
TEXT_STUBS = {"en": TEXT_STUB, "de": "*Schreiben Sie Ihre Antwort hier.*"}
"""The placeholder of a written answer in each edition; the grader counts any of them as not answered."""
TITLE_WORDS = {"en": ("Solutions", "Exercises"), "de": ("Lösungen", "Übungen")}
CODE_COMMENT = "# your code here"


def _nbgrader() -> Any:
    try:
        from nbgrader import preprocessors
    except ImportError as problem:  # an instructor tool, not a student dependency
        raise RuntimeError("Building exercises needs nbgrader: pip install -r requirements-dev.txt") from problem
    return preprocessors


def stub_for(solution_code: str) -> str:
    """A runnable stub for a solution region: its last assigned name (or function) left open."""
    try:
        tree = ast.parse(solution_code)
    except SyntaxError:
        return f"...  {CODE_COMMENT}"
    for node in reversed(tree.body):
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            if names:
                return f"{names[-1]} = ...  {CODE_COMMENT}"
        if isinstance(node, ast.FunctionDef):
            args = ast.unparse(node.args)
            return f"def {node.name}({args}):\n    ...  {CODE_COMMENT}"
    return f"...  {CODE_COMMENT}"


def _stub_solutions_class() -> type:
    base = _nbgrader().ClearSolutions

    class StubSolutions(base):  # type: ignore[misc, valid-type]
        """nbgrader's ClearSolutions with a per-cell stub derived from the solution itself."""

        def _replace_solution_region(self, cell: Any, language: str) -> bool:
            if cell.cell_type == "code":
                inside, _ = split_region(cell.source, BEGIN_SOLUTION, END_SOLUTION)
                self.code_stub = {**self.code_stub, language: stub_for("\n".join(inside))}
            return super()._replace_solution_region(cell, language)

    return StubSolutions


def _retitle(notebook: Any, lang: str = "en") -> None:
    """The H1 says Exercises, not Solutions (Übungen, not Lösungen)."""
    old, new = TITLE_WORDS.get(lang, TITLE_WORDS["en"])
    for cell in notebook.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("# "):
            cell.source = re.sub(rf"\b{old}\b", new, cell.source, count=1)
            cell.source = re.sub(rf"\b{old.lower()}\b", new.lower(), cell.source, count=1)
            return


def build_exercise(exercise_set: ExerciseSet, lang: str = "en") -> Any:
    """The student notebook: stubs, no hidden tests, no outputs, read-only cells locked.

    `lang` is the edition (a German set is built from solutions/de/): its written-answer placeholder
    and title word; the set id stays the same, so both editions are graded alike."""
    pre = _nbgrader()
    notebook = copy.deepcopy(exercise_set.notebook)
    resources: dict[str, Any] = {}
    steps = [
        pre.LockCells(),
        _stub_solutions_class()(text_stub=TEXT_STUBS.get(lang, TEXT_STUB)),
        pre.ClearOutput(),
        pre.CheckCellMetadata(),
        pre.ClearHiddenTests(),
        pre.ClearMarkScheme(),
    ]
    for step in steps:
        notebook, resources = step.preprocess(notebook, resources)
    for cell in notebook.cells:
        cell.metadata.pop("execution", None)  # run timestamps: noise in every diff
    _retitle(notebook, lang)
    meta = notebook.metadata.setdefault("teachkit", {})
    meta.pop("wrong_solutions", None)
    meta["set"] = exercise_set.name
    folder = exercise_set.solution_path.parent
    meta["generated_from"] = (
        f"solutions/{folder.name}/{exercise_set.solution_path.name}"
        if lang != "en"
        else f"solutions/{exercise_set.solution_path.name}"
    )
    if lang != "en":
        meta["lang"] = lang
    notebook.metadata.pop("widgets", None)
    return notebook


def exercise_text(exercise_set: ExerciseSet, lang: str = "en") -> str:
    return nbformat.writes(build_exercise(exercise_set, lang)) + "\n"


@dataclass
class BuildResult:
    path: Path
    changed: bool


def build_exercises(paths: list[Path] | None = None, check: bool = False) -> list[BuildResult]:
    """Write (or with check=True only compare) exercises/ for each solution notebook."""
    results = []
    for path in paths or solution_paths():
        exercise_set = read_set(path)
        text = exercise_text(exercise_set)
        target = exercise_set.exercise_path
        current = target.read_text(encoding="utf-8") if target.exists() else None
        changed = current != text
        if changed and not check:
            target.parent.mkdir(parents=True, exist_ok=True)
            tmp = target.with_name(f".{target.name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(target)
        results.append(BuildResult(target, changed))
    return results
