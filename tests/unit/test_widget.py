"""The quiz widget driven headlessly: set values, click, read the feedback (no kernel, no browser)."""

from __future__ import annotations

import json

import pytest

from teachkit import course, quiz
from teachkit.quiz.render import markdown_to_html
from teachkit.quiz.widget import QuizSet


@pytest.fixture(autouse=True)
def english():
    course.set_language("en")
    yield
    course.set_language(None)


def test_wrong_then_right_by_clicking(responses_path):
    quiz_set = quiz.show("native-evidence", "cohort-boundary")
    view = quiz_set.item("native-evidence")
    view._radio.value = 1
    view.check_button.click()
    assert "✘ Not quite." in view.feedback.value
    assert "Birth year alone predicts little" in view.feedback.value
    assert "Score: 0 of 2 points · 1 of 2 questions answered" in quiz_set.score_line.value
    view.retry_button.click()
    assert view._radio.value is None and view.feedback.value == ""
    view._radio.value = 0
    view.check_button.click()
    assert "✔ Correct." in view.feedback.value and "Why:" in view.feedback.value
    assert "Score: 1 of 2 points" in quiz_set.score_line.value
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert [(r["item"], r["status"], r["attempt"]) for r in records] == [
        ("native-evidence", "wrong", 1),
        ("native-evidence", "correct", 2),
    ]


def test_feedback_never_relies_on_colour_alone(responses_path):
    view = quiz.show("cohort-boundary").items[0]
    view._text.value = "1"  # Generation Z counted from the millennium
    view.check_button.click()
    text = view.feedback.value
    assert "Not quite" in text and "millennium" in text and 'role="status"' in text


def test_typed_number_with_decimal_comma_and_invalid_input(responses_path):
    view = quiz.show("age-gap-2019").items[0]
    view._text.value = "68,0"
    assert view.check().status == "correct"
    view._text.value = "sixty-eight"
    result = view.check()
    assert result.status == "invalid" and "Type a number" in view.feedback.value
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert len(records) == 1  # unreadable input is not counted as an attempt
    assert view._text.value == "sixty-eight"  # and what was typed stays in the box


def test_rerun_restores_the_last_answer_and_result(responses_path):
    first = quiz.show("compare-bases").items[0]
    for box in first._boxes[:2]:
        box.value = True
    first.check_button.click()
    again = QuizSet(["compare-bases"])
    view = again.items[0]
    assert [b.value for b in view._boxes] == [True, True, False, False]
    assert "◐ Partly right." in view.feedback.value and "saved answer" in view.feedback.value
    assert "1 of 1 questions answered" in again.score_line.value


def test_matching_dropdowns_and_labels(responses_path):
    view = quiz.show("claims-to-sources").items[0]
    assert all(d.description for d in view._drops)  # every control has a text label
    right = [r.en for r in view.item.right_options]
    for drop, pair in zip(view._drops, view.item.pairs, strict=True):
        drop.value = right.index(pair.right.en)
    assert view.check().status == "correct"


def test_every_control_has_a_text_label(responses_path):
    ids = [
        "native-evidence",
        "cohort-boundary",
        "cohorts-are-conventions",
        "compare-bases",
        "breadth-of-use",
        "claims-to-sources",
    ]
    for view in quiz.show(*ids).items:
        assert view.check_button.description and view.retry_button.description
        controls = (
            getattr(view, "_boxes", None)
            or getattr(view, "_drops", None)
            or [getattr(view, "_radio", None) or view._text]
        )
        assert all(c.description for c in controls), view.item.id


def test_bank_text_is_escaped_and_markdown_rendered():
    from teachkit.quiz.render import markdown_to_html, plain_text

    html = markdown_to_html("**bold** <script>alert(1)</script> [x](javascript:alert(1)) `a<b`")
    assert "<strong>bold</strong>" in html and "<script>" not in html
    assert "&lt;script&gt;" in html and 'href="javascript' not in html
    assert "<code>a&lt;b</code>" in html
    assert markdown_to_html("- one\n- two") == "<ul><li>one</li><li>two</li></ul>"
    assert plain_text("**Mittelstand**") == "Mittelstand"


def test_german_via_environment_variable(responses_path, monkeypatch):
    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    quiz_set = quiz.show("native-evidence")
    view = quiz_set.items[0]
    assert "Welche Aussage" in view.question.value
    assert view.check_button.description == "Prüfen"
    assert view.retry_button.description == "Nochmal versuchen"
    view._radio.value = 2
    view.check_button.click()
    assert "✘ Noch nicht." in view.feedback.value and "Aufgabenwechsel" in view.feedback.value
    assert "Punkte: 0 von 1" in quiz_set.score_line.value


def test_plain_text_fallback_is_readable_and_stable(responses_path):
    bundle = quiz.show("cohort-boundary")._repr_mimebundle_()
    assert bundle["text/plain"].startswith("Quiz. Run this cell in JupyterLab")
    assert "How many of them count as Generation Z?" in bundle["text/plain"]
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_static_html_fallback_shows_the_question_with_the_answer_behind_a_disclosure(responses_path):
    """GitHub, nbviewer and the course website show text/html where no kernel runs."""
    bundle = quiz.show("cohort-boundary")._repr_mimebundle_()
    page = bundle["text/html"]
    question, _, hidden = page.partition("<details>")
    item = quiz.entry("cohort-boundary").item
    assert markdown_to_html(item.question.get("en")) in question
    assert "<summary>Show answer and why</summary>" in hidden
    assert markdown_to_html(item.explanation.get("en")) in hidden
    assert 'href="01-digital-natives.ipynb#' in hidden


def test_unknown_item_id_suggests_the_right_one():
    with pytest.raises(KeyError, match="Did you mean 'cohort-boundary'"):
        quiz.show("cohort-boundry")
    with pytest.raises(ValueError, match="needs at least one item id"):
        quiz.show()


def test_headless_answer_is_the_same_path_as_the_button(responses_path):
    result = quiz.answer("cohort-boundary", "3")
    assert result.correct and result.text().startswith("✔ Correct.")
    view = quiz.show("cohort-boundary").items[0]
    assert view._text.value == "3"  # the headless answer was logged like a click
    view._text.value = "4"
    clicked = view.check()
    assert clicked == quiz.answer("cohort-boundary", "4")  # same Result object contents


def test_changing_the_answer_after_check_withdraws_the_verdict(responses_path):
    quiz_set = quiz.show("native-evidence", "cohort-boundary")
    view = quiz_set.item("native-evidence")
    view._radio.value = 0
    view.check_button.click()
    assert "✔ Correct." in view.feedback.value
    view._radio.value = 1  # a different option, not yet checked
    assert "Correct" not in view.feedback.value and "Not quite" not in view.feedback.value
    assert "You changed your answer after it was checked" in view.feedback.value
    assert "Score: 1 of 2 points · 1 of 2 questions answered" in quiz_set.score_line.value  # the record stands
    view.check_button.click()
    assert "✘ Not quite." in view.feedback.value
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert [r["status"] for r in records] == ["correct", "wrong"]


def test_a_choice_arriving_after_the_check_click_does_not_keep_a_stale_verdict(responses_path):
    # In the browser, ipywidgets may deliver the Check click before the last choice: the kernel
    # grades the earlier choice, then learns the new one. The verdict must not stay on screen.
    view = quiz.show("native-evidence").items[0]
    view._radio.value = 1
    view.check_button.click()
    view.check_button.click()  # the click of a student who has meanwhile chosen option 0
    view._radio.value = 0  # ... whose choice arrives late
    assert "Not quite" not in view.feedback.value and "Check" in view.feedback.value


def test_choosing_after_nothing_chosen_clears_that_message(responses_path):
    view = quiz.show("native-evidence").items[0]
    view.check_button.click()
    assert "Nothing chosen yet." in view.feedback.value
    view._radio.value = 0
    assert "Nothing chosen yet." not in view.feedback.value


def test_try_again_and_restore_do_not_count_as_changes(responses_path):
    view = quiz.show("compare-bases").items[0]
    view._boxes[0].value = True
    view.check_button.click()
    view.retry_button.click()
    assert view.feedback.value == ""  # cleared, not "you changed your answer"
    view._boxes[1].value = True
    view.check_button.click()
    again = QuizSet(["compare-bases"]).items[0]
    assert "saved answer" in again.feedback.value
    again._boxes[2].value = True
    assert "changed your answer" in again.feedback.value


def test_changed_answer_message_in_german(responses_path):
    course.set_language("de")
    view = quiz.show("native-evidence").items[0]
    view._radio.value = 1
    view.check_button.click()
    view._radio.value = 0
    assert "Antwort nach dem Prüfen geändert" in view.feedback.value and 'lang="de"' in view.feedback.value


def test_one_rule_picks_the_language_for_engine_and_course_tool_texts():
    from course_tools.diffusion_view import bass_summary
    from teachkit.messages import in_language

    table = {"en": "Check", "de": "Prüfen"}
    assert in_language(table) == "Check"  # the course language, English in this module's fixture
    course.set_language("de")
    assert in_language(table) == "Prüfen"
    assert in_language({"en": "only English"}) == "only English"  # a missing language falls back
    assert in_language(table, "fr") == "Check"
    assert bass_summary(0.03, 0.38, lang="de").startswith("Mit p = 0.030")
