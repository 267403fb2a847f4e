"""Where a quiz's "Read again" pointer leads in each edition of a lesson.

Banks point at a section of the English lesson (`'07-slug#Engagement-rate'`, JupyterLab's anchor:
the heading with spaces as hyphens). A built edition keeps each English cell's id, so the heading in
the same place of the same cell is the section to reread there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from .course import CourseNotFoundError, course_root

_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_cache: dict[tuple[str, str], tuple[tuple[float, float], dict[str, str]]] = {}


def notebook_anchor(heading: str) -> str:
    """The anchor JupyterLab gives a heading: its text with spaces as hyphens."""
    return heading.strip().replace(" ", "-")


def _headings(path: Path) -> dict[str, list[str]]:
    """Headings of each markdown cell, by cell id, in order."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    found: dict[str, list[str]] = {}
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "markdown" or "id" not in cell:
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        lines = [m.group(1) for line in source.splitlines() if (m := _HEADING.match(line))]
        if lines:
            found[cell["id"]] = lines
    return found


def _anchor_map(english: Path, local: Path) -> dict[str, str]:
    stamp = (english.stat().st_mtime, local.stat().st_mtime)
    key = (str(english), str(local))
    if key in _cache and _cache[key][0] == stamp:
        return _cache[key][1]
    theirs = _headings(local)
    mapping = {}
    for cell_id, headings in _headings(english).items():
        for position, heading in enumerate(headings):
            if position < len(theirs.get(cell_id, [])):
                mapping[notebook_anchor(heading)] = notebook_anchor(theirs[cell_id][position])
    _cache[key] = (stamp, mapping)
    return mapping


def localized_see(see: str, lang: str) -> str:
    """`see` ('lesson#Anchor') as it reads in the `lang` edition; unchanged where there is none.

    `lang` is the edition the link is read in (the notebook's folder), not the quiz's language: a German
    quiz shown in an English lesson still points at the English heading beside it."""
    lesson, _, anchor = see.partition("#")
    if lang == "en" or not anchor:
        return see
    try:
        root = course_root()
    except CourseNotFoundError:
        return see
    english = root / "notebooks" / f"{lesson}.ipynb"
    local = root / "notebooks" / lang / f"{lesson}.ipynb"
    if not (english.is_file() and local.is_file()):
        return see
    return f"{lesson}#{_anchor_map(english, local).get(anchor, anchor)}"
