"""Make data/synthetic_storm_mentions.csv: one fictional week of mentions of a fictional bakery.

SYNTHETIC DATA. Nothing here was observed. The story and its shape were chosen for lesson 06:

* Bäckerei Musterkorn (fictional) is mentioned online a few times an hour while it is open and
  hardly at night (a hand-set daily rhythm, `course_tools.storm.BAKERY_DAY_PROFILE`).
* On Thursday 6 March 2025 at 16:00 a false rumour about the bakery starts a storm of mostly
  negative mentions. It grows by about 60 % an hour until it levels off near 40 mentions an hour.
* The owner sees it the next morning and replies at 6:00, 14 hours after it began; from then on
  the storm's mentions halve every 3 hours.

That the storm stops growing when the bakery replies is an assumption of the model
(`course_tools.storm.StormModel`), built in on purpose; the data cannot "show" it.
Counts per hour are Poisson draws around the model; times within the hour and sentiments are
drawn at random, all from Python's `random.Random(2018)`, so the file is rebuilt byte for byte.

Usage (from the course folder):  python tools/make_synthetic_storm.py [--check]
"""

from __future__ import annotations

from pathlib import Path

from synthetic_table import write_or_check

from course_tools.storm import bakery_mentions

OUT = Path(__file__).resolve().parents[1] / "data" / "synthetic_storm_mentions.csv"


def csv_text() -> str:
    """The CSV exactly as it should be committed: ISO times to the second, Unix line ends."""
    frame = bakery_mentions()
    lines = ["time,sentiment"]
    pairs = zip(frame["time"], frame["sentiment"], strict=True)
    lines += [f"{t:%Y-%m-%dT%H:%M:%S},{s}" for t, s in pairs]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    return write_or_check(OUT, csv_text(), "tools/make_synthetic_storm.py", "mentions", argv)


if __name__ == "__main__":
    raise SystemExit(main())
