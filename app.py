"""Serve the dashboard: python app.py [--events PATH] [--host H] [--port P] [--debug].

Also exposes `server` for `gunicorn app:server` (the log is read from $TIMELINE_EVENTS or the
bundled events.yaml).
"""
import argparse
import os
import sys
from pathlib import Path

from timeline.validate import errors
from timeline.web.app import create_app

DEFAULT_EVENTS = os.environ.get("TIMELINE_EVENTS") or str(Path(__file__).with_name("events.yaml"))


def main() -> None:
    parser = argparse.ArgumentParser(description="Korean Peninsula event timeline dashboard")
    parser.add_argument("--events", default=DEFAULT_EVENTS, help="the YAML log to serve (default: events.yaml)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8050)
    parser.add_argument("--debug", action="store_true", help="Dash debug mode (never on a shared server)")
    args = parser.parse_args()
    app = create_app(args.events)  # never fails on the log's content: the page says what to fix
    current = app.server.config["timeline_source"].current()
    if current.stale:
        shown = "the last valid version" if not current.empty else "nothing but the problems"
        print(f"warning: {args.events} has {len(errors(current.problems))} error(s); serving {shown} until it is "
              f"fixed (check it with `python -m timeline validate {args.events}`)", file=sys.stderr)
    app.run(host=args.host, port=args.port, debug=args.debug)


if __name__ == "__main__":
    main()
else:
    server = create_app(DEFAULT_EVENTS).server
