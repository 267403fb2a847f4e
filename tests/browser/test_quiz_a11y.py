"""The quiz as a screen-reader and keyboard user meets it, and when its kernel goes away.

One notebook shows one item of every type. What is checked: the accessibility tree of each item
(a group named by the question, a heading, labelled controls, the buttons, one status region);
a keyboard-only run that answers every item while the notebook's active cell stays put; the live
region is changed in place; "Read again" scrolls the lesson; targets, reflow at 200 % zoom; a
killed kernel is explained and logs nothing; and a Check sent while the kernel is busy is scored
for the answer on screen when it was pressed.
"""

from __future__ import annotations

import json
import os
import signal
from typing import Any

import pytest
from lab_harness import ROOT, LabPage, LabServer, write_notebook
from playwright.sync_api import expect
from quiz_targets import answers_for, quiz_target
from quiz_view import QuizItemOnPage
from test_accessibility import one_item_per_type
from test_quiz_ui import _focused_is, _press_until_focused

from teachkit.messages import msg
from teachkit.quiz.model import Matching, MultipleChoice, Numeric, ShortText, SingleChoice, TrueFalse, score_answer
from teachkit.quiz.render import plain_text

SETUP = "from teachkit import setup, quiz\nsetup()"


def _q(text: str) -> str:
    """A name as the ARIA snapshot template writes it."""
    return json.dumps(text, ensure_ascii=False)


def _node(role: str, name: str, tail: str = "") -> str:
    """`role "name"` as a YAML key: quoted as a whole when the name holds ': ' (as Playwright does)."""
    key = f"{role} {_q(name)}{tail}"
    return f"'{key}'" if ": " in key or key.endswith(":") else key


def expected_tree(item: Any, number: int, lang: str) -> str:
    """The accessibility tree of an item after Check with nothing chosen."""
    question = f"{msg('question_n', lang, n=number)}. {plain_text(item.question.get(lang))}"
    lines = [f"- {_node('group', question)}:", f"  - {_node('heading', question, ' [level=3]')}"]
    if isinstance(item, (SingleChoice, MultipleChoice)):
        role = "radio" if isinstance(item, SingleChoice) else "checkbox"
        lines += [f"  - {_node(role, plain_text(o.text.get(lang)))}" for o in item.options]
    elif isinstance(item, TrueFalse):
        lines += [f"  - {_node('radio', msg(k, lang))}" for k in ("true", "false")]
    elif isinstance(item, (Numeric, ShortText)):
        lines.append(f"  - {_node('textbox', msg('answer_label', lang))}")
    elif isinstance(item, Matching):
        lines += [f"  - {_node('combobox', plain_text(p.left.get(lang)))}" for p in item.pairs]
    lines += [f"  - {_node('button', msg('check', lang))}", f"  - {_node('button', msg('try_again', lang))}"]
    verdict = score_answer(item, None, lang).verdict
    lines += ["  - status:", "    - paragraph:", f"      - strong: {_q(verdict)}"]
    return "\n".join(lines)


@pytest.fixture
def every_type(lab: LabServer, lab_page: LabPage, items: dict[str, Any]) -> tuple[LabPage, list[str]]:
    """A notebook with one quiz of one item per type, and a cell after it; all run."""
    ids = one_item_per_type(items)
    notebook = write_notebook(
        lab.course / "notebooks" / "every-type.ipynb", [SETUP, f"quiz.show({', '.join(map(repr, ids))})", "1 + 1"]
    )
    lab_page.open(f"notebooks/{notebook.name}")
    lab_page.run_all()
    assert lab_page.problems() == []
    expect(lab_page.page.locator(".teachkit-item")).to_have_count(len(ids))
    return lab_page, ids


def test_every_item_type_has_the_expected_accessibility_tree(every_type, items: dict[str, Any]) -> None:
    lab_page, ids = every_type
    page = lab_page.page
    for number, item_id in enumerate(ids, start=1):
        root = page.locator(f".teachkit-item-{item_id}")
        root.get_by_role("button", name="Check", exact=True).click()
        expect(root.get_by_role("status")).not_to_be_empty()
        expect(root).to_match_aria_snapshot(expected_tree(items[item_id], number, "en"))
    # One outline entry per question, and the page's score line is a status too.
    expect(page.locator(".teachkit-quiz h3")).to_have_count(len(ids))

    # Targets of at least 24 x 24 px; visible text whole and no sideways scrolling at 200 % zoom
    # (half the window width is what the page gets then).
    small = page.locator(".teachkit-quiz").evaluate("""q => [...q.querySelectorAll('input, select, button, a')]
        .map(e => [e.outerHTML.slice(0, 60), e.getBoundingClientRect()])
        .filter(([, r]) => r.width < 24 || r.height < 24).map(([h]) => h)""")
    assert small == [], f"targets smaller than 24 x 24 px: {small}"
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"] // 2, "height": size["height"]})
    try:
        lab_page.settle(page.locator(".teachkit-quiz"))
        assert lab_page.clipped_quiz_text() == [], "quiz text is cut off at 200 % zoom"
        wide = page.locator(".teachkit-quiz").evaluate("q => q.scrollWidth - q.clientWidth")
        assert wide <= 1, f"the quiz needs {wide} px of sideways scrolling at 200 % zoom"
    finally:
        page.set_viewport_size(size)


def _right_answer(item: Any) -> Any:
    if isinstance(item, SingleChoice):
        return next(i for i, o in enumerate(item.options) if o.correct)
    if isinstance(item, TrueFalse):
        return 0 if item.answer else 1  # True is the first radio
    if isinstance(item, MultipleChoice):
        return [i for i, o in enumerate(item.options) if o.correct]
    if isinstance(item, Matching):
        right = [r.en for r in item.right_options]
        return [right.index(p.right.en) for p in item.pairs]
    return answers_for(item, "en")[1].typed


_JS_CELLS = """() => { const nb = window.jupyterapp.shell.currentWidget.content;
  return [nb.activeCellIndex, nb.widgets.length, nb.mode]; }"""


def test_keyboard_alone_answers_every_item_type_and_the_cell_stays(every_type, lab: LabServer, items) -> None:
    lab_page, ids = every_type
    page = lab_page.page
    first = page.locator(".teachkit-quiz input, .teachkit-quiz select").first
    first.focus()  # where Tab from the cell's input lands
    before = page.evaluate(_JS_CELLS)
    for item_id in ids:
        item, root = items[item_id], page.locator(f".teachkit-item-{item_id}")
        right = _right_answer(item)
        controls = root.locator("input, select")
        check = root.get_by_role("button", name="Check", exact=True)
        if isinstance(item, (SingleChoice, TrueFalse)):
            radios = root.get_by_role("radio")
            _press_until_focused(page, radios.first, "Tab")  # the group is one Tab stop
            for _ in range(right):
                page.keyboard.press("ArrowDown")  # moves the focus and the choice
            if right == 0:
                page.keyboard.press("Space")
            expect(radios.nth(right)).to_be_checked()
            assert _focused_is(radios.nth(right))
        elif isinstance(item, MultipleChoice):
            for n in right:
                _press_until_focused(page, controls.nth(n), "Tab")
                page.keyboard.press("Space")
                expect(controls.nth(n)).to_be_checked()
        elif isinstance(item, Matching):
            for n, choice in enumerate(right):
                _press_until_focused(page, controls.nth(n), "Tab")
                for _ in range(choice + 1):  # below the "(choose)" prompt
                    page.keyboard.press("ArrowDown")
                expect(controls.nth(n)).to_have_value(str(choice))
        else:
            _press_until_focused(page, controls.first, "Tab")
            page.keyboard.type(right)
        _press_until_focused(page, check, "Tab")
        page.keyboard.press("Enter")
        expect(root.get_by_role("status")).to_contain_text(msg("correct", "en"))
        # Shift+Tab leads back into the item's controls, Tab forward to Check again.
        back = root.locator("input:checked").first if isinstance(item, (SingleChoice, TrueFalse)) else controls.last
        _press_until_focused(page, back, "Shift+Tab")
        assert page.evaluate(_JS_CELLS) == before, "a key press inside the quiz reached the notebook"
    assert page.evaluate(_JS_CELLS) == before
    assert [(r["item"], r["status"]) for r in lab.records()] == [(i, "correct") for i in ids]


_JS_WATCH = """(item) => {
  const root = document.querySelector(`.teachkit-item-${item}`);
  const region = root.querySelector('[role="status"]');
  const seen = {region, changes: 0, replaced: 0};
  new MutationObserver((records) => {
    if (records.some(r => r.target === region || region.contains(r.target))) seen.changes += 1;
    for (const r of records) {
      for (const n of r.removedNodes) if (n === region || n.contains?.(region)) seen.replaced += 1;
    }
  }).observe(document.body, {subtree: true, childList: true, characterData: true});
  window.__teachkitRegion = seen;
}"""

_JS_WATCHED = """(item) => { const seen = window.__teachkitRegion;
  const now = document.querySelector(`.teachkit-item-${item} [role="status"]`);
  return {same: now === seen.region && seen.region.isConnected, changes: seen.changes, replaced: seen.replaced}; }"""


def test_the_live_region_changes_in_place_once_per_check(every_type, items: dict[str, Any]) -> None:
    lab_page, ids = every_type
    page = lab_page.page
    numeric = next(i for i in ids if isinstance(items[i], Numeric))
    root = page.locator(f".teachkit-item-{numeric}")
    box, check, region = (
        root.get_by_role("textbox"),
        root.get_by_role("button", name="Check"),
        root.get_by_role("status"),
    )
    wrong, right = answers_for(items[numeric], "en")
    page.evaluate(_JS_WATCH, numeric)
    steps = [
        (wrong.typed, msg("wrong", "en")),
        ("sixty-eight", msg("invalid", "en")),
        (right.typed, msg("correct", "en")),
    ]
    for n, (typed, verdict) in enumerate(steps, start=1):
        box.fill(typed)
        check.click()
        expect(region).to_contain_text(verdict)
        page.wait_for_timeout(300)  # time for a second, unwanted update to show up
        watched = page.evaluate(_JS_WATCHED, numeric)
        assert watched == {"same": True, "changes": n, "replaced": 0}, watched
    expect(region).to_contain_text(msg("correct", "en"))


def test_read_again_scrolls_the_lesson_to_its_section(lab: LabServer, lab_page: LabPage, items) -> None:
    notebook = ROOT / "notebooks" / "01-digital-natives.ipynb"
    target = quiz_target(notebook, items)
    anchor = target.item.see.partition("#")[2]
    lab_page.open(f"notebooks/{notebook.name}")
    lab_page.run_all()
    quiz = QuizItemOnPage(lab_page.page, target)
    quiz.answer(target.wrong)
    link = quiz.root.get_by_role("link", name=f"{msg('see', 'en')}: {anchor.replace('-', ' ')}")
    expect(link).to_have_attribute("href", f"#{anchor}")
    link.focus()
    lab_page.page.keyboard.press("Enter")  # a real link: Enter follows it
    heading = lab_page.page.locator(f"[data-jupyter-id='{anchor}'], [id='{anchor}']")  # JupyterLab 4: data-jupyter-id
    expect(heading).to_be_in_viewport()
    assert lab_page.page.evaluate("() => window.jupyterapp.shell.currentWidget.context.path") == (
        f"notebooks/{notebook.name}"
    )


def _kernel_pid(lab_page: LabPage, cell: int) -> int:
    return int(lab_page.output_text(cell).strip())


def test_a_dead_kernel_is_explained_and_a_check_logs_nothing(lab: LabServer, lab_page: LabPage, items) -> None:
    notebook = ROOT / "notebooks" / "01-digital-natives.ipynb"
    target = quiz_target(notebook, items)
    nb = write_notebook(
        lab.course / "notebooks" / "dead-kernel.ipynb",
        [SETUP, f"quiz.show({target.item.id!r})", "import os\nos.getpid()"],
    )
    lab_page.open(f"notebooks/{nb.name}")
    lab_page.run_all()
    quiz = QuizItemOnPage(lab_page.page, target)
    quiz.answer(target.wrong)
    quiz.expect_feedback(target.wrong)
    os.kill(_kernel_pid(lab_page, 2), signal.SIGKILL)  # the kernel crashes (JupyterLab restarts a new one)
    gone = lab_page.page.locator(".teachkit-kernel-gone")
    expect(gone).to_contain_text(msg("kernel_gone", "en"))
    lab_page.page.locator(".jp-Dialog").get_by_role("button", name="Ok").click()  # JupyterLab's own notice
    quiz.choose(target.right)
    expect(quiz.check_button).to_have_attribute("aria-disabled", "true")
    quiz.check_button.click(force=True)  # aria-disabled, not disabled: it stays focusable and says why
    expect(quiz.feedback).to_contain_text(msg("kernel_gone", "en"))
    lab_page.page.wait_for_timeout(1000)
    assert [r["status"] for r in lab.records()] == ["wrong"], "a Check after the kernel died was logged"


_JS_RUN_CELL = """(index) => { const panel = window.jupyterapp.shell.currentWidget;
  panel.content.activeCellIndex = index;
  window.jupyterapp.commands.execute('notebook:run-cell'); }"""  # not awaited: it resolves when the cell ends
_JS_KERNEL_BUSY = "() => window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'busy'"


def test_a_check_while_the_kernel_is_busy_is_for_the_answer_on_screen(lab: LabServer, lab_page: LabPage, items) -> None:
    notebook = ROOT / "notebooks" / "01-digital-natives.ipynb"
    target = quiz_target(notebook, items)
    nb = write_notebook(
        lab.course / "notebooks" / "busy.ipynb", [SETUP, f"quiz.show({target.item.id!r})", "import time\ntime.sleep(1)"]
    )
    lab_page.open(f"notebooks/{nb.name}")
    lab_page.run_all()
    page = lab_page.page
    quiz = QuizItemOnPage(page, target)
    answers = [target.wrong, target.right]
    for n in range(20):
        before, now = answers[n % 2], answers[(n + 1) % 2]
        if n == 0:
            quiz.answer(before)
            quiz.expect_feedback(before)
        page.evaluate(_JS_RUN_CELL, 2)
        page.wait_for_function(_JS_KERNEL_BUSY)
        quiz.choose(now)  # change the answer and press Check at once, while the cell sleeps
        quiz.check_button.click()
        expected = quiz.expect_feedback(now)
        other = target.expected(before).verdict
        expect(quiz.feedback).not_to_contain_text(other)
        expect(quiz.stale_note).to_be_hidden()
        logged = lab.records()[-1]
        assert (logged["answer"], logged["status"]) == (expected.answer, expected.status), f"repetition {n + 1}"
    assert len(lab.records()) == 21
