"""Editorial calendars, KPIs and paid posts (lesson 13).

A calendar is a plain pandas table with one row per post. The checks here answer the questions a
small firm should ask before the month starts: does every post have an owner and a KPI, and does
the work fit the hours the firm decided it can afford (lesson 07's `payoff.Plan`)? Money questions
reuse lesson 07's model instead of repeating its formulas.
"""

from __future__ import annotations

import math
from urllib.parse import urlencode, urlsplit, urlunsplit

import pandas as pd

from course_tools import payoff

#: The columns every calendar must have, in this order.
CALENDAR_COLUMNS = ["date", "channel", "format", "pillar", "objective", "kpi", "owner", "status"]

#: The steps a post goes through; a calendar's status must be one of them.
STATUSES = ["idea", "draft", "approved", "scheduled", "published"]

#: Hours one post of a format takes, writing, photos, approval and answering comments included.
#: Illustrative estimates for teaching, not measurements: a firm should time its own first posts.
HOURS_PER_FORMAT: dict[str, float] = {
    "text": 0.5,
    "photo": 1.0,
    "story": 0.5,
    "carousel": 1.5,
    "video": 3.0,
    "article": 2.0,
}

#: The KPI ladder: what a metric shows, from attention (reach) to what pays (outcome).
KPI_LADDER: dict[str, list[str]] = {
    "reach": ["reach", "impressions", "followers", "views"],
    "engagement": ["likes", "comments", "shares", "saves", "link clicks", "engagement rate"],
    "outcome": ["enquiries", "pre-orders", "orders", "applications", "hires", "code redemptions"],
}
LADDER_ORDER = list(KPI_LADDER)


def kpi_level(kpi: str) -> str:
    """The rung of the KPI ladder a metric stands on: 'reach', 'engagement' or 'outcome'."""
    name = str(kpi).strip().lower()
    for level, metrics in KPI_LADDER.items():
        if name in metrics:
            return level
    known = ", ".join(m for metrics in KPI_LADDER.values() for m in metrics)
    raise ValueError(f"Unknown KPI {kpi!r}. Use one of: {known}; or add it to planning.KPI_LADDER.")


def build_calendar(start: str, weeks: int, slots: list[dict[str, str]]) -> pd.DataFrame:
    """A calendar of `weeks` weeks from the Monday of `start`: each slot repeats once a week.

    A slot names its `weekday` (0 = Monday) and the post's channel, format, pillar, objective,
    kpi and owner; every post starts with the status 'idea'. Slots may leave `kpi` or `owner`
    empty: finding those gaps is what `missing_owner_or_kpi` is for.
    """
    if weeks < 1:
        raise ValueError(f"weeks must be at least 1, got {weeks!r}.")
    monday = pd.Timestamp(start) - pd.Timedelta(days=pd.Timestamp(start).weekday())
    rows = []
    for week in range(weeks):
        for number, slot in enumerate(slots, start=1):
            missing = {"weekday", "channel", "format", "pillar", "objective"} - set(slot)
            if missing:
                raise ValueError(f"Slot {number} lacks {sorted(missing)}; give each slot these keys.")
            day = monday + pd.Timedelta(days=7 * week + int(slot["weekday"]))
            row = {column: slot.get(column, "") for column in CALENDAR_COLUMNS}
            rows.append({**row, "date": day, "status": "idea"})
    calendar = pd.DataFrame(rows, columns=CALENDAR_COLUMNS).sort_values("date", kind="stable")
    return calendar.reset_index(drop=True)


def check_columns(calendar: pd.DataFrame) -> list[str]:
    """The required calendar columns that are missing (an empty list when all are there)."""
    return [column for column in CALENDAR_COLUMNS if column not in calendar.columns]


def missing_owner_or_kpi(calendar: pd.DataFrame) -> pd.DataFrame:
    """The posts nobody is responsible for or whose success nobody will measure."""
    blank = calendar[["owner", "kpi"]].fillna("").astype(str).apply(lambda c: c.str.strip() == "")
    return calendar[blank["owner"] | blank["kpi"]]


def weekly_hours(calendar: pd.DataFrame, hours_per_format: dict[str, float] | None = None) -> pd.Series:
    """Hours of work per calendar week (Monday dates), from each post's format."""
    hours = HOURS_PER_FORMAT if hours_per_format is None else hours_per_format
    unknown = sorted(set(calendar["format"]) - set(hours))
    if unknown:
        raise ValueError(f"No hours estimate for format(s) {unknown}; add them to hours_per_format.")
    dates = pd.to_datetime(calendar["date"])
    week = (dates - pd.to_timedelta(dates.dt.day_of_week, unit="D")).rename("week")
    return calendar["format"].map(hours).groupby(week).sum().rename("hours")


def hours_check(
    calendar: pd.DataFrame, plan: payoff.Plan, hours_per_format: dict[str, float] | None = None
) -> pd.DataFrame:
    """Each week's hours against the hours a week the firm's plan (lesson 07) can afford."""
    hours = weekly_hours(calendar, hours_per_format)
    table = hours.to_frame()
    table["budget"] = plan.hours_per_week
    table["fits"] = table["hours"] <= plan.hours_per_week
    return table


def monthly_cost_of_calendar(
    calendar: pd.DataFrame, plan: payoff.Plan, hours_per_format: dict[str, float] | None = None
) -> float:
    """What the calendar's average week costs per month, valued with the plan's hourly cost and ads."""
    average = float(weekly_hours(calendar, hours_per_format).mean())
    return payoff.monthly_cost(plan.changed(hours_per_week=average))


# --- tracking ----------------------------------------------------------------------------------


def tagged_link(url: str, source: str, medium: str, campaign: str) -> str:
    """A link with campaign parameters (UTM), so the firm's own web statistics can tell which post
    brought a visitor. It adds parameters; it does not set cookies or measure anything by itself."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.netloc:
        raise ValueError(f"{url!r} is not a web address; give one like 'https://www.example.de/offer'.")
    for name, value in {"source": source, "medium": medium, "campaign": campaign}.items():
        if not str(value).strip():
            raise ValueError(f"The {name} of a tagged link cannot be empty.")
    tags = urlencode({"utm_source": source, "utm_medium": medium, "utm_campaign": campaign})
    query = f"{parts.query}&{tags}" if parts.query else tags
    return urlunsplit((parts.scheme, parts.netloc, parts.path, query, parts.fragment))


# --- paid posts ----------------------------------------------------------------------------------


def paid_post_plan(
    name: str,
    budget: float,
    margin_per_outcome: float,
    outcomes: float = 0,
    prep_hours: float = 0,
    hourly_cost: float = 0,
) -> payoff.Plan:
    """A one-off paid post as lesson 07's monthly plan: the budget as ads, the preparation hours
    spread over the month, and the outcomes (orders, enquiries that become orders) as customers."""
    return payoff.Plan(
        name=name,
        hours_per_week=prep_hours / payoff.WEEKS_PER_MONTH,
        hourly_cost=hourly_cost,
        ad_budget=budget,
        extra_customers=outcomes,
        margin_per_customer=margin_per_outcome,
    )


def cost_per_outcome(cost: float, outcomes: float) -> float:
    """Euros spent per outcome (enquiry, order, application); infinite when nothing came of it."""
    if cost < 0 or outcomes < 0:
        raise ValueError(f"cost and outcomes cannot be negative, got {cost!r} and {outcomes!r}.")
    return math.inf if outcomes == 0 else cost / outcomes


def impressions_for_budget(budget: float, cpm: float) -> float:
    """How many impressions a budget buys at a given CPM (cost per 1,000 impressions)."""
    if cpm <= 0:
        raise ValueError(f"The CPM must be greater than 0, got {cpm!r}.")
    return budget / cpm * 1000


def ladder(posts: pd.DataFrame, steps: list[str]) -> pd.Series:
    """Totals of each step of a funnel and the share that reached the next step, in percent."""
    totals = posts[steps].sum()
    return (totals / totals.shift(1) * 100).rename("percent of previous step")
