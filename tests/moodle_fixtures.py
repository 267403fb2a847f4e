"""Moodle downloads and worksheets built to Moodle's own naming scheme (see teachkit/moodle.py)."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

from teachkit.moodle import submission_name

ROOT = Path(__file__).resolve().parents[1]
SET = "01-digital-natives"
EXERCISE = ROOT / "exercises" / f"{SET}-exercises.ipynb"
SOLUTION = ROOT / "solutions" / f"{SET}-solutions.ipynb"

# Full names as Moodle stores them, and their per-assignment participant ids.
CLASS = [
    ("Jürgen O'Brien", 100234),
    ("Anna-Lena Müller", 100871),
    ("Zoë de la Cruz", 101555),
]


def exercise_bytes(set_name: str = SET) -> bytes:
    nb = json.loads(EXERCISE.read_text(encoding="utf-8"))
    nb.setdefault("metadata", {}).setdefault("teachkit", {})["set"] = set_name
    return json.dumps(nb).encode()


def download(path: Path, files: list[tuple[str, int, str, bytes]], *, folders: bool = True) -> Path:
    """A 'Download all submissions' zip: (full name, participant id, file name, content) per file."""
    with zipfile.ZipFile(path, "w") as zf:
        for fullname, participant, filename, data in files:
            zf.writestr(submission_name(fullname, participant, filename, folders=folders), data)
    return path


WORKSHEET_HEADER = [
    "Identifier",
    "Full name",
    "Email address",
    "Status",
    "Grade",
    "Maximum grade",
    "Grade can be changed",
    "Last modified (submission)",
    "Last modified (grade)",
    "Feedback comments",
]


def worksheet(participants: list[tuple[str, int]], maximum: str = "100.00") -> str:
    """A grading worksheet as Moodle's 'Download grading worksheet' writes it (English as the language)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(WORKSHEET_HEADER)
    for number, (name, participant) in enumerate(participants):
        writer.writerow(
            [
                f"Participant {participant}",
                name,
                f"student{number}@example.org",
                "Submitted for grading - Not graded",
                "",
                maximum,
                "Yes",
                "Monday, 2 November 2026, 10:15 AM",
                "-",
                "",
            ]
        )
    return buffer.getvalue()
