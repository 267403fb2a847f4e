"""Lesson 12: the review summaries, the fact/opinion marker rule and the synthetic review year."""

from __future__ import annotations

import math
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from course_tools import reviews
from teachkit import data

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _course_root(monkeypatch):
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(ROOT))


def test_rating_shares_lists_every_star_level_in_percent():
    shares = reviews.rating_shares(pd.Series([5, 5, 5, 1]))
    assert shares.index.tolist() == [1, 2, 3, 4, 5]
    assert shares.tolist() == [25.0, 0.0, 0.0, 0.0, 75.0]
    assert shares.index.name == "stars"


def test_low_star_share_counts_one_and_two_stars_only():
    assert reviews.low_star_share(pd.Series([1, 2, 3, 4, 5])) == pytest.approx(40.0)
    assert reviews.low_star_share(pd.Series([3, 3])) == 0.0


def test_reply_summary_takes_the_median_over_replied_reviews_only():
    table = pd.DataFrame({"replied": [True, True, False, False], "reply_hours": [2.0, 10.0, math.nan, math.nan]})
    summary = reviews.reply_summary(table)
    assert summary["reviews"] == 4
    assert summary["response_rate"] == pytest.approx(50.0)
    assert summary["median_reply_hours"] == pytest.approx(6.0)


def test_reply_summary_names_missing_columns():
    with pytest.raises(KeyError, match="reply_hours"):
        reviews.reply_summary(pd.DataFrame({"replied": [True]}))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("The staff were rude.", "opinion"),
        ("I think the rolls are too expensive.", "opinion"),
        ("I think they sold me mouldy bread.", "fact"),  # an opinion phrase does not hide a claim
        ("I waited 40 minutes for two rolls.", "fact"),
        ("The shop was closed on Saturday at 10.", "fact"),
        ("Lovely place, best pretzels in town!", "opinion"),
        ("Went there yesterday.", "unclear"),
    ],
)
def test_claim_type_lets_a_fact_marker_win(sentence, expected):
    assert reviews.claim_type(sentence) == expected


def test_claim_type_uses_the_markers_it_is_given():
    assert reviews.claim_type("Crumbly crust.", fact_markers=[], opinion_markers=["crumbly"]) == "opinion"
    assert reviews.claim_type("Crumbly crust.", fact_markers=["crust"], opinion_markers=["crumbly"]) == "fact"


def test_generator_is_deterministic_and_follows_its_story():
    first, second = reviews.bakery_reviews(), reviews.bakery_reviews()
    pd.testing.assert_frame_equal(first, second)
    story = reviews.BAKERY_REVIEWS
    assert len(first) == story.reviews and first["posted"].is_monotonic_increasing
    assert first["posted"].dt.year.eq(story.year).all()
    shares = reviews.rating_shares(first["stars"])
    assert shares[5] > 50 and shares[1] > shares[2] and shares[1] > shares[3]  # J-shaped
    assert first["reply_hours"].isna().eq(~first["replied"]).all()
    after = first["posted"] >= story.routine_start
    before_summary, after_summary = reviews.reply_summary(first[~after]), reviews.reply_summary(first[after])
    assert after_summary["response_rate"] > before_summary["response_rate"] + 30
    assert after_summary["median_reply_hours"] < before_summary["median_reply_hours"] / 2


def test_committed_csv_is_rebuilt_exactly_by_the_script():
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_synthetic_reviews.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
    )
    assert result.returncode == 0, result.stderr


def test_loaded_table_matches_the_generator_and_is_labelled_synthetic():
    table = data.load("synthetic_bakery_reviews")
    generated = reviews.bakery_reviews()
    assert table["stars"].tolist() == generated["stars"].tolist()
    assert table["replied"].tolist() == generated["replied"].tolist()
    entry = data.resource("synthetic_bakery_reviews")
    assert entry["synthetic"] is True and "SYNTHETIC" in entry["title"]
    assert data.source_line("synthetic_bakery_reviews").startswith("Synthetic data")


def test_resource_validates_against_its_schema():
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(ROOT / "data" / "datapackage.json"))
    report = frictionless.validate(package.get_resource("synthetic_bakery_reviews"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
