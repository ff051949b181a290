"""The dashboard in a real headless Chromium against a real server (dash_duo)."""
import time
from urllib.parse import parse_qs, urlparse

from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from timeline.web import ids

from .conftest import console_errors, markers


def click(dash_duo, element):
    """Click through JS: Bootstrap's styled radios and overlays intercept Selenium's native click."""
    if isinstance(element, str):
        element = dash_duo.find_element(element)
    dash_duo.driver.execute_script("arguments[0].click()", element)


def query(dash_duo):
    return parse_qs(urlparse(dash_duo.driver.current_url).query)


def wait_until(check, timeout=30):
    end = time.time() + timeout
    while time.time() < end:
        if check():
            return True
        time.sleep(0.2)
    raise AssertionError("condition not met in time")


def test_page_loads_without_console_errors(start):
    duo, _ = start()
    duo.wait_for_text_to_equal("#counter", "Showing 3 of 3 events", timeout=30)
    wait_until(lambda: markers(duo) == 4)  # Kim's visit sits in two country lanes
    assert console_errors(duo) == []


def test_selecting_a_country_changes_counter_markers_and_url(start):
    duo, _ = start()
    duo.select_dcc_dropdown(f"#{ids.COUNTRY}", value="China")
    duo.wait_for_text_to_equal("#counter", "Showing 1 of 3 events", timeout=30)
    wait_until(lambda: markers(duo) == 2)
    wait_until(lambda: query(duo).get("country") == ["CN"])
    assert console_errors(duo) == []


def test_url_restores_the_view_and_follows_changes(start):
    duo, _ = start(path="/?country=KR&importance=3&lang=ja")
    duo.wait_for_text_to_equal("#counter", "全3件中2件を表示", timeout=30)
    assert "韓国" in duo.find_element(f"#{ids.COUNTRY}").text
    click(duo, f"#{ids.GROUP} input[value='theme']")
    wait_until(lambda: query(duo).get("group") == ["theme"])
    # "Copy link" copies this hidden text: it must follow the URL
    wait_until(lambda: duo.driver.execute_script(
        f"return document.getElementById('{ids.SHARE_URL}').textContent") == duo.driver.current_url)
    assert query(duo)["country"] == ["KR"] and query(duo)["lang"] == ["ja"]


def test_malformed_parameters_are_ignored_with_a_note(start):
    duo, _ = start(path="/?country=XX,KR&from=2025-99&foo=1")
    duo.wait_for_text_to_equal("#counter", "Showing 2 of 3 events", timeout=30)
    duo.wait_for_contains_text("#url-notes", "XX", timeout=30)
    assert "foo" in duo.find_element("#url-notes").text


def test_language_switch_changes_titles_and_labels(start):
    duo, _ = start()
    click(duo, f"#{ids.LANG} input[value='ja']")
    duo.wait_for_text_to_equal("#counter", "全3件中3件を表示", timeout=30)
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "大統領選挙", timeout=30)
    duo.wait_for_contains_text(".filters-panel", "国・地域", timeout=30)
    wait_until(lambda: query(duo).get("lang") == ["ja"])


def test_clicking_a_marker_opens_the_detail_with_sources(start):
    duo, _ = start(path="/?country=CN")
    wait_until(lambda: markers(duo) == 2)
    point = duo.driver.find_elements(By.CSS_SELECTOR, "#timeline .cartesianlayer .scatterlayer .point")[0]
    ActionChains(duo.driver).move_to_element(point).click().perform()
    duo.wait_for_text_to_equal("#detail-title", "Kim Jong Un visits Beijing", timeout=30)
    link = duo.find_element("#detail-sources a")
    assert link.get_attribute("href") == "https://www.reuters.com/example"
    assert link.get_attribute("target") == "_blank" and link.get_attribute("rel") == "noopener noreferrer"
    assert "Sep 2025" in duo.find_element(f"#{ids.DETAIL_BODY}").text
    wait_until(lambda: query(duo).get("event") == ["2025-09-kim-beijing"])


def test_table_row_and_related_link_select_events(start):
    duo, _ = start()
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "Lee Jae-myung inaugurated as president", timeout=30)
    cell = duo.driver.find_element(By.XPATH, "//div[@col-id='title' and contains(., 'Lee Jae-myung inaugurated')]")
    click(duo, cell)
    duo.wait_for_text_to_equal("#detail-title", "Lee Jae-myung inaugurated as president", timeout=30)
    click(duo, "#detail-related a")
    duo.wait_for_text_to_equal("#detail-title", "Snap presidential election", timeout=30)
    duo.wait_for_element("#chain-graph", timeout=30)
    # the chain becomes the view, so that it can be exported like any other
    click(duo, "#chain-view-link")
    duo.wait_for_text_to_equal("#counter", "Showing 2 of 3 events", timeout=30)
    wait_until(lambda: query(duo).get("chain") == ["2025-06-03-election"])


def test_searching_an_alias_finds_the_event(start):
    duo, _ = start()
    box = duo.find_element(f"#{ids.QUERY}")
    box.send_keys("이재명", Keys.ENTER)
    duo.wait_for_text_to_equal("#counter", "Showing 2 of 3 events", timeout=30)
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "Lee Jae-myung inaugurated as president", timeout=30)
    wait_until(lambda: query(duo).get("q") == ["이재명"])


def test_empty_result_offers_to_clear(start):
    duo, _ = start(path="/?country=JP")
    duo.wait_for_text_to_equal("#counter", "Showing 0 of 3 events", timeout=30)
    duo.wait_for_contains_text(f"#{ids.EMPTY}", "No events match", timeout=30)
    click(duo, f"#{ids.CLEAR_EMPTY}")
    duo.wait_for_text_to_equal("#counter", "Showing 3 of 3 events", timeout=30)


def test_export_downloads_from_the_app(start):
    import os

    duo, _ = start(path="/?country=KR")
    duo.wait_for_text_to_equal("#counter", "Showing 2 of 3 events", timeout=30)
    duo.find_element(".dropdown-toggle").click()
    duo.driver.find_element(By.XPATH, "//*[contains(@class,'dropdown-item') and contains(., 'Table (CSV)')]").click()
    folder = duo.download_path
    wait_until(lambda: any(f.endswith(".csv") for f in os.listdir(folder)), timeout=20)
    name = next(f for f in os.listdir(folder) if f.endswith(".csv"))
    assert name == "korea-timeline-2026-11-28-kr.csv"
    text = open(os.path.join(folder, name), encoding="utf-8").read()
    assert "2025-06-04-lee-inauguration" in text and "2025-09-kim-beijing" not in text


def test_outlook_view_lists_planned_events(start):
    duo, log = start()
    text = log.read_text().replace('status: occurred\n    sources:\n      - {title: Kim',
                                   'status: expected\n    sources:\n      - {title: Kim')
    text = text.replace('date: "2025-09"', 'date: "2027-01"').replace("id: 2025-09-kim-beijing",
                                                                     "id: 2027-01-kim-beijing")
    log.write_text(text)
    duo.wait_for_contains_text("#counter", "3", timeout=20)
    click(duo, "#tab-outlook")
    duo.wait_for_contains_text("#outlook-list", "Kim Jong Un visits Beijing", timeout=20)
    assert "Jan 2027" in duo.find_element("#outlook-list").text


def test_briefing_tab_shows_the_digest_and_copies_it(start):
    duo, _ = start(path="/?tab=briefing&lang=ja")
    duo.wait_for_contains_text(f"#{ids.BRIEFING}", "主な動き", timeout=30)
    assert duo.find_element(f"#{ids.tab_panel('briefing')}").is_displayed()
    assert "■" in duo.find_element(f"#{ids.BRIEFING}").text
    click(duo, f"#{ids.BRIEFING_COPY}")
    duo.wait_for_text_to_equal(f"#{ids.BRIEFING_COPY_STATUS}", "コピーしました", timeout=10)
    assert console_errors(duo) == []


def annotations(duo):
    return duo.driver.execute_script(
        "return Array.from(document.querySelectorAll('#timeline .annotation-text')).map(e => e.textContent)")


def test_labels_and_context_bands_come_from_the_url_and_the_controls(start):
    duo, _ = start(path="/?labels=5")
    wait_until(lambda: any("Kim Jong Un visits Beijing" in a for a in annotations(duo)))
    assert duo.find_element(f"#{ids.LABELS}").get_attribute("value") == "5"
    assert not any("Lee Jae-myung" == a for a in annotations(duo))  # no band yet
    click(duo, f"#{ids.BANDS}")
    wait_until(lambda: query(duo).get("bands") == ["1"])
    wait_until(lambda: "US–ROK exercises" in annotations(duo))
    box = duo.find_element(f"#{ids.LABELS}")
    box.send_keys(Keys.CONTROL, "a")
    box.send_keys(Keys.BACKSPACE, Keys.TAB)
    wait_until(lambda: "labels" not in query(duo))
    wait_until(lambda: not any("Kim Jong Un visits Beijing" in a for a in annotations(duo)))
    assert console_errors(duo) == []


def test_the_detail_panel_labels_its_event_on_the_timeline_and_takes_the_label_off(start):
    duo, _ = start(path="/?event=2025-09-kim-beijing")
    duo.wait_for_text_to_equal(f"#{ids.LABEL_TOGGLE}", "Label it on the timeline", timeout=30)
    assert not any("Kim Jong Un visits Beijing" in a for a in annotations(duo))
    click(duo, f"#{ids.LABEL_TOGGLE}")
    wait_until(lambda: query(duo).get("label") == ["2025-09-kim-beijing"])
    wait_until(lambda: any("Kim Jong Un visits Beijing" in a for a in annotations(duo)))
    duo.wait_for_text_to_equal(f"#{ids.LABEL_TOGGLE}", "Remove its label", timeout=30)
    click(duo, f"#{ids.LABEL_TOGGLE}")
    wait_until(lambda: "label" not in query(duo))
    wait_until(lambda: not any("Kim Jong Un visits Beijing" in a for a in annotations(duo)))
    assert console_errors(duo) == []


def test_evidence_filter_table_column_and_detail_line(start, claims_log):
    duo, log = start()
    log.write_text(claims_log.read_text(encoding="utf-8"), encoding="utf-8")
    duo.wait_for_element("#currency-through", timeout=30)  # the claims log (it states its coverage) is live
    duo.driver.get(duo.server_url + "/?evidence=claimed&event=2025-09-kim-beijing")
    duo.wait_for_text_to_equal("#counter", "Showing 1 of 3 events", timeout=30)
    duo.wait_for_text_to_equal("#detail-evidence", "Claimed (by KCNA)", timeout=30)
    assert duo.find_element(f"#{ids.EVIDENCE} input[value='claimed']").is_selected()
    click(duo, f"#{ids.EVIDENCE} input[value='confirmed']")
    wait_until(lambda: query(duo).get("evidence") == ["claimed,confirmed"])
    duo.wait_for_text_to_equal("#counter", "Showing 2 of 3 events", timeout=30)
    click(duo, "#tab-table")
    duo.wait_for_contains_text("#table .ag-center-cols-container", "Claimed (by KCNA)", timeout=30)
    click(duo, f"#{ids.LANG} input[value='ja']")
    duo.wait_for_contains_text("#detail-evidence", "一方の主張（主張：KCNA）", timeout=30)
    assert console_errors(duo) == []


def test_a_katakana_search_finds_ranks_and_marks_the_event(start):
    duo, _ = start(path="/?tab=table")
    box = duo.find_element(f"#{ids.QUERY}")
    box.send_keys("キム・ジョンウン", Keys.ENTER)
    duo.wait_for_text_to_equal("#counter", "Showing 1 of 3 events", timeout=30)
    duo.wait_for_text_to_equal("#table .ag-center-cols-container mark", "Kim Jong Un", timeout=30)
    duo.driver.get(duo.server_url + "/?q=%E9%87%91%E6%AD%A3%E6%81%A9&event=2025-09-kim-beijing&lang=ja")
    duo.wait_for_text_to_equal("#detail-title mark", "金正恩", timeout=30)
    assert duo.find_element("#detail-title").text == "金正恩が訪中"
    assert console_errors(duo) == []


def test_compare_tab_shows_the_comparison_of_the_view(start):
    duo, _ = start(path="/?tab=compare&lang=ja")
    duo.wait_for_element("#compare-graph .main-svg", timeout=30)
    wait_until(lambda: "前期間との比較" in duo.find_element("#compare-graph").text)
    assert "テーマ別" in duo.find_element("#compare-graph").text
    assert console_errors(duo) == []
    assert "韓国" in duo.find_element("#compare-heat").text
