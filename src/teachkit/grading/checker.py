"""The official checks, run in a clean process the grader owns, against a student's plain answers.

`run_checks(job, ...)` starts ``python -I -m teachkit.grading.checker`` (isolated mode: no current
folder, no PYTHONPATH, no user site) with an almost empty environment, sends the job on stdin and
reads one JSON result from stdout with a size limit, under a wall-time, CPU and memory limit. The
process runs the solution's own setup cells, binds each task's rebuilt answers and runs the task's
test cell from the solution, hidden region included. Course data come from the course folder.

No student code runs here: answers arrive as plain data (plain.py). Every `check(...)` call is
observed in this process; a task's result lists what each check found. A hidden check's message
says what is wrong (too small, wrong type, missing rows) but never the expected value. The job's
`lang` (the edition submitted) is the language of every message, public and hidden.
"""

from __future__ import annotations

import contextlib
import json
import os
import resource
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
from typing import Any

RESULT_LIMIT = 2_000_000  # bytes of result JSON the grader reads back
MESSAGE_LIMIT = 600


# ------------------------------------------------------------------ the grader's side


def _checker_env(course_root: str, scratch: str) -> dict[str, str]:
    """An almost empty environment: the course to read data from, and a scratch HOME."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    env.update(
        {
            "TEACHKIT_COURSE_ROOT": course_root,
            "TEACHKIT_GRADING": "1",
            "HOME": scratch,
            "MPLCONFIGDIR": scratch,
            "MPLBACKEND": "Agg",
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
        }
    )
    return env


def run_checks(
    job: dict[str, Any], *, course_root: str, timeout: float, memory_mb: int
) -> tuple[dict[str, Any] | None, str]:
    """Run `job` in a fresh checker process; (result, "") or (None, why it failed)."""
    scratch = tempfile.mkdtemp(prefix="teachkit-check-")
    env = _checker_env(course_root, scratch)
    payload = json.dumps(job).encode("utf-8")
    limit_bytes = memory_mb * 1024 * 1024
    cpu = max(5, int(timeout) + 1)

    def confine() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (limit_bytes, limit_bytes))
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))

    try:
        process = subprocess.Popen(
            [sys.executable, "-I", "-m", "teachkit.grading.checker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env,
            cwd=scratch,
            preexec_fn=confine,  # noqa: PLW1509 (the grader starts no threads that fork)
            start_new_session=True,
        )
        try:
            out, _ = process.communicate(payload, timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None, f"the checks did not finish within {timeout:.0f} s"
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if process.returncode != 0 or len(out) > RESULT_LIMIT:
        return None, f"the checker stopped (exit status {process.returncode})"
    try:
        result = json.loads(out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None, "the checker's result was unreadable"
    return (result, "") if isinstance(result, dict) else (None, "the checker's result was unreadable")


# ------------------------------------------------------------------ inside the checker


def _compile(source: str, name: str) -> Any:
    try:
        return compile(source, name, "exec")
    except SyntaxError:
        from IPython.core.inputtransformer2 import TransformerManager

        return compile(TransformerManager().transform_cell(source), name, "exec")


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 1] + "…"


def _run_task(task: dict[str, Any], base: dict[str, Any], observed: list[dict[str, Any]]) -> dict[str, Any]:
    from ..checks import CheckFailed, NotAnswered
    from .plain import PlainError, rebuild

    namespace = dict(base)
    result: dict[str, Any] = {"task": task["task"], "status": "ok", "ename": "", "evalue": "", "checks": []}
    for name, data in task["answers"].items():
        if isinstance(data, dict) and data.get("t") == "missing":
            namespace.pop(name, None)
            continue
        try:
            namespace[name] = rebuild(data)
        except (PlainError, TypeError, ValueError, OverflowError, RecursionError) as problem:
            result.update(status="error", ename="PlainError", evalue=f"`{name}` could not be read back: {problem}")
            return result
    start = len(observed)
    for hidden, code in task["segments"]:
        observed_hidden[0] = hidden
        try:
            exec(_compile(code, f"<test {task['task']}>"), namespace)
        except NotAnswered as problem:
            result.update(status="error", ename="NotAnswered", evalue=_short(str(problem)) if not hidden else "")
            break
        except CheckFailed as problem:
            result.update(status="error", ename="CheckFailed", evalue=_short(str(problem)) if not hidden else "")
            break
        except NameError as problem:
            result.update(status="error", ename="NameError", evalue=_short(str(problem)))
            break
        except Exception as problem:  # a test that cannot run on this answer
            result.update(status="error", ename=type(problem).__name__, evalue="" if hidden else _short(str(problem)))
            break
    result["checks"] = observed[start:]
    return result


observed_hidden = [False]  # whether the code running now is a hidden region


def evaluate(job: dict[str, Any]) -> dict[str, Any]:
    """Run the job's setup cells, then each task's test cell on its rebuilt answers."""
    from .. import checks
    from ..course import LANGUAGES, set_language

    observed: list[dict[str, Any]] = []
    lang = job.get("lang") if job.get("lang") in LANGUAGES else "en"

    def observe(outcome: Any, value: Any, expected: Any, rtol: float, atol: float, hint: str | None) -> None:
        hidden = observed_hidden[0]
        if hidden and outcome.answered and outcome.problems:
            problems = checks.hidden_problems(value, expected, rtol=rtol, atol=atol, lang=lang)
            if not problems:  # kind=, columns=, index= or length= failed: name none of them
                problems = [checks.say("hidden_structure", lang)]
            elif hint:
                problems.append(checks.say("hint", lang, hint=hint))
        else:
            problems = list(outcome.problems)
        observed.append(
            {
                "label": outcome.label,
                "passed": outcome.passed,
                "answered": outcome.answered,
                "hidden": hidden,
                "problems": [_short(p) for p in problems][:5],
            }
        )

    checks.OBSERVERS.append(observe)
    base: dict[str, Any] = {"__name__": "__main__"}
    results: dict[str, Any] = {"setup": "", "tasks": []}
    started = time.perf_counter()
    for number, source in enumerate(job["setup"]):
        try:
            exec(_compile(source, f"<setup {number}>"), base)
        except Exception:
            results["setup"] = _short(traceback.format_exc(limit=2))
            break
    results["setup_seconds"] = round(time.perf_counter() - started, 3)
    set_language(lang)  # after the setup cells, whose setup() may name a language of its own
    if not results["setup"]:
        for task in job["tasks"]:
            results["tasks"].append(_run_task(task, base, observed))
    return results


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


def serve() -> None:
    """A clean checker that forks one child per job: imports are paid once per grading worker.

    This process only imports libraries and reads jobs; it never runs a job's code. Each job runs
    in a fork of it, under its own memory and CPU limits, and ends with that child, so no state
    of one submission can reach the next. Frames on stdout: b"P" + child pid, b"R" + result,
    b"X" + the child's exit status.
    """
    import matplotlib  # noqa: F401
    import numpy  # noqa: F401
    import pandas  # noqa: F401

    from .. import checks, data  # noqa: F401
    from . import plain  # noqa: F401

    sys.stdout = sys.stderr
    server = os.getpid()
    while True:
        try:
            header = _read_exactly(0, 16)
            job = _read_exactly(0, int(header[:8]))
        except (EOFError, ValueError, OSError):
            return
        memory, cpu = int(header[8:16]) * 1024 * 1024, None
        pid = os.fork()
        if pid == 0:
            try:
                os.setpgid(0, 0)
                from .orphans import die_with_parent

                die_with_parent(server)  # a fork does not inherit the server's death signal
                parsed = json.loads(job.decode("utf-8"))
                cpu = max(5, int(parsed.get("cpu", 60)))
                resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
                resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 2))
                _write_all(1, b"P" + b"%08d" % os.getpid())
                out = json.dumps(evaluate(parsed), default=str).encode("utf-8")
                _write_all(1, b"R" + b"%010d" % len(out) + out)
                os._exit(0)
            except BaseException:
                os._exit(70)
        _, status = os.waitpid(pid, 0)
        _write_all(1, b"X" + b"%08d" % (os.waitstatus_to_exitcode(status) & 0xFFFF))


class CheckServer:
    """The grader's handle on one `serve()` process; restarted when it fails."""

    def __init__(self, course_root: str, memory_mb: int) -> None:
        self.course_root, self.memory_mb = course_root, memory_mb
        self.scratch = tempfile.mkdtemp(prefix="teachkit-check-")
        self.process = subprocess.Popen(
            [sys.executable, "-I", "-m", "teachkit.grading.checker", "--serve", str(os.getpid())],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=_checker_env(course_root, self.scratch),
            cwd=self.scratch,
            start_new_session=True,
        )

    def close(self) -> None:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            with contextlib.suppress(OSError):
                stream.close()
        shutil.rmtree(self.scratch, ignore_errors=True)

    def _frame(self, deadline: float, size: int) -> bytes:
        out = self.process.stdout.fileno()
        chunks, left = [], size
        while left:
            wait = deadline - time.monotonic()
            if wait <= 0 or not select.select([out], [], [], wait)[0]:
                raise TimeoutError
            chunk = os.read(out, left)
            if not chunk:
                raise EOFError
            chunks.append(chunk)
            left -= len(chunk)
        return b"".join(chunks)

    def run(self, job: dict[str, Any], timeout: float) -> tuple[dict[str, Any] | None, str]:
        payload = json.dumps({**job, "cpu": int(timeout) + 1}).encode("utf-8")
        self.process.stdin.write(b"%08d%08d" % (len(payload), self.memory_mb) + payload)
        self.process.stdin.flush()
        deadline = time.monotonic() + timeout
        child, result, problem = 0, None, ""
        try:
            kind = self._frame(deadline, 1)
            if kind == b"P":
                child = int(self._frame(deadline, 8))
                kind = self._frame(deadline, 1)
            if kind == b"R":
                size = int(self._frame(deadline, 10))
                if size > RESULT_LIMIT:
                    raise EOFError
                result = json.loads(self._frame(deadline, size).decode("utf-8"))
                kind = self._frame(deadline + 5, 1)
            if kind != b"X":
                raise EOFError
            code = int(self._frame(deadline + 5, 8))
            if result is None:
                problem = f"the checker stopped (exit status {code})"
        except TimeoutError:
            if child:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(child, signal.SIGKILL)
            self.close()  # its stream may be mid-frame: start afresh next time
            raise
        if not isinstance(result, dict):
            return None, problem or "the checker's result was unreadable"
        return result, ""


_SERVERS: dict[tuple[str, int], CheckServer] = {}


def close_servers() -> None:
    """Stop this process's check servers (the grader calls it when a run ends)."""
    while _SERVERS:
        _SERVERS.popitem()[1].close()


def run_checks_served(
    job: dict[str, Any], *, course_root: str, timeout: float, memory_mb: int
) -> tuple[dict[str, Any] | None, str]:
    """`run_checks` through this process's check server; a fresh process when the server fails."""
    key = (course_root, memory_mb)
    for _ in range(2):
        server = _SERVERS.get(key)
        if server is None or server.process.poll() is not None:
            if server is not None:
                server.close()
            server = _SERVERS[key] = CheckServer(course_root, memory_mb)
            if len(_SERVERS) == 1:
                import atexit
                from multiprocessing import util

                atexit.register(close_servers)
                util.Finalize(None, close_servers, exitpriority=10)  # pool workers skip atexit
        try:
            return server.run(job, timeout)
        except TimeoutError:
            _SERVERS.pop(key, None)
            return None, f"the checks did not finish within {timeout:.0f} s"
        except (EOFError, OSError, ValueError):
            _SERVERS.pop(key, None)
            server.close()
    return run_checks(job, course_root=course_root, timeout=timeout, memory_mb=memory_mb)


def main() -> None:
    """One job on stdin, its result on stdout; or, with --serve PARENT, a check server."""
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        from .orphans import die_with_parent

        die_with_parent(int(sys.argv[2]))
        serve()
        return
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # prints of the setup cells must not corrupt the result
    results = evaluate(job)
    real_stdout.write(json.dumps(results, default=str))
    real_stdout.flush()


if __name__ == "__main__":
    main()
