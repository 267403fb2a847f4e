"""The student bundle: what goes in, what never does, the leak audit, and that it runs."""

from __future__ import annotations

import json
import os
import shutil
import stat
import zipfile
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from teachkit.cli import main
from teachkit.release import MANIFEST, ReleaseError, build_release, leak_audit

ROOT = Path(__file__).resolve().parents[1]
SOLUTION_MARKER = "### BEGIN " + "SOLUTION"
HIDDEN_MARKER = "### BEGIN " + "HIDDEN TESTS"


def _notebook(*cells: str, markdown: str = "# Demo lesson") -> nbformat.NotebookNode:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(markdown)] + [nbformat.v4.new_code_cell(c) for c in cells]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return nb


LESSON_CELLS = (
    "from teachkit import setup, quiz, data\nsetup()",
    "import teachkit, pathlib, os\n"
    "bundle = pathlib.Path(os.environ['BUNDLE']).resolve()\n"
    "assert pathlib.Path(teachkit.__file__).resolve().is_relative_to(bundle), teachkit.__file__\n"
    "assert teachkit.course_root() == bundle",
    "result = quiz.answer('warmup-mittelstand', 0)\nassert result.correct, result.text()",
    "frame = data.load(data.names()[0])\nassert len(frame) > 0",
)


@pytest.fixture
def course(tmp_path: Path) -> Path:
    """A small course: the real engine, banks and data, one lesson, and instructor-only files."""
    root = tmp_path / "course"
    root.mkdir()
    for name in ("src", "quizzes", "data"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    for name in ("pyproject.toml", "requirements.txt", "start-course.sh", ".gitignore"):
        shutil.copy2(ROOT / name, root / name)
    (root / "README.md").write_text("# Demo course\n\nFor instructors.\n", encoding="utf-8")
    (root / "LICENSE").write_text("MIT\n", encoding="utf-8")
    for folder in (
        "notebooks",
        "exercises",
        "solutions",
        "docs",
        "tests",
        "notebooks/.ipynb_checkpoints",
        "exercises/__pycache__",
    ):
        (root / folder).mkdir(parents=True, exist_ok=True)
    nbformat.write(_notebook(*LESSON_CELLS), root / "notebooks" / "00-demo.ipynb")
    nbformat.write(_notebook("answer = ...  # your code here"), root / "exercises" / "01-demo-exercises.ipynb")
    nbformat.write(
        _notebook(
            f"{SOLUTION_MARKER}\nanswer = 42\n### END SOLUTION",
            f"{HIDDEN_MARKER}\nassert answer == 42\n### END HIDDEN TESTS",
        ),
        root / "solutions" / "01-demo-solutions.ipynb",
    )
    (root / "solutions" / "rubric.md").write_text("Full marks if ...\n", encoding="utf-8")
    (root / "exercises" / "capstone-rubric.md").write_text("Rubric\n", encoding="utf-8")
    (root / "docs" / "instructor-guide.md").write_text("# Guide\n", encoding="utf-8")
    (root / "docs" / "student-README.md").write_text("# Demo course for students\n", encoding="utf-8")
    (root / "tests" / "test_demo.py").write_text("def test(): pass\n", encoding="utf-8")
    (root / "responses.json").write_text('{"records": []}', encoding="utf-8")
    (root / "notebooks" / "responses.json").write_text("{}", encoding="utf-8")
    (root / "notebooks" / ".ipynb_checkpoints" / "00-demo-checkpoint.ipynb").write_text("{}")
    (root / "exercises" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    return root


def test_the_bundle_holds_what_students_need_and_nothing_else(course: Path, tmp_path: Path) -> None:
    result = build_release(tmp_path / "bundle", root=course)
    assert result.problems == []
    files = set(result.files)
    for wanted in (
        "notebooks/00-demo.ipynb",
        "exercises/01-demo-exercises.ipynb",
        "quizzes/01-digital-natives.yaml",
        "data/datapackage.json",
        "src/teachkit/__init__.py",
        "src/teachkit/quiz/model.py",
        "pyproject.toml",
        "requirements.txt",
        "start-course.sh",
        "README.md",
        "LICENSE",
        MANIFEST,
    ):
        assert wanted in files, wanted
    for part in (
        "solutions/",
        "docs/",
        "tests/",
        "rubric",
        "responses.json",
        "__pycache__",
        ".ipynb_checkpoints",
        ".egg-info",
    ):
        assert not any(part in f for f in files), part
    on_disk = {p.relative_to(result.bundle).as_posix() for p in result.bundle.rglob("*") if p.is_file()}
    assert on_disk == files
    readme = (result.bundle / "README.md").read_text(encoding="utf-8")
    assert readme == "# Demo course for students\n"
    manifest = json.loads((result.bundle / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["format"] == "teachkit-release"
    assert "notebooks/00-demo.ipynb" in manifest["files"]
    assert os.access(result.bundle / "start-course.sh", os.X_OK) == os.access(course / "start-course.sh", os.X_OK)


def test_a_generic_readme_is_written_when_the_course_has_none(course: Path, tmp_path: Path) -> None:
    (course / "docs" / "student-README.md").unlink()
    result = build_release(tmp_path / "bundle", root=course)
    readme = (result.bundle / "README.md").read_text(encoding="utf-8")
    assert readme.startswith("# Demo course\n")
    assert "bash start-course.sh" in readme and "export-responses" in readme


def test_the_leak_audit_stops_a_bundle_that_leaks(
    course: Path, tmp_path: Path, capsys: pytest.CaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    leaky = _notebook("answer = 42", f"{HIDDEN_MARKER}\nassert answer == 42")
    nbformat.write(leaky, course / "exercises" / "01-demo-exercises.ipynb")
    out = tmp_path / "bundle"
    monkeypatch.chdir(course)
    assert main(["release", "--out", str(out), "--zip"]) == 1
    err = capsys.readouterr().err
    assert f"exercises/01-demo-exercises.ipynb: contains the marker '{HIDDEN_MARKER}'" in err
    assert "do not hand it out" in err
    assert not out.with_name("bundle.zip").exists()


def test_the_audit_finds_instructor_files_put_in_by_hand(course: Path, tmp_path: Path) -> None:
    result = build_release(tmp_path / "bundle", root=course)
    (result.bundle / "solutions").mkdir()
    (result.bundle / "solutions" / "01.ipynb").write_text("{}", encoding="utf-8")
    (result.bundle / "notes.md").write_text(f"{SOLUTION_MARKER}\n", encoding="utf-8")
    problems = leak_audit(result.bundle)
    assert "solutions: instructor-only or private file in the bundle" in problems
    assert f"notes.md: contains the marker '{SOLUTION_MARKER}'" in problems


def test_release_refuses_to_write_where_it_would_do_harm(course: Path, tmp_path: Path) -> None:
    with pytest.raises(ReleaseError, match="inside notebooks/"):
        build_release(course / "notebooks" / "bundle", root=course)
    with pytest.raises(ReleaseError, match="holds the course itself"):
        build_release(tmp_path, root=course)
    other = tmp_path / "my-files"
    other.mkdir()
    (other / "thesis.docx").write_text("precious", encoding="utf-8")
    with pytest.raises(ReleaseError, match="not empty"):
        build_release(other, root=course)
    with pytest.raises(ReleaseError, match="not made by 'release'"):
        build_release(other, root=course, force=True)
    assert (other / "thesis.docx").exists()
    first = build_release(tmp_path / "bundle", root=course)
    (first.bundle / "stale.txt").write_text("old", encoding="utf-8")
    again = build_release(tmp_path / "bundle", root=course, force=True)
    assert not (again.bundle / "stale.txt").exists()
    inside = build_release(course / "dist" / "bundle", root=course)
    assert not any(f.startswith("dist/") for f in inside.files)


def test_the_zip_is_reproducible_and_keeps_the_start_script_executable(course: Path, tmp_path: Path) -> None:
    first = build_release(tmp_path / "a" / "student-bundle", root=course, zip_bundle=True)
    second = build_release(tmp_path / "b" / "student-bundle", root=course, zip_bundle=True)
    assert first.archive is not None and first.archive.name == "student-bundle.zip"
    assert first.archive.read_bytes() == second.archive.read_bytes()
    with zipfile.ZipFile(first.archive) as zf:
        names = zf.namelist()
        assert names == sorted(names) and all(n.startswith("student-bundle/") for n in names)
        mode = zf.getinfo("student-bundle/start-course.sh").external_attr >> 16
    assert bool(mode & stat.S_IXUSR) == os.access(course / "start-course.sh", os.X_OK)


def _run_lesson(bundle: Path, notebook: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run a lesson of the bundle with the bundle's own engine, as a student's kernel would."""
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(bundle))
    monkeypatch.setenv("PYTHONPATH", str(bundle / "src"))
    monkeypatch.setenv("BUNDLE", str(bundle))
    nb = nbformat.read(notebook, as_version=4)
    if notebook.name != "00-demo.ipynb":
        nb.cells.insert(1, nbformat.v4.new_code_cell(LESSON_CELLS[1]))
    NotebookClient(
        nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}
    ).execute()


def test_a_lesson_runs_from_the_bundle_with_the_bundles_own_engine(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    result = build_release(tmp_path / "bundle", root=course)
    shutil.rmtree(course)  # nothing may be borrowed from the course folder
    _run_lesson(result.bundle, result.bundle / "notebooks" / "00-demo.ipynb", monkeypatch)


def test_the_shipped_course_releases_cleanly_and_its_first_lesson_runs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lessons = sorted((ROOT / "notebooks").glob("*.ipynb"))
    if not lessons:
        pytest.skip("this checkout has no lessons in notebooks/ yet")
    result = build_release(tmp_path / "student-bundle", root=ROOT, zip_bundle=True)
    assert result.problems == []
    assert not any(f.startswith(("solutions/", "tests/", "docs/")) for f in result.files)
    _run_lesson(result.bundle, result.bundle / "notebooks" / lessons[0].name, monkeypatch)


def test_binder_builds_the_course_from_requirements_txt() -> None:
    """repo2docker reads the top level only when there is no binder/ folder; it needs a Python
    new enough for the pinned pandas and NumPy, and `-e .` to install the engine."""
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    runtime = (ROOT / "runtime.txt").read_text(encoding="utf-8").strip()
    major, minor = (int(x) for x in runtime.removeprefix("python-").split("."))
    assert (major, minor) >= (3, 11), runtime
    lines = (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
    assert "-e ." in [line.strip() for line in lines]


def test_release_command_writes_bundle_and_zip(
    course: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture
) -> None:
    monkeypatch.chdir(course / "notebooks")  # the course is found from inside it
    out = tmp_path / "week-03"
    assert main(["release", "--out", str(out), "--zip"]) == 0
    said = capsys.readouterr().out
    assert f"to {out} and {tmp_path / 'week-03.zip'}" in said and "found nothing" in said
    assert main(["release", "--out", str(out)]) == 1
    assert "add --force" in capsys.readouterr().err
    assert main(["release", "--out", str(out), "--force"]) == 0


BLOCKER = """
import importlib.abc, sys
allowed = {{'teachkit.' + m.removesuffix('.py').replace('/', '.') for m in {runtime!r}}}
allowed = {{m.removesuffix('.__init__') for m in allowed}} | {{'teachkit'}}

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.startswith('teachkit.') and name not in allowed:
            raise ModuleNotFoundError(f'{{name}} is not part of the student runtime', name=name)
        return None

sys.meta_path.insert(0, Block())
import teachkit, teachkit.checks, teachkit.glossary, teachkit.charts, teachkit.messages
from teachkit.quiz.widget import QuizSet
from teachkit.cli import build_parser
commands = set(build_parser()._subparsers._group_actions[0].choices)
assert {{'export-responses', 'check-banks', 'schema'}} <= commands, commands
assert not {{'grade', 'collect', 'release', 'audit-release'}} & commands, commands
blocked = [m for m in sys.modules if m.startswith('teachkit.') and m not in allowed]
assert not blocked, blocked
print('runtime ok')
"""


def test_the_student_runtime_imports_without_any_instructor_module() -> None:
    """Every engine module outside release.STUDENT_RUNTIME is made unimportable; the runtime still works."""
    import subprocess
    import sys

    from teachkit.release import STUDENT_RUNTIME

    code = BLOCKER.format(runtime=STUDENT_RUNTIME)
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "MPLBACKEND": "Agg"}
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0 and "runtime ok" in done.stdout, done.stderr[-2000:]


def test_the_bundle_has_no_authoring_grading_or_instructor_module_and_passes_audit_release(
    tmp_path: Path, capsys: pytest.CaptureFixture
) -> None:
    result = build_release(tmp_path / "student-bundle", root=ROOT)
    assert result.problems == []
    engine = {f.removeprefix("src/teachkit/") for f in result.files if f.startswith("src/teachkit/")}
    from teachkit.release import STUDENT_RUNTIME

    assert engine == set(STUDENT_RUNTIME)
    for gone in ("authoring/", "grading/", "handgrade", "collect", "instructor_commands", "release", "analytics"):
        assert not any(gone in f for f in engine), gone
    assert main(["audit-release", str(result.bundle)]) == 0, capsys.readouterr().err
    # … and the audit still fails on a real leak: one solution line copied into a lesson.
    solution = next((ROOT / "solutions").glob("*-solutions.ipynb"))
    from teachkit.authoring.audit import secrets_of

    secret = max(secrets_of(solution), key=lambda s: len(s.text)).text
    lesson = next((result.bundle / "notebooks").glob("*.ipynb"))
    nb = nbformat.read(lesson, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell(secret))
    nbformat.write(nb, lesson)
    capsys.readouterr()
    assert main(["audit-release", str(result.bundle)]) == 1
    assert "do not hand this folder out" in capsys.readouterr().err
