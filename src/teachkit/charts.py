"""Small helpers for charts that carry their source, as every chart in the course must."""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes
from matplotlib.layout_engine import ConstrainedLayoutEngine

SOURCE_FONT_SIZE = 8
_LINE_HEIGHT = 1.3  # lines of the source note, as a multiple of the font size (with room for descenders)
_GAP_PT = 6.0  # space between the chart and its source note, in points
_CHAR_WIDTH = 0.55  # average glyph width of the note's font, as a multiple of the font size


def add_source(ax: Axes, source: str, width: int = 110) -> None:
    """Write the source line under the chart (wrapped), so a screenshot never loses it.

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
