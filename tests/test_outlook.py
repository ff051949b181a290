import datetime as dt

import pandas as pd

from timeline.load import read_log
from timeline.outlook import chain, outlook_events, stale_planned

from .conftest import DATA


def planned(valid_df):
    df = valid_df.copy()
    df.loc[df["id"] == "2025-09-kim-beijing", "status"] = "expected"
    df.loc[df["id"] == "2025-06-03-election", "status"] = "scheduled"
    return df


def test_outlook_selects_planned_events_ahead(valid_df):
    df = planned(valid_df)
    assert list(outlook_events(df, dt.date(2025, 7, 1), 3)["id"]) == ["2025-09-kim-beijing"]
    assert list(outlook_events(df, dt.date(2025, 5, 1), 12)["id"]) == ["2025-06-03-election", "2025-09-kim-beijing"]
    assert outlook_events(df, dt.date(2025, 5, 10), 1)["id"].tolist() == ["2025-06-03-election"]
    assert outlook_events(df, dt.date(2025, 5, 1), 1).empty  # 3 June is past a one-month horizon
    # a month-precision event is still ahead until its month is over
    assert list(outlook_events(df, dt.date(2025, 9, 20), 1)["id"]) == ["2025-09-kim-beijing"]


def test_stale_planned_events_are_flagged(valid_df):
    df = planned(valid_df)
    assert list(stale_planned(df, dt.date(2025, 7, 1))["id"]) == ["2025-06-03-election"]
    report = read_log(DATA / "stale-scheduled.yaml", today=dt.date(2025, 10, 1), cache=False)
    assert [p.code for p in report.problems] == ["stale-scheduled"]
    # not stale while its month is running
    assert read_log(DATA / "stale-scheduled.yaml", today=dt.date(2025, 9, 15), cache=False).problems == []


def test_chain_follows_links_both_ways(valid_df):
    assert sorted(chain(valid_df, "2025-06-03-election")["id"]) == ["2025-06-03-election",
                                                                     "2025-06-04-lee-inauguration"]
    assert list(chain(valid_df, "2025-09-kim-beijing")["id"]) == ["2025-09-kim-beijing"]


def test_chain_survives_cycles_and_ignores_see_also(valid_df):
    df = valid_df.copy()
    df.at[0, "related"] = [{"type": "response-to", "id": "2025-06-04-lee-inauguration"}]  # cycle with the other link
    df.at[2, "related"] = [{"type": "see-also", "id": "2025-06-03-election"}]
    assert sorted(chain(df, "2025-06-04-lee-inauguration")["id"]) == ["2025-06-03-election",
                                                                       "2025-06-04-lee-inauguration"]


def test_chain_depth_and_size_are_bounded():
    rows = [{"id": f"e{i}", "related": [{"type": "follows", "id": f"e{i - 1}"}] if i else []} for i in range(50)]
    df = pd.DataFrame(rows)
    assert len(chain(df, "e25", depth=2)) == 5
    assert len(chain(df, "e25", max_size=10, depth=100)) == 10


def test_coverage_is_the_stated_date_else_the_latest_occurred_event(claims_log, valid_df, vocab):
    from timeline.load import read_log
    from timeline.outlook import coverage_of

    report = read_log(claims_log, vocab)
    stated = coverage_of(report.meta, report.events, dt.date(2026, 11, 28))
    assert (stated.through, stated.past_due, stated.stated) == ("2026-06-12", 1, True)
    latest = coverage_of({}, valid_df, dt.date(2025, 7, 1))
    assert (latest.through, latest.past_due, latest.stated) == ("2025-09", 0, False)
