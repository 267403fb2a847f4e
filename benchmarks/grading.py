"""Benchmark: `teachkit grade --jobs 2` (a local Dask cluster) against an older grader and serial `nbconvert --execute`.

Makes N synthetic submissions of set 01 (a third the solution, a third the untouched exercise,
a third the declared wrong solutions in turn) and grades them with this tree's teachkit (a local
Dask cluster of `--jobs` workers; answers exported from the kernel, checks in a clean process).
With `--baseline REF` it grades the same files with the grader of git revision REF (its src/
unpacked into a temporary folder and run alone), for instance the last revision with the home-made
process pool, and prints the time per submission of both and their ratio (issue 17's target: at
most 1.1). Unless `--no-serial`, it also executes each file with nbconvert one after another, as a
single-process grader would (target ratio: at most 0.25). Prints the peak memory of a grading
worker and of a kernel too.

    .venv/bin/python benchmarks/grading.py                                 # 200 submissions, 10–15 min
    .venv/bin/python benchmarks/grading.py --count 20 --baseline 28d937a --no-serial  # Dask vs the old pool
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from teachkit.authoring.exercise_set import nbgrader_meta, read_set  # noqa: E402

SET = "01-digital-natives"


def make_submissions(folder: Path, count: int) -> list[Path]:
    exercise_set = read_set(ROOT / "solutions" / f"{SET}-solutions.ipynb")
    stub = nbformat.read(ROOT / "exercises" / f"{SET}-exercises.ipynb", as_version=4)
    wrongs = exercise_set.wrong_solutions
    files = []
    for number in range(count):
        kind = number % 3
        if kind == 0:
            notebook = copy.deepcopy(exercise_set.notebook)
        elif kind == 1:
            notebook = copy.deepcopy(stub)
        else:
            notebook = copy.deepcopy(exercise_set.notebook)
            wrong = wrongs[(number // 3) % len(wrongs)]
            for cell in notebook.cells:
                gid = nbgrader_meta(cell).get("grade_id")
                if gid in wrong.replace:
                    cell.source = wrong.replace[gid]
        for cell in notebook.cells:  # a fresh submission has no outputs
            if cell.cell_type == "code":
                cell.outputs, cell.execution_count = [], None
        path = folder / f"student-{number:03d}" / f"{SET}-exercises.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
        files.append(path)
    return files


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=200)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline", help="git revision whose grader to compare with, e.g. main")
    parser.add_argument("--no-serial", action="store_true", help="skip the nbconvert comparison")
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="teachkit-bench-") as scratch:
        base = Path(scratch)
        files = make_submissions(base / "submissions", args.count)
        env = {**os.environ, "TEACHKIT_COURSE_ROOT": str(ROOT)}

        def grade(out: str, extra: dict[str, str]) -> float:
            start = time.perf_counter()
            subprocess.run(
                [
                    python,
                    "-m",
                    "teachkit",
                    "grade",
                    str(base / "submissions"),
                    "--out",
                    str(base / out),
                    "--jobs",
                    str(args.jobs),
                    "--quiet",
                ],
                check=True,
                env={**env, **extra},
                cwd=base,
            )
            return time.perf_counter() - start

        baseline = None
        if args.baseline:
            old = base / "baseline"
            old.mkdir()
            archive = subprocess.run(
                ["git", "-C", str(ROOT), "archive", args.baseline, "src"], check=True, capture_output=True
            ).stdout
            subprocess.run(["tar", "-x", "-C", str(old)], input=archive, check=True)
            baseline = grade("out-baseline", {"PYTHONPATH": str(old / "src")})
        ours = grade("out", {})
        metrics = [json.loads(p.read_text())["metrics"] for p in (base / "out" / "results").glob("*.json")]
        if args.no_serial:
            serial = None

        else:
            jupyter = str(Path(python).parent / "jupyter")
            start = time.perf_counter()
            for path in files:
                subprocess.run(
                    [
                        jupyter,
                        "nbconvert",
                        "--to",
                        "notebook",
                        "--execute",
                        "--allow-errors",
                        "--output-dir",
                        str(base / "serial"),
                        str(path),
                    ],
                    check=True,
                    env={**env, "TEACHKIT_GRADING": "1"},
                    cwd=ROOT,
                    capture_output=True,
                )
            serial = time.perf_counter() - start
    worker = max(m.get("worker_peak_mb", 0) for m in metrics)
    kernel = max(m.get("kernel_peak_mb", 0) for m in metrics)
    checks = sum(m.get("check_seconds", 0) for m in metrics) / max(1, len(metrics))
    print(f"submissions: {args.count}")
    print(
        f"teachkit grade --jobs {args.jobs} (Dask local cluster): {ours:.1f} s ({ours / args.count:.2f} s each; "
        f"clean check process {checks:.2f} s of each)"
    )
    if baseline is not None:
        print(f"grader of {args.baseline} --jobs {args.jobs}: {baseline:.1f} s ({baseline / args.count:.2f} s each)")
        print(f"ratio to {args.baseline}: {ours / baseline:.2f} (target <= 1.1)")
    if serial is not None:
        print(f"serial nbconvert --execute: {serial:.1f} s ({serial / args.count:.2f} s each)")
        print(f"ratio: {ours / serial:.2f} (target <= 0.25)")
    print(f"peak memory per grading worker: {worker:.0f} MB; per kernel: {kernel:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
