"""Diffusion curves for lesson 08: the Bass model, the logistic S-curve, and fitting both to data.

Pure NumPy: numbers or arrays in, numbers or arrays out. The fits are grid searches in which
the curve's ceiling is solved exactly at every grid point (it enters the curve linearly), so no
optimiser library is needed and every machine gets the same answer.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

ArrayLike = float | int | list | tuple | np.ndarray


def _check_pq(p: float, q: float) -> None:
    if not (isinstance(p, (int, float)) and math.isfinite(p) and p > 0):
        raise ValueError(
            f"p, the coefficient of innovation, must be a number above 0 (got {p!r}); try a value such as 0.03."
        )
    if not (isinstance(q, (int, float)) and math.isfinite(q) and q >= 0):
        raise ValueError(
            f"q, the coefficient of imitation, must be a number of 0 or more (got {q!r}); try a value such as 0.38."
        )


def _check_fraction(value: float, name: str) -> None:
    if not (0 < value < 1):
        raise ValueError(f"{name} must be a share between 0 and 1, e.g. 0.5 for 50 % (got {value!r}).")


def _as_output(values: np.ndarray, like: ArrayLike) -> float | np.ndarray:
    """Give a plain float back for a plain number, an array for an array."""
    return float(values) if np.ndim(like) == 0 else values


def bass_share(t: ArrayLike, p: float, q: float) -> float | np.ndarray:
    """Share of the eventual market that has adopted by time t after launch (Bass 1969).

    The hazard of adopting is p + q·F(t): p is outside influence (advertising, media), q imitation
    of those who have already adopted. Before launch (t < 0) the share is 0.
    """
    _check_pq(p, q)
    time = np.asarray(t, dtype=float)
    decay = np.exp(-(p + q) * np.clip(time, 0, None))
    share = (1 - decay) / (1 + (q / p) * decay)
    return _as_output(np.where(time < 0, 0.0, share), t)


def bass_rate(t: ArrayLike, p: float, q: float) -> float | np.ndarray:
    """New adopters per unit of time, as a share of the market: the slope of `bass_share`."""
    _check_pq(p, q)
    time = np.asarray(t, dtype=float)
    decay = np.exp(-(p + q) * np.clip(time, 0, None))
    rate = ((p + q) ** 2 / p) * decay / (1 + (q / p) * decay) ** 2
    return _as_output(np.where(time < 0, 0.0, rate), t)


def bass_time_to_share(share: float, p: float, q: float) -> float:
    """Time after launch at which `share` of the eventual market has adopted (inverse of share)."""
    _check_pq(p, q)
    _check_fraction(share, "share")
    return -math.log((1 - share) / (1 + share * q / p)) / (p + q)


def bass_peak_time(p: float, q: float) -> float:
    """When adoption per year peaks: ln(q/p)/(p+q), or at launch if imitation is the weaker."""
    _check_pq(p, q)
    return math.log(q / p) / (p + q) if q > p else 0.0


def logistic_share(t: ArrayLike, ceiling: float, rate: float, midpoint: float) -> float | np.ndarray:
    """The logistic S-curve: `ceiling` / (1 + exp(-rate · (t - midpoint)))."""
    time = np.asarray(t, dtype=float)
    return _as_output(ceiling / (1 + np.exp(-rate * (time - midpoint))), t)


def _logit(fraction: float) -> float:
    return math.log(fraction / (1 - fraction))


def logistic_years_between(rate: float, low: float = 0.1, high: float = 0.9) -> float:
    """Years a logistic curve needs from `low` to `high` of its ceiling (10→90 %: 2·ln 9 / rate)."""
    _check_fraction(low, "low")
    _check_fraction(high, "high")
    if not rate > 0:
        raise ValueError(f"rate must be above 0 for a rising S-curve (got {rate!r}).")
    return (_logit(high) - _logit(low)) / rate


@dataclass(frozen=True)
class LogisticFit:
    """A logistic curve fitted to data, with the numbers a lesson talks about."""

    ceiling: float
    rate: float
    midpoint: float
    rmse: float
    n: int

    def predict(self, t: ArrayLike) -> float | np.ndarray:
        return logistic_share(t, self.ceiling, self.rate, self.midpoint)

    def year_reaching(self, fraction: float) -> float:
        """When the curve reaches `fraction` of its own ceiling (not of the population)."""
        _check_fraction(fraction, "fraction")
        return self.midpoint + _logit(fraction) / self.rate

    def years_between(self, low: float = 0.1, high: float = 0.9) -> float:
        return logistic_years_between(self.rate, low, high)


@dataclass(frozen=True)
class BassFit:
    """A Bass curve fitted to data for a given launch year; `market` is the fitted ceiling."""

    market: float
    p: float
    q: float
    launch: float
    rmse: float
    n: int

    def predict(self, t: ArrayLike) -> float | np.ndarray:
        time = np.asarray(t, dtype=float) - self.launch
        return _as_output(self.market * np.asarray(bass_share(time, self.p, self.q)), t)

    def year_reaching(self, fraction: float) -> float:
        """When the curve reaches `fraction` of its own ceiling (not of the population)."""
        return self.launch + bass_time_to_share(fraction, self.p, self.q)

    def years_between(self, low: float = 0.1, high: float = 0.9) -> float:
        return self.year_reaching(high) - self.year_reaching(low)


def _clean(times: ArrayLike, values: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    t = np.asarray(times, dtype=float).ravel()
    y = np.asarray(values, dtype=float).ravel()
    if t.shape != y.shape:
        raise ValueError(f"times and values must have the same length (got {t.size} and {y.size}).")
    if not (np.isfinite(t).all() and np.isfinite(y).all()):
        raise ValueError(
            "times and values must not contain missing values; drop those rows first (e.g. with .dropna())."
        )
    if t.size < 4:
        raise ValueError(f"a curve with three parameters needs at least 4 data points (got {t.size}).")
    return t, y


def _grid_fit(
    shape: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
    t: np.ndarray,
    y: np.ndarray,
    a_range: tuple[float, float],
    b_range: tuple[float, float],
    points: int = 97,
    rounds: int = 5,
) -> tuple[float, float, float, float]:
    """Least squares over a refined grid of two shape parameters; the scale is solved exactly.

    `shape(t, a, b)` returns the curve with ceiling 1 for arrays of a and b (broadcast). For fixed
    a and b the best ceiling is sum(g·y)/sum(g·g), so only a 2-D grid has to be searched. Each round
    after the first searches ±3 steps of the previous grid around its best point, at a tenth of the step.
    """
    a_grid = np.linspace(*a_range, points)
    b_grid = np.linspace(*b_range, points)
    best = (math.nan, math.nan, math.nan, math.inf)
    for _ in range(rounds):
        a, b = np.meshgrid(a_grid, b_grid, indexing="ij")
        g = shape(t, a[..., None], b[..., None])
        denominator = (g * g).sum(axis=-1)
        scale = np.divide((g * y).sum(axis=-1), denominator, out=np.zeros_like(denominator), where=denominator > 0)
        sse = ((scale[..., None] * g - y) ** 2).sum(axis=-1)
        i, j = np.unravel_index(np.nanargmin(sse), sse.shape)
        best = (float(scale[i, j]), float(a_grid[i]), float(b_grid[j]), float(sse[i, j]))
        step_a = 3 * (a_grid[1] - a_grid[0])
        step_b = 3 * (b_grid[1] - b_grid[0])
        a_grid = np.linspace(max(best[1] - step_a, a_range[0]), best[1] + step_a, 61)
        b_grid = np.linspace(max(best[2] - step_b, b_range[0]), best[2] + step_b, 61)
    return best


def fit_logistic(times: ArrayLike, values: ArrayLike) -> LogisticFit:
    """Fit ceiling, rate and midpoint of a logistic S-curve by least squares (NumPy only)."""
    t, y = _clean(times, values)
    span = t.max() - t.min()

    def shape(tt: np.ndarray, rate: np.ndarray, midpoint: np.ndarray) -> np.ndarray:
        return 1 / (1 + np.exp(-rate * (tt - midpoint)))

    ceiling, rate, midpoint, sse = _grid_fit(shape, t, y, (0.005, 3.0), (t.min() - span, t.max() + span))
    return LogisticFit(ceiling, rate, midpoint, math.sqrt(sse / t.size), int(t.size))


def fit_bass(times: ArrayLike, values: ArrayLike, launch: float) -> BassFit:
    """Fit market size, p and q of a Bass curve that starts at `launch` (NumPy only).

    The launch year is a choice, not a result: say why you chose it, and try another.
    """
    t, y = _clean(times, values)
    if launch > t.max():
        raise ValueError(
            f"launch ({launch}) lies after the last data point ({t.max():g}); "
            "choose a launch year at or before the data start."
        )
    elapsed = np.clip(t - launch, 0, None)

    def shape(tt: np.ndarray, p: np.ndarray, q: np.ndarray) -> np.ndarray:
        decay = np.exp(-(p + q) * tt)
        return (1 - decay) / (1 + (q / p) * decay)

    market, p, q, sse = _grid_fit(shape, elapsed, y, (1e-4, 0.3), (0.0, 1.5))
    return BassFit(market, p, q, float(launch), math.sqrt(sse / t.size), int(t.size))
