"""Callbacks: read the inputs, call the library, return. The URL query string is the one source of
truth for the view; controls write it, and everything shown is rendered from it."""
from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import json

import dash_bootstrap_components as dbc
import flask
from dash import ALL, Input, Output, State, callback_context, dcc, html, no_update

from .. import compare, digest, documents, export, figures, load, outputs, tables
from ..model import PartialDate
from ..outlook import coverage_of, outlook_events, past_due
from ..query import (
    FILTER_BY_NAME,
    TABS,
    Filters,
    ViewState,
    filter_events,
    highlight_spans,
    preset_window,
    rank_events,
    state_from_query,
    state_to_query,
)
from ..source import LogSource
from ..text import UI_LANGS, field_text, t
from . import guard, ids, memo
from .detail import detail_body
from .layout import PRESETS, choice_options, dropdown_labels, graph_config, mode_options, options, problems_banner

# filter (registry name) -> its control; view field -> its control and property
FILTER_CONTROLS = {"date_from": ids.DATE_FROM, "date_to": ids.DATE_TO, "countries": ids.COUNTRY,
                   "country_mode": ids.COUNTRY_MODE, "themes": ids.THEME, "types": ids.TYPE,
                   "min_importance": ids.IMPORTANCE, "statuses": ids.STATUS, "evidence": ids.EVIDENCE,
                   "query": ids.QUERY}
VIEW_CONTROLS = {"group": (ids.GROUP, "value"), "lang": (ids.LANG, "value"), "since": (ids.SINCE, "value"),
                 "tab": (ids.TABS, "data"), "months": (ids.OUTLOOK_RANGE, "value"),
                 "labels": (ids.LABELS, "value"), "bands": (ids.BANDS, "value")}
CONTROLS = [(cid, "value") for cid in FILTER_CONTROLS.values()] + list(VIEW_CONTROLS.values())


def state_of(search: str, source: LogSource) -> tuple[ViewState, list[str]]:
    current = source.current()
    return state_from_query(search or "", source.vocab, set(current.events["id"]))


def render_key(state: ViewState) -> str:
    """What the rendered figures and table depend on: not the tab, the outlook horizon or the zoom."""
    return state_to_query(dataclasses.replace(state, tab="timeline", months=12, x0=None, x1=None))


def register(app, source: LogSource, today=None):
    """Wire every callback; return `view(search)`, the rendered view a page can start with."""
    today_fn = (lambda: today) if today else dt.date.today
    render = _register_render(app, source, today_fn)
    _register_sync(app, source, today_fn)
    _register_zoom(app, source)
    _register_panels(app, source, today_fn)
    _register_language(app, source.vocab)
    _register_export(app, source, today_fn)
    _register_client(app)
    return render


# -- 1. controls <-> URL ------------------------------------------------------------------------------

def _register_sync(app, source: LogSource, today_fn) -> None:
    # one callback so the circle is allowed; the trigger says which way to go
    @app.callback(
        Output(ids.URL, "search"), *[Output(c, p) for c, p in CONTROLS], Output(ids.PRESET, "value"),
        Output(ids.EVENT, "data", allow_duplicate=True), Output(ids.NOTES, "children"),
        Input(ids.URL, "search"), *[Input(c, p) for c, p in CONTROLS], Input(ids.PRESET, "value"),
        Input(ids.EVENT, "data"), Input(ids.CLEAR, "n_clicks"), Input(ids.CLEAR_EMPTY, "n_clicks"),
        State(ids.PRERENDERED, "data"),
        prevent_initial_call="initial_duplicate",
    )
    def sync(search, *values):
        n = len(CONTROLS)
        controls, (preset, event, _c1, _c2, prerendered) = list(values[:n]), values[n:]
        fired = set(callback_context.triggered_prop_ids.values())  # every input that changed at once
        keep = [no_update] * n
        current, notes = state_of(search, source)
        # the page's first call lists every input that has a value; the URL then decides
        if not fired or ids.URL in fired:
            # a page rendered from its URL already shows these controls: leave them, so that what
            # the user types before this first call is not overwritten
            if len(fired) != 1 and prerendered:
                # the controls show the URL's view, plus whatever was changed before this call
                typed, _ = _state_from_controls(controls, current, event, source)
                search_out = state_to_query(typed) if typed != current else no_update
                return (search_out, *keep, None, current.event, _notes(notes))
            return (no_update, *_controls_from_state(current), None, current.event, _notes(notes))
        if fired & {ids.CLEAR, ids.CLEAR_EMPTY}:
            # the filters go; how the view is shown (language, lanes, tab, labels, bands) stays
            state = ViewState(lang=current.lang, group=current.group, tab=current.tab, months=current.months,
                              labels=current.labels, label=current.label, bands=current.bands)
            return (state_to_query(state), *_controls_from_state(state), None, None, None)
        trigger = ids.PRESET if ids.PRESET in fired else next(iter(fired))
        if trigger == ids.PRESET:
            lo, hi = preset_window(preset, today_fn())
            for name, value in (("date_from", lo), ("date_to", hi)):
                i = list(FILTER_CONTROLS).index(name)
                controls[i] = keep[i] = value
        state, notes = _state_from_controls(controls, current, event, source)
        # typing a date by hand leaves the preset buttons
        out_preset = None if trigger in (ids.DATE_FROM, ids.DATE_TO) else no_update
        return (state_to_query(state), *keep, out_preset, no_update, _notes(notes))


def _register_zoom(app, source: LogSource) -> None:
    # its own callback: Dash drops a callback's answer when the same callback fires again before it
    # arrives, so a relayout (Plotly sends one after every draw) must not share the controls' callback
    @app.callback(Output(ids.URL, "search", allow_duplicate=True), Input(ids.TIMELINE, "relayoutData"),
                  State(ids.URL, "search"), prevent_initial_call=True)
    def zoom(relayout, search):
        current, _ = state_of(search, source)
        zoomed = _zoom(current, relayout)
        return state_to_query(zoomed) if zoomed != current else no_update


def _zoom(state: ViewState, relayout: dict | None) -> ViewState:
    """The view with the timeline's zoom from Plotly's relayout event (kept in the URL as x0, x1)."""
    relayout = relayout or {}
    if relayout.get("xaxis.autorange"):
        return dataclasses.replace(state, x0=None, x1=None)
    lo, hi = relayout.get("xaxis.range[0]"), relayout.get("xaxis.range[1]")
    if lo is None and isinstance(relayout.get("xaxis.range"), list):
        lo, hi = relayout["xaxis.range"][:2]
    if not (isinstance(lo, str) and isinstance(hi, str)):
        return state
    return dataclasses.replace(state, x0=lo[:10], x1=hi[:10])


def _controls_from_state(state: ViewState) -> list:
    f = state.filters
    out = [list(v) if isinstance(v, tuple) else v for v in (getattr(f, name) for name in FILTER_CONTROLS)]
    return out + [getattr(state, name) for name in VIEW_CONTROLS]


def _state_from_controls(values: list, current: ViewState, event, source: LogSource) -> tuple[ViewState, list[str]]:
    """Build the state as if from a URL, so malformed input is dropped the same way, with a note."""
    filters = {}
    for name, value in zip(FILTER_CONTROLS, values, strict=False):
        default = FILTER_BY_NAME[name].default
        if isinstance(value, list):
            value = tuple(value)
        elif isinstance(value, str):
            value = value.strip()
        filters[name] = value if value not in (None, "", ()) else default
    view = dict(zip(VIEW_CONTROLS, values[len(FILTER_CONTROLS):], strict=False))
    draft = dataclasses.replace(
        current, filters=Filters(**filters, chain=current.filters.chain), event=event or None,
        lang=view["lang"] or "en", group=view["group"] or "country", since=view["since"] or None,
        tab=view["tab"] or "timeline", months=int(view["months"] or 12),
        labels=_count_or_none(view["labels"]), bands=bool(view["bands"]))
    return state_of(state_to_query(draft), source)


def _count_or_none(value) -> int | None:
    """A number box's value (None, a number, or text a browser let through); out of range is left to the URL check."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def _notes(notes: list[str]):
    if not notes:
        return None
    return dbc.Alert([html.Div(n) for n in notes], color="info", dismissable=True, className="py-2 small",
                     id="url-notes-alert")


# -- 2. everything shown is rendered from the URL ----------------------------------------------------

def _register_render(app, source: LogSource, today_fn):
    vocab = source.vocab

    @memo.bounded(max_entries=64, max_bytes=memo.MAX_BYTES, weigh=view_bytes)
    def _render(key: str, version: str, today, compact: bool = False) -> tuple:
        # memoised per worker on (view, data version, day): a shared link opened by a whole team, or
        # a filter toggled back, costs one computation; a changed log has a new version, so never stale
        state, _ = state_of(key, source)
        current = source.current()
        events = current.events
        df = filter_events(events, state.filters, vocab)
        lang = state.lang
        # plain dicts: sent as they are, converted to JSON once per cached view and never rebuilt
        timeline = figures.timeline_figure(df, vocab, lang, state.group, selected=state.event, today=today,
                                           highlight=_added_since(df, state.since), focus=state.filters.countries,
                                           compact=compact, labels=state.labels, label_ids=state.label,
                                           periods=_periods() if state.bands else None, as_dict=True)
        activity = figures.activity_figure(df, vocab, lang, today=today,
                                           x_range=timeline["layout"]["xaxis"]["range"], as_dict=True)
        counter = t("app.counter", lang, shown=len(df), total=len(events))
        if len(df) > tables.GRID_LIMIT:
            counter += t("app.grid_limit", lang, n=tables.GRID_LIMIT)
        query = state.filters.query
        return (timeline, activity, counter, {"display": "block"} if df.empty else {"display": "none"},
                table_rows(df, vocab, lang, query), column_defs(lang, ranked=bool(query)), _mode_hint(state),
                _chain_head(state, df, events), _currency(current, today, lang))

    def view(search: str, compact: bool = False) -> tuple:
        """The rendered view of a URL search string (zoom applied), for a page's first paint too."""
        state, _ = state_of(search or "", source)
        out = _render(render_key(state), source.current().version, today_fn(), compact)
        return (_zoomed(out[0], state),) + out[1:]

    view.memo = _render  # for tests and diagnostics: entries and estimated bytes held

    @app.callback(
        Output(ids.TIMELINE, "figure"), Output(ids.ACTIVITY, "figure"), Output(ids.COUNTER, "children"),
        Output(ids.EMPTY, "style"), Output(ids.TABLE, "rowData"), Output(ids.TABLE, "columnDefs"),
        Output(ids.MODE_HINT, "children"), Output(ids.CHAIN_HEAD, "children"), Output(ids.CURRENCY, "children"),
        Output(ids.PRERENDERED, "data"),
        Input(ids.URL, "search"), Input(ids.DATA_VERSION, "data"), Input(ids.VIEWPORT, "data"),
        State(ids.PRERENDERED, "data"),
    )
    def render(search, _version, viewport, shown):
        state, _ = state_of(search or "", source)
        compact = viewport == "phone"
        key = {"key": render_key(state), "version": source.current().version, "compact": compact}
        if shown and all(shown.get(k) == v for k, v in key.items()):
            # the page already shows this view (a zoom, a tab or the outlook horizon changed):
            # the table is filled once, on the first call (ag-grid created with rows in the layout
            # can stay blank when its columns change later)
            if shown.get("table"):
                return (no_update,) * 10
            out = view(search, compact)
            return (no_update,) * 4 + out[4:6] + (no_update,) * 3 + ({**key, "table": True},)
        return view(search, compact) + ({**key, "table": True},)

    return view


def _periods() -> list | None:
    """The context bands, or none when the periods file is missing or invalid (the log still shows)."""
    try:
        return list(load.load_periods())
    except (load.InvalidLog, OSError):
        guard.log.warning("context periods not shown: the periods file is missing or invalid")
        return None


def view_bytes(out: tuple) -> int:
    """About how many bytes a rendered view holds (calibrated on synthetic logs of 1,000-20,000
    events): its points, hover texts and table rows, counted without serialising anything."""
    points = sum(len(v) for fig in out[:2] for trace in fig.get("data", ()) for v in trace.values()
                 if isinstance(v, (list, tuple)))
    return 4096 + POINT_BYTES * points + ROW_BYTES * len(out[4])


POINT_BYTES, ROW_BYTES = 100, 1000  # live objects: about twice their pickled size


def _zoomed(figure: dict, state: ViewState) -> dict:
    if not (state.x0 and state.x1):
        return figure
    layout = {**figure["layout"], "xaxis": {**figure["layout"]["xaxis"], "range": [state.x0, state.x1]}}
    return {**figure, "layout": layout}


def _mode_hint(state: ViewState) -> str | None:
    f = state.filters
    return t("app.mode_hint", state.lang) if len(f.countries) > 1 and f.country_mode == "any" else None


def _chain_head(state: ViewState, df, events) -> str | None:
    if not state.filters.chain:
        return None
    row = events[events["id"] == state.filters.chain]
    title = field_text(row.iloc[0].to_dict(), "title", state.lang) if len(row) else state.filters.chain
    return t("app.chain_view", state.lang, n=len(df), title=title)


def _currency(current, today, lang: str) -> list:
    cov = coverage_of(current.meta, current.events, today)
    if not cov.through:
        return []
    parts = [html.Span(t("app.currency", lang, date=cov.label(lang)),
                       className="badge bg-secondary me-1", id="currency-through")]
    if cov.past_due:
        parts.append(dcc.Link(t("app.past_due", lang, n=cov.past_due), href=f"?tab=outlook&lang={lang}",
                              className="badge bg-warning text-dark", id="currency-past-due"))
    return parts


def _added_since(df, since: str | None) -> set[str]:
    if not since:
        return set()
    return set(df.loc[(df["added"] != "") & (df["added"] >= since), "id"])


def table_rows(df, vocab, lang: str, query: str) -> list[dict]:
    """The table's rows; with a search, the most relevant first, each with where its title matches
    (`title_marks`: character spans the grid's `MarkedText` renderer wraps in <mark>)."""
    if not query:
        return tables.grid_rows(df, vocab, lang)
    rows = tables.grid_rows(rank_events(df, query, vocab), vocab, lang)
    return [{**r, "title_marks": highlight_spans(r["title"], query, vocab)} for r in rows]


def column_defs(lang: str, ranked: bool = False) -> list[dict]:
    """The table's columns: newest first (with a search: most relevant first, the words found marked),
    status shown, dates and titles wrapping instead of cut."""
    head = functools.partial(tables.header, lang=lang)
    return [
        {"field": "date", "headerName": head("date"), "valueFormatter": {"function": "params.data.date_label"},
         **({} if ranked else {"sort": "desc"}), "width": 170, "minWidth": 150, "wrapText": True,
         "autoHeight": True},
        {"field": "title", "headerName": head("title"), "flex": 3, "minWidth": 260, "wrapText": True,
         "autoHeight": True, "tooltipField": "title", **({"cellRenderer": "MarkedText"} if ranked else {})},
        {"field": "status", "headerName": head("status"), "width": 130, "minWidth": 110},
        {"field": "evidence", "headerName": head("evidence"), "width": 150, "minWidth": 110, "wrapText": True,
         "autoHeight": True},
        {"field": "countries", "headerName": head("countries"), "flex": 1, "minWidth": 120, "wrapText": True,
         "autoHeight": True},
        {"field": "themes", "headerName": head("themes"), "flex": 1, "minWidth": 140, "wrapText": True,
         "autoHeight": True},
        {"field": "type", "headerName": head("type"), "width": 130, "minWidth": 110, "wrapText": True,
         "autoHeight": True},
        {"field": "importance", "headerName": head("importance"), "width": 90, "minWidth": 80},
        {"field": "sources", "headerName": head("sources"), "flex": 1, "minWidth": 140, "tooltipField": "sources",
         "wrapText": False, "autoHeight": False},
    ]


# -- 3. detail panel, outlook, event selection --------------------------------------------------------

def _register_panels(app, source: LogSource, today_fn) -> None:
    vocab = source.vocab

    @app.callback(Output(ids.DETAIL, "is_open"), Output(ids.DETAIL_BODY, "children"),
                  Input(ids.URL, "search"), Input(ids.DATA_VERSION, "data"), State(ids.DETAIL, "is_open"))
    def detail(search, _version, is_open):
        state, _ = state_of(search, source)
        if not state.event:  # leave a closed panel alone: no change, no needless "closed" to react to
            return (False, None) if is_open else (no_update, no_update)
        return True, detail_body(source.current().events, state.event, vocab, state.lang, state.filters.query,
                                 labelled=state.event in state.label)

    # the tabs built only when looked at: tab -> (where it goes, what builds it from the view)
    panels = {
        "outlook": (ids.OUTLOOK, lambda state: outlook_panel(source.current().events, state, vocab, today_fn())),
        "briefing": (ids.BRIEFING, lambda state: briefing_text(source, state, today_fn())),
        "compare": (ids.COMPARE, lambda state: compare_panel(source.current().events, state, vocab, today_fn(),
                                                             source.current().meta)),
    }
    for name, (target, build) in panels.items():
        _register_panel(app, source, name, target, build)

    @app.callback(Output(ids.EVENT, "data", allow_duplicate=True),
                  Input(ids.TIMELINE, "clickData"), Input(ids.TABLE, "cellClicked"), Input(ids.TABLE, "eventData"),
                  Input({"type": ids.RELATED_LINK, "id": ALL}, "n_clicks"), Input(ids.DETAIL, "is_open"),
                  State(ids.EVENT, "data"), prevent_initial_call=True)
    def select(click, cell, key, related, is_open, current):
        trigger = callback_context.triggered_id
        if trigger == ids.TIMELINE and click:
            return click["points"][0].get("customdata") or no_update
        if trigger == ids.TABLE:
            chosen = callback_context.triggered[0]["prop_id"].endswith("eventData") and key or cell
            return (chosen or {}).get("id") or (chosen or {}).get("rowId") or no_update
        if isinstance(trigger, dict) and trigger.get("type") == ids.RELATED_LINK:
            return trigger["id"] if any(related) else no_update
        if trigger == ids.DETAIL and is_open is False and current:
            return None
        return no_update

    @app.callback(Output(ids.FILTERS_COLLAPSE, "is_open"), Input(ids.FILTERS_TOGGLE, "n_clicks"),
                  State(ids.FILTERS_COLLAPSE, "is_open"), prevent_initial_call=True)
    def toggle_filters(_n, is_open):
        return not is_open


def _register_panel(app, source: LogSource, name: str, target: str, build) -> None:
    @app.callback(Output(target, "children"), Input(ids.URL, "search"), Input(ids.DATA_VERSION, "data"),
                  Input(ids.TABS, "data"))
    def panel(search, _version, tab):
        if tab != name:  # built only when looked at
            return no_update
        state, _ = state_of(search, source)
        return build(state)


def outlook_panel(events, state: ViewState, vocab, today: dt.date) -> list:
    """The outlook tab: planned events of the next months as a chart and a list, then the plans
    whose date has passed and whose outcome is not confirmed."""
    lang = state.lang
    ahead = outlook_events(events, today, state.months, state.filters)
    follow = past_due(filter_events(events, state.filters, vocab), today)
    out = []
    if ahead.empty:
        out.append(dbc.Alert(t("app.outlook_empty", lang, n=state.months), color="light", id="outlook-empty"))
    else:
        fig = figures.outlook_figure(ahead, vocab, lang, state.group, today, state.months)
        out += [dcc.Graph(id="outlook-graph", figure=fig, config=graph_config(lang, "korea-outlook")),
                _event_list(ahead, vocab, lang, "outlook-list")]
    if len(follow):
        out += [html.H3(t("app.outlook_past_due", lang), className="h6 mt-3"),
                _event_list(follow, vocab, lang, "outlook-past-due")]
    return out


def briefing_text(source: LogSource, state: ViewState, today: dt.date) -> str:
    """The briefing tab: the key-developments digest of the view (compared with the whole log) as plain text."""
    b = dataclasses.replace(briefing_of(source, state, today), log=source.current().events, since=state.since)
    return digest.plain_text(documents.briefing_digest(b))


def compare_panel(events, state: ViewState, vocab, today: dt.date, meta: dict | None = None) -> list:
    """The compare tab: the view's window of the whole log against the window before
    (compare.comparison_figure's bars side by side), then the window's country x theme counts as a table
    (the app's Plotly bundle has no heat maps). A window that runs past the log's coverage (`meta`)
    says that its counts are low for want of entries."""
    lang = state.lang
    c = compare.compare(events, state.filters, vocab, today)
    cov = coverage_of(meta or {}, events, today)
    warn = []
    if cov.through and c.current[1] > PartialDate.parse(cov.through).last:
        warn = [dbc.Alert(t("compare.beyond_coverage", lang, date=cov.label(lang)), color="warning",
                          className="py-2 small my-2", id="compare-coverage")]
    fig = compare.comparison_figure(c, vocab, lang)
    fig.data = [trace for trace in fig.data if trace.type != "heatmap"]
    # room between the panels for the next panel's names (up to ~150 px in the app's narrower chart)
    for i, (lo, hi) in enumerate(((0.0, 0.22), (0.39, 0.61), (0.78, 1.0)), start=1):
        suffix = "" if i == 1 else str(i)
        fig.layout[f"xaxis{suffix}"].domain = [lo, hi]
        fig.layout[f"yaxis{suffix}"].domain = [0.0, 0.9]
        fig.layout.annotations[i - 1].update(x=lo, y=0.92)
    fig.layout.annotations = fig.layout.annotations[:3]
    fig.update_layout(width=None, height=480, autosize=True, xaxis4=None, yaxis4=None)
    return warn + [dcc.Graph(id="compare-graph", figure=fig, config=graph_config(lang, "korea-comparison", 480)),
                   _heat_table(c, vocab, lang)]


def _heat_table(c, vocab, lang: str):
    heat = c.heat
    if heat.empty:
        return None
    head = [html.Th(t("compare.by_heat", lang))] + [html.Th(vocab.label("theme", k, lang)) for k in heat.columns]
    body = [html.Tr([html.Th(vocab.label("country", k, lang))] + [html.Td(int(v)) for v in row])
            for k, row in zip(heat.index, heat.to_numpy().tolist(), strict=True)]
    # scrolls inside its own box: a wide table must not make the whole page scroll sideways
    return html.Div(dbc.Table([html.Thead(html.Tr(head)), html.Tbody(body)], size="sm", bordered=True,
                              id="compare-heat", className="small w-auto"), className="table-responsive")


def _event_list(df, vocab, lang: str, list_id: str) -> html.Ul:
    rows = tables.chronology(df.sort_values("start"), vocab, lang, with_summary=False)
    return html.Ul([html.Li([html.Strong(r.date), " — ",
                             html.A(r.title, href=f"?event={r.id}&lang={lang}", className="event-link"),
                             html.Span(f" ({r.status})", className="text-muted")])
                    for r in rows.itertuples(index=False)], className="small", id=list_id)


# -- 4. language: every label, option and placeholder ---------------------------------------------------

def _register_language(app, vocab) -> None:
    @app.callback(
        Output({"type": ids.LABEL, "key": ALL, "slot": ALL}, "children"), Output(ids.COUNTRY, "options"),
        Output(ids.THEME, "options"), Output(ids.TYPE, "options"), Output(ids.STATUS, "options"),
        Output(ids.EVIDENCE, "options"),
        Output(ids.IMPORTANCE, "options"), Output(ids.GROUP, "options"), Output(ids.PRESET, "options"),
        Output(ids.COUNTRY_MODE, "options"), Output(ids.QUERY, "placeholder"),
        *[Output(c, "labels") for c in (ids.COUNTRY, ids.THEME, ids.TYPE)],
        *[Output(c, "placeholder") for c in (ids.COUNTRY, ids.THEME, ids.TYPE)],
        Output({"type": ids.EXPORT_ITEM, "fmt": ALL}, "children"),
        Output(ids.TIMELINE, "config"), Output(ids.ACTIVITY, "config"), Output(ids.TIMELINE_WRAP, "aria-label"),
        Input(ids.LANG, "value"), State({"type": ids.LABEL, "key": ALL, "slot": ALL}, "id"),
        State({"type": ids.EXPORT_ITEM, "fmt": ALL}, "id"),
    )
    def language(lang, label_ids, export_ids):
        lang = lang if lang in UI_LANGS else "en"
        labels = dropdown_labels(lang)
        return ([t(i["key"], lang) for i in label_ids], options(vocab, "country", lang),
                options(vocab, "theme", lang), options(vocab, "type", lang), options(vocab, "status", lang),
                options(vocab, "evidence", lang),
                choice_options("importance", (1, 2, 3), lang), choice_options("group", ("country", "theme", "type"),
                                                                              lang),
                choice_options("preset", PRESETS, lang), mode_options(lang), t("app.search_ph", lang),
                labels, labels, labels, *[t("dropdown.placeholder", lang)] * 3,
                [t(f"format.{i['fmt']}", lang) for i in export_ids],
                graph_config(lang, "korea-timeline"), graph_config(lang, "korea-timeline-activity", 360),
                t("app.chart_alt", lang))


# -- 5. exports of the current view ------------------------------------------------------------------

def _register_export(app, source: LogSource, today_fn) -> None:

    gate = app.server.config.setdefault("timeline_export_gate", guard.ExportGate.from_environment())

    @app.callback(Output(ids.DOWNLOAD, "data"), Output(ids.EXPORT_ERROR, "children"),
                  Input({"type": ids.EXPORT_ITEM, "fmt": ALL}, "n_clicks"),
                  State(ids.URL, "search"), State(ids.EXPORT_TEMPLATE, "value"), prevent_initial_call=True)
    def download(clicks, search, template):
        trigger = callback_context.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update, no_update
        state, _ = state_of(search, source)
        fmt = trigger.get("fmt")
        try:  # a few at a time, a bounded wait, a limit per client: exports never starve the views
            with gate.admit(flask.request.remote_addr or "-"):
                briefing = briefing_of(source, state, today_fn())
                data = outputs.export_bytes(briefing, fmt, template or "slide")
        except guard.Busy:
            return no_update, _export_alert(t("app.export_busy", state.lang))
        except guard.RateLimited as exc:
            return no_update, _export_alert(t("app.export_rate", state.lang, seconds=exc.retry_after))
        except export.ExportError as exc:
            return no_update, _export_alert(t("app.export_failed", state.lang, error=exc))
        except Exception as exc:  # a bug: logged in full, and the user still gets a message, not a silent 500
            guard.log.exception("export %s of %s failed", fmt, search)
            return no_update, _export_alert(t("app.export_failed", state.lang, error=type(exc).__name__))
        return dcc.send_bytes(data, export.file_name(briefing, fmt)), None

    # live reload: notice a changed file, keep the last good data when the new one is invalid
    # no initial call: the page's layout already carries the version and the banner it is served with
    @app.callback(Output(ids.DATA_VERSION, "data"), Output(ids.RELOAD_BANNER, "children"),
                  Input(ids.RELOAD_TICK, "n_intervals"), State(ids.DATA_VERSION, "data"), State(ids.LANG, "value"),
                  prevent_initial_call=True)
    def reload(_n, version, lang):
        current = source.current()
        banner = problems_banner(current.problems if current.stale else [], lang, current.empty)
        return (current.version if current.version != version else no_update), banner


def _export_alert(message: str):
    return dbc.Alert(message, color="danger", dismissable=True, className="py-2 small")


def briefing_of(source: LogSource, state: ViewState, today: dt.date) -> export.Briefing:
    """What an export of this view says about itself: events, filters, data version and coverage."""
    current = source.current()
    return export.Briefing(filter_events(current.events, state.filters, source.vocab), source.vocab, state.filters,
                           state.lang, date=today, group=state.group,
                           **export.log_facts(current.meta, current.events, state.lang, today))


# -- 6. in the browser only -----------------------------------------------------------------------------

def _register_client(app) -> None:
    names = list(TABS)
    app.clientside_callback(  # a tab button sets the active tab (the URL follows through the sync)
        "function(){ var t = window.dash_clientside.callback_context.triggered_id;"
        " return t ? t.replace('tab-', '') : window.dash_clientside.no_update; }",
        Output(ids.TABS, "data", allow_duplicate=True), *[Input(ids.tab_button(n), "n_clicks") for n in names],
        prevent_initial_call=True)
    app.clientside_callback(  # the active tab's button and panel
        "function(active){ var names = " + json.dumps(names) + ";"
        " return [].concat(names.map(function(n){ return 'nav-link' + (n === active ? ' active' : ''); }),"
        " names.map(function(n){ return n === active ? 'true' : 'false'; }),"
        " names.map(function(n){ return n !== active; })); }",
        *[Output(ids.tab_button(n), "className") for n in names],
        *[Output(ids.tab_button(n), "aria-selected") for n in names],
        *[Output(ids.tab_panel(n), "hidden") for n in names], Input(ids.TABS, "data"))
    app.clientside_callback(  # the detail panel's button: the event joins (or leaves) the view's `label` list
        "function(n, search, id) { if (!n || !id) { return window.dash_clientside.no_update; }"
        " var p = new URLSearchParams(search || ''), ids = (p.get('label') || '').split(',').filter(Boolean);"
        " var i = ids.indexOf(id); if (i >= 0) { ids.splice(i, 1); } else { ids.push(id); }"
        " if (ids.length) { p.set('label', ids.join(',')); } else { p.delete('label'); }"
        " return '?' + p.toString().replace(/%2C/g, ','); }",
        Output(ids.URL, "search", allow_duplicate=True), Input(ids.LABEL_TOGGLE, "n_clicks"),
        State(ids.URL, "search"), State(ids.EVENT, "data"), prevent_initial_call=True)
    app.clientside_callback(  # a phone's width gets a compact timeline (fewer lanes, no range slider)
        "function(_){ return window.innerWidth < 576 ? 'phone' : 'wide'; }",
        Output(ids.VIEWPORT, "data"), Input(ids.URL, "pathname"))
    app.clientside_callback(  # the link "Copy link" copies: built from the search the view writes
        "function(lang, search){ document.documentElement.lang = lang || 'en';"
        " var texts = document.getElementById('copied-texts'), l = lang || 'en';"
        " var title = texts && texts.dataset['title' + l.charAt(0).toUpperCase() + l.slice(1)];"
        " if (title) { document.title = title; }"
        " return window.location.origin + window.location.pathname + (search || ''); }",
        Output(ids.SHARE_URL, "children"), Input(ids.LANG, "value"), Input(ids.URL, "search"))
    app.clientside_callback(  # copy the link (assets/copy.js), and say so
        "function(n, url, lang) { return n ? window.timelineCopy(url, lang, '') : window.dash_clientside.no_update; }",
        Output(ids.COPY_STATUS, "children"), Input(ids.COPY, "n_clicks"), State(ids.SHARE_URL, "children"),
        State(ids.LANG, "value"), prevent_initial_call=True)
    app.clientside_callback(  # the briefing tab's "Copy text": the same copy, of the digest's text
        "function(n, text, lang) { return n && text ? window.timelineCopy(text, lang, 'text')"
        " : window.dash_clientside.no_update; }",
        Output(ids.BRIEFING_COPY_STATUS, "children"), Input(ids.BRIEFING_COPY, "n_clicks"),
        State(ids.BRIEFING, "children"), State(ids.LANG, "value"), prevent_initial_call=True)
