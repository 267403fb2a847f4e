"""The tables behind lessons 02 and 03 hold the figures the lessons and their quizzes rely on.

A wrong transcription (say 68 instead of 78) or a quiz answer that drifts away from the data
fails here, with the figure named, instead of slipping silently into a lesson.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from teachkit import data
from teachkit.quiz.bank import read_bank

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ("02-internal-communication", "03-recruiting-and-the-skills-shortage")
RESOURCES = (
    "enterprise_social_media_eu_2019",
    "company_social_media_surveys_germany",
    "recruiting_channels_germany",
    "vacancy_duration_germany",
    "internal_channel_profiles",
)


def figure(frame: pd.DataFrame, value_column: str = "percent", **where: object) -> float:
    """The one value in `frame` whose columns match `where`; fails unless exactly one row does."""
    rows = frame
    for column, wanted in where.items():
        rows = rows[rows[column] == wanted]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return float(rows[value_column].iloc[0])


def item(lesson: str, item_id: str):
    bank = read_bank(ROOT / "quizzes" / f"{lesson}.yaml")
    return next(i for i in bank.items if i.id == item_id)


@pytest.fixture(scope="module")
def eu() -> pd.DataFrame:
    return data.load("enterprise_social_media_eu_2019")


@pytest.fixture(scope="module")
def channels() -> pd.DataFrame:
    return data.load("recruiting_channels_germany")


@pytest.mark.parametrize(
    ("indicator", "expected"),
    [
        ("recruit employees", {"10-49 (small)": 50, "50-249 (medium)": 66, "250+ (large)": 78}),
        (
            "exchange views, opinions or knowledge within the enterprise",
            {"10-49 (small)": 25, "50-249 (medium)": 32, "250+ (large)": 43},
        ),
        ("use social networks", {"10-49 (small)": 48, "50-249 (medium)": 61, "250+ (large)": 75}),
    ],
)
def test_eu_2019_figures_by_size(eu: pd.DataFrame, indicator: str, expected: dict[str, int]) -> None:
    for size, value in expected.items():
        assert figure(eu, indicator=indicator, size_class=size) == value, (indicator, size)


def test_eu_purposes_are_shares_of_users_and_networks_of_all(eu: pd.DataFrame) -> None:
    bases = eu.groupby("indicator")["population_base"].unique()
    assert list(bases["use social networks"]) == ["all enterprises"]
    purposes = bases.drop("use social networks")
    assert all(list(b) == ["enterprises using social media"] for b in purposes)
    assert set(eu["geo"]) == {"EU28"} and set(eu["year"]) == {2019}


def test_iab_2016_hires_by_channel(channels: pd.DataFrame) -> None:
    iab = channels[channels["source_id"] == "S31"]
    everyone = iab[iab["breakdown"] == "all establishments"]
    assert figure(everyone, channel="personal contacts or own employees") == 32
    assert figure(everyone, channel="social media") == 1
    job_boards = "internet job boards (incl. the Federal Employment Agency's)"
    assert figure(everyone, channel=job_boards) == 21
    assert figure(everyone, channel="own company website") == 11
    assert (
        figure(
            iab,
            channel="personal contacts or own employees",
            breakdown="small establishments (fewer than 50 employees)",
        )
        == 47
    )
    assert everyone["percent"].sum() <= 100  # minor channels are left out, never double-counted


def test_large_firm_and_applicant_studies(channels: pd.DataFrame) -> None:
    trends = channels[channels["source_id"] == "S32"]
    assert set(trends["population"]) == {"the 1,000 largest companies in Germany"}
    assert figure(trends, measure="share of hires made through the channel") == 5.1
    assert figure(trends, measure="share of vacancies also published on social media") == 28
    assert figure(channels, source_id="S35") == 76


def test_bitkom_figures() -> None:
    bitkom = data.load("company_social_media_surveys_germany")
    assert figure(bitkom, year=2024, measure="goal: internal communication") == 34
    assert figure(bitkom, year=2024, measure="goal: recruit new employees") == 62
    assert figure(bitkom, year=2024, measure="have their own social-media profile") == 80
    assert figure(bitkom, year=2013, measure="use social-media tools to communicate with employees") == 37
    assert (
        figure(
            bitkom,
            year=2013,
            measure="use external social networks (e.g. Facebook or XING) to communicate with employees",
        )
        == 21
    )
    assert figure(bitkom, year=2012, measure="goal: recruit new employees") == 23
    assert figure(bitkom, year=2017, measure="goal: win new employees") == 47


def test_vacancy_durations() -> None:
    vacancies = data.load("vacancy_duration_germany")
    assert figure(vacancies, "days", qualification="all vacancies") == 85
    assert figure(vacancies, "days", qualification="unskilled positions") == 53
    assert figure(vacancies, "days", qualification="positions requiring a university degree") == 107


def test_quiz_answers_follow_from_the_data(eu: pd.DataFrame, channels: pd.DataFrame) -> None:
    vacancies = data.load("vacancy_duration_germany").set_index("qualification")["days"]
    degree = vacancies["positions requiring a university degree"]
    unskilled = vacancies["unskilled positions"]
    gap = item(LESSONS[1], "vacancy-days-gap")
    assert gap.value == degree - unskilled
    assert {t.value for t in gap.traps} >= {degree + unskilled}
    assert any(abs(t.value - degree / unskilled) <= t.tolerance for t in gap.traps)

    small = figure(
        channels,
        channel="personal contacts or own employees",
        breakdown="small establishments (fewer than 50 employees)",
    )
    assert item(LESSONS[1], "small-firm-personal-contacts").value == small

    users = figure(
        eu, indicator="exchange views, opinions or knowledge within the enterprise", size_class="10-49 (small)"
    )
    networks = figure(eu, indicator="use social networks", size_class="10-49 (small)")
    bound = item(LESSONS[0], "internal-exchange-lower-bound")
    assert bound.accepts(users * networks / 100)
    assert any(abs(t.value - users / networks * 100) <= t.tolerance for t in bound.traps)

    profiles = data.load("internal_channel_profiles")
    both = profiles["reaches_staff_without_company_email"] & profiles["two_way"]
    either = profiles["reaches_staff_without_company_email"] | profiles["two_way"]
    count = item(LESSONS[0], "channels-reach-and-reply")
    assert count.value == both.sum()
    assert {t.value for t in count.traps} == {either.sum(), profiles["reaches_staff_without_company_email"].sum()}


@pytest.mark.parametrize("name", RESOURCES)
def test_every_source_id_is_described(name: str) -> None:
    frame = data.load(name)
    described = {s.get("id") for s in data.resource(name)["sources"]}
    if "source_id" in frame.columns:
        assert set(frame["source_id"]) <= described, name
    assert data.resource(name)["synthetic"] is False


@pytest.mark.parametrize("lesson", LESSONS)
def test_notebook_shows_every_item_and_links_to_real_headings(lesson: str) -> None:
    notebook = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    code = "\n".join("".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code")
    calls = "\n".join(re.findall(r"quiz\.show\(([^)]*)\)", code))
    shown = set(re.findall(r'"([a-z0-9-]+)"', calls))
    headings = {
        line.lstrip("#").strip().replace(" ", "-")
        for c in notebook["cells"]
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("#")
    }
    bank = read_bank(ROOT / "quizzes" / f"{lesson}.yaml")
    assert shown == {i.id for i in bank.items}
    for entry in bank.items:
        stem, anchor = entry.see.split("#")
        assert stem == lesson and anchor in headings, (entry.id, entry.see)
