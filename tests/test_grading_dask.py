"""Issue 17: grading on a real Dask cluster of separate processes, as on a university's machines.

A `dask scheduler` and two `dask worker` processes run on 127.0.0.1 (each started here, killed at the
end). Submissions travel to them as bytes; the client alone writes the output folder. The gradebook
must equal a local run's, and killing a worker mid-run must still give every submission exactly once.
"""

from __future__ import annotations

import contextlib
import csv
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from teachkit.cli import main  # noqa: E402
from teachkit.grading.cluster import CourseMismatch, course_fingerprint, grade_task  # noqa: E402
from teachkit.grading.grader import GradeOptions, grade_folder  # noqa: E402
from teachkit.grading.runner import Limits  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_submissions as hostile  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
DASK = Path(sys.executable).with_name("dask")
# roomier than test_grading_attacks: the two runs must agree on a loaded machine too
LIMITS = Limits(timeout=15, memory=1024, total=90)  # as `grade --timeout 15 --total 90 --memory 1024`
# the honest student and eleven attacks that finish quickly: 12 submissions
CASES = [
    "env-grading-off",
    "input-transformer",
    "post-run-hook",
    "fake-modules",
    "settrace",
    "sneaky-objects",
    "leak",
    "forge-answers",
    "error-flood",
    "setsid-fork",
    "immutable-file",
]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _start(args: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(DASK), *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log.open("w"),
        start_new_session=True,  # its own group: killed with everything it started
    )


def _kill(process: subprocess.Popen[bytes]) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()


class Cluster:
    """A scheduler and `n` single-threaded workers, each its own process group."""

    def __init__(self, base: Path, workers: int = 2, env: dict[str, str] | None = None) -> None:
        self.base = base
        self.address = f"tcp://127.0.0.1:{_free_port()}"
        self.env = {**os.environ, "TMPDIR": str(base / "tmp"), **(env or {})}
        (base / "tmp").mkdir(exist_ok=True)
        port = self.address.rsplit(":", 1)[1]
        self.scheduler = _start(
            ["scheduler", "--host", "127.0.0.1", "--port", port, "--no-dashboard"], base / "scheduler.log", self.env
        )
        self.workers = [self.add_worker(i) for i in range(workers)]
        try:
            self.wait_for(workers)
        except BaseException:
            self.close()  # leave no process behind
            raise

    def add_worker(self, index: int) -> subprocess.Popen[bytes]:
        args = ["worker", self.address, "--nthreads", "1", "--host", "127.0.0.1", "--no-dashboard"]
        args += ["--memory-limit", "3GB", "--name", f"w{index}"]
        return _start(args, self.base / f"worker{index}.log", self.env)

    def wait_for(self, workers: int, seconds: float = 120) -> None:
        from distributed import Client

        deadline = time.monotonic() + seconds
        with Client(self.address, timeout="60s") as client:
            while len(client.scheduler_info(n_workers=-1)["workers"]) < workers:
                assert time.monotonic() < deadline, (self.base / "worker0.log").read_text()[-2000:]
                time.sleep(0.5)

    def close(self) -> None:
        for process in [*self.workers, self.scheduler]:
            _kill(process)


@pytest.fixture()
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    running = Cluster(tmp_path)
    try:
        yield running
    finally:
        running.close()


def _rows(out: Path) -> list[dict[str, str]]:
    with (out / "gradebook.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _build(subs: Path) -> None:
    hostile.build(subs)
    for name in os.listdir(subs):  # keep the honest student and the chosen attacks
        if name != "honest" and name not in CASES:
            for file in (subs / name).iterdir():
                file.unlink()
            (subs / name).rmdir()


def test_a_scheduler_and_two_workers_grade_like_a_local_run(tmp_path: Path, cluster: Cluster) -> None:
    subs = tmp_path / "submissions"
    _build(subs)
    assert len(list(subs.iterdir())) == 12
    local = GradeOptions(limits=LIMITS, set_name=hostile.SET, jobs=2)
    command = ["grade", str(subs), "--set", hostile.SET, "--timeout", "15", "--total", "90", "--memory", "1024"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(tmp_path / "tmp"))
        assert main([*command, "--out", str(tmp_path / "remote"), "--scheduler", cluster.address, "--quiet"]) == 0
        here = grade_folder(subs, tmp_path / "local", local, progress=False)
        regraded: list[str] = []  # the remote run's stored results, read back: nothing is graded again
        there = grade_folder(subs, tmp_path / "remote", local, progress=False, on_result=lambda r: regraded.append(r))
    assert regraded == [] and len(there) == len(here) == 12

    # the same gradebook; only the leak's reason quotes what its own cell printed, a compressed
    # blob that differs from run to run, so its reason is compared without that blob
    def comparable(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        return [row | {"reason": row["reason"][:40]} if row["student"] == "leak" else row for row in rows]

    assert comparable(_rows(tmp_path / "remote")) == comparable(_rows(tmp_path / "local"))
    scores = {r.student: r.score for r in there}
    assert scores["honest"] == hostile.HONEST
    for name in CASES:  # as test_grading_attacks: nothing scored that was not earned
        assert scores[name] <= hostile.attacks()[name][1], name
    assert all(r.status == "graded" for r in there)
    for name in ("remote", "local"):
        feedback = sorted(p.name for p in (tmp_path / name / "feedback").glob("*.md"))
        assert len(feedback) == 12
    assert not list((tmp_path / "tmp").glob("teachkit-run-*")), "a work folder was left behind"


def _kernel_parents() -> dict[int, int]:
    """Sandbox kernels now: pid -> parent pid."""
    found = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            cmd = Path(f"/proc/{name}/cmdline").read_bytes()
            stat = Path(f"/proc/{name}/stat").read_bytes()
        except OSError:
            continue
        if b"teachkit.grading.sandbox_kernel" in cmd:
            found[int(name)] = int(stat[stat.rfind(b")") + 2 :].split()[1])
    return found


def _group_of(pid: int) -> int | None:
    try:
        return os.getpgid(pid)
    except ProcessLookupError:
        return None


def test_a_worker_killed_mid_run_loses_no_submission(tmp_path: Path, cluster: Cluster) -> None:
    subs = tmp_path / "submissions"
    honest = hostile.SOLUTION.read_bytes()
    students = ["ada", "bo", "cy", "di", "ed", "fay"]
    for name in students:
        (subs / name).mkdir(parents=True)
        (subs / name / f"{hostile.SET}-exercises.ipynb").write_bytes(honest)
    options = GradeOptions(limits=LIMITS, set_name=hostile.SET)  # the cluster named by the environment
    outcome: dict[str, object] = {}

    def grade() -> None:
        try:
            outcome["results"] = grade_folder(subs, tmp_path / "out", options, progress=False)
        except Exception as problem:  # reported by the assertion below
            outcome["error"] = problem

    victim = cluster.workers[0]
    runner = threading.Thread(target=grade)
    killed_kernels: set[int] = set()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DASK_SCHEDULER_ADDRESS", cluster.address)
        runner.start()
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and runner.is_alive():  # kill w0 while it runs a kernel
            kernels = _kernel_parents()
            mine = {pid for pid, parent in kernels.items() if _group_of(parent) == victim.pid}
            if mine:
                killed_kernels = mine
                _kill(victim)
                break
            time.sleep(0.2)
        runner.join(600)
    assert killed_kernels, "worker w0 never ran a kernel"
    assert "error" not in outcome, outcome.get("error")
    results = outcome["results"]
    assert sorted(r.student for r in results) == students
    assert all(r.status == "graded" and r.score == hostile.HONEST for r in results), [
        (r.student, r.status, r.reason) for r in results
    ]
    counted = Counter(row["student"] for row in _rows(tmp_path / "out"))
    tasks = len({row["task"] for row in _rows(tmp_path / "out")})
    assert counted == {name: tasks for name in students}  # every submission once, each task once
    time.sleep(2)
    assert not set(_kernel_parents()) & killed_kernels, "the killed worker's kernel kept running"


def test_a_worker_with_another_course_refuses(tmp_path: Path) -> None:
    named = [f"solutions/{hostile.SET}-solutions.ipynb"]
    job = {"fingerprint": "0" * 64, "solutions": named, "student": "x", "relative": "x.ipynb", "path": "x.ipynb"}
    with pytest.raises(CourseMismatch, match="different course version.*same solutions/, data/ and teachkit"):
        grade_task(job, b"{}")
    # the fingerprint follows the solution's bytes
    copy = tmp_path / "course"
    (copy / "solutions").mkdir(parents=True)
    (copy / "data").mkdir()
    solution = (ROOT / named[0]).read_bytes()
    (copy / named[0]).write_bytes(solution)
    ours = course_fingerprint(copy, named)
    (copy / named[0]).write_bytes(solution.replace(b"S13", b"S14", 1))
    assert course_fingerprint(copy, named) != ours


def _poisoned(job: dict, content: bytes) -> dict:
    """A task that, for one student, takes down the worker process it runs in (as a grader crash would)."""
    if job["student"] == "poison":
        os._exit(1)
    return grade_task(job, content)


def test_a_submission_that_kills_every_worker_is_marked_crashed(tmp_path: Path) -> None:
    import cloudpickle

    import teachkit.grading.cluster as cluster

    subs = tmp_path / "submissions"
    for name in ("honest", "poison"):
        (subs / name).mkdir(parents=True)
        (subs / name / f"{hostile.SET}-exercises.ipynb").write_bytes(hostile.SOLUTION.read_bytes())
    options = GradeOptions(limits=LIMITS, set_name=hostile.SET, jobs=2)
    cloudpickle.register_pickle_by_value(sys.modules[__name__])  # the workers cannot import this file
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(cluster, "grade_task", _poisoned)
            patch.setenv("TMPDIR", str(tmp_path))
            results = {r.student: r for r in grade_folder(subs, tmp_path / "out", options, progress=False)}
    finally:
        cloudpickle.unregister_pickle_by_value(sys.modules[__name__])
    assert results["honest"].status == "graded" and results["honest"].score == hostile.HONEST
    poison = results["poison"]
    assert poison.status == "crashed" and "stopped the worker each time" in poison.reason
    rows = _rows(tmp_path / "out")
    assert [r["status"] for r in rows if r["student"] == "poison"] == ["crashed"] * 5  # once, each task
    # a crashed submission is not retried on resume (no endless loop), unless --force
    seen: list[str] = []
    grade_folder(subs, tmp_path / "out", options, progress=False, on_result=lambda r: seen.append(r.student))
    assert seen == []


def test_a_worker_on_another_course_version_refuses_through_the_client(tmp_path: Path) -> None:
    """A worker started in a course whose solution differs: the submission is a grader error naming it."""
    course = tmp_path / "other-course"
    for folder in ("data", "quizzes"):
        (course / folder).mkdir(parents=True)
    for file in (ROOT / "data").iterdir():
        if file.is_file():
            (course / "data" / file.name).write_bytes(file.read_bytes())
    (course / "solutions").mkdir()
    named = f"{hostile.SET}-solutions.ipynb"
    changed = (ROOT / "solutions" / named).read_bytes().replace(b"S13", b"S14", 1)
    (course / "solutions" / named).write_bytes(changed)
    base = tmp_path / "cluster"
    base.mkdir()
    stale = Cluster(base, workers=1, env={"TEACHKIT_COURSE_ROOT": str(course)})  # its worker: the other course
    try:
        subs = tmp_path / "submissions"
        (subs / "ada").mkdir(parents=True)
        (subs / "ada" / f"{hostile.SET}-exercises.ipynb").write_bytes(hostile.SOLUTION.read_bytes())
        options = GradeOptions(limits=LIMITS, set_name=hostile.SET, scheduler=stale.address)
        [result] = grade_folder(subs, tmp_path / "out", options, progress=False)
    finally:
        stale.close()
    assert result.status == "grader error"
    assert "different course version" in result.reason and str(course) in result.reason
    assert not result.tasks  # nothing graded with the other tests


def test_killing_the_client_stops_the_kernel_on_a_remote_worker(tmp_path: Path, cluster: Cluster) -> None:
    """The cluster outlives the client; the kernel of the submission it was grading must not."""
    import nbformat

    from teachkit.authoring.exercise_set import nbgrader_meta

    notebook = nbformat.read(hostile.SOLUTION, as_version=4)
    for cell in notebook.cells:
        if nbgrader_meta(cell).get("grade_id") == "eu-series-answer":
            cell.source = "import time\ntime.sleep(600)"
    (tmp_path / "submissions" / "slow").mkdir(parents=True)
    nbformat.write(notebook, tmp_path / "submissions" / "slow" / f"{hostile.SET}-exercises.ipynb")
    command = [sys.executable, "-m", "teachkit", "grade", str(tmp_path / "submissions"), "--out", str(tmp_path / "out")]
    command += ["--scheduler", cluster.address, "--timeout", "900", "--total", "900", "--quiet"]
    client = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = {w.pid for w in cluster.workers}
    try:
        deadline = time.monotonic() + 240
        kernels: set[int] = set()
        while time.monotonic() < deadline and not kernels:
            kernels = {pid for pid, parent in _kernel_parents().items() if _group_of(parent) in workers}
            time.sleep(0.3)
        assert kernels, "no worker started a kernel"
        time.sleep(3)  # into the sleeping cell
        client.kill()
        client.wait()
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and set(_kernel_parents()) & kernels:
            time.sleep(0.5)
        assert not set(_kernel_parents()) & kernels, "the kernel kept running after its client was killed"
        assert all(w.poll() is None for w in cluster.workers), "the cluster's workers should stay"
    finally:
        client.kill()


def test_kernels_on_a_worker_cannot_read_dask_scratch_space() -> None:
    """Dask puts its scratch folders on the worker's sys.path; a kernel gets read access to none of them."""
    from distributed import Client, LocalCluster, get_worker

    from teachkit.grading import cluster

    solutions = ("solutions/01-digital-natives-solutions.ipynb",)
    with (
        LocalCluster(n_workers=1, processes=False, dashboard_address=None) as lc,  # in-process: no port
        Client(lc) as client,
    ):
        scratch, paths = client.submit(  # a task, as grading runs: get_worker() names its worker
            lambda: (get_worker().local_directory, cluster._worker_course.__wrapped__(solutions, ())), pure=False
        ).result()
    workspace = Path(scratch).resolve().parent
    assert workspace.name == "dask-scratch-space"
    read = paths[2]
    assert read, "the kernel still reads the Python installation"
    assert not [p for p in read if Path(p) == workspace or workspace in Path(p).parents]
