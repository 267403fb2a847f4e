"""Lesson-authoring commands: `lint`, `check-outputs`, `new-lesson` and `lesson-table`.

Thin shells: the logic is in `lint`, `scaffold` and `lessons`; these functions parse arguments,
print results and choose the exit code (0 = all good, 1 = something to fix).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .reporting import report


def _lint(args: argparse.Namespace) -> int:
    from .lint import lint_paths, rules_text

    if args.rules:
        print(rules_text())
        return 0
    from .course import course_root
    from .lessons import lesson_paths

    if not args.paths and not lesson_paths(course_root()):
        print("No lesson notebooks (NN-slug.ipynb) in notebooks/: nothing to lint.", file=sys.stderr)
        return 1
    findings = lint_paths(args.paths)
    notebooks = len({f.path for f in findings})
    checked = ", ".join(args.paths) if args.paths else f"{len(lesson_paths(course_root()))} lesson(s)"
    return report(
        findings,
        f"{len(findings)} finding(s) in {notebooks} file(s). `python -m teachkit lint --rules` explains each rule.",
        f"Lint: no findings in {checked}.",
    )


def _check_outputs(args: argparse.Namespace) -> int:
    from .lint import output_findings

    files = [f for p in map(Path, args.paths) for f in (sorted(p.glob("*.ipynb")) if p.is_dir() else [p])]
    findings = [finding for f in files for finding in output_findings(f)]
    return report(
        findings, f"{len(findings)} output problem(s).", f"{len(files)} notebook(s) have fresh outputs and no errors."
    )


def _new_lesson(args: argparse.Namespace) -> int:
    from .course import course_root
    from .scaffold import LessonName, create_lesson, lesson_files

    try:
        name = LessonName.parse(args.number, args.slug, args.title)
        root = course_root()
        written = create_lesson(root, name, minutes=args.minutes)
    except (ValueError, FileExistsError) as problem:
        print(problem, file=sys.stderr)
        return 1
    written += _refresh_data_readme(root)
    for path in written:
        print(f"wrote {path.relative_to(root).as_posix()}")
    status = 0
    if not args.no_execute:
        status = _execute_new(root, lesson_files(root, name))
    status = max(status, _build_exercises(root))
    print(
        f"\nNext: replace the examples, then run `python -m teachkit lint notebooks/{name.stem}.ipynb`.\n"
        "The authoring guide (docs/authoring-guide.md) walks through each file."
    )
    return status


def _refresh_data_readme(root: Path) -> list[Path]:
    """data/README.md counts the glossary's rows, so it is regenerated after rows were appended."""
    from .data import readme_text

    readme = root / "data" / "README.md"
    if not (root / "data" / "datapackage.json").exists():
        return []
    readme.write_text(readme_text(), encoding="utf-8")
    return [readme]


def _execute_new(root: Path, files: dict[str, Path]) -> int:
    """Run the new notebooks once so their committed outputs are fresh (lint and nbval need that)."""
    from .notebooks import execute_in_place

    for key in ("lesson", "solutions"):
        try:
            seconds = execute_in_place(files[key])
        except Exception as problem:  # report it; the files are written and can be fixed
            last = str(problem).strip().splitlines()[-1] if str(problem).strip() else repr(problem)
            print(f"{files[key].relative_to(root).as_posix()}: running it failed: {last}", file=sys.stderr)
            return 1
        print(f"executed {files[key].relative_to(root).as_posix()} in {seconds:.1f} s")
    return 0


def _build_exercises(root: Path) -> int:
    """Regenerate exercises/ when the course has the `build-exercises` command, so they stay in sync."""
    from .cli import build_parser, main

    commands = next((a.choices for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)), {})
    if "build-exercises" not in commands:
        print("(no build-exercises command in this version; generate exercises/ once it exists)")
        return 0
    return main(["build-exercises"])


def _lesson_table(args: argparse.Namespace) -> int:
    from .course import course_root
    from .lessons import lesson_table, replace_lesson_table

    root = course_root()
    table = lesson_table(root, args.lang)
    if not args.write:
        print(table)
        return 0
    readme = root / ("README.md" if args.lang == "en" else f"README.{args.lang}.md")
    try:
        updated = replace_lesson_table(readme.read_text(encoding="utf-8"), table)
    except (OSError, ValueError) as problem:
        print(problem, file=sys.stderr)
        return 1
    readme.write_text(updated, encoding="utf-8")
    print(f"Updated the lesson table in {readme.name}.")
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("lint", help="check lesson notebooks against the lesson template (all lessons by default)")
    p.add_argument("paths", nargs="*", help="lesson notebooks or folders (default: notebooks/)")
    p.add_argument("--rules", action="store_true", help="list the rules and why they exist")
    p.set_defaults(run=_lint)

    p = sub.add_parser("check-outputs", help="check that notebooks have fresh outputs and no errors")
    p.add_argument("paths", nargs="+", help="notebooks or folders")
    p.set_defaults(run=_check_outputs)

    p = sub.add_parser("new-lesson", help="scaffold a lesson: notebook, quiz bank, solutions, glossary rows")
    p.add_argument("number", help="two-digit lesson number, e.g. 11")
    p.add_argument("slug", help="short lower-case name with hyphens, e.g. tiktok-for-apprentices")
    p.add_argument("title", help='the lesson title, e.g. "TikTok for apprentices"')
    p.add_argument("--minutes", type=int, default=45, help="time estimate in minutes (default 45)")
    p.add_argument("--no-execute", action="store_true", help="write the files without running them")
    p.set_defaults(run=_new_lesson)

    p = sub.add_parser("lesson-table", help="print the README's lesson table, built from the notebooks")
    p.add_argument(
        "--write",
        action="store_true",
        help="replace the table between <!-- lessons:start --> and <!-- lessons:end --> in README.md",
    )
    p.add_argument("--lang", default="en", choices=["en", "de"], help="de: the German edition's table, in README.de.md")
    p.set_defaults(run=_lesson_table)
