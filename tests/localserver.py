"""A local HTTP server for tests that fetch pages: saved pages and every way a link can fail.

Runs on 127.0.0.1 on a free port, so no test ever contacts the internet.
"""
from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PAGES = Path(__file__).parent / "data" / "pages"
SLOW_SECONDS = 3.0


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass

    def reply(self, code: int, body: bytes = b"", headers: dict | None = None) -> None:
        self.send_response(code)
        for key, value in {"Content-Type": "text/html; charset=utf-8", "Content-Length": str(len(body)),
                           **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def route(self) -> None:
        path = self.path.split("?")[0]
        if path.startswith("/pages/") and (PAGES / path[7:]).is_file():
            self.reply(200, (PAGES / path[7:]).read_bytes())
        elif path == "/ok":
            self.reply(200, b"<title>ok</title>")
        elif path == "/moved":
            self.reply(301, headers={"Location": "/ok"})
        elif path == "/to-ftp":
            self.reply(302, headers={"Location": "ftp://127.0.0.1/etc/passwd"})
        elif path == "/missing":
            self.reply(404, b"not found")
        elif path == "/slow":
            time.sleep(SLOW_SECONDS)
            self.reply(200, b"late")
        elif path == "/reset":
            # RST instead of FIN: what a crashed server or a dropping firewall looks like
            self.request.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.request.close()
        elif path == "/no-head" and self.command == "HEAD":
            self.reply(405)
        elif path == "/no-head":
            self.reply(200, b"only GET")
        elif path == "/big":
            self.reply(200, b"<html>" + b"x" * 200_000)
        else:
            self.reply(404, b"no such route")

    do_GET = do_HEAD = route


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on /slow is what the tests want, not an error to print


class LocalServer:
    def __init__(self):
        self.httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "LocalServer":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
