"""`teachkit collect | gradebook | handgrades`: the instructor's loop from Moodle's download back to Moodle.

Thin shells; the work is in collect.py, handgrade.py and gradebook.py (all instructor-only).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

DEFAULT_KEY = "participant-key.csv"


def _collect(args: argparse.Namespace) -> int:
    from .collect import CollectError, collect_download
    from .participants import KeyFileError

    try:
        result = collect_download(args.archive, args.set, args.out, args.key, force=args.force)
    except (CollectError, KeyFileError) as problem:
        print(problem, file=sys.stderr)
        return 1
    for line in result.problems:
        print(line, file=sys.stderr)
    for line in result.notes:
        print(f"Note: {line}")
    for backup in result.backups:
        print(f"Kept the earlier notebook as {backup}")
    print(
        f"Collected {len(result.written)} new notebook(s) into {args.out} ({len(result.unchanged)} unchanged); "
        f"{len(result.problems)} problem(s) to look at. Key: {args.key}"
    )
    return 1 if result.problems else 0


def _keep_or_replace(path: Path, force: bool) -> str | None:
    """None when `path` may be written; with --force an existing file is first kept as a backup."""
    if not path.exists():
        return None
    if not force:
        return f"{path}: exists; add --force to replace it (a backup is kept)."
    backup = path.with_name(f"{path.name}.backup-{time.strftime('%Y%m%d-%H%M%S')}")
    os.replace(path, backup)
    print(f"Kept the earlier {path.name} as {backup}")
    return None


def _gradebook(args: argparse.Namespace) -> int:
    from .gradebook import GradebookError, feedback_zip, fill_worksheet, grades_import_csv, merge, merged_csv, totals
    from .handgrade import HandGradeError
    from .moodle import MoodleError, read_worksheet, write_worksheet
    from .participants import KeyFileError, read_key

    folders = [Path(f) for f in args.graded]
    out = Path(args.out)
    if args.worksheet and len(folders) != 1:
        print(
            "A worksheet belongs to one assignment: give exactly one graded folder with --worksheet.", file=sys.stderr
        )
        return 1
    try:
        key = read_key(args.key)
        if not key.rows:
            raise KeyFileError(f"{args.key}: no such key file, or it is empty; give the key that collect wrote.")
        per_folder = {folder: merge(folder) for folder in folders}
        marks = [m for folder in folders for m in per_folder[folder]]
        set_of = {folder: next((m.set for m in per_folder[folder]), "") for folder in folders}
        all_totals = totals(marks)
        outputs: dict[Path, str | None] = {out / "gradebook-merged.csv": merged_csv(marks)}
        wide, notes = grades_import_csv(all_totals, key)
        outputs[out / "grades-import.csv"] = wide
        if args.worksheet:
            source = Path(args.worksheet)
            sheet = read_worksheet(source.read_text(encoding="utf-8"), str(source))
            set_name = set_of[folders[0]]
            sheet, sheet_notes = fill_worksheet(sheet, set_name, all_totals, marks, key)
            notes += sheet_notes
            outputs[out / f"{source.stem}-filled.csv"] = write_worksheet(sheet)
        zips = {folder: out / f"{set_of[folder]}-feedback.zip" for folder in folders}
        refused = [r for path in [*outputs, *zips.values()] if (r := _keep_or_replace(path, args.force))]
        if refused:
            for line in refused:
                print(line, file=sys.stderr)
            return 1
        out.mkdir(parents=True, exist_ok=True)
        for path, text in outputs.items():
            path.write_text(text or "", encoding="utf-8")
        for folder, target in zips.items():
            notes += feedback_zip(folder, set_of[folder], all_totals, marks, key, target)[1]
    except (GradebookError, HandGradeError, MoodleError, KeyFileError) as problem:
        print(problem, file=sys.stderr)
        return 1
    for line in notes:
        print(f"Note: {line}")
    missing = sum(1 for t in all_totals if t.points is None)
    print(
        f"Wrote {', '.join(str(p) for p in [*outputs, *zips.values()])}: {len(all_totals)} total(s), "
        f"{missing} still missing a hand grade."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect", help="turn Moodle's 'Download all submissions' zip into a folder to grade")
    p.add_argument("archive", help="the zip Moodle gave you")
    p.add_argument("--set", required=True, help="the exercise set, e.g. 01-digital-natives")
    p.add_argument("--out", required=True, help="folder to fill, e.g. submissions/01")
    p.add_argument("--key", default=DEFAULT_KEY, help=f"pseudonym key, kept outside --out (default {DEFAULT_KEY})")
    p.add_argument("--force", action="store_true", help="replace collected notebooks that changed (keeps a backup)")
    p.set_defaults(run=_collect)

    p = sub.add_parser("gradebook", help="merge autograded and hand-graded points; write Moodle's import files")
    p.add_argument("graded", nargs="+", help="graded folders, e.g. graded/01 graded/02")
    p.add_argument("--key", default=DEFAULT_KEY, help=f"the key collect wrote (default {DEFAULT_KEY})")
    p.add_argument("--out", required=True, help="folder for the merged gradebook and the Moodle files")
    p.add_argument("--worksheet", help="the grading worksheet downloaded from this set's Moodle assignment")
    p.add_argument("--force", action="store_true", help="replace earlier output (keeps a backup)")
    p.set_defaults(run=_gradebook)
