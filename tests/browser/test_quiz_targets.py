"""The pure part of the browser tests: which item a lesson test answers, and with what."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lab_harness import ROOT
from quiz_targets import catalogue, quiz_target, shown_quizzes

from teachkit.quiz.model import Numeric, ShortText, SingleChoice, TrueFalse, score_answer

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))

TEXT = {"en": "x", "de": "x"}


def _notebook(tmp_path: Path, *sources: str) -> Path:
    cells = [
        {"cell_type": "code", "source": s, "metadata": {}, "outputs": [], "execution_count": None} for s in sources
    ]
    path = tmp_path / "99-demo.ipynb"
    path.write_text(
        json.dumps(
            {
                "cells": [{"cell_type": "markdown", "source": "# Demo", "metadata": {}}, *cells],
                "metadata": {},
                "nbformat": 4,
                "nbformat_minor": 5,
            }
        )
    )
    return path


def _base(item_id: str) -> dict:
    return {"id": item_id, "level": "apply", "question": TEXT, "explanation": TEXT, "see": "99-demo#x"}


ITEMS = {
    "pick": SingleChoice.model_validate(
        {
            **_base("pick"),
            "type": "single_choice",
            "options": [
                {"text": {"en": "Right one", "de": "Die richtige"}, "correct": True},
                {"text": {"en": "**Wrong** one", "de": "Die falsche"}, "feedback": TEXT, "misconception": "m"},
            ],
        }
    ),
    "truth": TrueFalse.model_validate(
        {**_base("truth"), "type": "true_false", "answer": False, "feedback": TEXT, "misconception": "m"}
    ),
    "year": Numeric.model_validate(
        {**_base("year"), "type": "numeric", "value": 2018, "feedback": TEXT, "misconception": "m"}
    ),
    "word": ShortText.model_validate(
        {**_base("word"), "type": "short_text", "accepted": ["Mittelstand"], "feedback": TEXT, "misconception": "m"}
    ),
}


def test_quizzes_are_read_in_order_with_the_language_set_before_them(tmp_path: Path) -> None:
    notebook = _notebook(
        tmp_path,
        "%matplotlib inline\nfrom teachkit import setup, quiz\nsetup()",
        'quiz.show("year")',
        'setup(lang="de")\nquiz.show("pick", "truth")',
        "from teachkit.course import set_language\nset_language(None)\nquiz.show('word')",
        "ids = ['pick']\nquiz.show(*ids)",  # not literal ids: cannot be read, so not counted
    )
    shown = [(q.item_ids, q.lang, q.cell) for q in shown_quizzes(notebook)]
    assert shown == [(("year",), "en", 2), (("pick", "truth"), "de", 3), (("word",), "en", 4)]


def test_a_clickable_item_shown_once_is_preferred(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, 'quiz.show("year", "pick")', 'quiz.show("pick", "truth")')
    target = quiz_target(notebook, ITEMS)
    assert target.item.id == "truth"  # 'pick' is shown twice, 'year' must be typed
    assert (target.wrong.label, target.right.label) == ("True", "False")
    assert target.quiz_points == 2
    assert target.score_line(1, 1) == "Score: 1 of 2 points · 1 of 2 questions answered"


def test_option_labels_are_the_plain_text_in_the_quiz_language(tmp_path: Path) -> None:
    notebook = _notebook(tmp_path, 'setup(lang="de")\nquiz.show("pick")')
    target = quiz_target(notebook, ITEMS)
    assert (target.wrong.label, target.right.label) == ("Die falsche", "Die richtige")
    notebook = _notebook(tmp_path, 'quiz.show("pick")')
    assert quiz_target(notebook, ITEMS).wrong.label == "Wrong one"


@pytest.mark.parametrize("item_id", ["year", "word"])
def test_typed_items_are_the_fallback_with_a_checked_wrong_answer(tmp_path: Path, item_id: str) -> None:
    target = quiz_target(_notebook(tmp_path, f'quiz.show("{item_id}")'), ITEMS)
    assert target.expected(target.wrong).status == "wrong"
    assert target.expected(target.right).status == "correct"
    assert target.wrong.typed and target.right.typed


def test_unknown_ids_and_lessons_without_a_quiz_are_named(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="no-such-item"):
        quiz_target(_notebook(tmp_path, 'quiz.show("pick", "no-such-item")'), ITEMS)
    with pytest.raises(LookupError, match="99-demo.ipynb shows no single-choice"):
        quiz_target(_notebook(tmp_path, "print(1)"), ITEMS)


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_lesson_has_an_item_the_browser_test_can_answer(notebook: Path) -> None:
    items = catalogue(ROOT)
    target = quiz_target(notebook, items)
    assert score_answer(target.item, target.wrong.value, target.lang).status == "wrong"
    assert score_answer(target.item, target.right.value, target.lang).status == "correct"
