"""Run one notebook cell by cell in a fresh, limited kernel inside its own temporary folder.

The runner records what each cell did (ok, error, timeout, not run) and which checks it ran; it
never raises for anything the notebook does. A cell that runs too long is interrupted and the
kernel probed; a kernel that dies ends the run with a reason taken from its exit status.
"""

from __future__ import annotations

import contextlib
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

from ..checks import GRADING_ENV, LOG_ENV
from .orphans import LIVE_GROUPS

KERNEL_NAME = "teachkit-sandbox"
CHECK_LOG = ".teachkit-checks.jsonl"


@dataclass
class Limits:
    """What one submission may use. Defaults suit a short pandas exercise set."""

    timeout: int = 30  # seconds per cell
    memory: int = 1024  # MB of address space for the kernel
    output: int = 1_000_000  # bytes of output kept per notebook
    startup: int = 60  # seconds for the kernel to start
    probe: int = 10  # seconds a kernel gets to answer after an interrupted cell


@dataclass
class CellRun:
    index: int
    status: str  # ok | error | timeout | not run
    ename: str = ""
    evalue: str = ""
    checks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class NotebookRun:
    cells: dict[int, CellRun] = field(default_factory=dict)
    crashed: str = ""  # why the kernel stopped, if it did
    sandbox: str = ""
    output_truncated: bool = False
    seconds: float = 0.0
    kernel_peak_mb: float = 0.0
    kernel_pid: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["cells"] = {str(k): asdict(v) for k, v in self.cells.items()}
        return data


class _LimitedClient(NotebookClient):
    """An nbclient that keeps at most `output_limit` bytes of output for the whole notebook."""

    output_limit = 1_000_000
    output_used = 0
    truncated = False

    def output(self, outs: list[Any], msg: dict[str, Any], display_id: str | None, cell_index: int) -> Any:
        if msg.get("msg_type") == "error":  # never dropped: it decides the score
            return super().output(outs, msg, display_id, cell_index)
        content = msg.get("content", {})
        size = len(str(content.get("text", ""))) + len(json.dumps(content.get("data", {})))
        self.output_used += size
        if self.output_used > self.output_limit:
            self.truncated = True
            return None
        return super().output(outs, msg, display_id, cell_index)


def python_read_paths(protected: list[Path]) -> list[str]:
    """Folders the kernel must read to run Python, minus any that would expose `protected` ones."""
    import teachkit

    candidates = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix) if p}
    candidates |= {Path(p).resolve() for p in sys.path if p and Path(p).is_dir()}
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
    notebook: Any, *, data_dir: Path, read_paths: list[str], limits: Limits, grading: bool = True, lang: str = "en"
) -> NotebookRun:
    """Execute `notebook` (changed in place) in a sandboxed kernel; never raises for its content.

    `lang` is the submission's edition: the kernel's checks speak it (TEACHKIT_LANG)."""
    started = time.perf_counter()
    work = Path(tempfile.mkdtemp(prefix="teachkit-run-"))
    spec_dir = Path(tempfile.mkdtemp(prefix="teachkit-spec-"))
    result = NotebookRun()
    replies: dict[int, dict[str, Any]] = {}
    km = None
    try:
        course = work / "course"
        shutil.copytree(data_dir, course / "data")
        (course / "quizzes").mkdir()
        env_args = [
            f"TEACHKIT_COURSE_ROOT={course}",
            f"TEACHKIT_RESPONSES={work / 'responses.json'}",
            f"{LOG_ENV}={work / CHECK_LOG}",
            f"{GRADING_ENV}={'1' if grading else '0'}",
            f"TEACHKIT_LANG={lang}",
        ]
        cpu = limits.timeout * (len(notebook.cells) + 2)
        argv = [
            sys.executable,
            "-m",
            "teachkit.grading.sandbox_kernel",
            "--work",
            str(work),
            "--memory",
            str(limits.memory),
            "--cpu",
            str(cpu),
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
            cell_index, execute_reply.get("content", {}) if execute_reply else {}
        )
        launch_env = {k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ}
        _execute_cells(client, notebook, work, limits, launch_env, result, replies)
        result.output_truncated = client.truncated
    except Exception as problem:  # the kernel could not start: report, don't crash the grader
        result.crashed = result.crashed or f"the kernel could not be started ({problem})"
    finally:
        _stop(km)
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(spec_dir, ignore_errors=True)
    result.seconds = time.perf_counter() - started
    return result


def _read_checks(log: Path, offset: int) -> tuple[list[dict[str, Any]], int]:
    try:
        with open(log, "rb") as handle:
            handle.seek(offset)
            data = handle.read(1_000_000)
    except OSError:
        return [], offset
    records = []
    for line in data.decode("utf-8", "replace").splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(record, dict) and "label" in record:
            records.append(record)
    return records, offset + len(data)


def _execute_cells(
    client: _LimitedClient,
    notebook: Any,
    work: Path,
    limits: Limits,
    env: dict[str, str],
    result: NotebookRun,
    replies: dict[int, dict[str, Any]],
) -> None:
    log, offset = work / CHECK_LOG, 0
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
            run = CellRun(index, "ok")
            try:
                client.execute_cell(cell, index)
            except CellTimeoutError:
                run.status, run.ename = "timeout", "Timeout"
                run.evalue = f"the cell ran longer than {limits.timeout} s and was stopped"
                if not _recovered(client, limits):
                    result.crashed = f"the kernel did not respond after a cell ran longer than {limits.timeout} s"
            except DeadKernelError:
                run.status = "error"
                result.crashed = _exit_reason(_exit_code(client), limits)
                run.ename, run.evalue = "KernelDied", result.crashed
            else:
                # The kernel's reply decides, not the outputs: code can silence a traceback.
                reply = replies.get(index, {})
                if reply.get("status", "ok") != "ok":
                    run.status = "error"
                    run.ename = str(reply.get("ename", "Error"))
                    run.evalue = str(reply.get("evalue", ""))
            run.checks, offset = _read_checks(log, offset)
            result.cells[index] = run
        result.kernel_peak_mb = _peak_mb(client)


def _stop(km: AsyncKernelManager | None) -> None:
    """Make sure the kernel and anything it forked are gone, whatever happened before."""
    if km is None:
        return
    pgid = getattr(km.provisioner, "pgid", None) if km.provisioner else None
    try:
        if km.has_kernel:
            run_sync(km.shutdown_kernel)(now=True)
    except Exception:  # already gone, or half started
        pass
    if pgid and pgid != os.getpgid(0):
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pgid, signal.SIGKILL)  # forked children share the kernel's group
        LIVE_GROUPS.discard(pgid)


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


def _exit_code(client: NotebookClient) -> int | None:
    try:
        provisioner = client.km.provisioner
        code = run_sync(provisioner.poll)() if provisioner else None
        if code is None and provisioner is not None:
            run_sync(provisioner.wait)()
            code = run_sync(provisioner.poll)()
        return code
    except Exception:  # already cleaned up
        return None


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
