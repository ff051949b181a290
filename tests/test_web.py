"""The app's limits: bounded requests, crafted callback bodies, exports that cannot starve the views."""
import json
import logging
import threading
import time

import pytest

from timeline.devtools.loadtest import callback_body, export_body
from timeline.web import guard, memo
from timeline.web.app import create_app

from .conftest import DATA


@pytest.fixture
def app(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    return create_app(log)


@pytest.fixture
def client(app):
    return app.server.test_client()


@pytest.fixture
def key(client):
    deps = json.loads(client.get("/_dash-dependencies").data)
    return next(d["output"] for d in deps if d["output"].startswith("..timeline.figure"))


def post(client, body: bytes):
    return client.post("/_dash-update-component", data=body, content_type="application/json")


def _with_search(key, value) -> bytes:
    body = json.loads(callback_body("?country=KR", key))
    body["inputs"][0]["value"] = value
    return json.dumps(body).encode()


def test_a_normal_callback_still_answers(client, key):
    response = post(client, callback_body("?country=KR", key))
    assert response.status_code == 200 and "Showing 2 of 3 events" in response.get_data(as_text=True)


@pytest.mark.parametrize("raw", [b"null", b"[]", b"{", b'"x"', b"1e308", b'{"output": 5, "outputs": []}',
                                 b'{"output": "x", "outputs": [], "inputs": null}'])
def test_crafted_bodies_are_a_short_400_without_a_traceback(client, caplog, raw):
    with caplog.at_level(logging.WARNING):
        response = post(client, raw)
    assert response.status_code == 400 and len(response.get_data()) < 200 and "error" in response.get_json()
    assert not any(r.exc_info for r in caplog.records)


@pytest.mark.parametrize("value", [1e308, 5, [1], {"a": 1}, True, "?q=" + "x" * 9000])
def test_inputs_of_the_wrong_type_or_longer_than_a_link_are_refused_before_work(app, client, key, caplog, value):
    before = _memo_entries(app)
    with caplog.at_level(logging.WARNING):
        response = post(client, _with_search(key, value))
    assert response.status_code == 400 and not any(r.exc_info for r in caplog.records)
    assert _memo_entries(app) == before  # nothing was rendered


def _memo_entries(app) -> int:
    view = app.server.config["timeline_view"]
    return view.memo.info()["entries"]


def test_values_a_callback_cannot_use_are_a_400_not_a_500(client, caplog):
    deps = json.loads(client.get("/_dash-dependencies").data)
    sync = next(d for d in deps if d["output"].startswith("..url.search"))
    inputs = [{"id": i["id"], "property": i["property"], "value": None} for i in sync["inputs"]]
    months = next(i for i in inputs if i["id"] == "outlook-range")
    months["value"] = "not-a-number"
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in sync["output"].strip(".").split("...")]
    for given in ([], outputs):  # Dash's own check of the outputs, then the callback's int("not-a-number")
        body = {"output": sync["output"], "outputs": given, "inputs": inputs, "state": [],
                "changedPropIds": ["outlook-range.value"]}
        with caplog.at_level(logging.WARNING):
            response = post(client, json.dumps(body).encode())
        assert response.status_code == 400 and not any(r.exc_info for r in caplog.records)
        assert "cannot use these inputs" in response.get_json()["error"]


def test_a_body_over_the_limit_is_413(client):
    response = post(client, b" " * (guard.MAX_BODY_BYTES + 1))
    assert response.status_code == 413


def test_an_unknown_component_suite_path_is_404(client):
    page = client.get("/").get_data(as_text=True)
    known = page.split('src="', 2)[1].split('"')[0]
    assert "_dash-component-suites" in known and client.get(known).status_code == 200
    for path in ("/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js",
                 "/_dash-component-suites/os/x.js", "/_dash-component-suites/dash/../app.py"):
        assert client.get(path).status_code == 404, path


def test_the_view_memo_is_bounded_in_bytes_and_entries():
    calls = []

    @memo.bounded(max_entries=3, max_bytes=100, weigh=len)
    def make(n: int) -> str:
        calls.append(n)
        return "x" * n

    for n in (40, 40, 50, 30):  # 40 + 50 + 30 > 100: the first out
        make(n)
    assert make.info() == {"entries": 2, "bytes": 80} and calls == [40, 50, 30]
    make(200)  # heavier than the whole memo: returned, never kept
    assert make.info() == {"entries": 2, "bytes": 80}
    for n in (1, 2, 3):
        make(n)
    assert make.info()["entries"] == 3


def test_the_export_gate_has_slots_a_bounded_queue_and_a_rate_limit():
    gate = guard.ExportGate(slots=1, waiting=1, timeout=0.2, per_minute=3)
    release = threading.Event()
    entered = threading.Event()

    def hold():
        with gate.admit("a"):
            entered.set()
            release.wait(5)

    holder = threading.Thread(target=hold)
    holder.start()
    entered.wait(5)
    started = time.monotonic()
    with pytest.raises(guard.Busy):  # one waits for the slot, up to the timeout
        with gate.admit("b"):
            pass
    assert 0.15 < time.monotonic() - started < 2
    release.set()
    holder.join()
    with gate.admit("a"):
        pass
    with gate.admit("a"):
        pass
    with pytest.raises(guard.RateLimited) as info:  # a's fourth export this minute
        with gate.admit("a"):
            pass
    assert 1 <= info.value.retry_after <= 61
    with gate.admit("c"):  # others are not limited by a
        pass


def test_a_busy_server_and_a_rate_limit_are_said_to_the_user(app, client):
    gate = app.server.config["timeline_export_gate"]
    gate.per_minute = 1
    assert '"download"' in post(client, export_body("?country=KR", "csv")).get_data(as_text=True)
    text = post(client, export_body("?country=KR&lang=ja", "csv")).get_data(as_text=True)
    assert "書き出しが多すぎます" in text
    gate.per_minute, gate.slots, gate.waiting = 100, 0, 0
    text = post(client, export_body("?country=KR&lang=ko", "csv")).get_data(as_text=True)
    assert "다른 내보내기를 처리하는 중입니다" in text


def test_an_unexpected_export_failure_is_a_message_not_a_500(app, client, monkeypatch):
    from timeline import export

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(export, "export_bytes", broken)
    response = post(client, export_body("?country=KR", "csv"))
    assert response.status_code == 200 and "Export failed" in response.get_data(as_text=True)


def test_a_pptx_of_a_view_with_a_very_long_title_is_made(app, client, monkeypatch):
    from timeline import export

    from .test_export import _tiny_png

    monkeypatch.setattr(export, "render_image", lambda *a, **k: _tiny_png())
    all_countries = ",".join(sorted(app.server.config["timeline_source"].vocab.countries))
    response = post(client, export_body(f"?country={all_countries}", "pptx"))
    text = response.get_data(as_text=True)
    assert response.status_code == 200 and '"download"' in text, text[:300]


def test_the_briefing_tab_is_the_views_digest_as_text(tmp_path):
    from timeline.query import ViewState, state_from_query
    from timeline.source import LogSource
    from timeline.web.callbacks import briefing_text

    from .conftest import TODAY
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    source = LogSource(log)
    state, notes = state_from_query("?tab=briefing&lang=ja&country=KR", source.vocab)
    assert notes == [] and state.tab == "briefing"
    text = briefing_text(source, state, TODAY)
    assert "主な動き" in text.splitlines()[0]
    assert "李在明" in text or "イ・ジェミョン" in text
    assert briefing_text(source, ViewState(lang="en"), TODAY).splitlines()[0].endswith("key developments")


def test_the_table_and_the_detail_say_how_an_event_is_established(claims_log):
    from timeline.load import load_events, load_vocab
    from timeline.tables import evidence_label, grid_rows
    from timeline.web.detail import detail_body

    vocab = load_vocab()
    events = load_events(claims_log, vocab)
    rows = {r["id"]: r["evidence"] for r in grid_rows(events, vocab, "en")}
    assert rows["2025-09-kim-beijing"] == "Claimed (by KCNA)" and rows["2025-06-03-election"] == "Confirmed"
    assert rows["2025-06-04-lee-inauguration"] == ""
    assert evidence_label("claimed", "KCNA", vocab, "ja") == "一方の主張（主張：KCNA）"
    body = str(detail_body(events, "2025-09-kim-beijing", vocab, "ko"))
    assert "일방의 주장(주장: KCNA)" in body


def test_with_a_search_the_table_is_ranked_and_marks_the_words_found():
    from timeline.load import load_events, load_vocab
    from timeline.query import Filters, filter_events
    from timeline.web.callbacks import column_defs, table_rows
    from timeline.web.detail import detail_body

    vocab = load_vocab()
    events = load_events(DATA / "valid.yaml", vocab)
    found = filter_events(events, Filters(query="election"), vocab)
    rows = table_rows(found, vocab, "en", "election")
    # the election (in its title) before the newer inauguration (only in its summary)
    assert [r["id"] for r in rows] == ["2025-06-03-election", "2025-06-04-lee-inauguration"]
    assert rows[0]["title"][slice(*rows[0]["title_marks"][0])].lower() == "election" and rows[1]["title_marks"] == []
    assert "sort" not in column_defs("en", ranked=True)[0] and column_defs("en")[0]["sort"] == "desc"
    assert not any("relevance" in r or "title_marks" in r for r in table_rows(found, vocab, "en", ""))
    title = detail_body(events, "2025-09-kim-beijing", vocab, "ja", "キム・ジョンウン")[0]
    assert [type(c).__name__ for c in title.children] == ["Mark", "str"] and title.children[0].children == "金正恩"
