"""The cost–benefit calculation and the calculator app of lesson 07 (course_tools.payoff*)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from course_tools import payoff, payoff_app
from course_tools.payoff import EXAMPLE_PLANS, Plan


def plan(**changes) -> Plan:
    values = dict(
        name="test", hours_per_week=2, hourly_cost=30, ad_budget=100, extra_customers=10, margin_per_customer=20
    )
    values.update(changes)
    return Plan(**values)


# --- the calculation ------------------------------------------------------------------------


def test_monthly_cost_counts_time_at_52_weeks_a_year_plus_ads():
    assert payoff.monthly_cost(plan()) == pytest.approx(2 * 52 / 12 * 30 + 100)


def test_benefit_is_customers_times_margin():
    assert payoff.monthly_benefit(plan()) == 200


def test_break_even_is_where_benefit_meets_cost():
    p = plan()
    at_break_even = plan(extra_customers=payoff.break_even_customers(p))
    assert payoff.monthly_benefit(at_break_even) == pytest.approx(payoff.monthly_cost(p))
    assert payoff.evaluate(at_break_even).net == pytest.approx(0, abs=1e-9)


def test_no_margin_means_no_break_even():
    assert payoff.break_even_customers(plan(margin_per_customer=0)) == math.inf
    free = plan(margin_per_customer=0, hours_per_week=0, ad_budget=0)
    assert payoff.break_even_customers(free) == 0


def test_capacity_caps_the_customers_that_count():
    full = payoff.evaluate(plan(extra_customers=10, capacity=0))
    assert full.benefit == 0 and not full.pays_off and full.capacity_binds
    room = payoff.evaluate(plan(extra_customers=10, capacity=4))
    assert room.served_customers == 4 and room.benefit == 80
    assert not payoff.evaluate(plan(capacity=50)).capacity_binds


@pytest.mark.parametrize(
    "field", ["hours_per_week", "hourly_cost", "ad_budget", "extra_customers", "margin_per_customer"]
)
def test_negative_or_missing_estimates_are_refused_naming_the_field(field):
    with pytest.raises(ValueError, match=field):
        plan(**{field: -1})
    with pytest.raises(ValueError, match=field):
        plan(**{field: float("nan")})


def test_negative_capacity_is_refused():
    with pytest.raises(ValueError, match="capacity"):
        plan(capacity=-1)


def test_the_three_example_firms_get_different_honest_answers():
    results = {key: payoff.evaluate(p) for key, p in EXAMPLE_PLANS.items()}
    assert results["bakery"].pays_off
    assert not results["roofer"].pays_off
    assert results["roofer"].capacity_binds  # the "no" comes from the full order book
    assert results["manufacturer"].pays_off
    # the manufacturer's margin of safety is thin: one order a year fewer flips the verdict
    maker = EXAMPLE_PLANS["manufacturer"]
    one_fewer = maker.changed(extra_customers=maker.extra_customers - 1 / 12)
    assert not payoff.evaluate(one_fewer).pays_off


def test_the_roofer_would_look_profitable_if_capacity_were_forgotten():
    roofer = EXAMPLE_PLANS["roofer"]
    assert payoff.evaluate(roofer.changed(capacity=None)).pays_off
    assert roofer.capacity == 0  # changed() returns a new plan and leaves the example alone


def test_compare_has_one_row_per_plan_with_the_results():
    table = payoff.compare(list(EXAMPLE_PLANS.values()))
    assert list(table.index) == [p.name for p in EXAMPLE_PLANS.values()]
    assert table.loc["Bakery, 12 staff", "cost"] == pytest.approx(375)
    assert table.loc["Bakery, 12 staff", "net"] == pytest.approx(225)
    assert table["pays_off"].tolist() == [True, False, True]


def test_break_even_table_spans_twice_the_larger_of_estimate_and_break_even():
    p = EXAMPLE_PLANS["bakery"]
    table = payoff.break_even_table(p, steps=10)
    assert len(table) == 11
    assert table["extra_customers"].iloc[-1] == pytest.approx(50)
    assert (table["cost"] == payoff.monthly_cost(p)).all()
    assert table["benefit"].is_monotonic_increasing
    capped = payoff.break_even_table(EXAMPLE_PLANS["roofer"])
    assert (capped["benefit"] == 0).all()


# --- engagement rates -----------------------------------------------------------------------


def test_engagement_rate_is_a_percentage_of_the_chosen_base():
    assert payoff.engagement_rate(50, 1000) == pytest.approx(5.0)


def test_the_denominator_can_flip_which_post_looks_better():
    posts = pd.DataFrame(
        {"followers": [800, 800], "reach": [300, 2400], "impressions": [420, 3100], "engagements": [24, 60]},
        index=["A", "B"],
    )
    by_followers = payoff.engagement_rate(posts["engagements"], posts["followers"])
    by_reach = payoff.engagement_rate(posts["engagements"], posts["reach"])
    assert by_followers.idxmax() == "B"
    assert by_reach.idxmax() == "A"
    by_impressions = payoff.engagement_rate(posts["engagements"], posts["impressions"])
    # impressions count repeat views, so they are never fewer than reach
    assert (by_impressions <= by_reach).all()


@pytest.mark.parametrize("base", [0, -5, pd.Series([10, 0])])
def test_engagement_rate_needs_a_positive_base(base):
    with pytest.raises(ValueError, match="greater than 0"):
        payoff.engagement_rate(5, base)


# --- the app --------------------------------------------------------------------------------


def test_app_starts_with_the_first_firm_and_a_verdict_and_chart():
    app = payoff_app.PayoffCalculator()
    assert app.profile.value == "bakery"
    assert "Pays off" in app.verdict.value
    assert "€375" in app.verdict.value and "€225" in app.verdict.value
    assert bytes(app.chart.value[:8]) == b"\x89PNG\r\n\x1a\n"


def test_choosing_the_roofer_shows_no_and_explains_capacity():
    app = payoff_app.PayoffCalculator()
    app.profile.value = "roofer"
    assert app.inputs["margin_per_customer"].value == 1500
    assert app.limited.value and not app.capacity.disabled
    assert "Does not pay off" in app.verdict.value
    assert "only 0 extra customers count" in app.verdict.value
    app.limited.value = False
    assert "Pays off" in app.verdict.value
    assert app.capacity.disabled


def test_changing_an_input_recomputes_the_verdict():
    app = payoff_app.PayoffCalculator()
    before = bytes(app.chart.value)
    app.inputs["extra_customers"].value = 5
    assert "Does not pay off" in app.verdict.value
    assert app.plan().extra_customers == 5
    assert bytes(app.chart.value) != before


def test_app_text_summary_is_short_and_stable():
    text = payoff_app.PayoffCalculator()._repr_mimebundle_()["text/plain"]
    assert text.startswith("Cost–benefit calculator.")
    assert "0x" not in text and "PNG" not in text


def test_app_speaks_german_when_the_course_does(monkeypatch):
    monkeypatch.setenv("TEACHKIT_LANG", "de")
    app = payoff_app.PayoffCalculator()
    assert "Lohnt sich" in app.verdict.value
    assert "€375" in app.verdict.value
    app.profile.value = "manufacturer"
    assert "€1.960" in app.verdict.value
    assert app.profile.description == "Betrieb"


def test_verdict_never_relies_on_colour_alone():
    text = payoff_app.verdict_html(EXAMPLE_PLANS["roofer"], "en")
    assert "✘ Does not pay off" in text and "color" not in text
