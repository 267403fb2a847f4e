"""`teachkit grade`: the command-line shell around grader.grade_folder (Dask, local or remote)."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from .grader import GradeOptions, grade_folder
from .landlock import available
from .runner import Limits


def _grade(args: argparse.Namespace) -> int:
    submissions = Path(args.submissions)
    if not submissions.is_dir():
        print(f"{submissions}: no such folder of submissions.", file=sys.stderr)
        return 1
    if not available():
        print(
            "Note: this system has no Landlock, so submissions run with time and memory limits "
            "but can read files and use the network. Grade in a container (see README).",
            file=sys.stderr,
        )
    options = GradeOptions(
        limits=Limits(timeout=args.timeout, memory=args.memory, total=args.total),
        jobs=args.jobs,
        force=args.force,
        set_name=args.set,
        scheduler=args.scheduler,
        dashboard=args.dashboard,
    )
    results = grade_folder(submissions, Path(args.out), options, progress=not args.quiet)
    statuses = Counter(t.status for r in results for t in r.tasks)
    statuses.update(r.status for r in results if r.status != "graded")
    summary = ", ".join(f"{n} {s}" for s, n in sorted(statuses.items()))
    print(
        f"Graded {len(results)} submission(s) into {args.out}/gradebook.csv and "
        f"{args.out}/feedback/ ({summary or 'nothing to grade'})."
    )
    return 0


def add_commands(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("grade", help="grade a folder of submitted exercise notebooks")
    p.add_argument("submissions", help="folder with <student>/<set>-exercises.ipynb files")
    p.add_argument("--out", required=True, help="folder for gradebook.csv, feedback/, results/")
    p.add_argument("--jobs", type=int, default=2, help="worker processes of a local Dask cluster (default 2)")
    p.add_argument(
        "--scheduler",
        help="grade on an existing Dask cluster, e.g. tcp://10.0.0.5:8786 (default: $DASK_SCHEDULER_ADDRESS, "
        "else a local cluster); its workers need the same course folder",
    )
    p.add_argument("--dashboard", action="store_true", help="start the local cluster's Dask dashboard (needs bokeh)")
    p.add_argument("--timeout", type=int, default=30, help="seconds per cell (default 30)")
    p.add_argument("--total", type=int, default=300, help="seconds per notebook, all cells (default 300)")
    p.add_argument("--memory", type=int, default=1024, help="MB per kernel (default 1024)")
    p.add_argument("--set", help="the set all submissions must belong to, e.g. 01-digital-natives")
    p.add_argument("--force", action="store_true", help="grade again what was graded before")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(run=_grade)
