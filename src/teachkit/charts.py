"""Small helpers for charts that carry their source, as every chart in the course must."""

from __future__ import annotations

import textwrap
from typing import Any

from matplotlib.axes import Axes
from matplotlib.figure import Figure
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


def add_source(ax: Axes, source: str, width: int = 110) -> None:
    """Finish a chart: write the source line under it (wrapped, so a screenshot never loses it) and
    number its ticks in the course language."""
    ax.figure.text(0.01, -0.01, textwrap.fill(source, width), ha="left", va="top", fontsize=8, color="#333333")
    localize(ax.figure)
