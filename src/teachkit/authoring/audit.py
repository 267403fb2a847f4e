"""Leak audit: nothing a student receives may contain a solution, a hidden test or a marker.

Secrets are the lines inside solution, hidden-test and mark-scheme regions of the solution
notebooks (minus lines that also appear openly there, such as a shared `data.load(...)`), and the
wrong solutions in their metadata. Every file under the release folder is searched, inside zip
bundles too, in notebook sources, outputs, metadata and attachments alike.
"""

from __future__ import annotations

import base64
import contextlib
import io
import json
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exercise_set import (
    BEGIN_HIDDEN,
    BEGIN_MARKS,
    BEGIN_SOLUTION,
    END_HIDDEN,
    END_MARKS,
    END_SOLUTION,
    EXERCISE_SUFFIX,
    MARKERS,
    edition_solution_paths,
    solution_paths,
    split_region,
)

MIN_SECRET = 12  # shorter lines (`else:`, `x = 1`) are too common to count as a leak
TEXT_SUFFIXES = {
    ".ipynb",
    ".py",
    ".md",
    ".txt",
    ".json",
    ".yaml",
    ".yml",
    ".csv",
    ".html",
    ".cfg",
    ".toml",
    ".ini",
    ".r",
    ".rmd",
    ".qmd",
    ".tex",
}
SECRET_KEYS = ("wrong_solutions",)


@dataclass(frozen=True)
class Secret:
    text: str
    origin: str  # "solution in solutions/01-…, cell 'gap-answer'"


def _normalise(line: str) -> str:
    return " ".join(line.split())


def secrets_of(notebook_path: Path) -> list[Secret]:
    """The lines a student must never see, from one solution notebook."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    found: dict[str, Secret] = {}
    open_lines: set[str] = set()
    for cell in notebook.get("cells", []):
        source = "".join(cell.get("source", []))
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", "?")
        rest = source
        for begin, end, what in (
            (BEGIN_SOLUTION, END_SOLUTION, "solution"),
            (BEGIN_HIDDEN, END_HIDDEN, "hidden test"),
            (BEGIN_MARKS, END_MARKS, "mark scheme"),
        ):
            inside, outside = split_region(rest, begin, end)
            rest = "\n".join(outside)
            for line in inside:
                text = _normalise(line)
                if len(text) >= MIN_SECRET:
                    found.setdefault(text, Secret(text, f"{what} in {notebook_path.name}, cell {gid!r}"))
        open_lines.update(_normalise(line) for line in rest.split("\n"))
    meta = notebook.get("metadata", {}).get("teachkit", {})
    for number, wrong in enumerate(meta.get("wrong_solutions", []), 1):
        for source in wrong.get("replace", {}).values():
            for line in source.split("\n"):
                text = _normalise(line)
                if len(text) >= MIN_SECRET:
                    found.setdefault(text, Secret(text, f"wrong solution {number} in {notebook_path.name}"))
    return [s for text, s in found.items() if text not in open_lines]


def _files(folder: Path) -> Iterator[tuple[str, bytes]]:
    """(name, content) of every file, descending into zip bundles."""
    for path in sorted(folder.rglob("*")):
        if not path.is_file():
            continue
        name = str(path.relative_to(folder))
        data = path.read_bytes()
        yield from _expand(name, data)


def _expand(name: str, data: bytes) -> Iterator[tuple[str, bytes]]:
    if name.lower().endswith(".zip"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as bundle:
                for member in bundle.namelist():
                    if not member.endswith("/"):
                        yield from _expand(f"{name}!{member}", bundle.read(member))
        except zipfile.BadZipFile:
            yield name, data
        return
    yield name, data


def _texts_in_notebook(notebook: Any) -> Iterator[tuple[str, str]]:
    """(where, text) for every piece of text in a notebook, attachments decoded."""
    yield "notebook metadata", json.dumps(notebook.get("metadata", {}), ensure_ascii=False)
    for number, cell in enumerate(notebook.get("cells", []), 1):
        gid = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        where = f"cell {number}" + (f" ({gid})" if gid else "")
        source = cell.get("source", "")
        yield where, "".join(source) if isinstance(source, list) else str(source)
        yield f"{where} metadata", json.dumps(cell.get("metadata", {}), ensure_ascii=False)
        outputs = cell.get("outputs", [])
        if outputs:
            yield f"{where} outputs", json.dumps(outputs, ensure_ascii=False)
        for key, bundle in (cell.get("attachments") or {}).items():
            for mime, payload in bundle.items():
                text = payload if isinstance(payload, str) else json.dumps(payload)
                if not mime.startswith("text/") and mime != "image/svg+xml":
                    with contextlib.suppress(ValueError):
                        text = base64.b64decode(text).decode("utf-8", "replace")
                yield f"{where} attachment {key}", text


def _texts(name: str, data: bytes) -> Iterator[tuple[str, str]]:
    suffix = Path(name.split("!")[-1]).suffix.lower()
    text = data.decode("utf-8", "replace")
    if suffix == ".ipynb":
        try:
            notebook = json.loads(text)
        except json.JSONDecodeError:
            yield "file", text
            return
        yield from _texts_in_notebook(notebook)
        return
    if suffix in TEXT_SUFFIXES or b"\0" not in data[:4096]:
        yield "file", text


def public_text(lessons: list[Path]) -> str:
    """What the lessons already show students, whitespace-normalised: never a leak if repeated."""
    shown = []
    for path in lessons:
        try:
            notebook = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        shown += [_normalise("".join(c.get("source", []))) for c in notebook.get("cells", [])]
    return "\n".join(shown)


def audit_release(
    folder: Path | str, solutions: list[Path] | None = None, lessons: list[Path] | None = None
) -> list[str]:
    """Problems found in a release folder; [] means nothing leaks.

    `solutions` default to the course's solutions/ and those of its language editions (solutions/de/),
    so German exercises are audited against the German model answers too. `lessons` (default: the
    course's notebooks/ and notebooks/<lang>/) are public: lines they show are not secrets.
    """
    folder = Path(folder)
    if not folder.is_dir():
        return [f"{folder}: no such folder."]
    if solutions is None:
        solutions = solution_paths() + edition_solution_paths()
    if lessons is None:
        notebooks = Path(solutions[0]).parent.parent / "notebooks" if solutions else None
        if notebooks is not None and notebooks.parent.name == "solutions":  # the first one is an edition's
            notebooks = notebooks.parent.parent / "notebooks"
        lessons = sorted(notebooks.glob("*.ipynb")) + sorted(notebooks.glob("*/*.ipynb")) if notebooks else []
    shown = public_text(lessons)
    secrets = [s for path in solutions for s in secrets_of(path) if s.text not in shown]
    problems: list[str] = []
    for name, data in _files(folder):
        if name.endswith(("-solutions.ipynb",)):
            problems.append(f"{name}: a solution notebook is in the release.")
            continue
        for where, text in _texts(name, data):
            flat = _normalise(text.replace("\\n", "\n"))
            for marker in MARKERS:
                if marker in text:
                    problems.append(f"{name}, {where}: contains the marker '### {marker}'.")
            for key in SECRET_KEYS:
                if f'"{key}"' in text:
                    problems.append(f"{name}, {where}: contains instructor metadata '{key}'.")
            if where.endswith("outputs") and name.endswith(EXERCISE_SUFFIX):
                problems.append(f"{name}, {where}: has outputs; clear them so no result leaks.")
            for secret in secrets:
                if secret.text in flat:
                    problems.append(f"{name}, {where}: contains a line of the {secret.origin}: {secret.text[:60]!r}.")
    return problems
