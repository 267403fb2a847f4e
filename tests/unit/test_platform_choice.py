"""The platform-choice scoring model of lesson 05: scores, ranking, the flip point, clear errors."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from course_tools import platform_choice as pc


@pytest.fixture
def ratings() -> pd.DataFrame:
    return pc.example_ratings()


def test_default_weights_put_instagram_first_and_facebook_second(ratings):
    ranked = pc.rank_platforms(ratings, pc.DEFAULT_WEIGHTS)
    assert list(ranked.index[:2]) == ["Instagram", "Facebook"]
    # Instagram: (5*4 + (5-4)*2 + (5-2)*2 + 4*2) / 10 = 3.6; Facebook: (12 + 6 + 8 + 8) / 10 = 3.4
    assert ranked.loc["Instagram", "score"] == pytest.approx(3.6)
    assert ranked.loc["Facebook", "score"] == pytest.approx(3.4)
    assert ranked.index[-1] == "XING"
    assert list(ranked["rank"]) == [1, 2, 3, 4, 5, 6]


def test_effort_and_cost_count_against_a_platform(ratings):
    base = pc.rank_platforms(ratings, pc.DEFAULT_WEIGHTS).loc["LinkedIn", "score"]
    for criterion in ("effort", "cost"):
        heavier = ratings.copy()
        heavier.loc["LinkedIn", criterion] += 1
        assert pc.rank_platforms(heavier, pc.DEFAULT_WEIGHTS).loc["LinkedIn", "score"] < base
    better = ratings.copy()
    better.loc["LinkedIn", "audience_fit"] += 1
    assert pc.rank_platforms(better, pc.DEFAULT_WEIGHTS).loc["LinkedIn", "score"] > base


def test_only_the_shares_of_the_weights_matter(ratings):
    tenfold = {c: 10 * v for c, v in pc.DEFAULT_WEIGHTS.items()}
    pd.testing.assert_frame_equal(pc.rank_platforms(ratings, pc.DEFAULT_WEIGHTS), pc.rank_platforms(ratings, tenfold))
    assert pc.weight_shares(pc.DEFAULT_WEIGHTS).to_dict() == pytest.approx(
        {"audience_fit": 0.4, "effort": 0.2, "cost": 0.2, "tone_fit": 0.2}
    )


def test_scores_stay_between_0_and_5():
    table = pd.DataFrame([[5, 0, 0, 5], [0, 5, 5, 0]], index=["A", "B"], columns=list(pc.CRITERIA))
    ranked = pc.rank_platforms(table, pc.DEFAULT_WEIGHTS)
    assert ranked["score"].to_dict() == {"A": 5.0, "B": 0.0}


def test_raising_the_effort_weight_flips_the_leader_at_the_computed_point(ratings):
    flip = pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, "effort", "Instagram", "Facebook")
    assert flip == pytest.approx(3.0)
    below = pc.rank_platforms(ratings, {**pc.DEFAULT_WEIGHTS, "effort": 2})
    at = pc.rank_platforms(ratings, {**pc.DEFAULT_WEIGHTS, "effort": 3})
    above = pc.rank_platforms(ratings, {**pc.DEFAULT_WEIGHTS, "effort": 4})
    assert pc.leaders(below) == ["Instagram"]
    assert pc.leaders(at) == ["Facebook", "Instagram"]  # an exact tie shares first place
    assert pc.leaders(above) == ["Facebook"]
    sweep = pc.leader_by_weight(ratings, pc.DEFAULT_WEIGHTS, "effort", range(11))
    assert sweep[2] == "Instagram"
    assert sweep[3] == "Facebook = Instagram"
    assert sweep[10] == "Facebook"


def test_other_single_slider_flips(ratings):
    pair = ("Instagram", "Facebook")
    assert pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, "audience_fit", *pair) == 3.0
    assert pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, "cost", *pair) == 4.0
    less_audience = pc.rank_platforms(ratings, {**pc.DEFAULT_WEIGHTS, "audience_fit": 2})
    assert pc.leaders(less_audience) == ["Facebook"]


def test_tone_cannot_separate_two_platforms_rated_alike_on_tone(ratings):
    assert pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, "tone_fit", "Instagram", "Facebook") is None
    sweep = pc.leader_by_weight(ratings, pc.DEFAULT_WEIGHTS, "tone_fit", range(11))
    assert set(sweep) == {"Instagram"}


def test_no_tie_at_a_negative_weight_is_reported_as_none(ratings):
    # Instagram beats YouTube on every criterion, so no weight can make them tie.
    for criterion in pc.CRITERIA:
        assert pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, criterion, "Instagram", "YouTube") is None


def test_all_weights_zero_is_a_clear_error_and_a_label_in_a_sweep(ratings):
    zero = dict.fromkeys(pc.CRITERIA, 0)
    with pytest.raises(ValueError, match="All weights are 0"):
        pc.rank_platforms(ratings, zero)
    only_effort = {**zero, "effort": 0}
    assert pc.leader_by_weight(ratings, only_effort, "effort", [0, 1])[0] == "(no weights)"


@pytest.mark.parametrize(
    "weights, message",
    [
        ({"audience_fit": 1, "effort": 1, "cost": 1}, "No weight for 'tone_fit'"),
        ({**pc.DEFAULT_WEIGHTS, "cost": -1}, "weight for 'cost' is -1"),
        ({**pc.DEFAULT_WEIGHTS, "cost": "high"}, "weight for 'cost' is 'high'"),
        ({**pc.DEFAULT_WEIGHTS, "reach": 3}, "Unknown criterion 'reach'"),
    ],
)
def test_unusable_weights_are_named(ratings, weights, message):
    with pytest.raises(ValueError, match=message):
        pc.rank_platforms(ratings, weights)


def test_unusable_ratings_are_named(ratings):
    wrong = ratings.copy()
    wrong.loc["TikTok", "cost"] = 7
    with pytest.raises(ValueError, match="'TikTok' for 'cost' is 7"):
        pc.rank_platforms(wrong, pc.DEFAULT_WEIGHTS)
    with pytest.raises(ValueError, match="no column 'tone_fit'"):
        pc.rank_platforms(ratings.drop(columns="tone_fit"), pc.DEFAULT_WEIGHTS)
    with pytest.raises(ValueError, match="'XING' appears twice"):
        pc.rank_platforms(pd.concat([ratings, ratings.loc[["XING"]]]), pc.DEFAULT_WEIGHTS)
    with pytest.raises(ValueError, match="No platform 'Threads'"):
        pc.tie_weight(ratings, pc.DEFAULT_WEIGHTS, "effort", "Threads", "XING")


rating = st.integers(min_value=0, max_value=5)
weight = st.integers(min_value=0, max_value=10)


@settings(max_examples=100, deadline=None)
@given(
    a=st.tuples(rating, rating, rating, rating),
    b=st.tuples(rating, rating, rating, rating),
    weights=st.tuples(weight, weight, weight, weight),
    criterion=st.sampled_from(pc.CRITERIA),
)
def test_the_tie_weight_really_makes_the_scores_equal(a, b, weights, criterion):
    table = pd.DataFrame([a, b], index=["A", "B"], columns=list(pc.CRITERIA))
    start = dict(zip(pc.CRITERIA, weights, strict=True))
    if sum(weights) == 0:
        return  # no starting point to vary from; rank_platforms refuses it with a clear message
    flip = pc.tie_weight(table, start, criterion, "A", "B")
    if flip is None or (flip == 0 and sum(v for c, v in start.items() if c != criterion) == 0):
        return
    scores = pc.rank_platforms(table, {**start, criterion: flip})["score"]
    assert scores["A"] == pytest.approx(scores["B"], abs=1e-9)
