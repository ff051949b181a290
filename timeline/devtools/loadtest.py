"""A bounded load test of the dashboard served by gunicorn on loopback: `python -m timeline loadtest`.

N concurrent clients send filter changes to Dash's callback endpoint (the request the browser makes
when a filter changes), and GET requests to the read-only feeds and data API (GET_PATHS), for a fixed
time; a hard stop ends the run even if the server hangs. Only 127.0.0.1 is ever contacted.

With `exports=E`, E more clients ask for PNG exports of the view without pause (the request the
export menu makes) while one more loads the page (`GET /`) over and over: the page's latency is what
exports must not starve. The per-client export limit is lifted for the run (every client is
127.0.0.1), so the export queue and its "busy" answer are what is measured.
"""
from __future__ import annotations

import http.client
import json
import random
import statistics
import threading
import time
from pathlib import Path

from .serving import HOST, free_port, gunicorn

QUERIES = ["", "?country=KP", "?country=KR,JP", "?theme=japan-rok", "?from=2025-06", "?country=KP,RU&from=2024",
           "?q=summit", "?q=%EA%B9%80%EC%A0%95%EC%9D%80", "?importance=3", "?type=missile-launch&lang=ja",
           "?group=theme&from=2025-01&to=2025-12", "?status=scheduled,expected"]
# the read-only endpoints (timeline/web/api.py), each requested as often as one filter change
GET_PATHS = ["/outlook.ics?lang=ja", "/outlook.ics?country=KP&past=1", "/feed.atom", "/feed.atom?country=KR,JP&lang=ko",
             "/api/events.json?country=KP,RU&from=2024", "/api/events.csv?theme=japan-rok", "/api/vocab.json",
             "/embed?country=KR,JP&table=1"]


def callback_body(search: str, key: str) -> bytes:
    """The JSON body of the request the browser makes when the URL's query changes to `search`
    (`key`: the callback's output key, from render_key)."""
    outputs = [dict(zip(("id", "property"), part.rsplit(".", 1), strict=True))
               for part in key.strip(".").split("...")]
    return json.dumps({"output": key, "outputs": outputs, "changedPropIds": ["url.search"],
                       "state": [{"id": "prerendered", "property": "data", "value": None}],
                       "inputs": [{"id": "url", "property": "search", "value": search},
                                  {"id": "data-version", "property": "data", "value": None},
                                  {"id": "viewport", "property": "data", "value": "wide"}]}).encode()


def export_body(search: str, fmt: str = "png") -> bytes:
    """The JSON body of the request the export menu makes for format `fmt` of the view `search`."""
    item = {"fmt": fmt, "type": "export-item"}
    key = json.dumps(item, separators=(",", ":"), sort_keys=True)
    return json.dumps({"output": "..download.data...export-error.children..",
                       "outputs": [{"id": "download", "property": "data"},
                                   {"id": "export-error", "property": "children"}],
                       "changedPropIds": [f"{key}.n_clicks"],
                       "inputs": [[{"id": item, "property": "n_clicks", "value": 1}]],
                       "state": [{"id": "url", "property": "search", "value": search},
                                 {"id": "export-template", "property": "value", "value": "slide"}]}).encode()


def render_key(port: int) -> str:
    """The output key of the app's main callback (the one that redraws the timeline)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    return next(d["output"] for d in deps if d["output"].startswith("..timeline.figure"))


def _percentiles(values: list[float]) -> dict:
    lat = sorted(values)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else None  # noqa: E731
    return {"p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "mean_ms": statistics.mean(lat) * 1000 if lat else None}


class _Loop:
    """One client: the same kind of request over and over until `stop_at`, outcomes counted."""

    def __init__(self, port: int, stop_at: float, lock: threading.Lock):
        self.port, self.stop_at, self.lock = port, stop_at, lock
        self.latencies: list[float] = []
        self.outcomes: dict[str, int] = {}

    def run(self, request) -> None:
        conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
        while time.monotonic() < self.stop_at:
            start = time.perf_counter()
            try:
                outcome = request(conn)
            except Exception as exc:  # counted, never fatal: the run must finish and report
                outcome = type(exc).__name__
                conn.close()
                conn = http.client.HTTPConnection(HOST, self.port, timeout=60)
            with self.lock:
                if outcome == "ok":
                    self.latencies.append(time.perf_counter() - start)
                self.outcomes[outcome] = self.outcomes.get(outcome, 0) + 1
        conn.close()


def _get_page(conn) -> str:
    conn.request("GET", "/")
    response = conn.getresponse()
    response.read()
    return "ok" if response.status == 200 else f"HTTP {response.status}"


def _export(rng: random.Random):
    def request(conn) -> str:
        conn.request("POST", "/_dash-update-component", body=export_body(rng.choice(QUERIES)),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        data = response.read()
        if response.status != 200:
            return f"HTTP {response.status}"
        return "ok" if b'"download"' in data else "busy" if b'"export-error"' in data else "other"
    return request


def run(events: Path, workers: int = 4, clients: int = 50, seconds: float = 60, log=print, exports: int = 0,
        threads: int = 1) -> dict:
    port = free_port()
    env = {"TIMELINE_EXPORTS_PER_MINUTE": "1000000"} if exports else None
    with gunicorn(events, workers, port, threads=threads, env=env):
        key = render_key(port)
        requests = [("POST", "/_dash-update-component", callback_body(q, key)) for q in QUERIES]
        requests += [("GET", path, None) for path in GET_PATHS]
        latencies: list[float] = []
        errors: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + seconds

        def client(seed: int) -> None:
            rng = random.Random(seed)
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            while time.monotonic() < stop_at:
                method, path, body = rng.choice(requests)
                start = time.perf_counter()
                try:
                    conn.request(method, path, body=body, headers={"Content-Type": "application/json"} if body else {})
                    response = conn.getresponse()
                    data = response.read()
                    ok = response.status == 200 and (method == "GET" or b'"counter"' in data)
                    elapsed = time.perf_counter() - start
                    with lock:
                        if ok:
                            latencies.append(elapsed)
                        else:
                            errors.append(f"HTTP {response.status}")
                except Exception as exc:  # counted, never fatal: the run must finish and report
                    with lock:
                        errors.append(type(exc).__name__)
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=30)
            conn.close()

        log(f"load test: {clients} clients" + (f" and {exports} exporting" if exports else "") +
            f", {seconds:.0f} s, gunicorn with {workers} workers" + (f" x {threads} threads" if threads > 1 else "")
            + f", {events}")
        page, exporter = _Loop(port, stop_at, lock), _Loop(port, stop_at, lock)
        threads_ = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        if exports:
            threads_.append(threading.Thread(target=page.run, args=(_get_page,), daemon=True))
            threads_ += [threading.Thread(target=exporter.run, args=(_export(random.Random(100 + i)),), daemon=True)
                         for i in range(exports)]
        started = time.monotonic()
        for t in threads_:
            t.start()
        for t in threads_:  # hard stop: a hung request cannot hold the run past its end by more than 65 s
            t.join(timeout=max(0.0, stop_at + 65 - time.monotonic()))
        duration = time.monotonic() - started
    result = {"clients": clients, "workers": workers, "threads": threads, "seconds": round(duration, 1),
              "requests": len(latencies), "errors": len(errors), "error_kinds": sorted(set(errors)),
              "throughput_rps": len(latencies) / duration, **_percentiles(latencies)}
    if exports:
        result["exports"] = {"clients": exports, "outcomes": exporter.outcomes, **_percentiles(exporter.latencies)}
        result["page"] = {"requests": len(page.latencies), "outcomes": page.outcomes, **_percentiles(page.latencies)}
    return result


def format_result(r: dict) -> str:
    target = r["errors"] == 0 and r["p95_ms"] is not None and r["p95_ms"] < 500
    text = (f"{r['requests']} requests in {r['seconds']} s from {r['clients']} clients ({r['workers']} workers): "
            f"{r['throughput_rps']:.1f} req/s, p50 {_ms(r['p50_ms'])}, p95 {_ms(r['p95_ms'])}, "
            f"p99 {_ms(r['p99_ms'])}, errors {r['errors']} {r['error_kinds'] or ''}\n")
    if "exports" in r:  # the 500 ms target is for views alone; with exports, the page's latency is the target
        text += f"views during exports: zero errors {'PASS' if r['errors'] == 0 else 'FAIL'}"
    else:
        text += f"target (zero errors, p95 < 500 ms): {'PASS' if target else 'FAIL'}"
    if "exports" in r:
        e, p = r["exports"], r["page"]
        page_ok = p["p95_ms"] is not None and set(p["outcomes"]) == {"ok"} and p["p95_ms"] < 1000
        text += (f"\nexports: {e['clients']} clients, outcomes {e['outcomes']}, p50 {_ms(e['p50_ms'])}, "
                 f"p95 {_ms(e['p95_ms'])}\n"
                 f"GET / during exports: {p['requests']} requests, p50 {_ms(p['p50_ms'])}, p95 {_ms(p['p95_ms'])}, "
                 f"outcomes {p['outcomes']}\n"
                 f"target (every GET / answered, p95 < 1 s): {'PASS' if page_ok else 'FAIL'}")
    return text


def _ms(value) -> str:
    return "-" if value is None else f"{value:.0f} ms"
