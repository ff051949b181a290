"""An analyst's first week, as browser tests: the date axes agree, both-countries mode, how current
the data is, the table and the outlook, no cloud buttons, the keyboard, an accessibility check, many
filter changes, a phone's width."""
import re
from pathlib import Path

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from timeline.web import ids

from .conftest import console_errors
from .test_app import click, query, wait_until

AXE = Path(__file__).resolve().parents[2] / ".cache" / "axe" / "node_modules" / "axe-core" / "axe.min.js"

TICKS = """
var out = {};
['xtick', 'x2tick'].forEach(function (cls) {
  out[cls] = Array.from(document.querySelectorAll('#timeline .' + cls + ' text')).map(function (t) {
    var m = /translate\\(([-\\d.]+)/.exec(t.getAttribute('transform') || '');
    return [m ? Math.round(parseFloat(m[1])) : null, t.textContent.replace(/\\s+/g, ' ').trim()];
  }).filter(function (p) { return p[1]; });
});
return out;
"""


def ticks(duo):
    return duo.driver.execute_script(TICKS)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_top_and_bottom_date_axes_agree_at_every_zoom(start, lang):
    duo, _ = start(path=f"/?group=theme&lang={lang}")
    wait_until(lambda: ticks(duo)["x2tick"])
    windows = [None, ("2025-01-01", "2026-01-01"), ("2025-06-01", "2025-09-15"), ("2025-08-25", "2025-09-20"),
               ("2019-01-01", "2027-06-01")]
    for window in windows:
        if window:
            duo.driver.execute_script(
                "Plotly.relayout(document.querySelector('#timeline .js-plotly-plot'),"
                " {'xaxis.range': [arguments[0], arguments[1]]})", *window)
            wait_until(lambda: ticks(duo)["xtick"] and ticks(duo)["xtick"][0][1] != "")
        seen = ticks(duo)
        assert seen["xtick"] and seen["x2tick"], seen
        assert sorted(seen["x2tick"]) == sorted(seen["xtick"]), (window, seen)
    assert console_errors(duo) == []


def test_all_of_the_selected_countries_and_the_hint(start):
    duo, _ = start(path="/?country=KP,CN")
    duo.wait_for_text_to_equal("#counter", "Showing 1 of 3 events", timeout=30)
    # "any" (the default) with two countries: the hint says that "all" exists
    hint = duo.find_element(f"#{ids.MODE_HINT}")
    wait_until(lambda: "all of them" in hint.get_attribute("textContent"))
    duo.driver.get(duo.server_url + "/?country=KP,KR")
    duo.wait_for_text_to_equal("#counter", "Showing 3 of 3 events", timeout=30)
    click(duo, f"#{ids.COUNTRY_MODE} input[value='all']")
    duo.wait_for_text_to_equal("#counter", "Showing 0 of 3 events", timeout=30)
    wait_until(lambda: query(duo).get("country_mode") == ["all"])
    wait_until(lambda: duo.find_element(f"#{ids.MODE_HINT}").get_attribute("textContent") == "")
    duo.driver.get(duo.server_url + "/?country=KP,CN&country_mode=all")
    duo.wait_for_text_to_equal("#counter", "Showing 1 of 3 events", timeout=30)


def test_the_header_says_how_current_the_data_is(start):
    duo, _ = start("stale-scheduled.yaml", path="/?lang=ja")
    duo.wait_for_contains_text(f"#{ids.CURRENCY}", "までの出来事を収録", timeout=30)
    # the planned event whose date has passed is counted, and the badge leads to the outlook
    badge = duo.find_element("#currency-past-due")
    assert "1件" in badge.text
    click(duo, badge)
    duo.wait_for_contains_text("#outlook-past-due", "金正恩が訪中", timeout=30)
    assert console_errors(duo) == []


def test_the_table_is_a_tab_newest_first_with_status(start):
    duo, _ = start(path="/?tab=table")
    duo.wait_for_element("#table .ag-center-cols-container .ag-row", timeout=30)
    headers = [h.text for h in duo.driver.find_elements(By.CSS_SELECTOR, "#table .ag-header-cell-text")]
    assert headers[:3] == ["Date", "Event", "Status"]
    first = duo.driver.find_element(By.CSS_SELECTOR, "#table .ag-row[row-index='0'] [col-id='title']").text
    assert first == "Kim Jong Un visits Beijing"  # September 2025 is the newest event of the fixture
    status = duo.driver.find_element(By.CSS_SELECTOR, "#table .ag-row[row-index='0'] [col-id='status']").text
    assert status == "Occurred"


def test_the_outlook_horizon_lives_in_the_url(start):
    duo, log = start(path="/?tab=outlook&months=3")
    duo.wait_for_element("#outlook-empty", timeout=30)
    assert "next 3 months" in duo.find_element("#outlook-empty").text
    duo.select_dcc_dropdown(f"#{ids.OUTLOOK_RANGE}", value="24")
    wait_until(lambda: query(duo).get("months") == ["24"])
    duo.wait_for_contains_text("#outlook-empty", "next 24 months", timeout=30)


def test_no_mode_bar_button_leaves_the_app_and_tooltips_speak_japanese(start):
    duo, _ = start(path="/?lang=ja")
    duo.wait_for_element("#timeline .modebar-btn", timeout=30)
    buttons = duo.driver.find_elements(By.CSS_SELECTOR, "#timeline .modebar-btn, #activity .modebar-btn")
    titles = [b.get_attribute("data-title") for b in buttons]
    assert not [x for x in titles if "Chart Studio" in x or "Plotly" in x or "cloud" in x.lower()], titles
    assert not duo.driver.find_elements(By.CSS_SELECTOR, ".modebar a[href]")  # no logo link out
    assert "ズーム" in titles and "軸をリセット" in titles, titles


def test_keyboard_opens_an_event_from_the_table_and_escape_closes_it(start):
    duo, _ = start(path="/?tab=table")
    cell = duo.wait_for_element("#table .ag-row[row-index='1'] [col-id='title']", timeout=30)
    duo.driver.execute_script("arguments[0].focus()", cell)  # as if reached with Tab and the arrow keys
    cell.send_keys(Keys.ENTER)
    duo.wait_for_text_to_equal("#detail-title", "Lee Jae-myung inaugurated as president", timeout=30)
    wait_until(lambda: query(duo).get("event") == ["2025-06-04-lee-inauguration"])
    duo.driver.switch_to.active_element.send_keys(Keys.ESCAPE)
    wait_until(lambda: not duo.driver.find_elements(By.CSS_SELECTOR, ".offcanvas.show"))
    wait_until(lambda: "event" not in query(duo))


def test_every_control_is_reachable_with_tab(start):
    duo, _ = start()
    reached = set()
    body = duo.find_element("body")
    body.click()
    for _ in range(90):
        duo.driver.switch_to.active_element.send_keys(Keys.TAB)
        element = duo.driver.switch_to.active_element
        reached.add(element.get_attribute("id") or element.get_attribute("value") or element.text)
    for expected in (ids.COPY, ids.QUERY, ids.DATE_FROM, ids.CLEAR, ids.COUNTRY, ids.tab_button("table")):
        assert expected in reached, (expected, sorted(x for x in reached if x))
    assert any("preset" in (x or "") for x in reached)  # the period buttons
    assert any("Export" in (x or "") for x in reached)


def test_accessibility_checker_finds_nothing_serious(start):
    assert AXE.is_file(), "axe-core is missing: run `bash tests/run.sh`, which installs it"
    duo, _ = start(path="/?country=KR,KP&lang=ja")
    duo.driver.execute_script(AXE.read_text(encoding="utf-8"))
    result = duo.driver.execute_async_script(
        "var done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations.map("
        "function (v) { return [v.id, v.impact, v.nodes.length, v.nodes.slice(0, 3).map(function (n) {"
        " return n.target.join(' '); })]; })); });")
    serious = [v for v in result if v[1] in ("serious", "critical")]
    assert serious == [], serious


def test_twenty_filter_changes_leave_no_console_errors(start):
    duo, _ = start()
    box = duo.find_element(f"#{ids.QUERY}")
    for i in range(20):
        box.clear()
        box.send_keys(["Kim", "Lee", "election", "", "beijing"][i % 5], Keys.ENTER)
        if i % 4 == 0:
            click(duo, f"#{ids.IMPORTANCE} input[value='{1 + i % 3}']")
    wait_until(lambda: "q" in query(duo))
    duo.wait_for_contains_text("#counter", "of 3 events", timeout=30)
    assert console_errors(duo) == []


def test_a_phone_gets_the_filters_behind_a_button_and_a_compact_chart(start):
    duo, _ = start()
    duo.driver.set_window_size(390, 844)
    duo.driver.get(duo.server_url + "/?lang=ja")
    duo.wait_for_contains_text("#counter", "3", timeout=30)
    panel = duo.find_element(".filters-panel")
    assert not panel.is_displayed()
    click(duo, f"#{ids.FILTERS_TOGGLE}")
    wait_until(panel.is_displayed)
    wait_until(lambda: not duo.driver.find_elements(By.CSS_SELECTOR, "#timeline .rangeslider-container"))
    width = duo.driver.execute_script("return document.documentElement.scrollWidth")
    assert width <= 400, width  # nothing wider than the screen
    duo.driver.set_window_size(1280, 900)


def test_a_chain_view_says_what_it_is(start):
    duo, _ = start(path="/?chain=2025-06-03-election&lang=ja")
    duo.wait_for_contains_text(f"#{ids.CHAIN_HEAD}", "に連なる2件の出来事", timeout=30)


def test_copy_link_confirms(start):
    duo, _ = start(path="/?lang=ja")
    click(duo, f"#{ids.COPY}")
    duo.wait_for_text_to_equal(f"#{ids.COPY_STATUS}", "コピーしました", timeout=20)
    assert re.search(r"lang=ja", duo.find_element(f"#{ids.SHARE_URL}").get_attribute("textContent"))
