"""The read-only endpoints on the app's server (timeline/web/api.py): same parameters as the app, the
same events as the command line, bounded, cached, and /embed the only page others may frame."""
import csv
import datetime as dt
import io
import json

import feedparser
import icalendar
import pytest

from timeline.cli import main
from timeline.devtools import loadtest
from timeline.web import api
from timeline.web.app import create_app

from .conftest import ROOT
from .test_feeds import FEED_LOG, PLANNED, check_timelinejs  # noqa: F401  (one fixture log for both)

REAL_LOG = ROOT / "events.yaml"
VIEWS = [("", []), ("country=KP,RU&from=2024", ["--country", "KP,RU", "--from", "2024"]),
         ("theme=japan-rok&importance=2", ["--theme", "japan-rok", "--min-importance", "2"]),
         ("q=%EA%B9%80%EC%A0%95%EC%9D%80", ["--query", "김정은"]),
         ("status=scheduled,expected&country=KR,JP&country_mode=all",
          ["--status", "scheduled,expected", "--country", "KR,JP", "--country-mode", "all"])]


@pytest.fixture(scope="module")
def client():
    return create_app(REAL_LOG, today=dt.date(2026, 11, 29)).server.test_client()


@pytest.fixture
def feed_client(tmp_path, monkeypatch):
    monkeypatch.setenv("TIMELINE_EMBED_ORIGINS", "https://news.example, javascript:alert(1), http://127.0.0.1:8050/")
    log = tmp_path / "feeds.yaml"
    log.write_text(FEED_LOG, encoding="utf-8")
    return create_app(log, today=dt.date(2026, 11, 29)).server.test_client()


def _cli_csv(args, capsys) -> str:
    # the API answers in date order, like `list --sort date` (list ranks by relevance for a query)
    assert main(["list", "--events", str(REAL_LOG), "--format", "csv", "--sort", "date", *args]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("query,args", VIEWS)
def test_api_csv_and_json_are_the_cli_list_of_the_same_filters(client, capsys, query, args):
    expected = _cli_csv(args, capsys)
    response = client.get(f"/api/events.csv?{query}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.get_data(as_text=True) == expected
    body = client.get(f"/api/events.json?{query}").get_json()
    rows = list(csv.DictReader(io.StringIO(expected)))
    assert body["total"] == len(rows) and body["next"] is None
    assert [{k: str(v) for k, v in e.items()} for e in body["events"]] == rows
    checked = len(rows)
    assert checked > 0 or query.startswith("status")


def test_api_json_carries_the_data_version_and_coverage(client):
    body = client.get("/api/events.json?country=KP").get_json()
    source = client.application.config["timeline_source"].current()
    assert body["version"] == source.version
    from timeline.load import log_updated
    from timeline.outlook import coverage_of

    cov = coverage_of(source.meta, source.events)
    assert body["coverage"] == {"events": len(source.events), "updated": log_updated(source.meta, source.events),
                                "first": source.events["date"].min(), "last": source.events["date"].max(),
                                "through": cov.through, "through_stated": cov.stated, "past_due": cov.past_due}
    assert body["coverage"]["through"] == source.meta["coverage"]["through"]


def test_api_pages_are_bounded_and_link_the_next(client):
    whole = client.get("/api/events.json").get_json()
    assert whole["total"] == len(whole["events"]) <= api.MAX_LIMIT
    first = client.get("/api/events.json?limit=50").get_json()
    assert first["count"] == 50 and first["next"].endswith("limit=50&offset=50")
    second = client.get(first["next"].replace("http://localhost", "")).get_json()
    assert [e["id"] for e in first["events"] + second["events"]] == [e["id"] for e in whole["events"][:100]]
    near_end = whole["total"] - 5
    csv_page = client.get(f"/api/events.csv?limit=10&offset={near_end}")
    assert csv_page.headers["X-Total-Count"] == str(whole["total"])
    assert len(list(csv.DictReader(io.StringIO(csv_page.get_data(as_text=True))))) == 5
    assert "Link" not in csv_page.headers and 'rel="next"' in client.get("/api/events.csv?limit=10").headers["Link"]


def test_bad_parameters_are_a_json_400_with_the_apps_notes(client):
    response = client.get("/api/events.json?country=XX&from=2025-13&limit=99999&lang=ja")
    assert response.status_code == 400
    notes = response.get_json()["notes"]
    assert notes == ["country の不明な値を無視しました：XX。",
                     "from='2025-13' は日付ではないため無視しました（YYYY、YYYY-MM、YYYY-MM-DD）。",
                     "limit='99999' を無視しました（使える値：1..5000）。"]
    for path in ("/outlook.ics?nope=1", "/feed.atom?group=x", "/embed?table=yes", "/api/events.csv?offset=-1"):
        assert client.get(path).status_code == 400, path


def test_responses_carry_an_etag_of_the_data_version_and_the_query(client):
    first = client.get("/api/events.json?country=KP")
    assert first.headers["Cache-Control"] == f"public, max-age={api.MAX_AGE}" and first.headers["ETag"]
    again = client.get("/api/events.json?country=KP", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and not again.data
    other = client.get("/api/events.json?country=KR")
    assert other.headers["ETag"] != first.headers["ETag"]


def test_vocab_json_lists_every_vocabulary(client):
    body = client.get("/api/vocab.json").get_json()
    assert body["countries"]["KP"]["ja"] == "北朝鮮" and body["countries"]["KP"]["ko"] == "북한"
    assert set(body) == {"countries", "themes", "types", "statuses", "relations"}


def test_outlook_ics_takes_the_apps_filters_and_language(feed_client):
    response = feed_client.get("/outlook.ics?country=JP&lang=ja")
    assert response.mimetype == "text/calendar"
    cal = icalendar.Calendar.from_ical(response.data)
    assert str(cal["X-WR-CALNAME"]) == "朝鮮半島情勢の予定：日本"
    events = {str(e["UID"]): e for e in cal.walk("VEVENT")}
    assert set(events) == {"2026-12-10-summit@korea-timeline", "2026-12-20-talks-postponed@korea-timeline"}
    assert str(events["2026-12-10-summit@korea-timeline"]["URL"]) == \
        "http://localhost/?event=2026-12-10-summit&lang=ja"
    everything = icalendar.Calendar.from_ical(feed_client.get("/outlook.ics?past=1").data)
    assert len(everything.walk("VEVENT")) == len(PLANNED) + 1


def test_feed_atom_over_http(feed_client):
    feed = feedparser.parse(feed_client.get("/feed.atom?country=KR&limit=2").get_data(as_text=True))
    assert not feed.bozo and len(feed.entries) == 2
    assert feed.feed.title == "Korean Peninsula event log: new and updated events (South Korea (ROK))"
    assert feed.entries[0].link == "http://localhost/?event=2025-06-04-lee-inauguration"


def test_only_embed_may_be_framed_and_only_by_the_configured_origins(feed_client):
    page = feed_client.get("/embed?country=KR&table=1&lang=ko")
    csp = page.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self' https://news.example http://127.0.0.1:8050;" in csp
    assert "javascript" not in csp and "X-Frame-Options" not in page.headers
    html = page.get_data(as_text=True)
    assert '<script src="/assets/plotly-custom.min.js">' in html and "cdn" not in html.lower()
    assert 'href="http://localhost/?country=KR&amp;lang=ko"' in html and "트래커에서 보기" in html
    assert "<table>" in html and "한일 정상회담(서울)" in html
    zoomed = feed_client.get("/embed?x0=2026-12-01&x1=2027-01-31").get_data(as_text=True)
    assert '"range":["2026-12-01","2027-01-31"]' in zoomed.replace(" ", "")
    for path in ("/", "/api/events.json", "/feed.atom"):
        response = feed_client.get(path)
        assert response.headers["X-Frame-Options"] == "SAMEORIGIN", path
        assert "frame-ancestors 'self';" in response.headers["Content-Security-Policy"], path


def test_embed_without_configured_origins_is_same_origin_only(tmp_path, monkeypatch):
    monkeypatch.delenv("TIMELINE_EMBED_ORIGINS", raising=False)
    log = tmp_path / "feeds.yaml"
    log.write_text(FEED_LOG, encoding="utf-8")
    page = create_app(log).server.test_client().get("/embed")
    assert "frame-ancestors 'self';" in page.headers["Content-Security-Policy"]
    assert json.loads(page.get_data(as_text=True).split('type="application/json">')[1].split("</script>")[0])["data"]


def test_the_load_test_requests_every_endpoint_successfully(client):
    assert {p.split("?")[0] for p in loadtest.GET_PATHS} >= set(api.ROUTES)
    for path in loadtest.GET_PATHS:
        assert client.get(path).status_code == 200, path


def test_the_export_menu_offers_the_new_formats(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "Calendar (iCalendar)" in layout and "Story timeline (TimelineJS)" in layout


def test_every_endpoint_and_parameter_is_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = [p for p in api.ROUTES if f"`{p}`" not in readme and f"**`{p}`**" not in readme]
    missing += [f"{p}=" for p in api.OWN_PARAMS if f"`{p}" not in readme]
    assert missing == [] and "TIMELINE_EMBED_ORIGINS" in readme and f"{api.MAX_LIMIT:,} events" in readme
