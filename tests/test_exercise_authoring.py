"""One source for exercises: build, sync check and leak audit."""

from __future__ import annotations

import json
import shutil
import zipfile
from pathlib import Path

import nbformat

from teachkit.authoring.audit import audit_release
from teachkit.authoring.build import build_exercises, stub_for
from teachkit.authoring.exercise_set import lint, read_set, solution_paths
from teachkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
SOLUTION = ROOT / "solutions" / "01-digital-natives-solutions.ipynb"
EXERCISE = ROOT / "exercises" / "01-digital-natives-exercises.ipynb"


def test_stub_keeps_the_variable_the_task_asks_for() -> None:
    stub = stub_for("young = df[df.a > 1]\nshares = young.mean()")
    assert stub == "shares = ...  # your code here"
    assert stub_for("def gap(a, b=1):\n    return a - b").startswith("def gap(a, b=1):\n    ...")
    assert stub_for("print('x')") == "...  # your code here"


def test_exercises_are_in_sync_with_solutions() -> None:
    assert main(["build-exercises", "--check"]) == 0


def test_check_detects_a_stale_or_missing_exercise(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    source = tmp_path / "solutions" / SOLUTION.name
    shutil.copy(SOLUTION, source)
    [result] = build_exercises([source], check=True)
    assert result.changed and not result.path.exists()
    build_exercises([source])
    assert not build_exercises([source], check=True)[0].changed
    notebook = json.loads(source.read_text())
    notebook["cells"][0]["source"] = ["# 01 · Changed title — Solutions"]
    source.write_text(json.dumps(notebook))
    assert build_exercises([source], check=True)[0].changed


def test_generated_exercise_has_stubs_and_no_secrets() -> None:
    notebook = nbformat.read(EXERCISE, as_version=4)
    text = EXERCISE.read_text()
    assert notebook.cells[0].source.startswith("# 01 · Digital natives as customers — Exercises")
    assert "BEGIN" not in text and "wrong_solutions" not in text
    sources = [c.source for c in notebook.cells if c.cell_type == "code"]
    assert "eu_series = ...  # your code here\neu_series" in sources
    assert all(not c.get("outputs") for c in notebook.cells if c.cell_type == "code")
    assert notebook.metadata["teachkit"]["set"] == "01-digital-natives"
    tests = [c for c in notebook.cells if c.metadata.get("nbgrader", {}).get("grade") and c.cell_type == "code"]
    assert tests and all(c.metadata["editable"] is False for c in tests)


def test_every_set_is_well_formed() -> None:
    for path in solution_paths(ROOT):
        assert lint(read_set(path)) == [], path.name


def test_audit_passes_the_exercises_folder() -> None:
    assert main(["audit-release", str(ROOT / "exercises")]) == 0


def test_audit_finds_solution_text_markers_outputs_and_bundled_solutions(tmp_path: Path) -> None:
    release = tmp_path / "release"
    release.mkdir()
    leaked = nbformat.read(EXERCISE, as_version=4)
    answer = next(c for c in leaked.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "gap-change-answer")
    answer.source = 'gap = eu_series["young"] - eu_series["old"]\n' + answer.source
    nbformat.write(leaked, release / EXERCISE.name)
    (release / "notes.md").write_text("Remember: ### BEGIN HIDDEN TESTS\n")
    executed = nbformat.read(SOLUTION, as_version=4)  # outputs show results: not in exercises
    for cell in executed.cells:
        cell.source = ""
    nbformat.write(executed, release / "99-copy-exercises.ipynb")
    shutil.copytree(ROOT / "notebooks", release / "notebooks")  # lessons keep their outputs
    with zipfile.ZipFile(release / "bundle.zip", "w") as bundle:
        bundle.write(SOLUTION, f"solutions/{SOLUTION.name}")
    problems = audit_release(release, [SOLUTION])
    assert any(EXERCISE.name in p and "gap-change-answer" in p and "solution in" in p for p in problems)
    assert any("notes.md" in p and "BEGIN HIDDEN TESTS" in p for p in problems)
    assert any("bundle.zip!solutions/" in p for p in problems)
    assert any("99-copy-exercises.ipynb" in p and "has outputs" in p for p in problems)
    assert not any(p.startswith("notebooks/") for p in problems)
    assert main(["audit-release", str(release), "--solutions", str(SOLUTION)]) == 1


def test_lint_names_a_hint_mapping_without_english_or_the_sets_translation(tmp_path: Path) -> None:
    (tmp_path / "solutions").mkdir()
    source = tmp_path / "solutions" / SOLUTION.name
    notebook = nbformat.read(SOLUTION, as_version=4)
    [cell] = [c for c in notebook.cells if '"right_source value"' in c.source]
    start = cell.source.index("hint={")
    cell.source = cell.source[:start] + 'hint={"en": "Check the year."})\n### END HIDDEN TESTS'
    [cell] = [c for c in notebook.cells if '"gap_change_pp value"' in c.source]
    start = cell.source.index("hint={")
    cell.source = cell.source[:start] + 'hint={"de": "Prüfen Sie das Jahr."})\n### END HIDDEN TESTS'
    nbformat.write(notebook, source)
    untranslated = lint(read_set(source))
    assert untranslated == [
        f"{SOLUTION.name}, cell 'gap-change', check 'gap_change_pp value': its hint mapping has no text for en; "
        'write hint={"en": "…", …} with a text for each language of the set.'
    ]
    po = tmp_path / "translations" / "de" / f"{source.stem}.po"
    po.parent.mkdir(parents=True)
    shutil.copy(ROOT / "translations" / "de" / po.name, po)
    problems = lint(read_set(source))
    assert problems[0] == untranslated[0]
    assert problems[1:] == [
        f"{SOLUTION.name}, cell 'right-source', check 'right_source value': its hint mapping has no text "
        'for de; write hint={"de": "…", …} with a text for each language of the set.'
    ]


def test_every_hint_of_a_translated_set_has_each_language() -> None:
    """No plain-text hint is left in a translated set: a German student would read it in English."""
    for path in solution_paths(ROOT):
        if not (ROOT / "translations" / "de" / f"{path.stem}.po").is_file():
            continue
        for cell in read_set(path).notebook.cells:
            if cell.cell_type == "code" and "hint=" in cell.source:
                assert 'hint="' not in cell.source and "hint='" not in cell.source, (path.name, cell.source)
