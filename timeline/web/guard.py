"""Limits on what one request can make a worker do, so a team server stays up.

- Request bodies are at most `MAX_BODY_BYTES` (Flask answers 413 before reading more).
- A callback body must have Dash's shape, and every input a type its component can send: text at
  most `MAX_TEXT` characters (more than any link carries: a URL the address bar could not hold is
  refused before any work), finite numbers, shallow nesting. Anything else is a 400 with a short
  JSON message, and the log gets one line, never a traceback.
- An unknown component-suite path is a 404.
- Exports go through `ExportGate`: a few at a time per process, a bounded wait, and a per-client
  rate limit; past those the user is told the server is busy.
"""
from __future__ import annotations

import collections
import logging
import math
import os
import threading
import time
import traceback
from contextlib import contextmanager

import dash.exceptions
import flask

MAX_BODY_BYTES = 1024 * 1024      # a real callback body is a few KB; the limit leaves room for big tables
MAX_TEXT = 8192                   # browsers and proxies carry URLs of about this length, no more
MAX_NUMBER = 1e15                 # beyond JavaScript's exact integers: no control sends it
MAX_DEPTH = 12
MAX_NODES = 20_000

log = logging.getLogger("timeline.web")

_NONE = type(None)
# what each property the app listens to can hold; others get only the generic bounds
PROPERTY_TYPES: dict[str, tuple[type, ...]] = {
    "search": (str, _NONE), "pathname": (str, _NONE), "href": (str, _NONE), "hash": (str, _NONE),
    "n_clicks": (int, _NONE), "n_intervals": (int, _NONE), "is_open": (bool, _NONE),
    "active_tab": (str, _NONE), "value": (str, int, float, list, _NONE),
    "relayoutData": (dict, _NONE), "clickData": (dict, _NONE), "cellClicked": (dict, _NONE),
    "eventData": (dict, _NONE), "id": (str, dict), "data": (str, int, float, bool, dict, list, _NONE),
}


class BadRequest(ValueError):
    """A callback request the app refuses before any work; the message is short and safe to show."""


def check_callback_body(body) -> None:
    """Raise BadRequest unless `body` is a Dash callback request with bounded, well-typed inputs."""
    if not isinstance(body, dict):
        raise BadRequest("a callback request is a JSON object")
    if not isinstance(body.get("output"), str) or not isinstance(body.get("outputs"), (dict, list)):
        raise BadRequest("a callback request names its outputs")
    for key in ("inputs", "state", "changedPropIds"):
        if not isinstance(body.get(key, []), list):
            raise BadRequest(f"{key} must be a list")
    _check_bounds(body)
    for item in body.get("inputs", []) + body.get("state", []):
        for entry in item if isinstance(item, list) else [item]:
            _check_entry(entry)


def _check_entry(entry) -> None:
    if not isinstance(entry, dict) or not isinstance(entry.get("property"), str) or "id" not in entry:
        raise BadRequest("each input is an object with an id and a property")
    if not isinstance(entry["id"], (str, dict)):
        raise BadRequest("an input's id is text or an object")
    prop, value = entry["property"], entry.get("value")
    allowed = PROPERTY_TYPES.get(prop)
    if allowed and not isinstance(value, allowed):
        raise BadRequest(f"{prop} cannot be {type(value).__name__}")


def _check_bounds(value) -> None:
    """Text no longer than a URL, finite numbers of sane size, shallow and small structures."""
    todo, nodes = [(value, 0)], 0
    while todo:
        item, depth = todo.pop()
        nodes += 1
        if nodes > MAX_NODES or depth > MAX_DEPTH:
            raise BadRequest("the request is nested too deeply or holds too many values")
        if isinstance(item, str):
            if len(item) > MAX_TEXT:
                raise BadRequest(f"a value is over {MAX_TEXT:,} characters, longer than a link can carry")
        elif isinstance(item, float):
            if not math.isfinite(item) or abs(item) > MAX_NUMBER:
                raise BadRequest("a number is out of range")
        elif isinstance(item, int) and not isinstance(item, bool):
            if abs(item) > MAX_NUMBER:
                raise BadRequest("a number is out of range")
        elif isinstance(item, dict):
            todo.extend((v, depth + 1) for v in item.values())
            todo.extend((k, depth + 1) for k in item)
        elif isinstance(item, list):
            todo.extend((v, depth + 1) for v in item)


# exceptions a callback (or Dash, reading the request) raises on input it cannot use: a 400, not a 500
EXPECTED = (BadRequest, TypeError, ValueError, KeyError, IndexError, AttributeError, OverflowError,
            dash.exceptions.DashException)


def _refuse(status: int, message: str):
    return flask.make_response(flask.jsonify(error=message), status)


def install(server: flask.Flask, prefix: str = "/") -> None:
    """Put the limits in front of Dash's routes on `server` (the routes must exist already)."""
    server.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    dispatch_endpoint = f"{prefix}_dash-update-component"
    suites_endpoint = f"{prefix}_dash-component-suites/<string:package_name>/<path:fingerprinted_path>"

    @server.before_request
    def _check_callback():
        if flask.request.endpoint != dispatch_endpoint:
            return None
        length = flask.request.content_length
        if length is not None and length > MAX_BODY_BYTES:
            return _refuse(413, f"the request is over {MAX_BODY_BYTES:,} bytes")
        try:
            check_callback_body(flask.request.get_json(silent=True))
        except BadRequest as exc:
            log.warning("refused a callback request from %s: %s", flask.request.remote_addr, exc)
            return _refuse(400, str(exc))
        return None

    dispatch = server.view_functions[dispatch_endpoint]

    def guarded_dispatch(*args, **kwargs):
        try:
            return dispatch(*args, **kwargs)
        except EXPECTED as exc:  # input the checks let through but a callback cannot use
            where = traceback.extract_tb(exc.__traceback__)[-1]
            log.warning("refused a callback request from %s: %s: %s (at %s:%s)", flask.request.remote_addr,
                        type(exc).__name__, str(exc)[:200], where.filename, where.lineno)
            return _refuse(400, "the callback cannot use these inputs")

    server.view_functions[dispatch_endpoint] = guarded_dispatch
    suites = server.view_functions[suites_endpoint]

    def guarded_suites(*args, **kwargs):
        try:
            return suites(*args, **kwargs)
        except Exception:  # Dash raises for an unregistered path or package: that is "not found"
            return _refuse(404, "no such file")

    server.view_functions[suites_endpoint] = guarded_suites


class Busy(Exception):
    """Too many exports in progress: try again in a moment."""


class RateLimited(Exception):
    """This client asked for more exports than the limit per minute."""

    def __init__(self, retry_after: int):
        super().__init__(f"retry after {retry_after} s")
        self.retry_after = retry_after


class ExportGate:
    """At most `slots` exports run at once in this process and at most `waiting` more wait for one
    (each up to `timeout` seconds); a client may start `per_minute` exports a minute. So exports can
    never take every thread of a worker away from the people viewing the timeline."""

    def __init__(self, slots: int = 1, waiting: int = 2, timeout: float = 20.0, per_minute: int = 30,
                 max_clients: int = 4096):
        self.slots, self.waiting, self.timeout, self.per_minute = slots, waiting, timeout, per_minute
        self.max_clients = max_clients
        self._running = threading.BoundedSemaphore(slots)
        self._lock = threading.Lock()
        self._admitted = 0
        self._clients: collections.OrderedDict[str, collections.deque] = collections.OrderedDict()

    @classmethod
    def from_environment(cls) -> ExportGate:
        """Limits from $TIMELINE_EXPORT_SLOTS, _WAITING, _TIMEOUT and $TIMELINE_EXPORTS_PER_MINUTE."""
        env = os.environ.get
        return cls(int(env("TIMELINE_EXPORT_SLOTS", 1)), int(env("TIMELINE_EXPORT_WAITING", 2)),
                   float(env("TIMELINE_EXPORT_TIMEOUT", 20)), int(env("TIMELINE_EXPORTS_PER_MINUTE", 30)))

    def _stamps(self, client: str, now: float) -> collections.deque:
        """The client's export times of the last minute (call with the lock held)."""
        stamps = self._clients.pop(client, None) or collections.deque()
        while stamps and now - stamps[0] > 60:
            stamps.popleft()
        self._clients[client] = stamps  # most recent last: the oldest clients are forgotten first
        while len(self._clients) > self.max_clients:
            self._clients.popitem(last=False)
        return stamps

    @contextmanager
    def admit(self, client: str):
        """Run the block as one export of `client`, or raise RateLimited or Busy at once (or, when
        every slot stays taken, after `timeout`)."""
        now = time.monotonic()
        with self._lock:
            stamps = self._stamps(client, now)
            if len(stamps) >= self.per_minute:
                raise RateLimited(max(1, int(60 - (now - stamps[0])) + 1))
            if self._admitted >= self.slots + self.waiting:
                raise Busy()  # not counted against the client: nothing was made
            stamps.append(now)
            self._admitted += 1
        try:
            if not self._running.acquire(timeout=self.timeout):
                raise Busy()
            try:
                yield
            finally:
                self._running.release()
        finally:
            with self._lock:
                self._admitted -= 1
