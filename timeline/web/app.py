"""Build the Dash app from a log file. Everything it serves is local: no CDN, works offline."""
from __future__ import annotations

import datetime as dt
import json
import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import dash
import dash_bootstrap_components as dbc  # noqa: F401  (registers the components' local bundles)
import flask

from ..load import load_vocab
from ..source import LogSource
from ..text import UI_LANGS, catalogue, t
from . import api, callbacks, guard, memo, skeleton
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


def plotly_locales() -> str:
    """A script registering Plotly's own words (mode bar, hints) in every interface language but
    English, from the text catalogue; it runs after plotly.js and before the app renders."""
    keys = [k for k in catalogue() if k.startswith("plotly.")]
    parts = []
    for lang in UI_LANGS:
        if lang == "en":
            continue
        dictionary = {t(k, "en"): t(k, lang) for k in keys}
        months = [t("date.month_name", lang, m=m, mon="") for m in range(1, 13)]
        locale = {"moduleType": "locale", "name": lang, "dictionary": dictionary,
                  "format": {"months": months, "shortMonths": months}}
        parts.append(f"Plotly.register({json.dumps(locale, ensure_ascii=False)});")
    return "if (window.Plotly) {" + "".join(parts) + "}"


INDEX = """<!DOCTYPE html>
<html>
    <head>
        {%metas%}
        <title>{%title%}</title>
        {%favicon%}
        {%css%}
    </head>
    <body>
        {%app_entry%}
        <footer>
            {%config%}
            {%scripts%}
            {%renderer%}
        </footer>
    </body>
</html>"""

_SRC = re.compile(r'<script src="([^"]+)"></script>')
_INLINE = re.compile(r"<script[^>]*>(.*?)</script>", re.S)


def script_loader(scripts: str, renderer: str, locales: str) -> str:
    """The page's scripts, loaded once the first paint is on screen (two frames after the page
    parsed, or at once in a hidden tab, where no frame comes), in their order; then Plotly's
    locales and Dash's renderer. Loaded by the parser, a cached megabyte of scripts would run before
    the browser painted anything. They are fetched meanwhile (preload)."""
    # fetched while the page is parsed (preload), run by the loader (the data-src list, in order)
    preload = "".join(f'<link rel="preload" as="script" href="{src}" data-src="{src}">'
                      for src in _SRC.findall(scripts))
    rest = _SRC.sub("", scripts).strip()
    boot = locales + ";" + "".join(_INLINE.findall(renderer))
    return preload + rest + '<script id="_dash-renderer">' + LOADER.replace(
        "BOOT", json.dumps(boot).replace("</", "<\\/")) + "</script>"


LOADER = """(function () {
  var sources = [].map.call(document.querySelectorAll('link[data-src]'), function (l) { return l.dataset.src; });
  var boot = BOOT, started = false;
  function start() {
    if (started) { return; }
    started = true;
    var last = null;
    sources.forEach(function (src) {
      var s = document.createElement('script');
      s.src = src; s.async = false;
      document.body.appendChild(s);
      last = s;
    });
    function run() { var s = document.createElement('script'); s.text = boot; document.body.appendChild(s); }
    if (last) { last.addEventListener('load', run); } else { run(); }
  }
  // two frames first: the first paint is on screen (and answers hovers) before a second of scripts runs
  function after(frames) {
    if (frames) { requestAnimationFrame(function () { after(frames - 1); }); } else { start(); }
  }
  if (document.visibilityState === 'hidden') { start(); } else { after(2); setTimeout(start, 250); }
})();"""


def _first_paint(app: dash.Dash, source: LogSource, view) -> None:
    """The page's first response carries the linked view's timeline as static markup (skeleton.py)."""
    interpolate = app.interpolate_index
    locales = plotly_locales()

    @memo.bounded(max_entries=64, max_bytes=memo.MAX_BYTES // 4, weigh=lambda out: sum(map(len, out)))
    def static(search: str, _version: str, _day: dt.date) -> tuple[str, str]:
        state, _ = callbacks.state_of(search, source)
        return skeleton.first_paint(state, view(search))

    def index(**parts):
        search = flask.request.query_string.decode("utf-8", "replace") if flask.has_request_context() else ""
        try:
            page, data = static(f"?{search}" if search else "", source.current().version, dt.date.today())
        except Exception:  # never let the first paint take the page down: the live page draws the same
            guard.log.exception("first paint not rendered")
            page, data = "", ""
        return interpolate(**{**parts, "app_entry": page + parts["app_entry"], "renderer": "",
                              "scripts": data + script_loader(parts["scripts"], parts["renderer"], locales)})

    app.interpolate_index = index


def _import_lazy_modules() -> None:
    """Import now what exports and figures import on first use: with threaded workers, two requests
    importing a module at once can see it half-initialised (PIL.Image did, under the mixed load test)."""
    import kaleido  # noqa: F401
    import openpyxl  # noqa: F401
    import PIL.Image  # noqa: F401
    import plotly.io  # noqa: F401
    import pptx  # noqa: F401


def create_app(events_path: str | Path, today: dt.date | None = None) -> dash.Dash:
    """A ready Dash app over `events_path`. Never raises for the log's content: an invalid or unreadable
    file serves its last valid version with a banner, or (none ever seen) the problems to fix."""
    _import_lazy_modules()
    vocab = load_vocab()
    source = LogSource(events_path, vocab)
    app = dash.Dash(__name__, assets_folder=str(ASSETS), title=t("app.title", "en"),
                    serve_locally=True, suppress_callback_exceptions=True,
                    update_title=None)
    app.index_string = INDEX
    # a function, so every page load starts from the data version being served now
    view = callbacks.register(app, source, today=today)

    def layout():
        current = source.current()
        search = _page_search()
        problems = current.problems if current.stale else []
        if search is None:  # not asked by our page: the first callbacks render the view
            return build_layout(vocab, version=current.version, problems=problems, no_data=current.empty)
        state, _ = callbacks.state_of(search, source)
        # the table is filled by the first callback: ag-grid created with rows in the layout can stay
        # blank when its columns change later
        rendered = {"key": callbacks.render_key(state), "version": current.version, "compact": False,
                    "table": False}
        return build_layout(vocab, version=current.version, problems=problems, initial=view(search),
                            rendered=rendered, state=state, no_data=current.empty)

    app.layout = layout
    _first_paint(app, source, view)

    origins = api.embed_origins(os.environ.get("TIMELINE_EMBED_ORIGINS"))
    guard.install(app.server, app.config.routes_pathname_prefix)

    assets = app.config.requests_pathname_prefix + "assets/"

    @app.server.after_request
    def _headers(response):
        for key, value in security_headers(flask.request.path, origins).items():
            response.headers.setdefault(key, value)
        if flask.request.path.startswith(assets) and "m" in flask.request.args and response.status_code == 200:
            # the page links its assets with their modification time (?m=): a changed file gets a new
            # address, so a browser may keep each one (no revalidation round trip before the first paint)
            response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
        return response

    app.server.config["timeline_source"] = source
    api.register(app.server, today)  # read-only feeds, data API and the embeddable view
    app.server.config["timeline_view"] = view
    return app
