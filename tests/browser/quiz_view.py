"""A quiz item on a JupyterLab page, reached through the roles and names a screen reader uses."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect
from quiz_targets import Answer, QuizTarget

from teachkit.messages import msg
from teachkit.quiz.model import Result
from teachkit.quiz.render import plain_text


def feedback_phrases(result: Result) -> list[str]:
    """Text the feedback box must contain for a result: the verdict and each feedback line."""
    phrases = [result.verdict]
    for block in result.feedback:
        for line in block.splitlines():
            line = plain_text(line.strip().removeprefix("- "))
            if line:
                phrases.append(line)
    return phrases


class QuizItemOnPage:
    def __init__(self, page: Any, target: QuizTarget):
        self.page = page
        self.target = target
        self.root = page.locator(f".teachkit-item-{target.item.id}")
        self.quiz = page.locator(".teachkit-quiz", has=self.root)
        self.cell = page.locator(".jp-CodeCell", has=self.root)
        self.feedback = self.root.get_by_role("status")  # the item's one live region
        self.stale_note = self.root.locator(".teachkit-stale-note")
        self.score = self.quiz.locator(".teachkit-score")

    def input_for(self, answer: Answer) -> Any:
        if answer.label is not None:
            return self.root.get_by_role("radio", name=answer.label, exact=True)
        return self.root.get_by_role("textbox", name=msg("answer_label", self.target.lang))

    @property
    def check_button(self) -> Any:
        return self.root.get_by_role("button", name=msg("check", self.target.lang), exact=True)

    def choose(self, answer: Answer) -> None:
        """Choose or type the answer, with the mouse, without pressing Check."""
        field = self.input_for(answer)
        if answer.label is not None:
            field.check()  # clicks, then fails loudly if the option did not become checked
        else:
            field.fill(answer.typed)  # Check sends it with the click; no need to tell the kernel first

    def answer(self, answer: Answer) -> None:
        """Choose or type the answer and press Check, with the mouse."""
        self.choose(answer)
        self.check_button.click()

    def expect_feedback(self, answer: Answer) -> Result:
        """Wait for the feedback the scorer gives for `answer`; return that result."""
        result = self.target.expected(answer)
        for phrase in feedback_phrases(result):
            expect(self.feedback).to_contain_text(phrase)
        return result

    def expect_score(self, score: float, answered: int) -> None:
        expect(self.score).to_have_text(self.target.score_line(score, answered))

    def expect_shown(self, answer: Answer) -> None:
        """The inputs show `answer` (as after restoring a saved answer)."""
        field = self.input_for(answer)
        if answer.label is not None:
            expect(field).to_be_checked()
        else:
            expect(field).to_have_value(answer.typed)
