"""Write data/synthetic_team_skills.csv: SYNTHETIC self-ratings of a fictional 40-person firm.

Nothing here was observed. The table exists so that lesson 09 can practise a skills-matrix
analysis without exposing real staff. What was built in, and is therefore no finding:
- every person has a "digital" level drawn at random, independent of department and years at the
  firm; the five DigComp areas scatter around it (safety and content creation a little lower,
  communication a little higher, as self-ratings of private users often are);
- the two "old world" areas (customer and product knowledge, classic business communication) rise
  with years at the firm, and more so in sales, office and management;
- ratings are whole numbers from 1 (beginner) to 5 (could teach it).
Age is deliberately not part of the model (see lesson 01 on birth-year thinking).

Usage: python tools/make_synthetic_skills.py [--out data/synthetic_team_skills.csv]
The same seed always gives the same file; tests/unit/test_lesson_data_08_09.py checks that.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np

from course_tools.skills import DIGCOMP_AREAS, OLD_WORLD_AREAS

SEED = 2018
DEPARTMENTS = (("production", 14), ("logistics", 6), ("sales", 8), ("office", 8), ("management", 4))
DIGITAL_SHIFT = {
    "information and data literacy": 0.0,
    "communication and collaboration": 0.4,
    "digital content creation": -0.3,
    "safety": -0.5,
    "problem solving": -0.2,
}
OLD_WORLD_BONUS = {  # extra level by department: (customer and product, classic communication)
    "production": (0.3, -0.2),
    "logistics": (0.0, 0.0),
    "sales": (0.9, 0.8),
    "office": (0.2, 0.8),
    "management": (0.8, 0.9),
}
COLUMNS = ["person", "department", "years_at_firm", "area_group", "area", "self_rating"]


def _rating(value: float) -> int:
    return int(np.clip(np.rint(value), 1, 5))


def build_rows(seed: int = SEED) -> list[dict[str, object]]:
    """All rows of the table, one per person and competence area."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    number = 0
    for department, size in DEPARTMENTS:
        for _ in range(size):
            number += 1
            person = f"P{number:02d}"
            years = int(rng.integers(1, 31))
            digital_level = rng.normal(2.7, 0.8)
            for area in DIGCOMP_AREAS:
                value = digital_level + DIGITAL_SHIFT[area] + rng.normal(0, 0.5)
                rows.append(
                    {
                        "person": person,
                        "department": department,
                        "years_at_firm": years,
                        "area_group": "digital (DigComp)",
                        "area": area,
                        "self_rating": _rating(value),
                    }
                )
            customer_bonus, classic_bonus = OLD_WORLD_BONUS[department]
            old_world = {
                OLD_WORLD_AREAS[0]: 1.5 + 0.09 * years + customer_bonus + rng.normal(0, 0.5),
                OLD_WORLD_AREAS[1]: 1.6 + 0.06 * years + classic_bonus + rng.normal(0, 0.5),
            }
            for area, value in old_world.items():
                rows.append(
                    {
                        "person": person,
                        "department": department,
                        "years_at_firm": years,
                        "area_group": "old world",
                        "area": area,
                        "self_rating": _rating(value),
                    }
                )
    return rows


def render_csv(rows: list[dict[str, object]]) -> str:
    """The CSV text exactly as committed (LF line endings, UTF-8)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "data" / "synthetic_team_skills.csv"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    args.out.write_text(render_csv(build_rows()), encoding="utf-8")
    print(f"wrote {args.out.name}: {len(build_rows())} rows")


if __name__ == "__main__":
    main()
