"""The German edition's machinery on small courses in temporary folders (never the real course).

extract: units, carried-over translations, fuzzy with the previous English, obsolete units, idempotence;
status and check; build: refusal naming the cell, --allow-incomplete, fingerprints, links, exercises;
tr() and decimal marks; the edition language by folder; release --lang; start-course.sh --lang.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import polib
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from teachkit import course, strings
from teachkit.cli import main
from teachkit.translation.build import BuildRefused, build_all, out_of_date, rebase_links, translate_notebook
from teachkit.translation.units import check_po, code_strings, extract, po_path, stale_units, status

ROOT = Path(__file__).resolve().parents[1]


def lesson(*cells: nbformat.NotebookNode) -> nbformat.NotebookNode:
    notebook = new_notebook(cells=list(cells))
    for number, cell in enumerate(notebook.cells):
        cell.id = f"cell-{number}"
    return notebook


@pytest.fixture
def tiny(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A course with one lesson: a title, a section, a code cell with two tr() strings."""
    for folder in ("quizzes", "data", "notebooks", "solutions"):
        (tmp_path / folder).mkdir()
    notebook = lesson(
        new_markdown_cell("# 01 · Demo\n\n**Time:** about 10 minutes."),
        new_markdown_cell("## Section\n\nSee [the exercises](../exercises/01-demo-exercises.ipynb)."),
        new_code_cell('from teachkit import tr\nprint(tr("Share of firms"), tr("{n} firms", n=3))'),
        new_markdown_cell(""),
    )
    nbformat.write(notebook, tmp_path / "notebooks" / "01-demo.ipynb")
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(tmp_path))
    return tmp_path


def source(root: Path) -> Path:
    return root / "notebooks" / "01-demo.ipynb"


def translate_all(root: Path, prefix: str = "DE ") -> None:
    catalogue = polib.pofile(str(po_path(source(root), "de", root)))
    for entry in catalogue:
        entry.msgstr = prefix + entry.msgid
    catalogue.save()


def edit_cell(root: Path, index: int, text: str) -> None:
    notebook = nbformat.read(source(root), as_version=4)
    notebook.cells[index].source = text
    nbformat.write(notebook, source(root))


# ------------------------------------------------------------------ extract


def test_extract_writes_one_unit_per_markdown_cell_and_tr_string(tiny: Path) -> None:
    result = extract(source(tiny), "de", tiny)
    assert result.written and result.added == 4 and result.units == 4
    catalogue = polib.pofile(str(result.po))
    assert result.po == tiny / "translations" / "de" / "01-demo.po"
    assert [(e.msgctxt, e.msgid) for e in catalogue] == [
        ("cell-0", "# 01 · Demo\n\n**Time:** about 10 minutes."),
        ("cell-1", "## Section\n\nSee [the exercises](../exercises/01-demo-exercises.ipynb)."),
        ("code:cell-2", "Share of firms"),
        ("code:cell-2", "{n} firms"),
    ]
    assert catalogue[0].comment == "cell 1 (markdown): # 01 · Demo"
    assert catalogue.metadata["Language"] == "de"
    assert catalogue.metadata["Content-Type"] == "text/plain; charset=UTF-8"
    assert catalogue.metadata["Project-Id-Version"] == "01-demo"


def test_extract_twice_changes_nothing(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    first = extract(source(tiny), "de", tiny)  # normalises polib's own save once
    text = first.po.read_text(encoding="utf-8")
    again = extract(source(tiny), "de", tiny)
    assert not again.written and again.po.read_text(encoding="utf-8") == text


def test_a_changed_english_cell_keeps_its_translation_marked_fuzzy_with_the_previous_english(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    edit_cell(tiny, 1, "## Section\n\nSee the exercises.")
    result = extract(source(tiny), "de", tiny)
    assert result.fuzzy == ["cell-1"]
    entry = next(e for e in polib.pofile(str(result.po)) if e.msgctxt == "cell-1")
    assert "fuzzy" in entry.flags
    assert entry.msgid == "## Section\n\nSee the exercises."
    assert entry.previous_msgid == "## Section\n\nSee [the exercises](../exercises/01-demo-exercises.ipynb)."
    assert entry.msgstr.startswith("DE ## Section")
    # a second change keeps the English the translation was made from
    edit_cell(tiny, 1, "## Section\n\nSee the exercise set.")
    extract(source(tiny), "de", tiny)
    entry = next(e for e in polib.pofile(str(result.po)) if e.msgctxt == "cell-1")
    assert entry.previous_msgid == "## Section\n\nSee [the exercises](../exercises/01-demo-exercises.ipynb)."


def test_a_changed_tr_string_becomes_fuzzy_in_its_cell(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    edit_cell(tiny, 2, 'from teachkit import tr\nprint(tr("Share of all firms"), tr("{n} firms", n=3))')
    result = extract(source(tiny), "de", tiny)
    assert result.fuzzy == ["code:cell-2"]
    entry = next(e for e in polib.pofile(str(result.po)) if e.msgid == "Share of all firms")
    assert entry.previous_msgid == "Share of firms" and entry.msgstr == "DE Share of firms"


def test_a_removed_cell_is_reported_and_kept_as_obsolete_when_translated(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    notebook = nbformat.read(source(tiny), as_version=4)
    del notebook.cells[1]
    nbformat.write(notebook, source(tiny))
    result = extract(source(tiny), "de", tiny)
    assert result.obsolete == ["cell-1: ## Section"]
    catalogue = polib.pofile(str(result.po))
    assert [e.msgctxt for e in catalogue.obsolete_entries()] == ["cell-1"]
    assert "cell-1" not in {e.msgctxt for e in catalogue.translated_entries()}
    assert '#~ msgctxt "cell-1"' in result.po.read_text(encoding="utf-8")


def test_a_cell_under_a_new_id_with_the_same_english_reuses_the_translation(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    notebook = nbformat.read(source(tiny), as_version=4)
    notebook.cells[1].id = "moved"
    nbformat.write(notebook, source(tiny))
    extract(source(tiny), "de", tiny)
    assert status(source(tiny), "de", tiny).translated == 4


def test_code_strings_are_literal_first_arguments_of_tr_only() -> None:
    code = 'tr("A")\nx.tr("B", n=1)\ntr(name)\nprint("C")\ntr("A")\n%matplotlib inline'
    assert code_strings(code) == ["A", "B"]


# ------------------------------------------------------------------ status, stale units, check


def test_status_counts_translated_fuzzy_and_missing(tiny: Path) -> None:
    assert status(source(tiny), "de", tiny).missing == 4  # no .po yet: everything missing
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    edit_cell(tiny, 0, "# 01 · Demo\n\n**Time:** about 12 minutes.")
    before_extract = status(source(tiny), "de", tiny)
    assert (before_extract.translated, before_extract.fuzzy, before_extract.missing) == (3, 1, 0)
    extract(source(tiny), "de", tiny)
    after = status(source(tiny), "de", tiny)
    assert (after.translated, after.fuzzy, after.missing, after.complete) == (3, 1, 0, False)
    assert round(after.percent(after.translated), 1) == 75.0


def test_status_cli_strict_fails_unless_complete(tiny: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["translate", "extract"]) == 0
    assert main(["translate", "status", "--strict"]) == 1
    translate_all(tiny)
    assert main(["translate", "status", "--strict"]) == 0
    assert "01-demo       4     4 100.0 %     0   0.0 %     0   0.0 %" in capsys.readouterr().out


def test_stale_units_carry_a_diff_of_the_english_change(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    edit_cell(tiny, 0, "# 01 · Demo\n\n**Time:** about 12 minutes.")
    (stale,) = stale_units(source(tiny), "de", tiny)
    assert stale.context == "cell-0" and stale.notebook == "notebooks/01-demo.ipynb"
    assert "-**Time:** about 10 minutes.\n+**Time:** about 12 minutes." in stale.diff()


def test_check_names_broken_headings_links_placeholders_and_edited_msgids(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    catalogue = polib.pofile(str(po_path(source(tiny), "de", tiny)))
    catalogue[0].msgstr = "01 · Demo ohne Überschrift"
    catalogue[1].msgstr = "## Abschnitt\n\nSiehe die Übungen."
    catalogue[3].msgstr = "{anzahl} Unternehmen"
    catalogue[2].msgid = "Share of all firms"  # a translator must never edit msgid
    catalogue[2].msgstr = "Anteil"
    catalogue.save()
    problems = check_po(source(tiny), "de", tiny)
    name = "translations/de/01-demo.po"
    assert problems == [
        f"{name}, cell-0 (cell 1 (markdown): # 01 · Demo): keep one translated heading for each English heading "
        "(# …), so links and quiz pointers find them",
        f"{name}, cell-1 (cell 2 (markdown): ## Section): the local link or image "
        "'../exercises/01-demo-exercises.ipynb' must stay in the translation",
        f"{name}, code:cell-2 (cell 3 (code): tr('Share of firms')): the English text (msgid) differs from the "
        "notebook; run `translate extract`",
        f"{name}, code:cell-2 (cell 3 (code): tr('{{n}} firms')): keep the {{placeholders}} of the English text "
        "unchanged (code fills them in)",
    ]


# ------------------------------------------------------------------ build


def test_build_refuses_missing_and_fuzzy_units_naming_notebook_and_cell(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    catalogue = polib.pofile(str(po_path(source(tiny), "de", tiny)))
    catalogue[0].msgstr = "# 01 · Demo\n\n**Zeit:** etwa 10 Minuten."
    catalogue.save()
    with pytest.raises(BuildRefused) as refused:
        build_all([source(tiny)], "de", tiny, execute=False, explicit=True)
    text = str(refused.value)
    assert "notebooks/01-demo.ipynb, cell 2 (id cell-1): missing" in text
    assert "notebooks/01-demo.ipynb, cell 3 (code cell-2): missing tr('Share of firms')" in text
    assert "--allow-incomplete" in text
    assert not (tiny / "notebooks" / "de").exists()


def test_whole_course_build_skips_incomplete_notebooks_visibly(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    (built,) = build_all([source(tiny)], "de", tiny, execute=False, explicit=False)
    assert built.skipped.startswith("4 unit(s) not translated") and "skipped" in built.line()
    assert not (tiny / "notebooks" / "de" / "01-demo.ipynb").exists()


def test_allow_incomplete_keeps_english_visibly_marked(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    (built,) = build_all([source(tiny)], "de", tiny, execute=False, allow_incomplete=True)
    german = nbformat.read(tiny / "notebooks" / "de" / "01-demo.ipynb", as_version=4)
    assert german.cells[0].source.startswith("# 01 · Demo")
    assert german.cells[0].source.endswith("Noch nicht übersetzt: Dieser Abschnitt steht noch auf Englisch.*")
    assert german.metadata["teachkit"]["edition"]["incomplete"] == ["cell-0", "cell-1"]


def test_build_translates_prose_copies_code_rebases_links_and_records_a_fingerprint(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    (built,) = build_all([source(tiny)], "de", tiny, execute=False)
    assert built.changed and built.target == "notebooks/de/01-demo.ipynb"
    english = nbformat.read(source(tiny), as_version=4)
    german = nbformat.read(tiny / "notebooks" / "de" / "01-demo.ipynb", as_version=4)
    assert german.cells[0].source == "DE # 01 · Demo\n\n**Time:** about 10 minutes."
    assert "(../../exercises/de/01-demo-exercises.ipynb)" in german.cells[1].source
    assert german.cells[2].source == english.cells[2].source
    edition = german.metadata["teachkit"]["edition"]
    assert edition["lang"] == "de" and edition["source"] == "notebooks/01-demo.ipynb"
    assert out_of_date(tiny, "de") == []
    assert json.loads((tiny / "translations" / "de" / "code-strings.json").read_text(encoding="utf-8")) == {
        "language": "de",
        "strings": {"Share of firms": "DE Share of firms", "{n} firms": "DE {n} firms"},
    }
    # nothing changed: a second build writes nothing
    (again,) = build_all([source(tiny)], "de", tiny, execute=False)
    assert not again.changed


def test_a_changed_translation_makes_the_built_notebook_out_of_date(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    build_all([source(tiny)], "de", tiny, execute=False)
    translate_all(tiny, prefix="Neu: ")
    problems = out_of_date(tiny, "de")
    assert [p.path for p in problems] == ["notebooks/de/01-demo.ipynb", "translations/de/code-strings.json"]
    assert "built from an older notebooks/01-demo.ipynb or translations/de/01-demo.po" in problems[0].message


def test_a_complete_translation_never_built_is_reported(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    problems = out_of_date(tiny, "de")
    assert problems[0].path == "notebooks/de/01-demo.ipynb"
    assert problems[0].message == "the translation is complete but the notebook was never built"


def test_rebase_links_points_up_one_more_level_and_to_the_same_edition() -> None:
    text = "[a](../exercises/01-x-exercises.ipynb#Task) [b](../docs/img/q.png) [c](02-y.ipynb) [d](https://x.org/a)"
    assert rebase_links(text, "de") == (
        "[a](../../exercises/de/01-x-exercises.ipynb#Task) [b](../../docs/img/q.png) [c](02-y.ipynb) "
        "[d](https://x.org/a)"
    )
    # a path written as code, as lessons name their exercise set, follows the same rule
    assert rebase_links("Work in `../exercises/01-x-exercises.ipynb`.", "de") == (
        "Work in `../../exercises/de/01-x-exercises.ipynb`."
    )


def test_translate_notebook_never_uses_a_fuzzy_unit(tiny: Path) -> None:
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    edit_cell(tiny, 0, "# 01 · Demo\n\n**Time:** about 12 minutes.")
    extract(source(tiny), "de", tiny)
    translated = translate_notebook(source(tiny), "de", tiny)
    assert translated.missing == ["cell 1 (id cell-0): fuzzy"]


def test_build_executes_the_german_notebook_in_german(tiny: Path) -> None:
    shutil.copytree(ROOT / "data", tiny / "data", dirs_exist_ok=True)
    extract(source(tiny), "de", tiny)
    translate_all(tiny)
    (built,) = build_all([source(tiny)], "de", tiny)
    assert not built.problem and built.seconds > 0
    german = nbformat.read(tiny / "notebooks" / "de" / "01-demo.ipynb", as_version=4)
    assert german.cells[2].outputs[0]["text"] == "DE Share of firms DE 3 firms\n"


# ------------------------------------------------------------------ runtime: language, tr, numbers


def test_a_notebook_folder_of_an_edition_decides_the_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEACHKIT_LANG", "en")
    course.set_language(None)
    (tmp_path / "notebooks" / "de").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "notebooks" / "de")
    assert course.language() == "de"
    course.set_language("en")  # setup(lang=...) still wins
    assert course.language() == "en"
    course.set_language(None)
    monkeypatch.chdir(tmp_path / "notebooks")
    assert course.language() == "en"
    assert course.edition_language(tmp_path / "somewhere" / "de") is None


def test_tr_and_decimal_marks(tiny: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tiny / "translations" / "de"
    folder.mkdir(parents=True)
    (folder / "code-strings.json").write_text(
        json.dumps({"language": "de", "strings": {"{share} of firms": "{share} der Unternehmen"}}), encoding="utf-8"
    )
    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    assert strings.tr("{share} of firms", share=0.25) == "0,25 der Unternehmen"
    assert strings.tr("Unknown text") == "Unknown text"
    monkeypatch.setenv("TEACHKIT_LANG", "en")
    assert strings.tr("{share} of firms", share=0.25) == "0.25 of firms"
    assert strings.swap_marks("1,234.5", "de") == "1.234,5"
    assert strings.decimal_text(12.30, "de") == "12,3" and strings.decimal_text(-0.001, "de") == "0"


def test_months_are_named_in_the_course_language(monkeypatch: pytest.MonkeyPatch) -> None:
    import datetime

    import pandas as pd

    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    assert strings.month_text(pd.Timestamp("2017-03-01")) == "März 2017"
    assert strings.month_text(datetime.date(2016, 12, 5), "en") == "December 2016"
    with pytest.raises(TypeError, match="needs a date or timestamp, not str"):
        strings.month_text("2017-03")


def test_chart_ticks_follow_the_language() -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from teachkit import charts

    fig, ax = plt.subplots()
    ax.plot([0, 0.5, 1], [0, 0.25, 0.5])
    charts.add_source(ax, "Quelle: Test.")
    fig.canvas.draw()
    assert "0.4" in [t.get_text() for t in ax.get_xticklabels()]  # English: unchanged
    charts.localize(fig, "de")
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_xticklabels() if t.get_text()]
    assert "0,4" in labels and not any("." in label for label in labels)
    plt.close(fig)


# ------------------------------------------------------------------ release and start page


def test_release_of_one_edition(tmp_path: Path) -> None:
    from teachkit.release import in_edition

    assert in_edition(Path("notebooks/01-a.ipynb"), "en") and not in_edition(Path("notebooks/de/01-a.ipynb"), "en")
    assert in_edition(Path("exercises/de/01-a-exercises.ipynb"), "de")
    assert not in_edition(Path("exercises/01-a-exercises.ipynb"), "de")
    assert in_edition(Path("translations/de/code-strings.json"), "de")
    assert not in_edition(Path("translations/de/code-strings.json"), "en")
    assert in_edition(Path("data/x.csv"), "de") and in_edition(Path("notebooks/de/01-a.ipynb"), "both")


@pytest.mark.parametrize(
    ("args", "env", "opened"),
    [
        (["--lang", "de"], {}, "notebooks/de/00-start-here.ipynb"),
        ([], {"TEACHKIT_LANG": "de"}, "notebooks/de/00-start-here.ipynb"),
        ([], {}, "notebooks/00-start-here.ipynb"),
    ],
)
def test_start_course_opens_the_start_page_of_the_chosen_edition(
    tmp_path: Path, args: list[str], env: dict[str, str], opened: str
) -> None:
    shutil.copy2(ROOT / "start-course.sh", tmp_path / "start-course.sh")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    jupyter = tmp_path / ".venv" / "bin" / "jupyter"
    jupyter.write_text('#!/bin/sh\necho "$TEACHKIT_LANG $*"\n', encoding="utf-8")
    jupyter.chmod(0o755)
    (tmp_path / "notebooks" / "de").mkdir(parents=True)
    for name in ("notebooks/00-start-here.ipynb", "notebooks/de/00-start-here.ipynb"):
        (tmp_path / name).write_text("{}", encoding="utf-8")
    clean = {k: v for k, v in os.environ.items() if k != "TEACHKIT_LANG"}
    done = subprocess.run(
        ["bash", "start-course.sh", *args], cwd=tmp_path, env={**clean, **env}, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    words = done.stdout.split()
    assert words[0] == ("de" if "/de/" in opened else "en")
    assert words[-1] == opened


def test_the_real_german_start_page_exists_and_is_current() -> None:
    assert (ROOT / "notebooks" / "de" / "00-start-here.ipynb").exists()
    assert [p for p in out_of_date(ROOT, "de") if "00-start-here" in p.path] == []


def test_a_solution_set_builds_german_solutions_and_exercises_that_pass_the_leak_audit(tmp_path: Path) -> None:
    from teachkit.authoring.audit import audit_release
    from teachkit.authoring.exercise_set import nbgrader_meta, read_set

    for folder in ("quizzes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "solutions").mkdir()
    english = tmp_path / "solutions" / "01-digital-natives-solutions.ipynb"
    shutil.copy2(ROOT / "solutions" / english.name, english)
    catalogue = polib.pofile(str(extract(english, "de", tmp_path).po))
    for entry in catalogue:
        entry.msgstr = entry.msgid.replace("Solutions", "Lösungen", 1) + "\n\n(Deutsch)"
    catalogue.save()
    (built,) = build_all([english], "de", tmp_path)
    assert not built.problem, built.problem
    assert built.target == "solutions/de/01-digital-natives-solutions.ipynb"
    assert built.exercise == "exercises/de/01-digital-natives-exercises.ipynb written"
    german = read_set(tmp_path / "exercises" / "de" / "01-digital-natives-exercises.ipynb")
    exercise = german.notebook
    assert (
        exercise.metadata["teachkit"]["set"] == "01-digital-natives" and exercise.metadata["teachkit"]["lang"] == "de"
    )
    assert exercise.metadata["teachkit"]["generated_from"] == "solutions/de/01-digital-natives-solutions.ipynb"
    assert exercise.cells[0].source.startswith("# 01 · Digital natives as customers — Übungen")
    ids = [nbgrader_meta(c).get("grade_id") for c in read_set(english).notebook.cells]
    assert [nbgrader_meta(c).get("grade_id") for c in exercise.cells] == ids
    solved = nbformat.read(tmp_path / "solutions" / "de" / english.name, as_version=4)
    outputs = [o for c in solved.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and all(o.get("output_type") != "error" for o in outputs)  # executed, cleanly
    release = tmp_path / "release" / "exercises" / "de"
    release.mkdir(parents=True)
    shutil.copy2(tmp_path / "exercises" / "de" / "01-digital-natives-exercises.ipynb", release)
    assert audit_release(tmp_path / "release", [english, tmp_path / "solutions" / "de" / english.name]) == []
    shutil.copy2(tmp_path / "solutions" / "de" / english.name, release)
    assert any("a solution notebook is in the release" in p for p in audit_release(tmp_path / "release", [english]))


def test_a_german_exercise_edited_by_hand_is_out_of_date(tmp_path: Path) -> None:
    for folder in ("quizzes", "data", "notebooks", "solutions"):
        (tmp_path / folder).mkdir()
    english = tmp_path / "solutions" / "01-digital-natives-solutions.ipynb"
    shutil.copy2(ROOT / "solutions" / english.name, english)
    catalogue = polib.pofile(str(extract(english, "de", tmp_path).po))
    for entry in catalogue:
        entry.msgstr = entry.msgid + "\n\n(Deutsch)"
    catalogue.save()
    build_all([english], "de", tmp_path, execute=False)
    assert out_of_date(tmp_path, "de") == []
    exercise = tmp_path / "exercises" / "de" / "01-digital-natives-exercises.ipynb"
    exercise.write_text(exercise.read_text(encoding="utf-8").replace("(Deutsch)", "(von Hand)", 1), encoding="utf-8")
    (problem,) = out_of_date(tmp_path, "de")
    assert problem.path == "exercises/de/01-digital-natives-exercises.ipynb"
    assert problem.message == "differs from what solutions/de/01-digital-natives-solutions.ipynb builds (or is missing)"


def test_check_verdicts_and_source_lines_speak_the_course_language(monkeypatch: pytest.MonkeyPatch) -> None:
    from teachkit import data
    from teachkit.checks import Outcome

    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    assert Outcome("Anteil", answered=False).message().startswith("… Anteil: noch nicht beantwortet.")
    assert Outcome("Anteil", answered=True, problems=["x"], hidden=2).message() == (
        "✘ Anteil: noch nicht richtig.\n  - x\n  (Bei der Bewertung laufen noch 2 verdeckte Prüfungen: "
        "Bestehen hier heißt noch nicht volle Punktzahl.)"
    )
    name = data.names()[0]
    assert data.source_line(name).startswith(("Quelle: ", "Synthetische Daten"))
    monkeypatch.setenv("TEACHKIT_LANG", "en")
    assert Outcome("share", answered=True).message() == "✔ share: looks right."
    assert data.source_line(name).startswith(("Source: ", "Synthetic data"))
