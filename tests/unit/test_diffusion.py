"""The Bass and logistic functions behind lesson 08, checked against their closed forms."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from course_tools.diffusion import (
    bass_peak_time,
    bass_rate,
    bass_share,
    bass_time_to_share,
    fit_bass,
    fit_logistic,
    logistic_share,
    logistic_years_between,
)

TYPICAL_P, TYPICAL_Q = 0.03, 0.38


def test_typical_values_reach_half_after_about_six_and_a_half_years():
    assert bass_time_to_share(0.5, TYPICAL_P, TYPICAL_Q) == pytest.approx(6.55, abs=0.01)


def test_typical_values_milestones_match_the_research_brief():
    assert bass_peak_time(TYPICAL_P, TYPICAL_Q) == pytest.approx(6.19, abs=0.01)
    assert bass_share(bass_peak_time(TYPICAL_P, TYPICAL_Q), TYPICAL_P, TYPICAL_Q) == pytest.approx(0.4605, abs=1e-4)
    assert bass_time_to_share(0.84, TYPICAL_P, TYPICAL_Q) == pytest.approx(10.46, abs=0.01)
    assert bass_time_to_share(0.9, TYPICAL_P, TYPICAL_Q) == pytest.approx(11.76, abs=0.01)
    span = bass_time_to_share(0.9, TYPICAL_P, TYPICAL_Q) - bass_time_to_share(0.1, TYPICAL_P, TYPICAL_Q)
    assert span == pytest.approx(9.50, abs=0.01)


def test_share_starts_at_zero_rises_and_approaches_one():
    t = np.linspace(0, 60, 601)
    share = bass_share(t, TYPICAL_P, TYPICAL_Q)
    assert share[0] == 0
    assert np.all(np.diff(share) > 0)
    assert share[-1] == pytest.approx(1, abs=1e-9)
    assert bass_share(-2, TYPICAL_P, TYPICAL_Q) == 0.0


def test_scalar_in_scalar_out_array_in_array_out():
    assert isinstance(bass_share(3, TYPICAL_P, TYPICAL_Q), float)
    assert isinstance(bass_rate(3.0, TYPICAL_P, TYPICAL_Q), float)
    assert bass_share([1, 2], TYPICAL_P, TYPICAL_Q).shape == (2,)


def test_rate_is_the_slope_of_the_share():
    t = np.linspace(0.5, 20, 40)
    h = 1e-5
    slope = (bass_share(t + h, 0.02, 0.5) - bass_share(t - h, 0.02, 0.5)) / (2 * h)
    assert np.allclose(bass_rate(t, 0.02, 0.5), slope, rtol=1e-5)


def test_rate_at_launch_is_p():
    assert bass_rate(0, 0.03, 0.38) == pytest.approx(0.03)


def test_without_imitation_the_peak_is_at_launch():
    assert bass_peak_time(0.05, 0.0) == 0.0
    assert bass_peak_time(0.05, 0.04) == 0.0


@given(
    p=st.floats(0.001, 0.2),
    q=st.floats(0.0, 1.5),
    share=st.floats(0.01, 0.99),
)
def test_time_to_share_inverts_share(p, q, share):
    t = bass_time_to_share(share, p, q)
    assert bass_share(t, p, q) == pytest.approx(share, abs=1e-9)


@given(p=st.floats(0.001, 0.2), q1=st.floats(0.0, 1.0), extra=st.floats(0.05, 0.5))
def test_more_imitation_reaches_half_sooner(p, q1, extra):
    assert bass_time_to_share(0.5, p, q1 + extra) < bass_time_to_share(0.5, p, q1)


@pytest.mark.parametrize("p, q", [(0, 0.38), (-0.01, 0.38), (0.03, -0.1), (math.nan, 0.3), ("0.03", 0.3)])
def test_bad_parameters_are_named(p, q):
    with pytest.raises(ValueError, match="coefficient of"):
        bass_share(1, p, q)


@pytest.mark.parametrize("share", [0, 1, 1.5, -0.2])
def test_share_outside_zero_one_is_refused(share):
    with pytest.raises(ValueError, match="between 0 and 1"):
        bass_time_to_share(share, 0.03, 0.38)


def test_logistic_ten_to_ninety_is_two_ln_nine_over_rate():
    assert logistic_years_between(0.5) == pytest.approx(2 * math.log(9) / 0.5)
    assert logistic_share(10, 80, 0.5, 10) == pytest.approx(40)
    with pytest.raises(ValueError, match="rate"):
        logistic_years_between(0)


def test_fit_logistic_recovers_known_parameters():
    t = np.arange(1990, 2021)
    y = logistic_share(t, 85, 0.45, 2002)
    fit = fit_logistic(t, y)
    assert fit.ceiling == pytest.approx(85, rel=1e-3)
    assert fit.rate == pytest.approx(0.45, rel=1e-3)
    assert fit.midpoint == pytest.approx(2002, abs=0.01)
    assert fit.rmse < 0.01
    assert fit.year_reaching(0.5) == pytest.approx(2002, abs=0.01)
    assert fit.years_between() == pytest.approx(2 * math.log(9) / 0.45, rel=1e-3)


def test_fit_logistic_with_noise_stays_close():
    rng = np.random.default_rng(1)
    t = np.arange(0, 40)
    y = logistic_share(t, 60, 0.3, 18) + rng.normal(0, 1, t.size)
    fit = fit_logistic(t, y)
    assert fit.ceiling == pytest.approx(60, rel=0.05)
    assert fit.rate == pytest.approx(0.3, rel=0.1)
    assert fit.midpoint == pytest.approx(18, abs=1)


def test_fit_bass_recovers_known_parameters():
    t = np.arange(2000, 2030)
    y = 80 * bass_share(t - 2000, 0.02, 0.5)
    fit = fit_bass(t, y, launch=2000)
    assert fit.market == pytest.approx(80, rel=1e-3)
    assert fit.p == pytest.approx(0.02, rel=1e-2)
    assert fit.q == pytest.approx(0.5, rel=1e-2)
    assert fit.predict(2010) == pytest.approx(80 * bass_share(10, 0.02, 0.5), rel=1e-3)
    assert fit.years_between(0.1, 0.9) == pytest.approx(
        bass_time_to_share(0.9, 0.02, 0.5) - bass_time_to_share(0.1, 0.02, 0.5), rel=1e-2
    )


def test_fits_explain_bad_input():
    with pytest.raises(ValueError, match="same length"):
        fit_logistic([1, 2, 3, 4], [1, 2, 3])
    with pytest.raises(ValueError, match="missing values"):
        fit_logistic([1, 2, 3, 4], [1, 2, np.nan, 4])
    with pytest.raises(ValueError, match="at least 4"):
        fit_logistic([1, 2, 3], [1, 2, 3])
    with pytest.raises(ValueError, match="launch"):
        fit_bass([1, 2, 3, 4], [1, 2, 3, 4], launch=10)
