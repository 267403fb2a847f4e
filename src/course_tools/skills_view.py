"""The self-assessment widget of lesson 09: one slider per competence area, a button, a chart.

A thin view over `course_tools.skills`. The chart and the sentence appear only when the button is
clicked (a callback), so the notebook's committed outputs stay the same on every run.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import clear_output, display
from matplotlib.figure import Figure

from teachkit.course import language
from teachkit.messages import in_language

from .skills import RATING_MAX, RATING_MIN, compare_profile, profile_summary

_TEXT = {
    "en": {
        "intro": "Rate yourself from 1 (beginner) to 5 (could teach it), then click the button.",
        "button": "Draw my profile",
        "plain": (
            "Self-assessment with {n} sliders (1 = beginner, 5 = could teach it). "
            "Run this cell in JupyterLab, move the sliders and click 'Draw my profile'."
        ),
        "title": "My profile against the target and the (synthetic) team",
        "own": "my rating",
        "team": "team median (synthetic)",
        "target": "target",
        "x": "self-rating (1 = beginner, 5 = could teach it)",
    },
    "de": {
        "intro": ("Schätzen Sie sich von 1 (Anfänger) bis 5 (könnte es lehren) ein und klicken Sie dann."),
        "button": "Mein Profil zeichnen",
        "plain": (
            "Selbsteinschätzung mit {n} Reglern (1 = Anfänger, 5 = könnte es lehren). "
            "Führen Sie diese Zelle in JupyterLab aus, bewegen Sie die Regler und klicken "
            "Sie auf „Mein Profil zeichnen“."
        ),
        "title": "Mein Profil im Vergleich mit Ziel und (synthetischem) Team",
        "own": "meine Einschätzung",
        "team": "Team-Median (synthetisch)",
        "target": "Ziel",
        "x": "Selbsteinschätzung (1 = Anfänger, 5 = könnte es lehren)",
    },
}


def _text(lang: str) -> dict[str, str]:
    return in_language(_TEXT, lang)


def profile_figure(profile: pd.DataFrame, lang: str = "en") -> Figure:
    """Own rating as bars; team median and target as markers, so gaps read at a glance."""
    text = _text(lang)
    rows = np.arange(len(profile))[::-1]
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(profile) + 1.4), layout="constrained")
    ax.barh(rows, profile["own"], color="#0072B2", label=text["own"])
    ax.scatter(profile["team_median"], rows, marker="|", s=400, color="#000000", zorder=3, label=text["team"])
    ax.scatter(profile["target"], rows, marker="D", s=45, color="#E69F00", zorder=4, label=text["target"])
    ax.set_yticks(rows, list(profile.index))
    ax.set(xlim=(0, RATING_MAX + 0.5), xlabel=text["x"], title=text["title"])
    ax.legend(loc="lower right", fontsize=8, frameon=False)
    return fig


class SelfAssessment(w.VBox):
    """Sliders for one's own ratings; the button compares them with a target and a team median."""

    def __init__(self, team: Mapping[str, float], target: Mapping[str, float], start: int = 3):
        self.lang = language()
        self.team = dict(team)
        self.target = dict(target)
        text = _text(self.lang)
        style = {"description_width": "16rem"}
        self.sliders = {
            area: w.IntSlider(
                value=start,
                min=RATING_MIN,
                max=RATING_MAX,
                description=area,
                style=style,
                layout=w.Layout(width="34rem"),
            )
            for area in self.target
        }
        self.button = w.Button(description=text["button"], button_style="primary", tooltip=text["button"])
        self.summary = w.HTML()
        self.chart = w.Output()
        self.button.on_click(self.draw)
        super().__init__(
            [
                w.HTML(f"<p>{html.escape(text['intro'])}</p>"),
                *self.sliders.values(),
                self.button,
                self.summary,
                self.chart,
            ]
        )
        self.add_class("course-self-assessment")

    def ratings(self) -> dict[str, int]:
        return {area: slider.value for area, slider in self.sliders.items()}

    def draw(self, _button: w.Button | None = None) -> None:
        """Button callback: compare, say the result in words, then draw it."""
        profile = compare_profile(self.ratings(), self.team, self.target)
        self.summary.value = (
            f'<p role="status" aria-live="polite">{html.escape(profile_summary(profile, self.lang))}</p>'
        )
        with self.chart:
            clear_output(wait=True)
            fig = profile_figure(profile, self.lang)
            display(fig)
            plt.close(fig)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """Keep the widget view; replace the long widget repr with a short, stable line."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = _text(self.lang)["plain"].format(n=len(self.sliders))
        return bundle
