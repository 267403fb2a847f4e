"""Grading a class folder in which some submissions are broken or hostile.

One grading run (two workers) covers every case, so the kernels start once per submission:
each bad submission gets a clear status and reason, the good ones keep full marks, and the grader
finishes. The file-system and network cases need Linux Landlock and are skipped without it.
"""

from __future__ import annotations

import csv
import json
import os
import socket
import sys
import threading
import time
from pathlib import Path

import nbformat
import pytest

from teachkit.authoring.exercise_set import nbgrader_meta
from teachkit.cli import main
from teachkit.grading import landlock
from teachkit.grading.grader import GradeOptions, SubmissionResult, grade_folder
from teachkit.grading.runner import Limits

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"
EXERCISE = ROOT / "exercises" / "01-digital-natives-exercises.ipynb"
SET = "01-digital-natives"
CONFINED = landlock.available() >= 4


def _answer(notebook: object, grade_id: str, source: str) -> object:
    for cell in notebook.cells:
        if nbgrader_meta(cell).get("grade_id") == grade_id:
            cell.source = source
    return notebook


def _with_extra_cell(notebook: object, after: str, source: str) -> object:
    for index, cell in enumerate(notebook.cells):
        if nbgrader_meta(cell).get("grade_id") == after:
            notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(source))
            return notebook
    raise KeyError(after)


@pytest.fixture(scope="module")
def graded(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("class")
    subs, out = base / "submissions", base / "out"
    sentinel = base / "instructor-file.txt"
    sentinel.write_text("keep me")
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    port = listener.getsockname()[1]
    connections: list[object] = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connections.append(listener.accept())
            except OSError:
                continue

    watcher = threading.Thread(target=accept, daemon=True)
    watcher.start()

    def solution() -> object:
        return nbformat.read(SOLUTION, as_version=4)

    cases = {
        "good": solution(),
        "stub": nbformat.read(EXERCISE, as_version=4),
        "loop": _answer(solution(), "eu-series-answer", "while True:\n    pass"),
        "memory": _answer(solution(), "gap-change-answer", "hog = [bytearray(10**8) for _ in range(200)]"),
        "exit": _answer(solution(), "right-source-answer", "import sys\nsys.exit()"),
        "hard-exit": _answer(solution(), "registered-answer", "import os\nos._exit(0)"),
        "deleter": _with_extra_cell(solution(), "setup", f"import os\nos.remove({str(sentinel)!r})"),
        "reader": _answer(solution(), "right-source-answer", f"right_source = open({str(SOLUTION)!r}).read()[:20]"),
        "network": _with_extra_cell(
            solution(), "setup", f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)"
        ),
        "chatty": _with_extra_cell(solution(), "setup", "print('x' * 10_000_000)"),
        "forker": _with_extra_cell(solution(), "setup", "import os, time\nif os.fork() == 0:\n    time.sleep(600)"),
        "snoop": _answer(
            solution(), "right-source-answer", "import os\nright_source = os.environ.get('INSTRUCTOR_TOKEN', 'S13')"
        ),
        "tamper": _answer(solution(), "eu-series", "pass  # my own, weaker test"),
        "rebind": _answer(
            solution(),
            "gap-change-answer",
            "check = lambda *args, **kwargs: None\n"
            "import teachkit.checks\nteachkit.checks.check = check\n"
            "gap_change_pp = 99.0",
        ),
        "leaker": _answer(
            solution(),
            "right-source-answer",
            "import teachkit.checks as tc\nseen = []\n"
            "get_ipython().events.register('pre_run_cell',\n"
            "    lambda info: seen.append(info.raw_cell))\n"
            "def tell(*args, **kwargs):\n"
            "    raise AssertionError(' '.join(seen))\n"
            "tc.check = check = tell\nright_source = 'S13'",
        ),
    }
    wrong_set = solution()
    wrong_set.metadata["teachkit"]["set"] = "02-internal-communication"
    cases["wrong-set"] = wrong_set
    for student, notebook in cases.items():
        (subs / student).mkdir(parents=True)
        nbformat.write(notebook, subs / student / f"{SET}-exercises.ipynb")
    (subs / "broken").mkdir()
    (subs / "broken" / f"{SET}-exercises.ipynb").write_text('{"cells": [', encoding="utf-8")
    options = GradeOptions(limits=Limits(timeout=8, memory=1024), jobs=2, set_name=SET)
    scratch = base / "tmp"  # the kernels' work folders: this run's alone, whatever else runs
    scratch.mkdir()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("INSTRUCTOR_TOKEN", "not-for-students")
        patch.setenv("TMPDIR", str(scratch))  # read by the spawned grading workers
        results = grade_folder(subs, out, options, progress=False)
    stop.set()
    watcher.join()
    listener.close()
    return {
        "results": {r.student: r for r in results},
        "out": out,
        "subs": subs,
        "sentinel": sentinel,
        "connections": connections,
        "options": options,
        "scratch": scratch,
    }


def _task(result: SubmissionResult, task: str):
    return next(t for t in result.tasks if t.task == task)


def test_good_and_stub_are_graded_normally(graded: dict) -> None:
    good, stub = graded["results"]["good"], graded["results"]["stub"]
    assert [(t.task, t.status) for t in good.tasks] == [
        ("eu-series", "passed"),
        ("gap-change", "passed"),
        ("registered", "passed"),
        ("right-source", "passed"),
        ("reflection", "manual"),
    ]
    assert good.score == 8
    assert stub.score == 0 and {t.status for t in stub.tasks} == {"not answered"}


def test_infinite_loop_times_out_alone(graded: dict) -> None:
    loop = graded["results"]["loop"]
    assert _task(loop, "eu-series").status == "timeout"
    assert "longer than 8 s" in _task(loop, "eu-series").reason
    assert _task(loop, "registered").status == "passed"  # the kernel recovered


def test_memory_bomb_meets_the_limit(graded: dict) -> None:
    task = _task(graded["results"]["memory"], "gap-change")
    assert task.status == "error" and "more memory than allowed" in task.reason
    assert _task(graded["results"]["memory"], "registered").status == "passed"


def test_sys_exit_and_os_exit(graded: dict) -> None:
    task = _task(graded["results"]["exit"], "right-source")
    assert task.status == "error" and "sys.exit()" in task.reason
    hard = graded["results"]["hard-exit"]
    assert _task(hard, "eu-series").status == "passed"
    assert _task(hard, "registered").status == "crashed"
    assert "os._exit()" in _task(hard, "registered").reason
    assert _task(hard, "right-source").status == "crashed"


def test_student_cannot_replace_an_official_test(graded: dict) -> None:
    assert _task(graded["results"]["tamper"], "eu-series").status == "passed"  # official test ran
    assert graded["results"]["tamper"].score == 8


def test_rebinding_check_does_not_pass_a_wrong_answer(graded: dict) -> None:
    task = _task(graded["results"]["rebind"], "gap-change")
    assert task.status == "failed" and task.points == 0


def test_hidden_test_code_never_reaches_the_feedback(graded: dict) -> None:
    leaker = graded["results"]["leaker"]
    assert _task(leaker, "right-source").status == "passed"  # the guard restored `check`
    text = (graded["out"] / "feedback" / "leaker.md").read_text(encoding="utf-8")
    assert "_match = _t[" not in text and "_rows.pivot" not in text


def test_no_kernel_or_forked_process_outlives_grading(graded: dict) -> None:
    pids = [r.metrics.get("kernel_pid") for r in graded["results"].values()]
    assert len([p for p in pids if p]) >= 10
    for pid in filter(None, pids):
        with pytest.raises(ProcessLookupError):
            os.kill(int(pid), 0)
    assert graded["results"]["forker"].score == 8
    # A process sent SIGKILL a moment ago may still be listed; give it a few seconds to go.
    deadline = time.monotonic() + 5
    while _orphaned_kernels(graded["scratch"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _orphaned_kernels(graded["scratch"]) == []


def _orphaned_kernels(scratch: Path) -> list[str]:
    """This run's sandbox kernels (forks included) whose submission folder is gone."""
    found = []
    for line in os.popen("ps -eo args").read().splitlines():
        parts = line.split()
        if parts[:3] == [sys.executable, "-m", "teachkit.grading.sandbox_kernel"]:
            work = parts[parts.index("--work") + 1]
            if work.startswith(str(scratch)) and not Path(work).exists():
                found.append(line[:120])
    return found


def test_environment_is_scrubbed(graded: dict) -> None:
    assert graded["results"]["snoop"].score == 8  # the grader's variables were not visible


def test_huge_output_is_cut_and_grading_goes_on(graded: dict) -> None:
    chatty = graded["results"]["chatty"]
    assert chatty.score == 8 and "was dropped" in chatty.reason


def test_invalid_notebook_and_wrong_set(graded: dict) -> None:
    broken, wrong = graded["results"]["broken"], graded["results"]["wrong-set"]
    assert broken.status == "invalid" and "not a readable notebook" in broken.reason
    assert wrong.status == "wrong set" and "02-internal-communication" in wrong.reason


@pytest.mark.skipif(not CONFINED, reason="needs Linux Landlock (ABI 4+) to confine files and TCP")
def test_files_and_network_outside_the_sandbox_are_refused(graded: dict) -> None:
    assert graded["sentinel"].read_text() == "keep me"
    assert graded["connections"] == []
    reader = _task(graded["results"]["reader"], "right-source")
    assert reader.status == "error" and "Permission denied" in reader.reason
    for student in ("deleter", "network"):
        assert graded["results"][student].score == 8  # their answers still count


def test_gradebook_and_feedback(graded: dict) -> None:
    out = graded["out"]
    with open(out / "gradebook.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["student", "set", "task", "points", "max", "status", "reason"]
    assert {r["student"] for r in rows} == set(graded["results"])
    assert all(r["reason"] for r in rows if r["status"] not in ("passed", "manual"))
    wrong = [r for r in rows if r["student"] == "wrong-set"]
    assert len(wrong) == 5 and {r["status"] for r in wrong} == {"wrong set"}
    feedback = (out / "feedback" / "loop.md").read_text(encoding="utf-8")
    assert "eu-series" in feedback and "timeout" in feedback
    good = (out / "feedback" / "good.md").read_text(encoding="utf-8")
    assert "eu_series values (hidden check)" in good
    hidden_code = "_rows.pivot(index="
    for path in (out / "feedback").glob("*.md"):
        assert hidden_code not in path.read_text(encoding="utf-8")
    assert hidden_code not in (out / "gradebook.csv").read_text(encoding="utf-8")


def test_rerun_skips_finished_submissions(graded: dict) -> None:
    seen: list[str] = []
    again = grade_folder(
        graded["subs"], graded["out"], graded["options"], progress=False, on_result=lambda r: seen.append(r.student)
    )
    assert seen == [] and len(again) == len(graded["results"])
    stored = json.loads(next((graded["out"] / "results").glob("good--*.json")).read_text())
    assert stored["status"] == "graded" and stored["sha256"]


def test_cli_reports_a_missing_folder(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert main(["grade", str(tmp_path / "nowhere"), "--out", str(tmp_path / "o")]) == 1
    assert "no such folder" in capsys.readouterr().err
