"""What the course's lesson notebooks say about themselves: title, time estimate, order.

The lesson table in the README and the linter both read these facts from the notebooks, so a
lesson is registered by existing, never by editing a list somewhere else.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from .course import course_root

LESSON_NAME = re.compile(r"^(?P<number>\d\d)-(?P<slug>[a-z0-9]+(?:-[a-z0-9]+)*)$")
LESSON_NAME_HELP = "two digits, a hyphen and a lower-case slug, e.g. '03-recruiting'"

_NUMBER = r"(\d+(?:[.,]\d+)?)"
_UNIT = r"(min(?:ute)?s?|minuten|h(?:ou)?rs?|h|stunden?|std\.?)\b"
# "45 min", "45-minute", "1.5 hours", "30–40 minutes" (a range counts by its upper end)
_DURATION = re.compile(rf"{_NUMBER}(?:\s*(?:[-–—]|to)\s*{_NUMBER})?\s*-?\s*{_UNIT}", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")


@dataclass(frozen=True)
class Heading:
    """A Markdown heading: its cell (0-based) and line within `markdown_lines` of that cell."""

    cell: int
    line: int
    level: int
    text: str


def markdown_lines(source: str) -> list[str]:
    """The lines of a Markdown cell outside fenced code blocks (a '# comment' in code is no heading)."""
    lines: list[str] = []
    fenced = False
    for line in source.splitlines():
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if not fenced:
            lines.append(line)
    return lines


def headings(notebook: nbformat.NotebookNode) -> list[Heading]:
    """Every Markdown heading of a notebook, in order."""
    found: list[Heading] = []
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "markdown":
            continue
        for number, line in enumerate(markdown_lines(cell.source)):
            match = _HEADING.match(line)
            if match:
                found.append(Heading(index, number, len(match.group(1)), match.group(2).strip()))
    return found


def parse_minutes(text: str) -> int | None:
    """The lesson's time estimate in a line of text, in minutes, or None if it names no duration.

    Durations are added up, so "1 h 15 min" is 75; a range such as "30–40 minutes" counts by its
    upper end. Time for the exercise notebook is not lesson time: a clause that mentions exercises
    is left out, so "40 min reading · 20 min exercises" is 40 and "about 60 minutes here, then about
    90 minutes in the exercise notebook" is 60.
    """
    lesson, exercises = 0.0, 0.0
    found = False
    for clause in _CLAUSE.split(text):
        minutes = 0.0
        for match in _DURATION.finditer(clause):
            low, high, unit = match.groups()
            value = float((high or low).replace(",", "."))
            minutes += value * 60 if unit.lower().startswith(("h", "s")) else value
            found = True
        if _EXERCISE.search(clause):
            exercises += minutes
        else:
            lesson += minutes
    if not found:
        return None
    return math.ceil(lesson or exercises)


_CLAUSE = re.compile(r"[·;+]|,(?!\d)|\bthen\b|\bplus\b|\bdann\b", re.IGNORECASE)
_EXERCISE = re.compile(r"exercise|übung", re.IGNORECASE)


def time_estimate(notebook: nbformat.NotebookNode) -> int | None:
    """Minutes announced in the first cell: the first line there that names a duration."""
    if not notebook.cells or notebook.cells[0].cell_type != "markdown":
        return None
    for line in markdown_lines(notebook.cells[0].source):
        minutes = parse_minutes(line)
        if minutes is not None:
            return minutes
    return None


def title(notebook: nbformat.NotebookNode) -> str | None:
    """The text of the first H1, or None."""
    return next((h.text for h in headings(notebook) if h.level == 1), None)


def business_question(notebook: nbformat.NotebookNode) -> str | None:
    """The one-line business question under the title ("**The business question:** …"), if any."""
    if not notebook.cells or notebook.cells[0].cell_type != "markdown":
        return None
    for line in markdown_lines(notebook.cells[0].source):
        match = _QUESTION.match(line.strip())
        if match:
            text = match.group(1).strip()
            return text[:1].upper() + text[1:]
    return None


_QUESTION = re.compile(r"^\*\*(?:the )?(?:business question|die betriebliche frage):?\*\*:?\s*(.+)$", re.IGNORECASE)


@dataclass(frozen=True)
class LessonInfo:
    path: Path
    title: str | None
    question: str | None
    minutes: int | None


def lesson_paths(root: Path | None = None) -> list[Path]:
    """The lesson notebooks of the course, in lesson order (by file name)."""
    folder = (root or course_root()) / "notebooks"
    return sorted(p for p in folder.glob("*.ipynb") if LESSON_NAME.match(p.stem))


def lesson_info(path: Path) -> LessonInfo:
    notebook = nbformat.read(path, as_version=4)
    return LessonInfo(path, title(notebook), business_question(notebook), time_estimate(notebook))


TABLE_HEAD = {"en": "| # | Lesson | Question | Time |", "de": "| Nr. | Lektion | Frage | Zeit |"}


def lesson_table(root: Path | None = None, lang: str = "en") -> str:
    """The README's lesson table, built from each lesson's H1, business question and time estimate;
    for another language from its built edition (notebooks/<lang>/), so it lists what exists."""
    root = root or course_root()
    rows = [TABLE_HEAD.get(lang, TABLE_HEAD["en"]), "|---|---|---|---|"]
    folder = "notebooks" if lang == "en" else f"notebooks/{lang}"
    paths = (
        lesson_paths(root)
        if lang == "en"
        else sorted(p for p in (root / folder).glob("*.ipynb") if LESSON_NAME.match(p.stem))
    )
    for path in paths:
        info = lesson_info(path)
        number = LESSON_NAME.match(path.stem).group("number")  # type: ignore[union-attr]
        name = _strip_number(info.title or path.stem, number)
        minutes = f"{info.minutes} min" if info.minutes else "?"
        question = info.question or ""
        rows.append(f"| {number} | [{_cell(name)}]({folder}/{path.name}) | {_cell(question)} | {minutes} |")
    return "\n".join(rows)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _strip_number(text: str, number: str) -> str:
    """'01 · Digital natives' → 'Digital natives' (the table has its own number column)."""
    return re.sub(rf"^(?:lesson\s+)?0*{int(number)}\s*[·.:\-–—]\s*", "", text, flags=re.IGNORECASE)


LESSONS_START = "<!-- lessons:start -->"
LESSONS_END = "<!-- lessons:end -->"


def replace_lesson_table(readme: str, table: str) -> str:
    """README text with the part between the lesson markers replaced by `table`."""
    start, end = readme.find(LESSONS_START), readme.find(LESSONS_END)
    if start < 0 or end < start:
        raise ValueError(f"README.md has no {LESSONS_START} … {LESSONS_END} markers around the lesson table.")
    return readme[: start + len(LESSONS_START)] + "\n" + table + "\n" + readme[end:]
