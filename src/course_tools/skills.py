"""Competence areas and profile comparisons for lesson 09 (skills and the tipping point).

The five digital areas are those of the EU's DigComp 2.2 framework (Vuorikari, Kluzer & Punie,
2022); DigComp 3.0 (2025) keeps the five areas and renames some of them. The two "old world" areas
stand for what the 2018 interview says a firm's social-media staff must also master. Pure pandas.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from teachkit.messages import in_language

DIGCOMP_AREAS = (
    "information and data literacy",
    "communication and collaboration",
    "digital content creation",
    "safety",
    "problem solving",
)
OLD_WORLD_AREAS = (
    "customer and product knowledge",
    "classic business communication",
)
AREAS = DIGCOMP_AREAS + OLD_WORLD_AREAS
RATING_MIN, RATING_MAX = 1, 5

_TEXT = {
    "en": {
        "met": "You meet the target in {met} of {total} areas.",
        "largest": "Largest gap: {area} ({gap} below the target).",
        "none": "No gap to the target: you could coach others.",
        "level": "level",
        "levels": "levels",
    },
    "de": {
        "met": "Sie erreichen das Ziel in {met} von {total} Bereichen.",
        "largest": "Größte Lücke: {area} ({gap} unter dem Ziel).",
        "none": "Keine Lücke zum Ziel: Sie könnten andere anleiten.",
        "level": "Stufe",
        "levels": "Stufen",
    },
}


def _check_ratings(ratings: Mapping[str, float], areas: list[str], what: str) -> None:
    missing = [area for area in areas if area not in ratings]
    if missing:
        raise KeyError(f"{what} has no rating for {missing}; give one rating per area.")
    for area in areas:
        value = ratings[area]
        if not RATING_MIN <= float(value) <= RATING_MAX:
            raise ValueError(
                f"{what}: the rating for {area!r} is {value!r}, but ratings run from {RATING_MIN} to {RATING_MAX}."
            )


def compare_profile(own: Mapping[str, float], team: Mapping[str, float], target: Mapping[str, float]) -> pd.DataFrame:
    """One row per area of `target`: own rating, team median, target, own gap (0 when met)."""
    areas = list(target)
    _check_ratings(target, areas, "target")
    _check_ratings(own, areas, "own ratings")
    _check_ratings(team, areas, "team ratings")
    frame = pd.DataFrame(
        {
            "own": [float(own[a]) for a in areas],
            "team_median": [float(team[a]) for a in areas],
            "target": [float(target[a]) for a in areas],
        },
        index=pd.Index(areas, name="area"),
    )
    frame["gap"] = (frame["target"] - frame["own"]).clip(lower=0)
    return frame


def profile_summary(profile: pd.DataFrame, lang: str = "en") -> str:
    """Say in words what the chart shows, so the result never depends on reading a picture."""
    text = in_language(_TEXT, lang)
    met = int((profile["gap"] == 0).sum())
    lines = [text["met"].format(met=met, total=len(profile))]
    if met == len(profile):
        lines.append(text["none"])
    else:
        area = str(profile["gap"].idxmax())
        gap = profile.loc[area, "gap"]
        unit = text["level"] if gap == 1 else text["levels"]
        lines.append(text["largest"].format(area=area, gap=f"{gap:g} {unit}"))
    return " ".join(lines)
