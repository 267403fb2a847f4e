"""Tables of lessons 04 and 05: their key figures as published.

The expected numbers below were read off the cited sources a second time, so a slip in the CSV
(or an edit that loses a figure the lesson's text relies on) fails here.
"""

from __future__ import annotations

import pytest

from teachkit import data

NAMES = ["southern_rail_claims", "platform_use_germany", "company_platform_presence", "professional_networks_dach"]


@pytest.mark.parametrize("name", NAMES)
def test_table_is_real_and_tied_to_its_lesson(name):
    # Schema validity and source ids of every table are checked in test_data.py.
    descriptor = data.resource(name)
    assert descriptor["synthetic"] is False
    assert set(descriptor["used_in"]) <= {"04-case-southern-rail", "05-platform-choice"}
    assert not data.load(name).empty


def test_claims_table_holds_the_corrections_the_lesson_teaches():
    claims = data.load("southern_rail_claims").set_index("aspect")
    assert claims.loc["platform", "interview_version"] == "Facebook"
    assert claims.loc["platform", "verified_version"].startswith("Twitter")
    assert claims.loc["platform", "verdict"] == "wrong"
    assert claims.loc["new followers", "verdict"] == "unsupported"
    assert "162 000" in claims.loc["followers before", "verified_version"]
    assert "11 July 2017" in claims.loc["start", "verified_version"]
    assert "15" in claims.loc["person", "verified_version"]
    assert claims["verdict"].value_counts().to_dict() == {
        "not mentioned": 7,
        "confirmed": 4,
        "wrong": 1,
        "unsupported": 1,
    }


def test_platform_use_figures_as_published():
    use = data.load("platform_use_germany")

    def pick(publisher, year, platform, age):
        rows = use[
            (use["publisher"] == publisher)
            & (use["year"] == year)
            & (use["platform"] == platform)
            & (use["age_group"] == age)
        ]
        assert len(rows) == 1, (publisher, year, platform, age)
        return rows["percent"].iloc[0]

    assert pick("Bitkom", 2018, "Facebook", "14+") == 66  # heise, 27 Feb 2018
    assert pick("Bitkom", 2018, "Instagram", "14+") == 28
    assert pick("Bitkom", 2018, "Instagram", "14-29") == 63
    assert pick("Bitkom", 2023, "LinkedIn", "16+") == 25  # tn-deutschland, 8 Feb 2023
    assert pick("Bitkom", 2023, "XING", "16+") == 24
    assert pick("ARD/ZDF", 2021, "Instagram", "14-29") == 55  # ARD/ZDF-Onlinestudie 2021
    assert pick("ARD/ZDF", 2021, "Instagram", "70+") == 0
    # One survey, one question and one base: the lesson relies on this to keep series apart.
    per_survey = use.groupby(["publisher", "year"])[["question", "population_base"]].nunique()
    assert (per_survey == 1).all().all()


def test_company_presence_figures_as_published():
    firms = data.load("company_platform_presence").set_index("platform")["percent"]
    assert firms["any platform"] == 77  # Bitkom Research, 22 Dec 2023
    assert firms["XING"] == firms["Facebook"] == 48
    assert firms["LinkedIn"] == 39
    assert firms["Twitter/X"] == 32


def test_business_network_counts_as_published():
    nets = data.load("professional_networks_dach")

    def value(network, month, measure, region="DACH"):
        rows = nets[
            (nets["network"] == network)
            & (nets["month"] == month)
            & (nets["measure"] == measure)
            & (nets["region"] == region)
        ]
        assert len(rows) == 1, (network, month, measure, region)
        return rows["millions"].iloc[0]

    assert value("XING", "2016-12", "platform members") == 11.42  # annual report 2017
    assert value("XING", "2019-06", "platform members") == 16.3  # interim report Q2 2019
    assert value("XING", "2017-12", "users incl. acquired platforms") == 14.3
    assert value("LinkedIn", "2016-10", "members") == 9.0  # WirtschaftsWoche, Oct 2016
    wiwo_xing = value("XING", "2016-10", "members", "Germany") + value(
        "XING", "2016-10", "members", "Austria and Switzerland"
    )
    assert wiwo_xing == pytest.approx(10.4)
    assert value("XING", "2023-10", "members") == 22  # SRF, Oct 2023
    assert value("LinkedIn", "2023-11", "monthly users (as labelled)") == 22
    # Each company series only grows in these years; a drop would point to a typing slip.
    for (_, _, _), series in nets.sort_values("month").groupby(["network", "region", "measure"]):
        assert series["millions"].is_monotonic_increasing
