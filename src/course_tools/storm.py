"""A toy model of an online firestorm ("Shitstorm") and a simple escalation alert (lesson 06).

The model is deliberately small, so a learner can see every assumption in it:

* Ordinary mentions follow a daily rhythm (few at night, most while the shop is open).
* One storm starts at a given hour. Until the firm replies publicly, storm mentions grow
  logistically: fast at first, then levelling off at a ceiling (a local audience is finite).
* From the firm's first reply on, storm mentions halve every `half_life` hours.

That a reply turns growth into decay is an assumption *built into* the model, not a finding:
the lesson says so, and so must anyone who reuses these numbers.

The alert functions work on any hourly count series (real or synthetic) and are plain pandas.
The generator uses only the standard library's `random.Random`, whose `random()` stream is
guaranteed to stay the same across Python versions, so the committed synthetic CSV can be
rebuilt exactly (see tools/make_synthetic_storm.py).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import pandas as pd

# Share of the busiest hour's mentions in each hour of the day (0 = midnight–1 am), for a
# bakery open 6 am–6 pm. Chosen by hand for the story; not measured.
BAKERY_DAY_PROFILE: tuple[float, ...] = (
    0.05,
    0.03,
    0.03,
    0.03,
    0.05,
    0.15,  # 0–5 h: night
    0.45,
    0.85,
    1.00,
    0.90,
    0.75,
    0.70,  # 6–11 h: morning rush
    0.75,
    0.60,
    0.50,
    0.55,
    0.65,
    0.60,  # 12–17 h: afternoon
    0.45,
    0.40,
    0.35,
    0.30,
    0.20,
    0.10,  # 18–23 h: evening
)

SENTIMENTS = ("positive", "neutral", "negative")


@dataclass(frozen=True)
class StormModel:
    """Expected mentions per hour: a daily baseline plus one storm that a public reply turns around.

    Hours are counted from 0 at the first hour of the series.
    """

    peak_baseline: float = 2.5  # ordinary mentions in the busiest hour of a day
    day_profile: tuple[float, ...] = BAKERY_DAY_PROFILE
    storm_start: int = 88  # hour at which the storm begins
    initial: float = 2.0  # storm mentions in the storm's first hour
    growth: float = 0.6  # growth per hour while small (0.6 = +60 % an hour)
    ceiling: float = 40.0  # storm mentions per hour cannot exceed this
    response_delay: float = 14.0  # hours from the storm's start to the firm's first reply
    half_life: float = 3.0  # after the reply, storm mentions halve this often (hours)

    def __post_init__(self) -> None:
        if len(self.day_profile) != 24:
            raise ValueError(f"day_profile needs 24 values (one per hour), got {len(self.day_profile)}.")
        for name in ("peak_baseline", "initial", "growth", "ceiling", "half_life"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be greater than 0, got {getattr(self, name)!r}.")
        if self.response_delay < 0:
            raise ValueError(f"response_delay must be 0 or more hours, got {self.response_delay!r}.")
        if self.initial > self.ceiling:
            raise ValueError("initial must not exceed ceiling.")


def baseline_rate(model: StormModel, hours: int, first_hour_of_day: int = 0) -> list[float]:
    """Expected ordinary mentions in each of `hours` hours (the daily rhythm, repeated)."""
    return [model.peak_baseline * model.day_profile[(first_hour_of_day + h) % 24] for h in range(hours)]


def storm_rate(model: StormModel, hours: int) -> list[float]:
    """Expected storm mentions in each hour: logistic growth until the reply, then halving.

    A reply part-way through an hour takes effect from the next whole hour.
    """
    rates = [0.0] * hours
    level = model.initial
    decay = 0.5 ** (1.0 / model.half_life)
    for h in range(model.storm_start, hours):
        rates[h] = level
        since_start = h - model.storm_start + 1
        if since_start <= model.response_delay:
            level = level + model.growth * level * (1.0 - level / model.ceiling)
        else:
            level = level * decay
    return rates


def expected_mentions(model: StormModel, hours: int, first_hour_of_day: int = 0) -> list[float]:
    """Baseline plus storm: the expected number of mentions in each hour."""
    return [
        b + s for b, s in zip(baseline_rate(model, hours, first_hour_of_day), storm_rate(model, hours), strict=True)
    ]


def storm_total(model: StormModel, hours: int = 24 * 7) -> float:
    """Expected number of storm mentions over the whole series: the storm's size in the model."""
    return sum(storm_rate(model, hours))


def storm_totals_by_delay(model: StormModel, delays: list[float], hours: int = 24 * 7) -> pd.Series:
    """Storm size for several reply delays, all else equal.

    This is what a faster reply changes *in the model*; it is not evidence about real storms.
    """
    totals = [storm_total(replace(model, response_delay=d), hours) for d in delays]
    index = pd.Index(delays, name="response_delay_hours")
    return pd.Series(totals, index=index, name="storm_mentions")


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw by inversion, using only `rng.random()` (stable across Python versions)."""
    if mean <= 0:
        return 0
    u = rng.random()
    k, p = 0, math.exp(-mean)
    cumulative = p
    while u > cumulative and p > 0:
        k += 1
        p *= mean / k
        cumulative += p
    return k


def _pick(rng: random.Random, shares: tuple[float, float, float]) -> str:
    u, total = rng.random(), 0.0
    for label, share in zip(SENTIMENTS, shares, strict=True):
        total += share
        if u < total:
            return label
    return SENTIMENTS[-1]


def simulate_mentions(
    model: StormModel,
    first_hour: datetime,
    hours: int,
    seed: int,
    baseline_sentiment: tuple[float, float, float] = (0.55, 0.35, 0.10),
    storm_sentiment: tuple[float, float, float] = (0.03, 0.12, 0.85),
) -> pd.DataFrame:
    """Draw one synthetic mention log from the model: one row per mention, in time order.

    Each hour's count is a Poisson draw around the model's expected value; each mention gets a
    minute and second at random and a sentiment drawn from the baseline or the storm shares.
    """
    rng = random.Random(seed)
    base = baseline_rate(model, hours, first_hour.hour)
    storm = storm_rate(model, hours)
    rows: list[tuple[datetime, str]] = []
    for h in range(hours):
        expected = base[h] + storm[h]
        count = _poisson(rng, expected)
        storm_share = storm[h] / expected if expected else 0.0
        hour_rows = []
        for _ in range(count):
            second = int(rng.random() * 3600)
            shares = storm_sentiment if rng.random() < storm_share else baseline_sentiment
            hour_rows.append((first_hour + timedelta(hours=h, seconds=second), _pick(rng, shares)))
        rows.extend(sorted(hour_rows))
    return pd.DataFrame(rows, columns=["time", "sentiment"])


# --- the alert ------------------------------------------------------------------------------


def hourly_counts(times: pd.Series) -> pd.Series:
    """Mentions per clock hour, with hours without any mention counted as 0."""
    stamps = pd.to_datetime(pd.Series(times))
    counts = pd.Series(1, index=pd.DatetimeIndex(stamps)).sort_index().resample("h").sum()
    return counts.astype("int64").rename("mentions")


def rolling_baseline(counts: pd.Series, window: int = 24) -> pd.Series:
    """The median of the previous `window` hours (the current hour is left out, so a spike
    cannot raise its own baseline). Undefined (NaN) until `window` hours have passed."""
    if window < 1:
        raise ValueError(f"window must be at least 1 hour, got {window!r}.")
    return counts.shift(1).rolling(window, min_periods=window).median().rename("baseline")


def escalation_alerts(counts: pd.Series, factor: float = 3.0, window: int = 24, min_count: int = 5) -> pd.Series:
    """True for each hour whose count is at least `factor` × the rolling baseline *and* at least
    `min_count` (so one or two posts at night, against a baseline of 0, raise no alarm)."""
    if factor <= 0:
        raise ValueError(f"factor must be greater than 0, got {factor!r}.")
    baseline = rolling_baseline(counts, window)
    alerts = (counts >= factor * baseline) & (counts >= min_count) & baseline.notna()
    return alerts.rename("alert")


@dataclass(frozen=True)
class AlertReport:
    """How an alert rule did against a storm whose start is known (only true of synthetic data)."""

    first_alert: pd.Timestamp | None  # first alert at or after the storm's start
    delay_hours: float | None  # hours from the storm's start to that alert
    false_alarms: int  # alert hours before the storm started


def alert_report(alerts: pd.Series, storm_start: pd.Timestamp) -> AlertReport:
    """Detection delay and false alarms of an alert series, given when the storm really began."""
    storm_start = pd.Timestamp(storm_start)
    fired = alerts[alerts.astype(bool)].index
    before = fired[fired < storm_start]
    after = fired[fired >= storm_start]
    if len(after) == 0:
        return AlertReport(None, None, len(before))
    first = after[0]
    return AlertReport(first, (first - storm_start) / pd.Timedelta(hours=1), len(before))


def tune_alerts(
    counts: pd.Series, storm_start: pd.Timestamp, factors: list[float], min_counts: list[int], window: int = 24
) -> pd.DataFrame:
    """Try every combination of factor and minimum count; one row per rule, for comparison."""
    rows = []
    for factor in factors:
        for min_count in min_counts:
            report = alert_report(escalation_alerts(counts, factor, window, min_count), storm_start)
            rows.append(
                {
                    "factor": factor,
                    "min_count": min_count,
                    "delay_hours": report.delay_hours,
                    "false_alarms": report.false_alarms,
                }
            )
    return pd.DataFrame(rows)


# --- the story used in lesson 06 -----------------------------------------------------------

#: The fictional Bäckerei Musterkorn's week: Monday 3 March 2025, 0:00, for 7 days.
BAKERY_FIRST_HOUR = datetime(2025, 3, 3, 0, 0)
BAKERY_HOURS = 24 * 7
BAKERY_SEED = 2018
#: A false rumour starts a storm on Thursday at 16:00 (hour 88); the owner sees it and replies
#: the next morning at 6:00, 14 hours later.
BAKERY_STORY = StormModel()


def bakery_storm_start() -> pd.Timestamp:
    """When the story's storm begins, as a timestamp."""
    return pd.Timestamp(BAKERY_FIRST_HOUR + timedelta(hours=BAKERY_STORY.storm_start))


def bakery_mentions() -> pd.DataFrame:
    """The synthetic mention log of the story, exactly as committed in data/."""
    return simulate_mentions(BAKERY_STORY, BAKERY_FIRST_HOUR, BAKERY_HOURS, BAKERY_SEED)
