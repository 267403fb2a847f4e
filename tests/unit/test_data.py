"""The data package: every table valid against its schema, every figure tied to a source."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from teachkit import data, glossary

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
RESOURCES = PACKAGE["resources"]


def test_package_validates_with_frictionless():
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(ROOT / "data" / "datapackage.json"))
    problems = [f"{task.name}: {error.message}" for task in report.tasks for error in task.errors]
    assert report.valid, "\n".join(problems[:20] + [e.message for e in report.errors])


def test_every_csv_in_data_is_described():
    described = {r["path"] for r in RESOURCES}
    on_disk = {p.name for p in (ROOT / "data").glob("*.csv")}
    assert on_disk == described, f"undescribed: {on_disk - described}, missing: {described - on_disk}"


@pytest.mark.parametrize("resource", RESOURCES, ids=[r["name"] for r in RESOURCES])
def test_resource_metadata_is_complete(resource):
    for key in ("title", "description", "sources", "licenses", "schema"):
        assert resource.get(key), f"{resource['name']}: '{key}' is missing"
    assert isinstance(resource.get("synthetic"), bool), f"{resource['name']}: say synthetic true/false"
    assert all(f.get("type") for f in resource["schema"]["fields"])
    if resource["synthetic"]:
        assert resource["name"].startswith("synthetic_"), "synthetic tables are named synthetic_*"
        assert "synthetic" in (resource["title"] + resource["description"]).lower()
    else:
        assert not resource["name"].startswith("synthetic_")


@pytest.mark.parametrize(
    "resource",
    [r for r in RESOURCES if not r["synthetic"] and any(f["name"] == "source_id" for f in r["schema"]["fields"])],
    ids=lambda r: r["name"],
)
def test_every_row_names_a_listed_source(resource):
    listed = {s["id"] for s in resource["sources"]}
    with open(ROOT / "data" / resource["path"], encoding="utf-8", newline="") as handle:
        used = {row["source_id"] for row in csv.DictReader(handle)}
    assert used <= listed, f"source ids {used - listed} are not in the resource's sources"
    assert listed <= used, f"sources {listed - used} are listed but no row uses them"
    for source in resource["sources"]:
        assert source.get("title") and source.get("path"), f"source {source['id']} needs title and path"


def test_real_tables_carry_a_source_id_column():
    for resource in RESOURCES:
        if resource["synthetic"] or resource["name"] == "glossary":
            continue
        names = [f["name"] for f in resource["schema"]["fields"]]
        assert "source_id" in names, f"{resource['name']}: every real figure needs its source id"


def test_load_returns_typed_frame_with_source_line():
    frame = data.load("social_networks_by_age")
    assert str(frame["year"].dtype) == "Int64" and str(frame["percent"].dtype) == "float64"
    assert frame.attrs["source"].startswith("Source: Eurostat")
    assert frame.attrs["synthetic"] is False
    eu_2019 = frame[(frame["year"] == 2019) & (frame["publisher"] == "Eurostat")]
    assert dict(zip(eu_2019["age_group"], eu_2019["percent"], strict=True)) == {"16-24": 86.0, "65-74": 18.0}


def test_source_line_can_name_only_some_sources():
    line = data.source_line("social_networks_by_age", ["S10"])
    assert "EDN-20200630-2" in line and "Bitkom" not in line and line.endswith("Licence: CC-BY-4.0.")
    with pytest.raises(KeyError, match="no source ids"):
        data.source_line("social_networks_by_age", ["S99"])


def test_unknown_dataset_names_the_known_ones():
    with pytest.raises(KeyError, match="Known datasets: .*social_networks_by_age"):
        data.load("social_network_by_age")


def test_glossary_rows_point_to_existing_lessons_and_render():
    terms = glossary.terms()
    lessons = {p.stem for p in (ROOT / "notebooks").glob("*.ipynb")}
    assert set(terms["lesson"]) <= lessons, set(terms["lesson"]) - lessons
    assert not terms.duplicated(["term_en"]).any(), "a term is defined twice"
    table = glossary.key_terms("01-digital-natives").data
    assert table.splitlines()[0] == "| English | Deutsch | Meaning |"
    assert "| **digital native** | Digital Native |" in table
    assert isinstance(terms, pd.DataFrame)


def test_data_readme_is_current():
    current = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert current == data.readme_text(), "data/README.md is stale: run `python -m teachkit data-readme`"
