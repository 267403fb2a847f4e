"""Make data/synthetic_bakery_reviews.csv: one fictional year of reviews of a fictional bakery.

SYNTHETIC DATA. Nothing here was observed. The story was chosen for lesson 12; its shape follows
published research, its numbers are ours (all in `course_tools.reviews.BAKERY_REVIEWS`):

* 240 reviews of Bäckerei Musterkorn (fictional) in 2025, at random times of the year.
* Stars are J-shaped: 60 % five stars, 15 % four, 6 % three, 5 % two, 14 % one. Hu, Zhang and
  Pavlou (2009) describe this shape for Amazon products (mostly 5 stars, some 1 star, hardly any
  in between); the exact shares are our assumption, not theirs.
* The owner replies to good and bad reviews at the same rate, as hotels did in Proserpio and
  Zervas (2017). Until 30 June 2025 she answers 30 % of reviews after a median of 60 hours; from
  1 July 2025 a reply routine raises this to 85 % after a median of 14 hours (log-normal times).

Everything is drawn from Python's `random.Random(2018)`, so the file is rebuilt byte for byte.

Usage (from the course folder):  python tools/make_synthetic_reviews.py [--check]
"""

from __future__ import annotations

import math
from pathlib import Path

from synthetic_table import write_or_check

from course_tools.reviews import bakery_reviews

OUT = Path(__file__).resolve().parents[1] / "data" / "synthetic_bakery_reviews.csv"


def csv_text() -> str:
    """The CSV exactly as it should be committed: ISO times to the second, empty reply time if none."""
    frame = bakery_reviews()
    lines = ["review_id,posted,stars,replied,reply_hours"]
    for row in frame.itertuples(index=False):
        hours = "" if math.isnan(row.reply_hours) else f"{row.reply_hours:.1f}"
        replied = "true" if row.replied else "false"
        lines.append(f"{row.review_id},{row.posted:%Y-%m-%dT%H:%M:%S},{row.stars},{replied},{hours}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return write_or_check(OUT, csv_text(), "tools/make_synthetic_reviews.py", "reviews", argv)


if __name__ == "__main__":
    raise SystemExit(main())
