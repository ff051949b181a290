"""The first paint: Plotly's date ticks computed on the server, the static chart of a figure, and the
page's first response carrying the linked view (its alignment with the live chart is a browser test)."""
import datetime as dt
import re

import pandas as pd
import pytest

from timeline import figures
from timeline.datetick import date_ticks, dtick
from timeline.firstpaint import MAX_ELEMENTS, static_chart, symbol_path
from timeline.load import load_events, load_vocab
from timeline.web import skeleton
from timeline.web.app import create_app

from .conftest import DATA, ROOT, TODAY


def ms(text: str) -> float:
    return pd.Timestamp(text).value // 1_000_000


# ranges and plot widths whose ticks plotly.js 4.1 drew in this app (read from the page in Chromium)
@pytest.mark.parametrize("lo, hi, px, expected", [
    ("2022-09-29 02:25", "2027-02-14 06:13", 816, ("M", 6)),
    ("2025-08-20", "2026-12-10", 757, ("M", 2)),
    ("2020-11-01", "2027-01-10", 768, ("M", 12)),
])
def test_tick_spacing_is_plotlys(lo, hi, px, expected):
    assert dtick(ms(hi) - ms(lo), px) == expected


def test_month_ticks_fall_on_plotlys_grid_and_read_as_plotly_writes_them():
    ticks = date_ticks(ms("2022-09-29"), ms("2027-02-14"), 816)
    assert [t.lines for t in ticks][:3] == [("Jan 2023",), ("Jul 2023",), ("Jan 2024",)]
    ja = figures.date_ticks("ja")["tickformatstops"]
    assert [t.lines[0] for t in date_ticks(ms("2022-09-29"), ms("2027-02-14"), 816, ja)][-1] == "2027年1月"
    years = date_ticks(ms("2020-11-01"), ms("2027-01-10"), 768)
    assert [t.lines[0] for t in years] == [str(y) for y in range(2021, 2028)]


def test_day_ticks_start_on_sundays_and_carry_the_year_under_the_first():
    ticks = date_ticks(ms("2025-03-01"), ms("2025-05-20"), 800)
    assert dtick(ms("2025-05-20") - ms("2025-03-01"), 800) == ("D", 14)
    days = [pd.Timestamp(t.ms, unit="ms") for t in ticks]
    assert all(d.day_of_week == 6 for d in days)
    assert {(b - a).days for a, b in zip(days, days[1:], strict=False)} == {14}
    assert ticks[0].lines == (f"Mar {days[0].day}", "2025") and ticks[1].lines == (f"Mar {days[1].day}",)


def test_a_month_spacing_takes_the_japanese_day_format_as_plotly_matches_stops():
    # plotly.js matches tickformatstops with both bounds included: "M1" falls in [None, "M1"]
    ja = figures.date_ticks("ja")["tickformatstops"]
    ticks = date_ticks(ms("2025-01-10"), ms("2025-09-20"), 800, ja)
    assert dtick(ms("2025-09-20") - ms("2025-01-10"), 800) == ("M", 1)
    assert ticks[0].lines == ("2月1日",)


def test_every_tick_spacing_a_page_width_can_give_is_drawn_once():
    from timeline.firstpaint import tick_widths

    span = ms("2027-02-14") - ms("2022-09-29")
    widths = tick_widths(span)
    assert widths[0][0] == 200 and widths[-1][1] is None
    assert all(a[1] + 1 == b[0] for a, b in zip(widths, widths[1:], strict=False))
    assert [dtick(span, lo) for lo, _ in widths] == [("M", 12), ("M", 6)]


def test_symbols_follow_plotlys_definitions():
    assert symbol_path("circle", 10) == "M5,0A5,5 0 1,1 0,-5A5,5 0 0,1 5,0Z"
    assert symbol_path("diamond-open", 10) == "M6.5,0L0,6.5L-6.5,0L0,-6.5Z"
    assert symbol_path("circle-cross-open", 14).endswith("M7,0H-7M0,7V-7")
    assert symbol_path("circle-dot", 7).endswith("M0,0.5L0.5,0L0,-0.5L-0.5,0Z")


@pytest.fixture(scope="module")
def app_figure():
    vocab = load_vocab()
    df = load_events(ROOT / "events.yaml", vocab)
    return figures.timeline_figure(df, vocab, "ja", today=TODAY, labels=3, as_dict=True)


def test_the_static_chart_draws_every_marker_with_its_hover_text_and_id(app_figure):
    chart = static_chart(app_figure, "chart")
    lo, hi = (ms(v) for v in app_figure["layout"]["xaxis"]["range"])
    on_chart = lambda x: -0.02 < (x - lo) / (hi - lo) < 1.02  # noqa: E731  (an early outlier is off the chart)
    points = [(text, cid) for trace in app_figure["data"] if trace.get("hovertext")
              for x, text, cid in zip(trace["x"], trace["hovertext"], trace["customdata"], strict=True) if on_chart(x)]
    assert len(re.findall(r"<(?:use|circle) [^>]*data-i=", chart["html"])) == len(points) > 100
    assert list(zip(chart["hover"], chart["ids"], strict=True)) == points
    lanes = app_figure["layout"]["yaxis"]["ticktext"]
    assert all(f">{name}</text>" in chart["html"] for name in lanes)
    assert app_figure["layout"]["margin"]["autoexpand"] is False  # the plot area is the server's


def test_the_static_plot_area_is_the_figures(app_figure):
    layout = app_figure["layout"]
    m = layout["margin"]
    html = static_chart(app_figure, "chart")["html"]
    assert f'style="height:{layout["height"]}px"' in html
    assert f"left:{m['l']}px;width:calc(100% - {m['l'] + m['r']}px);top:{m['t']}px" in html


def test_export_figures_have_no_static_chart():
    vocab = load_vocab()
    df = load_events(DATA / "valid.yaml", vocab)
    fig = figures.timeline_figure(df, vocab, "en", today=TODAY, rangeslider=False, top_axis=False, as_dict=True)
    assert static_chart(fig, "chart") == {}


@pytest.fixture
def client(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    return create_app(log, today=dt.date(2026, 11, 29)).server.test_client()


def test_the_first_response_of_a_shared_link_carries_that_views_chart(client):
    page = client.get("/?country=KR&lang=ja").get_data(as_text=True)
    assert page.index('id="first-paint"') < page.index('id="react-entry-point"')
    assert "全3件中2件を表示" in page
    static = page[page.index('class="fp-chart"'):page.index('id="react-entry-point"')]
    assert len(re.findall(r"<(?:use|circle) [^>]*data-i=", static)) == 2
    everything = client.get("/?lang=ja").get_data(as_text=True)
    assert len(re.findall(r"<(?:use|circle) [^>]*data-i=", everything)) > 2 and "全3件中3件を表示" in everything


def test_other_tabs_and_broken_renders_start_without_a_static_chart(client, monkeypatch):
    assert 'id="first-paint"' not in client.get("/?tab=table").get_data(as_text=True)

    def broken(*_):
        raise RuntimeError("boom")

    monkeypatch.setattr(skeleton, "static_chart", broken)
    response = client.get("/?country=KR")
    assert response.status_code == 200 and 'id="react-entry-point"' in response.get_data(as_text=True)
    assert 'id="first-paint"' not in response.get_data(as_text=True)


def test_hover_texts_cannot_close_their_script_element(client, tmp_path):
    from timeline.firstpaint import hover_json

    assert "</script>" not in hover_json({"hover": ["<b>x</script><script>alert(1)</b>"], "ids": ["a"]})


def test_a_big_view_is_a_few_paths_with_every_marker_and_no_hover_texts(tmp_path):
    from timeline.devtools.synth import synth_log

    vocab = load_vocab()
    path = tmp_path / "big.yaml"
    path.write_text(synth_log(4500, 1, vocab), encoding="utf-8")
    fig = figures.timeline_figure(load_events(path, vocab), vocab, "en", today=TODAY, as_dict=True)
    chart = static_chart(fig, "chart")
    markers = sum(sum(v is not None for v in t["x"]) for t in fig["data"]
                  if t.get("mode") == "markers" and t.get("name") not in figures.RINGS)
    assert markers > MAX_ELEMENTS and chart["html"].count("h0") == markers
    assert chart["hover"] == [] and "<circle" not in chart["html"] and "<use" not in chart["html"]
    assert chart["html"].count("<path d=") < 300 < markers / 10


def test_the_pages_assets_are_kept_by_the_browser_under_their_versioned_address(client):
    page = client.get("/").get_data(as_text=True)
    css = re.search(r'href="(/assets/app\.css\?m=[^"]+)"', page).group(1)
    assert "max-age=31536000" in client.get(css).headers["Cache-Control"]
    assert "max-age" not in client.get("/assets/app.css").headers.get("Cache-Control", "")  # unversioned: checked
