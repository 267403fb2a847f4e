"""The official checks, run in a clean process the grader owns, against a student's plain answers.

`run_checks(job, ...)` starts ``python -I -m teachkit.grading.checker`` (isolated mode: no current
folder, no PYTHONPATH, no user site) with an almost empty environment, sends the job on stdin and
reads one JSON result from stdout with a size limit, under a wall-time, CPU and memory limit. The
process runs the solution's own setup cells, binds each task's rebuilt answers and runs the task's
test cell from the solution, hidden region included. Course data come from the course folder.

No student code runs here: answers arrive as plain data (plain.py). Every `check(...)` call is
observed in this process; a task's result lists what each check found. A hidden check's message
says what is wrong (too small, wrong type, missing rows) but never the expected value.
"""

from __future__ import annotations

import json
import os
import resource
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


def run_checks(
    job: dict[str, Any], *, course_root: str, timeout: float, memory_mb: int
) -> tuple[dict[str, Any] | None, str]:
    """Run `job` in a fresh checker process; (result, "") or (None, why it failed)."""
    env = {k: os.environ[k] for k in ("PATH", "LANG", "LC_ALL", "TZ") if k in os.environ}
    scratch = tempfile.mkdtemp(prefix="teachkit-check-")
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
        import shutil

        shutil.rmtree(scratch, ignore_errors=True)
    if process.returncode != 0 or len(out) > RESULT_LIMIT:
        return None, f"the checker stopped (exit status {process.returncode})"
    try:
        result = json.loads(out.decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None, "the checker's result was unreadable"
    return (result, "") if isinstance(result, dict) else (None, "the checker's result was unreadable")


# ------------------------------------------------------------------ inside the checker


def _segments(source: str) -> list[tuple[bool, str]]:
    """(hidden?, code) runs of a test cell, in order; marker lines become blank lines."""
    from ..authoring.exercise_set import BEGIN_HIDDEN, END_HIDDEN

    runs: list[tuple[bool, list[str]]] = []
    hidden = False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            hidden = True
            continue
        if END_HIDDEN in line:
            hidden = False
            continue
        if not runs or runs[-1][0] != hidden:
            runs.append((hidden, []))
        runs[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in runs]


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
    for hidden, code in _segments(task["source"]):
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


def main() -> None:
    """Read a job on stdin, write the result on stdout; the job names no student file."""
    job = json.loads(sys.stdin.buffer.read().decode("utf-8"))
    real_stdout = sys.stdout
    sys.stdout = sys.stderr  # prints of the setup cells must not corrupt the result
    from .. import checks

    observed: list[dict[str, Any]] = []

    def observe(outcome: Any, value: Any, expected: Any, rtol: float, atol: float, hint: str | None) -> None:
        hidden = observed_hidden[0]
        if hidden and outcome.answered and outcome.problems:
            problems = checks.hidden_problems(value, expected, rtol=rtol, atol=atol)
            if not problems:  # kind=, columns=, index= or length= failed: name none of them
                problems = ["the type, columns, index or length is not the expected one."]
            elif hint:
                problems.append(f"Hint: {hint}")
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
    if not results["setup"]:
        for task in job["tasks"]:
            results["tasks"].append(_run_task(task, base, observed))
    real_stdout.write(json.dumps(results, default=str))
    real_stdout.flush()


if __name__ == "__main__":
    main()
