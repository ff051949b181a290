"""A bounded load test of the dashboard served by gunicorn on loopback: `python -m timeline loadtest`.

N concurrent clients send filter changes to Dash's callback endpoint (the request the browser makes
when a filter changes), and GET requests to the read-only feeds and data API (GET_PATHS), for a fixed
time; a hard stop ends the run even if the server hangs. Only 127.0.0.1 is ever contacted.
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


def render_key(port: int) -> str:
    """The output key of the app's main callback (the one that redraws the timeline)."""
    conn = http.client.HTTPConnection(HOST, port, timeout=30)
    conn.request("GET", "/_dash-dependencies")
    deps = json.loads(conn.getresponse().read())
    return next(d["output"] for d in deps if d["output"].startswith("..timeline.figure"))


def run(events: Path, workers: int = 4, clients: int = 50, seconds: float = 60, log=print) -> dict:
    port = free_port()
    with gunicorn(events, workers, port):
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

        log(f"load test: {clients} clients, {seconds:.0f} s, gunicorn with {workers} workers, {events}")
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
        started = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:  # hard stop: a hung request cannot hold the run past its end by more than 35 s
            t.join(timeout=max(0.0, stop_at + 35 - time.monotonic()))
        duration = time.monotonic() - started
    lat = sorted(latencies)
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] * 1000 if lat else None  # noqa: E731
    return {"clients": clients, "workers": workers, "seconds": round(duration, 1), "requests": len(lat),
            "errors": len(errors), "error_kinds": sorted(set(errors)), "throughput_rps": len(lat) / duration,
            "p50_ms": pct(0.50), "p95_ms": pct(0.95), "p99_ms": pct(0.99),
            "mean_ms": statistics.mean(lat) * 1000 if lat else None}


def format_result(r: dict) -> str:
    target = r["errors"] == 0 and r["p95_ms"] is not None and r["p95_ms"] < 500
    return (f"{r['requests']} requests in {r['seconds']} s from {r['clients']} clients ({r['workers']} workers): "
            f"{r['throughput_rps']:.1f} req/s, p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, "
            f"p99 {r['p99_ms']:.0f} ms, errors {r['errors']} {r['error_kinds'] or ''}\n"
            f"target (zero errors, p95 < 500 ms): {'PASS' if target else 'FAIL'}")
