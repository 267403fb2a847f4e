"""Lesson 05's 'notebook as an app': sliders for the weights, a ranked table and a bar chart.

A thin view over `platform_choice`: every slider move calls `rank_platforms` and writes the result
into widget values (an HTML table and a PNG image). Nothing is printed or displayed from a
callback, so the notebook's saved outputs never depend on what a student clicked.
"""

from __future__ import annotations

import html
import io
from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import ipywidgets as w
import pandas as pd
from IPython.display import Image
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from teachkit.charts import add_source
from teachkit.course import PALETTE, language
from teachkit.messages import in_language

from .platform_choice import CRITERIA, DEFAULT_WEIGHTS, leaders, rank_platforms, weight_shares

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "audience_fit": "Audience fit",
        "effort": "Effort (less is better)",
        "cost": "Cost (less is better)",
        "tone_fit": "Tone fit",
        "platform": "platform",
        "score": "score",
        "rank": "rank",
        "first": "First place",
        "leads": "{names} first",
        "tie": "tie",
        "of5": "of 5",
        "shares": "Weight shares",
        "xlabel": "Weighted score (0 = worst, 5 = best)",
        "title": "Example firm",
        "note": "Ratings: our illustrative judgements for the example firm, not measured data.",
        "plain": "Platform-choice app: run this cell in JupyterLab and move the sliders; "
        "the table and the chart follow at once.",
        "start": "With the starting weights, first place goes to {leader}.",
    },
    "de": {
        "audience_fit": "Zielgruppen-Passung",
        "effort": "Aufwand (weniger ist besser)",
        "cost": "Kosten (weniger ist besser)",
        "tone_fit": "Passender Ton",
        "platform": "Plattform",
        "score": "Punkte",
        "rank": "Rang",
        "first": "Platz 1",
        "leads": "{names} vorn",
        "tie": "gleichauf",
        "of5": "von 5",
        "shares": "Gewichtsanteile",
        "xlabel": "Gewichtete Punktzahl (0 = schlechteste, 5 = beste)",
        "title": "Beispielfirma",
        "note": "Bewertungen: unsere beispielhaften Einschätzungen für die Beispielfirma, keine Messdaten.",
        "plain": "Plattformwahl-App: Führen Sie diese Zelle in JupyterLab aus und bewegen Sie die "
        "Schieberegler; Tabelle und Diagramm folgen sofort.",
        "start": "Mit den Startgewichten liegt auf Platz 1: {leader}.",
    },
}


def _text(lang: str | None) -> dict[str, str]:
    return in_language(TEXT, lang)


def draw_ranking(ax: Axes, ranked: pd.DataFrame, lang: str | None = None) -> Axes:
    """Horizontal bars, best at the top; the leader is named in the title, not by colour alone."""
    words = _text(lang)
    order = ranked.iloc[::-1]
    top = set(leaders(ranked))
    colours = [PALETTE[0] if name in top else PALETTE[5] for name in order.index]
    bars = ax.barh(list(order.index), order["score"], color=colours)
    ax.bar_label(bars, labels=[f"{v:.2f}" for v in order["score"]], padding=3)
    ax.set_xlim(0, 5)
    ax.set_xlabel(words["xlabel"])
    ax.set_title(f"{words['title']}: {words['leads'].format(names=' = '.join(sorted(top)))}")
    add_source(ax, words["note"])
    return ax


def ranking_png(ranked: pd.DataFrame, lang: str | None = None) -> bytes:
    """The chart as PNG bytes, drawn without pyplot so that nothing shows up in the notebook.

    Cached by content: the lesson's static chart and the app's first chart are drawn once, and
    moving a slider back to an earlier position costs nothing.
    """
    return _png(
        tuple(ranked.index),
        tuple(float(v) for v in ranked["score"]),
        tuple(int(v) for v in ranked["rank"]),
        lang or language(),
    )


@lru_cache(maxsize=64)
def _png(platforms: tuple[str, ...], scores: tuple[float, ...], ranks: tuple[int, ...], lang: str) -> bytes:
    index = pd.Index(platforms, name="platform")
    ranked = pd.DataFrame({"score": scores, "rank": ranks}, index=index)
    figure = Figure(figsize=(7.0, 3.4), dpi=100, layout="constrained")
    draw_ranking(figure.subplots(), ranked, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")  # laid out already: no tight bbox, so drawn once
    return buffer.getvalue()


def ranking_image(ranked: pd.DataFrame, lang: str | None = None) -> Image:
    """The chart for a notebook cell: the same picture the app starts with."""
    return Image(data=ranking_png(ranked, lang), format="png")


def ranking_html(ranked: pd.DataFrame, lang: str | None = None) -> str:
    """The ranked table as HTML, with headers in the course language."""
    words = _text(lang)
    headers = {key: words[key] for key in ("platform", "score", "rank")}
    shown = ranked.reset_index().rename(columns=headers)
    return shown.to_html(index=False, float_format=lambda v: f"{v:.2f}", classes="platform-ranking")


class PlatformChoiceApp(w.VBox):
    """Four weight sliders (0–10) above a live summary, ranked table and bar chart."""

    def __init__(self, ratings: pd.DataFrame, weights: Mapping[str, float] | None = None, lang: str | None = None):
        self.lang = lang or language()
        self.ratings = ratings
        words = _text(self.lang)
        start = dict(weights or DEFAULT_WEIGHTS)
        weight_shares(start)  # fail early, with a clear message, on unusable starting weights
        self.sliders = {
            c: w.IntSlider(
                value=int(start[c]),
                min=0,
                max=10,
                step=1,
                description=words[c],
                continuous_update=False,
                style={"description_width": "14rem"},
                layout=w.Layout(width="32rem"),
            )
            for c in CRITERIA
        }
        self.summary = w.HTML("")
        self.table = w.HTML("")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="44rem"))
        self._holding = False
        self.ranked = rank_platforms(ratings, start)
        self.start_leaders = leaders(self.ranked)
        super().__init__([*self.sliders.values(), self.summary, self.table, self.chart])
        self.add_class("platform-choice-app")
        for slider in self.sliders.values():
            slider.observe(self._on_slide, names="value")
        self.update()

    def weights(self) -> dict[str, int]:
        """The weights as the sliders show them."""
        return {c: s.value for c, s in self.sliders.items()}

    def set_weights(self, weights: Mapping[str, int]) -> None:
        """Move several sliders at once and update once (as a test or a demonstration would)."""
        self._holding = True
        try:
            for criterion, value in weights.items():
                self.sliders[criterion].value = value
        finally:
            self._holding = False
        self.update()

    def _on_slide(self, _change: dict[str, Any]) -> None:
        if not self._holding:
            self.update()

    def update(self) -> None:
        """Re-rank with the sliders' weights and refresh summary, table and chart."""
        words = _text(self.lang)
        current = self.weights()
        if sum(current.values()) == 0:
            message = (
                "Set at least one slider above 0."
                if self.lang != "de"
                else "Stellen Sie mindestens einen Regler über 0."
            )
            self.summary.value = f'<p role="status"><strong>{html.escape(message)}</strong></p>'
            return
        self.ranked = rank_platforms(self.ratings, current)
        top = leaders(self.ranked)
        score = self.ranked["score"].iloc[0]
        shares = weight_shares(current)
        share_text = ", ".join(f"{words[c].split(' (')[0]} {shares[c]:.0%}" for c in CRITERIA)
        tie = f" ({words['tie']})" if len(top) > 1 else ""
        first = html.escape(" = ".join(top))
        self.summary.value = (
            f'<p role="status"><strong>{words["first"]}: {first}{tie}</strong> '
            f"· {score:.2f} {words['of5']}<br>{words['shares']}: {html.escape(share_text)}</p>"
        )
        self.table.value = ranking_html(self.ranked, self.lang)
        self.chart.value = ranking_png(self.ranked, self.lang)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """Keep the widget view; replace the long widget repr with a short, stable description."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        words = _text(self.lang)
        bundle["text/plain"] = "\n".join([words["plain"], words["start"].format(leader=" = ".join(self.start_leaders))])
        return bundle
