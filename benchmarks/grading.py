"""Benchmark: `teachkit grade --jobs 2` against serial `jupyter nbconvert --execute`, same files.

Makes N synthetic submissions of set 01 (a third the solution, a third the untouched exercise,
a third the declared wrong solutions in turn), grades them with teachkit, then executes each file
with nbconvert one after another, as a single-process grader would. Prints both wall times, their
ratio (target: at most 0.55) and the peak memory of a grading worker and of a kernel.

    .venv/bin/python benchmarks/grading.py            # 200 submissions, about 10–15 min
    .venv/bin/python benchmarks/grading.py --count 20 # a quick look
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
    args = parser.parse_args()
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="teachkit-bench-") as scratch:
        base = Path(scratch)
        files = make_submissions(base / "submissions", args.count)
        env = {**os.environ, "TEACHKIT_COURSE_ROOT": str(ROOT)}

        start = time.perf_counter()
        subprocess.run([python, "-m", "teachkit", "grade", str(base / "submissions"), "--out",
                        str(base / "out"), "--jobs", str(args.jobs), "--quiet"], check=True,
                       env=env, cwd=ROOT)
        ours = time.perf_counter() - start
        metrics = [json.loads(p.read_text())["metrics"] for p in (base / "out" / "results").glob(
            "*.json")]

        jupyter = str(Path(python).parent / "jupyter")
        start = time.perf_counter()
        for path in files:
            subprocess.run([jupyter, "nbconvert", "--to", "notebook", "--execute",
                            "--allow-errors", "--output-dir", str(base / "serial"), str(path)],
                           check=True, env={**env, "TEACHKIT_GRADING": "1"}, cwd=ROOT,
                           capture_output=True)
        serial = time.perf_counter() - start
    worker = max(m.get("worker_peak_mb", 0) for m in metrics)
    kernel = max(m.get("kernel_peak_mb", 0) for m in metrics)
    print(f"submissions: {args.count}")
    print(f"teachkit grade --jobs {args.jobs}: {ours:.1f} s ({ours / args.count:.2f} s each)")
    print(f"serial nbconvert --execute: {serial:.1f} s ({serial / args.count:.2f} s each)")
    print(f"ratio: {ours / serial:.2f} (target <= 0.55)")
    print(f"peak memory per grading worker: {worker:.0f} MB; per kernel: {kernel:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
