"""The cost–benefit calculator of lesson 07 as an app: inputs, a verdict and a break-even chart.

A thin view over course_tools.payoff. It never prints or displays anything while a cell runs:
the verdict is an HTML widget's value and the chart is an Image widget's value, both set when
the app is built and again in callbacks. So a notebook's committed output is only the app's
short text summary, which never changes.
"""

from __future__ import annotations

import html
import io
import textwrap
from dataclasses import replace
from typing import Any

import ipywidgets as w
from matplotlib.axes import Axes
from matplotlib.figure import Figure

from teachkit.course import PALETTE, language
from teachkit.messages import in_language

from .payoff import EXAMPLE_PLANS, Plan, break_even_table, evaluate

LABELS: dict[str, dict[str, str]] = {
    "profile": {"en": "Firm", "de": "Betrieb"},
    "hours_per_week": {"en": "Hours per week", "de": "Stunden pro Woche"},
    "hourly_cost": {"en": "Cost per hour (€)", "de": "Kosten pro Stunde (€)"},
    "ad_budget": {"en": "Ad budget per month (€)", "de": "Werbebudget pro Monat (€)"},
    "extra_customers": {"en": "Extra customers per month", "de": "Zusätzliche Kunden pro Monat"},
    "margin_per_customer": {"en": "Margin per customer (€)", "de": "Deckungsbeitrag je Kunde (€)"},
    "limited": {"en": "Capacity is limited", "de": "Kapazität ist begrenzt"},
    "capacity": {"en": "Customers you can still serve", "de": "Noch bedienbare Kunden"},
    "x_axis": {"en": "Extra customers (or orders) per month", "de": "Zusätzliche Kunden (oder Aufträge) pro Monat"},
    "y_axis": {"en": "€ per month", "de": "€ pro Monat"},
    "cost": {"en": "Cost", "de": "Kosten"},
    "benefit": {"en": "Benefit (margin)", "de": "Nutzen (Deckungsbeitrag)"},
    "estimate": {"en": "Your estimate", "de": "Ihre Schätzung"},
    "pays": {"en": "✔ Pays off", "de": "✔ Lohnt sich"},
    "does_not_pay": {"en": "✘ Does not pay off", "de": "✘ Lohnt sich nicht"},
    "summary": {
        "en": "Cost {cost} a month, benefit {benefit} a month: net {net} a month.",
        "de": "Kosten {cost} im Monat, Nutzen {benefit} im Monat: netto {net} im Monat.",
    },
    "break_even": {
        "en": "Break-even at {n} extra customers a month.",
        "de": "Gewinnschwelle bei {n} zusätzlichen Kunden im Monat.",
    },
    "capacity_note": {
        "en": "Demand is higher than you can serve: only {n} extra customers count.",
        "de": "Die Nachfrage übersteigt Ihre Kapazität: Nur {n} zusätzliche Kunden zählen.",
    },
    "plain": {
        "en": "Cost–benefit calculator. Run this cell in JupyterLab to use it. Firms: {names}.",
        "de": "Kosten-Nutzen-Rechner. Führen Sie diese Zelle in JupyterLab aus. Betriebe: {names}.",
    },
    "title": {"en": "Break-even: {name}", "de": "Gewinnschwelle: {name}"},
    "capped": {
        "en": "Benefit capped: room for only {n} extra customers",
        "de": "Nutzen gedeckelt: Platz für nur {n} zusätzliche Kunden",
    },
}

_STYLE = {"description_width": "14rem"}
_FIELDS = ("hours_per_week", "hourly_cost", "ad_budget", "extra_customers", "margin_per_customer")


def label(key: str, lang: str | None = None) -> str:
    return in_language(LABELS[key], lang)


def euros(value: float, lang: str) -> str:
    """€ amounts without cents, with the thousands separator of the language."""
    text = f"{abs(value):,.0f}"
    if lang == "de":
        text = text.replace(",", ".")
    return ("−" if value < -0.5 else "") + "€" + text


def number(value: float, lang: str) -> str:
    text = f"{value:,.2f}".rstrip("0").rstrip(".") if value < 100 else f"{value:,.0f}"
    if lang == "de":
        text = text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")
    return text


def verdict_html(plan: Plan, lang: str | None = None) -> str:
    """The verdict in words (never colour alone): pays off or not, the sums and the break-even."""
    lang = lang or language()
    result = evaluate(plan)
    head = label("pays" if result.pays_off else "does_not_pay", lang)
    lines = [
        f"<p><strong>{html.escape(head)}</strong></p>",
        "<p>"
        + html.escape(
            label("summary", lang).format(
                cost=euros(result.cost, lang), benefit=euros(result.benefit, lang), net=euros(result.net, lang)
            )
        )
        + "</p>",
        "<p>" + html.escape(label("break_even", lang).format(n=number(result.break_even_customers, lang))) + "</p>",
    ]
    if result.capacity_binds:
        lines.append(
            "<p>" + html.escape(label("capacity_note", lang).format(n=number(result.served_customers, lang))) + "</p>"
        )
    return '<div role="status" aria-live="polite">' + "".join(lines) + "</div>"


def draw_break_even(ax: Axes, plan: Plan, lang: str | None = None) -> Axes:
    """Cost (flat) against benefit (rising with extra customers) and the firm's own estimate."""
    lang = lang or language()
    table = break_even_table(plan)
    ax.plot(table["extra_customers"], table["cost"], color=PALETTE[3], linestyle="--", label=label("cost", lang))
    ax.plot(table["extra_customers"], table["benefit"], color=PALETTE[0], label=label("benefit", lang))
    ax.axvline(plan.extra_customers, color=PALETTE[7], linestyle=":", linewidth=1, label=label("estimate", lang))
    ax.set_xlim(0, table["extra_customers"].iloc[-1])
    ax.set_ylim(bottom=0)
    ax.set_xlabel(label("x_axis", lang))
    ax.set_ylabel(label("y_axis", lang))
    ax.set_title(textwrap.fill(label("title", lang).format(name=plan.name), 32), fontsize=10)
    if plan.capacity is not None:
        ax.text(
            0.5,
            0.06,
            label("capped", lang).format(n=number(plan.capacity, lang)),
            transform=ax.transAxes,
            ha="center",
            va="bottom",
            fontsize=8,
            color=PALETTE[0],
        )
    ax.legend(frameon=False, fontsize=8)
    return ax


def chart_png(plan: Plan, lang: str | None = None) -> bytes:
    """The break-even chart as PNG bytes, drawn without pyplot so nothing is displayed by itself."""
    figure = Figure(figsize=(6.0, 3.4), dpi=90, layout="constrained")
    draw_break_even(figure.subplots(), plan, lang)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


class PayoffCalculator(w.VBox):
    """Pick a firm, change its estimates, and see the verdict and break-even chart update."""

    def __init__(self, plans: dict[str, Plan] | None = None):
        self.lang = language()
        self.plans = dict(plans or EXAMPLE_PLANS)
        self.profile = w.Dropdown(
            options=[(p.name, key) for key, p in self.plans.items()],
            description=label("profile", self.lang),
            style=_STYLE,
            layout=w.Layout(width="36rem"),
        )
        self.inputs = {
            f: w.BoundedFloatText(
                value=0.0,
                min=0.0,
                max=1e7,
                description=label(f, self.lang),
                style=_STYLE,
                layout=w.Layout(width="24rem"),
            )
            for f in _FIELDS
        }
        self.limited = w.Checkbox(value=False, description=label("limited", self.lang), indent=False)
        self.capacity = w.BoundedFloatText(
            value=0.0,
            min=0.0,
            max=1e7,
            description=label("capacity", self.lang),
            style=_STYLE,
            layout=w.Layout(width="24rem"),
        )
        self.verdict = w.HTML("")
        self.verdict.add_class("course-payoff-verdict")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="40rem"))
        self._loading = False
        self.profile.observe(lambda change: self.load(change["new"]), names="value")
        for widget in (*self.inputs.values(), self.limited, self.capacity):
            widget.observe(lambda _change: self.update(), names="value")
        super().__init__(
            [self.profile, *self.inputs.values(), w.HBox([self.limited, self.capacity]), self.verdict, self.chart]
        )
        self.add_class("course-payoff")
        self.load(self.profile.value)

    def load(self, key: str) -> None:
        """Fill the inputs with one example firm's estimates."""
        plan = self.plans[key]
        self._loading = True
        try:
            for field, widget in self.inputs.items():
                widget.value = float(getattr(plan, field))
            self.limited.value = plan.capacity is not None
            self.capacity.value = float(plan.capacity or 0.0)
        finally:
            self._loading = False
        self.update()

    def plan(self) -> Plan:
        """The plan as the inputs currently describe it."""
        base = self.plans[self.profile.value]
        values = {field: widget.value for field, widget in self.inputs.items()}
        return replace(base, **values, capacity=self.capacity.value if self.limited.value else None)

    def update(self) -> None:
        """Recompute and redraw; called whenever an input changes."""
        if self._loading:
            return
        self.capacity.disabled = not self.limited.value
        plan = self.plan()
        self.verdict.value = verdict_html(plan, self.lang)
        self.chart.value = chart_png(plan, self.lang)

    def _repr_mimebundle_(self, **kwargs: Any) -> dict[str, Any]:
        """Keep the widget view; replace the long widget repr with a short, stable text."""
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        names = "; ".join(p.name for p in self.plans.values())
        bundle["text/plain"] = label("plain", self.lang).format(names=names)
        return bundle
