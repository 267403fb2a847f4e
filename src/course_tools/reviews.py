"""Reviews of a local firm: their star distribution, the firm's replies, fact vs opinion (lesson 12).

Two parts, both small enough to read in one go:

* A generator for a **synthetic** year of reviews of the fictional Bäckerei Musterkorn. Its shape
  follows published research, its exact numbers are our own choice (see `BAKERY_REVIEWS`):
  star ratings are J-shaped (many 5s, some 1s, few in between; Hu, Zhang & Pavlou 2009), and
  the owner replies to good and bad reviews at about the same rate (as hotels did in
  Proserpio & Zervas 2017). On 1 July 2025 the bakery starts a reply routine, so replies become
  more frequent and faster. It uses only `random.Random`, so the committed CSV rebuilds exactly.
* Plain pandas summaries that work on any review table (real or synthetic): the share of each
  star rating, the share of 1–2 star reviews, the response rate and the median time to reply,
  and a marker rule that sorts a review sentence into a factual claim or an opinion.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pandas as pd

STARS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ReviewStory:
    """The assumptions behind one synthetic year of reviews; every number here is chosen, not measured."""

    year: int
    reviews: int
    star_weights: tuple[float, ...]  # shares of 1, 2, 3, 4 and 5 stars
    routine_start: datetime  # the day the firm starts answering reviews systematically
    reply_rate_before: float  # chance that a review gets a reply, before the routine
    reply_rate_after: float
    median_reply_hours_before: float  # median time to reply, before the routine
    median_reply_hours_after: float
    reply_spread: float  # sigma of the log-normal time to reply
    seed: int


BAKERY_REVIEWS = ReviewStory(
    year=2025,
    reviews=240,
    star_weights=(0.14, 0.05, 0.06, 0.15, 0.60),
    routine_start=datetime(2025, 7, 1),
    reply_rate_before=0.30,
    reply_rate_after=0.85,
    median_reply_hours_before=60.0,
    median_reply_hours_after=14.0,
    reply_spread=0.8,
    seed=2018,
)


def simulate_reviews(story: ReviewStory) -> pd.DataFrame:
    """One row per review: id, time posted, stars, whether the firm replied and after how many hours.

    The reply chance does not depend on the stars, only on the date (before or after the routine).
    """
    rng = random.Random(story.seed)
    start = datetime(story.year, 1, 1)
    seconds = int((datetime(story.year + 1, 1, 1) - start).total_seconds())
    times = sorted(start + timedelta(seconds=rng.randrange(seconds)) for _ in range(story.reviews))
    rows = []
    for number, posted in enumerate(times, start=1):
        stars = rng.choices(STARS, weights=story.star_weights)[0]
        after = posted >= story.routine_start
        rate = story.reply_rate_after if after else story.reply_rate_before
        median = story.median_reply_hours_after if after else story.median_reply_hours_before
        replied = rng.random() < rate
        hours = rng.lognormvariate(math.log(median), story.reply_spread) if replied else None
        rows.append(
            {
                "review_id": number,
                "posted": posted.replace(microsecond=0),
                "stars": stars,
                "replied": replied,
                "reply_hours": None if hours is None else round(hours, 1),
            }
        )
    frame = pd.DataFrame(rows)
    frame["reply_hours"] = frame["reply_hours"].astype("float64")
    return frame


def bakery_reviews() -> pd.DataFrame:
    """The synthetic review log of Bäckerei Musterkorn, exactly as committed in data/."""
    return simulate_reviews(BAKERY_REVIEWS)


def rating_shares(stars: pd.Series) -> pd.Series:
    """Percentage of reviews with 1, 2, 3, 4 and 5 stars (every level listed, even if 0)."""
    counts = pd.Series(stars).value_counts().reindex(STARS, fill_value=0)
    shares = counts / counts.sum() * 100
    shares.index.name = "stars"
    return shares.rename("percent")


def low_star_share(stars: pd.Series) -> float:
    """Percentage of reviews with one or two stars: the reviews a firm must look at first."""
    stars = pd.Series(stars)
    return float(stars.isin([1, 2]).mean() * 100)


def reply_summary(reviews: pd.DataFrame) -> pd.Series:
    """Number of reviews, response rate (% of reviews with a reply) and median hours to reply.

    The median is taken over the replied reviews only: an unanswered review has no reply time.
    """
    missing = {"replied", "reply_hours"} - set(reviews.columns)
    if missing:
        raise KeyError(f"The review table needs the columns {sorted(missing)} (it has {list(reviews.columns)}).")
    replied = reviews["replied"].astype(bool)
    return pd.Series(
        {
            "reviews": float(len(reviews)),
            "response_rate": float(replied.mean() * 100),
            "median_reply_hours": float(reviews.loc[replied, "reply_hours"].median()),
        }
    )


# Marker words of the lesson's rule of thumb. A court reads the whole review in context;
# these lists only train the eye for what could be proved or disproved.
FACT_MARKERS = (
    "sold",
    "charged",
    "closed",
    "was never",
    "mouldy",
    "mould",
    "receipt",
    "waited",
    "minutes",
    "euro",
    "€",
    "hair in",
    "refused",
    "did not get",
    "told me",
)
OPINION_MARKERS = (
    "i think",
    "i find",
    "in my opinion",
    "for me",
    "too expensive",
    "too sweet",
    "rude",
    "unfriendly",
    "boring",
    "best",
    "worst",
    "overpriced",
    "nice",
    "lovely",
    "disappointing",
)


def claim_type(
    sentence: str,
    fact_markers: Iterable[str] = FACT_MARKERS,
    opinion_markers: Iterable[str] = OPINION_MARKERS,
) -> str:
    """'fact', 'opinion' or 'unclear' for one review sentence, by marker words.

    A fact marker (or any digit) wins over an opinion marker, because "I think the bread was
    mouldy" still claims something that can be proved or disproved. Matching ignores case.
    """
    text = sentence.lower()
    if re.search(r"\d", text) or any(marker.lower() in text for marker in fact_markers):
        return "fact"
    if any(marker.lower() in text for marker in opinion_markers):
        return "opinion"
    return "unclear"
