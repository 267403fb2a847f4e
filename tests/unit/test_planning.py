"""Lesson 13's planning helpers: calendars, their checks, KPIs, tagged links and paid posts."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from course_tools import payoff, planning
from teachkit import data

ROOT = Path(__file__).resolve().parents[2]

SLOTS = [
    {
        "weekday": 1,
        "channel": "Instagram",
        "format": "photo",
        "pillar": "workshop",
        "objective": "apprentices",
        "kpi": "applications",
        "owner": "Lea",
    },
    {
        "weekday": 4,
        "channel": "Facebook",
        "format": "video",
        "pillar": "projects",
        "objective": "customers",
        "kpi": "",
        "owner": "Tom",
    },
]


def test_calendar_has_the_required_columns_one_row_per_slot_and_week():
    calendar = planning.build_calendar("2026-03-04", weeks=4, slots=SLOTS)
    assert list(calendar.columns) == planning.CALENDAR_COLUMNS
    assert len(calendar) == 8
    assert calendar["date"].is_monotonic_increasing
    assert calendar["date"].iloc[0] == pd.Timestamp("2026-03-03")  # Tuesday of the start's week
    assert calendar["date"].iloc[-1] == pd.Timestamp("2026-03-27")
    assert set(calendar["status"]) == {"idea"}


def test_calendar_refuses_a_slot_without_its_channel():
    with pytest.raises(ValueError, match="Slot 1 lacks \\['channel'\\]"):
        planning.build_calendar("2026-03-02", 1, [{"weekday": 0, "format": "photo", "pillar": "p", "objective": "o"}])


def test_missing_owner_or_kpi_finds_blank_and_missing_values():
    calendar = planning.build_calendar("2026-03-02", weeks=2, slots=SLOTS)
    calendar.loc[0, "owner"] = None
    gaps = planning.missing_owner_or_kpi(calendar)
    assert list(gaps.index) == [0, 1, 3]
    assert planning.check_columns(calendar.drop(columns=["kpi", "owner"])) == ["kpi", "owner"]


def test_weekly_hours_against_the_plans_hours():
    calendar = planning.build_calendar("2026-03-02", weeks=4, slots=SLOTS)
    hours = planning.weekly_hours(calendar)
    assert list(hours) == [4.0, 4.0, 4.0, 4.0]  # photo 1 h + video 3 h
    bakery = payoff.EXAMPLE_PLANS["bakery"]  # 3 hours a week
    table = planning.hours_check(calendar, bakery)
    assert not table["fits"].any()
    assert table["budget"].eq(3).all()
    lighter = planning.hours_check(calendar, bakery, {"photo": 1.0, "video": 2.0})
    assert lighter["fits"].all()


def test_weekly_hours_names_a_format_without_estimate():
    calendar = planning.build_calendar("2026-03-02", 1, [{**SLOTS[0], "format": "podcast"}])
    with pytest.raises(ValueError, match="podcast"):
        planning.weekly_hours(calendar)


def test_monthly_cost_of_calendar_reuses_lesson_07():
    calendar = planning.build_calendar("2026-03-02", weeks=4, slots=SLOTS)
    bakery = payoff.EXAMPLE_PLANS["bakery"]
    expected = 4 * 52 / 12 * bakery.hourly_cost + bakery.ad_budget
    assert planning.monthly_cost_of_calendar(calendar, bakery) == pytest.approx(expected)


def test_kpi_ladder_levels():
    assert planning.kpi_level("Reach") == "reach"
    assert planning.kpi_level("link clicks") == "engagement"
    assert planning.kpi_level(" applications ") == "outcome"
    with pytest.raises(ValueError, match="Unknown KPI 'vibes'"):
        planning.kpi_level("vibes")


def test_tagged_link_adds_utm_parameters_and_keeps_the_query():
    link = planning.tagged_link("https://www.example.de/offer?id=3", "instagram", "social", "open day")
    assert link == ("https://www.example.de/offer?id=3&utm_source=instagram&utm_medium=social&utm_campaign=open+day")
    with pytest.raises(ValueError, match="not a web address"):
        planning.tagged_link("example.de", "a", "b", "c")
    with pytest.raises(ValueError, match="campaign"):
        planning.tagged_link("https://example.de", "a", "b", " ")


def test_paid_post_break_even_is_lesson_07s_model():
    post = planning.paid_post_plan("boost", budget=200, margin_per_outcome=25)
    assert payoff.monthly_cost(post) == pytest.approx(200)
    assert payoff.break_even_customers(post) == pytest.approx(8)
    with_time = planning.paid_post_plan("boost", 200, 25, outcomes=10, prep_hours=2, hourly_cost=30)
    result = payoff.evaluate(with_time)
    assert result.cost == pytest.approx(260)
    assert result.net == pytest.approx(-10)
    assert not result.pays_off


def test_cost_per_outcome_and_impressions():
    assert planning.cost_per_outcome(200, 5) == 40
    assert math.isinf(planning.cost_per_outcome(200, 0))
    assert planning.impressions_for_budget(500, 5) == pytest.approx(100_000)
    with pytest.raises(ValueError):
        planning.impressions_for_budget(100, 0)
    with pytest.raises(ValueError):
        planning.cost_per_outcome(-1, 3)


def test_ladder_gives_the_share_reaching_each_next_step():
    posts = pd.DataFrame({"reach": [600, 400], "engaged_users": [30, 20], "enquiries": [1, 1]})
    steps = planning.ladder(posts, ["reach", "engaged_users", "enquiries"])
    assert math.isnan(steps["reach"])
    assert steps["engaged_users"] == pytest.approx(5)
    assert steps["enquiries"] == pytest.approx(4)


def test_synthetic_post_performance_is_current_and_calibrated():
    script = ROOT / "tools" / "make_synthetic_post_performance.py"
    done = subprocess.run([sys.executable, str(script), "--check"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    posts = data.load("synthetic_post_performance")
    assert posts.attrs["synthetic"] is True
    assert len(posts) == 104
    assert posts["type"].value_counts().idxmax() == "photo"
    assert (posts.loc[~posts["paid"], "ad_spend"] == 0).all()
    assert (posts["reach"] >= posts["engaged_users"]).all()
    assert (posts["engaged_users"] >= posts["link_clicks"]).all()
    assert (posts["link_clicks"] >= posts["enquiries"]).all()
    by_type = posts.groupby("type")[["engaged_users", "reach"]].sum()
    rate = by_type["engaged_users"] / by_type["reach"]
    assert rate["status"] > 1.5 * rate["photo"]  # built in: status posts draw about twice the attention
