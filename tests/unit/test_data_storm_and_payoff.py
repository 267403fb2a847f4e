"""Data of lessons 06 and 07: key transcribed figures, sources, and the synthetic storm's recipe."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachkit import data

ROOT = Path(__file__).resolve().parents[2]
RESOURCES = ["fake_news_eurobarometer_2018", "company_social_media_goals_and_controlling", "synthetic_storm_mentions"]


@pytest.fixture(autouse=True)
def _course_root(monkeypatch):
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(ROOT))


def figure(frame, **where) -> float:
    rows = frame
    for column, value in where.items():
        rows = rows[rows[column] == value]
    assert len(rows) == 1, f"expected one row for {where}, found {len(rows)}"
    return float(rows["percent"].iloc[0])


def test_eurobarometer_headline_figures_as_published():
    table = data.load("fake_news_eurobarometer_2018")
    assert figure(table, measure="come across fake news every day or almost every day") == 37
    assert figure(table, measure="seldom or never come across fake news") == 17
    assert figure(table, measure="fake news is a problem in own country") == 85
    assert figure(table, measure="fake news is a problem for democracy in general") == 83
    assert figure(table, measure="feel confident to identify fake news") == 71
    assert figure(table, measure="trust radio as a news source") == 70
    assert set(table["geo"]) == {"EU28"} and set(table["year"]) == {2018}


def test_bitkom_2017_goal_attainment_success_measurement_and_budgets():
    table = data.load("company_social_media_goals_and_controlling")
    y2017 = table[table["year"] == 2017]
    attainment = y2017[y2017["topic"] == "goal attainment (own assessment)"]
    assert attainment["percent"].tolist() == [29, 47, 22]
    assert set(attainment["base"]) == {"companies using social media"}
    assert figure(y2017, topic="success measurement") == 63
    budget = y2017[(y2017["topic"] == "budget for the next five years") & (y2017["breakdown"] == "all")]
    assert dict(zip(budget["item"], budget["percent"], strict=True)) == {
        "increase": 38,
        "stay the same": 39,
        "decrease": 21,
    }
    assert figure(y2017, item="the boss personally", breakdown="under 100 employees") == 49
    assert figure(table, year=2012, topic="reason for not using") == 62


@pytest.mark.parametrize("name", RESOURCES[:2])
def test_every_row_names_a_source_of_its_resource(name):
    table = data.load(name)
    ids = {s["id"] for s in data.resource(name)["sources"]}
    assert set(table["source_id"]) <= ids
    for source in data.resource(name)["sources"]:
        assert source["path"].startswith("http") and source.get("license")
        assert any(char.isdigit() for char in source["title"]), "a source title carries its date"


def test_resources_validate_against_their_schemas():
    frictionless = pytest.importorskip("frictionless")
    package = frictionless.Package(str(ROOT / "data" / "datapackage.json"))
    for name in RESOURCES:
        report = frictionless.validate(package.get_resource(name))
        assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_synthetic_storm_is_labelled_as_synthetic():
    entry = data.resource("synthetic_storm_mentions")
    assert entry["synthetic"] is True
    assert "SYNTHETIC" in entry["title"] and "built in" in entry["description"]
    assert data.source_line("synthetic_storm_mentions").startswith("Synthetic data")


def test_generator_reproduces_the_committed_csv_exactly(tool):
    module = tool("make_synthetic_storm")
    committed = (ROOT / "data" / "synthetic_storm_mentions.csv").read_text(encoding="utf-8")
    assert module.csv_text() == committed
    assert module.main(["--check"]) == 0


def test_synthetic_storm_has_its_built_in_shape():
    from course_tools import storm

    mentions = data.load("synthetic_storm_mentions")
    counts = storm.hourly_counts(mentions["time"])
    start = storm.bakery_storm_start()
    assert counts.idxmax() > start
    assert counts[:start].iloc[:-1].max() < counts[start:].max() / 3
