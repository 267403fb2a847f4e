"""A killed grader leaves nothing running: its workers, their kernels and what submissions forked all stop."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from teachkit.authoring.exercise_set import nbgrader_meta

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")


def _processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, command line) for every process we can see."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if fields[0] != "Z":  # a zombie has stopped already
            found[int(entry.name)] = (int(fields[1]), cmdline)
    return found


def _descendants(root: int) -> set[int]:
    table = _processes()
    found, frontier = set(), {root}
    while frontier:
        frontier = {pid for pid, (parent, _) in table.items() if parent in frontier} - found
        found |= frontier
    return found


def _alive(pids: set[int]) -> set[int]:
    return pids & set(_processes())


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


WATCHERS = {
    # a kernel: Linux kills it with its parent
    "kernel": "from teachkit.grading.orphans import die_with_parent\ndie_with_parent(os.getppid())",
}


@pytest.mark.parametrize("kind", sorted(WATCHERS))
def test_a_process_whose_parent_dies_stops_itself(tmp_path: Path, kind: str) -> None:
    child = (
        "import os, sys, time\n"
        + WATCHERS[kind]
        + "\nopen(sys.argv[1], 'w').write(str(os.getpid()))\ntime.sleep(120)\n"
    )
    marker = tmp_path / "child.pid"
    parent = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import subprocess, sys, time\nsubprocess.Popen([sys.executable, '-c', {child!r}, "
            f"{str(marker)!r}])\ntime.sleep(120)",
        ]
    )
    try:
        assert _wait(lambda: marker.exists() and marker.read_text(), 30), "the child never started"
        pid = int(marker.read_text())
        assert _alive({pid}), "the child stopped before its parent did"
        parent.kill()
        parent.wait()
        assert _wait(lambda: not _alive({pid}), 10), "the orphaned child kept running"
    finally:
        parent.kill()


GUARDED_WORKER = """import os, subprocess, sys, time
from teachkit.grading.orphans import LIVE_GROUPS, start_guardian
start_guardian()
sleep = [sys.executable, "-c", "import time; time.sleep(120)"]
kernel = subprocess.Popen(sleep, start_new_session=True)
LIVE_GROUPS.add(kernel.pid)
marked = {"TEACHKIT_RUN_MARKER": f"teachkit-run-{os.getpid()}-1"}
escaped = subprocess.Popen(sleep, start_new_session=True, env={**os.environ, **marked})  # as after setsid()
open(sys.argv[1], "w").write(f"{kernel.pid} {escaped.pid}")
time.sleep(120)
"""


def test_a_killed_workers_guardian_stops_its_kernels(tmp_path: Path) -> None:
    marker = tmp_path / "pids"
    worker = subprocess.Popen([sys.executable, "-c", GUARDED_WORKER, str(marker)])
    pids: set[int] = set()
    try:
        assert _wait(lambda: marker.exists() and marker.read_text(), 60), "the worker never started its kernel"
        pids = {int(p) for p in marker.read_text().split()}
        assert _alive(pids) == pids
        worker.kill()  # SIGKILL: no handler of the worker's runs
        worker.wait()
        assert _wait(lambda: not _alive(pids), 10), "a kernel of the killed worker kept running"
    finally:
        worker.kill()
        for pid in _alive(pids):
            os.kill(pid, signal.SIGKILL)


def test_killing_grade_stops_its_workers_and_kernels(tmp_path: Path) -> None:
    subs = tmp_path / "submissions"
    for student in ("ann", "ben"):
        notebook = nbformat.read(SOLUTION, as_version=4)
        for cell in notebook.cells:
            if nbgrader_meta(cell).get("grade_id") == "eu-series-answer":
                cell.source = "import os, time\nif os.fork() == 0:\n    time.sleep(600)\ntime.sleep(600)"
        (subs / student).mkdir(parents=True)
        nbformat.write(notebook, subs / student / "01-digital-natives-exercises.ipynb")
    grader = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "teachkit",
            "grade",
            str(subs),
            "--out",
            str(tmp_path / "out"),
            "--jobs",
            "2",
            "--timeout",
            "600",
            "--quiet",
        ],
        cwd=ROOT,
        env={**os.environ, "TMPDIR": str(tmp_path)},
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "grade.log").open("w"),
    )
    everything: set[int] = set()
    try:

        def sandbox() -> dict[int, int]:  # pid -> parent of our kernels and what they forked
            return {
                pid: parent
                for pid, (parent, cmd) in _processes().items()
                if "teachkit.grading.sandbox_kernel" in cmd and str(tmp_path) in cmd
            }

        def kernels() -> set[int]:
            found = sandbox()
            return {pid for pid, parent in found.items() if parent not in found}

        def forked() -> set[int]:  # a forked child keeps the kernel's command line
            found = sandbox()
            return {pid for pid, parent in found.items() if parent in found}

        # Generous: on a loaded two-core machine the kernels start and import pandas slowly.
        def state() -> str:
            log = (tmp_path / "grade.log").read_text()[-2000:]
            return f"grader exit {grader.poll()}, sandbox {sandbox()}, log: {log}"

        assert _wait(lambda: len(kernels()) == 2, 240), f"the two sandbox kernels never started; {state()}"
        assert _wait(lambda: len(forked()) == 2, 240), f"the submissions never reached their fork; {state()}"
        everything = _descendants(grader.pid)
        assert kernels() | forked() <= everything and len(everything) >= 6  # 2 workers, 2 kernels, 2 forks
        grader.send_signal(signal.SIGKILL)
        grader.wait()
        assert _wait(lambda: not _alive(everything), 20), (
            f"still running: {[_processes()[p][1] for p in _alive(everything)]}"
        )
    finally:
        grader.kill()
        for pid in _alive(everything):  # do not leave them behind when the test fails
            os.kill(pid, signal.SIGKILL)
