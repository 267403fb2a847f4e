"""The authoring guide's examples are valid, and it documents every lint rule.

A guide whose example item fails check-banks would teach the wrong thing, so its YAML item and its
datapackage entry are parsed here with the same models and parsers the course uses.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import yaml
from pydantic import TypeAdapter

from teachkit.lint import RULES
from teachkit.quiz.model import Item, Numeric, score_answer

ROOT = Path(__file__).resolve().parents[1]
GUIDE = (ROOT / "docs" / "authoring-guide.md").read_text(encoding="utf-8")


def fenced(language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", GUIDE, flags=re.DOTALL)


def test_the_guide_lists_every_lint_rule() -> None:
    missing = [rule for rule in RULES if f"| `{rule}` |" not in GUIDE]
    assert not missing, f"docs/authoring-guide.md section 12 lacks: {missing}"


def test_the_example_item_is_valid_and_its_traps_fire() -> None:
    [raw] = yaml.safe_load(next(block for block in fenced("yaml") if "- id:" in block))
    item = TypeAdapter(Item).validate_python(raw)
    assert isinstance(item, Numeric)
    assert score_answer(item, "5 %", "de").status == "correct"
    assert score_answer(item, "1").misconceptions == ("followers-as-reach",)
    assert score_answer(item, "2000").misconceptions == ("ratio-inverted",)
    assert score_answer(item, "0,05", "de").misconceptions == ("share-not-percent",)


def test_the_example_datapackage_entry_has_the_required_fields() -> None:
    entry = json.loads(next(block for block in fenced("json") if '"resources"' not in block))
    required = {
        "name",
        "path",
        "title",
        "description",
        "format",
        "mediatype",
        "encoding",
        "synthetic",
        "used_in",
        "schema",
        "sources",
        "licenses",
    }
    assert required <= set(entry)
    assert entry["schema"]["fields"][0]["name"] == "source_id"
    assert {s["id"] for s in entry["sources"]}


def test_contributing_points_to_the_guide() -> None:
    assert "(docs/authoring-guide.md)" in (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
