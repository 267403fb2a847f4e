"""Key terms of each lesson, English ↔ German, from data/glossary.csv (one place for both)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from IPython.display import Markdown

from .course import course_root, language

COLUMNS = ["term_en", "term_de", "definition_en", "definition_de", "lesson"]


def terms(lesson: str | None = None, root: Path | None = None) -> pd.DataFrame:
    """The glossary, or the rows of one lesson ('01-digital-natives' or just '01'); `root` for another course."""
    table = pd.read_csv((root or course_root()) / "data" / "glossary.csv", dtype="string", keep_default_na=False)
    if list(table.columns) != COLUMNS:
        raise ValueError(f"data/glossary.csv must have the columns {COLUMNS}, found {list(table.columns)}.")
    if lesson is None:
        return table
    prefix = str(lesson)[:2]
    return table[table["lesson"].str[:2] == prefix].reset_index(drop=True)


def key_terms(lesson: str) -> Markdown:
    """A Markdown table of a lesson's key terms, with definitions in the course language."""
    rows = terms(lesson)
    if rows.empty:
        raise KeyError(f"data/glossary.csv has no terms for lesson {lesson!r}; add rows with lesson={lesson!r}.")
    de = language() == "de"
    head = "| Deutsch | English | Bedeutung |" if de else "| English | Deutsch | Meaning |"
    lines = [head, "|---|---|---|"]
    for row in rows.itertuples():
        first, second = (row.term_de, row.term_en) if de else (row.term_en, row.term_de)
        meaning = row.definition_de if de else row.definition_en
        lines.append(f"| **{first}** | {second} | {meaning} |".replace("\n", " "))
    return Markdown("\n".join(lines))
