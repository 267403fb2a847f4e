"""Lesson 11's audit rules for business profiles and posts, as plain functions on plain data.

The rules are a teaching simplification of the law described in the lesson (Rechtsstand 3 December
2026), written down once so that the lesson, the exercise set and the tests apply the same ones:
- Impressum: a link labelled "Impressum" or "Kontakt" that reaches the provider details in at most
  two clicks passes (BGH I ZR 228/03; OLG Düsseldorf I-20 U 75/13); a link hidden under "Info"
  or no link fails.
- People: staff shown recognisably need consent in writing (BAG 8 AZR 1010/13).
- Advertising: every post paid for by another firm carries an ad label (§ 5a Abs. 4 UWG).
- Data protection: the profile links a privacy notice that covers the page.
They are not legal advice: a real audit looks at the whole case.
"""

from __future__ import annotations

import pandas as pd

IMPRESSUM_LABELS_OK = ("Impressum", "Kontakt")
MAX_CLICKS = 2
CONSENT_OK = ("written", "no staff shown")
ISSUES = ("impressum", "privacy_notice", "consent", "ad_label")

# Who posts, about whose product: the rules of the exercise for a disclosure.
ACCOUNTS = ("firm", "employee", "creator", "customer")
ABOUT = ("own", "employer", "other firm")


def impressum_ok(link: str, clicks: float) -> bool:
    """True when the Impressum is reached through a clearly labelled link in at most two clicks."""
    if link not in IMPRESSUM_LABELS_OK or pd.isna(clicks):
        return False
    return int(clicks) <= MAX_CLICKS


def audit_profiles(profiles: pd.DataFrame) -> pd.DataFrame:
    """One row per firm, one boolean column per issue (True = must be fixed) and their count.

    Expects the columns of `synthetic_profile_audit`; the result keeps the firm as index so that
    a student can sort, filter and count it.
    """
    missing = {
        "firm",
        "impressum_link",
        "clicks_to_impressum",
        "privacy_notice",
        "staff_consent",
        "sponsored_posts",
        "sponsored_labelled",
    } - set(profiles.columns)
    if missing:
        raise KeyError(
            f"the profile table lacks the column(s) {sorted(missing)}; "
            "load it with data.load('synthetic_profile_audit')"
        )
    flags = pd.DataFrame(index=pd.Index(profiles["firm"], name="firm"))
    flags["impressum"] = [
        not impressum_ok(link, clicks)
        for link, clicks in zip(profiles["impressum_link"], profiles["clicks_to_impressum"], strict=True)
    ]
    flags["privacy_notice"] = ~profiles["privacy_notice"].astype(bool).to_numpy()
    flags["consent"] = ~profiles["staff_consent"].isin(CONSENT_OK).to_numpy()
    flags["ad_label"] = (profiles["sponsored_labelled"] < profiles["sponsored_posts"]).to_numpy()
    flags["issues"] = flags[list(ISSUES)].sum(axis=1)
    return flags


def firms_to_fix(audit: pd.DataFrame, min_issues: int = 1) -> list[str]:
    """Firms with at least `min_issues` issues, alphabetically: the work list for a fix-up round."""
    return sorted(audit.index[audit["issues"] >= min_issues])


def needs_disclosure(account: str, about: str, consideration: bool) -> bool:
    """Whether a post must say it is advertising, or who is behind it, under the exercise's rules.

    - anyone about its own business (a firm on its own profile): the commercial purpose is evident;
    - an employee about the employer's products: say so ("I work here"), paid or not;
    - anyone about another firm's product: label it when money, free products or another
      consideration came from that firm (§ 5a Abs. 4 UWG); without one, no label is needed.
    """
    if account not in ACCOUNTS or about not in ABOUT:
        raise ValueError(f"unknown account {account!r} or subject {about!r}; use one of {ACCOUNTS} and one of {ABOUT}")
    if about == "own":
        return False
    if about == "employer":
        return True
    return bool(consideration)
