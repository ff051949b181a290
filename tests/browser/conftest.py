import shutil

import pytest

from timeline.web.app import create_app

from ..conftest import DATA, TODAY


@pytest.fixture
def start(dash_duo, tmp_path):
    """Start the real app on a copy of a fixture log; return (dash_duo, path of the live log)."""

    def _start(name="valid.yaml", path=""):
        log = tmp_path / name
        shutil.copy(DATA / name, log)
        dash_duo.driver.set_window_size(1280, 1000)  # a desktop's width: the filters are beside the chart
        dash_duo.start_server(create_app(log, today=TODAY))
        if path:
            dash_duo.wait_for_element("#counter", timeout=20)
            dash_duo.driver.get(dash_duo.server_url + path)
        dash_duo.wait_for_contains_text("#counter", "3", timeout=20)
        # the page arrives with its chart and counter drawn; the table is filled by the first
        # callback: wait for it, so tests act on a page that has finished starting
        empty = "Showing 0 " in dash_duo.find_element("#counter").text
        dash_duo.wait_for_element("#table .ag-header-cell" if empty else "#table .ag-center-cols-container .ag-row",
                                  timeout=30)
        return dash_duo, log

    return _start


def markers(dash_duo):
    return dash_duo.driver.execute_script(
        "return document.querySelectorAll('#timeline .cartesianlayer .scatterlayer .point').length")


def console_errors(dash_duo):
    return [e for e in dash_duo.get_logs() or [] if e.get("level") == "SEVERE"]
