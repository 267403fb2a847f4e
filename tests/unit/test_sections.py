"""A quiz's "Read again" pointer leads to a real section in every edition of its lesson."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from teachkit.course import course_root
from teachkit.quiz import catalogue
from teachkit.sections import _headings, localized_see, notebook_anchor


def _notebook(path: Path, cells: list[tuple[str, str]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    body = [{"cell_type": "markdown", "id": i, "metadata": {}, "source": s} for i, s in cells]
    path.write_text(json.dumps({"cells": body, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}), encoding="utf-8")


def test_the_same_cell_and_place_gives_the_german_section(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "quizzes").mkdir()
    (tmp_path / "data").mkdir()
    _notebook(tmp_path / "notebooks" / "07-x.ipynb", [("a", "# Title"), ("b", "## Why it pays\ntext\n### The rate")])
    _notebook(
        tmp_path / "notebooks" / "de" / "07-x.ipynb",
        [("a", "# Titel"), ("b", "## Warum es sich lohnt\nText\n### Die Quote")],
    )
    monkeypatch.setenv("TEACHKIT_COURSE_ROOT", str(tmp_path))
    assert localized_see("07-x#Why-it-pays", "de") == "07-x#Warum-es-sich-lohnt"
    assert localized_see("07-x#The-rate", "de") == "07-x#Die-Quote"
    assert localized_see("07-x#The-rate", "en") == "07-x#The-rate"
    assert localized_see("07-x#Unknown", "de") == "07-x#Unknown"  # never invents a target
    assert localized_see("08-missing#A", "de") == "08-missing#A"  # no German edition: unchanged


def test_every_read_again_pointer_of_the_course_exists_in_both_editions() -> None:
    root = course_root()
    missing = []
    for item_id, found in catalogue().items():
        lesson, _, anchor = found.item.see.partition("#")
        if not anchor:
            continue
        for lang, folder in (("en", root / "notebooks"), ("de", root / "notebooks" / "de")):
            local = localized_see(found.item.see, lang).partition("#")[2]
            headings = {notebook_anchor(h) for hs in _headings(folder / f"{lesson}.ipynb").values() for h in hs}
            if local not in headings:
                missing.append(f"{item_id} ({lang}): {lesson}#{local}")
    assert missing == []
