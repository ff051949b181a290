"""The Korean interface (a katakana search is in test_app.py)."""
from timeline.text import t
from timeline.web import ids

from .conftest import console_errors
from .test_app import click, wait_until


def test_the_korean_interface_speaks_korean_throughout(start):
    duo, _ = start(path="/?lang=ko")
    duo.wait_for_text_to_equal("#counter", "전체 3건 중 3건 표시", timeout=30)
    page = duo.find_element("body").text
    for key in ("app.title", "app.filters", "app.countries", "app.themes", "app.copy", "app.export",
                "app.timeline", "app.table", "app.outlook"):
        assert t(key, "ko") in page, key
    assert "Filters" not in page and "Showing" not in page
    wait_until(lambda: duo.driver.execute_script("return document.documentElement.lang") == "ko")
    assert duo.driver.title == t("app.title", "ko")
    click(duo, f"#{ids.tab_button('table')}")
    duo.wait_for_contains_text(f"#{ids.TABLE}", "날짜", timeout=30)  # column headings in Korean
    assert console_errors(duo) == []
