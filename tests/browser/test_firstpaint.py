"""The first paint in Chromium: the static chart of the first response is where the live chart draws,
with the same ticks, lane names and markers; it answers hovers before the page has booted; and it is
gone once the live chart is on screen."""
import shutil
import time

import numpy as np
import pytest

from timeline.web.app import create_app

from ..conftest import ROOT, TODAY

CENTRE = ("const c = r => [(r.left + r.right) / 2, (r.top + r.bottom) / 2];"
          "const texts = (root, sel) => [...root.querySelectorAll(sel)].filter(t => t.getClientRects().length)"
          ".map(t => [t.textContent, c(t.getBoundingClientRect())]);")  # shown ones only (one tick set is)
STATIC = CENTRE + """
return {ticks: texts(document, '.fp-ticks text:not([font-size])'), top: texts(document, '.fp-ticks text[font-size]'),
        lanes: texts(document, '.fp-lanes text'),
        marks: [...document.querySelectorAll('.fp-chart [data-i]')].map(u => c(u.getBoundingClientRect()))};"""
LIVE = CENTRE + """
const g = document.querySelector('#timeline');
return {ticks: texts(g, '.xtick text'), top: texts(g, '.x2tick text'), lanes: texts(g, '.ytick text'),
        marks: [...g.querySelectorAll('.cartesianlayer .scatterlayer .point')]
               .map(u => c(u.getBoundingClientRect()))};"""
LIVE_SHOWN = ("const g = document.querySelector('#timeline .js-plotly-plot');"
              "return !!(g && g._fullData && g._fullData.length > 1 && g.querySelector('.scatterlayer .point'))"
              " && !document.querySelector('.fp-over, #first-paint');")


@pytest.fixture
def served(dash_duo, tmp_path):
    log = tmp_path / "events.yaml"
    shutil.copy(ROOT / "events.yaml", log)
    dash_duo.driver.set_window_size(1280, 1000)
    dash_duo.start_server(create_app(log, today=TODAY))
    return dash_duo


def _wait(driver, script: str, timeout: float = 30):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if driver.execute_script(script):
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out: {script}")


def _static_only(driver, url: str):
    """The page as it is before any of its scripts loaded (they are blocked): the first paint alone."""
    driver.execute_cdp_cmd("Network.enable", {})
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*_dash-component-suites*", "*/assets/*.js*"]})
    driver.get(url)
    _wait(driver, "return document.querySelectorAll('.fp-chart [data-i]').length > 0")


def _unblock(driver):
    driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
    driver.get("about:blank")


@pytest.mark.parametrize("path, width", [("/?lang=ja&labels=3&bands=1", 1280), ("/?country=KP&from=2025-09", 1280),
                                         ("/?lang=en&x0=2025-03-01&x1=2025-05-20", 1280), ("/?lang=ko", 720)])
def test_the_live_chart_draws_exactly_over_the_first_paint(served, path, width):
    driver = served.driver
    driver.set_window_size(width, 1000)  # 720: below the breakpoint, a narrower plot with fewer date ticks
    _static_only(driver, served.server_url + path)
    static = driver.execute_script(STATIC)
    _unblock(driver)
    driver.get(served.server_url + path)
    _wait(driver, LIVE_SHOWN)
    live = driver.execute_script(LIVE)
    for part in ("ticks", "top", "lanes"):
        assert [text for text, _ in static[part]] == [text for text, _ in live[part]], part
        gaps = [np.hypot(a[0] - b[0], a[1] - b[1]) for (_, a), (_, b) in zip(static[part], live[part], strict=True)]
        assert max(gaps) <= 1.5, (part, max(gaps))
    left, right = driver.execute_script(
        "const r = document.querySelector('#timeline .nsewdrag').getBoundingClientRect(); return [r.left, r.right];")
    mine, theirs = (np.array([m for m in marks if left <= m[0] <= right]) for marks in (static["marks"], live["marks"]))
    assert len(mine) == len(theirs) > 10
    nearest = np.sqrt(((mine[:, None, :] - theirs[None, :, :]) ** 2).sum(-1)).min(axis=1)
    assert nearest.max() <= 1.5


def test_the_first_paint_answers_a_hover_before_the_page_has_booted(served):
    driver = served.driver
    _static_only(driver, served.server_url + "/?lang=ja&country=KP")
    assert driver.execute_script("return !document.querySelector('#timeline')")  # nothing of Dash ran
    text = driver.execute_script("""
        const u = document.querySelector('.fp-chart [data-i]'), r = u.getBoundingClientRect();
        u.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + 2, clientY: r.top + 2, bubbles: true}));
        const tip = document.querySelector('.fp-tip');
        return tip.hidden ? null : tip.textContent;""")
    expected = driver.execute_script(
        "const d = JSON.parse(document.getElementById('fp-data').textContent);"
        "const i = +document.querySelector('.fp-chart [data-i]').getAttribute('data-i');"
        "const div = document.createElement('div'); div.innerHTML = d.hover[i]; return div.textContent;")
    assert text and text == expected
    # a click before the page has booted is remembered in the address: the live page opens that event
    clicked = driver.execute_script(
        "const u = document.querySelector('.fp-chart [data-i]');"
        "u.dispatchEvent(new MouseEvent('click', {bubbles: true}));"
        "return JSON.parse(document.getElementById('fp-data').textContent).ids[+u.getAttribute('data-i')];")
    assert f"event={clicked}" in driver.execute_script("return location.search") and "country=KP" in \
        driver.execute_script("return location.search")
    _unblock(driver)


def test_the_first_paint_is_gone_once_the_live_chart_is_on_screen(served):
    driver = served.driver
    driver.get(served.server_url + "/?lang=ko")
    _wait(driver, LIVE_SHOWN)
    assert driver.execute_script("return document.querySelectorAll('.fp-chart, .fp-tip, #first-paint').length") == 0
    # the live page works as before: its filter panel is not covered
    assert served.find_element("#query").is_displayed()
    assert not [e for e in served.get_logs() or [] if e.get("level") == "SEVERE"]


def test_the_first_paint_waits_for_the_live_chart_but_never_covers_another_tab(served):
    """The hand-over, with the live page stood in for (its scripts are blocked): a live timeline that
    has not drawn yet keeps the first paint's chart; one whose tab is not shown clears it."""
    driver = served.driver
    _static_only(driver, served.server_url + "/?lang=en")
    add = ("const panel = document.createElement('div'); panel.hidden = arguments[0];"
           "panel.innerHTML = '<div id=\"timeline-wrap\"><div id=\"timeline\" style=\"height:600px\"></div></div>';"
           "document.body.appendChild(panel);")
    driver.execute_script(add, False)
    time.sleep(0.5)
    assert driver.execute_script("return document.querySelectorAll('.fp-chart').length") == 1
    driver.execute_script("document.getElementById('timeline-wrap').parentNode.hidden = true;")
    _wait(driver, "return document.querySelectorAll('.fp-chart, #first-paint').length === 0", 5)
    _unblock(driver)
