"""Small helpers for charts that carry their source, as every chart in the course must."""

from __future__ import annotations

import textwrap

from matplotlib.axes import Axes


def add_source(ax: Axes, source: str, width: int = 110) -> None:
    """Write the source line under the chart (wrapped), so a screenshot never loses it."""
    ax.figure.text(0.01, -0.01, textwrap.fill(source, width), ha="left", va="top", fontsize=8, color="#333333")
