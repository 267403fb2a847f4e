"""Write the two small real tables of lesson 08 from the research team's reference files.

- data/nyc_tlc_trips_per_day.csv: trips per day in New York City by licence class, monthly,
  January 2010 to December 2020, for yellow taxis, green taxis and high-volume for-hire services
  (app-based: Uber, Lyft, Via, Juno). Source S39, NYC Taxi & Limousine Commission.
- data/itu_germany_diffusion.csv: Germany's internet users (% of population, S37) and mobile
  subscriptions (per 100 inhabitants, S38), yearly: ITU via the World Bank and Our World in Data.

Only an author runs this, with the reference folder at hand; students and CI use the committed CSVs.
No value is changed: rows are selected, renamed and (ITU only) rounded to 4 decimals.

Usage: python tools/make_diffusion_tables.py --reference-data DIR [--out-dir data]
       (DIR holds nyc_tlc_trips_per_day_by_license_class_tidy.csv and the two itu_*.csv files;
       $COURSE_REFERENCE_DATA is used when --reference-data is not given.)
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import sys
from pathlib import Path

NYC_FILE = "nyc_tlc_trips_per_day_by_license_class_tidy.csv"
INTERNET_FILE = "itu_internet_users_share_DE_comparators.csv"
MOBILE_FILE = "itu_mobile_cellular_subscriptions_DE_comparators.csv"
NYC_CLASSES = {  # TLC's label -> ours
    "Yellow": "yellow taxi",
    "Green": "green taxi",
    "FHV - High Volume": "app-based (high-volume for-hire)",
}
FIRST_MONTH, LAST_MONTH = "2010-01", "2020-12"
NYC_COLUMNS = ["source_id", "month", "licence_class", "trips_per_day"]
ITU_COLUMNS = ["source_id", "indicator", "year", "value", "unit"]


def _read(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise SystemExit(
            f"{path.name} is not in the reference folder {path.parent}; "
            "pass the folder that holds the research team's data files."
        )
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def nyc_rows(reference: Path) -> list[dict[str, object]]:
    """Monthly trips per day for the three licence classes, sorted by class order then month."""
    rows = []
    for row in _read(reference / NYC_FILE):
        if row["license_class"] in NYC_CLASSES and FIRST_MONTH <= row["month"] <= LAST_MONTH:
            rows.append(
                {
                    "source_id": "S39",
                    "month": f"{row['month']}-01",
                    "licence_class": NYC_CLASSES[row["license_class"]],
                    "trips_per_day": int(row["trips_per_day"]),
                }
            )
    order = list(NYC_CLASSES.values())
    return sorted(rows, key=lambda r: (order.index(str(r["licence_class"])), r["month"]))


ITU_SERIES = [  # file, source id, indicator, column, unit
    (INTERNET_FILE, "S37", "internet users", "internet_users_pct_population", "% of population"),
    (MOBILE_FILE, "S38", "mobile subscriptions", "mobile_cellular_subscriptions_per_100", "per 100 inhabitants"),
]


def itu_rows(reference: Path) -> list[dict[str, object]]:
    """Germany's rows of the two ITU series, internet users first, each by year."""
    rows = [
        {
            "source_id": source_id,
            "indicator": indicator,
            "year": int(row["Year"]),
            "value": round(float(row[column]), 4),
            "unit": unit,
        }
        for name, source_id, indicator, column, unit in ITU_SERIES
        for row in _read(reference / name)
        if row["Entity"] == "Germany"
    ]
    return sorted(rows, key=lambda r: (str(r["indicator"]), int(r["year"])))


def render_csv(rows: list[dict[str, object]], columns: list[str]) -> str:
    """The CSV text exactly as committed (LF line endings, UTF-8)."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def tables(reference: Path) -> dict[str, str]:
    """File name -> CSV text for both tables."""
    return {
        "nyc_tlc_trips_per_day.csv": render_csv(nyc_rows(reference), NYC_COLUMNS),
        "itu_germany_diffusion.csv": render_csv(itu_rows(reference), ITU_COLUMNS),
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reference-data", type=Path, default=os.environ.get("COURSE_REFERENCE_DATA"))
    parser.add_argument("--out-dir", type=Path, default=Path(__file__).resolve().parents[1] / "data")
    args = parser.parse_args(argv)
    if args.reference_data is None:
        sys.exit("Give the reference folder with --reference-data DIR (or set COURSE_REFERENCE_DATA).")
    for name, text in tables(Path(args.reference_data)).items():
        (args.out_dir / name).write_text(text, encoding="utf-8")
        print(f"wrote {name}: {text.count(chr(10)) - 1} rows")


if __name__ == "__main__":
    main()
