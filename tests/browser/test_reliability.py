"""Live edits of the log under a running app, and hostile text in every field."""
import time

from timeline.web import ids

from ..conftest import event_yaml
from .conftest import console_errors, markers
from .test_app import click, wait_until

NEW_EVENT = "\n" + event_yaml("2025-10-01-new-event", "2025-10-01", "A freshly added event", "新しく追加された出来事")


def test_live_reload_shows_new_events_and_keeps_the_last_good_ones(start):
    duo, log = start()
    duo.wait_for_text_to_equal("#counter", "Showing 3 of 3 events", timeout=30)
    good = log.read_text() + NEW_EVENT
    log.write_text(good)
    duo.wait_for_text_to_equal("#counter", "Showing 4 of 4 events", timeout=20)
    # a broken save: the app keeps serving the 4 good events and says what is wrong, where
    log.write_text(good.replace('date: "2025-10-01"', 'date: "2025-10-41"'))
    duo.wait_for_contains_text(f"#{ids.RELOAD_BANNER}", "bad-date", timeout=20)
    banner = duo.find_element(f"#{ids.RELOAD_BANNER}").text
    assert f"{log}:" in banner and "2025-10-new-event" not in banner
    assert duo.find_element("#counter").text == "Showing 4 of 4 events"
    # half-written file (a truncated save)
    log.write_text(good[: len(good) // 2])
    time.sleep(4)
    assert duo.find_element("#counter").text == "Showing 4 of 4 events"
    # fixed: the banner goes, the data stays current
    log.write_text(good.replace("A freshly added event", "A corrected event"))
    wait_until(lambda: duo.find_element(f"#{ids.RELOAD_BANNER}").text == "", timeout=20)
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "A corrected event", timeout=20)
    assert console_errors(duo) == []


def test_hostile_text_is_shown_literally_and_never_runs(start):
    duo, _ = start("hostile.yaml", path="/?event=2025-06-03-election")
    duo.wait_for_contains_text("#detail-title", "<script>window.__pwned=1</script>", timeout=20)
    body = duo.find_element(f"#{ids.DETAIL_BODY}").text
    assert 'onerror="window.__pwned=4"' in body and "javascript:window.__pwned=6" in body
    assert "<b onmouseover=window.__pwned=9>KBS</b>" in body
    # hover every marker, switch language, open the table: nothing may run anywhere
    for point in duo.driver.find_elements("css selector", "#timeline .cartesianlayer .scatterlayer .point"):
        duo.driver.execute_script(
            "arguments[0].dispatchEvent(new MouseEvent('mousemove', {bubbles: true}))", point)
    click(duo, f"#{ids.LANG} input[value='ja']")
    duo.wait_for_contains_text("#detail-title", "<script>window.__pwned=3</script>大統領選挙", timeout=30)
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "<script>window.__pwned=3</script>", timeout=30)
    assert duo.driver.execute_script("return window.__pwned === undefined")
    links = duo.driver.find_elements("css selector", f"#{ids.DETAIL_BODY} a[href]")
    for link in links:
        href = link.get_attribute("href")
        assert href.startswith(("http://", "https://")) or href.endswith("#"), href
        if link.get_attribute("target") == "_blank":
            assert link.get_attribute("rel") == "noopener noreferrer"
    assert markers(duo) == 5  # 4 event markers and the ring around the selected one


def test_security_headers(start):
    import urllib.request

    duo, _ = start()
    with urllib.request.urlopen(duo.server_url + "/") as response:
        headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] == "same-origin"
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert console_errors(duo) == []  # Dash works under the policy
