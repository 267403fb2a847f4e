"""Small helpers for charts that carry their source, as every chart in the course must."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.layout_engine import ConstrainedLayoutEngine
from matplotlib.ticker import FormatStrFormatter, Formatter, PercentFormatter, ScalarFormatter, StrMethodFormatter

from .course import language
from .strings import swap_marks

_NUMERIC = (ScalarFormatter, PercentFormatter, StrMethodFormatter, FormatStrFormatter)


class LanguageFormatter(Formatter):
    """Wraps a numeric tick formatter and writes its numbers with the course language's marks (0,5 in German)."""

    def __init__(self, inner: Formatter, lang: str):
        self.inner, self.lang = inner, lang

    def set_axis(self, axis: Any) -> None:
        super().set_axis(axis)
        self.inner.set_axis(axis)

    def set_locs(self, locs: Any) -> None:
        self.inner.set_locs(locs)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return swap_marks(self.inner(x, pos), self.lang)

    def format_ticks(self, values: Any) -> list[str]:
        return [swap_marks(text, self.lang) for text in self.inner.format_ticks(values)]

    def format_data_short(self, value: float) -> str:
        return swap_marks(self.inner.format_data_short(value), self.lang)

    def get_offset(self) -> str:
        return swap_marks(self.inner.get_offset(), self.lang)


def localize(target: Axes | Figure, lang: str | None = None) -> None:
    """Number ticks of every axes of the figure in the course language (nothing changes in English)."""
    lang = lang or language()
    if lang == "en":
        return
    figure = target if isinstance(target, Figure) else target.figure
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            formatter = axis.get_major_formatter()
            if isinstance(formatter, _NUMERIC):
                axis.set_major_formatter(LanguageFormatter(formatter, lang))


SOURCE_FONT_SIZE = 8
_LINE_HEIGHT = 1.3  # lines of the source note, as a multiple of the font size (with room for descenders)
_GAP_PT = 6.0  # space between the chart and its source note, in points
_CHAR_WIDTH = 0.55  # average glyph width of the note's font, as a multiple of the font size


def add_source(ax: Axes, source: str, width: int = 110) -> None:
    """Finish a chart: write the source line under it (wrapped, so a screenshot never loses it) and
    number its ticks in the course language.

    Under setup()'s constrained layout the figure grows by a strip for the note at its bottom, so
    the chart keeps its size and the saved image needs no tight bounding box (which would draw the
    figure twice).
    A second call on the same figure adds its text under the first.
    """
    figure = ax.figure
    chars = max(40, min(width, int(figure.get_figwidth() * 72 * 0.97 / (_CHAR_WIDTH * SOURCE_FONT_SIZE))))
    text = textwrap.fill(source, chars)
    note = getattr(figure, "_teachkit_source_note", None)
    if note is not None:
        note.set_text(note.get_text() + "\n" + text)
    else:
        note = figure.text(0.01, -0.01, text, ha="left", va="top", fontsize=SOURCE_FONT_SIZE, color="#333333")
        figure._teachkit_source_note = note  # type: ignore[attr-defined]
    engine = figure.get_layout_engine()
    if isinstance(engine, ConstrainedLayoutEngine):
        for axes in figure.get_axes():  # a long title wraps inside the canvas instead of running off it
            for title in (axes.title, axes._left_title, axes._right_title):  # setup() puts titles on the left
                title.set_wrap(True)
        lines = note.get_text().count("\n") + 1
        strip_in = (_GAP_PT + lines * _LINE_HEIGHT * SOURCE_FONT_SIZE) / 72
        # The figure grows by the strip, so the chart keeps its size, as it did under a tight bbox.
        height = figure.get_figheight() - getattr(figure, "_teachkit_source_strip", 0.0) + strip_in
        figure.set_figheight(height)
        figure._teachkit_source_strip = strip_in  # type: ignore[attr-defined]
        note.set_y((strip_in - _GAP_PT / 72) / height)
        engine.set(rect=(0, strip_in / height, 1, 1 - strip_in / height))
    # Without constrained layout the note stays just below the figure, where a tight bounding box finds it.
    localize(figure)  # number the ticks in the course language
