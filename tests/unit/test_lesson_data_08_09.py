"""Tables of lessons 08 and 09: key figures the lessons rely on; generators that rebuild them."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest

from course_tools.skills import AREAS, DIGCOMP_AREAS, OLD_WORLD_AREAS
from teachkit import data

ROOT = Path(__file__).resolve().parents[2]
REAL_TABLES = ["nyc_tlc_trips_per_day", "itu_germany_diffusion", "enterprises_social_media_eu_de"]


@pytest.fixture(autouse=True)
def _course_root(monkeypatch):
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(ROOT))


@pytest.mark.parametrize("name", REAL_TABLES)
def test_every_row_names_a_listed_source(name):
    listed = {source["id"] for source in data.resource(name)["sources"]}
    used = set(data.load(name)["source_id"])
    assert used <= listed, f"{name}: source ids {used - listed} are not in its 'sources'"


def test_app_based_rides_overtook_yellow_cabs_in_december_2016():
    trips = data.load("nyc_tlc_trips_per_day")
    wide = trips.pivot(index="month", columns="licence_class", values="trips_per_day")
    ahead = wide[wide["app-based (high-volume for-hire)"] > wide["yellow taxi"]]
    assert ahead.index[0] == pd.Timestamp("2016-12-01")
    assert wide.loc["2016-12-01", "app-based (high-volume for-hire)"] == 347_858
    assert wide.loc["2016-12-01", "yellow taxi"] == 337_071


def test_counting_green_cabs_too_moves_the_crossover_to_february_2017():
    wide = data.load("nyc_tlc_trips_per_day").pivot(index="month", columns="licence_class", values="trips_per_day")
    cabs = wide["yellow taxi"] + wide["green taxi"].fillna(0)
    first = wide[wide["app-based (high-volume for-hire)"] > cabs].index[0]
    assert first == pd.Timestamp("2017-02-01")


def test_nyc_table_covers_2010_to_2020_and_starts_each_series_where_tlc_does():
    trips = data.load("nyc_tlc_trips_per_day")
    first = trips.groupby("licence_class")["month"].min()
    assert first["yellow taxi"] == pd.Timestamp("2010-01-01")
    assert first["green taxi"] == pd.Timestamp("2013-08-01")
    assert first["app-based (high-volume for-hire)"] == pd.Timestamp("2015-01-01")
    assert trips["month"].max() == pd.Timestamp("2020-12-01")
    assert len(trips) == 132 + 89 + 72


def test_itu_germany_key_figures():
    itu = data.load("itu_germany_diffusion")
    internet = itu[itu["indicator"] == "internet users"].set_index("year")["value"]
    mobile = itu[itu["indicator"] == "mobile subscriptions"].set_index("year")["value"]
    assert internet[2023] == pytest.approx(92.4764)
    assert internet[internet >= 10].index.min() == 1999
    assert internet[internet >= 90].index.min() == 2021
    assert mobile.max() == pytest.approx(132.715)
    assert mobile[mobile >= 10].index.min() == 1997
    assert (itu.loc[itu["indicator"] == "internet users", "unit"] == "% of population").all()


def test_enterprise_figures_and_their_scope():
    firms = data.load("enterprises_social_media_eu_de").set_index(["geo", "year", "size_class"])
    assert firms.loc[("EU28", 2013, "10+"), "percent"] == 30
    assert firms.loc[("EU27_2020", 2019, "10+"), "percent"] == 50
    de_2019 = firms.xs(("DE", 2019), level=["geo", "year"])["percent"]
    assert de_2019.to_dict() == {"10+": 48, "10-49": 44, "50-249": 61, "250+": 79}
    description = data.resource("enterprises_social_media_eu_de")["description"]
    assert "10 or more persons employed" in description and "EU28" in description


def test_synthetic_skills_shape_and_labels():
    skills = data.load("synthetic_team_skills")
    assert skills["person"].nunique() == 40
    assert skills.groupby("person").size().eq(len(AREAS)).all()
    assert set(skills["area"]) == set(AREAS)
    assert skills["self_rating"].between(1, 5).all()
    assert set(skills.loc[skills["area_group"] == "old world", "area"]) == set(OLD_WORLD_AREAS)
    entry = data.resource("synthetic_team_skills")
    assert entry["synthetic"] is True and entry["title"].startswith("SYNTHETIC")


def test_synthetic_skills_key_figures_used_in_lesson_09():
    skills = data.load("synthetic_team_skills")
    matrix = skills.pivot(index="person", columns="area", values="self_rating")
    scores = pd.DataFrame(
        {"digital": matrix[list(DIGCOMP_AREAS)].mean(axis=1), "old_world": matrix[list(OLD_WORLD_AREAS)].mean(axis=1)}
    )
    translator = scores.min(axis=1).sort_values(ascending=False, kind="stable")
    assert translator.index[0] == "P36"
    assert matrix.mean().idxmin() == "safety"


def test_skills_generator_reproduces_the_committed_csv(tool):
    script = tool("make_synthetic_skills")
    committed = (ROOT / "data" / "synthetic_team_skills.csv").read_text(encoding="utf-8")
    assert script.render_csv(script.build_rows()) == committed


def test_skills_generator_depends_on_its_seed(tool):
    script = tool("make_synthetic_skills")
    assert script.render_csv(script.build_rows(seed=1)) != script.render_csv(script.build_rows())


@pytest.mark.skipif(
    not os.environ.get("COURSE_REFERENCE_DATA"),
    reason="needs the research team's reference files: set COURSE_REFERENCE_DATA",
)
def test_diffusion_tables_are_reproduced_from_the_reference_files(tool):
    script = tool("make_diffusion_tables")
    for name, text in script.tables(Path(os.environ["COURSE_REFERENCE_DATA"])).items():
        assert text == (ROOT / "data" / name).read_text(encoding="utf-8"), name
