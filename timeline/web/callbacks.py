"""Callbacks: read the inputs, call the library, return. The URL query string is the one source of
truth for the view; controls write it, and everything shown is rendered from it."""
from __future__ import annotations

import datetime as dt
import functools

import dash_bootstrap_components as dbc
from dash import ALL, Input, Output, State, callback_context, dcc, html, no_update

from .. import export, figures, tables
from ..load import log_updated
from ..outlook import outlook_events
from ..query import (Filters, ViewState, filter_events, preset_window, state_from_query, state_to_query)
from ..source import LogSource
from . import ids
from .detail import detail_body
from .layout import (FORMAT_TEXT, FORMAT_TEXT_JA, GROUP_TEXT, PRESET_TEXT, TEXT, importance_options, options,
                     problems_banner)

CONTROLS = [ids.DATE_FROM, ids.DATE_TO, ids.COUNTRY, ids.THEME, ids.TYPE, ids.IMPORTANCE, ids.STATUS, ids.QUERY,
            ids.GROUP, ids.LANG, ids.SINCE, ids.TABS]
PROPS = {ids.TABS: "active_tab", ids.EVENT: "data"}


def _prop(cid: str) -> str:
    return PROPS.get(cid, "value")


def state_of(search: str, source: LogSource) -> tuple[ViewState, list[str]]:
    current = source.current()
    return state_from_query(search or "", source.vocab, set(current.events["id"]))


def register(app, source: LogSource, today=None):
    """Wire every callback; return `view(search)`, the rendered view a page can start with."""
    vocab = source.vocab
    today_fn = (lambda: today) if today else dt.date.today

    # 1. controls <-> URL. One callback so the circle is allowed; the trigger says which way to go.
    @app.callback(
        Output(ids.URL, "search"), *[Output(c, _prop(c)) for c in CONTROLS], Output(ids.PRESET, "value"),
        Output(ids.EVENT, "data", allow_duplicate=True), Output(ids.NOTES, "children"),
        Input(ids.URL, "search"), *[Input(c, _prop(c)) for c in CONTROLS], Input(ids.PRESET, "value"),
        Input(ids.EVENT, "data"), Input(ids.CLEAR, "n_clicks"), Input(ids.CLEAR_EMPTY, "n_clicks"),
        prevent_initial_call="initial_duplicate",
    )
    def sync(search, *values):
        controls = dict(zip(CONTROLS, values[:len(CONTROLS)]))
        preset, event = values[len(CONTROLS)], values[len(CONTROLS) + 1]
        trigger = callback_context.triggered_id
        keep = [no_update] * len(CONTROLS)
        if trigger in (None, ids.URL):
            state, notes = state_of(search, source)
            return (no_update, *_controls_from_state(state), None, state.event, _notes(notes))
        if trigger in (ids.CLEAR, ids.CLEAR_EMPTY):
            current, _ = state_of(search, source)
            state = ViewState(lang=current.lang, group=current.group, tab=current.tab)
            return (state_to_query(state), *_controls_from_state(state), None, None, None)
        if trigger == ids.PRESET:
            lo, hi = preset_window(preset, today_fn())
            controls[ids.DATE_FROM], controls[ids.DATE_TO] = lo, hi
            keep[CONTROLS.index(ids.DATE_FROM)], keep[CONTROLS.index(ids.DATE_TO)] = lo, hi
        state, notes = _state_from_controls(controls, event, source)
        # typing a date by hand leaves the preset buttons
        out_preset = None if trigger in (ids.DATE_FROM, ids.DATE_TO) else no_update
        return (state_to_query(state), *keep, out_preset, no_update, _notes(notes))

    # 2. everything shown is rendered from the URL
    @app.callback(
        Output(ids.TIMELINE, "figure"), Output(ids.ACTIVITY, "figure"), Output(ids.COUNTER, "children"),
        Output(ids.EMPTY, "style"), Output(ids.TABLE, "rowData"), Output(ids.TABLE, "columnDefs"),
        Output(ids.PRERENDERED, "data"),
        Input(ids.URL, "search"), Input(ids.DATA_VERSION, "data"), State(ids.PRERENDERED, "data"),
    )
    def render(search, _version, prerendered):
        current = source.current()
        view = _render(search or "", current.version, today_fn())
        if prerendered and prerendered == {"search": search or "", "version": current.version}:
            # the page came with this very view drawn: keep it (the table is filled here: ag-grid created
            # with rows in the layout can stay blank when its columns change later); once only
            return (no_update,) * 4 + view[4:] + (None,)
        return view + (no_update,)

    @functools.lru_cache(maxsize=64)
    def _render(search: str, version: str, today):
        # memoised per worker on (view, data version, day): a shared link opened by a whole team, or
        # a filter toggled back, costs one computation; a changed log has a new version, so never stale
        state, _ = state_of(search, source)
        events = source.current().events
        df = filter_events(events, state.filters, vocab)
        since = _added_since(df, state.since)
        # plain dicts: sent as they are, converted to JSON once per cached view and never rebuilt
        timeline = figures.timeline_figure(df, vocab, state.lang, state.group, selected=state.event,
                                           today=today, highlight=since, as_dict=True)
        activity = figures.activity_figure(df, vocab, state.lang, today=today,
                                           x_range=timeline["layout"]["xaxis"]["range"], as_dict=True)
        counter = (f"Showing {len(df):,} of {len(events):,} events" if state.lang == "en"
                   else f"全{len(events):,}件中{len(df):,}件を表示")
        if len(df) > tables.GRID_LIMIT:
            counter += (f" (the table lists the newest {tables.GRID_LIMIT:,}; exports include all)"
                        if state.lang == "en" else f"（表は新しい{tables.GRID_LIMIT:,}件まで。書き出しは全件）")
        empty_style = {"display": "block"} if df.empty else {"display": "none"}
        return (timeline, activity, counter, empty_style, tables.grid_rows(df, vocab, state.lang),
                _column_defs(state.lang))

    def view(search: str) -> tuple:
        """The rendered view of a URL search string, for a page's first paint."""
        return _render(search or "", source.current().version, today_fn())

    @app.callback(Output(ids.DETAIL, "is_open"), Output(ids.DETAIL_BODY, "children"),
                  Input(ids.URL, "search"), Input(ids.DATA_VERSION, "data"), State(ids.DETAIL, "is_open"))
    def detail(search, _version, is_open):
        state, _ = state_of(search, source)
        if not state.event:  # leave a closed panel alone: no change, no needless "closed" to react to
            return (False, None) if is_open else (no_update, no_update)
        events = source.current().events
        return True, detail_body(events, state.event, vocab, state.lang)

    @app.callback(Output(ids.OUTLOOK, "children"), Input(ids.URL, "search"), Input(ids.OUTLOOK_RANGE, "value"),
                  Input(ids.DATA_VERSION, "data"), Input(ids.TABS, "active_tab"))
    def outlook(search, months, _version, tab):
        if tab != "outlook":  # built only when looked at
            return no_update
        state, _ = state_of(search, source)
        df = outlook_events(source.current().events, today_fn(), int(months or 12), state.filters)
        fig = figures.timeline_figure(df, vocab, state.lang, state.group, today=today_fn(), rangeslider=False)
        rows = tables.chronology(df, vocab, state.lang, with_summary=False)
        items = [html.Li([html.Strong(r.date), " — ", r.title, html.Span(f" ({r.status})", className="text-muted")])
                 for r in rows.itertuples(index=False)]
        return [dcc.Graph(id="outlook-graph", figure=fig, config={"displaylogo": False}),
                html.Ul(items, className="small", id="outlook-list")]

    # 3. selecting an event: marker, table row or related link -> the store -> the URL
    @app.callback(Output(ids.EVENT, "data", allow_duplicate=True),
                  Input(ids.TIMELINE, "clickData"), Input(ids.TABLE, "cellClicked"),
                  Input({"type": ids.RELATED_LINK, "id": ALL}, "n_clicks"), Input(ids.DETAIL, "is_open"),
                  State(ids.EVENT, "data"), prevent_initial_call=True)
    def select(click, cell, related, is_open, current):
        trigger = callback_context.triggered_id
        if trigger == ids.TIMELINE and click:
            point = click["points"][0]
            return point.get("customdata") or no_update
        if trigger == ids.TABLE and cell:
            return cell.get("rowId") or no_update
        if isinstance(trigger, dict) and trigger.get("type") == ids.RELATED_LINK:
            if any(related):
                return trigger["id"]
            return no_update
        if trigger == ids.DETAIL and is_open is False and current:
            return None
        return no_update

    # 4. language: every label, option and placeholder
    @app.callback(
        Output({"type": ids.LABEL, "key": ALL, "slot": ALL}, "children"), Output(ids.COUNTRY, "options"),
        Output(ids.THEME, "options"), Output(ids.TYPE, "options"), Output(ids.STATUS, "options"),
        Output(ids.IMPORTANCE, "options"), Output(ids.GROUP, "options"), Output(ids.PRESET, "options"),
        Output(ids.QUERY, "placeholder"), Output({"type": ids.EXPORT_ITEM, "fmt": ALL}, "children"),
        Output("tab-timeline", "label"), Output("tab-outlook", "label"),
        Input(ids.LANG, "value"), State({"type": ids.LABEL, "key": ALL, "slot": ALL}, "id"),
        State({"type": ids.EXPORT_ITEM, "fmt": ALL}, "id"),
    )
    def language(lang, label_ids, export_ids):
        lang = lang if lang in TEXT else "en"
        t = TEXT[lang]
        fmt_text = FORMAT_TEXT if lang == "en" else FORMAT_TEXT_JA
        return ([t[i["key"]] for i in label_ids], options(vocab, "country", lang), options(vocab, "theme", lang),
                options(vocab, "type", lang), options(vocab, "status", lang), importance_options(lang),
                [{"label": v, "value": k} for k, v in GROUP_TEXT[lang].items()],
                [{"label": v, "value": k} for k, v in PRESET_TEXT[lang].items()], t["search_ph"],
                [fmt_text[i["fmt"]] for i in export_ids], t["timeline"], t["outlook"])

    app.clientside_callback(  # the link "Copy link" copies: built from the search the view writes
        "function(lang, search){ document.documentElement.lang = lang || 'en';"
        " return window.location.origin + window.location.pathname + (search || ''); }",
        Output(ids.SHARE_URL, "children"), Input(ids.LANG, "value"), Input(ids.URL, "search"))

    # 5. exports of the current view
    @app.callback(Output(ids.DOWNLOAD, "data"), Output(ids.EXPORT_ERROR, "children"),
                  Input({"type": ids.EXPORT_ITEM, "fmt": ALL}, "n_clicks"),
                  State(ids.URL, "search"), State(ids.EXPORT_TEMPLATE, "value"), prevent_initial_call=True)
    def download(clicks, search, template):
        trigger = callback_context.triggered_id
        if not isinstance(trigger, dict) or not any(clicks):
            return no_update, no_update
        state, _ = state_of(search, source)
        current = source.current()
        briefing = export.Briefing(filter_events(current.events, state.filters, vocab), vocab, state.filters, state.lang,
                                   date=today_fn(), log_size=len(current.events),
                                   log_updated=log_updated(current.meta, current.events), group=state.group)
        fmt = trigger["fmt"]
        try:
            data = export.export_bytes(briefing, fmt, template or "slide")
        except export.ExportError as exc:
            return no_update, dbc.Alert(str(exc), color="danger", dismissable=True, className="py-2 small")
        return dcc.send_bytes(data, export.file_name(briefing, fmt)), None

    # 6. live reload: notice a changed file, keep the last good data when the new one is invalid
    # no initial call: the page's layout already carries the version and the banner it is served with
    @app.callback(Output(ids.DATA_VERSION, "data"), Output(ids.RELOAD_BANNER, "children"),
                  Input(ids.RELOAD_TICK, "n_intervals"), State(ids.DATA_VERSION, "data"), State(ids.LANG, "value"),
                  prevent_initial_call=True)
    def reload(_n, version, lang):
        current = source.current()
        banner = problems_banner(current.problems if current.stale else [], lang)
        return (current.version if current.version != version else no_update), banner

    return view


def _controls_from_state(state: ViewState) -> list:
    f = state.filters
    return [f.date_from, f.date_to, list(f.countries), list(f.themes), list(f.types), f.min_importance,
            list(f.statuses), f.query, state.group, state.lang, state.since, state.tab]


def _state_from_controls(c: dict, event, source: LogSource) -> tuple[ViewState, list[str]]:
    """Build the state as if from a URL, so malformed input is dropped the same way, with a note."""
    f = Filters(date_from=c[ids.DATE_FROM] or None, date_to=c[ids.DATE_TO] or None,
                countries=tuple(c[ids.COUNTRY] or ()), themes=tuple(c[ids.THEME] or ()),
                types=tuple(c[ids.TYPE] or ()), min_importance=int(c[ids.IMPORTANCE] or 1),
                statuses=tuple(c[ids.STATUS] or ()), query=(c[ids.QUERY] or "").strip())
    draft = ViewState(filters=f, lang=c[ids.LANG] or "en", group=c[ids.GROUP] or "country", event=event or None,
                      since=c[ids.SINCE] or None, tab=c[ids.TABS] or "timeline")
    return state_of(state_to_query(draft), source)


def _notes(notes: list[str]):
    if not notes:
        return None
    return dbc.Alert([html.Div(n) for n in notes], color="info", dismissable=True, className="py-2 small",
                     id="url-notes-alert")


def _added_since(df, since: str | None) -> set[str]:
    if not since:
        return set()
    return set(df.loc[(df["added"] != "") & (df["added"] >= since), "id"])


def _column_defs(lang: str) -> list[dict]:
    lab = tables.LABELS[lang]
    return [
        {"field": "date", "headerName": lab["date"], "valueFormatter": {"function": "params.data.date_label"},
         "sort": "asc", "width": 150, "minWidth": 120},
        {"field": "title", "headerName": lab["title"], "flex": 3, "minWidth": 240, "tooltipField": "title",
         "wrapText": False},
        {"field": "countries", "headerName": lab["countries"], "flex": 1, "minWidth": 110},
        {"field": "themes", "headerName": lab["themes"], "flex": 1, "minWidth": 130},
        {"field": "type", "headerName": lab["type"], "width": 130},
        {"field": "importance", "headerName": lab["importance"], "width": 100},
        {"field": "sources", "headerName": lab["sources"], "flex": 1, "minWidth": 120, "tooltipField": "sources"},
    ]
