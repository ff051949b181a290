"""Build the Dash app from a log file. Everything it serves is local: no CDN, works offline."""
from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc  # noqa: F401  (registers the components' local bundles)
import flask

from ..load import LogSource, load_vocab
from . import api, callbacks
from .layout import build_layout

ASSETS = Path(__file__).with_name("assets")

# Dash's renderer runs an inline bootstrap script and plotly/ag-grid evaluate code, hence
# 'unsafe-inline' and 'unsafe-eval' for scripts; everything else is same-origin only.
CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
       "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
       "base-uri 'self'; frame-ancestors 'self'; form-action 'self'")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    # same-origin: the page's own requests carry its URL (the layout renders the linked view at once);
    # other sites never get it (and links to sources also carry rel="noreferrer")
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "SAMEORIGIN",
    "Content-Security-Policy": CSP,
}


def security_headers(path: str, embed_origins: tuple[str, ...] = ()) -> dict[str, str]:
    """The headers of a response: the app refuses every frame but its own; /embed may also be framed by
    the origins configured in TIMELINE_EMBED_ORIGINS (CSP frame-ancestors, so no X-Frame-Options)."""
    if path != api.EMBED_PATH:
        return SECURITY_HEADERS
    rest = {k: v for k, v in SECURITY_HEADERS.items() if k != "X-Frame-Options"}
    return {**rest, **api.frame_headers(embed_origins, CSP)}


def _page_search() -> str | None:
    """The query string of the page asking for its layout ("?country=KP"), or None when unknown."""
    if not flask.has_request_context():
        return None
    referrer = flask.request.referrer
    if not referrer:
        return None
    page = urlsplit(referrer)
    if page.netloc != flask.request.host:  # not our page: render nothing ahead
        return None
    return f"?{page.query}" if page.query else ""


def create_app(events_path: str | Path, today: dt.date | None = None) -> dash.Dash:
    """A ready Dash app over `events_path` (raises InvalidLog if the file is invalid at start)."""
    vocab = load_vocab()
    source = LogSource(events_path, vocab)
    app = dash.Dash(__name__, assets_folder=str(ASSETS), title="Korean Peninsula event timeline",
                    serve_locally=True, suppress_callback_exceptions=True,
                    update_title=None)
    # a function, so every page load starts from the data version being served now
    view = callbacks.register(app, source, today=today)

    def layout():
        current = source.current()
        search = _page_search()
        return build_layout(vocab, version=current.version, problems=current.problems if current.stale else [],
                            initial=view(search) if search is not None else None, search=search)

    app.layout = layout

    origins = api.embed_origins(os.environ.get("TIMELINE_EMBED_ORIGINS"))

    @app.server.after_request
    def _headers(response):
        for key, value in security_headers(flask.request.path, origins).items():
            response.headers.setdefault(key, value)
        return response

    app.server.config["timeline_source"] = source
    api.register(app.server, today)  # read-only feeds, data API and the embeddable view
    return app
