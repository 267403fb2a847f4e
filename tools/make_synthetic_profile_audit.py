"""Write data/synthetic_profile_audit.csv: a SYNTHETIC audit of 40 fictional firms' business profiles.

Nothing here was observed: the firms, their profiles and every share below are made up for lesson 11,
so that students can practise an audit with pandas without judging real firms in public.
We found no published survey that counts these faults on German business profiles, so the rates
are not calibrated on data; they were chosen so that each kind of fault occurs often enough to count:
- Impressum link labelled "Impressum" (50 %), "Kontakt" (15 %), hidden under "Info" (20 %) or
  missing (15 %); a link needs 1 (40 %), 2 (45 %) or 3 (15 %) clicks;
- a privacy notice that covers the page is linked on 65 % of profiles;
- staff shown in posts: written consent (40 %), verbal only (25 %), none on file (10 %), or no
  staff shown at all (25 %);
- 40 % of firms published 1–4 posts paid for by another firm last quarter, each labelled as an
  ad with probability 0.7.

Usage: python tools/make_synthetic_profile_audit.py [--out data/synthetic_profile_audit.csv]
The same seed always gives the same file; tests/unit/test_legal_audit.py checks that.
"""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

import numpy as np

SEED = 2018
N_FIRMS = 40
TRADES = (
    ("bakery", "Bäckerei"),
    ("carpentry", "Schreinerei"),
    ("hair salon", "Salon"),
    ("car repair", "Autowerkstatt"),
    ("café", "Café"),
    ("electrician", "Elektro"),
    ("florist", "Blumen"),
    ("optician", "Optik"),
    ("tax office", "Steuerbüro"),
    ("fitness studio", "Fitness"),
)
NAMES = (
    "Albers",
    "Brandt",
    "Conrad",
    "Dietz",
    "Eckert",
    "Falk",
    "Graf",
    "Haas",
    "Jansen",
    "Kern",
    "Lorenz",
    "Mertens",
    "Nolte",
    "Otto",
    "Pohl",
    "Quast",
    "Rieger",
    "Sauer",
    "Thiel",
    "Ulrich",
    "Vogt",
    "Wendt",
    "Zeller",
    "Arndt",
    "Busch",
    "Dorn",
    "Engel",
    "Fuchs",
    "Gerber",
    "Horn",
    "Jung",
    "Kraft",
    "Lang",
    "Moser",
    "Nagel",
    "Pfeiffer",
    "Roth",
    "Stein",
    "Weiß",
    "Ziegler",
)
PLATFORMS = ("Instagram", "Facebook", "LinkedIn", "TikTok")
IMPRESSUM = (("Impressum", 0.50), ("Kontakt", 0.15), ("Info", 0.20), ("none", 0.15))
CLICKS = ((1, 0.40), (2, 0.45), (3, 0.15))
CONSENT = (("written", 0.40), ("verbal only", 0.25), ("none", 0.10), ("no staff shown", 0.25))
COLUMNS = [
    "firm",
    "sector",
    "staff",
    "platform",
    "impressum_link",
    "clicks_to_impressum",
    "privacy_notice",
    "staff_consent",
    "sponsored_posts",
    "sponsored_labelled",
]


def _pick(rng: np.random.Generator, choices: tuple[tuple[object, float], ...]) -> object:
    values, weights = zip(*choices, strict=True)
    return values[int(rng.choice(len(values), p=np.array(weights)))]


def build_rows(seed: int = SEED) -> list[dict[str, object]]:
    """All rows of the table, one per fictional firm."""
    rng = np.random.default_rng(seed)
    rows: list[dict[str, object]] = []
    for number, name in enumerate(NAMES[:N_FIRMS]):
        sector, prefix = TRADES[number % len(TRADES)]
        link = _pick(rng, IMPRESSUM)
        clicks = "" if link == "none" else _pick(rng, CLICKS)
        staff_consent = _pick(rng, CONSENT)
        sponsored = int(rng.integers(1, 5)) if rng.random() < 0.4 else 0
        rows.append(
            {
                "firm": f"{prefix} {name}",
                "sector": sector,
                "staff": int(rng.integers(3, 61)),
                "platform": PLATFORMS[int(rng.integers(len(PLATFORMS)))],
                "impressum_link": link,
                "clicks_to_impressum": clicks,
                "privacy_notice": bool(rng.random() < 0.65),
                "staff_consent": staff_consent,
                "sponsored_posts": sponsored,
                "sponsored_labelled": int(rng.binomial(sponsored, 0.7)),
            }
        )
    return rows


def render_csv(rows: list[dict[str, object]]) -> str:
    """The CSV text, with lower-case booleans as frictionless reads them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({k: (str(v).lower() if isinstance(v, bool) else v) for k, v in row.items()})
    return out.getvalue()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = Path(__file__).resolve().parents[1] / "data" / "synthetic_profile_audit.csv"
    parser.add_argument("--out", type=Path, default=default)
    args = parser.parse_args(argv)
    rows = build_rows()
    args.out.write_text(render_csv(rows), encoding="utf-8")
    print(f"wrote {args.out.name}: {len(rows)} rows")


if __name__ == "__main__":
    main()
