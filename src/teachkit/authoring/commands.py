"""`teachkit build-exercises | validate | audit-release`: thin shells over authoring functions."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..reporting import report
from .exercise_set import SetError


def _build(args: argparse.Namespace) -> int:
    from .build import build_exercises

    try:
        results = build_exercises([Path(p) for p in args.paths] or None, check=args.check)
    except (SetError, RuntimeError) as problem:
        print(problem, file=sys.stderr)
        return 1
    if not results:
        print("No solution notebooks found in solutions/.", file=sys.stderr)
        return 1
    stale = [r for r in results if r.changed]
    if args.check:
        for r in stale:
            print(f"{r.path} is out of date: run `python -m teachkit build-exercises`.", file=sys.stderr)
        if not stale:
            print(f"{len(results)} exercise notebook(s) up to date.")
        return 1 if stale else 0
    for r in results:
        print(f"{r.path}: {'written' if r.changed else 'unchanged'}")
    return 0


def _validate(args: argparse.Namespace) -> int:
    from .validate import validate_sets

    try:
        problems = validate_sets([Path(p) for p in args.paths] or None, jobs=args.jobs)
    except SetError as problem:
        print(problem, file=sys.stderr)
        return 1
    return report(
        problems,
        f"{len(problems)} problem(s).",
        "Every set: solution passes, exercise runs and scores 0, wrong solutions are caught.",
    )


def _audit(args: argparse.Namespace) -> int:
    from .audit import audit_release

    problems = audit_release(Path(args.folder), [Path(p) for p in args.solutions] if args.solutions else None)
    return report(
        problems,
        f"{len(problems)} leak(s): do not hand this folder out.",
        f"{args.folder}: no solution text, hidden test or marker found.",
    )


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("build-exercises", help="write exercises/ from solutions/")
    p.add_argument("paths", nargs="*", help="solution notebooks (default: all in solutions/)")
    p.add_argument("--check", action="store_true", help="only report out-of-date exercises")
    p.set_defaults(run=_build)

    p = sub.add_parser("validate", help="prove each set's tests catch its wrong solutions")
    p.add_argument("paths", nargs="*", help="solution notebooks (default: all in solutions/)")
    p.add_argument("--jobs", type=int, default=2, help="notebooks run at once (default 2)")
    p.set_defaults(run=_validate)

    p = sub.add_parser("audit-release", help="fail if a student-facing folder leaks solutions")
    p.add_argument("folder", help="the folder (or unpacked bundle) students will receive")
    p.add_argument("--solutions", nargs="*", help="solution notebooks (default: solutions/)")
    p.set_defaults(run=_audit)
