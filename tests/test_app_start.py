"""Starting the app never fails on the log's content: the last valid version, or the problems to fix."""
import json
import os
import subprocess
import sys
import time

from timeline.web.app import create_app

from .conftest import DATA, ROOT


def _layout(app) -> str:
    return app.server.test_client().get("/_dash-layout").get_data(as_text=True)


def test_an_invalid_log_with_no_valid_version_serves_what_to_fix_then_recovers(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "duplicate-id.yaml").read_text())
    app = create_app(log)
    client = app.server.test_client()
    assert client.get("/").status_code == 200
    layout = _layout(app)
    assert "[duplicate-id]" in layout and "no valid version of it has been read yet" in layout
    source = app.server.config["timeline_source"]
    source.min_interval = 0

    log.write_text((DATA / "valid.yaml").read_text())
    os.utime(log, ns=(time.time_ns() + 10**9,) * 2)
    current = source.current()
    assert len(current.events) == 3 and not current.stale and current.version
    assert "[duplicate-id]" not in _layout(app)


def test_a_restart_while_the_log_is_invalid_serves_the_last_valid_version(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    create_app(log)  # a worker read the valid file: the disk cache remembers it
    log.write_text((DATA / "valid.yaml").read_text().replace("events:", "events:\n  - id: [half-saved", 1))
    app = create_app(log)  # a worker restarted in the middle of a save
    current = app.server.config["timeline_source"].current()
    assert len(current.events) == 3 and current.stale and not current.empty
    layout = _layout(app)
    assert "[yaml-syntax]" in layout and "showing the last valid version" in layout


def test_a_fifo_or_a_device_is_never_opened_for_reading(tmp_path):
    fifo = tmp_path / "events.yaml"
    os.mkfifo(fifo)
    started = time.monotonic()
    for path in (fifo, "/dev/zero", tmp_path):
        app = create_app(path)  # a blocking open() of the FIFO would wait for a writer forever
        problems = app.server.config["timeline_source"].current().problems
        assert [p.code for p in problems] == ["file-not-found"] and "regular file" in problems[0].message
    assert time.monotonic() - started < 20


def test_app_py_starts_on_an_invalid_log_and_says_so_without_a_traceback():
    from timeline.devtools.serving import free_port, server_process

    port = free_port()
    with server_process([sys.executable, "app.py", "--events", str(DATA / "duplicate-id.yaml"), "--port",
                         str(port)], port) as proc:
        import http.client

        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/_dash-layout")
        response = conn.getresponse()
        assert response.status == 200 and "[duplicate-id]" in json.dumps(json.loads(response.read()))
        assert proc.poll() is None
    result = subprocess.run([sys.executable, "-c", "import app"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={**os.environ, "TIMELINE_EVENTS": str(DATA / "duplicate-id.yaml")})
    assert result.returncode == 0 and "Traceback" not in result.stderr


def test_the_banner_follows_the_current_problem_of_the_file(tmp_path):
    log = tmp_path / "events.yaml"
    good = (DATA / "valid.yaml").read_text()
    log.write_text(good)
    app = create_app(log)
    source = app.server.config["timeline_source"]
    source.min_interval = 0
    for n, (text, code) in enumerate([(good.replace("importance: 2", "importance: " + "9" * 5000), "number-too-large"),
                                      (good.replace("events:", "events:\n  - id: [half", 1), "yaml-syntax")]):
        log.write_text(text)
        os.utime(log, ns=(time.time_ns() + (n + 1) * 10**9,) * 2)
        current = source.current()
        assert current.stale and len(current.events) == 3 and [p.code for p in current.problems] == [code]
        assert f"[{code}]" in _layout(app)
