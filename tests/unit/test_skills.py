"""Profile comparison behind lesson 09's self-assessment."""

from __future__ import annotations

import pytest

from course_tools.skills import AREAS, DIGCOMP_AREAS, compare_profile, profile_summary

TARGET = {area: 3 for area in AREAS}
TEAM = {area: 2 for area in AREAS}


def test_five_digcomp_areas_and_seven_in_all():
    assert len(DIGCOMP_AREAS) == 5
    assert len(AREAS) == 7
    assert "safety" in DIGCOMP_AREAS


def test_gap_is_target_minus_own_and_never_negative():
    own = dict.fromkeys(AREAS, 4) | {"safety": 1}
    profile = compare_profile(own, TEAM, TARGET)
    assert list(profile.columns) == ["own", "team_median", "target", "gap"]
    assert profile.loc["safety", "gap"] == 2
    assert profile.loc["problem solving", "gap"] == 0
    assert list(profile.index) == list(AREAS)


def test_summary_names_the_largest_gap_in_both_languages():
    own = dict.fromkeys(AREAS, 3) | {"safety": 1, "problem solving": 2}
    profile = compare_profile(own, TEAM, TARGET)
    assert profile_summary(profile) == (
        "You meet the target in 5 of 7 areas. Largest gap: safety (2 levels below the target)."
    )
    assert "Größte Lücke: safety (2 Stufen unter dem Ziel)." in profile_summary(profile, "de")


def test_summary_without_gap_says_so():
    profile = compare_profile(dict.fromkeys(AREAS, 5), TEAM, TARGET)
    assert profile_summary(profile).endswith("No gap to the target: you could coach others.")


def test_missing_or_out_of_range_ratings_are_named():
    with pytest.raises(KeyError, match="safety"):
        compare_profile({a: 3 for a in AREAS if a != "safety"}, TEAM, TARGET)
    with pytest.raises(ValueError, match="from 1 to 5"):
        compare_profile(dict.fromkeys(AREAS, 3) | {"safety": 7}, TEAM, TARGET)
