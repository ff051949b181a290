"""Read-only HTTP endpoints next to the app, over the same live log and the same URL parameters:

    GET /outlook.ics      calendar feed of planned events (`past=1`: every event of the view)
    GET /feed.atom        Atom feed of the latest added or updated events (`limit=`, 1..200, default 50)
    GET /api/events.json  the events of a view, fields as in the CSV export, with the data version and
    GET /api/events.csv   coverage; at most MAX_LIMIT events per response, paged with `offset`/`limit`
    GET /api/vocab.json   countries, themes, types, statuses and relations with their labels
    GET /embed            the view's chart (`table=1`: and its table) for an <iframe>, no app chrome

Every endpoint reads the app's parameters with `query.state_from_query` (the one parser); a
parameter it cannot use is a JSON 400 listing the same notes the app shows. Responses carry an ETag
from the data version and the request (and `If-None-Match` gets a 304) and a short Cache-Control.
"""
from __future__ import annotations

import datetime as dt
import functools
import hashlib
import html
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode

import flask
import pandas as pd
import plotly.io as pio

from .. import feeds, figures, tables
from ..export import csv_text, data_rows
from ..load import log_updated
from ..outlook import coverage_of
from ..query import ViewState, filter_events, state_from_query, state_to_query
from ..text import t

MAX_LIMIT = 5000            # events per API response; page with offset/limit
MAX_AGE = 60                # seconds a client or proxy may reuse a response without asking again
EMBED_TABLE_ROWS = 500      # rows of the table under an embedded chart
EMBED_PATH = "/embed"
ORIGIN_RE = re.compile(r"^https?://[A-Za-z0-9.-]+(:\d{1,5})?$")


def _int_in(raw: str, lo: int, hi: int) -> int:
    value = int(raw)
    if not lo <= value <= hi:
        raise ValueError(raw)
    return value


def _flag(raw: str) -> bool:
    return {"1": True, "true": True, "0": False, "false": False}[raw.lower()]


# endpoint parameters on top of the app's: name -> (default, parse raw -> value or ValueError, accepted)
OWN_PARAMS = {
    "offset": (0, lambda raw: _int_in(raw, 0, 10**9), "0 or more"),
    "limit": (None, lambda raw: _int_in(raw, 1, MAX_LIMIT), f"1..{MAX_LIMIT}"),
    "past": (False, _flag, "0, 1"),
    "table": (False, _flag, "0, 1"),
}


class BadRequest(Exception):
    """Parameters the endpoint cannot use; `notes` are the app's notes about them."""

    def __init__(self, notes: list[str]):
        super().__init__("; ".join(notes))
        self.notes = notes


def embed_origins(raw: str | None) -> tuple[str, ...]:
    """Origins allowed to frame /embed, from TIMELINE_EMBED_ORIGINS ("https://a.example,https://b.example").
    Anything that is not a plain http(s) origin is dropped, so the setting cannot inject into the CSP."""
    items = [o.strip().rstrip("/") for o in (raw or "").split(",") if o.strip()]
    return tuple(o for o in items if ORIGIN_RE.match(o))


def frame_headers(origins: tuple[str, ...], csp: str) -> dict[str, str]:
    """The CSP of /embed: `csp` with its frame-ancestors widened to `origins` (no X-Frame-Options)."""
    return {"Content-Security-Policy": re.sub(r"frame-ancestors [^;]*", " ".join(["frame-ancestors 'self'", *origins]),
                                              csp)}


# -- requests ------------------------------------------------------------------------------------------

def parse_request(query: str, vocab, known_ids: set[str]) -> tuple[ViewState, dict]:
    """The view state (the app's parameters) and this endpoint's own parameters; BadRequest with the
    app's notes when any part cannot be used."""
    pairs = parse_qsl(query, keep_blank_values=False)
    own = {name: default for name, (default, _, _) in OWN_PARAMS.items()}
    notes = []
    for key, raw in pairs:
        if key in OWN_PARAMS:
            _, parse, accepted = OWN_PARAMS[key]
            try:
                own[key] = parse(raw.strip())
            except (ValueError, KeyError):
                notes.append(("note.bad_choice", {"key": key, "raw": raw, "choices": accepted}))
    rest = urlencode([(k, v) for k, v in pairs if k not in OWN_PARAMS])
    state, state_notes = state_from_query(rest, vocab, known_ids)
    all_notes = state_notes + [t(key, state.lang, **values) for key, values in notes]
    if all_notes:
        raise BadRequest(all_notes)
    return state, own


@dataclass(frozen=True)
class Request:
    """What a response depends on: the key of each worker's cache of responses."""

    path: str
    query: str
    version: str        # the data version being served
    today: dt.date
    root: str           # the server's URL root, for absolute links ("https://host/")


@dataclass(frozen=True)
class Reply:
    body: str
    mimetype: str
    headers: tuple[tuple[str, str], ...] = ()


def serve() -> flask.Response:
    """Every endpoint: 304 when the client has this version of the response, else the (cached) reply."""
    current = flask.current_app.config["timeline_source"].current()
    req = Request(flask.request.path, flask.request.query_string.decode("utf-8", "replace"), current.version,
                  flask.current_app.config.get("timeline_today") or dt.date.today(), flask.request.url_root)
    etag = hashlib.sha256(repr(req).encode()).hexdigest()[:32]
    if etag in flask.request.if_none_match:
        response = flask.Response(status=304)
    else:
        reply = _reply(req, flask.current_app.config["timeline_source"])
        response = flask.Response(reply.body, mimetype=reply.mimetype, headers=dict(reply.headers))
    response.set_etag(etag)
    response.headers["Cache-Control"] = f"public, max-age={MAX_AGE}"
    return response


@functools.lru_cache(maxsize=256)
def _reply(req: Request, source) -> Reply:
    # memoised per worker like the app's views: a feed polled by a whole team costs one computation
    # per data version (a changed log has a new version, so never stale)
    current = source.current()
    state, own = parse_request(req.query, source.vocab, set(current.events["id"]))
    df = filter_events(current.events, state.filters, source.vocab)
    return BUILDERS[req.path](req, current, source.vocab, state, own, df)


def coverage(events: pd.DataFrame, meta: dict) -> dict:
    """What the served log covers: its size, last update, first and last event dates, the date it
    is considered complete through, and how many planned events need a follow-up."""
    cov = coverage_of(meta, events)
    return {"events": len(events), "updated": log_updated(meta, events),
            "first": str(events["date"].min()) if len(events) else None,
            "last": str(events["date"].max()) if len(events) else None,
            "through": cov.through, "through_stated": cov.stated, "past_due": cov.past_due}


def page(df: pd.DataFrame, offset: int, limit: int | None) -> tuple[pd.DataFrame, int | None]:
    """Rows offset..offset+limit (limit at most MAX_LIMIT) and the next offset, or None at the end."""
    limit = limit or MAX_LIMIT
    part = df.iloc[offset:offset + limit]
    return part, (offset + limit if offset + limit < len(df) else None)


def _paging(req: Request, total: int, nxt: int | None) -> tuple[str | None, tuple[tuple[str, str], ...]]:
    """The next page's URL and the headers that say how many events there are and where the next page is."""
    headers = (("X-Total-Count", str(total)),)
    if nxt is None:
        return None, headers
    pairs = [(k, v) for k, v in parse_qsl(req.query) if k != "offset"] + [("offset", str(nxt))]
    url = f"{req.root.rstrip('/')}{req.path}?{urlencode(pairs, safe=',')}"
    return url, headers + (("Link", f'<{url}>; rel="next"'),)


# -- endpoints: (request, served log, vocab, view state, own parameters, the view's events) -> Reply ----

def events_json(req, current, vocab, state, own, df) -> Reply:
    part, nxt = page(df, own["offset"], own["limit"])
    url, headers = _paging(req, len(df), nxt)
    rows = data_rows(part).to_dict("records")
    body = {"version": current.version, "coverage": coverage(current.events, current.meta), "total": len(df),
            "offset": own["offset"], "count": len(rows), "next": url, "events": rows}
    return Reply(json.dumps(body, ensure_ascii=False, default=int), "application/json", headers)


def events_csv(req, current, vocab, state, own, df) -> Reply:
    part, nxt = page(df, own["offset"], own["limit"])
    _, headers = _paging(req, len(df), nxt)
    return Reply(csv_text(part), "text/csv", headers + (("X-Data-Version", current.version),))


def vocab_json(req, current, vocab, state, own, df) -> Reply:
    body = {kind: {k: {"en": v.en, "ja": v.ja, "ko": v.ko or v.en, "color": v.color} for k, v in terms.items()}
            for kind, terms in (("countries", vocab.countries), ("themes", vocab.themes), ("types", vocab.types),
                                ("statuses", vocab.statuses), ("relations", vocab.relations))}
    return Reply(json.dumps(body, ensure_ascii=False), "application/json")


def outlook_ics(req, current, vocab, state, own, df) -> Reply:
    text = feeds.ics_text(df, vocab, state.lang, today=req.today, include_past=own["past"], app_url=req.root,
                          name=feeds.feed_title(state.filters, vocab, state.lang))
    return Reply(text, "text/calendar", (("Content-Disposition", 'inline; filename="korea-timeline.ics"'),))


def feed_atom(req, current, vocab, state, own, df) -> Reply:
    limit = min(own["limit"] or feeds.FEED_ENTRIES, feeds.FEED_MAX)
    feed_url = f"{req.root.rstrip('/')}{req.path}" + (f"?{req.query}" if req.query else "")
    text = feeds.atom_text(df, vocab, state.lang, feed_url=feed_url, app_url=req.root, limit=limit, today=req.today,
                           title=feeds.feed_title(state.filters, vocab, state.lang, "title"))
    return Reply(text, "application/atom+xml")


def embed(req, current, vocab, state, own, df) -> Reply:
    return Reply(embed_page(df, vocab, state, own["table"], req.today, req.root), "text/html")


def embed_page(df: pd.DataFrame, vocab, state: ViewState, table: bool, today: dt.date, app_url: str) -> str:
    """A page with only the view's chart (and table), filling its frame, and a link to the view in the app."""
    lang = state.lang
    zoom = (state.x0, state.x1) if state.x0 and state.x1 else None
    fig = figures.timeline_figure(df, vocab, lang, state.group, selected=state.event, today=today, x_range=zoom,
                                  rangeslider=False, top_axis=False, as_dict=True)
    layout = fig["layout"]
    layout.pop("height", None)
    # sized by its frame: the legend sits at the frame's bottom edge, below the date labels, whatever
    # the frame's height (a legend placed by the plot's height would cover the labels in a short frame)
    layout.update(autosize=True, margin={**layout["margin"], "t": 24, "b": 30 + 22 * _legend_rows(fig)},
                  legend={**layout["legend"], "yref": "container", "y": 0, "yanchor": "bottom"})
    figure = pio.to_json(fig, validate=False).replace("</", "<\\/")
    link = f"{app_url.rstrip('/')}/{state_to_query(state)}"
    foot = (f'<a href="{html.escape(link)}" target="_blank" rel="noopener">{html.escape(t("feed.view", lang))}</a>'
            f' · {html.escape(t("events_n", lang, n=len(df)))}')
    rows = _table_html(df, vocab, lang) if table else ""
    return EMBED_HTML.format(lang=lang, title=html.escape(feeds.feed_title(state.filters, vocab, lang)),
                             chart_height="60%" if table else "calc(100% - 28px)", table=rows, foot=foot,
                             figure=figure)


def _legend_rows(fig: dict, px_per_row: int = 900) -> int:
    """About how many rows the horizontal legend takes in a frame ~900 px wide (at 11 px type)."""
    names = [tr.get("name", "") for tr in fig["data"] if tr.get("showlegend", True) is not False and tr.get("name")]
    width = sum(40 + 7 * len(n) for n in names)
    return max(1, -(-width // px_per_row))


def _table_html(df: pd.DataFrame, vocab, lang: str) -> str:
    rows = tables.chronology(df.sort_values("start", ascending=False).head(EMBED_TABLE_ROWS), vocab, lang,
                             with_summary=False)
    cols = ["date", "title", "countries", "type"]
    head = "".join(f"<th>{html.escape(tables.header(c, lang))}</th>" for c in cols)
    body = "".join("<tr>" + "".join(f"<td>{html.escape(str(r[c]))}</td>" for c in cols) + "</tr>"
                   for r in rows.to_dict("records"))
    return f'<div id="rows"><table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


EMBED_HTML = """<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>{title}</title>
<style>
html,body{{margin:0;height:100%;font:13px system-ui,"Noto Sans CJK JP","Noto Sans CJK KR",sans-serif;overflow:hidden}}
#chart{{position:absolute;top:0;left:0;right:0;height:{chart_height}}}
#rows{{position:absolute;top:60%;bottom:28px;left:0;right:0;overflow:auto;border-top:1px solid #ddd}}
#rows table{{border-collapse:collapse;width:100%}} #rows th,#rows td{{text-align:left;padding:3px 8px;
border-bottom:1px solid #eee}} #rows th{{position:sticky;top:0;background:#f7f7f7}}
footer{{position:absolute;bottom:0;left:0;right:0;height:28px;line-height:28px;padding:0 8px;color:#555;
background:#fafafa;border-top:1px solid #ddd}}
</style>
<script src="/assets/plotly-custom.min.js"></script></head>
<body><div id="chart"></div>{table}<footer>{foot}</footer>
<script id="figure" type="application/json">{figure}</script>
<script>
var fig = JSON.parse(document.getElementById("figure").textContent);
Plotly.newPlot("chart", fig.data, fig.layout, {{responsive: true, displaylogo: false}});
</script></body></html>
"""


def _bad_request(exc: BadRequest):
    return flask.jsonify({"error": "bad-parameters", "notes": exc.notes}), 400


BUILDERS = {"/outlook.ics": outlook_ics, "/feed.atom": feed_atom, "/api/events.json": events_json,
            "/api/events.csv": events_csv, "/api/vocab.json": vocab_json, EMBED_PATH: embed}
ROUTES = tuple(BUILDERS)


def register(server: flask.Flask, today: dt.date | None = None) -> None:
    """Add the read-only endpoints to the app's Flask server."""
    blueprint = flask.Blueprint("timeline_api", __name__)
    for path in ROUTES:
        blueprint.add_url_rule(path, BUILDERS[path].__name__, serve, methods=["GET"])
    blueprint.register_error_handler(BadRequest, _bad_request)
    server.config["timeline_today"] = today
    server.register_blueprint(blueprint)
