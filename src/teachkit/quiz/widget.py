"""The ipywidgets view of quiz items: inputs, Check, Try again, feedback and a score line.

The view holds no scoring logic. Check reads the inputs and calls `session.submit`, the same
function `quiz.answer()` uses, then renders the returned `Result`.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w

from ..course import language
from ..messages import msg
from ..responses import ResponseLog
from .model import Matching, MultipleChoice, Numeric, Result, ShortText, SingleChoice, TrueFalse
from .render import markdown_to_html, plain_text
from .session import Entry, entry, submit
from .static import quiz_html

_WIDE = w.Layout(width="auto", max_width="52rem")
_LABEL_STYLE = {"description_width": "initial"}
_BUTTON = w.Layout(width="auto", min_width="8rem")

# ipywidgets gives radio labels a fixed height and keeps checkbox labels on one line with an
# ellipsis: a long option then overlaps the next one (and covers its button) or is cut off.
# Scoped to quiz items; shown once per quiz as a style element.
_STYLE = """<style>
.teachkit-item .widget-radio-box label { display: flex; flex-direction: row-reverse;
  justify-content: flex-end; align-items: flex-start; height: auto; line-height: 1.4;
  padding: 3px 0; }
.teachkit-item .widget-radio-box input { float: none; flex: none; height: 1.4em; }
.teachkit-item .widget-checkbox { height: auto; }
.teachkit-item .widget-checkbox .widget-label-basic { white-space: normal; line-height: 1.4;
  overflow: visible; padding: 3px 0; }
</style>"""


_NO_FEEDBACK = object()  # `QuizItemView._judged` when no verdict is on screen


def feedback_html(result: Result, restored: bool = False) -> str:
    """The feedback as HTML: verdict in words (never colour alone), details, explanation."""
    lang = result.lang
    parts = [f'<p class="teachkit-verdict"><strong>{html.escape(result.verdict)}</strong>']
    if result.counts:
        key = "point" if result.max_score == 1 else "points"
        earned = msg(key, lang, score=result.score, max=result.max_score)
        parts.append(f" <span>({html.escape(earned)})</span>")
    parts.append("</p>")
    parts.extend(markdown_to_html(line) for line in result.feedback)
    if result.explanation:
        parts.append(f"<p><strong>{msg('why', lang)}:</strong></p>{markdown_to_html(result.explanation)}")
    if result.counts and result.status != "correct" and result.see:
        parts.append(f"<p>{msg('see', lang)}: <code>{html.escape(result.see)}</code></p>")
    if restored:
        parts.append(f"<p><em>{msg('restored', lang)}</em></p>")
    return f'<div role="status" aria-live="polite" lang="{lang}">{"".join(parts)}</div>'


class QuizItemView(w.VBox):
    """One item: question, inputs, buttons and feedback."""

    def __init__(self, found: Entry, number: int, responses: ResponseLog, on_change=None):
        self.entry = found
        self.item = found.item
        self.responses = responses
        self.lang = language()
        self.result: Result | None = None
        self._on_change = on_change
        # The answer the feedback on screen speaks about (_NO_FEEDBACK: none shown). When the
        # inputs move away from it, the old verdict is withdrawn (see `_answer_edited`).
        self._judged: Any = _NO_FEEDBACK
        number_label = html.escape(msg("question_n", self.lang, n=number))
        self.question = w.HTML(
            f'<div class="teachkit-question" lang="{self.lang}"><strong>{number_label}.</strong> '
            f"{markdown_to_html(self.item.question.get(self.lang))}</div>"
        )
        self.controls = self._make_controls()
        # No icons: an icon-font glyph becomes part of the button's accessible name (" Check").
        # Width "auto": the default fixed width cut "Nochmal versuchen" to "Nochmal versuch…".
        self.check_button = w.Button(
            description=msg("check", self.lang),
            button_style="primary",
            tooltip=msg("check_tooltip", self.lang),
            layout=_BUTTON,
        )
        self.retry_button = w.Button(
            description=msg("try_again", self.lang), tooltip=msg("try_again_tooltip", self.lang), layout=_BUTTON
        )
        self.check_button.on_click(lambda _: self.check())
        self.retry_button.on_click(lambda _: self.reset())
        self.feedback = w.HTML("")
        self.feedback.add_class("teachkit-feedback")
        super().__init__([self.question, self.controls, w.HBox([self.check_button, self.retry_button]), self.feedback])
        self.add_class("teachkit-item")
        self.add_class(f"teachkit-item-{self.item.id}")  # a stable hook for styles and tests
        self._restore()
        for control in self._inputs():
            control.observe(self._answer_edited, names="value")

    # inputs -------------------------------------------------------------------------------
    def _make_controls(self) -> w.Widget:
        item, lang = self.item, self.lang
        label = msg("answer_label", lang)
        if isinstance(item, (SingleChoice, TrueFalse)):
            if isinstance(item, SingleChoice):
                options = [(plain_text(o.text.get(lang)), i) for i, o in enumerate(item.options)]
            else:
                options = [(msg("true", lang), True), (msg("false", lang), False)]
            self._radio = w.RadioButtons(
                options=options, value=None, description=label, layout=_WIDE, style=_LABEL_STYLE
            )
            return self._radio
        if isinstance(item, MultipleChoice):
            self._boxes = [
                w.Checkbox(value=False, description=plain_text(o.text.get(lang)), indent=False, layout=_WIDE)
                for o in item.options
            ]
            return w.VBox(self._boxes)
        if isinstance(item, (Numeric, ShortText)):
            hint = "number_placeholder" if isinstance(item, Numeric) else "text_placeholder"
            self._text = w.Text(
                value="",
                placeholder=msg(hint, lang),
                description=label,
                style=_LABEL_STYLE,
                layout=w.Layout(width="26rem"),
            )
            self._text.continuous_update = False
            unit = getattr(item, "unit", None)
            if unit is not None:
                return w.HBox([self._text, w.Label(plain_text(unit.get(lang)))])
            return self._text
        if isinstance(item, Matching):
            choices = [(msg("choose", lang), None)] + [
                (plain_text(t.get(lang)), i) for i, t in enumerate(item.right_options)
            ]
            # index=0 shows "(choose)"; value=None would leave the box blank, with no prompt.
            self._drops = [
                w.Dropdown(
                    options=choices, index=0, description=plain_text(p.left.get(lang)), style=_LABEL_STYLE, layout=_WIDE
                )
                for p in item.pairs
            ]
            return w.VBox(self._drops)
        raise TypeError(f"No view for item type {type(item).__name__}")

    def _inputs(self) -> list[w.ValueWidget]:
        item = self.item
        if isinstance(item, (SingleChoice, TrueFalse)):
            return [self._radio]
        if isinstance(item, MultipleChoice):
            return list(self._boxes)
        if isinstance(item, (Numeric, ShortText)):
            return [self._text]
        return list(self._drops)

    def value(self) -> Any:
        """What the student has entered, in the form `score_answer` reads."""
        item = self.item
        if isinstance(item, (SingleChoice, TrueFalse)):
            return self._radio.value
        if isinstance(item, MultipleChoice):
            return [i for i, box in enumerate(self._boxes) if box.value]
        if isinstance(item, (Numeric, ShortText)):
            return self._text.value
        values = [d.value for d in self._drops]
        return None if all(v is None for v in values) else values

    def set_value(self, value: Any) -> None:
        """Fill the inputs, e.g. from a saved answer. Values that no longer fit are ignored."""
        item = self.item
        try:
            if isinstance(item, (SingleChoice, TrueFalse)):
                self._radio.value = value
            elif isinstance(item, MultipleChoice):
                for i, box in enumerate(self._boxes):
                    box.value = i in (value or [])
            elif isinstance(item, (Numeric, ShortText)):
                self._text.value = "" if value is None else str(value)
            else:
                for drop, chosen in zip(self._drops, value or [None] * len(self._drops), strict=False):
                    if chosen is None:
                        drop.index = 0  # "(choose)"
                    else:
                        drop.value = chosen
        except Exception:  # a saved answer from an older bank: start empty instead
            self.reset(notify=False)

    # actions ------------------------------------------------------------------------------
    def check(self) -> Result:
        """What the Check button does: submit, log, show feedback, update the score line."""
        result = submit(self.item.id, self.value(), log=self.responses, lang=self.lang)
        self.show_result(result)
        return result

    def show_result(self, result: Result, restored: bool = False) -> None:
        self.result = result if result.counts else self.result
        self._judged = self.value()
        self.feedback.value = feedback_html(result, restored)
        if self._on_change:
            self._on_change()

    def reset(self, notify: bool = True) -> None:
        """What Try again does: clear the inputs and the feedback (saved answers stay saved)."""
        item = self.item
        self._judged = _NO_FEEDBACK
        if isinstance(item, (SingleChoice, TrueFalse)):
            self._radio.value = None
        elif isinstance(item, MultipleChoice):
            for box in self._boxes:
                box.value = False
        elif isinstance(item, (Numeric, ShortText)):
            self._text.value = ""
        else:
            for drop in self._drops:
                drop.index = 0  # "(choose)"
        self.feedback.value = ""
        if notify and self._on_change:
            self._on_change()

    def _answer_edited(self, _change: dict[str, Any]) -> None:
        """The inputs changed after a Check: a verdict must never stand next to an answer it
        was not given for. This also covers the browser sending the Check click before the last
        choice reached the kernel (ipywidgets holds back a state update while an earlier one is
        unanswered, but sends button clicks at once): the late choice withdraws the verdict."""
        if self._judged is _NO_FEEDBACK or self.value() == self._judged:
            return
        self._judged = _NO_FEEDBACK
        self.feedback.value = (
            f'<div role="status" aria-live="polite" lang="{self.lang}"><p><em>'
            f"{html.escape(msg('answer_changed', self.lang))}</em></p></div>"
        )

    def _restore(self) -> None:
        last = self.responses.last(self.item.id)
        if last is None:
            return
        self.set_value(last.get("typed", last.get("answer")))
        result = submit(self.item.id, self.value(), save=False, lang=self.lang)
        if result.counts:
            self.show_result(result, restored=True)


class QuizSet(w.VBox):
    """A group of items shown together, with a score line under them."""

    def __init__(self, item_ids: list[str], responses: ResponseLog | None = None):
        self.lang = language()
        self.responses = responses or ResponseLog()
        self.score_line = w.HTML("")
        self.score_line.add_class("teachkit-score")
        found = [entry(i) for i in item_ids]
        self.items = [QuizItemView(e, n, self.responses) for n, e in enumerate(found, start=1)]
        for view in self.items:
            view._on_change = self._update_score
        style = w.HTML(_STYLE, layout=w.Layout(height="0", margin="0", overflow="hidden"))
        super().__init__([style, *self.items, self.score_line])
        self.add_class("teachkit-quiz")
        self._update_score()

    def _update_score(self) -> None:
        results = [v.result for v in self.items if v.result is not None]
        total = sum(v.item.points for v in self.items)
        text = msg(
            "score_line",
            self.lang,
            score=round(sum(r.score for r in results), 2),
            max=total,
            answered=len(results),
            total=len(self.items),
        )
        self.score_line.value = f'<p role="status"><strong>{html.escape(text)}</strong></p>'

    def item(self, item_id: str) -> QuizItemView:
        return next(v for v in self.items if v.item.id == item_id)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """Keep the widget view; replace the long widget repr with a readable, stable summary."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        lines = [msg("quiz_plain", self.lang)]
        for n, view in enumerate(self.items, start=1):
            lines.append(f"{n}. {plain_text(view.item.question.get(self.lang))}")
        bundle["text/plain"] = "\n".join(lines)
        # Where no kernel runs (the course website, GitHub, nbviewer) the questions still show,
        # with the answer behind a disclosure.
        bundle["text/html"] = quiz_html([view.item.id for view in self.items], self.lang)
        return bundle
