"""The lesson linter: what a lesson notebook must have before it ships, checked in one place.

Every rule is in `RULES` with a one-line rationale. A finding names the notebook, the cell
(1-based, as counted from the top) and the rule, and says how to fix it:

    notebooks/01-x.ipynb, cell 7 [code-cell-length]: the code cell has 18 lines; the limit is 15.
    Fix: split it into cells that each do one thing …

Pure logic: notebooks and banks in, findings out. The CLI (`python -m teachkit lint`) prints them.
A cell can opt out of a cell-level rule with the tag `allow-<rule>` (e.g. `allow-code-cell-length`),
so every exception is visible in the notebook itself; nbval's `raises-exception` tag allows an
error output.
"""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .course import course_root, edition_language
from .glossary import COLUMNS, terms
from .lessons import LESSON_NAME, LESSON_NAME_HELP, Heading, headings, lesson_paths, markdown_lines
from .lessons import time_estimate as read_time_estimate
from .quiz.bank import BankError, bank_paths, display_path, read_bank
from .quiz.model import Bank
from .quiz.quality import MAX_REMEMBER_SHARE, MIN_APPLY_SHARE, length_cues, level_profile

MAX_CODE_LINES = 15
MINUTES_PER_QUIZ_POINT = 15
OBJECTIVES_RANGE = (3, 5)


@dataclass(frozen=True)
class Rule:
    id: str
    summary: str
    why: str


RULES: dict[str, Rule] = {
    rule.id: rule
    for rule in [
        Rule(
            "notebook-readable",
            "The file is a readable notebook named NN-slug.ipynb.",
            "The lesson number orders the course; the stem ties the lesson to its bank and glossary rows.",
        ),
        Rule(
            "h1-first",
            "The first cell starts with the lesson's only H1.",
            "The H1 is the lesson's title in JupyterLab, the README table and every quiz's 'see' link.",
        ),
        Rule(
            "time-estimate",
            "The first cell states a time estimate (e.g. 'about 45 minutes').",
            "Students and instructors plan with it; quiz density is measured against it.",
        ),
        Rule(
            "objectives",
            "A 'Learning objectives' section lists 3–5 objectives.",
            "Observable objectives tell students what they will be able to do, and anchor the quizzes.",
        ),
        Rule(
            "key-points",
            "A 'Key points' section has one point per objective.",
            "Key points mirror the objectives one for one, so a student can check each was reached.",
        ),
        Rule(
            "key-terms",
            "A code cell shows the lesson's key terms with glossary.key_terms('NN-slug').",
            "Terms live once, in data/glossary.csv, with their German equivalent; lessons never retype them.",
        ),
        Rule(
            "setup-cell",
            "One setup cell imports from teachkit and calls setup() before other code.",
            "One place sets language, display options, plot style and seeds, so Run All is reproducible.",
        ),
        Rule(
            "quiz-ids",
            "Every id in quiz.show(...) is a literal id from the lesson's own bank.",
            "A misspelt or foreign id breaks the quiz cell for students; literal ids can be checked here.",
        ),
        Rule(
            "bank-items-used",
            "Every item of a lesson's bank is shown in some lesson.",
            "An item nobody can answer is dead weight that still has to be translated and maintained.",
        ),
        Rule(
            "quiz-density",
            f"At least 1 quiz point per ~{MINUTES_PER_QUIZ_POINT} minutes of estimated time.",
            "Frequent low-stakes retrieval practice helps learning more than one test at the end.",
        ),
        Rule(
            "quiz-levels",
            f"At least {MIN_APPLY_SHARE:.0%} of the items a lesson shows ask to apply, analyse or evaluate, "
            f"at most {MAX_REMEMBER_SHARE:.0%} only to remember (each item's 'level').",
            "Recalling a year or a word is trivia; students learn from using an idea on a case.",
        ),
        Rule(
            "length-cue",
            "In at most a third of a lesson's single-choice items is the right option the "
            "longest, and in at most a third the shortest (English and German).",
            "A test-wise student who always picks the longest (or shortest) option must not score without reading.",
        ),
        Rule(
            "see-links",
            "Every quiz item's 'see' pointer names a heading that exists in its lesson.",
            "Feedback sends a student back to that section; a renamed heading must not send them nowhere.",
        ),
        Rule(
            "sources",
            "A 'Sources' section lists full citations, each with a year.",
            "Every fact can be checked, and every fact that ages carries its date.",
        ),
        Rule(
            "absolute-paths",
            "No absolute or home-relative paths in code, links or outputs.",
            "The course must run on any machine; a machine path also leaks an author's user name.",
        ),
        Rule(
            "no-install",
            "No '!pip', '%pip', conda or other installs in a notebook.",
            "Everything comes from requirements.txt, so every student runs the same versions.",
        ),
        Rule(
            "no-network",
            "No network access from code (requests, urllib, http, URLs passed to readers).",
            "Lessons run offline and deterministically; nothing a student does leaves the machine.",
        ),
        Rule(
            "code-cell-length",
            f"Code cells have at most {MAX_CODE_LINES} lines.",
            "Short cells with one idea each are easier to read, predict and debug (most need 1–5 lines).",
        ),
        Rule(
            "no-error-outputs",
            "No error output and nothing on stderr (warnings) in committed outputs.",
            "A student should never see a traceback or warning the author left behind.",
        ),
        Rule(
            "no-timestamps",
            "No per-cell execution timestamps in the notebook's metadata.",
            "Timestamps change on every run, so each re-execution would show as a change in review.",
        ),
        Rule(
            "translation-stale",
            "No translation unit is fuzzy: every German unit was made for the English text as it is now.",
            "A changed English cell must not keep an outdated German twin; the diff shows what to update.",
        ),
        Rule(
            "translation-built",
            "Built German notebooks match their English notebook and .po file; complete translations are built.",
            "The German edition is generated: a stale one teaches last term's text without anyone noticing.",
        ),
        Rule(
            "fresh-outputs",
            "Code cells were run top to bottom: execution counts are 1, 2, …, n.",
            "Outputs must be what Restart & Run All produces; nbval strict compares against them.",
        ),
    ]
}

# Rules that can be waived for one cell with the tag `allow-<rule>`.
CELL_RULES = {"absolute-paths", "no-install", "no-network", "code-cell-length", "no-error-outputs"}

FIX_EXECUTE = "re-run it with `python -m teachkit execute {path}` and commit the result"


@dataclass(frozen=True)
class Finding:
    """One thing a notebook still lacks; `cell` is 1-based, None for the notebook as a whole."""

    path: str
    cell: int | None
    rule: str
    message: str
    fix: str

    def __str__(self) -> str:
        where = f"{self.path}, cell {self.cell}" if self.cell else self.path
        return f"{where} [{self.rule}]: {self.message}. Fix: {self.fix}"


@dataclass
class CourseFacts:
    """What the checks need to know about the course beyond one notebook."""

    root: Path
    banks: dict[str, Bank] = field(default_factory=dict)  # by lesson stem
    bank_problems: dict[str, str] = field(default_factory=dict)  # by lesson stem: first problem
    item_owner: dict[str, str] = field(default_factory=dict)  # item id -> lesson stem
    shown: dict[str, set[str]] = field(default_factory=dict)  # item id -> lesson stems showing it

    @classmethod
    def read(cls, root: Path, extra_notebooks: Iterable[Path] = ()) -> CourseFacts:
        facts = cls(root)
        for path in bank_paths(root):
            try:
                bank = read_bank(path)
            except BankError as problem:
                facts.bank_problems[path.stem] = problem.messages[0]
                continue
            facts.banks[path.stem] = bank
            for item in bank.items:
                facts.item_owner.setdefault(item.id, path.stem)
        for path in {*lesson_paths(root), *(Path(p) for p in extra_notebooks)}:
            try:
                notebook = nbformat.read(path, as_version=4)
            except Exception:  # reported by the notebook's own lint
                continue
            for _, ids, _ in quiz_calls(notebook):
                for item_id in ids:
                    facts.shown.setdefault(item_id, set()).add(path.stem)
        return facts

    def glossary_problem(self, lesson: str) -> str | None:
        """Why the lesson's key-terms table would be empty or fail, or None when it has rows."""
        try:
            rows = terms(lesson, self.root)
        except FileNotFoundError:
            return "data/glossary.csv does not exist"
        except ValueError as problem:
            return str(problem).rstrip(".")
        return None if len(rows) else f"data/glossary.csv has no rows for lesson {lesson!r}"


def jupyter_anchor(heading: str) -> str:
    """The id JupyterLab 4 gives a Markdown heading: its rendered text with each space turned into '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # [link text](target) -> link text
    text = re.sub(r"<[^>]+>", "", text)  # inline HTML tags render as nothing
    text = re.sub(r"(\*\*|__|\*|`)", "", text)  # emphasis and code marks
    return text.strip().replace(" ", "-")


def anchor_key(text: str) -> str:
    """A heading or anchor reduced to what identifies it: 'Segment by behaviour, not birth year' and
    'Segment-by-behaviour-not-birth-year' give the same key (JupyterLab turns spaces into '-')."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # [link text](target) -> link text
    text = re.sub(r"[\s-]+", "-", text.casefold())
    return re.sub(r"-+", "-", re.sub(r"[^\w-]", "", text)).strip("-")


# -- reading code cells --------------------------------------------------------------------

_SHELL_LINE = re.compile(r"^\s*[!%]")


def python_tree(source: str) -> ast.Module | None:
    """The cell's syntax tree, with IPython magics and shell lines blanked; None if not Python."""
    lines = ["" if _SHELL_LINE.match(line) else line for line in source.splitlines()]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def dotted_name(node: ast.AST) -> str:
    """'quiz.show' for the function of `quiz.show(...)`; '' when it is not a plain name."""
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        base = dotted_name(node.value)
        return f"{base}.{node.attr}" if base else ""
    return ""


def quiz_calls(notebook: nbformat.NotebookNode) -> Iterator[tuple[int, list[str], bool]]:
    """(cell index, literal ids, whether every argument was a literal) for each quiz.show call."""
    for index, cell in enumerate(notebook.cells):
        if cell.cell_type != "code" or "show" not in cell.source:
            continue
        tree = python_tree(cell.source)
        if tree is None:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and dotted_name(node.func).endswith("quiz.show"):
                ids = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
                literal = len(ids) == len(node.args) and not node.keywords
                yield index, ids, literal


# -- the checks ----------------------------------------------------------------------------


class _Lint:
    """Runs every rule over one notebook and collects findings."""

    def __init__(self, path: Path, notebook: nbformat.NotebookNode, facts: CourseFacts):
        self.path = path
        self.shown_path = display_path(path)
        self.nb = notebook
        self.facts = facts
        self.stem = path.stem
        self.findings: list[Finding] = []
        self.headings = headings(notebook)
        self.minutes = read_time_estimate(notebook)

    def add(self, cell: int | None, rule: str, message: str, fix: str) -> None:
        if cell is not None and rule in CELL_RULES:
            tags = self.nb.cells[cell].get("metadata", {}).get("tags", [])
            if f"allow-{rule}" in tags:
                return
        self.findings.append(Finding(self.shown_path, None if cell is None else cell + 1, rule, message, fix))

    def run(self) -> list[Finding]:
        for check in (
            self.name,
            self.h1,
            self.time,
            self.objectives_and_key_points,
            self.key_terms,
            self.setup_cell,
            self.quizzes,
            self.item_quality,
            self.see_links,
            self.sources,
            self.code_cells,
            self.markdown_cells,
            self.outputs,
            self.timestamps,
            self.execution_order,
        ):
            check()
        order = list(RULES)
        return sorted(self.findings, key=lambda f: (f.cell or 0, order.index(f.rule)))

    # structure ------------------------------------------------------------------------------
    def name(self) -> None:
        if not LESSON_NAME.match(self.stem):
            self.add(
                None,
                "notebook-readable",
                f"the file name {self.path.name!r} is not a lesson name",
                f"rename it to {LESSON_NAME_HELP}, and give its bank the same stem",
            )

    def h1(self) -> None:
        first = self.nb.cells[0] if self.nb.cells else None
        first_line = next((line for line in markdown_lines(first.source) if line.strip()), "") if first else ""
        starts_well = first is not None and first.cell_type == "markdown" and bool(re.match(r"^#\s+\S", first_line))
        if not starts_well:
            self.add(
                0 if first is not None else None,
                "h1-first",
                "the notebook does not start with a Markdown cell whose first line is the H1 title",
                "make the first cell Markdown and start it with '# Lesson title'",
            )
        h1s = [h for h in self.headings if h.level == 1]
        for extra in h1s[1:] if starts_well else h1s:
            self.add(
                extra.cell,
                "h1-first",
                f"another H1, '# {extra.text}'",
                "keep one H1, the title in the first cell; use '##' for sections",
            )

    def time(self) -> None:
        if self.minutes is None:
            self.add(
                0 if self.nb.cells else None,
                "time-estimate",
                "the first cell gives no time estimate",
                "add a line such as '**Time:** about 45 minutes' under the title",
            )

    def section(self, pattern: str) -> tuple[Heading, list[str]] | None:
        """The first heading matching `pattern` and the Markdown lines under it, up to the next
        heading of the same or a higher level."""
        regex = re.compile(pattern, re.IGNORECASE)
        for position, heading in enumerate(self.headings):
            if not regex.search(heading.text):
                continue
            end = next((h for h in self.headings[position + 1 :] if h.level <= heading.level), None)
            last_cell = end.cell if end else len(self.nb.cells) - 1
            lines: list[str] = []
            for index in range(heading.cell, last_cell + 1):
                cell = self.nb.cells[index]
                if cell.cell_type != "markdown":
                    continue
                cell_lines = markdown_lines(cell.source)
                stop = end.line if end is not None and index == end.cell else len(cell_lines)
                start = heading.line + 1 if index == heading.cell else 0
                lines.extend(cell_lines[start:stop])
            return heading, lines
        return None

    @staticmethod
    def bullets(lines: list[str]) -> list[str]:
        return [m.group(1) for line in lines if (m := re.match(r"^ {0,3}(?:[-*+]|\d+[.)])\s+(.*)", line))]

    def objectives_and_key_points(self) -> None:
        low, high = OBJECTIVES_RANGE
        objectives = self.section(r"^(learning )?(objectives|goals)\b")
        count = None
        if objectives is None:
            self.add(
                None,
                "objectives",
                "there is no 'Learning objectives' section",
                f"add '## Learning objectives' after the title with {low}–{high} bullets, each starting "
                "with an observable verb (explain, compare, compute …)",
            )
        else:
            count = len(self.bullets(objectives[1]))
            if not low <= count <= high:
                self.add(
                    objectives[0].cell,
                    "objectives",
                    f"'{objectives[0].text}' lists {count} objectives",
                    f"give {low}–{high} bullets, one observable outcome each",
                )
        points = self.section(r"^key (points|takeaways)\b")
        if points is None:
            self.add(
                None,
                "key-points",
                "there is no 'Key points' section",
                "add '## Key points' near the end with one bullet per learning objective",
            )
            return
        n_points = len(self.bullets(points[1]))
        if count is not None and n_points != count:
            self.add(
                points[0].cell,
                "key-points",
                f"'{points[0].text}' has {n_points} points for {count} learning objectives",
                "write exactly one key point per objective, in the same order",
            )
        elif count is None and not low <= n_points <= high:
            self.add(
                points[0].cell,
                "key-points",
                f"'{points[0].text}' has {n_points} points",
                f"give {low}–{high} bullets, one per learning objective",
            )

    def key_terms(self) -> None:
        calls = []
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code" or "key_terms" not in cell.source:
                continue
            tree = python_tree(cell.source)
            for node in ast.walk(tree) if tree else []:
                if isinstance(node, ast.Call) and dotted_name(node.func).endswith("key_terms"):
                    arg = node.args[0] if node.args else None
                    calls.append((index, arg.value if isinstance(arg, ast.Constant) else None))
        if not calls:
            self.add(
                None,
                "key-terms",
                "no cell shows the lesson's key terms",
                f"add a '## Key terms' section with a code cell "
                f'`from teachkit import glossary` / `glossary.key_terms("{self.stem}")`',
            )
            return
        index, lesson = calls[0]
        if not isinstance(lesson, str) or lesson != self.stem:
            self.add(
                index,
                "key-terms",
                f"key_terms() is called with {lesson!r}, not this lesson's stem",
                f'call glossary.key_terms("{self.stem}")',
            )
        elif problem := self.facts.glossary_problem(self.stem):
            self.add(
                index,
                "key-terms",
                problem,
                f"append the terms this lesson defines to data/glossary.csv (columns {', '.join(COLUMNS)}) "
                f"with lesson={self.stem}",
            )

    def setup_cell(self) -> None:
        setups: list[int] = []
        first_code: int | None = None
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code" or not cell.source.strip():
                continue
            tree = python_tree(cell.source)
            imports = tree is not None and any(
                isinstance(n, ast.ImportFrom) and (n.module or "").split(".")[0] == "teachkit" for n in ast.walk(tree)
            )
            calls_setup = tree is not None and any(
                isinstance(n, ast.Call) and dotted_name(n.func) in ("setup", "teachkit.setup") for n in ast.walk(tree)
            )
            if imports and calls_setup:
                setups.append(index)
            elif first_code is None and "key_terms" not in cell.source:
                first_code = index
        if not setups:
            self.add(
                None,
                "setup-cell",
                "there is no setup cell",
                "add one code cell near the top: `from teachkit import data, quiz, setup` and `setup()`",
            )
            return
        for extra in setups[1:]:
            self.add(
                extra,
                "setup-cell",
                "setup() is called a second time",
                "call setup() once, in the setup cell at the top; to switch language use setup(lang='de') there",
            )
        if first_code is not None and first_code < setups[0]:
            self.add(
                first_code,
                "setup-cell",
                f"code runs before the setup cell (cell {setups[0] + 1})",
                "move the setup cell above every other code cell (only the key-terms cell may precede it)",
            )

    def quizzes(self) -> None:
        bank = self.facts.banks.get(self.stem)
        problem = self.facts.bank_problems.get(self.stem)
        bank_file = f"quizzes/{self.stem}.yaml"
        counted: set[str] = set()
        any_call = False
        own_items = {item.id: item for item in bank.items} if bank else {}
        for index, ids, literal in quiz_calls(self.nb):
            any_call = True
            if not literal:
                self.add(
                    index,
                    "quiz-ids",
                    "quiz.show() has arguments that are not literal ids",
                    'pass the item ids as plain strings, e.g. quiz.show("item-a", "item-b")',
                )
            for item_id in ids:
                if item_id in own_items:
                    counted.add(item_id)
                    continue
                if problem:
                    continue  # reported once below
                owner = self.facts.item_owner.get(item_id)
                if owner:
                    self.add(
                        index,
                        "quiz-ids",
                        f"item {item_id!r} belongs to quizzes/{owner}.yaml, not to this lesson's {bank_file}",
                        f"move the item into {bank_file}, or show it from lesson {owner}",
                    )
                else:
                    self.add(
                        index,
                        "quiz-ids",
                        f"item {item_id!r} is in no bank",
                        f"check the spelling, or add the item to {bank_file}",
                    )
        if problem:
            self.add(
                None,
                "quiz-ids",
                f"{bank_file} does not load ({problem})",
                "run `python -m teachkit check-banks` and fix what it reports",
            )
        elif bank is None and any_call:
            self.add(
                None,
                "quiz-ids",
                f"the lesson shows quizzes but {bank_file} does not exist",
                f"create {bank_file} (`python -m teachkit new-lesson` writes an example)",
            )
        if bank is not None:
            for item in bank.items:
                if not self.facts.shown.get(item.id):
                    self.add(
                        None,
                        "bank-items-used",
                        f"item {item.id!r} of {bank_file} is shown in no lesson",
                        f"add it to a quiz.show(...) call in this lesson, or delete it from {bank_file}",
                    )
        points = sum(own_items[item_id].points for item_id in counted)  # an item shown twice counts once
        if self.minutes is not None and not problem:
            needed = max(1, self.minutes // MINUTES_PER_QUIZ_POINT)
            if points < needed:
                self.add(
                    None,
                    "quiz-density",
                    f"the quizzes are worth {points:g} point(s) for about {self.minutes} minutes; "
                    f"at least {needed} are needed",
                    f"add quiz items (1 point each unless 'points' says otherwise) to {bank_file} and show "
                    "them, roughly one every 15 minutes of the lesson",
                )

    def item_quality(self) -> None:
        """Levels and the length cue, over the lesson's own items that it actually shows."""
        bank = self.facts.banks.get(self.stem)
        if bank is None:
            return
        shown = {item_id for _, ids, _ in quiz_calls(self.nb) for item_id in ids}
        items = [item for item in bank.items if item.id in shown]
        bank_file = f"quizzes/{self.stem}.yaml"
        for problem in level_profile(items).problems():
            self.add(
                None,
                "quiz-levels",
                f"of the items shown, {problem}",
                f"rewrite recall items in {bank_file} as short cases from a small firm in which the student must "
                "use the idea, and set each item's 'level' (`check-banks` prints the distribution)",
            )
        for cue in length_cues(items):
            self.add(
                None,
                "length-cue",
                cue.problem(),
                f"in {bank_file}, make the wrong options as long and as specific as the right one, so that the right "
                "one is sometimes longer, sometimes shorter and often in between; write each from a misconception",
            )

    def see_links(self) -> None:
        anchors = {jupyter_anchor(h.text) for h in self.headings}
        near = {anchor_key(a): a for a in anchors}
        for stem, bank in sorted(self.facts.banks.items()):
            for item in bank.items:
                lesson, _, anchor = item.see.partition("#")
                if lesson != self.stem or not anchor or anchor in anchors:
                    continue
                close = near.get(anchor_key(anchor))
                fix = (
                    f"write 'see: {self.stem}#{close}', the anchor JupyterLab gives that heading"
                    if close
                    else "point 'see' at an existing heading (its text with spaces as '-', e.g. "
                    f"'{self.stem}#{self._example_anchor()}'), or restore the heading"
                )
                self.add(
                    None,
                    "see-links",
                    f"item {item.id!r} in quizzes/{stem}.yaml sends students to '#{anchor}', "
                    "but no heading of this lesson has that anchor",
                    fix,
                )

    def _example_anchor(self) -> str:
        h2 = next((h for h in self.headings if h.level == 2), None)
        return jupyter_anchor(h2.text) if h2 else "Section-title"

    def sources(self) -> None:
        found = self.section(r"^(sources|references)\b")
        if found is None:
            self.add(
                None,
                "sources",
                "there is no 'Sources' section",
                "end the lesson with '## Sources': one bullet per work, with author, year, title, publisher and link",
            )
            return
        heading, lines = found
        entries = self.bullets(lines)
        if not entries and not any(line.strip() for line in lines):
            self.add(
                heading.cell,
                "sources",
                "the 'Sources' section is empty",
                "list each work used, one bullet per work, with its year",
            )
        for number, entry in enumerate(entries, start=1):
            if "datapackage.json" in entry:
                continue  # points to the data package, whose sources carry their dates (tests check them)
            if not re.search(r"\b(1[89]|20)\d\d\b", entry):
                self.add(
                    heading.cell,
                    "sources",
                    f"source {number} has no year: {entry[:60]!r}",
                    "add the publication year (and for web pages the date you accessed them); a note that is "
                    "not a citation belongs in a sentence under the list",
                )

    # code and content -----------------------------------------------------------------------
    def code_cells(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            source = cell.source
            lines = source.rstrip().splitlines()
            if len(lines) > MAX_CODE_LINES:
                self.add(
                    index,
                    "code-cell-length",
                    f"the code cell has {len(lines)} lines; the limit is {MAX_CODE_LINES}",
                    "split it into cells that each do one thing and end with the value to look at; "
                    "move a long helper into a module",
                )
            for line in lines:
                if _INSTALL.search(line):
                    self.add(
                        index,
                        "no-install",
                        f"installs a package: {line.strip()[:60]!r}",
                        "remove the line and add the package to requirements.txt",
                    )
                elif _SHELL_FETCH.search(line):
                    self.add(
                        index,
                        "no-network",
                        f"downloads at run time: {line.strip()[:60]!r}",
                        'commit the data under data/ with a datapackage.json entry and load it with data.load("name")',
                    )
            tree = python_tree(source)
            if tree is None:
                continue
            self._network(index, tree)
            for node in ast.walk(tree):
                if isinstance(node, ast.Constant) and isinstance(node.value, str) and _is_machine_path(node.value):
                    self.add(
                        index,
                        "absolute-paths",
                        f"the path {node.value[:60]!r} only exists on one machine",
                        'load course files with data.load("name") or a path relative to the notebook',
                    )

    def _network(self, index: int, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            modules: list[str] = []
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                modules = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
            for module in modules:
                if module in _NETWORK_MODULES or module.split(".")[0] in _NETWORK_PACKAGES:
                    self.add(
                        index,
                        "no-network",
                        f"imports {module}, a network library",
                        "remove network access; ship what the lesson needs under data/",
                    )
                    break
            if isinstance(node, ast.Call):
                function = dotted_name(node.func).split(".")[-1]
                if function in _READERS or function.startswith("read_"):
                    for arg in [*node.args, *(k.value for k in node.keywords)]:
                        if isinstance(arg, ast.Constant) and isinstance(arg.value, str) and _URL.match(arg.value):
                            self.add(
                                index,
                                "no-network",
                                f"{function}() fetches {arg.value[:60]!r}",
                                "download the file once, commit it under data/ with its source in "
                                'datapackage.json, and use data.load("name")',
                            )

    def markdown_cells(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "markdown":
                continue
            for match in _MD_TARGET.finditer(cell.source):
                image, target = match.group(1), match.group(2)
                if _is_machine_path(target) or target.startswith("file:"):
                    self.add(
                        index,
                        "absolute-paths",
                        f"links to {target[:60]!r}, a path on one machine",
                        "use a path relative to the notebook, e.g. ../data/README.md",
                    )
                elif image and _URL.match(target):
                    self.add(
                        index,
                        "no-network",
                        f"shows the remote image {target[:60]!r}",
                        "save the image under notebooks/figures/ (check its licence) and link it relatively",
                    )

    def outputs(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            tags = cell.get("metadata", {}).get("tags", [])
            for output in cell.get("outputs", []):
                kind = output.get("output_type")
                if kind == "error" and "raises-exception" not in tags:
                    self.add(
                        index,
                        "no-error-outputs",
                        f"the output is an error ({output.get('ename', 'Error')}: "
                        f"{str(output.get('evalue', ''))[:60]})",
                        f"fix the cell and {FIX_EXECUTE.format(path=self.shown_path)}; if the error is "
                        "the lesson's point, tag the cell 'raises-exception'",
                    )
                elif kind == "stream" and output.get("name") == "stderr":
                    first = next((line for line in output.get("text", "").splitlines() if line.strip()), "")
                    self.add(
                        index,
                        "no-error-outputs",
                        f"the output has text on stderr: {first[:70]!r}",
                        f"remove the cause of the warning and {FIX_EXECUTE.format(path=self.shown_path)}",
                    )
                text = json.dumps(output.get("data", output.get("text", "")))
                match = _OUTPUT_PATH.search(text)
                if match:
                    self.add(
                        index,
                        "absolute-paths",
                        f"the output shows the machine path {match.group(0)[:50]!r}",
                        "print names or relative paths instead, then re-execute the notebook",
                    )

    def timestamps(self) -> None:
        stamped = [i for i, cell in enumerate(self.nb.cells) if "execution" in cell.get("metadata", {})]
        if stamped:
            self.add(
                stamped[0],
                "no-timestamps",
                f"{len(stamped)} cell(s), from this one on, carry execution timestamps in their metadata",
                f"{FIX_EXECUTE.format(path=self.shown_path)} (it removes them)",
            )

    def execution_order(self) -> None:
        expected = 1
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            if not cell.source.strip():
                self.add(index, "fresh-outputs", "the code cell is empty", "delete the empty cell")
                continue
            count = cell.get("execution_count")
            if count != expected:
                state = "was never run" if count is None else f"has execution count {count}, expected {expected}"
                self.add(
                    index,
                    "fresh-outputs",
                    f"the cell {state}, so the outputs are not from one top-to-bottom run",
                    FIX_EXECUTE.format(path=self.shown_path),
                )
                return
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result" and output.get("execution_count") != count:
                    self.add(
                        index,
                        "fresh-outputs",
                        "the cell's result belongs to an older run",
                        FIX_EXECUTE.format(path=self.shown_path),
                    )
                    return
            expected += 1


_INSTALL = re.compile(r"^\s*(%\s*(pip|conda|mamba)\b|!.*\b(pip3?|conda|mamba|uv|apt(-get)?)\s+(install|add)\b)")
_SHELL_FETCH = re.compile(r"^\s*!\s*(curl|wget|git\s+clone)\b")
_NETWORK_PACKAGES = {"requests", "httpx", "aiohttp", "urllib3", "socket", "ftplib", "smtplib", "pycurl", "webbrowser"}
_NETWORK_MODULES = {"urllib", "urllib.request", "http.client", "http.server"}
_READERS = {
    "urlopen",
    "urlretrieve",
    "Request",
    "get",
    "post",
    "put",
    "request",
    "download",
    "fetch",
    "open",
    "load",
    "loadtxt",
    "genfromtxt",
    "imread",
}
_URL = re.compile(r"^(https?|ftp)://", re.IGNORECASE)
_MD_TARGET = re.compile(r"(!?)\[[^\]]*\]\(\s*<?([^)\s>]+)")
_MACHINE_ROOTS = r"home|Users|root|tmp|work|mnt|opt|var|srv|private|Volumes|media|usr|etc"
_OUTPUT_PATH = re.compile(rf"(?<![\w.:/])(/(?:{_MACHINE_ROOTS})/[^\s'\"\\]+|[A-Za-z]:\\\\+Users\\\\+[^\s'\"]+)")


def _is_machine_path(text: str) -> bool:
    """True for '/home/ann/x.csv', 'C:\\data\\x.csv', '~/x.csv' — paths that exist on one machine only."""
    text = text.strip()
    if "\n" in text or len(text) < 3:
        return False
    return bool(re.match(r"^(/[\w.\-]+/|/[\w.\-]+\.\w+$|[A-Za-z]:[\\/]|~[\\/]|\\\\\w)", text))


# -- entry points --------------------------------------------------------------------------


def lint_notebook(path: Path | str, facts: CourseFacts | None = None) -> list[Finding]:
    """Every finding for one lesson notebook (course facts are read if not given)."""
    path = Path(path)
    root = facts.root if facts else course_root(path.parent)
    facts = facts or CourseFacts.read(root, [path])
    try:
        notebook = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        return [
            Finding(
                display_path(path),
                None,
                "notebook-readable",
                "no such file",
                "check the path; lessons live in notebooks/",
            )
        ]
    except Exception as problem:
        reason = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        return [
            Finding(
                display_path(path),
                None,
                "notebook-readable",
                f"not a readable notebook ({reason})",
                "open it in JupyterLab and save it again, or restore it from git",
            )
        ]
    return _Lint(path, notebook, facts).run()


def output_findings(path: Path | str) -> list[Finding]:
    """Only the output rules (errors, stderr, machine paths, run order), for any executed notebook,
    e.g. in solutions/ as well as notebooks/."""
    path = Path(path)
    try:
        notebook = nbformat.read(path, as_version=4)
    except Exception as problem:
        reason = str(problem).splitlines()[0] if str(problem) else type(problem).__name__
        return [
            Finding(
                display_path(path),
                None,
                "notebook-readable",
                f"not a readable notebook ({reason})",
                "open it in JupyterLab and save it again, or restore it from git",
            )
        ]
    checker = _Lint(path, notebook, CourseFacts(path.parent))
    checker.outputs()
    checker.timestamps()
    checker.execution_order()
    return checker.findings


def lint_paths(paths: Iterable[Path | str] = (), root: Path | None = None) -> list[Finding]:
    """Lint the given notebooks (folders are searched for *.ipynb); all lessons when none are given.

    Linting the whole course also reports banks that belong to no lesson.
    """
    given = [Path(p) for p in paths]
    files = [f for p in given for f in (sorted(p.glob("*.ipynb")) if p.is_dir() else [p])]
    root = root or course_root(files[0].parent if files else None)
    whole_course = not given
    if whole_course:
        files = lesson_paths(root)
    editions = [f for f in files if edition_language(f.resolve().parent)]  # notebooks/de/…: built, not written
    files = [f for f in files if f not in editions]
    facts = CourseFacts.read(root, [f for f in files if f.exists()])
    findings = [finding for f in files for finding in lint_notebook(f, facts)]
    findings += translation_findings(root, None if whole_course else [*files, *editions])
    if whole_course:
        stems = {f.stem for f in files}
        for path in bank_paths(root):
            if path.stem not in stems:
                findings.append(
                    Finding(
                        display_path(path),
                        None,
                        "bank-items-used",
                        f"the bank belongs to no lesson: notebooks/{path.stem}.ipynb does not exist",
                        "rename the bank after its lesson, or delete it",
                    )
                )
        for stem, bank in sorted(facts.banks.items()):
            if stem not in stems:
                continue  # reported above as a bank without lesson
            for item in bank.items:
                lesson = item.see.partition("#")[0]
                if lesson not in stems:
                    findings.append(
                        Finding(
                            f"quizzes/{stem}.yaml",
                            None,
                            "see-links",
                            f"item {item.id!r} sends students to lesson {lesson!r}, which does not exist",
                            f"point 'see' at a section of an existing lesson, e.g. '{stem}#Section-title'",
                        )
                    )
    return findings


def translation_findings(root: Path, paths: list[Path] | None = None) -> list[Finding]:
    """Stale translation units (with a diff of the English change) and out-of-date German notebooks.

    `paths` limits the check to those notebooks (English ones or their built editions); None checks
    every lesson and solution notebook. Courses without translations/ get no findings.
    """
    folder = root / "translations"
    if not folder.is_dir():
        return []
    from .translation.build import edition_sources, out_of_date
    from .translation.units import read_notebook, stale_units

    sources = edition_sources(root)
    if paths is not None:
        stems = {p.stem for p in paths}
        sources = [s for s in sources if s.stem in stems]
    findings = []
    for lang in sorted(d.name for d in folder.iterdir() if d.is_dir()):
        try:
            stale = [unit for source in sources for unit in stale_units(source, lang, root)]
            outdated = out_of_date(root, lang, sources) if sources else []
        except (RuntimeError, ValueError) as problem:  # polib missing, or an unreadable .po file
            return [
                Finding(
                    f"translations/{lang}", None, "translation-stale", str(problem), "fix the file, then lint again"
                )
            ]
        for unit in stale:
            english = read_notebook(root / unit.notebook)
            index = next((i for i, c in enumerate(english.cells, 1) if c.get("id") == unit.context), None)
            findings.append(
                Finding(
                    unit.notebook,
                    index,
                    "translation-stale",
                    f"the {lang} translation of cell id {unit.context!r} ({unit.po}) was made for an older "
                    f"English text; the English changed like this:\n{unit.diff()}\n",
                    f"run `python -m teachkit translate extract {Path(unit.notebook).stem}`, update the msgstr "
                    f"to the new English, remove its fuzzy flag, then `translate build {Path(unit.notebook).stem}`",
                )
            )
        findings += [Finding(item.path, None, "translation-built", item.message, item.fix) for item in outdated]
    return findings


def rules_text() -> str:
    """The rules and why they exist, for `teachkit lint --rules` and the authoring guide."""
    return "\n".join(f"{r.id:18} {r.summary}\n{'':18} Why: {r.why}" for r in RULES.values())
