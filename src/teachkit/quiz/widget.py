"""The quiz view: one anywidget per `quiz.show(...)`, with its front end in quiz.js and quiz.css.

The browser draws every item with native form controls (fieldset, legend, heading, labelled
inputs, one live region per item) and sends the answer on screen together with each Check click.
The kernel side holds no scoring logic: it passes exactly the answer that came with the click to
`session.submit`, the same function `quiz.answer()` uses, and sends back the rendered `Result`.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

import anywidget
import traitlets as t

from ..course import edition_language, language
from ..messages import msg
from ..responses import ResponseLog
from ..sections import localized_see
from .model import Matching, MultipleChoice, Numeric, Result, ShortText, SingleChoice, TrueFalse
from .render import inline_html, markdown_to_html, plain_text
from .session import Entry, entry, submit
from .static import quiz_html

_HERE = Path(__file__).parent
WIDGET_MIME = "application/vnd.jupyter.widget-view+json"

# Texts the front end shows by itself (it never composes a sentence of its own).
_FRONT_END_TEXTS = (
    "check",
    "try_again",
    "check_tooltip",
    "try_again_tooltip",
    "answer_label",
    "number_placeholder",
    "text_placeholder",
    "choose",
    "answer_changed",
    "kernel_gone",
)


def _section_title(anchor: str) -> str:
    """JupyterLab's heading anchor back to words: 'What-the-evidence-says' → 'What the evidence says'."""
    return anchor.replace("-", " ").strip()


def feedback_html(result: Result, restored: bool = False) -> str:
    """The feedback as HTML: verdict in words (never colour alone), details, explanation, and a
    "Read again" link to the lesson section. It goes inside the item's one live region."""
    lang = result.lang
    parts = [f'<p class="teachkit-verdict teachkit-{result.status}"><strong>{html.escape(result.verdict)}</strong>']
    if result.counts:
        key = "point" if result.max_score == 1 else "points"
        earned = msg(key, lang, score=result.score, max=result.max_score)
        parts.append(f" <span>({html.escape(earned)})</span>")
    parts.append("</p>")
    parts.extend(markdown_to_html(line) for line in result.feedback)
    if result.explanation:
        parts.append(f"<p><strong>{msg('why', lang)}:</strong></p>{markdown_to_html(result.explanation)}")
    if result.counts and result.status != "correct" and result.see:
        lesson, _, anchor = localized_see(result.see, edition_language() or "en").partition("#")
        title = _section_title(anchor) or lesson
        parts.append(
            f'<p><a class="teachkit-see" href="#{html.escape(anchor, quote=True)}" '
            f'data-notebook="{html.escape(lesson, quote=True)}.ipynb" data-anchor="{html.escape(anchor, quote=True)}">'
            f"{html.escape(msg('see', lang))}: {html.escape(title)}</a></p>"
        )
    if restored:
        parts.append(f"<p><em>{msg('restored', lang)}</em></p>")
    return "".join(parts)


def item_spec(found: Entry, number: int, lang: str) -> dict[str, Any]:
    """What the front end needs to draw one item: texts already in the quiz language, escaped."""
    item = found.item
    spec: dict[str, Any] = {
        "id": item.id,
        "number": number,
        "heading": f"{msg('question_n', lang, n=number)}.",
        "question": inline_html(item.question.get(lang)),
    }
    if isinstance(item, SingleChoice):
        spec["kind"] = "single"
        spec["options"] = [html.escape(plain_text(o.text.get(lang))) for o in item.options]
    elif isinstance(item, TrueFalse):
        spec["kind"] = "truefalse"
        spec["options"] = [msg("true", lang), msg("false", lang)]
    elif isinstance(item, MultipleChoice):
        spec["kind"] = "multiple"
        spec["options"] = [html.escape(plain_text(o.text.get(lang))) for o in item.options]
    elif isinstance(item, (Numeric, ShortText)):
        spec["kind"] = "numeric" if isinstance(item, Numeric) else "text"
        unit = getattr(item, "unit", None)
        spec["unit"] = html.escape(plain_text(unit.get(lang))) if unit is not None else ""
    elif isinstance(item, Matching):
        spec["kind"] = "matching"
        spec["prompts"] = [html.escape(plain_text(p.left.get(lang))) for p in item.pairs]
        spec["options"] = [html.escape(plain_text(r.get(lang))) for r in item.right_options]
    else:
        raise TypeError(f"No view for item type {type(item).__name__}")
    return spec


def _empty(item: Any) -> Any:
    """The answer of untouched inputs, in the form `score_answer` reads."""
    if isinstance(item, MultipleChoice):
        return []
    if isinstance(item, (Numeric, ShortText)):
        return ""
    return None


class QuizItemView:
    """One item of a quiz, kernel side: the answer last shown, the feedback, the last counted result."""

    def __init__(self, quiz: QuizSet, found: Entry, number: int):
        self.quiz = quiz
        self.entry = found
        self.item = found.item
        self.number = number
        self.lang = quiz.lang
        self.result: Result | None = None

    @property
    def feedback(self) -> str:
        """The HTML in the item's live region (empty when no feedback is shown)."""
        return self.quiz.feedback.get(self.item.id, {}).get("html", "")

    def value(self) -> Any:
        """The answer shown in the inputs as far as the kernel knows (set by Check, restore, set_value)."""
        return self.quiz.shown.get(self.item.id, _empty(self.item))

    def set_value(self, value: Any) -> None:
        """Show `value` in the inputs (e.g. a saved answer); the browser redraws them."""
        self.quiz.shown = {**self.quiz.shown, self.item.id: value}
        self.quiz.send({"action": "show", "item": self.item.id, "value": value})

    def check(self, answer: Any = ..., seq: int = 0) -> Result:
        """What Check does: score exactly `answer` (the one sent with the click; by default the one
        shown), log it, show its feedback and update the score line."""
        value = self.value() if answer is ... else answer
        result = submit(self.item.id, value, log=self.quiz.responses, lang=self.lang)
        self.quiz.shown = {**self.quiz.shown, self.item.id: value}
        self.show_result(result, answer=value, seq=seq)
        return result

    def show_result(self, result: Result, restored: bool = False, answer: Any = ..., seq: int = 0) -> None:
        if result.counts:
            self.result = result
        value = self.value() if answer is ... else answer
        entry_ = {"html": feedback_html(result, restored), "status": result.status, "answer": value, "seq": seq}
        self.quiz.feedback = {**self.quiz.feedback, self.item.id: entry_}
        self.quiz.update_score()

    def reset(self, echo: bool = True) -> None:
        """What Try again does: clear the inputs and the feedback (saved answers stay saved).
        `echo=False` when the browser asked: it has cleared its inputs already, and a late echo
        could wipe what the student typed since."""
        self.quiz.feedback = {k: v for k, v in self.quiz.feedback.items() if k != self.item.id}
        if echo:
            self.set_value(_empty(self.item))
        else:
            self.quiz.shown = {**self.quiz.shown, self.item.id: _empty(self.item)}

    def restore(self) -> None:
        """Show the last logged answer and its feedback, as when the cell runs again."""
        last = self.quiz.responses.last(self.item.id)
        if last is None:
            return
        value = last.get("typed", last.get("answer"))
        result = submit(self.item.id, value, save=False, lang=self.lang)
        if result.counts:
            self.quiz.shown = {**self.quiz.shown, self.item.id: value}
            self.show_result(result, restored=True, answer=value)


class QuizSet(anywidget.AnyWidget):
    """A group of items shown together, with a score line under them."""

    _esm = _HERE / "quiz.js"
    _css = _HERE / "quiz.css"

    spec = t.Dict().tag(sync=True)
    shown = t.Dict().tag(sync=True)  # item id -> answer to show in the inputs when drawn
    feedback = t.Dict().tag(sync=True)  # item id -> {html, status, answer, seq}
    score = t.Unicode("").tag(sync=True)

    def __init__(self, item_ids: list[str], responses: ResponseLog | None = None):
        self.lang = language()
        self.responses = responses or ResponseLog()
        found = [entry(i) for i in item_ids]  # a misspelt id fails before anything is drawn
        super().__init__(
            spec={
                "lang": self.lang,
                "texts": {key: msg(key, self.lang) for key in _FRONT_END_TEXTS},
                "items": [item_spec(e, n, self.lang) for n, e in enumerate(found, start=1)],
            }
        )
        self.items = [QuizItemView(self, e, n) for n, e in enumerate(found, start=1)]
        for view in self.items:
            view.restore()
        self.update_score()
        self.on_msg(self._on_message)

    def item(self, item_id: str) -> QuizItemView:
        return next(v for v in self.items if v.item.id == item_id)

    def update_score(self) -> None:
        results = [v.result for v in self.items if v.result is not None]
        self.score = msg(
            "score_line",
            self.lang,
            score=round(sum(r.score for r in results), 2),
            max=sum(v.item.points for v in self.items),
            answered=len(results),
            total=len(self.items),
        )

    def _on_message(self, _widget: Any, content: dict[str, Any], _buffers: Any) -> None:
        """Messages from the browser: {"action": "check", "item", "answer", "seq"} or "reset"."""
        if not isinstance(content, dict):
            return
        item_id = content.get("item")
        views = [v for v in self.items if v.item.id == item_id]
        if not views:
            return
        view = views[0]
        if content.get("action") == "check":
            seq = content.get("seq")
            seq = seq if isinstance(seq, int) and not isinstance(seq, bool) else 0
            result = view.check(content.get("answer"), seq=seq)
            self.send({"action": "checked", "item": item_id, "seq": seq, "status": result.status})
        elif content.get("action") == "reset":
            view.reset(echo=False)

    def plain_text(self) -> str:
        """What a front end without widgets shows (and what nbval compares): a stable summary."""
        lines = [msg("quiz_plain", self.lang)]
        for view in self.items:
            lines.append(f"{view.number}. {plain_text(view.item.question.get(self.lang))}")
        return "\n".join(lines)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """The one place that builds what `quiz.show` displays: the widget view, a static self-check
        (text/html) for places where no kernel runs (the course website, GitHub, nbviewer), and the
        plain-text fallback."""
        return {
            "text/plain": self.plain_text(),
            "text/html": quiz_html([view.item.id for view in self.items], self.lang),
            WIDGET_MIME: {"version_major": 2, "version_minor": 0, "model_id": self.model_id},
        }
