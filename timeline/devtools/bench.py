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
    r["json_loads_s"] = _child("json-loads", json_path, "--repeat", repeat)["s"]
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
                "--enable-unsafe-swiftshader"):
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
PAINT_MARKS = """
window.__marks = {plots: []};
// two frames: the second starts after the first, with the chart in it, was painted
const paint = (f) => requestAnimationFrame(() => requestAnimationFrame(() => f(performance.now())));
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__marks.enter = performance.now(); }, true);
let drawn;
Object.defineProperty(window, '__drawn', {configurable: true, get() { return drawn; },
  set(v) { drawn = v; if (v && !window.__marks.drawn) paint(t => { window.__marks.drawn = t; }); }});
new MutationObserver(() => {
  const g = document.querySelector('#timeline .js-plotly-plot');
  if (g && g.on && !g.__marked) {
    g.__marked = true;
    g.on('plotly_afterplot', () => {
      if (g._fullData && g._fullData.length > 1) paint(t => window.__marks.plots.push(t));
    });
  }
}).observe(document, {childList: true, subtree: true});
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


def measure_peer(name: str, n: int, folder: Path, driver, timeout: float = 60, repeat: int = 3) -> float | str:
    """Best of `repeat` loads (after a warm-up, as for our app) from navigation to drawn."""
    page = _peer_page(name, n, folder)
    best = float("inf")
    with serve_folder(PEERS_DIR) as url:
        for attempt in range(repeat + 1):
            driver.get("about:blank")
            start = time.perf_counter()
            driver.set_page_load_timeout(timeout)
            try:
                driver.get(f"{url}/{page.name}")
                _wait_js(driver, "return window.__drawn === true && !!window.__marks.drawn",
                         max(1, timeout - (time.perf_counter() - start)))
                took = driver.execute_script("return window.__marks.drawn") / 1000
            except Exception as exc:  # a peer that fails or takes too long is reported, not fatal
                return "timeout (>60 s)" if isinstance(exc, TimeoutError) or "timeout" in str(exc).lower() else \
                    f"failed: {type(exc).__name__}"
            if attempt:  # the first load warms the browser's cache
                best = min(best, took)
    return best


def _first_draw(driver, url: str) -> float:
    """One page load from a blank page: seconds from navigation start to the timeline painted."""
    driver.get("about:blank")
    driver.get(url + "/")
    _wait_js(driver, DRAWN.rstrip(";") + " && window.__marks.plots.length > 0", 120)
    return driver.execute_script("return window.__marks.plots[0]") / 1000


def measure_our_draw(n: int, folder: Path, driver, repeat: int = 3) -> float:
    with serve_app(folder / f"synth-{n}.yaml") as url:
        driver.get(url + "/")  # warm the server's cache and the browser's script cache
        _wait_js(driver, DRAWN, 120)
        return min(_first_draw(driver, url) for _ in range(repeat))


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
    if browser_sizes:
        driver = browser()
        try:
            for n in browser_sizes:
                result["sizes"][n].update(measure_browser(n, folder, driver))
                log(f"  {n:>7,} events: browser measured")
            if peers:
                known = {int(n): r["browser_first_draw_s"] for n, r in result["sizes"].items()
                         if "browser_first_draw_s" in r}
                result["peers"] = run_peers(folder, driver, log, known)
        finally:
            driver.quit()
    result["targets"] = check_targets(result)
    if json_path:
        Path(json_path).write_text(json.dumps(result, indent=2, default=str))
    return result


def run_peers(folder: Path, driver, log=print, ours_known: dict[int, float] | None = None) -> dict:
    """Our first draw and the peers' at 500, 2,000 and 10,000 events; `ours_known`: our first draws
    already measured in this run (one figure per size, not two that differ by the noise)."""
    from ..load import load_vocab
    from .synth import synth_log

    install_peers(log)
    out = {}
    for n in (500, 2000, 10000):
        path = folder / f"synth-{n}.yaml"
        if not path.exists():
            path.write_text(synth_log(n, 1, load_vocab()), encoding="utf-8")
        ours = (ours_known or {}).get(n) or measure_our_draw(n, folder, driver)
        row = {"ours_s": ours}
        for name in PEER_PACKAGES:
            row[name] = measure_peer(name, n, folder, driver)
            if isinstance(row[name], float):
                row[f"ours_over_{name}"] = ours / row[name]
        out[n] = row
        log(f"  peers at {n:,} events measured")
    return out


def check_targets(result: dict) -> list[dict]:
    out = []
    for label, key, n, limit in TARGETS:
        value = result["sizes"].get(n, {}).get(key)
        out.append({"target": label, "value": value, "pass": None if value is None else value <= limit})
    for n, row in (result.get("peers") or {}).items():
        if n >= 2000:
            for name in PEER_PACKAGES:
                ratio = row.get(f"ours_over_{name}")
                out.append({"target": f"faster than {name} at {n:,} events", "value": ratio,
                            "pass": None if ratio is None and not isinstance(row.get(name), str) else
                            (True if ratio is None else ratio < 1)})
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
        lines += ["", "navigation to drawn in the same headless Chromium (seconds; ratio = ours / theirs):"]
        for n, row in result["peers"].items():
            parts = [f"ours {row['ours_s']:.2f}"]
            for name in PEER_PACKAGES:
                v = row[name]
                parts.append(f"{name} {v:.2f} (ratio {row[f'ours_over_{name}']:.2f})" if isinstance(v, float)
                             else f"{name} {v}")
            lines.append(f"  {int(n):>6,} events: " + ", ".join(parts))
    lines += ["", "targets:"]
    for t in result["targets"]:
        mark = {True: "PASS", False: "FAIL", None: "n/a "}[t["pass"]]
        v = t["value"]
        lines.append(f"  [{mark}] {t['target']}: " + ("not measured" if v is None else f"{v:.3f}"))
    return "\n".join(lines)
