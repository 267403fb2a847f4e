"""`teachkit new-lesson`: the files of a new lesson, made from the course's lesson template.

A new lesson is a notebook, a quiz bank, a solutions notebook (the single source of its exercise
set) and glossary rows. Nothing else is registered by hand: the README's lesson table and the
glossary views are derived from these files. Every file written here passes the linter, the bank
checks and nbval as it is, so an author starts from green and replaces the examples.
"""

from __future__ import annotations

import csv
import importlib.util
import json
from dataclasses import dataclass
from pathlib import Path

import nbformat
import yaml
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .lessons import LESSON_NAME, LESSON_NAME_HELP

DEFAULT_MINUTES = 45

KERNEL_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


@dataclass(frozen=True)
class LessonName:
    """A lesson's number, slug and title, checked once so every file agrees on them."""

    number: str
    slug: str
    title: str

    @classmethod
    def parse(cls, number: str, slug: str, title: str) -> LessonName:
        number = str(number).strip()
        if number.isdigit() and len(number) == 1:
            number = "0" + number
        stem = f"{number}-{slug.strip()}"
        if not LESSON_NAME.match(stem):
            raise ValueError(f"{stem!r} is not a lesson name: use {LESSON_NAME_HELP}.")
        if not title.strip() or "\n" in title:
            raise ValueError('The title must be one non-empty line, e.g. "Recruiting apprentices".')
        return cls(number, slug.strip(), title.strip())

    @property
    def stem(self) -> str:
        return f"{self.number}-{self.slug}"

    def item_id(self, kind: str) -> str:
        return f"{self.slug}-example-{kind}"[:80]


def _md(cell_id: str, *lines: str) -> nbformat.NotebookNode:
    cell = new_markdown_cell("\n".join(lines))
    cell.id = cell_id
    return cell


def _code(cell_id: str, *lines: str, nbgrader: dict | None = None) -> nbformat.NotebookNode:
    cell = new_code_cell("\n".join(lines))
    cell.id = cell_id
    if nbgrader is not None:
        cell.metadata["nbgrader"] = {"schema_version": 3, **nbgrader}
    return cell


def lesson_notebook(name: LessonName, minutes: int = DEFAULT_MINUTES) -> nbformat.NotebookNode:
    """The lesson template (DESIGN.md) with example content that says what to put where."""
    first_half = [name.item_id(k) for k in ("single", "multiple", "true-false")]
    second_half = [name.item_id(k) for k in ("numeric", "short-text", "matching")]
    cells = [
        _md(
            "title",
            f"# {name.number} · {name.title}",
            "",
            "**The business question:** replace this line with the one question the lesson answers for a firm.",
            "",
            f"**Time:** about {minutes} minutes.",
        ),
        _md(
            "objectives",
            "## Learning objectives",
            "",
            "By the end of this lesson you will be able to:",
            "",
            "- explain the lesson's main idea in your own words;",
            "- compute one figure from the lesson's data with pandas;",
            "- recommend what a small firm should do with that figure.",
        ),
        _code(
            "setup",
            "# Setup: run this cell first. It prints nothing.",
            "import pandas as pd",
            "from teachkit import setup, quiz, data, glossary",
            "setup()",
        ),
        _md("key-terms", "## Key terms"),
        _code("key-terms-table", f'glossary.key_terms("{name.stem}")'),
        _md(
            "first-section",
            "## First section",
            "",
            "Replace this text: at most three sentences per paragraph, one sentence per line.",
            'Real data come from `data.load("name")`; this small table is only an example.',
        ),
        _code(
            "first-table",
            'steps = pd.DataFrame({"step": ["read", "run", "answer"], "minutes": [20, 15, 10]})',
            "steps",
        ),
        _md("first-quiz", "### Check your understanding"),
        _code("first-quiz-cell", "quiz.show(" + ", ".join(f'"{i}"' for i in first_half) + ")"),
        _md(
            "second-section",
            "## Second section",
            "",
            "Each section teaches one idea and ends with a short quiz, about one point per 15 minutes.",
        ),
        _code("second-sort", 'steps.sort_values("minutes")'),
        _md("second-quiz", "### Check your understanding"),
        _code("second-quiz-cell", "quiz.show(" + ", ".join(f'"{i}"' for i in second_half) + ")"),
        _md(
            "your-turn",
            "## Your turn",
            "",
            "**Your turn:** add a column `share` with each step's share of the total time.",
            "Predict the largest share before you run the cell.",
        ),
        _code("your-turn-cell", '# your code here, e.g. steps["share"] = ...'),
        _md(
            "reflection",
            "## Reflection",
            "",
            "Not graded: what would change for a firm with ten staff instead of two hundred?",
        ),
        _md(
            "exercises",
            "## Exercises",
            "",
            f"Practise in `../exercises/{name.stem}-exercises.ipynb`.",
        ),
        _md(
            "key-points",
            "## Key points",
            "",
            "- One key point per learning objective, in the same order.",
            "- State each as a takeaway, not as a topic.",
            "- Keep each to one sentence.",
        ),
        _md(
            "sources",
            "## Sources",
            "",
            "- Author, A. (2024, Month day). *Title of the work*. Publisher. Replace with a full citation.",
        ),
    ]
    notebook = new_notebook(cells=cells, metadata=json.loads(json.dumps(KERNEL_METADATA)))
    return notebook


def _t(en: str, de: str) -> dict[str, str]:
    return {"en": en, "de": de}


def _wrong(en: str, de: str, feedback_en: str, feedback_de: str, misconception: str) -> dict:
    return {"text": _t(en, de), "feedback": _t(feedback_en, feedback_de), "misconception": misconception}


def example_bank(name: LessonName) -> str:
    """A bank with one valid example item of each type, in English and German, as YAML text."""
    stem, first, second = name.stem, f"{name.stem}#First-section", f"{name.stem}#Second-section"
    folders = "folder-roles-mixed"
    items = [
        {
            "id": name.item_id("single"),
            "type": "single_choice",
            "level": "apply",
            "question": _t(
                "A colleague spots a typo in a question of this lesson's quiz. Where does she correct it?",
                "Eine Kollegin entdeckt einen Tippfehler in einer Quizfrage dieser Lektion. Wo korrigiert sie ihn?",
            ),
            "options": [
                {
                    "text": _t(f"In quizzes/{stem}.yaml", f"In quizzes/{stem}.yaml"),
                    "correct": True,
                },
                _wrong(
                    "In the notebook's code cell that shows the quiz",
                    "In der Codezelle des Notebooks, die das Quiz zeigt",
                    "The notebook only names the items with quiz.show(); their text lives in the bank.",
                    "Das Notebook nennt die Fragen nur mit quiz.show(); ihr Text steht in der Fragensammlung.",
                    "questions-in-notebook",
                ),
                _wrong(
                    "In responses.json",
                    "In responses.json",
                    "The responses file keeps your answers, not the questions.",
                    "Die Antwortdatei speichert Ihre Antworten, nicht die Fragen.",
                    "answers-are-questions",
                ),
            ],
            "explanation": _t(
                "Questions are data: each lesson has one YAML bank in quizzes/, in English and German.",
                "Fragen sind Daten: Jede Lektion hat eine YAML-Fragensammlung in quizzes/, auf Englisch und Deutsch.",
            ),
            "see": first,
        },
        {
            "id": name.item_id("multiple"),
            "type": "multiple_choice",
            "level": "apply",
            "question": _t(
                "You add a wrong option to an item. What must you give it? Select all that apply.",
                "Sie ergänzen eine falsche Antwortoption. Was müssen Sie ihr mitgeben? Wählen Sie alle zutreffenden.",
            ),
            "options": [
                {
                    "text": _t("Feedback in English and German", "Eine Rückmeldung auf Englisch und Deutsch"),
                    "correct": True,
                },
                {
                    "text": _t("The id of the misconception it reveals", "Die Kennung der Fehlvorstellung dahinter"),
                    "correct": True,
                },
                _wrong(
                    "Nothing; a wrong option is simply wrong",
                    "Nichts; eine falsche Option ist einfach falsch",
                    "A student who picks it needs to learn why it is wrong, so it needs feedback.",
                    "Wer sie wählt, muss erfahren, warum sie falsch ist; deshalb braucht sie eine Rückmeldung.",
                    "feedback-is-optional",
                ),
            ],
            "explanation": _t(
                "Feedback explains the mistake; the misconception id lets the instructor count how often it occurs.",
                "Die Rückmeldung erklärt den Fehler; mit der Kennung zählt die Lehrkraft, wie oft er vorkommt.",
            ),
            "see": first,
        },
        {
            "id": name.item_id("true-false"),
            "type": "true_false",
            "level": "understand",
            "question": _t(
                "True or false: running a quiz cell again deletes your earlier answer.",
                "Wahr oder falsch: Wenn Sie eine Quizzelle erneut ausführen, wird Ihre frühere Antwort gelöscht.",
            ),
            "answer": False,
            "feedback": _t(
                "Every answer is saved; running the cell again shows your last answer.",
                "Jede Antwort wird gespeichert; beim erneuten Ausführen erscheint Ihre letzte Antwort.",
            ),
            "misconception": "rerun-deletes-answers",
            "explanation": _t(
                "Answers go to a responses file on your computer and come back when the quiz is shown again.",
                "Antworten landen in einer Antwortdatei auf Ihrem Rechner und erscheinen beim nächsten Mal wieder.",
            ),
            "see": first,
        },
        {
            "id": name.item_id("numeric"),
            "type": "numeric",
            "level": "apply",
            "question": _t(
                "A firm has 40 staff, and 10 of them write posts. What percentage of the staff is that?",
                "Eine Firma hat 40 Beschäftigte, 10 davon schreiben Beiträge. Wie viel Prozent sind das?",
            ),
            "value": 25,
            "tolerance": 0.5,
            "percent": True,
            "unit": _t("%", "%"),
            "traps": [
                {
                    "value": 400,
                    "feedback": _t(
                        "You divided 40 by 10; divide the part by the whole.",
                        "Sie haben 40 durch 10 geteilt; teilen Sie den Teil durch das Ganze.",
                    ),
                    "misconception": "ratio-inverted",
                }
            ],
            "feedback": _t(
                "Divide the part (10) by the whole (40) and multiply by 100.",
                "Teilen Sie den Teil (10) durch das Ganze (40) und multiplizieren Sie mit 100.",
            ),
            "misconception": "share-percent-confusion",
            "explanation": _t("10 / 40 = 0.25, which is 25 %.", "10 / 40 = 0,25, also 25 %."),
            "see": second,
        },
        {
            "id": name.item_id("short-text"),
            "type": "short_text",
            "level": "remember",
            "question": _t("What is the German word for 'lesson' in a course?", "Wie heißt 'lesson' auf Deutsch?"),
            "accepted": ["Lektion", "Unterrichtseinheit"],
            "fuzzy": 0.85,
            "traps": [
                {
                    "answer": "lesson",
                    "feedback": _t(
                        "That is the English word; the German one is asked for.",
                        "Das ist das englische Wort; gefragt ist das deutsche.",
                    ),
                    "misconception": "english-for-german",
                }
            ],
            "feedback": _t(
                "It starts with 'L' and is used in textbooks too.", "Es beginnt mit 'L' und steht auch in Lehrbüchern."
            ),
            "misconception": "english-for-german",
            "explanation": _t(
                "A lesson is a 'Lektion' (or 'Unterrichtseinheit').",
                "'Lesson' heißt 'Lektion' (oder 'Unterrichtseinheit').",
            ),
            "see": second,
        },
        {
            "id": name.item_id("matching"),
            "type": "matching",
            "level": "apply",
            "question": _t(
                "Match each change you want to make to the folder where you make it.",
                "Ordnen Sie jeder Änderung den Ordner zu, in dem Sie sie vornehmen.",
            ),
            "pairs": [
                {
                    "left": _t("Reword a quiz question", "Eine Quizfrage umformulieren"),
                    "right": _t("quizzes/", "quizzes/"),
                    "feedback": _t(
                        "quizzes/ holds one bank of questions per lesson.",
                        "quizzes/ enthält eine Fragensammlung je Lektion.",
                    ),
                    "misconception": folders,
                },
                {
                    "left": _t("Update a table with newer figures", "Eine Tabelle mit neueren Zahlen aktualisieren"),
                    "right": _t("data/", "data/"),
                    "feedback": _t(
                        "data/ holds the tables and datapackage.json, which names their sources.",
                        "data/ enthält die Tabellen und datapackage.json mit ihren Quellen.",
                    ),
                    "misconception": folders,
                },
                {
                    "left": _t("Add a task to the exercise set", "Der Übung eine Aufgabe hinzufügen"),
                    "right": _t("solutions/", "solutions/"),
                    "feedback": _t(
                        "solutions/ is where exercise sets are written; exercises/ is made from it.",
                        "In solutions/ werden die Übungen geschrieben; exercises/ wird daraus erzeugt.",
                    ),
                    "misconception": folders,
                },
            ],
            "distractors": [_t("exercises/", "exercises/")],
            "explanation": _t(
                "Content lives in quizzes/, data/, notebooks/ and solutions/; the engine in src/teachkit.",
                "Die Inhalte liegen in quizzes/, data/, notebooks/ und solutions/; die Technik in src/teachkit.",
            ),
            "see": second,
        },
    ]
    bank = {
        "lesson": stem,
        "title": _t(name.title, f"{name.title} (Deutsch)"),
        "misconceptions": {
            "questions-in-notebook": _t(
                "Thinks the quiz questions are written inside the lesson notebook.",
                "Glaubt, die Quizfragen stünden im Lektions-Notebook selbst.",
            ),
            "answers-are-questions": _t(
                "Mixes up the file of saved answers with the bank of questions.",
                "Verwechselt die Datei der gespeicherten Antworten mit den Fragen.",
            ),
            "feedback-is-optional": _t(
                "Thinks a wrong option may go without feedback.",
                "Glaubt, eine falsche Antwortoption komme ohne Rückmeldung aus.",
            ),
            "rerun-deletes-answers": _t(
                "Believes that running a quiz cell again deletes earlier answers.",
                "Glaubt, erneutes Ausführen der Quizzelle lösche frühere Antworten.",
            ),
            "ratio-inverted": _t("Divides the wrong way round.", "Teilt in der falschen Richtung."),
            "share-percent-confusion": _t(
                "Mixes up a share (0 to 1) with a percentage (0 to 100).",
                "Verwechselt einen Anteil (0 bis 1) mit einem Prozentwert (0 bis 100).",
            ),
            "english-for-german": _t(
                "Gives the English term where the German one is asked for.",
                "Nennt den englischen Begriff, wo der deutsche gefragt ist.",
            ),
            folders: _t(
                "Mixes up what the course's folders hold.", "Verwechselt, was in den Ordnern des Kurses liegt."
            ),
        },
        "items": items,
    }
    header = (
        "# yaml-language-server: $schema=schema.json\n"
        f"# Quiz bank of lesson {stem}: one example item of each type. Replace them with your own.\n"
        "# Every wrong answer names the misconception it reveals; describe each one under 'misconceptions'.\n"
        f"# Check this file with: python -m teachkit check-banks quizzes/{stem}.yaml\n"
    )
    return header + yaml.safe_dump(bank, allow_unicode=True, sort_keys=False, width=120)


def _has_checks() -> bool:
    """Whether this engine has `teachkit.checks` (checks that explain a wrong value in words)."""
    return importlib.util.find_spec("teachkit.checks") is not None


def _answer(grade_id: str, *lines: str) -> nbformat.NotebookNode:
    return _code(grade_id, *lines, nbgrader={"grade": False, "grade_id": grade_id, "locked": False, "solution": True})


def _test(grade_id: str, points: int, *lines: str) -> nbformat.NotebookNode:
    meta = {"grade": True, "grade_id": grade_id, "locked": True, "points": points, "solution": False}
    return _code(grade_id, *lines, nbgrader=meta)


def solutions_notebook(name: LessonName, with_checks: bool | None = None) -> nbformat.NotebookNode:
    """The exercise set's single source in nbgrader's format: cell metadata v3, `### BEGIN SOLUTION`
    and `### BEGIN HIDDEN TESTS` markers, two autograded tasks with two declared wrong solutions
    each (notebook metadata `teachkit.wrong_solutions`) and one written answer graded by hand.

    Tests use `teachkit.checks.check` when the engine has it, plain `assert`s otherwise.
    """
    checks = _has_checks() if with_checks is None else with_checks
    if checks:
        total_test = [
            'check("total_minutes type", total_minutes, kind=int, hidden=1)',
            "### BEGIN HIDDEN TESTS",
            'check("total_minutes value", total_minutes, 45, hint="Add up all the numbers in the list.")',
            "### END HIDDEN TESTS",
        ]
        share_test = [
            'check("longest_share type", longest_share, kind=float, hidden=1)',
            "### BEGIN HIDDEN TESTS",
            'check("longest_share value", longest_share, 100 * 20 / 45, hint="A percentage is the share times 100.")',
            "### END HIDDEN TESTS",
        ]
    else:
        total_test = [
            'assert isinstance(total_minutes, int), "total_minutes should be a whole number (an int)."',
            "### BEGIN HIDDEN TESTS",
            'assert total_minutes == 45, "Add up all the numbers in the list."',
            "### END HIDDEN TESTS",
        ]
        share_test = [
            'assert isinstance(longest_share, float), "longest_share should be a number (a float)."',
            "### BEGIN HIDDEN TESTS",
            'assert abs(longest_share - 100 * 20 / 45) < 1e-6, "A percentage is the share times 100."',
            "### END HIDDEN TESTS",
        ]
    cells = [
        _md(
            "title",
            f"# {name.number} · {name.title} — Solutions",
            "",
            f"Practise what lesson {name.number} showed. Replace these example tasks with 3–6 of your own.",
            "",
            "**Time:** about 15 minutes · **Points:** 4 (2 checked automatically, 2 graded by your instructor).",
        ),
        _md(
            "how-this-works",
            "## How this works",
            "",
            "Run the setup cell first, then work through the tasks in order.",
            "Write your code where it says `# your code here` and run the check cell below it.",
        ),
        _code(
            "setup",
            "# Setup: run this cell first. Don't change it.",
            "from teachkit import setup",
            *(["from teachkit.checks import check"] if checks else []),
            "setup()",
            "minutes = [20, 15, 10]  # the parts of a workshop: read, run, answer",
            nbgrader={"grade": False, "grade_id": "setup", "locked": True, "solution": False},
        ),
        _md(
            "task-1",
            "## Task 1 · Total time (1 point)",
            "",
            "The list `minutes` holds the length of each part of a workshop.",
            "Assign the total number of minutes to **`total_minutes`**, a whole number (**int**).",
        ),
        _answer(
            "total-minutes-answer",
            "### BEGIN SOLUTION",
            "total_minutes = sum(minutes)",
            "### END SOLUTION",
            "total_minutes",
        ),
        _test("total-minutes", 1, *total_test),
        _md(
            "task-2",
            "## Task 2 · The longest part (1 point)",
            "",
            "Assign the longest part's share of the total time, **in percent**, to **`longest_share`** (a **float**).",
        ),
        _answer(
            "longest-share-answer",
            "### BEGIN SOLUTION",
            "longest_share = 100 * max(minutes) / sum(minutes)",
            "### END SOLUTION",
            "longest_share",
        ),
        _test("longest-share", 1, *share_test),
        _md(
            "task-3",
            "## Task 3 · Reflection (2 points, graded by your instructor)",
            "",
            "In two or three sentences: which part of the workshop would you shorten first, and why?",
        ),
        _md(
            "reflection",
            "### BEGIN SOLUTION",
            "**Model answer.** Reading takes almost half of the time; shortening it leaves more time to practise.",
            "",
            "**Rubric (2 points).**",
            "- 1 point: uses the share from task 2.",
            "- 1 point: gives a reason tied to what the workshop is for.",
            "### END SOLUTION",
        ),
        _md("done", "## Done", "", "Save the notebook and hand it in as your instructor asks."),
    ]
    cells[-2].metadata["nbgrader"] = {
        "schema_version": 3,
        "grade": True,
        "grade_id": "reflection",
        "locked": False,
        "points": 2,
        "solution": True,
    }
    metadata = json.loads(json.dumps(KERNEL_METADATA))
    metadata["teachkit"] = {
        "lesson": f"notebooks/{name.stem}.ipynb",
        "set": name.stem,
        "wrong_solutions": [
            {
                "task": "total-minutes",
                "why": "counts the parts instead of adding the minutes",
                "replace": {"total-minutes-answer": "total_minutes = len(minutes)"},
            },
            {
                "task": "total-minutes",
                "why": "hours instead of minutes (a float)",
                "replace": {"total-minutes-answer": "total_minutes = sum(minutes) / 60"},
            },
            {
                "task": "longest-share",
                "why": "a share (0 to 1) instead of a percentage",
                "replace": {"longest-share-answer": "longest_share = max(minutes) / sum(minutes)"},
            },
            {
                "task": "longest-share",
                "why": "the shortest part instead of the longest",
                "replace": {"longest-share-answer": "longest_share = 100 * min(minutes) / sum(minutes)"},
            },
        ],
    }
    return new_notebook(cells=cells, metadata=metadata)


def glossary_rows(name: LessonName) -> list[dict[str, str]]:
    """Example glossary rows, to be replaced by the terms the lesson defines."""
    return [
        {
            "term_en": f"example term ({name.stem})",
            "term_de": f"Beispielbegriff ({name.stem})",
            "definition_en": "Replace this row in data/glossary.csv with a term the lesson defines.",
            "definition_de": "Ersetzen Sie diese Zeile in data/glossary.csv durch einen Begriff der Lektion.",
            "lesson": name.stem,
        }
    ]


def lesson_files(root: Path, name: LessonName) -> dict[str, Path]:
    return {
        "lesson": root / "notebooks" / f"{name.stem}.ipynb",
        "bank": root / "quizzes" / f"{name.stem}.yaml",
        "solutions": root / "solutions" / f"{name.stem}-solutions.ipynb",
    }


def create_lesson(root: Path, name: LessonName, minutes: int = DEFAULT_MINUTES) -> list[Path]:
    """Write the new lesson's files into the course at `root`; refuse to overwrite anything.

    Returns the files written or changed. Executing the notebooks is the caller's step (it needs
    a kernel), so this function stays quick and testable.
    """
    files = lesson_files(root, name)
    taken = [p for p in files.values() if p.exists()]
    taken += [p for p in (root / "notebooks").glob(f"{name.number}-*.ipynb") if p != files["lesson"]]
    if taken:
        listed = ", ".join(p.relative_to(root).as_posix() for p in taken)
        raise FileExistsError(
            f"Lesson {name.number} or its files exist already ({listed}); choose another number or remove them first."
        )
    glossary = root / "data" / "glossary.csv"
    with glossary.open(encoding="utf-8", newline="") as handle:
        columns = next(csv.reader(handle), None)
    if not columns:
        raise ValueError(f"{glossary} has no header row; it needs term_en,term_de,definition_en,definition_de,lesson.")
    for path in files.values():
        path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(lesson_notebook(name, minutes), files["lesson"])
    files["bank"].write_text(example_bank(name), encoding="utf-8")
    nbformat.write(solutions_notebook(name), files["solutions"])
    text = glossary.read_text(encoding="utf-8")
    with glossary.open("a", encoding="utf-8", newline="") as handle:
        if text and not text.endswith("\n"):
            handle.write("\n")
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writerows(glossary_rows(name))
    return [*files.values(), glossary]
