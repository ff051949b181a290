"""Period comparison: counts equal counts computed directly with pandas."""
import datetime as dt

import pandas as pd
import pytest

from timeline import compare
from timeline.load import load_events
from timeline.query import Filters

from .conftest import ROOT, TODAY


@pytest.fixture(scope="module")
def log(vocab):
    return load_events(ROOT / "events.yaml", vocab)


def direct(df, lo, hi, countries=()):
    """The events overlapping [lo, hi] (optionally with one of `countries`), by plain pandas."""
    keep = (df["stop"] >= pd.Timestamp(lo)) & (df["start"] <= pd.Timestamp(hi))
    if countries:
        keep &= df["countries"].map(lambda cs: bool(set(cs) & set(countries)))
    return df[keep]


@pytest.mark.parametrize("filters,compare_to", [
    (Filters(date_from="2025-06"), None),
    (Filters(date_from="2025-01", date_to="2025-12", countries=("KP", "RU")), None),
    (Filters(date_from="2026-01", countries=("JP",)), ("2024-01", "2024-12")),
])
def test_comparison_counts_equal_direct_pandas_counts(log, vocab, filters, compare_to):
    c = compare.compare(log, filters, vocab, TODAY, compare_to)
    for window, column in ((c.current, "current"), (c.previous, "previous")):
        events = direct(log, *window, filters.countries)
        expected = {"theme": events["themes"].explode().value_counts(),
                    "country": events["countries"].explode().value_counts(),
                    "type": events["type"].value_counts()}
        for kind, counts in expected.items():
            got = c.counts[kind][column]
            assert got[got > 0].sort_index().to_dict() == counts.sort_index().to_dict(), (kind, column)
    for kind in compare.KINDS:
        table = c.counts[kind]
        assert (table["change"] == table["current"] - table["previous"]).all()
    now = direct(log, *c.current, filters.countries)
    assert c.totals[1] == len(now)
    pairs = [(cc, th) for cs, ts in zip(now["countries"], now["themes"], strict=False) for cc in cs for th in ts]
    for (cc, th), n in pd.Series(pairs).value_counts().items():
        assert c.heat.loc[cc, th] == n


def test_windows_are_the_same_length_just_before(log):
    (lo, hi), (plo, phi) = compare.windows(log, Filters(date_from="2025-06-01", date_to="2025-11-30"), TODAY)
    assert (lo, hi) == (dt.date(2025, 6, 1), dt.date(2025, 11, 30))
    assert phi == dt.date(2025, 5, 31) and (phi - plo) == (hi - lo)
    (_, hi), _ = compare.windows(log, Filters(date_from="2025-06"), TODAY)
    assert hi == TODAY


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_comparison_figure_says_what_it_compares(log, vocab, lang):
    c = compare.compare(log, Filters(date_from="2025-06"), vocab, TODAY)
    fig = compare.comparison_figure(c, vocab, lang)
    assert len(fig.data) == 7  # previous and current bars for three panels, and the heat map
    subtitle = fig.layout.title.subtitle.text
    assert ("1 Jun 2025" if lang == "en" else "2025年6月1日") in subtitle
    assert str(c.totals[1]) in subtitle


def test_the_compare_tab_says_when_its_window_runs_past_the_logs_coverage(vocab):
    from timeline.query import ViewState
    from timeline.web.callbacks import compare_panel

    events = load_events(ROOT / "events.yaml", vocab)
    meta, today = {"coverage": {"through": "2026-06-12"}}, dt.date(2026, 11, 29)
    past = compare_panel(events, ViewState(lang="ja", filters=Filters(date_from="2026-03")), vocab, today, meta)
    assert past[0].id == "compare-coverage" and "収録は2026年6月12日まで" in past[0].children
    inside = compare_panel(events, ViewState(lang="ja", filters=Filters(date_from="2026-01", date_to="2026-05")),
                           vocab, today, meta)
    assert all(getattr(part, "id", None) != "compare-coverage" for part in inside)
