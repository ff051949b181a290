"""What analysts brief next: planned events ahead, and chains of related events."""
from __future__ import annotations

import datetime as dt

import pandas as pd

from .model import PLANNED_STATUSES
from .query import Filters, filter_events


def outlook_events(df: pd.DataFrame, today: dt.date, months: int = 12, filters: Filters | None = None) -> pd.DataFrame:
    """Scheduled or expected events that end today or later and start within `months` from today."""
    df = filter_events(df, filters) if filters else df
    horizon = pd.Timestamp(today) + pd.DateOffset(months=months)
    mask = df["status"].isin(PLANNED_STATUSES) & (df["stop"] >= pd.Timestamp(today)) & (df["start"] <= horizon)
    return df[mask]


def stale_planned(df: pd.DataFrame, today: dt.date) -> pd.DataFrame:
    """Planned events whose whole period has passed: their status needs updating."""
    return df[df["status"].isin(PLANNED_STATUSES) & (df["stop"] < pd.Timestamp(today))]


CHAIN_RELATIONS = ("follows", "response-to", "part-of")


def chain(df: pd.DataFrame, event_id: str, max_size: int = 25, depth: int = 4) -> pd.DataFrame:
    """The event and the events reachable through typed links (follows, response-to, part-of),
    before and after it, up to `depth` steps; `see-also` links are not part of a chain.

    Links are followed both ways (A follows B puts B in A's chain and A in B's); cycles are
    harmless because each event is visited once.
    """
    links: dict[str, set[str]] = {}
    for eid, related in zip(df["id"], df["related"]):
        for link in related:
            if link["type"] not in CHAIN_RELATIONS:
                continue
            links.setdefault(eid, set()).add(link["id"])
            links.setdefault(link["id"], set()).add(eid)
    seen, todo = {event_id}, [(event_id, 0)]
    while todo and len(seen) < max_size:
        current, level = todo.pop(0)
        if level >= depth:
            continue
        for nxt in sorted(links.get(current, ())):
            if nxt not in seen and len(seen) < max_size:
                seen.add(nxt)
                todo.append((nxt, level + 1))
    return df[df["id"].isin(seen)]
