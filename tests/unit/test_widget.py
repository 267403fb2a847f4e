"""The quiz widget driven headlessly: set values, click, read the feedback (no kernel, no browser)."""

from __future__ import annotations

import json

import pytest

from teachkit import course, quiz
from teachkit.quiz.render import markdown_to_html, plain_text
from teachkit.quiz.widget import QuizSet


@pytest.fixture(autouse=True)
def english():
    course.set_language("en")
    yield
    course.set_language(None)


class Browser:
    """Stands in for the front end: sends what quiz.js sends and keeps what the kernel sends back."""

    def __init__(self, quiz_set: QuizSet):
        self.quiz_set = quiz_set
        self.replies: list[dict] = []
        self.seq = 0
        quiz_set.send = self.replies.append  # what would go over the comm to the browser

    def check(self, item_id: str, answer):
        self.seq += 1
        self.quiz_set._on_message(
            self.quiz_set, {"action": "check", "item": item_id, "answer": answer, "seq": self.seq}, []
        )
        return self.quiz_set.feedback.get(item_id, {})

    def try_again(self, item_id: str) -> None:
        self.quiz_set._on_message(self.quiz_set, {"action": "reset", "item": item_id}, [])


def test_wrong_then_right_by_clicking(responses_path):
    quiz_set = quiz.show("native-evidence", "cohort-boundary")
    browser = Browser(quiz_set)
    shown = browser.check("native-evidence", 1)
    assert "✘ Not quite." in shown["html"] and shown["answer"] == 1 and shown["seq"] == 1
    assert "Birth year alone predicts little" in shown["html"]
    assert browser.replies[-1] == {"action": "checked", "item": "native-evidence", "seq": 1, "status": "wrong"}
    assert quiz_set.score == "Score: 0 of 2 points · 1 of 2 questions answered"
    browser.try_again("native-evidence")
    assert "native-evidence" not in quiz_set.feedback and quiz_set.item("native-evidence").value() is None
    shown = browser.check("native-evidence", 0)
    assert "✔ Correct." in shown["html"] and "Why:" in shown["html"]
    assert quiz_set.score.startswith("Score: 1 of 2 points")
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert [(r["item"], r["status"], r["attempt"]) for r in records] == [
        ("native-evidence", "wrong", 1),
        ("native-evidence", "correct", 2),
    ]


def test_the_kernel_scores_exactly_the_answer_sent_with_the_click(responses_path):
    # The answer travels with Check: what the kernel last showed does not matter.
    quiz_set = quiz.show("native-evidence")
    view = quiz_set.items[0]
    view.set_value(1)  # e.g. a restored answer the student has since changed in the browser
    shown = Browser(quiz_set).check("native-evidence", 0)
    assert "✔ Correct." in shown["html"] and shown["answer"] == 0
    assert view.value() == 0  # what is drawn again after a reload is the answer checked last
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert [(r["answer"], r["status"]) for r in records] == [(0, "correct")]


def test_two_quick_checks_are_scored_in_order_each_for_its_own_answer(responses_path):
    quiz_set = quiz.show("native-evidence")
    browser = Browser(quiz_set)
    browser.check("native-evidence", 1)
    last = browser.check("native-evidence", 0)  # changed and checked again before any reply was seen
    assert "✔ Correct." in last["html"] and last["seq"] == 2
    assert [r["status"] for r in browser.replies] == ["wrong", "correct"]


def test_messages_the_kernel_cannot_use_are_ignored(responses_path):
    quiz_set = quiz.show("native-evidence")
    for content in ("check", {"action": "check", "item": "no-such-item", "answer": 0}, {"action": "dance"}):
        quiz_set._on_message(quiz_set, content, [])
    assert quiz_set.feedback == {} and not responses_path.exists()
    quiz_set._on_message(quiz_set, {"action": "check", "item": "native-evidence", "answer": 0, "seq": "x"}, [])
    assert quiz_set.feedback["native-evidence"]["seq"] == 0  # a bad sequence number does not stop the check


def test_the_front_end_gets_every_text_and_control_it_draws(responses_path):
    one_per_type: dict[str, str] = {}
    for item_id, found in quiz.catalogue().items():
        one_per_type.setdefault(found.item.type, item_id)
    ids = list(one_per_type.values())
    spec = quiz.show(*ids).spec
    kinds = {i["id"]: i["kind"] for i in spec["items"]}
    assert set(kinds.values()) == {"single", "numeric", "truefalse", "multiple", "text", "matching"}
    assert {"check", "try_again", "answer_label", "choose", "kernel_gone"} <= set(spec["texts"])
    assert "run this cell again" in spec["texts"]["kernel_gone"].lower()
    for item in spec["items"]:
        assert item["heading"] == f"Question {item['number']}." and item["question"]
        if item["kind"] in ("single", "multiple", "matching"):
            assert item["options"] and all(item["options"])
        if item["kind"] == "matching":
            assert item["prompts"] and all(item["prompts"])  # every drop-down is labelled by its prompt
        if item["kind"] == "truefalse":
            assert item["options"] == ["True", "False"]


def test_feedback_never_relies_on_colour_alone(responses_path):
    shown = Browser(quiz.show("cohort-boundary")).check("cohort-boundary", "1")
    feedback = quiz.answer("cohort-boundary", "1").feedback
    assert "Not quite" in shown["html"] and shown["status"] == "wrong"
    assert feedback and all(line.split()[0] in shown["html"] for line in feedback)  # the reason in words


def test_read_again_is_a_link_to_the_lesson_heading(responses_path):
    shown = Browser(quiz.show("native-evidence")).check("native-evidence", 1)
    assert (
        '<a class="teachkit-see" href="#What-the-evidence-says" data-notebook="01-digital-natives.ipynb" '
        'data-anchor="What-the-evidence-says">Read again: What the evidence says</a>'
    ) in shown["html"]


def test_typed_number_with_decimal_comma_and_invalid_input(responses_path):
    quiz_set = quiz.show("age-gap-2019")
    browser = Browser(quiz_set)
    assert browser.check("age-gap-2019", "68,0")["status"] == "correct"
    shown = browser.check("age-gap-2019", "sixty-eight")
    assert shown["status"] == "invalid" and "Type a number" in shown["html"]
    records = json.loads(responses_path.read_text(encoding="utf-8"))["records"]
    assert len(records) == 1  # unreadable input is not counted as an attempt
    assert quiz_set.score.startswith("Score: 1 of 1")  # and does not undo the counted one


def test_rerun_restores_the_last_answer_and_result(responses_path):
    Browser(quiz.show("compare-bases")).check("compare-bases", [0, 1])
    again = QuizSet(["compare-bases"])
    assert again.shown == {"compare-bases": [0, 1]}
    shown = again.feedback["compare-bases"]
    assert "◐ Partly right." in shown["html"] and "saved answer" in shown["html"] and shown["answer"] == [0, 1]
    assert "1 of 1 questions answered" in again.score


def test_rerun_restores_what_was_typed(responses_path):
    Browser(quiz.show("age-gap-2019")).check("age-gap-2019", "68,0")
    again = QuizSet(["age-gap-2019"])
    assert again.shown == {"age-gap-2019": "68,0"} and again.feedback["age-gap-2019"]["answer"] == "68,0"


def test_matching_answers_in_prompt_order(responses_path):
    view = quiz.show("claims-to-sources").items[0]
    right = [r.en for r in view.item.right_options]
    answer = [right.index(pair.right.en) for pair in view.item.pairs]
    assert Browser(view.quiz).check("claims-to-sources", answer)["status"] == "correct"
    assert Browser(quiz.show("claims-to-sources")).check("claims-to-sources", None)["status"] == "unanswered"


def test_bank_text_is_escaped_and_markdown_rendered():
    from teachkit.quiz.render import inline_html, markdown_to_html, plain_text

    html = markdown_to_html("**bold** <script>alert(1)</script> [x](javascript:alert(1)) `a<b`")
    assert "<strong>bold</strong>" in html and "<script>" not in html
    assert "&lt;script&gt;" in html and 'href="javascript' not in html
    assert "<code>a&lt;b</code>" in html
    assert markdown_to_html("- one\n- two") == "<ul><li>one</li><li>two</li></ul>"
    assert inline_html("**a** <b>\n\n- one\n- two") == "<strong>a</strong> &lt;b&gt;<br>one<br>two"
    assert plain_text("**Mittelstand**") == "Mittelstand"


def test_option_text_is_escaped_for_the_front_end(responses_path):
    spec = quiz.show("claims-to-sources").spec["items"][0]
    assert "Bennett, Maton &amp; Kervin (2008)" in spec["options"]


def test_german_via_environment_variable(responses_path, monkeypatch):
    course.set_language(None)
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    quiz_set = quiz.show("native-evidence")
    spec = quiz_set.spec
    assert spec["lang"] == "de" and "Welche Aussage" in spec["items"][0]["question"]
    assert spec["items"][0]["heading"] == "Frage 1."
    assert spec["texts"]["check"] == "Prüfen" and spec["texts"]["try_again"] == "Nochmal versuchen"
    assert "Kernel" in spec["texts"]["kernel_gone"] and "gespeicherten Antworten" in spec["texts"]["kernel_gone"]
    shown = Browser(quiz_set).check("native-evidence", 2)
    assert "✘ Noch nicht." in shown["html"] and "Aufgabenwechsel" in shown["html"]
    assert "Noch einmal lesen" in shown["html"]
    assert "Punkte: 0 von 1" in quiz_set.score


def test_plain_text_fallback_is_readable_and_stable(responses_path):
    quiz_set = quiz.show("cohort-boundary")
    bundle = quiz_set._repr_mimebundle_()
    assert set(bundle) == {"text/plain", "text/html", "application/vnd.jupyter.widget-view+json"}
    question = plain_text(quiz.entry("cohort-boundary").item.question.get("en"))
    assert bundle["text/plain"] == (f"Quiz. Run this cell in JupyterLab to answer these questions:\n1. {question}")
    assert bundle["application/vnd.jupyter.widget-view+json"] == {
        "version_major": 2,
        "version_minor": 0,
        "model_id": quiz_set.model_id,
    }  # the same shape as the ipywidgets view stored in the lessons, so nbval's outputs stay as they are


def test_the_front_end_ships_inside_the_package():
    from teachkit.quiz import widget

    source = (widget._HERE / "quiz.js").read_text(encoding="utf-8")
    assert "export default" in source and "http" not in source.replace("https://", "")  # nothing fetched
    assert "data-lm-suppress-shortcuts" in source and 'role: "status"' in source
    assert QuizSet._esm and "teachkit-quiz" in str(QuizSet._css)


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
    assert view.value() == "3"  # the headless answer was logged like a click
    clicked = view.check("4")
    assert clicked == quiz.answer("cohort-boundary", "4")  # same Result object contents


def test_try_again_from_python_clears_the_browser_inputs(responses_path):
    quiz_set = quiz.show("compare-bases")
    browser = Browser(quiz_set)
    browser.check("compare-bases", [0])
    quiz_set.items[0].reset()
    assert quiz_set.feedback == {} and browser.replies[-1] == {"action": "show", "item": "compare-bases", "value": []}
    browser.try_again("compare-bases")  # from the browser: no echo, it has cleared its inputs itself
    assert len(browser.replies) == 2 and quiz_set.items[0].value() == []


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
