"""Grade a folder of submissions on Dask into a gradebook and one feedback file per student.

One submission, two processes: its notebook runs alone in a sandboxed kernel (runner.py) that
only exports each task's answers as plain data (plain.py); the official tests then run in a clean
process of the grader's (checker.py) against those values. A task earns its points when every
check its test cell names ran and passed there; nothing the student's kernel reports counts. A
written answer waits for a person. `grade_job` is the whole of one submission, a plain dict in and
out, so any scheduler can call it. Results are stored one JSON file per submission, written
atomically, so an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import re
import resource
import sys
import time
import uuid
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import nbformat

from ..authoring.audit import secrets_of
from ..authoring.build import TEXT_STUBS
from ..authoring.exercise_set import (
    BEGIN_HIDDEN,
    END_HIDDEN,
    ExerciseSet,
    check_labels,
    is_answer_cell,
    is_test_cell,
    read_set,
    solution_paths,
    split_region,
)
from ..course import LANGUAGES, course_root
from ..responses import write_json_atomic
from .assemble import Assembled, assemble
from .checker import run_checks_served
from .runner import START_TRIES, Limits, NotebookRun, read_limited, run_notebook

GRADEBOOK_COLUMNS = ["student", "set", "task", "points", "max", "status", "reason"]
TEXT_COLUMNS = ("student", "set", "task", "status", "reason")  # escaped against spreadsheet formulas
REASON_LIMIT = 400
SUBMISSION_LIMIT = 20_000_000  # bytes of one notebook file


@dataclass
class TaskResult:
    task: str
    points: float | None
    max: float
    status: str  # passed | failed | not answered | error | timeout | crashed | manual | …
    reason: str = ""
    checks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class SubmissionResult:
    student: str
    set: str
    file: str
    sha256: str
    status: str  # graded | invalid | wrong set | unknown set | grader error
    reason: str = ""
    tasks: list[TaskResult] = field(default_factory=list)
    sandbox: str = ""
    seconds: float = 0.0
    metrics: dict[str, float] = field(default_factory=dict)
    lang: str = "en"  # the edition submitted (exercises/de/ → "de"): the language of its feedback

    @property
    def score(self) -> float:
        return sum(t.points or 0 for t in self.tasks)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SubmissionResult:
        tasks = [TaskResult(**t) for t in data.pop("tasks", [])]
        return cls(**data, tasks=tasks)


@dataclass
class GradeOptions:
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1  # worker processes of the local cluster
    force: bool = False
    set_name: str | None = None
    scheduler: str | None = None  # address of an existing Dask scheduler; else $DASK_SCHEDULER_ADDRESS
    dashboard: bool = False  # start the local cluster's dashboard (needs bokeh)


# ------------------------------------------------------------------ from a run to task results


def redact(text: str, secrets: Iterable[str]) -> str:
    """Remove any line of hidden test or solution code from text a student will read."""
    text = " ".join(text.split())  # secrets are whitespace-normalised lines too
    for secret in secrets:
        if secret in text:
            text = text.replace(secret, "[hidden]")
    return text if len(text) <= REASON_LIMIT else text[: REASON_LIMIT - 1] + "…"


def _error_reason(ename: str, evalue: str) -> str:
    if ename == "NameError":
        name = re.search(r"name '([^']+)'", evalue)
        what = f"`{name.group(1)}`" if name else "a variable"
        return f"{what} is not defined: the answer cell did not create it, or an earlier cell failed before it"
    if ename == "SystemExit":
        return "the code called sys.exit(), which stops a notebook; remove it"
    if ename == "MemoryError":
        return "the code tried to use more memory than allowed"
    if ename == "PermissionError":
        return f"{evalue} (a submission may only use its own folder and the course data)"
    if ename == "KeyboardInterrupt":
        return "the cell was interrupted"
    return f"{ename}: {evalue}" if evalue else ename


def setup_sources(exercise_set: ExerciseSet) -> list[str]:
    """The solution's own code cells that are neither answers nor tests: what the checks build on."""
    return [
        cell.source
        for cell in exercise_set.notebook.cells
        if cell.cell_type == "code" and not is_answer_cell(cell) and not is_test_cell(cell)
    ]


def test_segments(source: str) -> list[tuple[bool, str]]:
    """(hidden?, code) runs of a test cell, in order, without the marker lines."""
    runs: list[tuple[bool, list[str]]] = []
    hidden = False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line or END_HIDDEN in line:
            hidden = BEGIN_HIDDEN in line
            continue
        if not runs or runs[-1][0] != hidden:
            runs.append((hidden, []))
        runs[-1][1].append(line)
    return [(h, "\n".join(lines)) for h, lines in runs]


def check_job(exercise_set: ExerciseSet, assembled: Assembled, run: NotebookRun, lang: str = "en") -> dict[str, Any]:
    """What the clean check process needs: official code, each task's plain answers and the language
    the submission's feedback is written in (its edition), nothing else."""
    tasks = []
    for task in exercise_set.tasks:
        answers = run.answers.get(task.task_id)
        if task.kind == "auto" and isinstance(answers, dict):
            segments = test_segments(exercise_set.cell(task.task_id).source)
            tasks.append({"task": task.task_id, "segments": segments, "answers": answers})
    return {"setup": setup_sources(exercise_set), "tasks": tasks, "lang": lang}


def _labels(exercise_set: ExerciseSet, task_id: str) -> tuple[list[str], set[str]]:
    """Every check label a task's test cell names, and those in its hidden region."""
    official = exercise_set.cell(task_id).source
    hidden = set(check_labels("\n".join(split_region(official, BEGIN_HIDDEN, END_HIDDEN)[0])))
    return list(dict.fromkeys(check_labels(official))), hidden


def score_run(
    exercise_set: ExerciseSet,
    assembled: Assembled,
    run: NotebookRun,
    checked: dict[str, Any] | None,
    secrets: list[str],
    checker_problem: str = "",
) -> list[TaskResult]:
    """One result per task from the checks' own results; a reason a student can act on."""
    by_task = {t.get("task"): t for t in (checked or {}).get("tasks", []) if isinstance(t, dict)}
    results = []
    for task in exercise_set.tasks:
        index = assembled.task_cells.get(task.task_id)
        if task.kind == "manual":
            gid = task.task_id
            text = assembled.answer_text.get(gid, "").strip()
            if gid in assembled.missing_answers or not text or text in TEXT_STUBS.values():
                results.append(TaskResult(task.task_id, 0.0, task.points, "not answered", "no written answer"))
            else:
                results.append(
                    TaskResult(
                        task.task_id, None, task.points, "manual", "graded by hand with the rubric in the solution"
                    )
                )
            continue
        expected, hidden = _labels(exercise_set, task.task_id)
        status, reason, checks = _task_outcome(task.task_id, index, run, by_task, expected, hidden, checker_problem)
        checks = [
            {
                "label": redact(c["label"], secrets),
                "passed": c["passed"],
                "hidden": c["hidden"],
                "message": redact(c["message"], secrets),
            }
            for c in checks
        ]
        if status == "passed":
            results.append(TaskResult(task.task_id, task.points, task.points, "passed", "", checks))
            continue
        upstream = _upstream_problem(assembled, run, task.task_id, index)
        if upstream and status != "failed":
            reason = f"{upstream}; then: {reason}"
            if status == "error" and "timeout" in upstream:
                status = "timeout"
        results.append(TaskResult(task.task_id, 0.0, task.points, status, redact(reason, secrets), checks))
    return results


def _task_outcome(
    task_id: str,
    index: int | None,
    run: NotebookRun,
    by_task: dict[str, Any],
    expected: list[str],
    hidden: set[str],
    checker_problem: str,
) -> tuple[str, str, list[dict[str, Any]]]:
    """(status, reason, checks) of one autograded task; passed only when each expected check passed."""
    export = run.cells.get(index) if index is not None else None
    answers = run.answers.get(task_id)
    if not isinstance(answers, dict):
        if export is None or export.status == "not run":
            return "crashed", run.crashed or "the task's answers were not exported", []
        if export.status == "timeout":
            return "timeout", export.evalue, []
        if export.ename == "KernelDied":
            return "crashed", export.evalue, []
        return "error", str(answers or "the task's answers were not exported"), []
    outcome = by_task.get(task_id)
    if outcome is None:
        if "did not finish" in checker_problem:
            return "timeout", checker_problem, []
        return "error", checker_problem or "the checks did not run", []
    seen: dict[str, list[dict[str, Any]]] = {}
    for record in outcome.get("checks", []):
        if isinstance(record, dict) and isinstance(record.get("label"), str):
            seen.setdefault(record["label"], []).append(record)
    checks = []
    for label in expected:
        records = seen.get(label, [])
        if not records:
            checks.append({"label": label, "passed": False, "hidden": label in hidden, "message": "did not run"})
            continue
        passed = all(r.get("passed") is True for r in records)
        problems = [str(p) for r in records for p in r.get("problems", [])]
        checks.append({"label": label, "passed": passed, "hidden": label in hidden, "message": "; ".join(problems)})
    all_passed = bool(checks) and all(c["passed"] for c in checks)
    ename, evalue = str(outcome.get("ename", "")), str(outcome.get("evalue", ""))
    if outcome.get("status") == "ok" and all_passed:
        return "passed", "", checks
    failed = next((c for c in checks if not c["passed"] and c["message"] != "did not run"), None)
    if ename == "NotAnswered" or (failed and not any(r.get("answered", True) for r in seen.get(failed["label"], []))):
        return "not answered", evalue or f"{failed['label'] if failed else task_id}: not answered", checks
    if ename == "CheckFailed" or failed:
        where = failed or next((c for c in checks if not c["passed"]), None)
        text = evalue or (f"{where['label']}: {where['message']}" if where else "a check failed")
        return "failed", text, checks
    if ename:
        if ename in ("NameError", "MemoryError"):
            return "error", _error_reason(ename, evalue), checks
        what = f"{ename}: {evalue}" if evalue else ename
        return "error", f"the checks could not run on this answer ({what})", checks
    missing = [c["label"] for c in checks if c["message"] == "did not run"]
    return "failed", f"check(s) {', '.join(missing) or task_id} did not run", checks


def _upstream_problem(assembled: Any, run: NotebookRun, task: str, index: int | None) -> str:
    """The first failing student cell that leads to this task (answer or added cell)."""
    for at in sorted(run.cells):
        if index is not None and at >= index:
            break
        if assembled.owner.get(at) != task:
            continue
        cell = run.cells[at]
        if cell.status == "timeout":
            return f"a cell before the test hit the timeout ({cell.evalue})"
        if cell.status == "error" and cell.ename != "KernelDied":
            return f"a cell before the test failed with {_error_reason(cell.ename, cell.evalue)}"
    return ""


# ------------------------------------------------------------------ one submission

_SETS: dict[str, tuple[ExerciseSet, list[str]]] = {}


def _load_sets(paths: list[str]) -> dict[str, tuple[ExerciseSet, list[str]]]:
    for path in paths:
        if path not in _SETS:
            exercise_set = read_set(path)
            _SETS[path] = (exercise_set, [s.text for s in secrets_of(Path(path))])
    return {_SETS[p][0].name: _SETS[p] for p in paths}


def submission_language(notebook: Any) -> str:
    """The edition a submission belongs to: metadata teachkit.lang of a German exercise notebook, else English."""
    lang = (notebook or {}).get("metadata", {}).get("teachkit", {}).get("lang", "en")
    return lang if lang in LANGUAGES else "en"


def identify_set(notebook: Any, filename: str, known: Iterable[str]) -> str | None:
    named = notebook.get("metadata", {}).get("teachkit", {}).get("set") if notebook else None
    if named:
        return str(named)
    for name in sorted(known, key=len, reverse=True):
        if name in filename:
            return name
    return None


def _read_submission(path: Path) -> bytes:
    """The notebook's bytes: a regular file, not through a link, at most SUBMISSION_LIMIT bytes."""
    if path.is_symlink():
        raise OSError("is a symbolic link")
    folder_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    try:
        return read_limited(folder_fd, path.name, SUBMISSION_LIMIT)
    finally:
        os.close(folder_fd)


def grade_job(job: dict[str, Any]) -> dict[str, Any]:
    """Grade one submission file into a plain result dict (runs in a worker process); never raises.

    `job` holds only plain values (see grade_folder and cluster.grade_task), the notebook's bytes
    as `content` (else it is read from `path`); the result is SubmissionResult.to_dict().
    """
    started = time.perf_counter()
    path = Path(job["path"])
    result = SubmissionResult(student=job["student"], set="", file=job["relative"], sha256="", status="graded")
    try:
        data = job["content"] if "content" in job else _read_submission(path)
    except OSError as problem:
        result.status, result.set = "refused", job.get("set_name") or ""
        result.reason = (
            f"{path.name} {problem.strerror or problem}: submit the notebook file itself, not a link or special file"
        )
        return result.to_dict()
    result.sha256 = hashlib.sha256(data).hexdigest()
    try:
        sets = _load_sets(job["solutions"])
        _grade_into(result, data, path, sets, job)
    except Exception as problem:  # a grader bug must not stop the other submissions
        result.status = "grader error"
        result.reason = f"{type(problem).__name__}: {problem}"
    result.seconds = round(time.perf_counter() - started, 2)
    usage_self = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result.metrics["worker_peak_mb"] = round(usage_self / 1024, 1)
    return result.to_dict()


def _grade_into(
    result: SubmissionResult,
    data: bytes,
    path: Path,
    sets: dict[str, tuple[ExerciseSet, list[str]]],
    job: dict[str, Any],
) -> None:
    wanted = job.get("set_name")
    try:
        notebook = nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as problem:
        result.set = wanted or identify_set(None, path.name, sets) or ""
        result.status = "invalid"
        result.reason = (
            f"{path.name} is not a readable notebook ({type(problem).__name__}); "
            "download the exercise again, copy your answers in and resubmit"
        )
        return
    if wanted:  # the instructor chose the set: the notebook's metadata may only agree
        named = notebook.get("metadata", {}).get("teachkit", {}).get("set")
        if named and str(named) != wanted:
            result.status, result.set = "wrong set", wanted
            result.reason = (
                f"this notebook belongs to set {str(named)[:80]!r}, not {wanted!r}; "
                "submit the exercise notebook of the right set"
            )
            return
        name: str | None = wanted
    else:
        name = identify_set(notebook, path.name, sets)
    result.set = name or ""
    result.lang = submission_language(notebook)
    if name not in sets:
        result.status = "unknown set"
        result.reason = (
            f"no solution notebook for set {name[:80]!r}"
            if name
            else "the notebook names no exercise set; submit the exercise notebook itself"
        )
        return
    exercise_set, secrets = sets[name]
    assembled = assemble(notebook, exercise_set)
    limits = Limits(**job["limits"])
    auto = [t.task_id for t in exercise_set.tasks if t.kind == "auto"]
    run = run_notebook(
        assembled.notebook,
        data_dir=Path(job["data_dir"]),
        read_paths=job["read_paths"],
        limits=limits,
        grading=True,
        lang=result.lang,
        tasks=auto,
    )
    if not run.sandbox:  # no code of the submission ran: the machine failed, not the student
        raise RuntimeError(f"{run.crashed} in {START_TRIES} tries; grade again to retry this submission")
    result.sandbox = run.sandbox
    result.metrics["kernel_peak_mb"] = run.kernel_peak_mb
    result.metrics["kernel_pid"] = run.kernel_pid
    result.metrics["kernel_seconds"] = round(run.seconds, 2)
    result.metrics["swept_processes"] = run.swept
    checked, problem = None, ""
    job_for_checks = check_job(exercise_set, assembled, run, result.lang)
    if job_for_checks["tasks"]:
        started = time.perf_counter()
        checked, problem = run_checks_served(
            job_for_checks, course_root=job["course_root"], timeout=limits.checks, memory_mb=limits.memory
        )
        result.metrics["check_seconds"] = round(time.perf_counter() - started, 2)
        if checked and checked.get("setup"):
            raise RuntimeError(f"the solution's setup failed in the checker: {checked['setup']}")
    result.tasks = score_run(exercise_set, assembled, run, checked, secrets, problem)
    notes = []
    if run.output_truncated:
        notes.append(f"output beyond {limits.output // 1000} kB was dropped")
    if run.cleanup:
        notes.append(run.cleanup)
    result.reason = "; ".join(notes)


def _fail_rows(result: SubmissionResult, sets: dict[str, ExerciseSet]) -> list[list[Any]]:
    exercise_set = sets.get(result.set)
    if exercise_set is None:
        return [[result.student, result.set, "", 0, "", result.status, result.reason]]
    return [
        [result.student, result.set, t.task_id, 0, t.points, result.status, result.reason] for t in exercise_set.tasks
    ]


# ------------------------------------------------------------------ a folder


def discover(folder: Path) -> list[tuple[str, Path]]:
    """(student, file) pairs: `folder/<student>/…/*.ipynb` or `folder/<student>.ipynb`.

    Links are listed too (a linked folder as the link itself), so that grading refuses them by
    name instead of following them to another student's work or to the solutions.
    """
    found = []
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if d != ".ipynb_checkpoints")
        for name in sorted([*files, *(d for d in dirs if (Path(root) / d).is_symlink())]):
            path = Path(root) / name
            if not name.endswith(".ipynb") and not path.is_symlink():
                continue
            relative = path.relative_to(folder)
            student = relative.parts[0] if len(relative.parts) > 1 else path.stem.split("--")[0]
            found.append((student, path))
    return sorted(found, key=lambda pair: str(pair[1]))


_HASHED = re.compile(r"-[0-9a-f]{10}$")


def student_key(name: str) -> str:
    """A file-name-safe key, unique per exact name and stable across runs.

    A plain ASCII name is its own key; any other gets a readable slug plus a hash of the exact
    name, so `Müller` and `Möller` become `M_ller-<hash>` with two different hashes.
    """
    if re.fullmatch(r"[A-Za-z0-9._-]{1,120}", name) and name not in (".", "..") and not _HASHED.search(name):
        return name
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip(".")[:80] or "unnamed"
    return f"{slug}-{hashlib.sha256(name.encode('utf-8')).hexdigest()[:10]}"


def _key(student: str, relative: str) -> str:
    return f"{student_key(student)}--{student_key(relative)}"


class Progress:
    """A one-line progress bar on stderr (a line per tenth when not a terminal)."""

    def __init__(self, total: int, enabled: bool = True):
        self.total, self.done, self.enabled = total, 0, enabled
        self.started = time.perf_counter()
        self.tty = sys.stderr.isatty()
        self.last_tenth = -1

    def step(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled or not self.total:
            return
        share = self.done / self.total
        elapsed = time.perf_counter() - self.started
        eta = elapsed / self.done * (self.total - self.done)
        bar = "#" * int(share * 30)
        line = f"[{bar:<30}] {self.done}/{self.total} · {elapsed:.0f} s · about {eta:.0f} s left"
        if self.tty:
            print(f"\r{line} {label[:30]:<30}", end="", file=sys.stderr, flush=True)
            if self.done == self.total:
                print(file=sys.stderr)
        elif int(share * 10) != self.last_tenth:
            self.last_tenth = int(share * 10)
            print(line, file=sys.stderr, flush=True)


def grade_folder(
    submissions: Path,
    out: Path,
    options: GradeOptions | None = None,
    solutions: list[Path] | None = None,
    progress: bool = True,
    on_result: Callable[[SubmissionResult], None] | None = None,
) -> list[SubmissionResult]:
    """Grade every notebook under `submissions` on Dask; write results, gradebook.csv and feedback/.

    Each result is written as it arrives: its JSON file, its student's feedback, and the gradebook
    (at most every few seconds, and at the end), each replaced atomically and built from one result
    per submission, so an interrupted run leaves a consistent folder and a re-run grades only what
    is missing or changed.
    """
    from .cluster import course_fingerprint, dask_client, relative_solutions

    options = options or GradeOptions()
    submissions, out = Path(submissions).resolve(), Path(out).resolve()
    root = course_root()
    solution_files = [str(p.resolve()) for p in (solutions or solution_paths(root))]
    sets = {read_set(p).name: read_set(p) for p in solution_files}
    results_dir = out / "results"
    results_dir.mkdir(parents=True, exist_ok=True)
    named = relative_solutions(root, solution_files)
    fingerprint = course_fingerprint(root, named)
    done: dict[str, SubmissionResult] = {}
    todo: list[tuple[str, dict[str, Any]]] = []
    for student, path in discover(submissions):
        relative = str(path.relative_to(submissions))
        key = _key(student, relative)
        stored = results_dir / f"{key}.json"
        try:
            digest = hashlib.sha256(_read_submission(path)).hexdigest()
        except OSError:
            digest = ""  # refused below
        if stored.exists() and not options.force:
            try:
                previous = SubmissionResult.from_dict(json.loads(stored.read_text("utf-8")))
                if digest and previous.sha256 == digest and previous.status != "grader error":
                    done[key] = previous
                    continue
            except (ValueError, TypeError, KeyError):
                pass  # unreadable earlier result: grade again
        todo.append(
            (
                key,
                {
                    "path": str(path),
                    "relative": relative,
                    "student": student,
                    "solutions": named,
                    "fingerprint": fingerprint,
                    "protected": [str(submissions), str(out)],
                    "set_name": options.set_name,
                    "limits": asdict(options.limits),
                },
            )
        )
    bar = Progress(len(todo), enabled=progress)
    last_book = [time.monotonic()]

    def keep(key: str, data: dict[str, Any]) -> None:
        result = SubmissionResult.from_dict(data)
        write_json_atomic(results_dir / f"{key}.json", result.to_dict())
        done[key] = result
        mine = sorted((r for r in done.values() if r.student == result.student), key=lambda r: (r.set, r.file))
        write_feedback(out / "feedback", mine, sets)
        if time.monotonic() - last_book[0] > BOOK_EVERY:
            write_gradebook(out / "gradebook.csv", _ordered(done), sets)
            last_book[0] = time.monotonic()
        bar.step(result.student)
        if on_result:
            on_result(result)

    if todo:
        _run_on_dask(todo, keep, options, dask_client, bar)
    ordered = _ordered(done)
    write_gradebook(out / "gradebook.csv", ordered, sets)
    write_feedback(out / "feedback", ordered, sets)
    return ordered


BOOK_EVERY = 5.0  # seconds between gradebook rewrites while results arrive
IN_FLIGHT = 4  # submissions queued per worker: the client holds only these notebooks in memory


def _ordered(done: dict[str, SubmissionResult]) -> list[SubmissionResult]:
    return sorted(done.values(), key=lambda r: (r.student, r.set, r.file))


def _lost(job: dict[str, Any], digest: str, status: str, reason: str) -> dict[str, Any]:
    """The result of a submission no worker returned a grade for (its digest: resume knows it)."""
    lost = SubmissionResult(job["student"], job.get("set_name") or "", job["relative"], digest, status, reason)
    return lost.to_dict()


def _run_on_dask(
    todo: list[tuple[str, dict[str, Any]]],
    keep: Callable[[str, dict[str, Any]], None],
    options: GradeOptions,
    dask_client: Callable[..., Any],
    bar: Progress,
) -> None:
    """Submit one task per submission, a few per worker at a time, and keep each result once."""
    from distributed import as_completed
    from distributed.scheduler import KilledWorker

    from .cluster import CourseMismatch, grade_task

    told: set[str] = set()
    with dask_client(options.scheduler, options.jobs, options.limits.memory, options.dashboard) as client:
        if bar.enabled and client.dashboard_link and (options.dashboard or options.scheduler):
            print(f"Dask dashboard: {client.dashboard_link}", file=sys.stderr)
        workers = max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})) or options.jobs)
        queue = iter(todo)
        running = as_completed()
        jobs: dict[str, tuple[str, dict[str, Any], str]] = {}

        def submit_next() -> bool:
            for key, job in queue:
                try:
                    content = _read_submission(Path(job["path"]))
                except OSError:  # a link or special file: refused here, nothing to send
                    keep(key, grade_job(job))
                    continue
                task = {k: v for k, v in job.items() if k != "path"} | {"path": job["relative"]}
                future = client.submit(grade_task, task, content, key=f"grade-{key}-{uuid.uuid4().hex[:8]}", pure=False)
                jobs[future.key] = (key, job, hashlib.sha256(content).hexdigest())
                running.add(future)
                return True
            return False

        for _ in range(workers * IN_FLIGHT):
            if not submit_next():
                break
        for future in running:
            key, job, digest = jobs.pop(future.key)
            try:
                data = future.result()
            except KilledWorker as problem:
                data = _lost(
                    job,
                    digest,
                    "crashed",
                    f"grading this submission stopped the worker each time it was tried "
                    f"({problem.allowed_failures + 1} workers); it was not graded: look at it by hand, "
                    "then grade again with --force",
                )
            except CourseMismatch as problem:
                if str(problem) not in told:
                    told.add(str(problem))
                    print(f"\n{problem}", file=sys.stderr)
                data = _lost(job, digest, "grader error", str(problem))
            except Exception as problem:  # the cluster failed (cancelled, lost): graded again on a re-run
                why = f"no result from the cluster ({type(problem).__name__}: {problem}); grade again"
                data = _lost(job, digest, "grader error", why)
            keep(key, data)
            future.release()
            submit_next()


def gradebook_rows(results: list[SubmissionResult], sets: dict[str, ExerciseSet]) -> list[list[Any]]:
    rows = []
    for result in results:
        if result.status != "graded":
            rows += _fail_rows(result, sets)
            continue
        for task in result.tasks:
            rows.append(
                [
                    result.student,
                    result.set,
                    task.task,
                    "" if task.points is None else f"{task.points:g}",
                    f"{task.max:g}",
                    task.status,
                    task.reason,
                ]
            )
    return rows


def escape_cell(value: Any) -> Any:
    """Text a spreadsheet would run as a formula (= + - @, tab, CR) gets a leading apostrophe."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def escape_row(row: list[Any]) -> list[Any]:
    return [escape_cell(v) if col in TEXT_COLUMNS else v for col, v in zip(GRADEBOOK_COLUMNS, row, strict=True)]


def write_gradebook(path: Path, results: list[SubmissionResult], sets: dict[str, ExerciseSet]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(GRADEBOOK_COLUMNS)
    writer.writerows(escape_row(row) for row in gradebook_rows(results, sets))
    _write_text_atomic(path, buffer.getvalue())


def _write_text_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


FEEDBACK_WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Feedback for {student}",
        "not_graded": "Not graded — {status}:",
        "points": "{title}: {auto:g} of {possible:g} points",
        "by_hand_pending": " ({manual:g} still to be graded by hand)",
        "head": "| Task | Points | Result |",
        "by_hand": "by hand",
        "hidden": " (hidden check)",
        "gone": "(The solution for this set is no longer on file.)",
    },
    "de": {
        "title": "Rückmeldung für {student}",
        "not_graded": "Nicht bewertet – {status}:",
        "points": "{title}: {auto:g} von {possible:g} Punkten",
        "by_hand_pending": " ({manual:g} werden noch von Hand bewertet)",
        "head": "| Aufgabe | Punkte | Ergebnis |",
        "by_hand": "von Hand",
        "hidden": " (verdeckte Prüfung)",
        "gone": "(Die Lösung zu dieser Übung liegt nicht mehr vor.)",
    },
}
STATUS_WORDS = {
    "de": {
        "passed": "bestanden",
        "failed": "nicht bestanden",
        "not answered": "nicht beantwortet",
        "error": "Fehler",
        "timeout": "Zeitlimit überschritten",
        "crashed": "abgebrochen",
        "manual": "Bewertung von Hand",
        "invalid": "ungültige Datei",
        "wrong set": "falsche Übung",
        "unknown set": "unbekannte Übung",
        "grader error": "Fehler im Bewerter",
    }
}
"""Status names as a student of that edition reads them; the gradebook keeps the English ones."""
REASON_WORDS = {
    "de": {
        "no written answer": "keine schriftliche Antwort",
        "graded by hand with the rubric in the solution": "wird von Hand nach dem Bewertungsschema der Lösung bewertet",
        "did not run": "wurde nicht ausgeführt",
    }
}


def feedback_text(student: str, results: list[SubmissionResult], sets: dict[str, ExerciseSet]) -> str:
    """Markdown for one student: per task what passed, what failed and why; never test code.

    Written in the language of the edition the student submitted (German for exercises/de/)."""
    lang = results[0].lang if results and results[0].lang in FEEDBACK_WORDS else "en"
    words = FEEDBACK_WORDS[lang]
    status_word = STATUS_WORDS.get(lang, {})
    reason_word = REASON_WORDS.get(lang, {})
    lines = [f"# {words['title'].format(student=student)}", ""]
    for result in results:
        exercise_set = sets.get(result.set)
        title = result.set or result.file
        if result.status != "graded":
            status = status_word.get(result.status, result.status)
            lines += [f"## {title}", "", f"**{words['not_graded'].format(status=status)}** {result.reason}", ""]
            continue
        auto = sum(t.points or 0 for t in result.tasks)
        possible = sum(t.max for t in result.tasks)
        manual = sum(t.max for t in result.tasks if t.status == "manual")
        lines += [
            words["points"].format(title=f"## {title}", auto=auto, possible=possible)
            + (words["by_hand_pending"].format(manual=manual) if manual else ""),
            "",
        ]
        lines += [words["head"], "|---|---|---|"]
        for task in result.tasks:
            points = words["by_hand"] if task.points is None else f"{task.points:g} / {task.max:g}"
            mark = {"passed": "✔", "manual": "✎"}.get(task.status, "✘")
            lines.append(f"| {task.task} | {points} | {mark} {status_word.get(task.status, task.status)} |")
        lines.append("")
        for task in result.tasks:
            if task.status == "passed" and not task.checks:
                continue
            lines.append(f"### {task.task}")
            if task.reason and all(c["passed"] for c in task.checks):
                lines.append(reason_word.get(task.reason, task.reason))  # a failed check below already says it
            for check in task.checks:
                kind = words["hidden"] if check["hidden"] else ""
                mark = "✔" if check["passed"] else "✘"
                message = reason_word.get(check["message"], check["message"])  # the checks' own lines are in `lang`
                note = f": {message}" if message and not check["passed"] else ""
                lines.append(f"- {mark} {check['label']}{kind}{note}")
            lines.append("")
        if exercise_set is None:
            lines.append(words["gone"])
    return "\n".join(lines).rstrip() + "\n"


def write_feedback(folder: Path, results: list[SubmissionResult], sets: dict[str, ExerciseSet]) -> None:
    by_student: dict[str, list[SubmissionResult]] = {}
    for result in results:
        by_student.setdefault(result.student, []).append(result)
    for student, mine in by_student.items():
        _write_text_atomic(folder / f"{student_key(student)}.md", feedback_text(student, mine, sets))
