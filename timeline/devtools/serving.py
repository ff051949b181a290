"""Start a server on loopback, wait until it answers, stop it: for the benchmark, the load test and tests.

`python -m timeline.devtools.serving EVENTS --port N` serves the app with Flask's server (what the
benchmark's browser measures); `gunicorn` runs `app:server` as deployed (see the README).
"""
from __future__ import annotations

import argparse
import functools
import http.server
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]  # the checkout: app.py, events.yaml, bench/
APP = ROOT / "app.py"  # what gunicorn serves as app:server (only in a checkout, not in an installed package)
HOST = "127.0.0.1"  # only loopback is ever served or contacted


def free_port() -> int:
    """A TCP port nothing listens on now (the OS picks it)."""
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_until_answers(port: int, timeout: float = 120, proc: subprocess.Popen | None = None) -> None:
    """Return once something accepts connections on `port`; raise if `proc` exits or time runs out."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode} before answering")
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"nothing answers on port {port} after {timeout:.0f} s")


@contextmanager
def server_process(args: list[str], port: int, env: dict | None = None,
                   timeout: float = 120) -> Iterator[subprocess.Popen]:
    """Run `args` (a server listening on `port`) from the checkout until the block ends.

    The server's error output goes to a temporary file (a pipe nobody reads could fill and block it)
    and its tail is in the exception when the server does not come up.
    """
    with tempfile.TemporaryFile() as stderr:
        proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                                stderr=stderr)
        try:
            try:
                wait_until_answers(port, timeout, proc)
            except RuntimeError as exc:
                stderr.seek(0)
                tail = stderr.read()[-2000:].decode("utf-8", "replace")
                raise RuntimeError(f"{exc}: {' '.join(args)}\n{tail}") from None
            yield proc
        finally:
            proc.terminate()
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@contextmanager
def serve_app(events: str | Path) -> Iterator[str]:
    """The app over `events` in its own process (Flask's server); yields its URL."""
    port = free_port()
    with server_process([sys.executable, "-m", "timeline.devtools.serving", str(events), "--port", str(port)], port):
        yield f"http://{HOST}:{port}"


@contextmanager
def gunicorn(events: str | Path, workers: int, port: int, threads: int = 1,
             env: dict | None = None) -> Iterator[subprocess.Popen]:
    """`gunicorn app:server` as deployed, with `workers` processes (of `threads` threads each: gthread
    workers, as the README recommends for a team), serving `events` on `port`."""
    if not APP.is_file():
        raise FileNotFoundError(f"{APP} is missing: gunicorn serves app:server from the repository")
    args = [sys.executable, "-m", "gunicorn", "-w", str(workers), "-b", f"{HOST}:{port}", "--timeout", "60",
            "--log-level", "warning"]
    if threads > 1:
        args += ["-k", "gthread", "--threads", str(threads)]
    with server_process(args + ["app:server"], port, env={"TIMELINE_EVENTS": str(events), **(env or {})}) as proc:
        yield proc


@contextmanager
def serve_folder(folder: str | Path) -> Iterator[str]:
    """Static files from `folder` on a free loopback port, in a thread of this process; yields its URL."""

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((HOST, 0), functools.partial(Quiet, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://{HOST}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    from ..web.app import create_app

    parser = argparse.ArgumentParser(prog="python -m timeline.devtools.serving",
                                     description="serve the app on loopback (for the benchmark)")
    parser.add_argument("events", help="the log to serve")
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args(argv)
    create_app(args.events).run(host=HOST, port=args.port, debug=False)


if __name__ == "__main__":
    main()
