"""Issue 18: every attack a determined student tried, graded in one run beside an honest student.

The submissions are built by tests/hostile_submissions.py. Each attack must score nothing it did
not earn, the honest student must score as when graded alone, no feedback may carry hidden-test
text in any encoding, the run must stay within its limits, and nothing may be left behind.
"""

from __future__ import annotations

import base64
import binascii
import csv
import os
import re
import sys
import time
import zlib
from pathlib import Path

import pytest

from teachkit.authoring.exercise_set import BEGIN_HIDDEN, END_HIDDEN, nbgrader_meta, read_set, split_region
from teachkit.grading.grader import GradeOptions, escape_cell, grade_folder, student_key
from teachkit.grading.runner import Limits, python_read_paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile_submissions as hostile  # noqa: E402

LIMITS = Limits(timeout=8, memory=1024, total=25, checks=60)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    base = tmp_path_factory.mktemp("attacks")
    subs, out, scratch = base / "submissions", base / "out", base / "tmp"
    scratch.mkdir()
    ceilings = hostile.build(subs)
    # inputs that must not mislead: links, look-alike names, a formula as a name
    (subs / "linked-file").mkdir()
    (subs / "linked-file" / f"{hostile.SET}-exercises.ipynb").symlink_to(hostile.SOLUTION)
    (subs / "linked-folder").symlink_to(subs / "honest", target_is_directory=True)
    for name in ("Müller", "Möller", "=HYPERLINK(1)"):
        (subs / name).mkdir()
        honest = (subs / "honest" / f"{hostile.SET}-exercises.ipynb").read_bytes()
        (subs / name / f"{hostile.SET}-exercises.ipynb").write_bytes(honest)
    options = GradeOptions(limits=LIMITS, jobs=2, set_name=hostile.SET)
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("TMPDIR", str(scratch))  # the kernels' and checkers' folders: this run's alone
        results = grade_folder(subs, out, options, progress=False)
    seconds = time.perf_counter() - started
    return {
        "results": {r.student: r for r in results},
        "ceilings": ceilings,
        "subs": subs,
        "out": out,
        "scratch": scratch,
        "seconds": seconds,
        "options": options,
    }


def test_every_attack_scores_nothing_it_did_not_earn(run: dict) -> None:
    results, ceilings = run["results"], run["ceilings"]
    scores = {name: results[name].score for name in ceilings}
    assert scores["honest"] == hostile.HONEST
    over = {name: (score, ceilings[name]) for name, score in scores.items() if score > ceilings[name]}
    assert over == {}
    for name in ("env-grading-off", "fake-modules", "isclose", "sneaky-objects", "post-run-hook", "do-execute"):
        assert results[name].status == "graded" and scores[name] == 0, name


def test_harmful_submissions_keep_their_honest_points(run: dict) -> None:
    results = run["results"]
    for name in ("error-flood", "setsid-fork", "immutable-file"):
        assert results[name].score == hostile.HONEST, (
            name,
            [(t.task, t.status, t.reason) for t in results[name].tasks],
        )
    assert "was dropped" in results["error-flood"].reason
    assert results["error-flood"].metrics["worker_peak_mb"] < 900
    data = {t.task: t.status for t in results["data-rewrite"].tasks}
    assert data["eu-series"] == data["gap-change"] == data["registered"] == "failed"
    forged = {t.task: t.reason for t in results["forge-answers"].tasks if t.task != "reflection"}
    assert "could not be read" in forged["registered"] and "could not be read" in forged["right-source"]
    assert all(t.status != "passed" for t in results["forge-folder"].tasks)


def test_honest_student_scores_as_when_graded_alone(run: dict, tmp_path: Path) -> None:
    alone = tmp_path / "alone"
    (alone / "honest").mkdir(parents=True)
    (alone / "honest" / f"{hostile.SET}-exercises.ipynb").write_bytes(
        (run["subs"] / "honest" / f"{hostile.SET}-exercises.ipynb").read_bytes()
    )
    [single] = grade_folder(alone, tmp_path / "out", GradeOptions(limits=LIMITS, jobs=1), progress=False)
    crowd = run["results"]["honest"]
    assert [(t.task, t.points, t.status) for t in single.tasks] == [(t.task, t.points, t.status) for t in crowd.tasks]


def _hidden_tokens() -> list[str]:
    """Distinctive pieces of set 01's hidden tests: their code lines and private names."""
    exercise_set = read_set(hostile.SOLUTION)
    tokens: set[str] = set()
    for cell in exercise_set.notebook.cells:
        if not nbgrader_meta(cell).get("grade"):
            continue
        hidden = split_region(cell.source, BEGIN_HIDDEN, END_HIDDEN)[0]
        for line in hidden:
            line = line.strip()
            if len(line) > 20 and not line.startswith(("hint=", '"', "'")):
                tokens.add(line[:40])
        tokens |= {m for m in re.findall(r"\b_[a-z]+\b", "\n".join(hidden)) if len(m) > 3}
    assert "_expected" in tokens and len(tokens) > 10
    return sorted(tokens)


def _decodings(text: str) -> list[str]:
    """The text itself and what any long token in it decodes to (base64, hex; zlib inside)."""
    found = [text]
    for token in re.findall(r"[A-Za-z0-9+/=_-]{24,}", text):
        for decode in (base64.b64decode, base64.urlsafe_b64decode, binascii.unhexlify):
            try:
                raw = decode(token + "=" * (-len(token) % 4) if decode is not binascii.unhexlify else token)
            except (ValueError, binascii.Error):
                continue
            for data in (raw, _inflate(raw)):
                if data:
                    found.append(data.decode("utf-8", "replace"))
    return found


def _inflate(raw: bytes) -> bytes:
    try:
        return zlib.decompress(raw)
    except zlib.error:
        return b""


def test_no_feedback_carries_hidden_test_text_in_any_encoding(run: dict) -> None:
    tokens = _hidden_tokens()
    files = [*(run["out"] / "feedback").glob("*.md"), run["out"] / "gradebook.csv", *(run["out"] / "results").glob("*")]
    leak = run["results"]["leak"]
    assert any("RuntimeError" in t.reason for t in leak.tasks)  # the attack's blob did reach a reason
    for path in files:
        for text in _decodings(path.read_text(encoding="utf-8")):
            assert [t for t in tokens if t in text] == [], path.name


def test_failed_hidden_checks_say_what_is_wrong_without_the_value(run: dict) -> None:
    tasks = {t.task: t for t in run["results"]["data-rewrite"].tasks}
    gap = next(c for c in tasks["gap-change"].checks if c["hidden"])
    assert not gap["passed"] and gap["message"].startswith(("too small", "too large", "your numbers", "round"))
    assert not re.search(r"\d\.\d", gap["message"])  # no number is shown, so not the expected one


def test_run_stays_within_its_limits_and_leaves_nothing(run: dict) -> None:
    results = run["results"]
    slow = results["slow-cells"]
    assert any("total time of 25 s" in t.reason for t in slow.tasks)
    per_submission = LIMITS.total + LIMITS.checks + LIMITS.startup
    assert all(r.seconds <= per_submission for r in results.values())
    assert run["seconds"] < len(results) * per_submission / 2
    assert sorted(p.name for p in run["scratch"].iterdir()) == []  # work, spec and checker folders
    assert results["setsid-fork"].metrics.get("swept_processes", 0) >= 1
    deadline = time.monotonic() + 5
    while _leftovers(run["scratch"]) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _leftovers(run["scratch"]) == []


def _leftovers(scratch: Path) -> list[int]:
    """Processes of this run still alive: a start-up command line naming one of its work folders."""
    found = []
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/cmdline", "rb") as handle:
                if str(scratch).encode() in handle.read():
                    found.append(int(name))
        except OSError:
            continue
    return found


def test_links_are_refused(run: dict) -> None:
    for name in ("linked-file", "linked-folder"):
        result = run["results"][name]
        assert result.status == "refused" and "link" in result.reason and not result.tasks


def test_lookalike_names_keep_their_own_files_on_first_run_and_resume(run: dict) -> None:
    for attempt in range(2):
        results = (
            run["results"]
            if attempt == 0
            else {r.student: r for r in grade_folder(run["subs"], run["out"], run["options"], progress=False)}
        )
        assert results["Müller"].score == results["Möller"].score == hostile.HONEST
        assert student_key("Müller") != student_key("Möller")
        feedback = {p.name for p in (run["out"] / "feedback").glob("*.md")}
        assert {f"{student_key('Müller')}.md", f"{student_key('Möller')}.md"} <= feedback
        assert "# Feedback for Müller" in (run["out"] / "feedback" / f"{student_key('Müller')}.md").read_text("utf-8")
        with open(run["out"] / "gradebook.csv", newline="", encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        students = [r["student"] for r in rows if r["task"] == "eu-series"]
        assert students.count("Müller") == students.count("Möller") == 1


def test_gradebook_cells_cannot_be_formulas(run: dict) -> None:
    text = (run["out"] / "gradebook.csv").read_text(encoding="utf-8")
    assert "\n'=HYPERLINK(1)," in text and "\n=HYPERLINK" not in text
    assert escape_cell("+1") == "'+1" and escape_cell("@x") == "'@x" and escape_cell("ok") == "ok"


def test_read_paths_leave_out_the_current_folder_and_pythonpath(tmp_path: Path, monkeypatch) -> None:
    elsewhere = tmp_path / "instructor-home"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    monkeypatch.setenv("PYTHONPATH", str(elsewhere))
    monkeypatch.setattr(sys, "path", [str(elsewhere), *sys.path])
    paths = python_read_paths([])
    assert str(elsewhere) not in paths and not any(p.startswith(str(elsewhere)) for p in paths)
    assert any(Path(p, "site-packages").exists() or p.endswith("site-packages") for p in paths)


def test_student_keys_are_stable_unique_and_safe() -> None:
    names = ["good", "Müller", "Möller", "M_ller", "a b", "a_b", "x-0123456789", "..", "=1"]
    keys = [student_key(n) for n in names]
    assert len(set(keys)) == len(keys) and keys[0] == "good"
    assert all(re.fullmatch(r"[A-Za-z0-9._-]+", k) and k not in (".", "..") for k in keys)
    assert [student_key(n) for n in names] == keys
