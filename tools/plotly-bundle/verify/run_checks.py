"""Verify the custom plotly bundle in headless Chromium and compare script evaluation time.

Usage: .venv/bin/python verify/run_checks.py
Serves this folder (tools/plotly-bundle) on 127.0.0.1 (random free port) for the duration of the run.
"""
import functools
import http.server
import json
import os
import shutil
import socketserver
import tempfile
import threading
import time

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUNDLES = {
    "custom": "../plotly-custom.min.js",
    "full": "../plotly-full.min.js",
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *a):
        pass

    def end_headers(self):
        self.send_header("Cache-Control", "no-store")
        super().end_headers()


def start_server():
    handler = functools.partial(QuietHandler, directory=ROOT)
    httpd = socketserver.TCPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    return httpd, httpd.server_address[1]


def new_driver():
    opts = webdriver.ChromeOptions()
    opts.binary_location = "/usr/bin/chromium"
    for a in ["--headless=new", "--no-sandbox", "--disable-gpu", "--use-gl=swiftshader",
              "--enable-unsafe-swiftshader", "--window-size=1000,1100",
              "--user-data-dir=" + tempfile.mkdtemp(prefix="chr-", dir=os.path.join(ROOT, "verify"))]:
        opts.add_argument(a)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    drv = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=opts)
    profile = [a for a in opts.arguments if a.startswith("--user-data-dir=")][0].split("=", 1)[1]
    orig_quit = drv.quit

    def quit_and_clean():
        orig_quit()
        shutil.rmtree(profile, ignore_errors=True)

    drv.quit = quit_and_clean
    return drv


def wait_result(drv, timeout=60):
    t_end = time.time() + timeout
    while time.time() < t_end:
        r = drv.execute_script("return window.__result && (window.__result.done !== false) ? window.__result : null")
        if r:
            return r
        time.sleep(0.1)
    raise RuntimeError("timeout waiting for page result")


def functional(port, name):
    drv = new_driver()
    try:
        drv.get(f"http://127.0.0.1:{port}/verify/test.html?bundle={BUNDLES[name]}")
        r = wait_result(drv)
        drv.save_screenshot(os.path.join(ROOT, "verify", f"screenshot-{name}.png"))
        logs = [entry for entry in drv.get_log("browser") if entry["level"] in ("SEVERE", "WARNING")]
        r["browserLogSevereOrWarning"] = [f'{entry["level"]}: {entry["message"]}' for entry in logs]
        return r
    finally:
        drv.quit()


def timing(port, name, mode):
    drv = new_driver()  # fresh profile => no V8 code cache / HTTP cache reuse
    try:
        drv.get(f"http://127.0.0.1:{port}/verify/timing.html?bundle={BUNDLES[name]}&mode={mode}")
        return wait_result(drv)
    finally:
        drv.quit()


def main():
    httpd, port = start_server()
    out = {"sizes": {n: os.path.getsize(os.path.join(ROOT, p.replace("../", ""))) for n, p in BUNDLES.items()}}
    try:
        for name in BUNDLES:
            out[f"functional_{name}"] = functional(port, name)
        for mode in ("tag", "eval"):
            runs = {n: [] for n in BUNDLES}
            for _ in range(3):  # interleaved, best of 3
                for name in BUNDLES:
                    r = timing(port, name, mode)
                    assert r["version"] == "4.1.1" and not r["errors"], r
                    runs[name].append(round(r["ms"], 1))
            out[f"timing_{mode}_ms"] = {n: {"runs": v, "best": min(v)} for n, v in runs.items()}
    finally:
        httpd.shutdown()
    print(json.dumps(out, indent=1))
    with open(os.path.join(ROOT, "verify", "results.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
