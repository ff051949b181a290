"""The performance benchmark: `python -m timeline bench`.

Everything is measured in one run on the same synthetic logs, so ratios are meaningful on a noisy
shared machine. Memory is the peak resident size of a fresh process that does only that load. The
floor is `json.loads` of the same events as JSON: the cost of just reading the data. Browser times
come from the same headless Chromium for our app and for the peers (vis-timeline, TimelineJS).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .loadtest import callback_body
from .serving import ROOT, serve_app, serve_folder

PEERS_DIR = ROOT / "bench" / "peers"        # git-ignored: npm installs the peers here
PEER_PACKAGES = {"vis-timeline": "vis-timeline@8", "timelinejs": "@knight-lab/timelinejs@3"}

# (target, metric key, events, upper limit in the metric's unit)
TARGETS = [
    ("10,000 events cold load+validate <= 1.5 s", "cold_load_s", 10000, 1.5),
    ("100,000 events warm load <= 1 s", "warm_load_s", 100000, 1.0),
    ("100,000 events peak memory (warm load) <= 1 GB", "warm_peak_mb", 100000, 1024),
    ("100,000 events filter+figure <= 200 ms", "filter_figure_ms", 100000, 200),
    ("browser first draw at 10,000 events <= 2.5 s", "browser_first_draw_s", 10000, 2.5),
    ("browser filter-to-redraw at 10,000 events <= 1 s", "browser_redraw_s", 10000, 1.0),
]


def _best(fn, repeat: int, warm: bool = False) -> tuple[float, object]:
    """Best time of `repeat` calls (after one untimed call when `warm`: first-use costs aside)."""
    if warm:
        fn()
    best, value = float("inf"), None
    for _ in range(repeat):
        start = time.perf_counter()
        value = fn()
        best = min(best, time.perf_counter() - start)
    return best, value


def _child(measure: str, *args) -> dict:
    """One measurement of `measure.py` in a fresh Python: {"s": seconds, "peak_mb": MB}."""
    out = subprocess.run([sys.executable, "-m", "timeline.devtools.measure", measure, *map(str, args)],
                         capture_output=True, text=True, cwd=ROOT, timeout=900)
    if out.returncode:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def measure_size(n: int, folder: Path, repeat: int, log=print) -> dict:
    """Library-level figures for a log of n events (no browser)."""
    from plotly.io.json import to_json_plotly  # what Dash serialises figures with

    from .. import export, figures
    from ..load import load_vocab, parse_log, read_log
    from ..query import Filters, filter_events
    from ..source import settle_heap
    from .synth import synth_log

    vocab = load_vocab()
    path = folder / f"synth-{n}.yaml"
    if not path.exists():
        path.write_text(synth_log(n, 1, vocab), encoding="utf-8")
    r: dict = {"events": n, "file_mb": round(path.stat().st_size / 1e6, 1)}
    cache = folder / f"cache-{n}"
    shutil.rmtree(cache, ignore_errors=True)

    # the floor: the same events as JSON, read with json.loads (fresh process, collector paused, as ours)
    json_path = folder / f"synth-{n}.json"
    if not json_path.exists():
        records, *_ = parse_log(path.read_bytes(), str(path))
        json_path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
        del records
    r["json_loads_s"] = _child("json-loads", json_path, "--repeat", max(repeat, 9))["s"]  # a steady floor
    cold = _child("cold-load", path, "--cache", cache)
    r["cold_load_s"], r["cold_peak_mb"] = cold["s"], cold["peak_mb"]
    if n <= 10000:  # best of three cold loads where it is cheap (also in --quick: the machine is noisy)
        for _ in range(max(repeat, 3) - 1):
            r["cold_load_s"] = min(r["cold_load_s"], _child("cold-load", path)["s"])
    warm = _child("warm-load", path, "--cache", cache, "--repeat", repeat, "--events", n)
    r["warm_load_s"], r["warm_peak_mb"] = warm["s"], warm["peak_mb"]
    r["floor_ratio"] = r["cold_load_s"] / r["json_loads_s"]
    log(f"  {n:>7,} events: loads measured")

    df = read_log(path, vocab, cache=cache).events
    settle_heap()  # as the app does with the log it serves (LogSource)
    flt = Filters(date_from="2020-01", countries=("KP", "RU"), min_importance=2)
    r["filter_ms"], sub = _best(lambda: filter_events(df, flt, vocab), max(repeat, 3), warm=True)
    r["filter_ms"] *= 1000
    r["filtered_events"] = len(sub)
    # as the app builds them: plain dicts (the Figure objects are for exports and notebooks)
    r["figure_ms"], figs = _best(lambda: (figures.timeline_figure(sub, vocab, as_dict=True),
                                          figures.activity_figure(sub, vocab, as_dict=True)),
                                 max(repeat, 3), warm=True)
    r["figure_ms"] *= 1000
    r["filter_figure_ms"] = r["filter_ms"] + r["figure_ms"]
    r["json_sent_mb"] = round(sum(len(to_json_plotly(f)) for f in figs) / 1e6, 2)
    r["callback_ms"] = _callback_round_trip(path, repeat) * 1000
    log(f"  {n:>7,} events: filter, figure and callback measured")
    briefing = export.Briefing(sub, vocab, flt)
    try:
        export.export_bytes(briefing, "png")
        r["png_export_s"], _ = _best(lambda: export.export_bytes(briefing, "png"), min(repeat, 2))
    except export.ExportError as exc:
        r["png_export_s"] = None
        r["png_export_error"] = str(exc)
    log(f"  {n:>7,} events: PNG export measured")
    return r


def _callback_round_trip(path: Path, repeat: int) -> float:
    """A filter change through Dash's HTTP endpoint (Flask test client): request, callback, JSON."""
    from ..web.app import create_app

    app = create_app(path)
    client = app.server.test_client()
    client.get("/")
    key = next(k for k in app.callback_map if k.startswith("..timeline.figure"))

    def call():
        body = json.loads(callback_body("?country=KP,RU&from=2020-01&importance=2", key))
        response = client.post("/_dash-update-component", json=body)
        assert response.status_code == 200, response.data[:300]
        return len(response.data)

    best, _ = _best(call, repeat, warm=True)
    return best


# -- browser ------------------------------------------------------------------------------------------

def browser():
    """Headless Chromium (selenium) that records paint times in the page (see PAINT_MARKS)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    options = Options()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1280,800",
                "--disable-background-networking", "--no-first-run", "--disable-extensions", "--use-gl=swiftshader",
                "--enable-unsafe-swiftshader",
                # a page left for the next load must not keep running (the app's reload timer, its charts)
                # in the back-forward cache, on the same two cores as the page being measured
                "--disable-back-forward-cache", "--disable-features=BackForwardCache"):
        options.add_argument(arg)
    chromium = shutil.which("chromium") or os.environ.get("BROWSER_PATH")
    if chromium:
        options.binary_location = chromium
    driver = webdriver.Chrome(service=Service(shutil.which("chromedriver") or "chromedriver"), options=options)
    driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": PAINT_MARKS})
    return driver


# Times taken inside the page, in ms since its navigation started: the frame painted after a chart
# was drawn (ours: Plotly's afterplot with the events in; peers: their own "drawn" signal) and the
# Enter key of a search. Polling from outside would add whatever else the page does next.
# `first`: the first frame painted with a chart of the events on screen (ours: the first paint's
# static chart, or the live one, whichever comes first; peers: their drawn chart). `interactive`:
# the first frame after a hover over a marker got its tooltip (from the moment markers are in the
# page, a mouse move is sent to one in every frame until the first paint's tooltip, or Plotly's
# hover label, is shown; the next frame's start is after it was painted).
PAINT_MARKS = r"""
window.__marks = {plots: []};
// two frames: the second starts after the first, with the chart in it, was painted
const paint = (f) => requestAnimationFrame(() => requestAnimationFrame(() => f(performance.now())));
const first = () => { if (!window.__marks.firstSeen) { window.__marks.firstSeen = true; requestAnimationFrame(probe);
  paint(t => { window.__marks.first = t; window.__marks.js = jsBytes(); }); } };
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__marks.enter = performance.now(); }, true);
let drawn;
Object.defineProperty(window, '__drawn', {configurable: true, get() { return drawn; },
  set(v) { drawn = v; if (v && !window.__marks.drawn) { first(); paint(t => { window.__marks.drawn = t; }); } }});
const ran = new Set();  // scripts run so far (a script's load event comes after it ran)
document.addEventListener('load', e => { if (e.target.tagName === 'SCRIPT' && e.target.src) ran.add(e.target.src); },
                          true);
function jsBytes() {  // scripts run (decoded size) and inline scripts run so far
  const loaded = performance.getEntriesByType('resource').filter(e => ran.has(e.name))
    .reduce((n, e) => n + (e.decodedBodySize || 0), 0);
  const inline = [...document.querySelectorAll('script:not([src])')].filter(s => !s.type ||
    s.type.includes('javascript')).reduce((n, s) => n + s.textContent.length, 0);
  return loaded + inline;
}
function target() {  // a marker on screen: the first paint's, or the live chart's (SVG or WebGL)
  const use = document.querySelector('.fp-chart [data-i]');
  if (use) { const r = use.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }
  const g = document.querySelector('#timeline .js-plotly-plot');
  if (!g || !g._fullLayout || !g._fullData) return null;
  const t = g._fullData.find(d => d.mode === 'markers' && d.hoverinfo !== 'skip' && d.x && d.x.length > 0 &&
                             d.x[0] !== null);
  if (!t) return null;
  const xa = g._fullLayout.xaxis, ya = g._fullLayout.yaxis, box = g.getBoundingClientRect();
  return [box.left + xa._offset + xa.l2p(xa.d2l(t.x[0])), box.top + ya._offset + ya.l2p(ya.d2l(t.y[0]))];
}
function probe() {  // in a frame: a tooltip shown by the previous frame's mouse move was painted with it
  if (window.__marks.interactive || window.__drawn) return;  // peers: their drawn time is what counts
  if (document.querySelector('.fp-tip:not([hidden]), #timeline .hoverlayer .hovertext')) {
    window.__marks.interactive = performance.now();
    return;
  }
  const at = target();
  if (at) {
    const el = document.elementFromPoint(at[0], at[1]);
    if (el) el.dispatchEvent(new MouseEvent('mousemove', {clientX: at[0], clientY: at[1], bubbles: true,
                                                             view: window}));
  }
  requestAnimationFrame(probe);
}
new MutationObserver(() => {
  if (document.querySelector('#fp-slot .fp-tip')) first();  // the first paint's chart, parsed to its end
  const g = document.querySelector('#timeline .js-plotly-plot');
  if (g && g.on && !g.__marked) {
    g.__marked = true;
    g.on('plotly_afterplot', () => {
      if (g._fullData && g._fullData.length > 1) { first(); paint(t => window.__marks.plots.push(t)); }
    });
  }
}).observe(document, {childList: true, subtree: true});
"""

# what a page cost before its first chart: bytes over the network and JavaScript (see jsBytes)
PAGE_COST = """
const m = window.__marks, nav = performance.getEntriesByType('navigation')[0];
const before = performance.getEntriesByType('resource').filter(e => e.responseEnd <= m.first);
const fcp = performance.getEntriesByType('paint').find(e => e.name === 'first-contentful-paint');
return {transferred: (nav ? nav.transferSize : 0) + before.reduce((n, e) => n + (e.transferSize || 0), 0),
        html: nav ? nav.decodedBodySize : 0, js: m.js || 0, fcp: fcp ? fcp.startTime : null};
"""


def _wait_js(driver, script: str, timeout: float) -> None:
    """Return once `script` returns true in the page (times are taken in the page: PAINT_MARKS)."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        if driver.execute_script(script):
            return
        time.sleep(0.01)
    raise TimeoutError(script)


DRAWN = ("const g = document.querySelector('#timeline .js-plotly-plot');"
         "return !!(g && g._fullData && g._fullData.length > 1 && "
         "(g.querySelector('.scatterlayer .point') || g.querySelector('.gl-canvas-focus, canvas')));")


def measure_browser(n: int, folder: Path, driver, repeat: int = 3) -> dict:
    """Best of `repeat` page loads: navigation to the timeline painted, then Enter in the search box
    to the new timeline painted (times taken in the page: see PAINT_MARKS)."""
    from selenium.webdriver.common.keys import Keys

    path = folder / f"synth-{n}.yaml"
    first, redraw = float("inf"), float("inf")
    with serve_app(path) as url:
        driver.get(url + "/")  # warm the server's cache and the browser's script cache
        _wait_js(driver, DRAWN, 120)
        for _ in range(repeat):
            first = min(first, _first_draw(driver, url))
            driver.execute_script("document.querySelector('#timeline .js-plotly-plot').__old = "
                                  "document.querySelector('#counter').textContent;")
            box = driver.find_element("id", "query")
            box.send_keys("Pyongyang", Keys.ENTER)
            _wait_js(driver, "const g = document.querySelector('#timeline .js-plotly-plot');"
                             "return document.querySelector('#counter').textContent != g.__old && "
                             "!document.querySelector('#timeline [data-dash-is-loading]') && "
                             "window.__marks.plots.some(t => t > window.__marks.enter) && "
                     + DRAWN[DRAWN.index("!!"):].rstrip(";"), 60)
            redraw = min(redraw, driver.execute_script(
                "const m = window.__marks; return m.plots[m.plots.length - 1] - m.enter;") / 1000)
    return {"browser_first_draw_s": first, "browser_redraw_s": redraw}


# -- peers ---------------------------------------------------------------------------------------------

def install_peers(log=print) -> None:
    """npm-install vis-timeline and TimelineJS into bench/peers (git-ignored)."""
    PEERS_DIR.mkdir(parents=True, exist_ok=True)
    if not (PEERS_DIR / "package.json").exists():
        (PEERS_DIR / "package.json").write_text('{"name": "timeline-bench-peers", "private": true}\n')
    need = [spec for name, spec in PEER_PACKAGES.items() if not _peer_asset(name)]
    if need:
        log(f"  installing peers from the npm registry: {', '.join(need)}")
        subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--silent", *need], cwd=PEERS_DIR, check=True,
                       timeout=600)


def _peer_asset(name: str) -> Path | None:
    base = PEERS_DIR / "node_modules"
    candidates = {"vis-timeline": ["vis-timeline/standalone/umd/vis-timeline-graph2d.min.js"],
                  "timelinejs": ["@knight-lab/timelinejs/dist/js/timeline-min.js",
                                 "@knight-lab/timelinejs/dist/js/timeline.js"]}[name]
    for c in candidates:
        if (base / c).exists():
            return base / c
    return None


def _peer_page(name: str, n: int, folder: Path) -> Path:
    from ..load import read_log

    df = read_log(folder / f"synth-{n}.yaml", cache=folder / f"cache-{n}").events
    items = [{"id": i, "content": t, "start": s.strftime("%Y-%m-%d"), "group": c[0]}
             for i, (t, s, c) in enumerate(zip(df["title_en"], df["start"], df["countries"], strict=True))]
    if name == "vis-timeline":
        groups = sorted({it["group"] for it in items})
        body = f"""<div id="tl"></div>
<script src="/node_modules/vis-timeline/standalone/umd/vis-timeline-graph2d.min.js"></script>
<script>
const items = new vis.DataSet({json.dumps(items)});
const groups = new vis.DataSet({json.dumps([{"id": g, "content": g} for g in groups])});
const tl = new vis.Timeline(document.getElementById('tl'), items, groups, {{}});
tl.on('changed', () => {{ if (document.querySelector('.vis-item')) window.__drawn = true; }});
</script>"""
    else:
        css = "/node_modules/@knight-lab/timelinejs/dist/css/timeline.css"
        js = "/" + str(_peer_asset("timelinejs").relative_to(PEERS_DIR))
        events = [{"start_date": dict(zip(("year", "month", "day"), it["start"].split("-"), strict=True)),
                   "text": {"headline": it["content"]}} for it in items]
        body = f"""<link rel="stylesheet" href="{css}"><div id="tl" style="width:100%;height:600px"></div>
<script src="{js}"></script>
<script>
window.timeline = new TL.Timeline('tl', {{events: {json.dumps(events)}}});
const check = () => {{
  if (document.querySelector('.tl-timemarker')) window.__drawn = true; else setTimeout(check, 10);
}};
check();
</script>"""
    page = PEERS_DIR / f"{name}-{n}.html"
    page.write_text(f"<!DOCTYPE html><html><head><meta charset='utf-8'></head><body>{body}</body></html>")
    return page


def measure_peer(name: str, n: int, folder: Path, driver, timeout: float = 60, repeat: int = 3) -> dict | str:
    """Best of `repeat` loads (after a warm-up, as for our app): navigation to drawn (which is also
    their first chart), and what the page cost before it."""
    page = _peer_page(name, n, folder)
    runs = []
    with serve_folder(PEERS_DIR) as url:
        for attempt in range(repeat + 1):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.set_page_load_timeout(timeout)
            try:
                driver.get(f"{url}/{page.name}")
                _wait_js(driver, "return window.__drawn === true && !!window.__marks.drawn",
                         max(1, timeout - (time.perf_counter() - start)))
                marks = driver.execute_script("return window.__marks")
                cost = _page_cost(driver)
            except Exception as exc:  # a peer that fails or takes too long is reported, not fatal
                return "timeout (>60 s)" if isinstance(exc, TimeoutError) or "timeout" in str(exc).lower() else \
                    f"failed: {type(exc).__name__}"
            if attempt:  # the first load warms the browser's cache
                c = _cost(cost)
                runs.append({"drawn_s": marks["drawn"] / 1000, "first_s": _presented(marks["first"], c), **c})
    return _best_of(runs)


def _page_cost(driver) -> dict:
    """PAGE_COST, once the browser has reported its first contentful paint (or after 2 s without)."""
    try:
        _wait_js(driver, "return performance.getEntriesByType('paint').some(e => e.name === 'first-contentful-paint')",
                 2)
    except TimeoutError:
        pass
    return driver.execute_script(PAGE_COST)


def _presented(first_ms: float, cost: dict) -> float:
    """The first chart on screen: the frame after it was produced, or, when later, the browser's
    presentation of its first contentful frame (the chart is in it when it is in the first response)."""
    return max(first_ms / 1000, cost["fcp_s"] or 0)


def _cost(cost: dict) -> dict:
    """Bytes before the first chart, and the browser's own first contentful paint (its presentation
    time: in this software-rendered browser, about 0.1 s after the frame was produced)."""
    return {"transferred_kb": cost["transferred"] / 1024, "html_kb": cost["html"] / 1024, "js_kb": cost["js"] / 1024,
            "fcp_s": cost["fcp"] / 1000 if cost["fcp"] else None}


def _best_of(runs: list[dict]) -> dict:
    """Each time's best over the runs (sizes do not vary)."""
    return {k: min((r[k] for r in runs if r[k] is not None), default=None) for k in runs[0]}


OURS_DONE = (DRAWN[:DRAWN.index("return")] + "const m = window.__marks; "
             "return m.plots.length > 0 && !!m.interactive && !!m.first && " + DRAWN[DRAWN.index("!!"):].rstrip(";"))


def _our_load(driver, url: str) -> dict:
    """One page load from a blank page: seconds from navigation start to the first chart, to a
    marker's tooltip, and to the live timeline painted."""
    driver.get("about:blank")
    driver.get(url)
    _wait_js(driver, OURS_DONE, 120)
    marks = driver.execute_script("return window.__marks")
    c = _cost(_page_cost(driver))
    first = _presented(marks["first"], c)
    return {"first_s": first, "interactive_s": max(first, marks["interactive"] / 1000),
            "drawn_s": marks["plots"][0] / 1000, **c}


def _first_draw(driver, url: str) -> float:
    """One page load from a blank page: seconds from navigation start to the live timeline painted."""
    return _our_load(driver, url + "/")["drawn_s"]


def measure_ours(n: int, folder: Path, driver, repeat: int = 3) -> dict:
    with serve_app(folder / f"synth-{n}.yaml") as url:
        driver.get(url + "/")  # warm the server's cache and the browser's script cache
        _wait_js(driver, DRAWN, 120)
        return _best_of([_our_load(driver, url + "/") for _ in range(repeat)])


# -- the run -------------------------------------------------------------------------------------------

def run(sizes: list[int], quick: bool, peers: bool, json_path: str | None, log=print) -> dict:
    import datetime as dt
    import platform

    repeat = 1 if quick else 3
    folder = Path(tempfile.gettempdir()) / "timeline-bench"
    folder.mkdir(exist_ok=True)
    result: dict = {"date": dt.datetime.now().isoformat(timespec="seconds"), "machine": _machine(),
                    "python": platform.python_version(), "quick": quick, "sizes": {}}
    log(f"benchmark on {result['machine']} (best of {repeat})")
    for n in sizes:
        started = time.perf_counter()
        result["sizes"][n] = measure_size(n, folder, repeat, log)
        log(f"  {n:>7,} events: done in {time.perf_counter() - started:.0f} s")
    browser_sizes = [n for n in (1000, 10000) if n in sizes]
    if browser_sizes or peers:
        driver = browser()
        try:
            for n in browser_sizes:
                result["sizes"][n].update(measure_browser(n, folder, driver))
                log(f"  {n:>7,} events: browser measured")
            if peers:
                result["peers"] = run_peers(folder, driver, log)
        finally:
            driver.quit()
    result["targets"] = check_targets(result)
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2, default=str))
    return result


PEER_SIZES = (200, 500, 2000, 10000)


def run_peers(folder: Path, driver, log=print) -> dict:
    """Ours and the peers' pages at PEER_SIZES, in the same browser: first chart, interactive,
    drawn, and what each page loaded before its first chart."""
    from ..load import load_vocab
    from .synth import synth_log

    install_peers(log)
    out = {}
    for n in PEER_SIZES:
        path = folder / f"synth-{n}.yaml"
        if not path.exists():
            path.write_text(synth_log(n, 1, load_vocab()), encoding="utf-8")
        ours = measure_ours(n, folder, driver)
        row = {"ours": ours, "ours_s": ours["drawn_s"]}
        for name in PEER_PACKAGES:
            row[name] = measure_peer(name, n, folder, driver)
            if isinstance(row[name], dict):
                row[f"ours_over_{name}"] = ours["drawn_s"] / row[name]["drawn_s"]
                row[f"first_over_{name}"] = ours["first_s"] / row[name]["drawn_s"]
                row[f"interactive_over_{name}"] = ours["interactive_s"] / row[name]["drawn_s"]
        out[n] = row
        log(f"  peers at {n:,} events measured")
    return out


def check_targets(result: dict) -> list[dict]:
    out = []
    for label, key, n, limit in TARGETS:
        value = result["sizes"].get(n, {}).get(key)
        out.append({"target": label, "value": value, "pass": None if value is None else value <= limit})
    peers = result.get("peers") or {}
    for n in (500, 2000):  # where people are: the first chart before vis-timeline's, usable soon after
        row = peers.get(n) or peers.get(str(n)) or {}
        for key, limit, label in (("first_over_vis-timeline", 1.0, "first chart <= vis-timeline drawn"),
                                  ("interactive_over_vis-timeline", 1.5, "interactive <= 1.5x vis-timeline drawn")):
            value = row.get(key)
            out.append({"target": f"{label} at {n:,} events (ratio)", "value": value,
                        "pass": None if value is None else value <= limit})
    for n, row in peers.items():
        if int(n) == 10000 or (int(n) == 2000):
            for name in PEER_PACKAGES:
                if int(n) == 2000 and name == "vis-timeline":
                    continue  # at 2,000 events the first chart and interactive targets above apply
                ratio = row.get(f"ours_over_{name}")
                out.append({"target": f"live chart drawn faster than {name} at {int(n):,} events (ratio)",
                            "value": ratio, "pass": None if ratio is None and not isinstance(row.get(name), str) else
                            (True if ratio is None else ratio < 1)})
    return out


def peer_table(peers: dict) -> list[str]:
    fmt = lambda v: f"{v:.2f}" if isinstance(v, float) else "-"  # noqa: E731
    kb = lambda r, k: f"{r[k]:,.0f}" if isinstance(r, dict) and k in r else "-"  # noqa: E731
    rows = [("events", "page", "first chart s", "interactive s", "drawn s", "FCP s", "HTML KB", "JS KB",
             "transferred KB")]
    for n, row in peers.items():
        ours = row.get("ours") or {}
        rows.append((f"{int(n):,}", "ours", fmt(ours.get("first_s")), fmt(ours.get("interactive_s")),
                     fmt(ours.get("drawn_s")), fmt(ours.get("fcp_s")), kb(ours, "html_kb"), kb(ours, "js_kb"),
                     kb(ours, "transferred_kb")))
        for name in PEER_PACKAGES:
            r = row.get(name)
            if not isinstance(r, dict):
                rows.append(("", name, str(r), "", "", "", "", "", ""))
                continue
            rows.append(("", name, fmt(r["first_s"]), "-", fmt(r["drawn_s"]), fmt(r.get("fcp_s")), kb(r, "html_kb"),
                         kb(r, "js_kb"), kb(r, "transferred_kb")))
        ratios = [f"first chart {row['first_over_vis-timeline']:.2f}, interactive "
                  f"{row['interactive_over_vis-timeline']:.2f}, drawn {row['ours_over_vis-timeline']:.2f}"] \
            if "first_over_vis-timeline" in row else []
        rows += [("", "ratio", *ratios, "", "", "", "", "", "")[:9]] if ratios else []
    widths = [max(len(r[i]) for r in rows if len(r) > i and not (r[1] == "ratio" and i >= 2)) for i in range(9)]
    out = []
    for r in rows:
        if r[1] == "ratio":
            out.append(" " * (widths[0] + 3) + f"ratio to vis-timeline drawn: {r[2]}")
        else:
            out.append(" | ".join(c.rjust(w) for c, w in zip(r, widths, strict=True)))
    return out


def _machine() -> str:
    import platform

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        mem = f", {kb / 1024 / 1024:.0f} GB"
    except (OSError, StopIteration):
        pass
    return f"{os.cpu_count()} cores{mem}, {cpu or platform.machine()}"


def format_table(result: dict) -> str:
    rows = [("events", "file MB", "cold load s", "warm load s", "peak MB (cold/warm)", "json.loads s",
             "load/floor", "filter ms", "figure ms", "JSON sent MB", "callback ms", "PNG export s",
             "browser draw s", "redraw s")]
    fmt = lambda v, p=2: "-" if v is None else (f"{v:.{p}f}" if isinstance(v, float) else str(v))  # noqa: E731
    for n, r in result["sizes"].items():
        rows.append((f"{int(n):,}", fmt(r["file_mb"], 1), fmt(r["cold_load_s"]), fmt(r["warm_load_s"], 3),
                     f"{r['cold_peak_mb']:.0f}/{r['warm_peak_mb']:.0f}", fmt(r["json_loads_s"], 3),
                     f"{r['floor_ratio']:.1f}x", fmt(r["filter_ms"], 1), fmt(r["figure_ms"], 0),
                     fmt(r["json_sent_mb"]), fmt(r["callback_ms"], 0), fmt(r.get("png_export_s")),
                     fmt(r.get("browser_first_draw_s")), fmt(r.get("browser_redraw_s"))))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = [" | ".join(c.rjust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "-+-".join("-" * w for w in widths))
    if result.get("peers"):
        lines += ["", "in the same headless Chromium, from navigation (seconds; ratio = ours / vis-timeline drawn):",
                  "first chart = the events on screen (the later of the frame after it and the browser's first "
                  "contentful paint, FCP); interactive = a marker's hover tooltip shown; drawn = the live chart "
                  "painted (the frame after it)", ""]
        lines += peer_table(result["peers"])
    lines += ["", "targets:"]
    for t in result["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        v = t["value"]
        lines.append(f"  [{mark}] {t['target']}: " + ("not measured" if v is None else f"{v:.3f}"))
    return "\n".join(lines)
