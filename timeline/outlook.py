"""What analysts brief next: planned events ahead, and chains of related events."""
from __future__ import annotations

import datetime as dt

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
