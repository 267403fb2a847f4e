"""Grading on Dask distributed: a local cluster on one machine, or any Dask cluster by address.

One task grades one submission with `grader.grade_job` in the sandbox of the worker's machine. The
task carries the notebook's bytes, never a path, so workers need no shared file system; it also
carries the client's course fingerprint (`course_fingerprint`), and a worker whose course differs
refuses it (`CourseMismatch`) rather than grade with other tests. Workers only return results: the
client alone writes the output folder (grader.grade_folder).

Faults are Dask's: a task whose worker dies is scheduled again on another worker; one that was
on `allowed-failures + 1` dying workers fails with `KilledWorker`, which the client records as a
submission that crashed its graders, not as a grade. A local cluster's workers stop with the client
(Dask watches their parent), and each worker's guardian (orphans.py) stops its kernels with it;
on a cluster that outlives the client, a task the scheduler drops has its kernel killed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import logging
import os
import signal
import socket
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

TRIES = 3  # a local cluster gives up on a submission after it was on this many dying workers
WORKER_SELF_MB = 1024  # a worker's own memory beside its kernel's limit (Python, Dask, pandas)
FINGERPRINT_CODE = ("checks.py", "grading/checker.py", "grading/plain.py")  # what judges the answers


class CourseMismatch(RuntimeError):
    """A worker's course (solutions, data or check code) is not the client's."""


def course_fingerprint(root: Path, solutions: list[str]) -> str:
    """SHA-256 over the solution notebooks, the course data and the check code, by relative name."""
    import teachkit

    package = Path(teachkit.__file__).parent
    files = [(f"solutions/{Path(s).name}", root / s) for s in solutions]  # an absolute name stays itself
    data = root / "data"
    if data.is_dir():
        files += [(f"data/{p.relative_to(data)}", p) for p in sorted(data.rglob("*")) if p.is_file()]
    files += [(f"teachkit/{name}", package / name) for name in FINGERPRINT_CODE]
    digest = hashlib.sha256()
    for name, path in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest() if path.is_file() else b"missing")
    return digest.hexdigest()


def relative_solutions(root: Path, solutions: list[str]) -> list[str]:
    """Solution files named relative to the course when inside it, so another machine finds its own."""
    named = []
    for path in solutions:
        resolved = Path(path).resolve()
        named.append(str(resolved.relative_to(root)) if resolved.is_relative_to(root) else str(resolved))
    return named


@cache
def _worker_course(solutions: tuple[str, ...], protected: tuple[str, ...]) -> tuple[Path, str, list[str]]:
    """This worker's course root, its fingerprint and its kernels' read paths (once per process).

    `protected` are the client's submission and output folders: never readable by a kernel,
    whether or not this machine has them.
    """
    from ..course import course_root
    from .runner import python_read_paths

    root = course_root()
    files = [root / s for s in solutions]  # an absolute name stays itself
    read_paths = python_read_paths([root, *{f.parent for f in files}, *map(Path, protected)])
    scratch = _dask_scratch()
    if scratch is not None:  # Dask puts its scratch folders on sys.path; a kernel needs none of them
        read_paths = [p for p in read_paths if not (Path(p) == scratch or scratch in Path(p).parents)]
    return root, course_fingerprint(root, list(solutions)), read_paths


def _dask_scratch() -> Path | None:
    """The folder holding this worker's (and its neighbours') Dask scratch space, if in a worker."""
    try:
        from distributed import get_worker

        workspace = Path(get_worker().local_directory).resolve().parent  # …/dask-scratch-space/worker-…
    except (ImportError, ValueError, AttributeError):
        return None
    return workspace if workspace.name == "dask-scratch-space" else None


@cache
def _exit_promptly() -> None:
    """End this worker process right after the exit handlers of what grading imports next.

    Registered before the kernel client's modules are imported, so it runs after their handlers
    (last in, first out) and skips only the interpreter's final clean-up, which otherwise stalls
    until Dask's nanny kills the process (4 s at the end of every run).
    """
    atexit.register(os._exit, 0)


def _stop_when_abandoned() -> threading.Event:
    """Kill this task's kernels once the scheduler drops the task (its client is gone); set to stop.

    A local cluster's workers die with the client, but a cluster's workers stay, and Dask cannot
    interrupt a running task: without this its kernel would run on until its own time limit.
    """
    from distributed import get_worker

    from .orphans import LIVE_GROUPS

    finished = threading.Event()
    try:
        worker = get_worker()
        key = worker.get_current_task()
    except (ValueError, AttributeError):  # called outside a Dask worker
        return finished

    def watch() -> None:
        while not finished.wait(1.0):
            task = worker.state.tasks.get(key)
            if task is None or task.state in ("cancelled", "released", "forgotten"):
                for group in list(LIVE_GROUPS):
                    with contextlib.suppress(ProcessLookupError, PermissionError):
                        os.killpg(group, signal.SIGKILL)
                return

    threading.Thread(target=watch, name="teachkit-abandoned-task", daemon=True).start()
    return finished


def grade_task(job: dict[str, Any], content: bytes) -> dict[str, Any]:
    """A Dask task: grade one submission (its bytes) on this worker's course; a plain result dict."""
    _exit_promptly()
    from .grader import grade_job
    from .orphans import start_guardian

    root, fingerprint, read_paths = _worker_course(tuple(job["solutions"]), tuple(job.get("protected", [])))
    if fingerprint != job["fingerprint"]:
        raise CourseMismatch(
            f"worker {socket.gethostname()} (process {os.getpid()}) has a different course version at {root} "
            f"(fingerprint {fingerprint[:12]}, the client's {job['fingerprint'][:12]}): give it the same "
            "solutions/, data/ and teachkit as the client, restart it and grade again"
        )
    start_guardian()
    local = {
        **job,
        "content": content,
        "solutions": [str(root / s) for s in job["solutions"]],
        "data_dir": str(root / "data"),
        "course_root": str(root),
        "read_paths": read_paths,
    }
    finished = _stop_when_abandoned()
    try:
        return grade_job(local)
    finally:
        finished.set()


@contextlib.contextmanager
def dask_client(scheduler: str | None, jobs: int, memory_mb: int, dashboard: bool = False) -> Iterator[Any]:
    """A client of the cluster at `scheduler` (or $DASK_SCHEDULER_ADDRESS), else of a new local one.

    The local cluster: `jobs` worker processes with one thread each, every port on 127.0.0.1, no
    dashboard unless asked, memory per worker the kernel's limit plus the worker's own.
    """
    import dask
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get("DASK_SCHEDULER_ADDRESS")
    if address:
        with Client(address, timeout="30s") as client:
            yield client
        return
    settings = {
        "distributed.scheduler.allowed-failures": TRIES - 1,
        "distributed.worker.daemon": False,  # a daemonic worker may not start processes of its own
        "distributed.worker.memory.target": False,  # results are small; never spill, pause only near the cap
        "distributed.worker.memory.spill": False,
    }
    with dask.config.set(settings):
        cluster = LocalCluster(
            n_workers=max(1, jobs),
            threads_per_worker=1,
            processes=True,
            host="127.0.0.1",
            dashboard_address="127.0.0.1:0" if dashboard else None,
            # the scheduler's HTTP server (health, metrics) runs anyway: on a free port of 127.0.0.1
            scheduler_kwargs={"dashboard_address": "127.0.0.1:0", "dashboard": dashboard},
            memory_limit=f"{memory_mb + WORKER_SELF_MB}MB",
            silence_logs=logging.ERROR,
        )
        try:
            with Client(cluster) as client:
                yield client
        finally:
            cluster.close()
