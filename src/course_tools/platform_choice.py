"""A weighted scoring model (Nutzwertanalyse) for choosing social-media platforms; its sensitivity.

Pure pandas, no widgets: lesson 05's sliders call `rank_platforms`, and the tests call it directly.
Ratings are 0–5. For 'effort' and 'cost' a high rating is bad, so the model turns them round
(5 − rating) before weighting; a weight is any non-negative number and only its share counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from numbers import Real

import pandas as pd

CRITERIA: tuple[str, ...] = ("audience_fit", "effort", "cost", "tone_fit")
LOWER_IS_BETTER: frozenset[str] = frozenset({"effort", "cost"})
SCALE_MAX = 5
_NAMES = ", ".join(CRITERIA)

# Illustrative judgements for the lesson's example firm (a 40-person joinery that wants apprentices
# and local customers). They are our ratings, not measurements: students are meant to change them.
EXAMPLE_RATINGS: dict[str, dict[str, int]] = {
    "Instagram": {"audience_fit": 5, "effort": 4, "cost": 2, "tone_fit": 4},
    "Facebook": {"audience_fit": 3, "effort": 2, "cost": 1, "tone_fit": 4},
    "LinkedIn": {"audience_fit": 2, "effort": 3, "cost": 2, "tone_fit": 3},
    "XING": {"audience_fit": 1, "effort": 2, "cost": 2, "tone_fit": 3},
    "YouTube": {"audience_fit": 4, "effort": 5, "cost": 4, "tone_fit": 4},
    "TikTok": {"audience_fit": 5, "effort": 5, "cost": 2, "tone_fit": 2},
}
DEFAULT_WEIGHTS: dict[str, float] = {"audience_fit": 4, "effort": 2, "cost": 2, "tone_fit": 2}


def example_ratings() -> pd.DataFrame:
    """The example firm's ratings as a table: one row per platform, one column per criterion."""
    table = pd.DataFrame.from_dict(EXAMPLE_RATINGS, orient="index")[list(CRITERIA)]
    table.index.name = "platform"
    return table


def check_ratings(ratings: pd.DataFrame) -> None:
    """Raise a ValueError that names the column or cell to fix, if the ratings cannot be scored."""
    missing = [c for c in CRITERIA if c not in ratings.columns]
    if missing:
        raise ValueError(
            f"The ratings table has no column {missing[0]!r}; it needs the columns "
            f"{', '.join(CRITERIA)} (one row per platform)."
        )
    if ratings.empty:
        raise ValueError("The ratings table has no rows; add one row per platform.")
    if not ratings.index.is_unique:
        twice = ratings.index[ratings.index.duplicated()][0]
        raise ValueError(f"The platform {twice!r} appears twice in the ratings; keep one row per platform.")
    for criterion in CRITERIA:
        column = pd.to_numeric(ratings[criterion], errors="coerce")
        bad = column.isna() | (column < 0) | (column > SCALE_MAX)
        if bad.any():
            platform = ratings.index[bad.to_numpy()][0]
            value = ratings.loc[platform, criterion]
            shown = repr(value) if isinstance(value, str) else str(value)
            raise ValueError(
                f"Rating of {platform!r} for {criterion!r} is {shown}; use a number from 0 to {SCALE_MAX}."
            )


def check_weights(weights: Mapping[str, float]) -> pd.Series:
    """The weights as a Series in criterion order; a ValueError names a missing or bad weight."""
    for criterion in CRITERIA:
        if criterion not in weights:
            raise ValueError(f"No weight for {criterion!r}; give a weight for each of {_NAMES}.")
        value = weights[criterion]
        if isinstance(value, bool) or not isinstance(value, Real) or value != value or value < 0:
            raise ValueError(f"The weight for {criterion!r} is {value!r}; use a number of 0 or more.")
    unknown = sorted(set(weights) - set(CRITERIA))
    if unknown:
        raise ValueError(f"Unknown criterion {unknown[0]!r}; the criteria are {_NAMES}.")
    series = pd.Series({c: float(weights[c]) for c in CRITERIA})
    if series.sum() == 0:
        raise ValueError("All weights are 0; give at least one criterion a weight above 0.")
    return series


def weight_shares(weights: Mapping[str, float]) -> pd.Series:
    """Each weight as a share of their sum, so that sliders on any scale mean the same thing."""
    series = check_weights(weights)
    return series / series.sum()


def benefits(ratings: pd.DataFrame) -> pd.DataFrame:
    """Ratings turned so that higher is always better: effort and cost become 5 − rating."""
    check_ratings(ratings)
    table = ratings[list(CRITERIA)].astype(float)
    for criterion in LOWER_IS_BETTER:
        table[criterion] = SCALE_MAX - table[criterion]
    return table


def rank_platforms(ratings: pd.DataFrame, weights: Mapping[str, float]) -> pd.DataFrame:
    """Score (0–5) and rank every platform; ties share a rank and are listed alphabetically.

    The weighted sum is taken with the raw weights and divided by their total once, so two
    platforms that tie in exact arithmetic also tie here, without rounding noise.
    """
    raw = check_weights(weights)
    points = benefits(ratings).mul(raw, axis=1).sum(axis=1) / raw.sum()
    table = pd.DataFrame({"score": points})
    table.index.name = "platform"
    table = table.reset_index().sort_values(["score", "platform"], ascending=[False, True])
    table["rank"] = table["score"].rank(method="min", ascending=False).astype(int)
    return table.set_index("platform")


def leaders(ranked: pd.DataFrame) -> list[str]:
    """The platform(s) with the top score, alphabetically (more than one when they tie)."""
    return list(ranked.index[ranked["rank"] == 1])


def tie_weight(
    ratings: pd.DataFrame, weights: Mapping[str, float], criterion: str, first: str, second: str
) -> float | None:
    """The weight for `criterion` at which `first` and `second` score the same, the others held.

    Returns None when no weight of 0 or more makes them tie, e.g. when both platforms have the
    same rating on `criterion` (then that weight cannot change their order at all).
    """
    raw = check_weights(weights)
    if criterion not in CRITERIA:
        raise ValueError(f"Unknown criterion {criterion!r}; the criteria are {_NAMES}.")
    table = benefits(ratings)
    for name in (first, second):
        if name not in table.index:
            raise ValueError(f"No platform {name!r} in the ratings; there are {', '.join(table.index)}.")
    gap = table.loc[first] - table.loc[second]
    if gap[criterion] == 0:
        return None
    rest = sum(raw[c] * gap[c] for c in CRITERIA if c != criterion)
    weight = -rest / gap[criterion]
    return float(weight) if weight >= 0 else None


def leader_by_weight(
    ratings: pd.DataFrame, weights: Mapping[str, float], criterion: str, values: Iterable[float]
) -> pd.Series:
    """Who comes first as one weight runs through `values`, the other weights held.

    A tie shows as 'A = B'; an all-zero set of weights shows as '(no weights)'.
    """
    if criterion not in CRITERIA:
        raise ValueError(f"Unknown criterion {criterion!r}; the criteria are {_NAMES}.")
    result = {}
    for value in values:
        trial = {**dict(weights), criterion: value}
        try:
            result[value] = " = ".join(leaders(rank_platforms(ratings, trial)))
        except ValueError:
            if sum(float(trial[c]) for c in CRITERIA) != 0:
                raise
            result[value] = "(no weights)"
    series = pd.Series(result, name="leader")
    series.index.name = f"{criterion} weight"
    return series
