"""The Bass explorer of lesson 08: sliders for p and q, a chart and the same in words.

A thin view over `course_tools.diffusion`: it holds no model logic. Output is produced only when a
slider moves (a callback), so the notebook's committed outputs stay the same on every run.
"""

from __future__ import annotations

import html
from typing import Any

import ipywidgets as w
import matplotlib.pyplot as plt
import numpy as np
from IPython.display import clear_output, display
from matplotlib.figure import Figure

from teachkit.course import language
from teachkit.messages import in_language

from .diffusion import bass_peak_time, bass_rate, bass_share, bass_time_to_share

_TEXT = {
    "en": {
        "p": "p (innovation)",
        "q": "q (imitation)",
        "summary": (
            "With p = {p:.3f} and q = {q:.2f}: 10 % of the eventual market has adopted "
            "after {t10:.1f} years, half after {t50:.1f} years and 90 % after {t90:.1f} "
            "years (10 % → 90 %: {span:.1f} years). Adoption per year peaks at "
            "{peak:.1f} years."
        ),
        "hint": "Move a slider to draw the curves.",
        "plain": ("Bass explorer (p = {p:.3f}, q = {q:.2f}). Run this cell in JupyterLab and move the sliders."),
        "title": "Bass model, p = {p:.3f}, q = {q:.2f}: adoption so far (left), per year (right)",
        "x": "years after launch",
        "y_share": "adopted so far (% of market)",
        "y_rate": "new adopters per year (% of market)",
        "half": "half after {t:.1f} years",
    },
    "de": {
        "p": "p (Innovation)",
        "q": "q (Imitation)",
        "summary": (
            "Mit p = {p:.3f} und q = {q:.2f} haben nach {t10:.1f} Jahren 10 % des "
            "späteren Marktes übernommen, nach {t50:.1f} Jahren die Hälfte und nach "
            "{t90:.1f} Jahren 90 % (10 % → 90 %: {span:.1f} Jahre). Die meisten "
            "Übernahmen pro Jahr gibt es nach {peak:.1f} Jahren."
        ),
        "hint": "Bewegen Sie einen Regler, um die Kurven zu zeichnen.",
        "plain": (
            "Bass-Explorer (p = {p:.3f}, q = {q:.2f}). Führen Sie diese Zelle in "
            "JupyterLab aus und bewegen Sie die Regler."
        ),
        "title": ("Bass-Modell, p = {p:.3f}, q = {q:.2f}: bisher übernommen (links), pro Jahr (rechts)"),
        "x": "Jahre nach Markteinführung",
        "y_share": "bisher übernommen (% des Marktes)",
        "y_rate": "neue Übernahmen pro Jahr (% des Marktes)",
        "half": "Hälfte nach {t:.1f} Jahren",
    },
}


def _text(lang: str) -> dict[str, str]:
    return in_language(_TEXT, lang)


def bass_summary(p: float, q: float, lang: str = "en") -> str:
    """The milestones of a Bass curve in one sentence (what the chart shows, in words)."""
    t10, t50, t90 = (bass_time_to_share(s, p, q) for s in (0.1, 0.5, 0.9))
    return _text(lang)["summary"].format(p=p, q=q, t10=t10, t50=t50, t90=t90, span=t90 - t10, peak=bass_peak_time(p, q))


def bass_figure(p: float, q: float, years: float = 25, lang: str = "en") -> Figure:
    """Cumulative adoption (the S-curve) next to adoption per year (the bell) for one p and q."""
    text = _text(lang)
    t = np.linspace(0, years, 251)
    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.4), layout="constrained")
    left.plot(t, 100 * np.asarray(bass_share(t, p, q)))
    half = bass_time_to_share(0.5, p, q)
    left.axhline(50, color="#999999", linewidth=0.8)
    left.axvline(half, color="#999999", linewidth=0.8, linestyle="--")
    left.annotate(text["half"].format(t=half), (half, 50), xytext=(6, -14), textcoords="offset points")
    left.set(xlabel=text["x"], ylabel=text["y_share"], ylim=(0, 100))
    right.plot(t, 100 * np.asarray(bass_rate(t, p, q)), color="#E69F00")
    right.set(xlabel=text["x"], ylabel=text["y_rate"], ylim=(0, None))
    fig.suptitle(text["title"].format(p=p, q=q), x=0.01, ha="left", fontweight="bold")
    return fig


class BassExplorer(w.VBox):
    """Sliders for p and q ("tweak, twiddle, frob"); each change redraws chart and summary."""

    def __init__(self, p: float = 0.03, q: float = 0.38, years: float = 25):
        self.lang = language()
        self.years = years
        text = _text(self.lang)
        style = {"description_width": "8rem"}
        layout = w.Layout(width="32rem")
        self.p_slider = w.FloatSlider(
            value=p,
            min=0.001,
            max=0.1,
            step=0.001,
            readout_format=".3f",
            description=text["p"],
            style=style,
            layout=layout,
            continuous_update=False,
        )
        self.q_slider = w.FloatSlider(
            value=q,
            min=0.0,
            max=1.0,
            step=0.01,
            readout_format=".2f",
            description=text["q"],
            style=style,
            layout=layout,
            continuous_update=False,
        )
        self.summary = w.HTML(self._summary_html(hint=True))
        self.chart = w.Output()
        for slider in (self.p_slider, self.q_slider):
            slider.observe(self.redraw, names="value")
        super().__init__([self.p_slider, self.q_slider, self.summary, self.chart])
        self.add_class("course-bass-explorer")

    def _summary_html(self, hint: bool = False) -> str:
        sentence = bass_summary(self.p_slider.value, self.q_slider.value, self.lang)
        extra = f" <em>{html.escape(_text(self.lang)['hint'])}</em>" if hint else ""
        return f'<p role="status" aria-live="polite">{html.escape(sentence)}{extra}</p>'

    def redraw(self, change: dict[str, Any] | None = None) -> None:
        """Slider callback: update the sentence, then the chart."""
        self.summary.value = self._summary_html()
        with self.chart:
            clear_output(wait=True)
            fig = bass_figure(self.p_slider.value, self.q_slider.value, self.years, self.lang)
            display(fig)
            plt.close(fig)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """Keep the widget view; replace the long widget repr with a short, stable line."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle["text/plain"] = _text(self.lang)["plain"].format(p=self.p_slider.value, q=self.q_slider.value)
        return bundle
