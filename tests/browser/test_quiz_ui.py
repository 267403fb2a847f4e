"""The quiz as different students meet it: in German, with the keyboard only, and after a reload;
and an exercise answered in the browser until its check passes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from lab_harness import GERMAN_KERNEL, ROOT, LabPage, LabServer, copy_notebook
from playwright.sync_api import expect
from quiz_targets import QuizTarget, quiz_target
from quiz_view import QuizItemOnPage

from teachkit.messages import msg
from teachkit.quiz.render import plain_text

LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]-*.ipynb"))


def _has_code_answer(path: Path) -> bool:
    """Sets graded only by hand (the capstone plan) have no code answer to type in."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return any(c["cell_type"] == "code" and c.get("metadata", {}).get("nbgrader", {}).get("solution") for c in cells)


EXERCISES = [p for p in sorted((ROOT / "exercises").glob("[0-9][0-9]-*.ipynb")) if _has_code_answer(p)]


def _lesson_in(lang: str, items: dict[str, Any]) -> tuple[Path, QuizTarget]:
    """The first lesson whose answerable quiz renders in `lang` when the kernel defaults to it."""
    for notebook in LESSONS:
        target = quiz_target(notebook, items, default_lang=lang)
        if target.lang == lang:
            return notebook, target
    pytest.fail(f"No lesson shows a quiz in the course language {lang!r}.")


def test_german_kernel_shows_german_quiz_that_survives_a_reload(
    lab: LabServer, lab_page: LabPage, items: dict[str, Any]
) -> None:
    notebook, target = _lesson_in("de", items)
    # Same lesson, run by a kernel whose environment has TEACHKIT_LANG=de.
    german = copy_notebook(notebook, lab.course / "notebooks" / f"{notebook.stem}.de.ipynb", GERMAN_KERNEL)
    lab_page.open(f"notebooks/{german.name}")
    lab_page.run_all()
    assert lab_page.problems() == []

    quiz = QuizItemOnPage(lab_page.page, target)
    expect(quiz.root).to_contain_text(plain_text(target.item.question.de))
    expect(quiz.root.get_by_role("button", name="Prüfen", exact=True)).to_be_visible()
    expect(quiz.root.get_by_role("button", name="Nochmal versuchen", exact=True)).to_be_visible()
    expect(quiz.root.get_by_role("button", name="Check", exact=True)).to_have_count(0)
    expect(quiz.score).to_have_text(
        f"Punkte: 0 von {target.quiz_points:g} · 0 von {len(target.quiz.item_ids)} Fragen beantwortet"
    )
    lab_page.screenshot(quiz.cell, "quiz-de-before")

    quiz.answer(target.wrong)
    expect(quiz.feedback).to_contain_text("✘ Noch nicht.")
    quiz.expect_feedback(target.wrong)
    quiz.expect_score(0, 1)
    lab_page.screenshot(quiz.cell, "quiz-de-after")

    # Reload the page: the kernel keeps running; run the lesson again and the answer is back.
    lab_page.reload(f"notebooks/{german.name}")
    lab_page.run_all()
    expect(quiz.feedback).to_contain_text(msg("restored", "de"))
    quiz.expect_shown(target.wrong)
    quiz.expect_score(0, 1)
    assert [r["lang"] for r in lab.records()] == ["de"]


def _focused_is(locator: Any) -> bool:
    return locator.evaluate("e => e === document.activeElement")


def _press_until_focused(page: Any, target: Any, key: str, limit: int = 12) -> None:
    """Press `key` until `target` has the focus; fail with the focus path if it never does."""
    path = []
    for _ in range(limit):
        if _focused_is(target):
            return
        page.keyboard.press(key)
        path.append(
            page.evaluate(
                "() => { const e = document.activeElement; return `${e.tagName.toLowerCase()} "
                "'${(e.innerText || e.parentElement.innerText || '').trim().slice(0, 40)}'`; }"
            )
        )
    assert _focused_is(target), f"{key} never reached the element; focus went: {path}"


def _arrow_to(page: Any, option: Any, key: str = "ArrowDown", limit: int = 8) -> None:
    """In a radio group (one Tab stop), arrow keys move the focus and the choice."""
    for _ in range(limit):
        if _focused_is(option):
            return
        page.keyboard.press(key)
    assert _focused_is(option), f"{key} never reached the option"


def _has_focus_indicator(locator: Any) -> bool:
    return locator.evaluate("""e => {
      const s = getComputedStyle(e);
      const outline = s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0;
      return outline || s.boxShadow !== 'none';
    }""")


def test_quiz_works_with_the_keyboard_only(lab: LabServer, lab_page: LabPage, items: dict[str, Any]) -> None:
    notebook, target = _lesson_in("en", items)
    lab_page.open(f"notebooks/{notebook.name}")
    lab_page.run_all()
    quiz = QuizItemOnPage(lab_page.page, target)
    page = lab_page.page
    check = quiz.check_button
    retry = quiz.root.get_by_role("button", name=msg("try_again", "en"), exact=True)

    # Start where Tab from the cell above would land: the item's first input.
    first = quiz.root.locator("input").first
    first.focus()
    wrong, right = quiz.input_for(target.wrong), quiz.input_for(target.right)

    if target.clickable:
        _arrow_to(page, wrong)
        assert _has_focus_indicator(wrong), "a focused option shows no focus indicator"
        page.keyboard.press("Space")
        expect(wrong).to_be_checked()
    else:
        _press_until_focused(page, wrong, "Tab")
        page.keyboard.type(target.wrong.typed)
    _press_until_focused(page, check, "Tab")
    assert _has_focus_indicator(check), "the focused Check button shows no focus indicator"
    page.keyboard.press("Enter")
    quiz.expect_feedback(target.wrong)

    if target.clickable:
        _press_until_focused(page, wrong, "Shift+Tab")  # the group's one Tab stop is the checked option
        _arrow_to(page, right)  # arrows wrap around the group
        expect(right).to_be_checked()
    else:
        _press_until_focused(page, right, "Shift+Tab")
        page.keyboard.press("ControlOrMeta+a")
        page.keyboard.type(target.right.typed)
    _press_until_focused(page, check, "Tab")
    page.keyboard.press("Space")
    quiz.expect_feedback(target.right)
    quiz.expect_score(target.item.points, 1)

    _press_until_focused(page, retry, "Tab")
    assert _has_focus_indicator(retry), "the focused Try again button shows no focus indicator"
    page.keyboard.press("Enter")
    expect(quiz.feedback).to_have_text("")
    if target.clickable:
        expect(right).not_to_be_checked()
    else:
        expect(right).to_have_value("")
    assert [r["status"] for r in lab.records()] == ["wrong", "correct"]


# Exercise notebooks are generated from solutions/ in nbgrader's format: an answer cell has
# metadata nbgrader.solution = true and is followed by its check cell(s) (nbgrader.grade = true);
# the same grade_id in the solutions notebook holds the full answer between "### BEGIN SOLUTION"
# and "### END SOLUTION".


def _cells(path: Path) -> list[dict[str, Any]]:
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _source(cell: dict[str, Any]) -> str:
    return cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])


def _nbgrader(cell: dict[str, Any]) -> dict[str, Any]:
    return cell.get("metadata", {}).get("nbgrader", {})


def first_task(exercise: Path) -> tuple[int, str, list[int]]:
    """The first code answer cell of an exercise, the solution's source for it, and the indices
    of the check cells that follow it."""
    solution = ROOT / "solutions" / exercise.name.replace("-exercises", "-solutions")
    assert solution.exists(), f"{exercise.name} has no solutions notebook {solution.name}"
    solved = {_nbgrader(c)["grade_id"]: _source(c) for c in _cells(solution) if _nbgrader(c).get("solution")}
    cells = _cells(exercise)
    for index, cell in enumerate(cells):
        if cell["cell_type"] == "code" and _nbgrader(cell).get("solution"):
            markers = ("### BEGIN SOLUTION", "### END SOLUTION")
            lines = solved[_nbgrader(cell)["grade_id"]].splitlines()
            answer = "\n".join(line for line in lines if line.strip() not in markers)
            checks = []
            for later in range(index + 1, len(cells)):
                if cells[later]["cell_type"] != "code" or not _nbgrader(cells[later]).get("grade"):
                    break
                checks.append(later)
            assert checks, f"{exercise.name}: answer cell {index + 1} has no check cell after it"
            return index, answer, checks
    pytest.fail(f"{exercise.name} has no code answer cell (nbgrader solution cell)")


GERMAN_EXERCISES = [p for p in sorted((ROOT / "exercises" / "de").glob("[0-9][0-9]-*.ipynb")) if _has_code_answer(p)]
# (folder, words of the check frame: not answered, looks right, not right) per edition
EDITIONS = {
    "en": ("exercises", "not answered", "looks right", "not quite"),
    "de": ("exercises/de", "noch nicht beantwortet", "sieht richtig aus", "noch nicht richtig"),
}
CASES = [("en", p) for p in EXERCISES] + [("de", p) for p in GERMAN_EXERCISES[:1]]


@pytest.mark.parametrize(
    ("lang", "exercise"), CASES or [("en", None)], ids=[f"{lang}-{p.stem}" for lang, p in CASES] or ["none"]
)
def test_exercise_answer_typed_in_the_browser_passes_its_check(
    lang: str, exercise: Path | None, lab: LabServer, lab_page: LabPage
) -> None:
    """An exercise in either edition: the untouched notebook runs, the typed answer passes its checks,
    and the check messages speak the edition's language (same answer cells and checks in both)."""
    if exercise is None:
        pytest.skip("exercises/ has no exercise notebooks yet")
    folder, unanswered, right, wrong = EDITIONS[lang]
    answer_cell, answer, checks = first_task(exercise)
    lab_page.open(f"{folder}/{exercise.name}")
    lab_page.run_all()
    assert lab_page.problems() == [], "an untouched exercise must run without errors"
    untouched = "\n".join(lab_page.output_text(i) for i in checks)
    assert unanswered in untouched and right not in untouched, untouched

    lab_page.type_into_cell(answer_cell, answer)
    lab_page.run_all()
    checked = "\n".join(lab_page.output_text(i) for i in checks)
    assert "✔" in checked and right in checked, checked
    assert wrong not in checked and unanswered not in checked, checked
    assert lab_page.problems() == []
