"""Run one notebook cell by cell in a fresh, limited kernel inside its own temporary folder.

The runner records what each cell did (ok, error, timeout, not run) and reads back the answers
the grader's export cells wrote (plain.py); it never raises for anything the notebook does. A
cell that runs too long is interrupted and the kernel probed; a kernel that dies ends the run
with a reason taken from its exit status; the whole run has a wall-time budget too. At the end
the kernel and everything it started are killed (sweep.py) and its folder is removed.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_core.utils import run_sync
from nbclient import NotebookClient
from nbclient.exceptions import CellTimeoutError, DeadKernelError

from ..checks import GRADING_ENV
from . import sweep
from .orphans import LIVE_GROUPS
from .plain import ANSWERS_ENV

KERNEL_NAME = "teachkit-sandbox"
ANSWERS_DIR = ".teachkit-answers"
ANSWER_LIMIT = 4_000_000  # bytes of exported answers read back per task
ANSWERS_LIMIT = 16_000_000  # … and per submission


@dataclass
class Limits:
    """What one submission may use. Defaults suit a short pandas exercise set."""

    timeout: int = 30  # seconds per cell
    memory: int = 1024  # MB of address space for the kernel (and for each process it forks)
    output: int = 1_000_000  # bytes of output kept per notebook, every kind of message counted
    startup: int = 60  # seconds for the kernel to start
    probe: int = 10  # seconds a kernel gets to answer after an interrupted cell
    total: int = 300  # seconds of wall time for the whole notebook
    cpu: int = 300  # CPU seconds for the kernel process
    processes: int = 64  # processes and threads the kernel may add (RLIMIT_NPROC, not for root)
    checks: int = 60  # seconds for the clean check process of one submission


@dataclass
class CellRun:
    index: int
    status: str  # ok | error | timeout | not run
    ename: str = ""
    evalue: str = ""


@dataclass
class NotebookRun:
    cells: dict[int, CellRun] = field(default_factory=dict)
    crashed: str = ""  # why the kernel stopped, if it did
    sandbox: str = ""
    output_truncated: bool = False
    seconds: float = 0.0
    kernel_peak_mb: float = 0.0
    kernel_pid: int = 0
    answers: dict[str, Any] = field(default_factory=dict)  # task -> exported JSON, or a problem text
    swept: int = 0  # processes the kernel left behind that had to be killed
    cleanup: str = ""  # why the work folder could not be removed, if it could not

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cells"] = {str(k): asdict(v) for k, v in self.cells.items()}
        return data


class _LimitedClient(NotebookClient):
    """An nbclient that keeps at most `output_limit` bytes of messages for the whole notebook.

    Every kind of message counts (streams, displays, errors with their tracebacks, display
    updates, widget messages); only the kernel's status messages pass once the limit is reached.
    """

    output_limit = 1_000_000
    output_used = 0
    truncated = False

    def process_message(self, msg: dict[str, Any], cell: Any, cell_index: int) -> Any:
        if msg.get("msg_type") != "status":
            self.output_used += len(json.dumps(msg.get("content", {}), default=str))
            if self.output_used > self.output_limit:
                self.truncated = True
                return None
        return super().process_message(msg, cell, cell_index)


def python_read_paths(protected: list[Path]) -> list[str]:
    """Folders the kernel must read to run Python, minus any that would expose `protected` ones.

    The grader's current folder and PYTHONPATH entries are not among them unless they lie inside
    the Python installation: only the installation, its site-packages (and what their .pth files
    add, such as an editable install's src/) and the course's own packages.
    """
    import teachkit

    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix) if p}
    untrusted = {Path.cwd().resolve()}
    untrusted |= {Path(p).resolve() for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p}
    if sys.path and sys.path[0]:
        untrusted.add(Path(sys.path[0]).resolve())

    def inside_env(path: Path) -> bool:
        return any(path == p or p in path.parents for p in prefixes)

    candidates = set(prefixes)
    for entry in sys.path:
        if not entry or not Path(entry).is_dir():
            continue
        path = Path(entry).resolve()
        if path in untrusted and not inside_env(path):
            continue
        candidates.add(path)
    candidates.add(Path(teachkit.__file__).resolve().parent)
    guarded = [p.resolve() for p in protected]
    safe = []
    for path in sorted(candidates):
        if any(path == g or path in g.parents for g in guarded):
            continue  # reading this folder would reveal the course, solutions or submissions
        safe.append(str(path))
    return safe


def _exit_reason(code: int | None, limits: Limits) -> str:
    if code is None:
        return "the kernel stopped responding"
    if code == -signal.SIGXCPU or code == -signal.SIGKILL:
        what = "used too much CPU time or memory" if code == -signal.SIGKILL else "used more CPU time than allowed"
        return f"the kernel was stopped because the code {what}"
    if code < 0:
        return f"the kernel was stopped by signal {-code}"
    return (
        f"the kernel process ended with exit code {code}: the code ended Python itself "
        "(for example os._exit() or a crash in a library)"
    )


def run_notebook(
    notebook: Any,
    *,
    data_dir: Path,
    read_paths: list[str],
    limits: Limits,
    grading: bool = True,
    tasks: list[str] | None = None,
    lang: str = "en",
) -> NotebookRun:
    """Execute `notebook` (changed in place) in a sandboxed kernel; never raises for its content.

    `tasks` names the tasks whose exported answers are read back into `NotebookRun.answers`;
    `lang` is the submission's edition (the kernel's messages speak it, TEACHKIT_LANG).

    A kernel that ends before it answers its first request has run none of the notebook's code:
    it is started again (at most START_TRIES times in all), so a rare start-up failure of the
    machine never costs a student points. `NotebookRun.sandbox` stays empty when every try failed.
    """
    for _ in range(START_TRIES):
        result = _run_once(notebook, data_dir, read_paths, limits, grading, tasks, lang)
        if result.sandbox:
            break
    return result


START_TRIES = 3


def _run_once(
    notebook: Any,
    data_dir: Path,
    read_paths: list[str],
    limits: Limits,
    grading: bool,
    tasks: list[str] | None,
    lang: str,
) -> NotebookRun:
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="teachkit-run-"))
    spec_dir = Path(tempfile.mkdtemp(prefix="teachkit-spec-"))
    marker = f"teachkit-run-{os.getpid()}-{time.monotonic_ns()}"
    result = NotebookRun()
    replies: dict[int, dict[str, Any]] = {}
    km = None
    client: _LimitedClient | None = None
    sweep.become_subreaper()
    before = sweep.children()
    try:
        course = work / "course"
        shutil.copytree(data_dir, course / "data")
        (course / "quizzes").mkdir()
        env_args = [
            f"TEACHKIT_COURSE_ROOT={course}",
            f"TEACHKIT_RESPONSES={work / 'responses.json'}",
            f"{GRADING_ENV}={'1' if grading else '0'}",
            f"TEACHKIT_LANG={lang}",
            f"{ANSWERS_ENV}={work / ANSWERS_DIR}",
        ]
        argv = [
            sys.executable,
            "-m",
            "teachkit.grading.sandbox_kernel",
            "--work",
            str(work),
            "--memory",
            str(limits.memory),
            "--cpu",
            str(limits.cpu),
            "--processes",
            str(limits.processes),
            "--parent",
            str(os.getpid()),
        ]
        for path in read_paths:
            argv += ["--read", path]
        for item in env_args:
            argv += ["--env", item]
        argv += ["-f", "{connection_file}"]
        (spec_dir / KERNEL_NAME).mkdir()
        (spec_dir / KERNEL_NAME / "kernel.json").write_text(
            json.dumps({"argv": argv, "display_name": "teachkit grading sandbox", "language": "python"})
        )
        km = AsyncKernelManager(
            kernel_name=KERNEL_NAME,
            kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(spec_dir)]),
            connection_file=str(work / ".kernel-connection.json"),
        )
        client = _LimitedClient(
            notebook,
            km=km,
            timeout=limits.timeout,
            allow_errors=True,
            startup_timeout=limits.startup,
            record_timing=False,
            kernel_name=KERNEL_NAME,
            iopub_timeout=5,
            raise_on_iopub_timeout=False,
            shutdown_kernel="immediate",
        )
        client.output_limit = limits.output
        client.on_cell_executed = lambda cell, cell_index, execute_reply: replies.__setitem__(
            cell_index, _short_reply(execute_reply)
        )
        launch_env = {k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ}
        # The memory cap is on address space, and glibc reserves a 64 MB arena for each thread that
        # allocates: with two arenas the cap measures what a submission uses, not the kernel's threads.
        launch_env["MALLOC_ARENA_MAX"] = "2"
        launch_env[sweep.MARKER_ENV] = marker  # in every process the kernel forks
        _execute_cells(client, notebook, work, limits, launch_env, result, replies, started)
        result.output_truncated = client.truncated
    except Exception as problem:  # the kernel could not start: report, don't crash the grader
        code = _ended_with(client)
        ended = f", exit code {code}" if code is not None else ""
        result.crashed = result.crashed or f"the kernel could not be started ({problem}{ended})"
    finally:
        session = _stop(km)
        result.swept = sweep.sweep(marker=marker, work=str(work), session=session, keep=before)
        result.answers = read_answers(work / ANSWERS_DIR, tasks or [])
        result.cleanup = sweep.remove_tree(work)
        shutil.rmtree(spec_dir, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _short_reply(reply: dict[str, Any] | None) -> dict[str, Any]:
    """Only what scoring's reasons use: a reply's traceback can be as large as a student likes."""
    content = (reply or {}).get("content", {}) or {}
    return {
        "status": str(content.get("status", "ok"))[:20],
        "ename": str(content.get("ename", ""))[:200],
        "evalue": str(content.get("evalue", ""))[:1000],
    }


def read_limited(folder_fd: int, name: str, limit: int) -> bytes:
    """A regular file's bytes, opened without following links and without blocking; OSError else."""
    fd = os.open(name, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, dir_fd=folder_fd)
    try:
        import stat

        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{name} is not a regular file")
        if info.st_size > limit:
            raise OSError(f"{name} is larger than {limit // 1_000_000} MB")
        chunks, size = [], 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise OSError(f"{name} is larger than {limit // 1_000_000} MB")
        return b"".join(chunks)
    finally:
        os.close(fd)


def read_answers(folder: Path, tasks: list[str]) -> dict[str, Any]:
    """Each task's exported answers as JSON data, or a sentence saying why there are none."""
    found: dict[str, Any] = {}
    if not tasks:
        return found
    try:
        folder_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return {task: "no answers were exported (the notebook stopped before the task)" for task in tasks}
    budget = ANSWERS_LIMIT
    try:
        for task in tasks:
            try:
                data = read_limited(folder_fd, f"{task}.json", min(ANSWER_LIMIT, budget))
            except FileNotFoundError:
                found[task] = "no answers were exported (the notebook stopped before the task)"
                continue
            except OSError as problem:
                found[task] = f"the exported answers could not be read ({problem.strerror or problem})"
                continue
            budget -= len(data)
            try:
                parsed = json.loads(data.decode("ascii"))
            except (ValueError, RecursionError):
                found[task] = "the exported answers were not readable data"
                continue
            values = parsed.get("values") if isinstance(parsed, dict) else None
            if not isinstance(values, dict) or parsed.get("task") != task:
                found[task] = "the exported answers were not readable data"
                continue
            found[task] = values
    finally:
        os.close(folder_fd)
    return found


def _execute_cells(
    client: _LimitedClient,
    notebook: Any,
    work: Path,
    limits: Limits,
    env: dict[str, str],
    result: NotebookRun,
    replies: dict[int, dict[str, Any]],
    started: float,
) -> None:
    deadline = started + limits.total
    # cleanup_kc: nbclient only shuts down kernels it created itself, and this one we made.
    with client.setup_kernel(env=env, cwd=str(work), cleanup_kc=True):
        result.sandbox = "started"
        result.kernel_pid = int(getattr(client.km.provisioner, "pid", 0) or 0)
        group = getattr(client.km.provisioner, "pgid", None)
        if group and group != os.getpgid(0):
            LIVE_GROUPS.add(group)  # killed by this worker if the grader dies (orphans.py)
        for index, cell in enumerate(notebook.cells):
            if cell.cell_type != "code":
                continue
            if result.crashed:
                result.cells[index] = CellRun(index, "not run")
                continue
            left = deadline - time.perf_counter()
            if left < 1:
                result.crashed = f"the notebook used up its total time of {limits.total} s"
                result.cells[index] = CellRun(index, "not run")
                continue
            client.timeout = max(1, int(min(limits.timeout, left)))
            run = CellRun(index, "ok")
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                run.status, run.ename = "timeout", "Timeout"
                if client.timeout < limits.timeout:
                    run.evalue = f"the notebook used up its total time of {limits.total} s"
                    result.crashed = run.evalue
                else:
                    run.evalue = f"the cell ran longer than {limits.timeout} s and was stopped"
                    if not _recovered(client, limits):
                        result.crashed = f"the kernel did not respond after a cell ran longer than {limits.timeout} s"
            except DeadKernelError:
                run.status = "error"
                result.crashed = _exit_reason(_exit_code(client), limits)
                run.ename, run.evalue = "KernelDied", result.crashed
            else:
                # Only for the reasons a student reads; the score comes from the checks.
                reply = replies.get(index, {})
                if reply.get("status", "ok") != "ok":
                    run.status = "error"
                    run.ename = reply.get("ename", "Error") or "Error"
                    run.evalue = reply.get("evalue", "")
            result.cells[index] = run
        result.kernel_peak_mb = _peak_mb(client)


def _stop(km: AsyncKernelManager | None) -> int | None:
    """Stop the kernel and its process group; returns its session id for the sweep."""
    if km is None:
        return None
    pgid = getattr(km.provisioner, "pgid", None) if km.provisioner else None
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone, or half started
        pass
    if pgid and pgid != os.getpgid(0):
        sweep.kill_group(pgid)  # forked children share the kernel's group
        LIVE_GROUPS.discard(pgid)
        return pgid  # the kernel was started in a new session: its pid is both group and session
    return None


def _peak_mb(client: NotebookClient) -> float:
    """The kernel's peak resident memory (Linux /proc), for the benchmark's report."""
    try:
        pid = client.km.provisioner.pid
        with open(f"/proc/{pid}/status", encoding="ascii") as handle:
            for line in handle:
                if line.startswith("VmHWM:"):
                    return round(int(line.split()[1]) / 1024, 1)
    except (OSError, AttributeError, ValueError):
        pass
    return 0.0


def _ended_with(client: NotebookClient | None) -> int | None:
    """The kernel's exit code if it has ended, without waiting for one that still runs."""
    try:
        provisioner = client.km.provisioner if client is not None else None
        return run_sync(provisioner.poll)() if provisioner is not None else None
    except Exception:  # already cleaned up
        return None


def _exit_code(client: NotebookClient) -> int | None:
    """The exit code of a kernel known to be dead (it is waited for if it has not been reaped yet)."""
    code = _ended_with(client)
    if code is None:
        try:
            run_sync(client.km.provisioner.wait)()
        except Exception:  # already cleaned up
            return None
        code = _ended_with(client)
    return code


def _recovered(client: NotebookClient, limits: Limits) -> bool:
    """Interrupt a cell that timed out and check the kernel answers again."""
    try:
        run_sync(client.km.interrupt_kernel)()
        msg_id = client.kc.execute("pass", store_history=False)
        deadline = time.monotonic() + limits.probe
        while time.monotonic() < deadline:
            reply = run_sync(client.kc.shell_channel.get_msg)(timeout=max(0.1, deadline - time.monotonic()))
            if reply.get("parent_header", {}).get("msg_id") == msg_id:
                return True
    except Exception:  # no reply in time, or the kernel is gone
        return False
    return False
