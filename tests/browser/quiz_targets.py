"""Which quiz item a browser test answers in a lesson, and what a wrong and a right answer are.

Nothing here is written per lesson: the quizzes a notebook shows are read from its code cells
(`quiz.show("a", "b")`, with the language set by `setup(lang=...)` before it), and the answers
come from the item in the bank. So a lesson that lands later is covered without touching the tests.
"""

from __future__ import annotations

import ast
import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from teachkit.messages import msg
from teachkit.quiz.bank import bank_paths, read_banks
from teachkit.quiz.model import Numeric, Result, ShortText, SingleChoice, TrueFalse, score_answer
from teachkit.quiz.render import plain_text

# Items a test can answer by clicking a radio button come first; typed answers are the fallback.
CLICKABLE = (SingleChoice, TrueFalse)
TYPED = (Numeric, ShortText)


@dataclass(frozen=True)
class ShownQuiz:
    """One `quiz.show(...)` call: its item ids, its language, its cell index (0-based)."""

    item_ids: tuple[str, ...]
    lang: str
    cell: int


@dataclass(frozen=True)
class Answer:
    """An answer as the scorer reads it (`value`) and as a student gives it (label or text)."""

    value: Any
    label: str | None = None
    typed: str | None = None


@dataclass(frozen=True)
class QuizTarget:
    """The item a lesson test answers, the quiz it sits in, and a wrong and a right answer to it."""

    notebook: Path
    quiz: ShownQuiz
    item: Any
    quiz_points: float
    wrong: Answer
    right: Answer

    @property
    def lang(self) -> str:
        return self.quiz.lang

    @property
    def clickable(self) -> bool:
        return isinstance(self.item, CLICKABLE)

    def expected(self, answer: Answer) -> Result:
        return score_answer(self.item, answer.value, self.lang)

    def score_line(self, score: float, answered: int) -> str:
        return msg(
            "score_line", self.lang, score=score, max=self.quiz_points, answered=answered, total=len(self.quiz.item_ids)
        )


def catalogue(root: Path) -> dict[str, Any]:
    """Every item of the course's banks, by id."""
    banks = read_banks(bank_paths(root))
    return {item.id: item for bank in banks.values() for item in bank.items}


def _code_cells(notebook: Path) -> list[tuple[int, str]]:
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    out = []
    for index, cell in enumerate(cells):
        if cell.get("cell_type") != "code":
            continue
        source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
        # IPython syntax (magics, shell escapes, help) is not Python: blank it out.
        source = re.sub(r"(?m)^\s*[%!?].*$", "", source)
        out.append((index, source))
    return out


def _string_args(call: ast.Call) -> list[str] | None:
    if call.keywords or not all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args):
        return None
    return [a.value for a in call.args]  # type: ignore[attr-defined]


def _called_name(call: ast.Call) -> str:
    func = call.func
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else ""
        return f"{owner}.{func.attr}"
    return func.id if isinstance(func, ast.Name) else ""


def _language_set_by(call: ast.Call, name: str, default: str) -> str | None:
    """The language a `setup(lang=...)` or `set_language(...)` call switches to, if it does."""
    if name.split(".")[-1] not in ("setup", "set_language"):
        return None
    values = [k.value for k in call.keywords if k.arg == "lang"]
    if name.endswith("set_language") and call.args:
        values = [call.args[0]]
    if not values or not isinstance(values[0], ast.Constant):
        return None
    lang = values[0].value
    if lang is None:
        return default if name.endswith("set_language") else None
    return str(lang).strip().lower()[:2]


def shown_quizzes(notebook: Path, default_lang: str = "en") -> list[ShownQuiz]:
    """The `quiz.show(...)` calls of a notebook in run order, each with its language."""
    lang = default_lang
    shown: list[ShownQuiz] = []
    for index, source in _code_cells(notebook):
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        calls = sorted((n for n in ast.walk(tree) if isinstance(n, ast.Call)), key=lambda n: (n.lineno, n.col_offset))
        for call in calls:
            name = _called_name(call)
            switched = _language_set_by(call, name, default_lang)
            if switched is not None:
                lang = switched
            elif name == "quiz.show":
                ids = _string_args(call)
                if ids:
                    shown.append(ShownQuiz(tuple(ids), lang, index))
    return shown


def answers_for(item: Any, lang: str) -> tuple[Answer, Answer]:
    """A wrong and a right answer for an item, checked against the scorer."""
    if isinstance(item, SingleChoice):

        def option(i: int) -> Answer:
            return Answer(i, label=plain_text(item.options[i].text.get(lang)))

        right = next(i for i, o in enumerate(item.options) if o.correct)
        wrong = next(i for i, o in enumerate(item.options) if not o.correct)
        return option(wrong), option(right)
    if isinstance(item, TrueFalse):

        def truth(value: bool) -> Answer:
            return Answer(value, label=msg("true" if value else "false", lang))

        return truth(not item.answer), truth(item.answer)
    if isinstance(item, Numeric):
        value = item.value if item.range is None else sum(item.range) / 2
        right = f"{value:g}"
        candidates = [f"{value * 10 + 7:g}", f"{value - 1000:g}", "-1", "123456"]
    elif isinstance(item, ShortText):
        right = item.accepted[0]
        candidates = [t.answer for t in item.traps] + ["zzzz", "no idea at all"]
    else:
        raise TypeError(type(item).__name__)
    wrong = next(c for c in candidates if score_answer(item, c, lang).status == "wrong")
    return Answer(wrong, typed=wrong), Answer(right, typed=right)


def quiz_target(notebook: Path, items: dict[str, Any], default_lang: str = "en") -> QuizTarget:
    """The first clickable item the notebook shows exactly once (else the first typed one).

    An item shown twice (e.g. once in German, once in English) is skipped: its two views would
    be ambiguous on the page.
    """
    quizzes = shown_quizzes(notebook, default_lang)
    counts = Counter(i for q in quizzes for i in q.item_ids)
    unknown = sorted(i for i in counts if i not in items)
    if unknown:
        raise LookupError(f"{notebook.name} shows quiz items that no bank in quizzes/ defines: {', '.join(unknown)}")
    for kinds in (CLICKABLE, TYPED):
        for quiz in quizzes:
            for item_id in quiz.item_ids:
                item = items[item_id]
                if counts[item_id] == 1 and isinstance(item, kinds):
                    wrong, right = answers_for(item, quiz.lang)
                    points = sum(items[i].points for i in quiz.item_ids)
                    return QuizTarget(notebook, quiz, item, points, wrong, right)
    raise LookupError(
        f"{notebook.name} shows no single-choice, true/false, numeric or short-text item exactly "
        "once, so the browser test has nothing to answer. Every lesson needs at least one quiz "
        "(quiz.show(...) with literal item ids)."
    )
