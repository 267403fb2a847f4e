"""Every lesson in JupyterLab: it runs clean, a quiz answers clicks, answers survive a restart."""

from __future__ import annotations

from typing import Any

import pytest
from lab_harness import ROOT, LabPage, LabServer
from playwright.sync_api import expect
from quiz_targets import quiz_target
from quiz_view import QuizItemOnPage

from teachkit.messages import msg

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("notebook", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_runs_answers_and_remembers(notebook, lab: LabServer, lab_page: LabPage, items: dict[str, Any]) -> None:
    target = quiz_target(notebook, items)
    lab_page.open(f"notebooks/{notebook.name}")
    lab_page.run_all()
    assert lab_page.problems() == [], f"{notebook.name} shows errors in JupyterLab"
    assert lab_page.clipped_quiz_text() == [], f"{notebook.name}: quiz text cannot be read whole"

    quiz = QuizItemOnPage(lab_page.page, target)
    quiz.expect_score(0, 0)
    lab_page.screenshot(quiz.cell, f"{notebook.stem}-{target.lang}-before")
    quiz.answer(target.wrong)
    wrong = quiz.expect_feedback(target.wrong)
    assert wrong.status == "wrong"
    quiz.expect_score(0, 1)
    lab_page.screenshot(quiz.cell, f"{notebook.stem}-{target.lang}-after")

    # Changing the answer marks the old verdict as given for the previous answer (in the browser
    # alone); Check then sends the new answer with the click, and the verdict is for it.
    quiz.choose(target.right)
    expect(quiz.stale_note).to_have_text(msg("answer_changed", target.lang))
    expect(quiz.stale_note).to_be_visible()
    quiz.check_button.click()
    right = quiz.expect_feedback(target.right)
    assert right.status == "correct"
    quiz.expect_score(target.item.points, 1)

    # A restarted kernel starts from nothing but the answer log: the last answer comes back.
    lab_page.restart_and_run_all()
    expect(quiz.feedback).to_contain_text(msg("restored", target.lang))
    quiz.expect_feedback(target.right)
    quiz.expect_shown(target.right)
    quiz.expect_score(target.item.points, 1)
    assert lab_page.problems() == []

    logged = [(r["attempt"], r["status"], r["answer"], r["lang"]) for r in lab.records() if r["item"] == target.item.id]
    assert logged == [(1, "wrong", wrong.answer, target.lang), (2, "correct", right.answer, target.lang)]


GERMAN = sorted((ROOT / "notebooks" / "de").glob("[0-9][0-9]-*.ipynb"))


@pytest.mark.parametrize("notebook", GERMAN, ids=[f"de-{p.stem}" for p in GERMAN])
def test_german_lesson_runs_and_answers_in_german(
    notebook, lab: LabServer, lab_page: LabPage, items: dict[str, Any]
) -> None:
    """A built German lesson speaks German because of its folder: no setup(lang=...) and no TEACHKIT_LANG."""
    target = quiz_target(notebook, items, default_lang="de")
    assert target.lang == "de"
    lab_page.open(f"notebooks/de/{notebook.name}")
    lab_page.run_all()
    assert lab_page.problems() == [], f"de/{notebook.name} shows errors in JupyterLab"
    quiz = QuizItemOnPage(lab_page.page, target)
    expect(quiz.check_button).to_have_text(msg("check", "de"))
    quiz.answer(target.wrong)
    assert quiz.expect_feedback(target.wrong).status == "wrong"
    quiz.choose(target.right)
    quiz.check_button.click()
    assert quiz.expect_feedback(target.right).status == "correct"
    logged = [(r["status"], r["lang"]) for r in lab.records() if r["item"] == target.item.id]
    assert logged[-2:] == [("wrong", "de"), ("correct", "de")]
