"""Grading written answers by hand, one task across all students, with the rubric of the solution.

Instructor-only (not in the student bundle). In JupyterLab::

    from teachkit.handgrade import HandGrader
    HandGrader("graded/01", "submissions/01")          # shows the app; task= picks one hand-graded task

The app shows one student's answer (rendered Markdown) to one hand-graded task, identified only by
the pseudonym; the rubric rows of the solution notebook (``- 1 point: …``) as buttons for each
level; reusable comments per rubric row (write once, tick for many); a free comment; progress; and a
shortcut field for the keyboard. Every change is written at once, atomically and under a lock, to
``<graded>-handgrades/<task>.json`` beside the graded folder: one file per task, so two graders on
two tasks never touch the same file, and two on one task merge student by student. The next session
opens where the last one stopped. ``export_csv``/``import_csv`` carry the same data to and from a
spreadsheet.

The pure part (`RubricRow`, `read_rubric`, `HandGradeStore`) has no widgets; `HandGrader` adds the
view and its Python API (`choose`, `next`, …) is what the tests drive.
"""

from __future__ import annotations

import contextlib
import csv
import fcntl
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from .authoring.exercise_set import BEGIN_SOLUTION, END_SOLUTION, ExerciseSet, read_set, solution_paths, split_region
from .course import course_root
from .responses import write_json_atomic

FORMAT = "teachkit-handgrades"
VERSION = 1
# English and German solution notebooks ("- 2 points: …", "- 2 Punkte: …" under "Rubric"/"Bewertungsraster").
_ROW = re.compile(r"^\s*[-*]\s*(\d+)\s+(?:points?|punkte?)\s*:\s*(.+?)\s*$", re.IGNORECASE)
_RUBRIC_WORDS = ("rubric", "bewertungsraster")


class HandGradeError(ValueError):
    """Hand grades that cannot be read or written; the message names the file and what to do."""


@dataclass(frozen=True)
class RubricRow:
    text: str
    points: int  # levels are 0 … points


def read_rubric(exercise_set: ExerciseSet, task_id: str) -> tuple[list[RubricRow], str]:
    """The rubric rows of a hand-graded task, and the model answer above them, from the solution.

    Rows are the bullets ``- N point(s): what earns them`` after the line naming the rubric. When
    none are found (or they do not add up to the task's points) one row for the whole task is used.
    """
    task = next((t for t in exercise_set.tasks if t.task_id == task_id and t.kind == "manual"), None)
    if task is None:
        manual = [t.task_id for t in exercise_set.tasks if t.kind == "manual"]
        raise HandGradeError(f"{exercise_set.solution_path.name}: no hand-graded task {task_id!r}; there are {manual}.")
    inside, _ = split_region(exercise_set.cell(task_id).source, BEGIN_SOLUTION, END_SOLUTION)
    start = next((i for i, line in enumerate(inside) if any(w in line.lower() for w in _RUBRIC_WORDS)), len(inside))
    rows = [RubricRow(m.group(2), int(m.group(1))) for line in inside[start:] if (m := _ROW.match(line))]
    if not rows or sum(r.points for r in rows) != task.points:
        rows = [RubricRow("the whole answer (the solution has no rubric rows that add up)", int(task.points))]
    return rows, "\n".join(inside[:start]).strip()


def handgrade_folder(graded: Path | str) -> Path:
    """Where hand grades of a graded folder live: beside it, never inside (grade --force may clear it)."""
    graded = Path(graded)
    return graded.parent / f"{graded.name}-handgrades"


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class HandGradeStore:
    """One task's hand grades on disk. Every change: lock, read fresh, change one student, write."""

    def __init__(self, path: Path, set_name: str, task: str, rubric: list[RubricRow]):
        self.path, self.set_name, self.task, self.rubric = path, set_name, task, rubric
        self.data = self._read()

    def _empty(self) -> dict[str, Any]:
        return {
            "format": FORMAT,
            "version": VERSION,
            "set": self.set_name,
            "task": self.task,
            "rubric": [{"text": r.text, "points": r.points} for r in self.rubric],
            "comments": [[] for _ in self.rubric],
            "grades": {},
            "position": None,
        }

    def _read(self) -> dict[str, Any]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return self._empty()
        try:
            data = json.loads(text)
        except json.JSONDecodeError as problem:
            raise HandGradeError(f"{self.path}: not readable JSON ({problem}); restore it from a backup.") from problem
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            raise HandGradeError(f"{self.path}: not a hand-grade file of teachkit; move it away and start again.")
        if int(data.get("version", 0)) > VERSION:
            raise HandGradeError(
                f"{self.path}: written by a newer teachkit (format version {data['version']}, this one reads "
                f"{VERSION}); update teachkit before grading, so nothing is lost."
            )
        if data.get("set") != self.set_name or data.get("task") != self.task:
            raise HandGradeError(
                f"{self.path}: holds grades of {data.get('set')}/{data.get('task')}, not {self.set_name}/{self.task}."
            )
        if [r["points"] for r in data.get("rubric", [])] != [r.points for r in self.rubric]:
            raise HandGradeError(
                f"{self.path}: its rubric differs from the solution notebook's now; grade with the rubric it was "
                "started with, or move the file away to start again."
            )
        return data

    def change(self, edit: Callable[[dict[str, Any]], None]) -> None:
        """Apply `edit` to the freshest copy and write it at once (another grader's work is kept)."""
        with _locked(self.path):
            data = self._read()
            edit(data)
            write_json_atomic(self.path, data)
            self.data = data

    # -------------------------------------------------------------- reading

    def grade(self, student: str) -> dict[str, Any]:
        return self.data["grades"].get(student, {})

    def levels(self, student: str) -> list[int | None]:
        levels = self.grade(student).get("levels", {})
        return [levels.get(str(i)) for i in range(len(self.rubric))]

    def points(self, student: str) -> float | None:
        """The student's points, or None while a rubric row has no level (missing, never 0)."""
        levels = self.levels(student)
        return None if any(level is None for level in levels) else float(sum(levels))  # type: ignore[arg-type]

    def comments(self, row: int) -> list[str]:
        return list(self.data["comments"][row])

    def ticked(self, student: str, row: int) -> list[str]:
        chosen = self.grade(student).get("comments", {}).get(str(row), [])
        return [self.data["comments"][row][i] for i in chosen if i < len(self.data["comments"][row])]

    def free(self, student: str) -> str:
        return str(self.grade(student).get("free", ""))

    def feedback(self, student: str) -> str:
        """What the student reads about this task: each row's level and comments, then the free comment."""
        lines = []
        for i, (row, level) in enumerate(zip(self.rubric, self.levels(student), strict=True)):
            got = "–" if level is None else f"{level}"
            notes = "; ".join(self.ticked(student, i))
            lines.append(f"- {got}/{row.points}: {row.text}" + (f" — {notes}" if notes else ""))
        if self.free(student):
            lines.append(self.free(student))
        return "\n".join(lines)

    # -------------------------------------------------------------- changes

    def _student(self, data: dict[str, Any], student: str) -> dict[str, Any]:
        entry = data["grades"].setdefault(student, {"levels": {}, "comments": {}, "free": ""})
        entry["changed"] = datetime.now(UTC).isoformat(timespec="seconds")
        return entry

    def set_level(self, student: str, row: int, level: int | None) -> None:
        if level is not None and not 0 <= level <= self.rubric[row].points:
            raise HandGradeError(f"row {row + 1} has levels 0–{self.rubric[row].points}, not {level}.")

        def edit(data: dict[str, Any]) -> None:
            levels = self._student(data, student)["levels"]
            if level is None:
                levels.pop(str(row), None)
            else:
                levels[str(row)] = level

        self.change(edit)

    def add_comment(self, row: int, text: str) -> int:
        """A reusable comment for a rubric row; its index (the existing one if the text is known)."""
        text = " ".join(text.split())
        found: list[int] = []

        def edit(data: dict[str, Any]) -> None:
            known = data["comments"][row]
            if text not in known:
                known.append(text)
            found.append(known.index(text))

        self.change(edit)
        return found[0]

    def tick(self, student: str, row: int, text: str, on: bool = True) -> None:
        index = self.add_comment(row, text)

        def edit(data: dict[str, Any]) -> None:
            chosen = self._student(data, student)["comments"].setdefault(str(row), [])
            if on and index not in chosen:
                chosen.append(index)
            if not on and index in chosen:
                chosen.remove(index)

        self.change(edit)

    def set_free(self, student: str, text: str) -> None:
        self.change(lambda data: self._student(data, student).__setitem__("free", text))

    def set_position(self, student: str) -> None:
        if self.data.get("position") != student:
            self.change(lambda data: data.__setitem__("position", student))

    # -------------------------------------------------------------- spreadsheet

    def csv_header(self) -> list[str]:
        rows = [f"row {i + 1} (0-{r.points}): {r.text[:40]}" for i, r in enumerate(self.rubric)]
        return ["student", "set", "task", *rows, "comments", "free comment"]

    def export_csv(self, students: list[str]) -> str:
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.csv_header())
        for student in students:
            levels = ["" if level is None else str(level) for level in self.levels(student)]
            ticked = " | ".join(f"{i + 1}: {c}" for i in range(len(self.rubric)) for c in self.ticked(student, i))
            writer.writerow([student, self.set_name, self.task, *levels, ticked, self.free(student)])
        return buffer.getvalue()

    def import_csv(self, text: str, source: str, students: list[str]) -> int:
        """Read grades back from a spreadsheet; every problem is found before anything is written."""
        rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
        if not rows or rows[0][:3] != ["student", "set", "task"] or len(rows[0]) != len(self.csv_header()):
            raise HandGradeError(f"{source}: not an export of this task's hand grades; export it again and edit that.")
        parsed = []
        for number, row in enumerate(rows[1:], 2):
            if not any(row):
                continue
            student, set_name, task = row[:3]
            where = f"{source}, line {number}"
            if (set_name, task) != (self.set_name, self.task):
                raise HandGradeError(f"{where}: grades of {set_name}/{task}, not {self.set_name}/{self.task}.")
            if student not in students:
                raise HandGradeError(f"{where}: no submission by {student!r} for this task; fix the pseudonym.")
            levels: list[int | None] = []
            for i, cell in enumerate(row[3 : 3 + len(self.rubric)]):
                cell = cell.strip()
                if cell and (not cell.isdigit() or int(cell) > self.rubric[i].points):
                    raise HandGradeError(f"{where}: row {i + 1} takes 0–{self.rubric[i].points}, not {cell!r}.")
                levels.append(int(cell) if cell else None)
            ticks = []
            for part in filter(None, (p.strip() for p in row[-2].split(" | "))):
                head, _, comment = part.partition(": ")
                if not head.isdigit() or not 1 <= int(head) <= len(self.rubric) or not comment:
                    raise HandGradeError(f"{where}: comment {part!r} must read 'ROW: text', e.g. '1: source missing'.")
                ticks.append((int(head) - 1, comment))
            parsed.append((student, levels, ticks, row[-1]))

        def edit(data: dict[str, Any]) -> None:
            for student, levels, ticks, free in parsed:
                entry = self._student(data, student)
                entry["levels"] = {str(i): level for i, level in enumerate(levels) if level is not None}
                entry["comments"] = {}
                for row, comment in ticks:
                    known = data["comments"][row]
                    if comment not in known:
                        known.append(comment)
                    entry["comments"].setdefault(str(row), []).append(known.index(comment))
                entry["free"] = free

        self.change(edit)
        return len(parsed)


# ------------------------------------------------------------------ what the gradebook reads


def load_hand_grades(graded: Path | str) -> dict[tuple[str, str], tuple[float | None, str]]:
    """(student, task) -> (points or None while incomplete, feedback text) from every task file."""
    found: dict[tuple[str, str], tuple[float | None, str]] = {}
    folder = handgrade_folder(graded)
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except json.JSONDecodeError as problem:
            raise HandGradeError(f"{path}: not readable JSON ({problem}); restore it from a backup.") from problem
        if data.get("format") != FORMAT:
            continue
        if int(data.get("version", 0)) > VERSION:
            raise HandGradeError(
                f"{path}: written by a newer teachkit (format version {data['version']}); update teachkit first."
            )
        rubric = [RubricRow(r["text"], int(r["points"])) for r in data["rubric"]]
        store = HandGradeStore.__new__(HandGradeStore)
        store.path, store.set_name, store.task, store.rubric, store.data = path, data["set"], data["task"], rubric, data
        for student in data.get("grades", {}):
            found[(student, data["task"])] = (store.points(student), store.feedback(student))
    return found


# ------------------------------------------------------------------ the app


def _answers(graded: Path, submissions: Path, task: str) -> tuple[str, dict[str, str]]:
    """The set name and, per student waiting for this task, the written answer from the submission."""
    import nbformat

    book = graded / "gradebook.csv"
    if not book.exists():
        raise HandGradeError(f"{book}: missing; run `python -m teachkit grade SUBMISSIONS --out {graded}` first.")
    rows = list(csv.DictReader(book.open(encoding="utf-8")))
    sets = {r["set"] for r in rows if r["set"]}
    if len(sets) != 1:
        raise HandGradeError(f"{book}: holds {len(sets)} sets ({sorted(sets)}); grade one set per folder.")
    waiting = sorted({r["student"] for r in rows if r["task"] == task and r["status"] == "manual"})
    files: dict[str, str] = {}
    for path in sorted((graded / "results").glob("*.json")):
        result = json.loads(path.read_text(encoding="utf-8"))
        files.setdefault(result["student"], result["file"])
    answers = {}
    for student in waiting:
        path = submissions / files.get(student, f"{student}/?")
        if not path.exists():
            raise HandGradeError(f"{path}: the graded submission of {student} is gone; give the submissions folder.")
        notebook = nbformat.read(path, as_version=4)
        cell = next(
            (c for c in notebook.cells if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == task), None
        )
        answers[student] = cell.source if cell is not None else ""
    return sets.pop(), answers


class HandGrader:
    """Grade one hand-graded task across all students; `display(grader)` in a notebook shows the app."""

    def __init__(
        self,
        graded: Path | str,
        submissions: Path | str,
        task: str | None = None,
        solutions: list[Path] | None = None,
    ):
        self.graded, self.submissions = Path(graded), Path(submissions)
        book = self.graded / "gradebook.csv"
        set_names = {r["set"] for r in csv.DictReader(book.open(encoding="utf-8"))} if book.exists() else set()
        sets = {s.name: s for s in (read_set(p) for p in (solutions or solution_paths(course_root())))}
        exercise_set = next((sets[n] for n in set_names if n in sets), None)
        if exercise_set is None:
            raise HandGradeError(f"{book}: no solution notebook for its set {sorted(set_names)}; grade first.")
        manual = [t.task_id for t in exercise_set.tasks if t.kind == "manual"]
        self.task = task or manual[0]
        self.rubric, self.model_answer = read_rubric(exercise_set, self.task)
        self.set_name, self.answers = _answers(self.graded, self.submissions, self.task)
        self.students = sorted(self.answers)
        if not self.students:
            raise HandGradeError(f"{book}: no answer waits for a hand grade in task {self.task!r}; nothing to grade.")
        self.store = HandGradeStore(
            handgrade_folder(self.graded) / f"{self.task}.json", self.set_name, self.task, self.rubric
        )
        position = self.store.data.get("position")
        self.index = self.students.index(position) if position in self.students else 0
        self._view: Any = None
        self._pending_row: int | None = None

    # -------------------------------------------------------------- the Python API

    @property
    def student(self) -> str:
        return self.students[self.index]

    def graded_count(self) -> int:
        return sum(1 for s in self.students if self.store.points(s) is not None)

    def progress(self) -> str:
        return f"{self.graded_count()} of {len(self.students)} graded"

    def go(self, student: str) -> None:
        self.index = self.students.index(student)
        self.store.set_position(student)
        self._refresh()

    def next(self) -> None:
        self.go(self.students[min(self.index + 1, len(self.students) - 1)])

    def previous(self) -> None:
        self.go(self.students[max(self.index - 1, 0)])

    def next_ungraded(self) -> None:
        order = self.students[self.index + 1 :] + self.students[: self.index + 1]
        self.go(next((s for s in order if self.store.points(s) is None), self.student))

    def choose(self, row: int, level: int | None) -> None:
        self.store.set_level(self.student, row, level)
        self._refresh()

    def tick(self, row: int, comment: str, on: bool = True) -> None:
        self.store.tick(self.student, row, comment, on)
        self._refresh()

    def comment(self, text: str) -> None:
        self.store.set_free(self.student, text)
        self._refresh()

    def points(self, student: str | None = None) -> float | None:
        return self.store.points(student or self.student)

    def export_csv(self, path: Path | str) -> Path:
        path = Path(path)
        path.write_text(self.store.export_csv(self.students), encoding="utf-8")
        return path

    def import_csv(self, path: Path | str) -> int:
        count = self.store.import_csv(Path(path).read_text(encoding="utf-8"), str(path), self.students)
        self._refresh()
        return count

    def key(self, keys: str) -> None:
        """Keyboard shortcuts: n/p next/previous, u next ungraded, then digits: row number, level."""
        for key in keys:
            if key in "nj":
                self.next()
            elif key in "pk":
                self.previous()
            elif key == "u":
                self.next_ungraded()
            elif key.isdigit() and self._pending_row is None:
                row = int(key) - 1
                self._pending_row = row if 0 <= row < len(self.rubric) else None
            elif key.isdigit() and self._pending_row is not None:
                row, self._pending_row = self._pending_row, None
                if int(key) <= self.rubric[row].points:
                    self.choose(row, int(key))
            elif key == "x" and self._pending_row is not None:
                row, self._pending_row = self._pending_row, None
                self.choose(row, None)
        self._refresh()

    # -------------------------------------------------------------- the view

    def _ipython_display_(self) -> None:
        from IPython.display import display

        display(self.widget())

    def widget(self) -> Any:
        if self._view is None:
            from .handgrade_view import HandGradeView

            self._view = HandGradeView(self)
        self._refresh()
        return self._view.box

    def _refresh(self) -> None:
        if self._view is not None:
            self._view.refresh()
