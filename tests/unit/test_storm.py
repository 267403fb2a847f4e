"""The storm model and the escalation alert of lesson 06 (course_tools.storm)."""

from __future__ import annotations

import random
from datetime import datetime

import pandas as pd
import pytest

from course_tools import storm
from course_tools.storm import StormModel


def counts_from(values: list[int], start: str = "2025-01-06 00:00") -> pd.Series:
    index = pd.date_range(start, periods=len(values), freq="h")
    return pd.Series(values, index=index, name="mentions")


# --- the model ------------------------------------------------------------------------------


def test_storm_is_zero_before_it_starts_and_begins_at_initial():
    model = StormModel(storm_start=10, initial=2.0)
    rates = storm.storm_rate(model, 30)
    assert rates[:10] == [0.0] * 10
    assert rates[10] == 2.0


def test_storm_grows_until_the_reply_and_never_passes_the_ceiling():
    model = StormModel(storm_start=0, initial=2.0, growth=0.6, ceiling=40.0, response_delay=20)
    rates = storm.storm_rate(model, 21)
    assert all(later > earlier for earlier, later in zip(rates, rates[1:], strict=False))
    assert max(rates) <= 40.0
    assert rates[-1] > 39.0  # close to the ceiling after 20 hours of growth


def test_after_the_reply_storm_halves_every_half_life():
    model = StormModel(storm_start=0, response_delay=4, half_life=3.0)
    rates = storm.storm_rate(model, 12)
    # the hour in which the reply falls is still at the grown level; decay starts the hour after
    assert rates[5] < rates[4]
    assert rates[8] == pytest.approx(rates[5] / 2)
    assert rates[11] == pytest.approx(rates[5] / 4)


def test_a_later_reply_means_a_bigger_storm_in_the_model():
    totals = storm.storm_totals_by_delay(storm.BAKERY_STORY, [0, 1, 2, 4, 8, 14])
    assert totals.is_monotonic_increasing
    assert totals.index.name == "response_delay_hours"
    assert totals.loc[14] == pytest.approx(storm.storm_total(storm.BAKERY_STORY))
    assert totals.loc[14] > 10 * totals.loc[1]


def test_reply_at_once_leaves_only_a_fading_first_hour():
    model = StormModel(storm_start=0, initial=2.0, response_delay=0, half_life=1.0)
    assert storm.storm_rate(model, 4) == pytest.approx([2.0, 1.0, 0.5, 0.25])


def test_baseline_follows_the_daily_profile_from_the_given_hour():
    model = StormModel(peak_baseline=2.0)
    rates = storm.baseline_rate(model, 48, first_hour_of_day=6)
    assert rates[0] == pytest.approx(2.0 * storm.BAKERY_DAY_PROFILE[6])
    assert rates[2] == pytest.approx(2.0)  # 8 am is the busiest hour
    assert rates[:24] == rates[24:]


@pytest.mark.parametrize(
    "field, value",
    [("growth", 0), ("ceiling", -1), ("half_life", 0), ("response_delay", -1), ("day_profile", (1.0,) * 23)],
)
def test_impossible_settings_are_refused_with_the_field_named(field, value):
    with pytest.raises(ValueError, match=field):
        StormModel(**{field: value})


def test_poisson_draws_have_the_right_mean():
    rng = random.Random(1)
    for mean in (0.5, 3.0, 40.0):
        draws = [storm._poisson(rng, mean) for _ in range(4000)]
        assert sum(draws) / len(draws) == pytest.approx(mean, rel=0.05)
    assert storm._poisson(rng, 0.0) == 0


def test_simulation_is_reproducible_and_mostly_negative_during_the_storm():
    first = datetime(2025, 3, 3)
    one = storm.simulate_mentions(storm.BAKERY_STORY, first, 168, seed=7)
    two = storm.simulate_mentions(storm.BAKERY_STORY, first, 168, seed=7)
    other = storm.simulate_mentions(storm.BAKERY_STORY, first, 168, seed=8)
    pd.testing.assert_frame_equal(one, two)
    assert not one.equals(other)
    assert one["time"].is_monotonic_increasing
    start = pd.Timestamp(first) + pd.Timedelta(hours=storm.BAKERY_STORY.storm_start)
    during = one[(one["time"] >= start) & (one["time"] < start + pd.Timedelta(hours=18))]
    before = one[one["time"] < start]
    assert (during["sentiment"] == "negative").mean() > 0.7
    assert (before["sentiment"] == "negative").mean() < 0.25


# --- the alert ------------------------------------------------------------------------------


def test_hourly_counts_fill_empty_hours_with_zero():
    times = pd.Series(pd.to_datetime(["2025-01-06 08:10", "2025-01-06 08:50", "2025-01-06 11:05"]))
    counts = storm.hourly_counts(times)
    assert counts.tolist() == [2, 0, 0, 1]
    assert counts.index[0] == pd.Timestamp("2025-01-06 08:00")


def test_rolling_baseline_leaves_out_the_current_hour():
    counts = counts_from([1, 1, 1, 100])
    baseline = storm.rolling_baseline(counts, window=3)
    assert baseline.isna().tolist() == [True, True, True, False]
    assert baseline.iloc[3] == 1.0  # the spike does not raise its own baseline


def test_alert_needs_both_the_factor_and_the_minimum_count():
    counts = counts_from([0] * 24 + [3] + [0] * 5 + [12])
    alerts = storm.escalation_alerts(counts, factor=3, window=24, min_count=5)
    # 3 mentions against a baseline of 0: above the factor, but below the floor
    assert not alerts.iloc[24]
    assert alerts.iloc[30]
    assert alerts.sum() == 1


def test_alert_rule_matches_the_steps_shown_in_the_lesson():
    counts = storm.hourly_counts(storm.bakery_mentions()["time"])
    baseline = counts.shift(1).rolling(24).median()
    by_hand = (counts >= 3 * baseline) & (counts >= 5)
    packaged = storm.escalation_alerts(counts, factor=3, window=24, min_count=5)
    assert (by_hand == packaged).all()


def test_alert_report_counts_false_alarms_before_the_storm_and_the_delay():
    counts = counts_from([1] * 30 + [9] + [1] * 10 + [2, 20, 30])
    alerts = storm.escalation_alerts(counts, factor=3, window=24, min_count=5)
    report = storm.alert_report(alerts, counts.index[41])
    assert report.false_alarms == 1
    assert report.first_alert == counts.index[42]
    assert report.delay_hours == 1.0


def test_alert_report_when_nothing_fires():
    counts = counts_from([1] * 40)
    report = storm.alert_report(storm.escalation_alerts(counts), counts.index[30])
    assert report == storm.AlertReport(None, None, 0)


def test_stricter_floor_trades_false_alarms_for_delay_in_the_story():
    counts = storm.hourly_counts(storm.bakery_mentions()["time"])
    table = storm.tune_alerts(counts, storm.bakery_storm_start(), [2, 3, 8], [3, 5, 8])
    loose = table[(table["factor"] == 2) & (table["min_count"] == 3)].iloc[0]
    strict = table[(table["factor"] == 8) & (table["min_count"] == 8)].iloc[0]
    assert loose["false_alarms"] > strict["false_alarms"]
    assert loose["delay_hours"] < strict["delay_hours"]
    assert len(table) == 9


@pytest.mark.parametrize("kwargs", [{"factor": 0}, {"window": 0}])
def test_alert_refuses_meaningless_settings(kwargs):
    with pytest.raises(ValueError):
        storm.escalation_alerts(counts_from([1] * 30), **kwargs)


def test_story_storm_starts_on_thursday_afternoon():
    assert storm.bakery_storm_start() == pd.Timestamp("2025-03-06 16:00")
    assert storm.BAKERY_STORY.response_delay == 14
