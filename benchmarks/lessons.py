"""How much each lesson costs beyond starting a kernel and importing what it needs.

For every lesson in notebooks/, this runs (a) the whole notebook and (b) a floor notebook that only
starts a kernel and runs the lesson's own import lines, both with nbclient, in the same run, and prints
lesson time / floor time. Target: ≤ 1.5 for every lesson (issue 12).

Usage: python benchmarks/lessons.py [--repeat N] [NOTEBOOK ...]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]


def import_lines(notebook: nbformat.NotebookNode) -> str:
    """Every import statement of the notebook, in order: what the floor must pay for too."""
    lines = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            lines += [ln for ln in cell.source.splitlines() if ln.startswith(("import ", "from "))]
    return "\n".join(dict.fromkeys(lines)) or "pass"


def run(notebook: nbformat.NotebookNode, folder: Path) -> float:
    start = time.perf_counter()
    NotebookClient(
        notebook, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(folder)}}
    ).execute()
    return time.perf_counter() - start


def charts(notebook: nbformat.NotebookNode) -> int:
    """Images the executed notebook shows: each costs a layout and a render, the largest cost beyond the floor."""
    return sum(
        "image/png" in output.get("data", {})
        for cell in notebook.cells
        if cell.cell_type == "code"
        for output in cell.outputs
    )


def measure(path: Path, repeat: int) -> tuple[float, float, int]:
    lesson = nbformat.read(path, as_version=4)
    floor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(import_lines(lesson))])
    floor.metadata = lesson.metadata
    lesson_times, floor_times = [], []
    for _ in range(repeat):  # interleaved, so background load hits both alike
        floor_times.append(run(nbformat.from_dict(floor), path.parent))
        executed = nbformat.read(path, as_version=4)
        lesson_times.append(run(executed, path.parent))
    return statistics.median(lesson_times), statistics.median(floor_times), charts(executed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))
    with tempfile.TemporaryDirectory() as scratch:
        os.environ["TEACHKIT_RESPONSES"] = str(Path(scratch) / "responses.json")
        print(f"{'lesson':40} {'lesson s':>9} {'floor s':>8} {'ratio':>6} {'charts':>7}")
        worst = 0.0
        for path in paths:
            lesson, floor, shown = measure(path, args.repeat)
            worst = max(worst, lesson / floor)
            print(f"{path.stem:40} {lesson:9.2f} {floor:8.2f} {lesson / floor:6.2f} {shown:7d}", flush=True)
    print(f"worst ratio {worst:.2f} (target ≤ 1.50); median of {args.repeat} runs each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
