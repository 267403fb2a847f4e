"""`teachkit collect | gradebook | handgrades`: the instructor's loop from Moodle's download back to Moodle.

Thin shells; the work is in collect.py, handgrade.py and gradebook.py (all instructor-only).
"""

from __future__ import annotations

import argparse
import sys

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


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("collect", help="turn Moodle's 'Download all submissions' zip into a folder to grade")
    p.add_argument("archive", help="the zip Moodle gave you")
    p.add_argument("--set", required=True, help="the exercise set, e.g. 01-digital-natives")
    p.add_argument("--out", required=True, help="folder to fill, e.g. submissions/01")
    p.add_argument("--key", default=DEFAULT_KEY, help=f"pseudonym key, kept outside --out (default {DEFAULT_KEY})")
    p.add_argument("--force", action="store_true", help="replace collected notebooks that changed (keeps a backup)")
    p.set_defaults(run=_collect)
