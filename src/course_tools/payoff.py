"""Does social media pay off? A monthly cost–benefit calculation and engagement rates (lesson 07).

Everything here is arithmetic on a firm's own estimates, in euros per month:

    cost    = hours per week × weeks per month × hourly cost + ad budget
    benefit = extra customers (or orders) per month × contribution margin per customer
    net     = benefit − cost

An extra customer is only worth something if the firm can serve them: with `capacity` set, the
benefit counts no more extra customers than the firm has room for (a full order book means 0).
The lesson's widget (course_tools.payoff_app) is a thin view over these functions.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace

import pandas as pd

WEEKS_PER_MONTH = 52 / 12


@dataclass(frozen=True)
class Plan:
    """One firm's social-media plan. All figures are estimates the firm must make itself."""

    name: str
    hours_per_week: float  # time spent on social media, all staff together
    hourly_cost: float  # € per hour: wage plus overheads, or what the hour would else earn
    ad_budget: float  # € per month for paid posts and ads
    extra_customers: float  # extra customers (or orders) per month thanks to social media
    margin_per_customer: float  # € contribution margin per extra customer (price − variable cost)
    capacity: float | None = None  # extra customers a month it can still serve; None: no limit

    def __post_init__(self) -> None:
        for field in ("hours_per_week", "hourly_cost", "ad_budget", "extra_customers", "margin_per_customer"):
            value = getattr(self, field)
            is_number = isinstance(value, (int, float)) and not isinstance(value, bool)
            if not is_number or not math.isfinite(value):
                raise ValueError(f"Plan {self.name!r}: {field} must be a number, got {value!r}.")
            if value < 0:
                raise ValueError(f"Plan {self.name!r}: {field} cannot be negative, got {value!r}.")
        if self.capacity is not None and (not math.isfinite(self.capacity) or self.capacity < 0):
            raise ValueError(
                f"Plan {self.name!r}: capacity must be 0 or more, or None for no limit; got {self.capacity!r}."
            )

    def changed(self, **estimates: float | None) -> Plan:
        """The same plan with some estimates changed, e.g. ``plan.changed(capacity=None)``."""
        return replace(self, **estimates)


@dataclass(frozen=True)
class Payoff:
    """The result of one plan, per month."""

    cost: float
    benefit: float
    net: float
    served_customers: float  # extra customers that count: demand, capped by capacity
    break_even_customers: float  # extra customers per month needed to cover the cost
    pays_off: bool
    capacity_binds: bool  # True when demand exceeds what the firm can serve


def monthly_cost(plan: Plan) -> float:
    """Time (valued at the hourly cost) plus the ad budget, per month."""
    return plan.hours_per_week * WEEKS_PER_MONTH * plan.hourly_cost + plan.ad_budget


def served_customers(plan: Plan) -> float:
    """Extra customers the firm can actually serve: demand, capped by capacity when one is set."""
    if plan.capacity is None:
        return plan.extra_customers
    return min(plan.extra_customers, plan.capacity)


def monthly_benefit(plan: Plan) -> float:
    """Contribution margin from the extra customers the firm can serve, per month."""
    return served_customers(plan) * plan.margin_per_customer


def break_even_customers(plan: Plan) -> float:
    """Extra customers per month at which benefit equals cost (infinite if margin is 0)."""
    cost = monthly_cost(plan)
    if plan.margin_per_customer == 0:
        return 0.0 if cost == 0 else math.inf
    return cost / plan.margin_per_customer


def evaluate(plan: Plan) -> Payoff:
    """Cost, benefit, net result and break-even point of a plan."""
    cost, benefit = monthly_cost(plan), monthly_benefit(plan)
    binds = plan.capacity is not None and plan.extra_customers > plan.capacity
    return Payoff(
        cost=cost,
        benefit=benefit,
        net=benefit - cost,
        served_customers=served_customers(plan),
        break_even_customers=break_even_customers(plan),
        pays_off=benefit > cost,
        capacity_binds=binds,
    )


def compare(plans: list[Plan]) -> pd.DataFrame:
    """One row per plan: its inputs and its monthly result, for a side-by-side look."""
    rows = []
    for plan in plans:
        result = evaluate(plan)
        rows.append(
            {
                **asdict(plan),
                "cost": result.cost,
                "benefit": result.benefit,
                "net": result.net,
                "break_even_customers": result.break_even_customers,
                "pays_off": result.pays_off,
            }
        )
    return pd.DataFrame(rows).set_index("name")


def break_even_table(plan: Plan, up_to: float | None = None, steps: int = 50) -> pd.DataFrame:
    """Cost and benefit for 0 … `up_to` extra customers a month: the data of a break-even chart.

    By default the range reaches twice the larger of the estimate and the break-even point.
    """
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps!r}.")
    if up_to is None:
        reach = max(plan.extra_customers, break_even_customers(plan))
        up_to = 2 * reach if math.isfinite(reach) and reach > 0 else 1.0
    demand = [up_to * i / steps for i in range(steps + 1)]
    cost = monthly_cost(plan)
    cap = math.inf if plan.capacity is None else plan.capacity
    benefit = [min(d, cap) * plan.margin_per_customer for d in demand]
    return pd.DataFrame({"extra_customers": demand, "cost": cost, "benefit": benefit})


#: Three illustrative firms for lesson 07. These are assumptions made up for teaching, not data.
EXAMPLE_PLANS: dict[str, Plan] = {
    "bakery": Plan(
        name="Bakery, 12 staff",
        hours_per_week=3,
        hourly_cost=25,
        ad_budget=50,
        extra_customers=25,
        margin_per_customer=24,
    ),
    "roofer": Plan(
        name="Roofing firm, 2 people, order book full",
        hours_per_week=1.5,
        hourly_cost=60,
        ad_budget=0,
        extra_customers=0.5,
        margin_per_customer=1500,
        capacity=0,
    ),
    "manufacturer": Plan(
        name="B2B manufacturer, 120 staff",
        hours_per_week=8,
        hourly_cost=45,
        ad_budget=400,
        extra_customers=0.25,
        margin_per_customer=10000,
    ),
}


# --- engagement -----------------------------------------------------------------------------


def engagement_rate(engagements: float | pd.Series, base: float | pd.Series) -> float | pd.Series:
    """Engagements (likes, comments, shares, clicks) as a percentage of a base.

    There is no single standard base: followers, reach and impressions are all in use, and each
    gives a different number. Always say which one you divided by.
    """
    bases = pd.Series(base) if not isinstance(base, pd.Series) else base
    if (bases.isna() | (bases <= 0)).any():
        raise ValueError("The base of an engagement rate (followers, reach or impressions) must be greater than 0.")
    return engagements / base * 100
