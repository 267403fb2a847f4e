"""Lessons 08 and 09 follow the lesson template and use their banks fully (no kernel needed)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from teachkit.quiz import read_bank

ROOT = Path(__file__).resolve().parents[2]
LESSONS = ["08-disruption-and-diffusion", "09-skills-and-the-tipping-point"]
SECTIONS = ["Learning objectives", "Key terms", "Your turn", "Reflection", "Exercises", "Key points", "Sources"]


def _notebook(stem: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb", as_version=4)


def _markdown(stem: str) -> str:
    return "\n".join(c.source for c in _notebook(stem).cells if c.cell_type == "markdown")


def _headings(stem: str) -> list[str]:
    return re.findall(r"^#{1,3} (.+)$", _markdown(stem), flags=re.M)


def _bullets_after(stem: str, heading: str) -> list[str]:
    text = _markdown(stem).split(f"## {heading}", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- ", text, flags=re.M)


@pytest.mark.parametrize("stem", LESSONS)
def test_title_question_and_time_come_first(stem):
    first = _notebook(stem).cells[0].source
    assert first.startswith(f"# {stem[:2]} · ")
    assert "**The business question:**" in first
    minutes = int(re.search(r"\*\*Time:\*\* about (\d+) minutes\.", first).group(1))
    assert minutes <= 60


@pytest.mark.parametrize("stem", LESSONS)
def test_template_sections_are_present_and_objectives_match_key_points(stem):
    headings = _headings(stem)
    for section in SECTIONS:
        assert section in headings, f"{stem}: missing section {section!r}"
    objectives = _bullets_after(stem, "Learning objectives")
    assert 3 <= len(objectives) <= 5
    assert len(_bullets_after(stem, "Key points")) == len(objectives)
    assert "Beuster, M. (2018, March)" in _markdown(stem)


@pytest.mark.parametrize("stem", LESSONS)
def test_every_bank_item_is_shown_and_every_shown_item_is_in_the_bank(stem):
    bank = read_bank(ROOT / "quizzes" / f"{stem}.yaml")
    shown = []
    for cell in _notebook(stem).cells:
        if cell.cell_type == "code":
            for call in re.findall(r"quiz\.show\(([^)]*)\)", cell.source):
                shown += re.findall(r'"([a-z0-9-]+)"', call)
    assert sorted(shown) == sorted(item.id for item in bank.items)


@pytest.mark.parametrize("stem", LESSONS)
def test_bank_has_six_items_of_three_types_and_see_points_to_real_headings(stem):
    bank = read_bank(ROOT / "quizzes" / f"{stem}.yaml")
    assert len(bank.items) >= 6
    assert len({item.type for item in bank.items}) >= 3
    anchors = {heading.replace(" ", "-") for heading in _headings(stem)}
    for item in bank.items:
        lesson, _, anchor = item.see.partition("#")
        assert lesson == stem, item.id
        assert anchor in anchors, f"{item.id}: no heading for anchor {anchor!r}"


@pytest.mark.parametrize("stem", LESSONS)
def test_code_cells_stay_short(stem):
    cells = [c for c in _notebook(stem).cells if c.cell_type == "code"]
    too_long = [c.source.splitlines()[0] for c in cells[1:] if len(c.source.splitlines()) > 5]
    assert too_long == [], f"{stem}: code cells over 5 lines: {too_long}"
