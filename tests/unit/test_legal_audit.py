"""Lesson 11: the audit rules for profiles and posts, and the generator of the synthetic audit table."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from course_tools import legal_audit as la
from teachkit import data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _course_root(monkeypatch):
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(ROOT))


@pytest.mark.parametrize(
    ("link", "clicks", "ok"),
    [
        ("Impressum", 1, True),
        ("Kontakt", 2, True),
        ("Impressum", 3, False),
        ("Info", 1, False),
        ("none", pd.NA, False),
        ("Impressum", pd.NA, False),
    ],
)
def test_impressum_needs_a_clear_label_and_at_most_two_clicks(link, clicks, ok):
    assert la.impressum_ok(link, clicks) is ok


def _profiles(**overrides) -> pd.DataFrame:
    row = {
        "firm": "A",
        "impressum_link": "Impressum",
        "clicks_to_impressum": 1,
        "privacy_notice": True,
        "staff_consent": "written",
        "sponsored_posts": 2,
        "sponsored_labelled": 2,
    }
    row.update(overrides)
    return pd.DataFrame([row])


def test_a_clean_profile_has_no_issue():
    audit = la.audit_profiles(_profiles())
    assert audit.loc["A", "issues"] == 0


@pytest.mark.parametrize(
    ("override", "issue"),
    [
        ({"impressum_link": "Info"}, "impressum"),
        ({"privacy_notice": False}, "privacy_notice"),
        ({"staff_consent": "verbal only"}, "consent"),
        ({"staff_consent": "none"}, "consent"),
        ({"sponsored_labelled": 1}, "ad_label"),
    ],
)
def test_each_fault_raises_exactly_its_own_flag(override, issue):
    audit = la.audit_profiles(_profiles(**override))
    assert audit.loc["A", issue]
    assert audit.loc["A", "issues"] == 1


def test_no_staff_shown_needs_no_consent_and_no_sponsored_posts_need_no_label():
    audit = la.audit_profiles(_profiles(staff_consent="no staff shown", sponsored_posts=0, sponsored_labelled=0))
    assert audit.loc["A", "issues"] == 0


def test_missing_column_is_named():
    with pytest.raises(KeyError, match="privacy_notice"):
        la.audit_profiles(_profiles().drop(columns="privacy_notice"))


def test_firms_to_fix_is_sorted_and_respects_the_threshold():
    audit = pd.DataFrame({"issues": [2, 0, 1, 3]}, index=pd.Index(["D", "C", "B", "A"], name="firm"))
    assert la.firms_to_fix(audit) == ["A", "B", "D"]
    assert la.firms_to_fix(audit, min_issues=2) == ["A", "D"]


@pytest.mark.parametrize(
    ("account", "about", "consideration", "needed"),
    [
        ("firm", "own", False, False),
        ("firm", "own", True, False),
        ("employee", "employer", False, True),
        ("creator", "other firm", True, True),
        ("creator", "other firm", False, False),
        ("customer", "other firm", True, True),
        ("customer", "other firm", False, False),
    ],
)
def test_disclosure_rules(account, about, consideration, needed):
    assert la.needs_disclosure(account, about, consideration) is needed


def test_unknown_account_is_named():
    with pytest.raises(ValueError, match="influencer"):
        la.needs_disclosure("influencer", "other firm", True)


def test_generator_is_deterministic_and_matches_the_committed_table(tool):
    script = tool("make_synthetic_profile_audit")
    text = script.render_csv(script.build_rows())
    assert text == script.render_csv(script.build_rows())
    committed = (ROOT / "data" / "synthetic_profile_audit.csv").read_text(encoding="utf-8")
    assert text == committed, "run: python tools/make_synthetic_profile_audit.py"


def test_table_is_labelled_synthetic_and_has_the_figures_the_lesson_uses():
    assert data.resource("synthetic_profile_audit")["synthetic"] is True
    profiles = data.load("synthetic_profile_audit")
    assert len(profiles) == 40 and profiles["firm"].is_unique
    assert (profiles["sponsored_labelled"] <= profiles["sponsored_posts"]).all()
    assert profiles["clicks_to_impressum"].isna().eq(profiles["impressum_link"].eq("none")).all()
    audit = la.audit_profiles(profiles)
    # the lesson's quiz and the exercise set rely on these counts
    assert int(audit["impressum"].sum()) == 25
    assert int((audit["issues"] > 0).sum()) == 29
    failing = profiles.loc[audit["impressum"].to_numpy(), "impressum_link"]
    assert int(failing.isin(la.IMPRESSUM_LABELS_OK).sum()) == 5
    assert len(la.firms_to_fix(audit, min_issues=2)) == 19
