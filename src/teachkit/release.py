"""The bundle students receive: the course without anything only instructors may see.

`build_release` copies an allow-list of the course (lessons, exercises, data, quizzes, the package
source and what installs it) into a fresh folder, writes a README for students, and runs the leak
audit over the result. Nothing is taken from solutions/, tests/, docs/ or tools/, and no saved
answers, caches or rubrics are copied even from allowed folders. The bundle is a working course on
its own: `bash start-course.sh` inside it installs and opens it.
"""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import stat
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from .course import course_root

INCLUDE = (
    "notebooks",
    "exercises",
    "data",
    "quizzes",
    "src",
    "pyproject.toml",
    "requirements.txt",
    "start-course.sh",
    ".gitignore",
    "translations",
)
"""What students get, relative to the course folder (folders are copied recursively)."""

INCLUDE_PATTERNS = ("LICENSE*", "LICENCE*", "COPYING*")
"""Top-level licence files, whatever their exact name."""

ENGINE = "src/teachkit"
STUDENT_RUNTIME = (
    "__init__.py",
    "__main__.py",
    "cli.py",
    "reporting.py",
    "course.py",
    "data.py",
    "responses.py",
    "checks.py",
    "glossary.py",
    "messages.py",
    "strings.py",
    "sections.py",
    "charts.py",
    "notebooks.py",
    "quiz/__init__.py",
    "quiz/bank.py",
    "quiz/model.py",
    "quiz/render.py",
    "quiz/session.py",
    "quiz/static.py",
    "quiz/widget.py",
    "quiz/quiz.js",
    "quiz/quiz.css",
)
"""The engine's modules a student's kernel and command line use, relative to src/teachkit.

An allow-list, not a deny-list: a new module (authoring, grading, hand-grading, analytics, the
course website …) stays out of the bundle until someone decides students need it. tests/
test_release.py imports this runtime with every other module made unimportable.
"""

NEVER = (
    "solutions",
    "tests",
    "__pycache__",
    ".ipynb_checkpoints",
    ".virtual_documents",
    ".venv",
    "venv",
    ".teachkit",
    "build",
    "dist",
    "*.egg-info",
    "*.pyc",
    ".DS_Store",
    "responses.json",
    "responses.json.lock",
    "*.corrupt-*.json",
    "*.po",
    "*rubric*",
    "*Rubric*",
    "*RUBRIC*",
)
"""Names never copied, at any depth: instructor material, saved answers, caches."""

STUDENT_README = "docs/student-README.md"
"""The course's own README for students; a generic one is written when it is missing."""

STUDENT_README_DE = "docs/student-README.de.md"
"""The German student README, used by `--lang de` (and as README.de.md with `--lang both`)."""

EDITIONS = ("en", "de", "both")
_EDITION_FOLDERS = ("notebooks", "exercises")

MANIFEST = ".teachkit-release.json"

# Spelled in two parts so that this file does not itself contain the markers it looks for.
_MARKERS = tuple(
    "### " + m
    for m in (
        "BEGIN " + "SOLUTION",
        "END " + "SOLUTION",
        "BEGIN " + "HIDDEN TESTS",
        "END " + "HIDDEN TESTS",
        "BEGIN " + "MARK SCHEME",
        "END " + "MARK SCHEME",
    )
)
_TEXT_SUFFIXES = {".ipynb", ".md", ".txt", ".yaml", ".yml", ".json", ".csv", ".cfg", ".toml", ".sh", ".html"}


class ReleaseError(RuntimeError):
    """The bundle cannot be built where asked; the message says what to do instead."""


@dataclass
class ReleaseResult:
    """What was written, and what the leak audit found (nothing, if all is well)."""

    bundle: Path
    files: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    archive: Path | None = None


def _never(name: str) -> bool:
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in NEVER)


def student_files(root: Path) -> list[Path]:
    """The course files that go into the bundle, relative to `root`, sorted."""
    chosen: list[Path] = []
    tops = list(INCLUDE) + sorted({p.name for pattern in INCLUDE_PATTERNS for p in root.glob(pattern) if p.is_file()})
    for top in tops:
        path = root / top
        if not path.exists() or _never(top):
            continue
        if path.is_file():
            chosen.append(Path(top))
            continue
        for folder, dirs, files in os.walk(path):
            dirs[:] = sorted(d for d in dirs if not _never(d))
            for name in sorted(files):
                relative = (Path(folder) / name).relative_to(root)
                if not _never(name) and _student_module(relative):
                    chosen.append(relative)
    return sorted(set(chosen))


def _student_module(relative: Path) -> bool:
    """False for engine files outside the student runtime (instructor code stays home)."""
    posix = relative.as_posix()
    if not posix.startswith(ENGINE + "/"):
        return True
    return posix[len(ENGINE) + 1 :] in STUDENT_RUNTIME


def in_edition(relative: Path, lang: str) -> bool:
    """Whether a student file belongs in the `lang` bundle: `en` leaves out notebooks/de/, exercises/de/
    and the compiled German strings; `de` leaves out the English lessons and exercises; `both` keeps all."""
    parts = relative.parts
    if lang == "both" or not parts:
        return True
    if parts[0] == "translations":
        return len(parts) > 1 and parts[1] == lang
    if parts[0] in _EDITION_FOLDERS:
        edition = parts[1] if len(parts) > 2 else "en"
        return edition == lang
    return True


def generic_student_readme(root: Path) -> str:
    """A short README for students when the course has not written its own."""
    title = "Course"
    readme = root / "README.md"
    if readme.exists():
        for line in readme.read_text(encoding="utf-8").splitlines():
            if line.startswith("# "):
                title = line[2:].strip()
                break
    return f"""# {title}

This folder is your copy of the course.

## Start

    bash start-course.sh

The first run installs what the course needs into `.venv` (about a minute), then JupyterLab opens
on the first lesson. Lessons are in `notebooks/`, exercises in `exercises/`.

## Your answers

Every quiz answer you check is saved on this computer in `responses.json` in this folder. Nothing
is sent anywhere. To hand in your answers, run

    .venv/bin/python -m teachkit export-responses --name YOUR-PSEUDONYM --out YOUR-PSEUDONYM.json

and give that file to your instructor. Choose a pseudonym; do not use your real name unless your
instructor asks for it.
"""


def leak_audit(bundle: Path) -> list[str]:
    """Every way the bundle leaks instructor material, one line each; empty when it is clean.

    This is the one place the release asks for an audit, so a fuller audit can replace it.
    """
    problems = []
    for path in sorted(bundle.rglob("*")):
        relative = path.relative_to(bundle).as_posix()
        if any(_never(part) for part in path.relative_to(bundle).parts):
            problems.append(f"{relative}: instructor-only or private file in the bundle")
            continue
        if not path.is_file() or path.suffix not in _TEXT_SUFFIXES:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        for marker in _MARKERS:
            if marker in text:
                problems.append(f"{relative}: contains the marker '{marker}'")
    return problems


def _solution_audit(bundle: Path, root: Path) -> list[str]:
    """The same audit `audit-release` runs, so a bundle `release` calls clean passes it too."""
    from .authoring.audit import audit_release
    from .authoring.exercise_set import solution_paths

    solutions = solution_paths(root)
    lessons = sorted((root / "notebooks").glob("*.ipynb"))
    return audit_release(bundle, solutions, lessons) if solutions else []


def _source_commit(root: Path) -> str | None:
    try:
        done = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and len(commit) == 40 else None


def _prepare(out: Path, root: Path, force: bool) -> None:
    """Refuse to write where it would hurt: into the course, or over a folder we did not make."""
    out_r, root_r = out.resolve(), root.resolve()
    if out_r == root_r or root_r.is_relative_to(out_r):
        raise ReleaseError(f"{out} holds the course itself; choose a new folder for the bundle, e.g. ../student-bundle")
    if out_r.is_relative_to(root_r):
        top = out_r.relative_to(root_r).parts[0]
        if top in INCLUDE:
            raise ReleaseError(
                f"{out} is inside {top}/, which goes into the bundle; choose a "
                "folder outside it, e.g. dist/student-bundle"
            )
    if out.exists() and any(out.iterdir()):
        if not force:
            raise ReleaseError(
                f"{out} exists and is not empty; choose a new folder, or add --force to replace an earlier bundle"
            )
        if not (out / MANIFEST).exists():
            raise ReleaseError(
                f"{out} was not made by 'release' (no {MANIFEST}), so it is not "
                "deleted even with --force; choose another folder"
            )
        shutil.rmtree(out)


def _write_zip(bundle: Path, files: list[str]) -> Path:
    """A reproducible zip: sorted entries under one top folder, fixed times, modes kept."""
    archive = bundle.with_name(bundle.name + ".zip")
    tmp = archive.with_name(archive.name + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in files:
            source = bundle / name
            info = zipfile.ZipInfo(f"{bundle.name}/{name}", date_time=(1980, 1, 1, 0, 0, 0))
            info.external_attr = (stat.S_IMODE(source.stat().st_mode) | stat.S_IFREG) << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, source.read_bytes())
    os.replace(tmp, archive)
    return archive


def build_release(
    out: Path | str,
    *,
    root: Path | str | None = None,
    zip_bundle: bool = False,
    force: bool = False,
    lang: str = "both",
) -> ReleaseResult:
    """Copy the student files of one edition (or both) into `out`, add README and manifest, audit, optionally zip."""
    if lang not in EDITIONS:
        raise ReleaseError(f"Unknown edition {lang!r}: choose one of {', '.join(EDITIONS)}.")
    root = Path(root) if root is not None else course_root()
    out = Path(out)
    files = [f for f in student_files(root) if in_edition(f, lang)]
    if not any(f.parts[0] == "notebooks" for f in files):
        where = "notebooks/" if lang != "de" else "notebooks/de/ (build it with `python -m teachkit translate build`)"
        raise ReleaseError(f"{root} has no lessons in {where}; is this the course folder?")
    _prepare(out, root, force)
    for relative in files:
        target = out / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(root / relative, target)
    readmes = {"README.md": STUDENT_README_DE if lang == "de" else STUDENT_README}
    if lang == "both":
        readmes["README.de.md"] = STUDENT_README_DE
    for name, source in readmes.items():
        readme = root / source
        if not readme.exists():
            readme = root / STUDENT_README
        text = readme.read_text(encoding="utf-8") if readme.exists() else generic_student_readme(root)
        (out / name).write_text(text, encoding="utf-8")
    names = sorted({f.as_posix() for f in files} | set(readmes))
    manifest = {
        "format": "teachkit-release",
        "version": 1,
        "source_commit": _source_commit(root),
        "edition": lang,
        "files": names,
    }
    (out / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    result = ReleaseResult(out, sorted(names + [MANIFEST]))
    result.problems = leak_audit(out) + _solution_audit(out, root)
    if zip_bundle and not result.problems:
        result.archive = _write_zip(out, result.files)
    return result
