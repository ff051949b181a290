"""/embed in a real headless Chromium: framed by a page of an allowed origin it draws the chart at the
frame's size; a page of another origin (and any page framing the app itself) is refused."""
import shutil
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from selenium.webdriver.common.by import By

from timeline.web.app import create_app

from ..conftest import DATA, TODAY
from .conftest import console_errors
from .test_app import wait_until

FRAMES = ('<!DOCTYPE html><html><body>'
          '<iframe id="embed" src="{app}/embed?country=KR&lang=ja" width="800" height="450"></iframe>'
          '<iframe id="app" src="{app}/" width="800" height="450"></iframe></body></html>')


def page_server(page: dict) -> ThreadingHTTPServer:
    """Serves page["html"] from its own loopback port (its own origin), in a thread."""

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802  (the name http.server calls)
            body = page["html"].encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server




@pytest.fixture
def framing(dash_duo, tmp_path, monkeypatch):
    """(dash_duo, URL of a page of the allowed origin, URL of a page of another origin); both pages
    frame /embed and the app's own page."""
    page = {"html": ""}
    allowed, other = page_server(page), page_server(page)
    monkeypatch.setenv("TIMELINE_EMBED_ORIGINS", f"http://127.0.0.1:{allowed.server_port}")
    log = tmp_path / "valid.yaml"
    shutil.copy(DATA / "valid.yaml", log)
    dash_duo.start_server(create_app(log, today=TODAY))
    page["html"] = FRAMES.format(app=dash_duo.server_url.rstrip("/"))
    yield dash_duo, f"http://127.0.0.1:{allowed.server_port}/", f"http://127.0.0.1:{other.server_port}/"
    for server in (allowed, other):
        server.shutdown()
        server.server_close()


def frame_has(duo, frame_id: str, selector: str) -> bool:
    driver = duo.driver
    driver.switch_to.default_content()
    driver.switch_to.frame(driver.find_element(By.ID, frame_id))
    try:
        return bool(driver.find_elements(By.CSS_SELECTOR, selector))
    finally:
        driver.switch_to.default_content()


def refusals(duo) -> list[str]:
    return [e["message"] for e in duo.get_logs() or [] if "frame-ancestors" in e.get("message", "")]


def test_embed_is_framed_by_the_allowed_origin_only(framing):
    duo, allowed, other = framing
    duo.driver.get(allowed)
    wait_until(lambda: frame_has(duo, "embed", "#chart .main-svg"))
    driver = duo.driver
    driver.switch_to.frame(driver.find_element(By.ID, "embed"))
    width = driver.execute_script("return document.querySelector('#chart .main-svg').getBoundingClientRect().width")
    link = driver.find_element(By.CSS_SELECTOR, "footer a")
    assert abs(width - 800) < 30  # sized to its frame
    assert link.text == "トラッカーで見る" and link.get_attribute("href").endswith("/?country=KR&lang=ja")
    driver.switch_to.default_content()
    # the app itself still refuses this origin
    wait_until(lambda: refusals(duo))
    assert not frame_has(duo, "app", "#counter")
    duo.driver.get(other)
    time.sleep(3)  # a refused frame never loads: give it the time the allowed one needed
    assert not frame_has(duo, "embed", "#chart") and not frame_has(duo, "app", "#counter")
    messages = refusals(duo)  # the embed's policy names the allowed origin; the app's names none
    assert any(f"frame-ancestors 'self' {allowed.rstrip('/')}\"" in m for m in messages)
    assert any("frame-ancestors 'self'\"" in m for m in messages)
    assert [e for e in console_errors(duo) if "frame-ancestors" not in e["message"]] == []
