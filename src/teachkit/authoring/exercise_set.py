"""One exercise set as an instructor writes it: solutions/NN-slug-solutions.ipynb, nbgrader format.

Cells carry nbgrader v3 metadata. Answer cells have ``solution: true`` and a ``### BEGIN SOLUTION``
region; test cells have ``grade: true, locked: true, points`` and may hold a
``### BEGIN HIDDEN TESTS`` region; a written answer is a markdown cell with ``solution`` and
``grade`` (graded by hand, rubric inside its solution region). The notebook's metadata
``teachkit.wrong_solutions`` lists plausible mistakes that the tests must catch.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..course import LANGUAGES, course_root

SOLUTION_SUFFIX = "-solutions.ipynb"
EXERCISE_SUFFIX = "-exercises.ipynb"
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "BEGIN HIDDEN TESTS", "END HIDDEN TESTS"
BEGIN_MARKS, END_MARKS = "BEGIN MARK SCHEME", "END MARK SCHEME"
MARKERS = (BEGIN_SOLUTION, END_SOLUTION, BEGIN_HIDDEN, END_HIDDEN, BEGIN_MARKS, END_MARKS)
CHECK_NAMES = ("check",)  # calls whose first argument is a check's label
_GRADE_ID = re.compile(r"^[a-zA-Z0-9_\-]+$")


class SetError(ValueError):
    """A solution notebook that cannot be used; the message names the file and the cell."""


@dataclass
class Task:
    """One graded unit: an autograded test cell or a hand-graded written answer."""

    task_id: str
    kind: str  # "auto" or "manual"
    points: float
    cell_index: int


@dataclass
class WrongSolution:
    """A plausible mistake: replacement sources for answer cells, and the task it must fail."""

    task: str
    why: str
    replace: dict[str, str]


@dataclass
class ExerciseSet:
    name: str
    solution_path: Path
    notebook: Any
    tasks: list[Task] = field(default_factory=list)
    wrong_solutions: list[WrongSolution] = field(default_factory=list)

    @property
    def exercise_path(self) -> Path:
        """exercises/NN-slug-exercises.ipynb; for a language edition (solutions/de/) exercises/de/…."""
        folder = self.solution_path.parent
        if folder.name in LANGUAGES and folder.parent.name == "solutions":
            return folder.parent.parent / "exercises" / folder.name / f"{self.name}{EXERCISE_SUFFIX}"
        return folder.parent / "exercises" / f"{self.name}{EXERCISE_SUFFIX}"

    @property
    def max_points(self) -> float:
        return sum(t.points for t in self.tasks)

    def cell(self, grade_id: str) -> Any:
        for cell in self.notebook.cells:
            if nbgrader_meta(cell).get("grade_id") == grade_id:
                return cell
        raise KeyError(f"{self.solution_path.name}: no cell with grade_id {grade_id!r}.")


def nbgrader_meta(cell: Any) -> dict[str, Any]:
    return dict(cell.get("metadata", {}).get("nbgrader", {}) or {})


def is_answer_cell(cell: Any) -> bool:
    return bool(nbgrader_meta(cell).get("solution"))


def is_test_cell(cell: Any) -> bool:
    meta = nbgrader_meta(cell)
    return cell.get("cell_type") == "code" and bool(meta.get("grade")) and not meta.get("solution")


def is_manual_cell(cell: Any) -> bool:
    meta = nbgrader_meta(cell)
    return bool(meta.get("grade")) and bool(meta.get("solution"))


def split_region(source: str, begin: str, end: str) -> tuple[list[str], list[str]]:
    """Lines inside and outside `begin`…`end` regions (marker lines belong to neither)."""
    inside: list[str] = []
    outside: list[str] = []
    within = False
    for line in source.split("\n"):
        if begin in line:
            within = True
        elif end in line:
            within = False
        else:
            (inside if within else outside).append(line)
    return inside, outside


def check_labels(source: str) -> list[str]:
    """Labels of the checks some code calls: ['gap value'] for check("gap value", …)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    labels = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in CHECK_NAMES and node.args and isinstance(node.args[0], ast.Constant):
                labels.append(str(node.args[0].value))
    return labels


def announced_hidden(source: str) -> int:
    """The sum of `hidden=N` over a cell's public checks: what students are told will still run."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return 0
    total = 0
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "hidden" and isinstance(kw.value, ast.Constant):
                    total += int(kw.value.value)
    return total


def hint_gaps(source: str, languages: Sequence[str]) -> list[tuple[str, list[str]]]:
    """Checks whose hint={…} mapping lacks English or one of `languages`: [(label, missing), …].

    Only literal mappings are read; a plain-text hint is shown as written in every language.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    gaps = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if (func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")) not in CHECK_NAMES:
            continue
        for kw in node.keywords:
            if kw.arg == "hint" and isinstance(kw.value, ast.Dict):
                keys = {k.value for k in kw.value.keys if isinstance(k, ast.Constant)}
                missing = [lang for lang in ("en", *languages) if lang not in keys]
                if missing:
                    label = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else "?"
                    gaps.append((str(label), list(dict.fromkeys(missing))))
    return gaps


def translated_languages(path: Path) -> list[str]:
    """The languages besides English that a set is translated into: translations/<lang>/<stem>.po exists.

    Works for solutions/NN-slug-solutions.ipynb and its editions solutions/<lang>/….
    """
    folder = path.parent
    if folder.name in LANGUAGES and folder.parent.name == "solutions":
        folder = folder.parent
    if folder.name != "solutions":
        return []
    root = folder.parent
    return [lang for lang in LANGUAGES if lang != "en" and (root / "translations" / lang / f"{path.stem}.po").is_file()]


def set_name(path: Path) -> str:
    """'01-digital-natives' for solutions/01-digital-natives-solutions.ipynb."""
    name = path.name
    for suffix in (SOLUTION_SUFFIX, EXERCISE_SUFFIX):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return path.stem


def solution_paths(root: Path | None = None) -> list[Path]:
    root = root or course_root()
    return sorted((root / "solutions").glob(f"*{SOLUTION_SUFFIX}"))


def edition_solution_paths(root: Path | None = None) -> list[Path]:
    """Solution notebooks of the language editions (solutions/de/…), built by `translate build`."""
    root = root or course_root()
    return sorted(
        p for lang in LANGUAGES for p in (root / "solutions" / lang).glob(f"*{SOLUTION_SUFFIX}") if p.is_file()
    )


def read_set(path: Path | str) -> ExerciseSet:
    """Read a solution notebook and list its tasks; SetError names what is malformed and where."""
    path = Path(path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as problem:  # invalid JSON or not a notebook
        raise SetError(f"{path}: not a readable notebook ({problem}).") from problem
    name = set_name(path)
    tasks: list[Task] = []
    seen: set[str] = set()
    for index, cell in enumerate(notebook.cells):
        meta = nbgrader_meta(cell)
        where = f"{path.name}, cell {index + 1}"
        if not meta:
            if cell.cell_type == "code":
                raise SetError(
                    f"{where}: code cell without nbgrader metadata. Mark it read-only "
                    "(locked) with a grade_id, or as an answer or test cell."
                )
            continue
        grade_id = meta.get("grade_id", "")
        if not _GRADE_ID.match(grade_id or ""):
            raise SetError(f"{where}: grade_id {grade_id!r} must be letters, digits, - or _.")
        if grade_id in seen:
            raise SetError(f"{where}: grade_id {grade_id!r} is used twice; make it unique.")
        seen.add(grade_id)
        if meta.get("grade"):
            points = meta.get("points")
            if not isinstance(points, (int, float)) or points <= 0:
                raise SetError(f"{where} ({grade_id}): a graded cell needs points > 0.")
            kind = "manual" if meta.get("solution") else "auto"
            tasks.append(Task(grade_id, kind, float(points), index))
    raw = notebook.metadata.get("teachkit", {}).get("wrong_solutions", [])
    wrong = []
    for number, entry in enumerate(raw, 1):
        try:
            wrong.append(WrongSolution(task=entry["task"], why=entry["why"], replace=dict(entry["replace"])))
        except (KeyError, TypeError) as problem:
            raise SetError(
                f"{path.name}: wrong solution {number} needs 'task', 'why' and 'replace' ({problem})."
            ) from problem
    return ExerciseSet(name=name, solution_path=path, notebook=notebook, tasks=tasks, wrong_solutions=wrong)


def lint(exercise_set: ExerciseSet) -> list[str]:
    """Problems an author can fix without running anything, each naming file and cell."""
    problems: list[str] = []
    nb_name = exercise_set.solution_path.name
    ids = {nbgrader_meta(c).get("grade_id") for c in exercise_set.notebook.cells}
    auto = [t for t in exercise_set.tasks if t.kind == "auto"]
    manual = [t for t in exercise_set.tasks if t.kind == "manual"]
    if not 3 <= len(exercise_set.tasks) <= 6:
        problems.append(f"{nb_name}: has {len(exercise_set.tasks)} graded tasks; a set has 3–6.")
    if not manual:
        problems.append(
            f"{nb_name}: no written answer graded by hand (markdown cell with "
            "solution and grade); every set ends with a reflection."
        )
    languages = translated_languages(exercise_set.solution_path)
    for cell in exercise_set.notebook.cells:
        meta = nbgrader_meta(cell)
        gid = meta.get("grade_id")
        if cell.cell_type == "code":
            for label, missing in hint_gaps(cell.source, languages):
                wanted = ", ".join(f'"{lang}": "…"' for lang in missing)
                problems.append(
                    f"{nb_name}, cell {gid!r}, check {label!r}: its hint mapping has no text for "
                    f"{', '.join(missing)}; write hint={{{wanted}, …}} with a text for each language of the set."
                )
        if is_answer_cell(cell) and cell.cell_type == "code" and BEGIN_SOLUTION not in cell.source:
            problems.append(f"{nb_name}, cell {gid!r}: answer cell without a ### BEGIN SOLUTION region.")
        if is_test_cell(cell):
            hidden_code, public_code = split_region(cell.source, BEGIN_HIDDEN, END_HIDDEN)
            hidden = len(check_labels("\n".join(hidden_code)))
            told = announced_hidden("\n".join(public_code))
            if hidden != told:
                problems.append(
                    f"{nb_name}, test cell {gid!r}: public checks announce {told} "
                    f"hidden check(s) (hidden=…) but the hidden region has {hidden}."
                )
            if not check_labels("\n".join(public_code)):
                problems.append(
                    f"{nb_name}, test cell {gid!r}: no public check, so a student gets no feedback before grading."
                )
    for task in auto:
        try:
            names = answer_names(exercise_set, task.task_id)
        except SetError as problem:
            problems.append(str(problem))
            names = ["(declared)"]
        if not names:
            problems.append(
                f"{nb_name}, test cell {task.task_id!r}: its checks read no variable that an answer cell "
                "defines, so grading has nothing to export; name them in the test cell's metadata "
                'teachkit.answers, e.g. ["shares"].'
            )
        count = sum(1 for w in exercise_set.wrong_solutions if w.task == task.task_id)
        if count < 2:
            problems.append(
                f"{nb_name}, task {task.task_id!r}: {count} wrong solution(s) "
                "declared in metadata teachkit.wrong_solutions; declare at least 2."
            )
    for number, wrong in enumerate(exercise_set.wrong_solutions, 1):
        if wrong.task not in {t.task_id for t in auto}:
            problems.append(
                f"{nb_name}, wrong solution {number} ({wrong.why}): task {wrong.task!r} is not an autograded test cell."
            )
        for gid in wrong.replace:
            if gid not in ids:
                problems.append(f"{nb_name}, wrong solution {number} ({wrong.why}): no cell {gid!r} to replace.")
    return problems


def _bound_and_free(source: str) -> tuple[set[str], set[str]]:
    """Names code binds at any level, and names it reads before (or without) binding them."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set(), set()
    bound: set[str] = set()
    read: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else read).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
            if not isinstance(node, ast.ClassDef):
                args = node.args
                for arg in [*args.posonlyargs, *args.args, *args.kwonlyargs, args.vararg, args.kwarg]:
                    if arg is not None:
                        bound.add(arg.arg)
        elif isinstance(node, ast.alias):
            bound.add((node.asname or node.name).split(".")[0])
        elif isinstance(node, ast.arg):
            bound.add(node.arg)
        elif isinstance(node, ast.ExceptHandler) and node.name:
            bound.add(node.name)
    return bound, read - bound


def answer_names(exercise_set: ExerciseSet, task_id: str) -> list[str]:
    """The variables a task's checks read from the student's work, in a stable order.

    Derived from the code: names the test cell reads without defining that some answer cell of
    the solution defines. An author can name them instead in the test cell's metadata,
    ``"teachkit": {"answers": ["shares"]}``, which then wins.
    """
    cell = exercise_set.cell(task_id)
    declared = cell.get("metadata", {}).get("teachkit", {}).get("answers")
    if declared is not None:
        if not (isinstance(declared, list) and all(isinstance(n, str) and n.isidentifier() for n in declared)):
            raise SetError(
                f"{exercise_set.solution_path.name}, test cell {task_id!r}: metadata teachkit.answers "
                "must be a list of variable names."
            )
        return list(declared)
    source = "\n".join(line for line in cell.source.split("\n") if not any(m in line for m in MARKERS))
    _, free = _bound_and_free(source)
    answered: set[str] = set()
    for other in exercise_set.notebook.cells:
        if other.get("cell_type") == "code" and is_answer_cell(other):
            answered |= _bound_and_free(other.source)[0]
    return sorted(free & answered)
