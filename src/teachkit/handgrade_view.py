"""The widgets of the hand-grading app; every action goes through HandGrader's Python API.

Kept apart from handgrade.py so the logic can be tested and used without ipywidgets.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import ipywidgets as w

from .quiz.render import markdown_to_html

if TYPE_CHECKING:
    from .handgrade import HandGrader

SHORTCUTS = "n / p: next / previous · u: next ungraded · row number then level (e.g. 1 then 1) · row then x: clear"


def _points(n: int) -> str:
    return "1 point" if n == 1 else f"{n} points"


class HandGradeView:
    def __init__(self, grader: HandGrader):
        self.grader = grader
        self.updating = False
        self.header = w.HTML()
        self.answer = w.HTML(layout=w.Layout(border="1px solid #999", padding="0.5em", max_height="24em"))
        self.answer.add_class("tk-handgrade-answer")
        model = w.HTML(markdown_to_html(grader.model_answer or "(none)"))
        self.model = w.Accordion(children=[model], titles=("Model answer from the solution",), selected_index=None)
        self.rows: list[tuple[w.ToggleButtons, w.VBox, w.Text]] = []
        row_boxes = []
        for number, row in enumerate(grader.rubric):
            levels = w.ToggleButtons(
                options=[(str(level), level) for level in range(row.points + 1)],
                value=None,
                description=f"Row {number + 1}",
                tooltips=[f"{level} of {row.points}" for level in range(row.points + 1)],
                style={"button_width": "3em"},
            )
            levels.observe(self._level_changed(number), names="value")
            ticks = w.VBox()
            new = w.Text(
                placeholder="a reusable comment for this row: Enter adds it and ticks it",
                continuous_update=False,
                layout=w.Layout(width="100%"),
            )
            new.observe(self._new_comment(number), names="value")
            row_boxes.append(
                w.VBox(
                    [
                        w.HTML(markdown_to_html(f"**{number + 1}.** {row.text} ({_points(row.points)})")),
                        levels,
                        ticks,
                        new,
                    ]
                )
            )
            self.rows.append((levels, ticks, new))
        self.free = w.Textarea(placeholder="a comment for this student only", continuous_update=False)
        self.free.layout.width = "100%"
        self.free.observe(self._free_changed, names="value")
        previous = w.Button(description="◀ Previous (p)")
        following = w.Button(description="Next (n) ▶")
        ungraded = w.Button(description="Next ungraded (u)")
        previous.on_click(lambda _: self.grader.previous())
        following.on_click(lambda _: self.grader.next())
        ungraded.on_click(lambda _: self.grader.next_ungraded())
        self.keys = w.Text(placeholder="type shortcuts here", description="Keys", continuous_update=True)
        self.keys.add_class("tk-handgrade-keys")
        self.keys.observe(self._keys_typed, names="value")
        self.status = w.HTML()
        self.box = w.VBox(
            [
                self.header,
                self.answer,
                self.model,
                *row_boxes,
                w.HTML("<b>Comment for this student</b>"),
                self.free,
                w.HBox([previous, following, ungraded]),
                self.keys,
                w.HTML(f"<small>{SHORTCUTS}</small>"),
                self.status,
            ]
        )
        self.box.add_class("tk-handgrade")

    # -------------------------------------------------------------- events

    def _level_changed(self, row: int) -> Any:
        def changed(change: dict[str, Any]) -> None:
            if not self.updating:
                self.grader.choose(row, change["new"])

        return changed

    def _new_comment(self, row: int) -> Any:
        def submitted(change: dict[str, Any]) -> None:
            if self.updating or not change["new"].strip():
                return
            self.grader.tick(row, change["new"])
            self.updating = True
            try:
                self.rows[row][2].value = ""
            finally:
                self.updating = False

        return submitted

    def _tick_changed(self, row: int, text: str) -> Any:
        def changed(change: dict[str, Any]) -> None:
            if not self.updating:
                self.grader.tick(row, text, bool(change["new"]))

        return changed

    def _free_changed(self, change: dict[str, Any]) -> None:
        if not self.updating:
            self.grader.comment(change["new"])

    def _keys_typed(self, change: dict[str, Any]) -> None:
        if self.updating or not change["new"]:
            return
        self.grader.key(change["new"])
        self.updating = True
        try:
            self.keys.value = ""
        finally:
            self.updating = False

    # -------------------------------------------------------------- drawing

    def refresh(self) -> None:
        grader, store = self.grader, self.grader.store
        student = grader.student
        self.updating = True
        try:
            points = store.points(student)
            total = sum(r.points for r in grader.rubric)
            shown = "not complete" if points is None else f"{points:g} of {total} points"
            self.header.value = (
                f"<h3>{grader.set_name} · task <code>{grader.task}</code></h3>"
                f"<p>Student <code class='tk-handgrade-student'>{student}</code> "
                f"({grader.index + 1} of {len(grader.students)}) · "
                f"<span class='tk-handgrade-progress'>{grader.progress()}</span> · {shown}</p>"
            )
            text = grader.answers.get(student, "").strip()
            self.answer.value = markdown_to_html(text) if text else "<i>(no answer)</i>"
            for number, (levels, ticks, _) in enumerate(self.rows):
                levels.value = store.levels(student)[number]
                chosen = set(store.ticked(student, number))
                boxes = []
                for comment in store.comments(number):
                    box = w.Checkbox(value=comment in chosen, description=comment, indent=False)
                    box.observe(self._tick_changed(number, comment), names="value")
                    boxes.append(box)
                ticks.children = boxes
            self.free.value = store.free(student)
            pending = grader._pending_row
            waiting = f" · row {pending + 1} chosen: type its level" if pending is not None else ""
            where = f"{store.path.parent.name}/{store.path.name}"
            self.status.value = f"<small>Every change is saved at once to {where}{waiting}</small>"
        finally:
            self.updating = False
