"""Figure builders are plain functions: test them without a browser."""
import datetime as dt

import pandas as pd
import pytest

from timeline import figures
from timeline.query import Filters, filter_events

from .conftest import TODAY


def markers(fig):
    return [t for t in fig.data if t.mode == "markers" and t.customdata is not None]


def marker_ids(fig):
    return sorted(i for t in markers(fig) for i in t.customdata)


def test_one_marker_per_event_and_lane(valid_df, vocab):
    fig = figures.timeline_figure(valid_df, vocab, "en", "country", today=TODAY)
    # Kim's visit involves KP and CN, so it sits in both lanes
    assert marker_ids(fig) == ["2025-06-03-election", "2025-06-04-lee-inauguration", "2025-09-kim-beijing",
                               "2025-09-kim-beijing"]
    assert list(fig.layout.yaxis.ticktext) == ["South Korea (ROK)", "North Korea (DPRK)", "China"]
    by_theme = figures.timeline_figure(valid_df, vocab, "en", "theme", today=TODAY)
    assert len(marker_ids(by_theme)) == 3


def test_colours_come_from_the_vocabulary(valid_df, vocab):
    fig = figures.timeline_figure(valid_df, vocab, "en", "country", today=TODAY)
    colours = {t.name: t.marker.color for t in markers(fig)}
    assert colours == {"China–DPRK": vocab.themes["china-dprk"].color,
                       "ROK domestic politics": vocab.themes["rok-politics"].color}


def test_month_precision_is_a_diamond_on_a_bar_over_the_month(valid_df, vocab):
    fig = figures.timeline_figure(valid_df, vocab, "en", "country", today=TODAY)
    kim = next(t for t in markers(fig) if "2025-09-kim-beijing" in list(t.customdata))
    assert kim.marker.symbol == "diamond"
    bars = [t for t in fig.data if t.mode == "lines"]
    xs = [pd.Timestamp(x, unit="ms") for t in bars for x in t.x if not pd.isna(x)]  # dates as epoch ms
    assert min(xs).date() == dt.date(2025, 9, 1) and max(xs).date() == dt.date(2025, 10, 1)
    assert pd.Timestamp(kim.x[0], unit="ms").date() == dt.date(2025, 9, 15)  # the marker: mid-month
    assert "Sep 2025" in kim.hovertext[0]
    ja = figures.timeline_figure(valid_df, vocab, "ja", "country", today=TODAY)
    assert any("2025年9月" in h for t in markers(ja) for h in t.hovertext)


def test_planned_and_cancelled_events_look_different(valid_df, vocab):
    df = valid_df.copy()
    df.loc[df["id"] == "2025-06-03-election", "status"] = "scheduled"
    df.loc[df["id"] == "2025-06-04-lee-inauguration", "status"] = "cancelled"
    before = figures.timeline_figure(df, vocab, "en", "type", today=dt.date(2025, 5, 1))
    symbols = {i: t.marker.symbol for t in markers(before) for i in t.customdata}
    assert symbols["2025-06-03-election"] == "circle-open"
    assert symbols["2025-06-04-lee-inauguration"] == "x"
    # once its date has passed, a plan still marked scheduled is crossed: it needs a follow-up
    after = figures.timeline_figure(df, vocab, "en", "type", today=TODAY)
    symbols = {i: t.marker.symbol for t in markers(after) for i in t.customdata}
    assert symbols["2025-06-03-election"] == "circle-cross-open"


def test_size_grows_with_importance(valid_df, vocab):
    fig = figures.timeline_figure(valid_df, vocab, "en", "type", today=TODAY)
    sizes = {i: s for t in markers(fig) for i, s in zip(t.customdata, t.marker.size, strict=False)}
    assert sizes["2025-06-03-election"] > sizes["2025-09-kim-beijing"]


@pytest.mark.parametrize("trim", [False, True])
def test_hover_text_is_escaped(valid_df, vocab, monkeypatch, trim):
    if trim:  # big logs get the short hover (title and date), built on a faster path
        monkeypatch.setattr(figures, "TRIM_THRESHOLD", 0)
    df = valid_df.copy()
    df.loc[0, "title_en"] = "<b onmouseover=alert(1)>x</b> & co"
    fig = figures.timeline_figure(df, vocab, "en", "type", today=TODAY)
    hover = {i: h for t in markers(fig) for i, h in zip(t.customdata, t.hovertext, strict=False)}
    text = hover[df.loc[0, "id"]]
    assert text.startswith("<b>&lt;b onmouseover=alert(1)&gt;x&lt;/b&gt; &amp; co</b><br>")
    assert "<b onmouseover" not in " ".join(hover.values())
    assert ("Japan" in hover["2025-09-kim-beijing"] or "China" in hover["2025-09-kim-beijing"]) is not trim
    assert "Sep 2025" in hover["2025-09-kim-beijing"]  # month precision, whatever the hover length


def test_today_line_and_empty_result(valid_df, vocab):
    fig = figures.timeline_figure(valid_df.iloc[0:0], vocab, "en", "country", today=TODAY)
    assert any(a.text == "No events match" for a in fig.layout.annotations)
    assert any(a.text == "Today" for a in fig.layout.annotations)


def test_webgl_above_threshold(valid_df, vocab):
    svg = figures.timeline_figure(valid_df, vocab, "en", "country", today=TODAY)
    assert all(t.type == "scatter" for t in svg.data)
    gl = figures.timeline_figure(valid_df, vocab, "en", "country", today=TODAY, webgl=True)
    assert {t.type for t in markers(gl)} == {"scattergl"}
    # same events, colours and symbols; one symbol per trace (WebGL draws a symbol per point slowly)
    assert marker_ids(gl) == marker_ids(svg)
    assert all(isinstance(t.marker.symbol, str) for t in markers(gl))
    assert {(t.marker.color, t.marker.symbol) for t in markers(gl)} == {(t.marker.color, t.marker.symbol)
                                                                         for t in markers(svg)}


def test_activity_counts_months_by_primary_theme(valid_df, vocab):
    counts = figures.activity_counts(valid_df)
    assert counts.loc["2025-06-01", "rok-politics"] == 2
    assert counts.loc["2025-09-01", "china-dprk"] == 1
    assert counts.loc["2025-07-01"].sum() == 0     # empty months are zeros, not gaps
    fig = figures.activity_figure(filter_events(valid_df, Filters(countries=("KR",))), vocab, "en")
    assert sum(sum(t.y) for t in fig.data) == 2


def test_years_of_months_are_drawn_as_stacked_step_areas(valid_df, vocab, monkeypatch):
    bars = figures.activity_figure(valid_df, vocab, "en")
    monkeypatch.setattr(figures, "MAX_BARS", 1)
    areas = figures.activity_figure(valid_df, vocab, "en")
    assert {t.type for t in bars.data} == {"bar"} and {t.type for t in areas.data} == {"scatter"}
    assert [t.name for t in areas.data] == [t.name for t in bars.data]
    for bar, area in zip(bars.data, areas.data, strict=False):  # the same counts, plus the step's closing point
        assert list(area.y[:-1]) == list(bar.y) and area.y[-1] == bar.y[-1] and area.line.shape == "hv"
        assert pd.Timestamp(area.x[0], unit="ms") == pd.Timestamp(bar.x[0])
        assert pd.Timestamp(area.x[-1], unit="ms") == pd.Timestamp("2025-10-01")  # the end of September


def test_many_countries_fold_into_other(valid_df, vocab):
    import pandas as pd

    rows = []
    for i, code in enumerate(["KR", "KP", "JP", "US", "CN", "RU", "UA", "TW", "IR", "IL", "VE", "AU"]):
        r = valid_df.iloc[0].copy()
        r["id"], r["countries"] = f"e{i}", [code]
        rows.append(r)
    df = pd.DataFrame(rows)
    fig = figures.timeline_figure(df, vocab, "en", "country", today=TODAY)
    assert len(fig.layout.yaxis.ticktext) == figures.MAX_LANES and fig.layout.yaxis.ticktext[-1] == "Other"


def test_chain_figure_draws_links(valid_df, vocab):
    fig = figures.chain_figure(valid_df, vocab, "en", selected="2025-06-04-lee-inauguration")
    lines = fig.data[0]
    assert len([x for x in lines.x if x is None]) == 1   # one link in the fixture


def test_events_added_since_a_date_are_ringed(valid_df, vocab):
    fig = figures.timeline_figure(valid_df, vocab, "en", "type", today=TODAY, highlight={"2025-09-kim-beijing"})
    (ring,) = [t for t in fig.data if t.name == "new"]
    assert len(ring.x) == 1
    assert not [t for t in figures.timeline_figure(valid_df, vocab, today=TODAY).data if t.name == "new"]


def test_figures_are_bounded_for_huge_logs(valid_df, vocab, monkeypatch):
    monkeypatch.setattr(figures, "MAX_DRAWN", 2)
    fig = figures.timeline_figure(valid_df, vocab, "en", "type", today=TODAY)
    assert len(marker_ids(fig)) == 2  # the two importance-3 events
    assert any("most important of 3" in a.text for a in fig.layout.annotations)


def test_japanese_date_ticks(valid_df, vocab):
    ja = figures.timeline_figure(valid_df, vocab, "ja", today=TODAY)
    assert [s.value for s in ja.layout.xaxis.tickformatstops] == ["%-m月%-d日", "%Y年%-m月", "%Y年"]
    assert not figures.timeline_figure(valid_df, vocab, "en", today=TODAY).layout.xaxis.tickformatstops


def test_range_slider_only_for_a_few_hundred_events(valid_df, vocab, monkeypatch):
    assert figures.timeline_figure(valid_df, vocab, today=TODAY).layout.xaxis.rangeslider.visible
    monkeypatch.setattr(figures, "SLIDER_MAX", 3)  # 4 markers: Kim's visit sits in two lanes
    fig = figures.timeline_figure(valid_df, vocab, today=TODAY)
    assert not fig.layout.xaxis.rangeslider.visible
    assert fig.layout.xaxis2.side == "top"  # the dates stay reachable above the lanes


def test_an_event_that_rests_on_one_sides_claim_has_a_white_dot(valid_df, vocab):
    df = valid_df.copy()
    df["evidence"] = ["claimed", "", "disputed"]
    fig = figures.timeline_figure(df, vocab, "en", "type", today=TODAY)
    marks = {i: (t.marker.symbol, t.marker.line.color) for t in markers(fig) for i in t.customdata}
    claimed = [i for i, e in zip(df["id"], df["evidence"], strict=True) if e]
    plain = [i for i, e in zip(df["id"], df["evidence"], strict=True) if not e]
    assert all(marks[i][0].endswith("-dot") and marks[i][1] == "#ffffff" for i in claimed)
    assert all(not marks[i][0].endswith("-dot") and marks[i][1] != "#ffffff" for i in plain)
    assert "◉" in figures.t("fig.key", "ja")


def test_small_counts_get_one_tick_per_event_and_large_ones_plotlys_spacing(valid_df, vocab):
    from timeline.figures import count_axis

    # two events in a month at most: ticks 0, 1, 2 (Plotly's own would be 0, 0.5, 1, ... read as 0, 1, 1, 2)
    axis = figures.activity_figure(valid_df, vocab, "en").layout.yaxis
    assert (axis.dtick, axis.tick0, axis.tickformat) == (1, 0, ",d")
    assert "dtick" not in count_axis(40) and "dtick" not in count_axis()
