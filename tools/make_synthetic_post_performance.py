"""Make data/synthetic_post_performance.csv: a fictional joinery's 104 posts of one year.

SYNTHETIC DATA. Nothing here was observed. The table exists so that lesson 13 can walk the KPI
ladder (reach → engaged users → link clicks → enquiries) on a table of realistic shape.
What is calibrated on published figures, and what is our own assumption:

* Mix of post types: photo 85 %, status 9 %, link 4 %, video 1 %, as in the 500 posts of the
  "Facebook metrics" dataset of Moro, Rita & Vala (2016) (426 photo, 45 status, 22 link, 7 video).
* Share of paid posts: 28 %, as in the same dataset (139 of 499 posts with a value).
* Status posts draw about twice the engaged users per person reached, mirroring Moro et al.'s
  finding that status posts got about twice the attention of the other types.
* Everything else is assumed: organic reach (median about 900 people), paid reach (about three
  times higher, €40 per paid post), the engaged share (4 %), the click share of the engaged
  (15 %, 50 % for link posts) and the enquiry share of clicks (6 %).

All draws come from numpy's `default_rng(2018)`, so the file is rebuilt byte for byte.
Usage (from the course folder):  python tools/make_synthetic_post_performance.py [--check]
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from synthetic_table import write_or_check

OUT = Path(__file__).resolve().parents[1] / "data" / "synthetic_post_performance.csv"

TYPE_SHARES = {"photo": 426 / 500, "status": 45 / 500, "link": 22 / 500, "video": 7 / 500}
PAID_SHARE = 139 / 499
ENGAGED_SHARE = {"photo": 0.04, "status": 0.08, "link": 0.04, "video": 0.04}
CLICK_SHARE = {"photo": 0.15, "status": 0.15, "link": 0.50, "video": 0.15}
ENQUIRY_SHARE = 0.06
AD_SPEND_PER_PAID_POST = 40


def build(seed: int = 2018) -> pd.DataFrame:
    """Two posts a week (Tuesday and Friday) through 2025, with their invented results."""
    rng = np.random.default_rng(seed)
    tuesdays = pd.date_range("2025-01-07", periods=52, freq="7D")
    dates = sorted(list(tuesdays) + list(tuesdays + pd.Timedelta(days=3)))
    n = len(dates)
    kinds = rng.choice(list(TYPE_SHARES), size=n, p=list(TYPE_SHARES.values()))
    paid = rng.random(n) < PAID_SHARE
    reach = np.round(rng.lognormal(np.log(900), 0.5, n) * np.where(paid, 3.0, 1.0)).astype(int)
    engaged = rng.binomial(reach, [ENGAGED_SHARE[k] for k in kinds])
    clicks = rng.binomial(engaged, [CLICK_SHARE[k] for k in kinds])
    enquiries = rng.binomial(clicks, ENQUIRY_SHARE)
    return pd.DataFrame(
        {
            "post_id": [f"P{i:03d}" for i in range(1, n + 1)],
            "date": [d.strftime("%Y-%m-%d") for d in dates],
            "type": kinds,
            "paid": paid,
            "ad_spend": np.where(paid, AD_SPEND_PER_PAID_POST, 0),
            "reach": reach,
            "engaged_users": engaged,
            "link_clicks": clicks,
            "enquiries": enquiries,
        }
    )


def csv_text() -> str:
    """The CSV exactly as it should be committed (Unix line ends, booleans as true/false)."""
    frame = build()
    frame["paid"] = frame["paid"].map({True: "true", False: "false"})
    return frame.to_csv(index=False, lineterminator="\n")


def main(argv: list[str] | None = None) -> int:
    return write_or_check(OUT, csv_text(), "tools/make_synthetic_post_performance.py", "posts", argv)


if __name__ == "__main__":
    raise SystemExit(main())
