"""Accessibility audit of the quiz widgets with axe-core, in JupyterLab, in both languages.

The quiz shows one item of every type in the banks, with feedback open, in JupyterLab's light and
dark themes. Any violation inside `.teachkit-quiz`, whatever its impact, fails the test; what axe
finds in JupyterLab's own interface is written to artifacts/browser/accessibility-<lang>-<theme>.md
and does not fail it.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from axe_playwright_python.base import AXE_SCRIPT  # axe-core's axe.min.js, shipped on PyPI
from lab_harness import ARTIFACTS, GERMAN_KERNEL, LabPage, LabServer, write_notebook
from playwright.sync_api import expect
from quiz_targets import quiz_target
from quiz_view import QuizItemOnPage

from teachkit.messages import msg

QUIZ = ".teachkit-quiz"
THEMES = {"light": "JupyterLab Light", "dark": "JupyterLab Dark"}


def one_item_per_type(items: dict[str, Any]) -> list[str]:
    chosen: dict[str, str] = {}
    for item_id, item in items.items():
        chosen.setdefault(item.type, item_id)
    return list(chosen.values())


def run_axe(page: Any, include: str | None) -> dict[str, Any]:
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    context = {"include": [[include]]} if include else None
    return page.evaluate("(context) => axe.run(context || document)", context)


def describe(violations: list[dict[str, Any]]) -> list[str]:
    lines = []
    for v in violations:
        targets = "; ".join(
            " ".join(n["target"]) if isinstance(n["target"], list) else str(n["target"]) for n in v["nodes"][:3]
        )
        lines.append(f"- {v['impact']}: {v['id']} ({len(v['nodes'])}×): {v['help']}. E.g. `{targets[:300]}`")
    return lines


def set_theme(page: Any, theme: str) -> None:
    """Switch JupyterLab's theme (Settings > Theme) and wait until it is applied."""
    name = THEMES[theme]
    page.evaluate("(name) => window.jupyterapp.commands.execute('apputils:change-theme', {theme: name})", name)
    page.wait_for_function("(light) => document.body.dataset.jpThemeLight === light", arg=str(theme == "light").lower())


def write_report(lang: str, page_result: dict[str, Any], quiz_result: dict[str, Any]) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    text = [
        f"# axe-core {page_result['testEngine']['version']} audit, quiz in {lang!r}",
        "",
        "## Inside the quiz widgets (.teachkit-quiz)",
        "",
        *(describe(quiz_result["violations"]) or ["None."]),
        "",
        "## Whole page (JupyterLab's own interface included; not failing the test)",
        "",
        *(describe(page_result["violations"]) or ["None."]),
        "",
    ]
    (ARTIFACTS / f"accessibility-{lang}.md").write_text("\n".join(text), encoding="utf-8")
    (ARTIFACTS / f"accessibility-{lang}.json").write_text(
        json.dumps({"page": page_result["violations"], "quiz": quiz_result["violations"]}, indent=1), encoding="utf-8"
    )


@pytest.mark.parametrize(("lang", "theme"), [("en", "light"), ("de", "light"), ("en", "dark"), ("de", "dark")])
def test_quiz_widgets_pass_axe_core(
    lang: str, theme: str, lab: LabServer, lab_page: LabPage, items: dict[str, Any]
) -> None:
    ids = one_item_per_type(items)
    notebook = write_notebook(
        lab.course / "notebooks" / f"accessibility-{lang}-{theme}.ipynb",
        ["from teachkit import setup, quiz\nsetup()", f"quiz.show({', '.join(map(repr, ids))})"],
        kernel=GERMAN_KERNEL if lang == "de" else "python3",
    )
    lab_page.open(f"notebooks/{notebook.name}")
    lab_page.run_all()
    assert lab_page.problems() == []
    page = lab_page.page
    set_theme(page, theme)
    try:
        audit(lang, theme, page, lab_page, notebook, ids, items)
    finally:
        set_theme(page, "light")  # the theme is a user setting: leave it as the next test expects


def audit(lang: str, theme: str, page: Any, lab_page: LabPage, notebook: Any, ids: list[str], items: dict) -> None:
    quiz = page.locator(QUIZ)
    expect(quiz.locator(".teachkit-item")).to_have_count(len(ids))

    # Open the feedback everywhere: Check with nothing chosen, then a wrong answer on one item.
    for button in quiz.get_by_role("button", name=msg("check", lang), exact=True).all():
        button.click()
        expect(button.locator("xpath=../..").locator(".teachkit-feedback")).not_to_be_empty()
    target = quiz_target(notebook, items, default_lang=lang)
    on_page = QuizItemOnPage(page, target)
    on_page.answer(target.wrong)
    on_page.expect_feedback(target.wrong)

    # What sighted students need and axe does not check: whole labels, a visible prompt
    # in every drop-down, and the quiz language marked for screen readers.
    assert lab_page.clipped_quiz_text() == [], "quiz text is cut off or overlaps"
    blank = quiz.locator("select").evaluate_all(
        "ss => ss.filter(s => !(s.options[s.selectedIndex]?.text || '').trim()).length"
    )
    assert blank == 0, "a drop-down shows no text (expected the '(choose)' prompt)"
    expect(quiz).to_have_attribute("lang", lang)

    lab_page.screenshot(quiz, f"quiz-{lang}-{theme}")
    quiz_result = run_axe(page, QUIZ)
    page_result = run_axe(page, None)
    write_report(f"{lang}-{theme}", page_result, quiz_result)
    checked = {rule["id"] for rule in quiz_result["passes"]}
    assert {"button-name", "label", "color-contrast"} <= checked, (
        f"axe did not audit the quiz widgets (rules passed: {sorted(checked)})"
    )
    found = quiz_result["violations"]
    assert found == [], "axe-core finds in the quiz widgets:\n" + "\n".join(describe(found))
