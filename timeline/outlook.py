"""What analysts brief next: planned events ahead, and chains of related events."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from .model import PLANNED_STATUSES
from .query import CHAIN_RELATIONS, Filters, chain, filter_events  # noqa: F401  (chain lives with the filters)


def outlook_events(df: pd.DataFrame, today: dt.date, months: int = 12, filters: Filters | None = None) -> pd.DataFrame:
    """Scheduled or expected events that end today or later and start within `months` from today."""
    df = filter_events(df, filters) if filters else df
    horizon = pd.Timestamp(today) + pd.DateOffset(months=months)
    mask = df["status"].isin(PLANNED_STATUSES) & (df["stop"] >= pd.Timestamp(today)) & (df["start"] <= horizon)
    return df[mask]


def stale_planned(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Planned events whose whole period has passed: their status needs updating."""
    return df[df["status"].isin(PLANNED_STATUSES) & (df["stop"] < pd.Timestamp(today))]


@dataclass(frozen=True)
class Coverage:
    """How current the log is: what the app's header and every export's footer say."""

    through: str | None     # the log's stated coverage (meta.coverage.through), else the latest event's date
    stated: bool            # True when the log states its coverage
    past_due: int           # planned events whose date has passed, or whose outcome is not confirmed


def needs_follow_up(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Planned events past their date, and events whose outcome is recorded as not confirmed."""
    return df[(df["status"] == "unconfirmed") | (df["status"].isin(PLANNED_STATUSES)
                                                  & (df["stop"] < pd.Timestamp(today)))]


def coverage_of(meta: dict, events: pd.DataFrame, today: dt.date) -> Coverage:
    """The log's coverage date and how many plans need a follow-up."""
    stated = (meta.get("coverage") or {}).get("through") if isinstance(meta.get("coverage"), dict) else None
    if stated:
        through = str(stated)
    else:
        occurred = events.loc[events["status"] == "occurred", "start"]
        through = occurred.max().date().isoformat() if len(occurred) else None
    return Coverage(through, bool(stated), len(needs_follow_up(events, today)))
