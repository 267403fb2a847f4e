"""One gradebook from autograded and hand-graded points, and the three files Moodle takes back.

Instructor-only. `merge` reads ``graded/NN/gradebook.csv`` (what `grade` wrote) and the hand grades
beside it (handgrade.py): a task waiting for a hand grade that has none is *missing*, never 0, and
so is the student's total for that set. The exports:

- `fill_worksheet`: the offline grading worksheet downloaded from the assignment, every row and
  column kept, Grade and Feedback comments filled (see moodle.py for the importer it must suit);
- `grades_import_csv`: one row per student, one column per set, for Grades → Import → CSV;
- `feedback_zip`: one feedback file per student for "Upload multiple feedback files in a zip".
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .handgrade import load_hand_grades
from .moodle import FEEDBACK_COLUMN, MoodleError, Worksheet, feedback_file_name
from .participants import Key


class GradebookError(ValueError):
    """A gradebook that cannot be written; the message names the file and what to do."""


@dataclass
class Mark:
    student: str
    set: str
    task: str
    points: float | None  # None: a hand grade is missing
    max: float
    source: str  # passed, failed, … (autograded) | by hand | missing hand grade
    comment: str = ""


@dataclass
class Total:
    student: str
    set: str
    points: float | None
    max: float
    missing: list[str]


def merge(graded: Path | str) -> list[Mark]:
    """Every task of every student in one graded folder, hand grades filled in."""
    graded = Path(graded)
    book = graded / "gradebook.csv"
    if not book.exists():
        raise GradebookError(f"{book}: missing; run `python -m teachkit grade SUBMISSIONS --out {graded}` first.")
    hand = load_hand_grades(graded)
    marks = []
    for row in csv.DictReader(book.open(encoding="utf-8")):
        maximum = float(row["max"] or 0)
        if row["status"] == "manual":
            points, comment = hand.get((row["student"], row["task"]), (None, ""))
            source = "by hand" if points is not None else "missing hand grade"
            marks.append(Mark(row["student"], row["set"], row["task"], points, maximum, source, comment))
        else:
            points = float(row["points"]) if row["points"] else 0.0
            marks.append(Mark(row["student"], row["set"], row["task"], points, maximum, row["status"], row["reason"]))
    return marks


def totals(marks: list[Mark]) -> list[Total]:
    found: dict[tuple[str, str], Total] = {}
    for mark in marks:
        total = found.setdefault((mark.student, mark.set), Total(mark.student, mark.set, 0.0, 0.0, []))
        total.max += mark.max
        if mark.points is None:
            total.missing.append(mark.task)
        elif total.points is not None:
            total.points += mark.points
    for total in found.values():
        if total.missing:
            total.points = None
    return sorted(found.values(), key=lambda t: (t.set, t.student))


def merged_csv(marks: list[Mark]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["student", "set", "task", "points", "max", "source"])
    for m in marks:
        writer.writerow([m.student, m.set, m.task, "" if m.points is None else f"{m.points:g}", f"{m.max:g}", m.source])
    return buffer.getvalue()


def _number(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def feedback_summary(total: Total, marks: list[Mark]) -> str:
    """One line per task for the worksheet's Feedback comments (Moodle shows it as the comment)."""
    parts = [f"{total.set}: {total.points:g} of {total.max:g} points." if total.points is not None else ""]
    for m in marks:
        got = "?" if m.points is None else f"{m.points:g}"
        parts.append(f"{m.task}: {got}/{m.max:g} ({m.source})")
    return " ".join(p for p in parts if p)


def fill_worksheet(
    sheet: Worksheet, set_name: str, all_totals: list[Total], marks: list[Mark], key: Key
) -> tuple[Worksheet, list[str]]:
    """The worksheet with Grade (scaled to its Maximum Grade) and Feedback comments filled.

    Refuses (MoodleError) a worksheet whose identifiers are not this set's participants in the key:
    another assignment's worksheet, or a key from another course. Rows of participants without a
    complete grade are kept as they were, and each is named in the returned notes.
    """
    mine = {t.student: t for t in all_totals if t.set == set_name}
    by_participant = {key.participant_for(set_name, s): s for s in mine}
    unknown = sorted(s for p, s in by_participant.items() if p is None)
    if unknown:
        raise GradebookError(
            f"{key.path}: no participant id of set {set_name} for {', '.join(unknown)}; collect this set with that key."
        )
    present = set(sheet.participants())
    absent = sorted(p for p in by_participant if p not in present)
    if absent:
        which = "none" if len(absent) == len(by_participant) else f"{len(absent)}"
        raise MoodleError(
            f"{sheet.source}: {which} of the {len(by_participant)} graded participants of set {set_name} "
            f"(e.g. Participant {absent[0]}) are in this worksheet; download the worksheet of this set's assignment."
        )
    notes = []
    if sheet.feedback_index is None:
        notes.append(f"{sheet.source}: no '{FEEDBACK_COLUMN}' column; turn on feedback comments to send comments.")
    for row in sheet.rows:
        student = by_participant.get(sheet.participant(row))
        if student is None:
            continue
        total = mine[student]
        if total.points is None:
            notes.append(f"{student}: hand grade missing for {', '.join(total.missing)}; Grade left empty.")
            continue
        scale = _number(row[sheet.max_index]) if sheet.max_index is not None else None
        grade = total.points / total.max * scale if scale and total.max else total.points
        row[sheet.grade_index] = f"{grade:.2f}"
        if sheet.feedback_index is not None:
            own = [m for m in marks if m.student == student and m.set == set_name]
            row[sheet.feedback_index] = feedback_summary(total, own)
    return sheet, notes


def grades_import_csv(all_totals: list[Total], key: Key) -> tuple[str, list[str]]:
    """Grades → Import → CSV: Email address (from the key), pseudonym, one column of points per set."""
    sets = sorted({t.set for t in all_totals})
    students = sorted({t.student for t in all_totals})
    points = {(t.student, t.set): t.points for t in all_totals}
    notes = []
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["Email address", "pseudonym", *sets])
    for student in students:
        email = key.email_for(student)
        if not email:
            notes.append(f"{student}: no e-mail in {key.path}; add an 'email' column there to import this row.")
        values = ["" if points.get((student, s)) is None else f"{points[(student, s)]:g}" for s in sets]
        writer.writerow([email, student, *values])
    return buffer.getvalue(), notes


def feedback_text(graded: Path, student: str, total: Total, marks: list[Mark]) -> str:
    """The autograder's feedback file with the hand grades and the final total put in."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", student) or "unnamed"
    auto = graded / "feedback" / f"{name}.md"
    text = auto.read_text(encoding="utf-8") if auto.exists() else f"# Feedback for {student}\n"
    shown = "not yet complete" if total.points is None else f"{total.points:g} of {total.max:g} points"
    lines = [text.rstrip(), "", f"## Total, with the tasks graded by hand: {shown}", ""]
    for m in marks:
        if m.source in ("by hand", "missing hand grade"):
            got = "not graded yet" if m.points is None else f"{m.points:g} / {m.max:g}"
            lines += [f"### {m.task} (graded by hand): {got}", "", m.comment or "", ""]
    return "\n".join(lines).rstrip() + "\n"


def feedback_zip(
    graded: Path, set_name: str, all_totals: list[Total], marks: list[Mark], key: Key, out: Path
) -> tuple[Path, list[str]]:
    """A zip Moodle's "Upload multiple feedback files in a zip" maps to participants by their id."""
    notes = []
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for total in (t for t in all_totals if t.set == set_name):
            participant = key.participant_for(set_name, total.student)
            if participant is None:
                notes.append(f"{total.student}: not in {key.path} for set {set_name}; no feedback file.")
                continue
            own = [m for m in marks if m.student == total.student and m.set == set_name]
            info = zipfile.ZipInfo(feedback_file_name(participant, f"feedback-{set_name}.md"), (1980, 1, 1, 0, 0, 0))
            zf.writestr(info, feedback_text(graded, total.student, total, own))
    tmp.replace(out)
    return out, notes
