"""The lesson linter: every shipped lesson passes, and deliberately broken copies fail precisely.

Broken copies start from the `new-lesson` template in a temporary course, whose code cells get
execution counts 1..n instead of a kernel run, so each case costs milliseconds. Each case asserts
the whole finding text, because the message and its fix are the product.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_output

from teachkit.cli import main
from teachkit.lessons import lesson_paths, parse_minutes
from teachkit.lint import RULES, CourseFacts, lint_notebook, lint_paths, output_findings
from teachkit.scaffold import LessonName, create_lesson

ROOT = Path(__file__).resolve().parents[1]
LESSONS = lesson_paths(ROOT)
NB = "notebooks/07-demo.ipynb"
EXECUTE = f"re-run it with `python -m teachkit execute {NB}` and commit the result"


# -- shipped lessons -------------------------------------------------------------------------


def test_the_course_has_lessons_to_lint() -> None:
    assert len(LESSONS) >= 2, "notebooks/ should hold the lessons (00-start-here, 01-…)"


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.stem)
def test_shipped_lesson_passes_lint(path: Path) -> None:
    findings = lint_notebook(path, CourseFacts.read(ROOT))
    assert not findings, "\n".join(map(str, findings))


def test_whole_course_passes_lint_including_bank_usage() -> None:
    findings = lint_paths(root=ROOT)
    assert not findings, "\n".join(map(str, findings))


# -- a temporary course with one template lesson ---------------------------------------------


def fake_run(notebook: nbformat.NotebookNode) -> None:
    """Give code cells the execution counts of one top-to-bottom run."""
    count = 0
    for cell in notebook.cells:
        if cell.cell_type == "code" and cell.source.strip():
            count += 1
            cell.execution_count = count
            for output in cell.outputs:
                if output.output_type == "execute_result":
                    output.execution_count = count


@pytest.fixture
def course(tmp_path: Path) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "glossary.csv").write_text(
        "term_en,term_de,definition_en,definition_de,lesson\n", encoding="utf-8"
    )
    create_lesson(tmp_path, LessonName.parse("07", "demo", "Demo lesson"))
    path = tmp_path / NB
    notebook = nbformat.read(path, as_version=4)
    fake_run(notebook)
    nbformat.write(notebook, path)
    return tmp_path


Change = Callable[[nbformat.NotebookNode], None]


def lint_after(course: Path, change: Change | None = None, rerun: bool = True) -> list[str]:
    path = course / NB
    notebook = nbformat.read(path, as_version=4)
    if change is not None:
        change(notebook)
    if rerun:
        fake_run(notebook)
    nbformat.write(notebook, path)
    return [str(f) for f in lint_paths([path], root=course)]


def cell_with(notebook: nbformat.NotebookNode, text: str) -> nbformat.NotebookNode:
    return next(c for c in notebook.cells if text in c.source)


def replace_in(text: str, new: str) -> Change:
    def change(notebook: nbformat.NotebookNode) -> None:
        cell = cell_with(notebook, text)
        cell.source = cell.source.replace(text, new)

    return change


def add_line(line: str) -> Change:
    """Append a line to the lesson's first example code cell (cell 7)."""

    def change(notebook: nbformat.NotebookNode) -> None:
        cell_with(notebook, '"minutes": [20').source += "\n" + line

    return change


def insert(index: int, cell: nbformat.NotebookNode) -> Change:
    return lambda notebook: notebook.cells.insert(index, cell)


def test_the_template_lesson_passes(course: Path) -> None:
    assert lint_after(course) == []


# -- one broken copy per rule --------------------------------------------------------------

CASES: dict[str, tuple[Change, list[str]]] = {
    "title-not-h1": (
        replace_in("# 07 · Demo lesson", "## 07 · Demo lesson"),
        [
            f"{NB}, cell 1 [h1-first]: the notebook does not start with a Markdown cell whose first line is the "
            "H1 title. Fix: make the first cell Markdown and start it with '# Lesson title'"
        ],
    ),
    "second-h1": (
        replace_in("## First section", "# First section"),
        [
            f"{NB}, cell 6 [h1-first]: another H1, '# First section'. Fix: keep one H1, the title in the first cell; "
            "use '##' for sections",
            # the quiz items' `see` links are keyed by heading text, so they still resolve
        ],
    ),
    "no-time-estimate": (
        replace_in("**Time:** about 45 minutes.", "**Time:** a while."),
        [
            f"{NB}, cell 1 [time-estimate]: the first cell gives no time estimate. Fix: add a line such as "
            "'**Time:** about 45 minutes' under the title"
        ],
    ),
    "two-objectives": (
        replace_in("\n- recommend what a small firm should do with that figure.", ""),
        [
            f"{NB}, cell 2 [objectives]: 'Learning objectives' lists 2 objectives. Fix: give 3–5 bullets, "
            "one observable outcome each",
            f"{NB}, cell 18 [key-points]: 'Key points' has 3 points for 2 learning objectives. Fix: write exactly "
            "one key point per objective, in the same order",
        ],
    ),
    "no-key-points": (
        lambda nb: nb.cells.remove(cell_with(nb, "## Key points")),
        [
            f"{NB} [key-points]: there is no 'Key points' section. Fix: add '## Key points' near the end with "
            "one bullet per learning objective"
        ],
    ),
    "key-terms-of-another-lesson": (
        replace_in('key_terms("07-demo")', 'key_terms("01-digital-natives")'),
        [
            f"{NB}, cell 5 [key-terms]: key_terms() is called with '01-digital-natives', not this lesson's stem. "
            'Fix: call glossary.key_terms("07-demo")'
        ],
    ),
    "no-setup-call": (
        replace_in("setup()", "pass"),
        [
            f"{NB} [setup-cell]: there is no setup cell. Fix: add one code cell near the top: "
            "`from teachkit import data, quiz, setup` and `setup()`"
        ],
    ),
    "code-before-setup": (
        insert(1, new_code_cell("1 + 1")),
        [
            f"{NB}, cell 2 [setup-cell]: code runs before the setup cell (cell 4). Fix: move the setup cell above "
            "every other code cell (only the key-terms cell may precede it)"
        ],
    ),
    "misspelt-quiz-id": (
        replace_in('"demo-example-single"', '"demo-example-singel"'),
        [
            f"{NB} [bank-items-used]: item 'demo-example-single' of quizzes/07-demo.yaml is shown in no lesson. "
            "Fix: add it to a quiz.show(...) call in this lesson, or delete it from quizzes/07-demo.yaml",
            f"{NB}, cell 9 [quiz-ids]: item 'demo-example-singel' is in no bank. Fix: check the spelling, "
            "or add the item to quizzes/07-demo.yaml",
        ],
    ),
    "ids-not-literal": (
        replace_in('quiz.show("demo-example-numeric", ', 'ids = ["demo-example-numeric"]\nquiz.show(*ids, '),
        [
            f"{NB} [bank-items-used]: item 'demo-example-numeric' of quizzes/07-demo.yaml is shown in no lesson. "
            "Fix: add it to a quiz.show(...) call in this lesson, or delete it from quizzes/07-demo.yaml",
            f"{NB}, cell 13 [quiz-ids]: quiz.show() has arguments that are not literal ids. Fix: pass the item ids "
            'as plain strings, e.g. quiz.show("item-a", "item-b")',
        ],
    ),
    "too-few-quiz-points": (
        replace_in("about 45 minutes", "about 2 hours"),
        [
            f"{NB} [quiz-density]: the quizzes are worth 6 point(s) for about 120 minutes; at least 8 are needed. "
            "Fix: add quiz items (1 point each unless 'points' says otherwise) to quizzes/07-demo.yaml and show "
            "them, roughly one every 15 minutes of the lesson"
        ],
    ),
    "renamed-heading": (
        replace_in("## Second section", "## Part two"),
        [
            f"{NB} [see-links]: item '{item}' in quizzes/07-demo.yaml sends students to '#Second-section', "
            "but no heading of this lesson has that anchor. Fix: point 'see' at an existing heading (its text with "
            "spaces as '-', e.g. '07-demo#Learning-objectives'), or restore the heading"
            for item in ("demo-example-numeric", "demo-example-short-text", "demo-example-matching")
        ],
    ),
    "heading-with-punctuation": (
        replace_in("## First section", "## First section: the basics"),
        [
            f"{NB} [see-links]: item '{item}' in quizzes/07-demo.yaml sends students to '#First-section', "
            "but no heading of this lesson has that anchor. Fix: point 'see' at an existing heading (its text with "
            "spaces as '-', e.g. '07-demo#Learning-objectives'), or restore the heading"
            for item in ("demo-example-single", "demo-example-multiple", "demo-example-true-false")
        ],
    ),
    "anchor-case-differs": (
        replace_in("## Second section", "## Second Section"),
        [
            f"{NB} [see-links]: item '{item}' in quizzes/07-demo.yaml sends students to '#Second-section', "
            "but no heading of this lesson has that anchor. Fix: write 'see: 07-demo#Second-Section', the anchor "
            "JupyterLab gives that heading"
            for item in ("demo-example-numeric", "demo-example-short-text", "demo-example-matching")
        ],
    ),
    "no-sources": (
        replace_in("## Sources", "## Further reading"),
        [
            f"{NB} [sources]: there is no 'Sources' section. Fix: end the lesson with '## Sources': one bullet per "
            "work, with author, year, title, publisher and link"
        ],
    ),
    "source-without-year": (
        replace_in("(2024, Month day)", "(n.d.)"),
        [
            f"{NB}, cell 19 [sources]: source 1 has no year: 'Author, A. (n.d.). *Title of the work*. Publisher. "
            "Replace w'. Fix: add the publication year (and for web pages the date you accessed them); a note "
            "that is not a citation belongs in a sentence under the list"
        ],
    ),
    "absolute-path": (
        add_line('steps.to_csv("/home/ann/steps.csv")'),
        [
            f"{NB}, cell 7 [absolute-paths]: the path '/home/ann/steps.csv' only exists on one machine. Fix: load "
            'course files with data.load("name") or a path relative to the notebook'
        ],
    ),
    "windows-path": (
        add_line('pd.read_csv(r"C:\\Users\\ann\\steps.csv")'),
        [
            f"{NB}, cell 7 [absolute-paths]: the path 'C:\\\\Users\\\\ann\\\\steps.csv' only exists on one "
            'machine. Fix: load course files with data.load("name") or a path relative to the notebook'
        ],
    ),
    "pip-install": (
        replace_in("# Setup: run this cell first. It prints nothing.", "!pip install seaborn"),
        [
            f"{NB}, cell 3 [no-install]: installs a package: '!pip install seaborn'. Fix: remove the line and add "
            "the package to requirements.txt"
        ],
    ),
    "pip-magic": (
        replace_in("# Setup: run this cell first. It prints nothing.", "%pip install -q seaborn"),
        [
            f"{NB}, cell 3 [no-install]: installs a package: '%pip install -q seaborn'. Fix: remove the line and "
            "add the package to requirements.txt"
        ],
    ),
    "requests-import": (
        replace_in("import pandas as pd", "import pandas as pd\nimport requests"),
        [
            f"{NB}, cell 3 [no-network]: imports requests, a network library. Fix: remove network access; ship "
            "what the lesson needs under data/"
        ],
    ),
    "urllib-import": (
        replace_in("import pandas as pd", "import pandas as pd\nfrom urllib.request import urlopen"),
        [
            f"{NB}, cell 3 [no-network]: imports urllib.request, a network library. Fix: remove network access; "
            "ship what the lesson needs under data/"
        ],
    ),
    "csv-from-url": (
        add_line('pd.read_csv("https://example.org/steps.csv")'),
        [
            f"{NB}, cell 7 [no-network]: read_csv() fetches 'https://example.org/steps.csv'. Fix: download the "
            'file once, commit it under data/ with its source in datapackage.json, and use data.load("name")'
        ],
    ),
    "wget": (
        add_line("!wget https://example.org/steps.csv"),
        [
            f"{NB}, cell 7 [no-network]: downloads at run time: '!wget https://example.org/steps.csv'. Fix: commit "
            'the data under data/ with a datapackage.json entry and load it with data.load("name")'
        ],
    ),
    "remote-image": (
        replace_in("## Reflection", "## Reflection\n\n![logo](https://example.org/logo.png)"),
        [
            f"{NB}, cell 16 [no-network]: shows the remote image 'https://example.org/logo.png'. Fix: save the "
            "image under notebooks/figures/ (check its licence) and link it relatively"
        ],
    ),
    "long-code-cell": (
        insert(7, new_code_cell("\n".join(f"x{i} = {i}" for i in range(16)))),
        [
            f"{NB}, cell 8 [code-cell-length]: the code cell has 16 lines; the limit is 15. Fix: split it into "
            "cells that each do one thing and end with the value to look at; move a long helper into a module"
        ],
    ),
}


@pytest.mark.parametrize("case", list(CASES))
def test_broken_copy_fails_with_precise_message(course: Path, case: str) -> None:
    change, expected = CASES[case]
    assert lint_after(course, change) == expected


def test_every_rule_has_a_broken_case_somewhere_in_this_file() -> None:
    text = Path(__file__).read_text(encoding="utf-8")
    missing = [rule for rule in RULES if f"[{rule}]" not in text]
    assert not missing, f"rules without a test of their message: {missing}"


# -- outputs -------------------------------------------------------------------------------


def add_output(text: str, output: nbformat.NotebookNode, tags: list[str] | None = None) -> Change:
    def change(notebook: nbformat.NotebookNode) -> None:
        cell = cell_with(notebook, text)
        cell.outputs.append(output)
        if tags:
            cell.metadata["tags"] = tags

    return change


ERROR = new_output("error", ename="KeyError", evalue="'minutes'", traceback=["KeyError: 'minutes'"])


def test_error_output_is_reported(course: Path) -> None:
    assert lint_after(course, add_output('"minutes": [20', ERROR)) == [
        f"{NB}, cell 7 [no-error-outputs]: the output is an error (KeyError: 'minutes'). Fix: fix the cell and "
        f"{EXECUTE}; if the error is the lesson's point, tag the cell 'raises-exception'"
    ]


def test_intended_error_is_allowed_by_the_nbval_tag(course: Path) -> None:
    assert lint_after(course, add_output('"minutes": [20', ERROR, ["raises-exception"])) == []


def test_warning_on_stderr_is_reported(course: Path) -> None:
    warning = new_output("stream", name="stderr", text="FutureWarning: the default will change\n")
    assert lint_after(course, add_output('"minutes": [20', warning)) == [
        f"{NB}, cell 7 [no-error-outputs]: the output has text on stderr: 'FutureWarning: the default will change'. "
        f"Fix: remove the cause of the warning and {EXECUTE}"
    ]


def test_machine_path_in_an_output_is_reported(course: Path) -> None:
    shown = new_output("stream", name="stdout", text="saved to /home/ann/course/out.csv\n")
    assert lint_after(course, add_output('"minutes": [20', shown)) == [
        f"{NB}, cell 7 [absolute-paths]: the output shows the machine path '/home/ann/course/out.csv'. "
        "Fix: print names or relative paths instead, then re-execute the notebook"
    ]


def test_a_cell_tag_waives_one_rule_for_one_cell(course: Path) -> None:
    def long_cell_allowed(notebook: nbformat.NotebookNode) -> None:
        cell = new_code_cell("\n".join(f"x{i} = {i}" for i in range(16)))
        cell.metadata["tags"] = ["allow-code-cell-length"]
        notebook.cells.insert(7, cell)

    assert lint_after(course, long_cell_allowed) == []


def test_cells_run_out_of_order_are_reported_once(course: Path) -> None:
    def swap(notebook: nbformat.NotebookNode) -> None:
        fake_run(notebook)
        codes = [c for c in notebook.cells if c.cell_type == "code"]
        codes[2].execution_count, codes[3].execution_count = 4, 3

    assert lint_after(course, swap, rerun=False) == [
        f"{NB}, cell 7 [fresh-outputs]: the cell has execution count 4, expected 3, so the outputs are not from "
        f"one top-to-bottom run. Fix: {EXECUTE}"
    ]


def test_a_cell_never_run_is_reported(course: Path) -> None:
    def clear(notebook: nbformat.NotebookNode) -> None:
        fake_run(notebook)
        cell_with(notebook, "steps.sort_values").execution_count = None

    assert lint_after(course, clear, rerun=False) == [
        f"{NB}, cell 11 [fresh-outputs]: the cell was never run, so the outputs are not from one top-to-bottom "
        f"run. Fix: {EXECUTE}"
    ]


def test_execution_timestamps_are_reported_once(course: Path) -> None:
    def stamp(notebook: nbformat.NotebookNode) -> None:
        for cell in notebook.cells[6:9]:
            cell.metadata["execution"] = {"iopub.status.busy": "2026-01-01T00:00:00Z"}

    assert lint_after(course, stamp) == [
        f"{NB}, cell 7 [no-timestamps]: 3 cell(s), from this one on, carry execution timestamps in their metadata. "
        f"Fix: {EXECUTE} (it removes them)"
    ]


def test_an_empty_code_cell_is_reported(course: Path) -> None:
    assert lint_after(course, insert(7, new_code_cell(""))) == [
        f"{NB}, cell 8 [fresh-outputs]: the code cell is empty. Fix: delete the empty cell"
    ]


def test_output_findings_checks_only_outputs(course: Path) -> None:
    path = course / NB
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells if "Sources" not in c.source]  # not an output rule
    add_output('"minutes": [20', ERROR)(notebook)
    nbformat.write(notebook, path)
    assert [f.rule for f in output_findings(path)] == ["no-error-outputs"]


# -- files and the course as a whole ---------------------------------------------------------


def test_unreadable_notebook(course: Path) -> None:
    path = course / NB
    path.write_text("{not json", encoding="utf-8")
    [finding] = lint_paths([path], root=course)
    assert finding.rule == "notebook-readable"
    assert str(finding).startswith(f"{NB} [notebook-readable]: not a readable notebook (")
    assert str(finding).endswith("Fix: open it in JupyterLab and save it again, or restore it from git")


def test_bad_file_name(course: Path) -> None:
    path = course / NB
    renamed = path.with_name("Demo Lesson.ipynb")
    path.rename(renamed)
    findings = [str(f) for f in lint_paths([renamed], root=course) if f.rule == "notebook-readable"]
    assert findings == [
        "notebooks/Demo Lesson.ipynb [notebook-readable]: the file name 'Demo Lesson.ipynb' is not a lesson name. "
        "Fix: rename it to two digits, a hyphen and a lower-case slug, e.g. '03-recruiting', and give its bank "
        "the same stem"
    ]


def test_glossary_without_rows_for_the_lesson(course: Path) -> None:
    (course / "data" / "glossary.csv").write_text(
        "term_en,term_de,definition_en,definition_de,lesson\n", encoding="utf-8"
    )
    assert lint_after(course) == [
        f"{NB}, cell 5 [key-terms]: data/glossary.csv has no rows for lesson '07-demo'. Fix: append the terms "
        "this lesson defines to data/glossary.csv (columns term_en, term_de, definition_en, definition_de, lesson) "
        "with lesson=07-demo"
    ]


def test_item_from_another_lessons_bank(course: Path) -> None:
    create_lesson(course, LessonName.parse("08", "other", "Other lesson"))
    findings = lint_after(course, replace_in('"demo-example-single"', '"other-example-single"'))
    assert findings[1] == (
        f"{NB}, cell 9 [quiz-ids]: item 'other-example-single' belongs to quizzes/08-other.yaml, not to this "
        "lesson's quizzes/07-demo.yaml. Fix: move the item into quizzes/07-demo.yaml, or show it from lesson 08-other"
    )


def test_broken_bank_is_reported_once(course: Path) -> None:
    bank = course / "quizzes" / "07-demo.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("    de: Teilt in der falschen Richtung.\n", ""))
    assert lint_after(course) == [
        f"{NB} [quiz-ids]: quizzes/07-demo.yaml does not load (quizzes/07-demo.yaml, "
        "misconceptions.ratio-inverted.de: German text is missing (add a 'de:' line beside 'en:')). Fix: run "
        "`python -m teachkit check-banks` and fix what it reports"
    ]


def test_whole_course_reports_see_links_to_missing_lessons(course: Path) -> None:
    bank = course / "quizzes" / "07-demo.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("see: 07-demo#First-section", "see: 05-gone#Intro", 1))
    assert [str(f) for f in lint_paths(root=course)] == [
        "quizzes/07-demo.yaml [see-links]: item 'demo-example-single' sends students to lesson '05-gone', which "
        "does not exist. Fix: point 'see' at a section of an existing lesson, e.g. '07-demo#Section-title'",
    ]


def test_whole_course_reports_a_bank_without_lesson(course: Path) -> None:
    (course / NB).unlink()
    assert [str(f) for f in lint_paths(root=course)] == [
        "quizzes/07-demo.yaml [bank-items-used]: the bank belongs to no lesson: notebooks/07-demo.ipynb does not "
        "exist. Fix: rename the bank after its lesson, or delete it"
    ]


# -- real lessons, broken on purpose -------------------------------------------------------


@pytest.fixture
def course_copy(tmp_path: Path) -> Path:
    for folder in ("notebooks", "quizzes", "data"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def findings_of(path: Path, root: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in lint_paths([path], root=root)}


def new_findings(path: Path, root: Path, before: set[tuple[str, str]]) -> list[str]:
    """Findings the break added; a shipped lesson's own findings are reported by the tests above, and a
    removed cell shifts the numbers of the cells after it, so findings are compared without them."""
    return [str(f) for f in lint_paths([path], root=root) if (f.rule, f.message) not in before]


@pytest.mark.parametrize("stem", [p.stem for p in LESSONS])
def test_real_lesson_without_key_points_fails_precisely(course_copy: Path, stem: str) -> None:
    path = course_copy / "notebooks" / f"{stem}.ipynb"
    before = findings_of(path, course_copy)
    notebook = nbformat.read(path, as_version=4)
    notebook.cells = [c for c in notebook.cells if not c.source.startswith("## Key points")]
    nbformat.write(notebook, path)
    assert new_findings(path, course_copy, before) == [
        f"notebooks/{stem}.ipynb [key-points]: there is no 'Key points' section. Fix: add '## Key points' near "
        "the end with one bullet per learning objective"
    ]


@pytest.mark.parametrize("stem", [p.stem for p in LESSONS])
def test_real_lesson_with_an_error_output_fails_precisely(course_copy: Path, stem: str) -> None:
    path = course_copy / "notebooks" / f"{stem}.ipynb"
    before = findings_of(path, course_copy)
    notebook = nbformat.read(path, as_version=4)
    number, cell = next((n, c) for n, c in enumerate(notebook.cells, 1) if c.cell_type == "code")
    cell.outputs.append(ERROR)
    nbformat.write(notebook, path)
    assert new_findings(path, course_copy, before) == [
        f"notebooks/{stem}.ipynb, cell {number} [no-error-outputs]: the output is an error (KeyError: 'minutes'). "
        f"Fix: fix the cell and re-run it with `python -m teachkit execute notebooks/{stem}.ipynb` and commit the "
        "result; if the error is the lesson's point, tag the cell 'raises-exception'"
    ]


# -- the command line and the time parser ------------------------------------------------------


def test_cli_exit_codes_and_messages(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = course / NB
    assert main(["lint", str(path)]) == 0
    lint_after(course, replace_in("## Sources", "## Reading"))
    assert main(["lint", str(path)]) == 1
    err = capsys.readouterr().err
    assert f"{NB} [sources]: there is no 'Sources' section." in err
    assert "1 finding(s) in 1 file(s)." in err


def test_cli_lists_every_rule_with_its_reason(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["lint", "--rules"]) == 0
    out = capsys.readouterr().out
    for rule in RULES.values():
        assert rule.id in out and rule.why in out


def test_cli_check_outputs(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check-outputs", str(course / "notebooks")]) == 0
    lint_after(course, add_output('"minutes": [20', ERROR))
    assert main(["check-outputs", str(course / "notebooks")]) == 1
    assert "[no-error-outputs]" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("**Time:** about 45 minutes.", 45),
        ("Time: 20 min", 20),
        ("a 30-minute lesson", 30),
        ("about 1.5 hours", 90),
        ("1 h 15 min", 75),
        ("30–40 minutes", 40),
        ("~40 min reading · 20 min exercises", 40),
        ("about 60 minutes here, then about 90 minutes to write the plan in the exercise notebook.", 60),
        ("1 hour and 15 minutes", 75),
        ("30 min of exercises", 30),
        ("no estimate here", None),
        ("in 2018 we met", None),
    ],
)
def test_parse_minutes(text: str, minutes: int | None) -> None:
    assert parse_minutes(text) == minutes


def test_notebook_json_is_what_nbformat_validates(course: Path) -> None:
    """The template is a valid nbformat 4 notebook (JupyterLab and nbval will open it)."""
    nbformat.validate(nbformat.read(course / NB, as_version=4))
    assert json.loads((course / NB).read_text(encoding="utf-8"))["nbformat"] == 4


def test_cli_refuses_a_course_without_lessons(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for folder in ("data", "quizzes", "notebooks"):
        (tmp_path / folder).mkdir()
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(tmp_path))
    assert main(["lint"]) == 1
    assert "No lesson notebooks (NN-slug.ipynb) in notebooks/: nothing to lint." in capsys.readouterr().err


def test_a_sources_bullet_pointing_to_the_data_package_needs_no_year(course: Path) -> None:
    note = "\n- Data: our table `demo_steps`; its sources and their dates are in `data/datapackage.json`."
    assert lint_after(course, replace_in("Replace with a full citation.", "Replace with a full citation." + note)) == []


# -- what the quiz items ask for, and whether their options give the answer away -------------

BANK = "quizzes/07-demo.yaml"


def edit_bank(course: Path, change: Callable[[dict], None]) -> None:
    import yaml

    path = course / BANK
    bank = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(bank)
    path.write_text(yaml.safe_dump(bank, allow_unicode=True, sort_keys=False), encoding="utf-8")


def test_a_lesson_of_recall_items_fails_quiz_levels(course: Path) -> None:
    def all_remember(bank: dict) -> None:
        for item in bank["items"]:
            item["level"] = "remember"

    edit_bank(course, all_remember)
    fix = (
        f"rewrite recall items in {BANK} as short cases from a small firm in which the student must use the idea, "
        "and set each item's 'level' (`check-banks` prints the distribution)"
    )
    assert lint_after(course) == [
        f"{NB} [quiz-levels]: of the items shown, 0 of 6 items (0%) ask to apply, analyse or evaluate; "
        f"at least 60% must. Fix: {fix}",
        f"{NB} [quiz-levels]: of the items shown, 6 of 6 items (100%) only ask to remember; at most 25% may. "
        f"Fix: {fix}",
    ]


def test_quiz_levels_count_only_the_items_the_lesson_shows(course: Path) -> None:
    """Two remember items out of six fail (33 % > 25 %); hiding one of them from the lesson passes (20 %)."""

    def two_remember(bank: dict) -> None:
        assert bank["items"][2]["type"] == "true_false"
        bank["items"][2]["level"] = "remember"

    edit_bank(course, two_remember)
    assert [f.split(":")[0] for f in lint_after(course)] == [f"{NB} [quiz-levels]"]
    true_false = read_items(course)[2]
    hide = replace_in(f'"{true_false}"', "")
    findings = lint_after(course, hide)
    assert all("[quiz-levels]" not in f for f in findings), findings


def read_items(course: Path) -> list[str]:
    import yaml

    return [item["id"] for item in yaml.safe_load((course / BANK).read_text(encoding="utf-8"))["items"]]


def test_the_longest_right_option_fails_length_cue(course: Path) -> None:
    def longest_key(bank: dict) -> None:
        key = bank["items"][0]["options"][0]
        key["text"] = {
            "en": "In the lesson's quiz bank, a YAML file in the quizzes folder named after the lesson",
            "de": "In der Fragensammlung der Lektion, einer YAML-Datei im Ordner quizzes, die wie die Lektion heißt",
        }

    edit_bank(course, longest_key)
    item = read_items(course)[0]
    assert lint_after(course) == [
        f"{NB} [length-cue]: in 1 of 1 single-choice items the right option is the longest (English and German: "
        f"{item}); at most a third may be, or a test-wise student picks the longest and scores without reading. "
        f"Fix: in {BANK}, make the wrong options as long and as specific as the right one, so that the right one "
        "is sometimes longer, sometimes shorter and often in between; write each from a misconception"
    ]


# -- the German edition: stale units and stale built notebooks ------------------------------------


def translated_course(course: Path) -> Path:
    """The template course with every unit of lesson 07 translated and its German notebook built (not run)."""
    import polib

    from teachkit.translation.build import build_all
    from teachkit.translation.units import extract

    source = course / NB
    po = extract(source, "de", course).po
    catalogue = polib.pofile(str(po))
    for entry in catalogue:
        entry.msgstr = "DE " + entry.msgid
    catalogue.save()
    build_all([source], "de", course, execute=False)
    return course


def test_editing_one_english_cell_makes_exactly_that_unit_stale(course: Path) -> None:
    translated_course(course)
    assert lint_after(course) == []
    notebook = nbformat.read(course / NB, as_version=4)
    number, cell = next(
        (n, c) for n, c in enumerate(notebook.cells, 1) if c.source.startswith("## Learning objectives")
    )
    context = "\n".join(f" {line}" for line in cell.source.splitlines()[1:4])
    findings = lint_after(course, replace_in("## Learning objectives", "## Learning goals"))
    assert findings == [
        f"{NB}, cell {number} [translation-stale]: the de translation of cell id {cell.id!r} "
        "(translations/de/07-demo.po) was made for an older English text; the English changed like this:\n"
        "--- English when translated\n+++ English now\n"
        f"@@ -1,4 +1,4 @@\n-## Learning objectives\n+## Learning goals\n{context}\n"
        ". Fix: run `python -m teachkit translate extract 07-demo`, update the msgstr to the new English, "
        "remove its fuzzy flag, then `translate build 07-demo`",
        "notebooks/de/07-demo.ipynb [translation-built]: built from an older notebooks/07-demo.ipynb or "
        "translations/de/07-demo.po. Fix: run `python -m teachkit translate build 07-demo` and commit the result",
    ]


def test_a_fuzzy_unit_after_extract_is_still_stale_until_the_translator_clears_it(course: Path) -> None:
    from teachkit.translation.units import extract, status

    translated_course(course)
    lint_after(course, replace_in("## Learning objectives", "## Learning goals"))
    assert extract(course / NB, "de", course).fuzzy  # the unit is now marked fuzzy, translation kept
    stale = [f for f in lint_after(course) if "[translation-stale]" in f]
    assert len(stale) == 1 and "+## Learning goals" in stale[0]
    assert status(course / NB, "de", course).fuzzy == 1
