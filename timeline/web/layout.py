"""The page: filters on the left (behind a button on a phone), the timeline, table and outlook as
tabs on the right, the detail panel. Every visible label is a `label(key)` from the text catalogue,
so the language switch can change all of them.
"""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from ..export import ALL_FORMATS, TEMPLATES
from ..model import Vocabulary
from ..query import GROUPS, MAX_LABELS, OUTLOOK_MONTHS, TABS, ViewState
from ..text import UI_LANGS, t
from . import ids

PRESETS = ("3m", "6m", "12m", "lee", "all")
LANG_NAMES = {"en": "English", "ja": "日本語", "ko": "한국어"}

# Plotly's mode bar: nothing that uploads or links out, nothing the timeline does not need
GRAPH_CONFIG = {"displaylogo": False, "showSendToCloud": False, "showEditInChartStudio": False,
                "showLink": False, "showTips": False, "scrollZoom": False, "plotGlPixelRatio": 1,
                "modeBarButtonsToRemove": ["lasso2d", "select2d", "sendDataToCloud", "editInChartStudio"]}


def graph_config(lang: str, filename: str, height: int = 720) -> dict:
    """Mode bar settings in the page's language (Plotly's own strings come from assets/plotly-locales.js)."""
    return {**GRAPH_CONFIG, "locale": lang,
            "toImageButtonOptions": {"format": "png", "filename": filename, "width": 1280, "height": height,
                                     "scale": 1.5}}


def label(key: str, lang: str = "en", slot: str = "0", **kw) -> html.Span:
    """A translatable label; the language callback rewrites every one of them."""
    return html.Span(t(key, lang), id={"type": ids.LABEL, "key": key, "slot": slot}, **kw)


def options(vocab: Vocabulary, kind: str, lang: str) -> list[dict]:
    return [{"label": term.label(lang), "value": tid} for tid, term in vocab.kind(kind).items()]


def choice_options(prefix: str, values, lang: str) -> list[dict]:
    """Options whose labels are catalogue keys `prefix.value` (presets, lanes, importance, formats)."""
    return [{"label": t(f"{prefix}.{v}", lang), "value": v} for v in values]


def mode_options(lang: str) -> list[dict]:
    return [{"label": t("app.mode_any", lang), "value": "any"}, {"label": t("app.mode_all", lang), "value": "all"}]


DROPDOWN_LABELS = ("select_all", "deselect_all", "selected_count", "search", "clear_search", "clear_selection",
                   "no_options_found")


def dropdown_labels(lang: str) -> dict:
    """The built-in words of the multi-select dropdowns ("Select All", "Search"), in the page's language."""
    return {key: t(f"dropdown.{key}", lang) for key in DROPDOWN_LABELS}


def _field(key: str, control, lang: str, extra=None):
    head = html.Label(label(key, lang), className="form-label small fw-semibold mb-1",
                      htmlFor=control.id if isinstance(getattr(control, "id", None), str) else None)
    return html.Div([head, control] + ([extra] if extra is not None else []), className="mb-3")


def problems_banner(problems: list, lang: str = "en", no_data: bool = False):
    """The warning shown while the file on disk is invalid and the last valid events are served;
    with `no_data` (no valid version was ever seen), what to fix before anything can be shown."""
    errs = [p for p in problems if p.severity == "error"]
    if not errs:
        return None
    return dbc.Alert([html.Strong(t("app.no_data" if no_data else "app.reload_errors", lang)),
                      html.Ul([html.Li(p.format()) for p in errs[:10]], className="mb-0 small font-monospace")],
                     color="danger" if no_data else "warning", id="reload-problems", className="py-2")


def _multi(cid: str, vocab: Vocabulary, kind: str, lang: str, value) -> dcc.Dropdown:
    return dcc.Dropdown(id=cid, options=options(vocab, kind, lang), multi=True, value=value,
                        placeholder=t("dropdown.placeholder", lang), labels=dropdown_labels(lang))


def filters_panel(vocab: Vocabulary, state: ViewState, hint=None) -> html.Div:
    lang, f = state.lang, state.filters
    return html.Div([
        _field("app.period", html.Div([
            dbc.RadioItems(id=ids.PRESET, options=choice_options("preset", PRESETS, lang), value=None, inline=True,
                           className="small preset-buttons", inputClassName="btn-check",
                           labelClassName="btn btn-outline-secondary btn-sm me-1 mb-1",
                           labelCheckedClassName="active"),
            dbc.Row([
                dbc.Col([html.Label(label("app.from", lang), htmlFor=ids.DATE_FROM, className="visually-hidden"),
                         dbc.Input(id=ids.DATE_FROM, type="text", placeholder=t("app.date_ph", lang), size="sm",
                                   debounce=True, value=f.date_from)], width=6),
                dbc.Col([html.Label(label("app.to", lang), htmlFor=ids.DATE_TO, className="visually-hidden"),
                         dbc.Input(id=ids.DATE_TO, type="text", placeholder=t("app.date_ph", lang), size="sm",
                                   debounce=True, value=f.date_to)], width=6),
            ], className="g-1 mt-1"),
        ]), lang),
        _field("app.search", dbc.Input(id=ids.QUERY, type="search", placeholder=t("app.search_ph", lang), size="sm",
                                       debounce=True, value=f.query), lang),
        _field("app.countries", _multi(ids.COUNTRY, vocab, "country", lang, list(f.countries)), lang,
               html.Div([
                   html.Div([label("app.country_mode", lang, className="small text-muted me-2"),
                             dbc.RadioItems(id=ids.COUNTRY_MODE, options=mode_options(lang), value=f.country_mode,
                                            inline=True, className="small d-inline-block")],
                            className="mt-1 d-flex align-items-center flex-wrap"),
                   html.Div(hint, id=ids.MODE_HINT, className="small text-muted mt-1", **{"aria-live": "polite"}),
               ])),
        _field("app.themes", _multi(ids.THEME, vocab, "theme", lang, list(f.themes)), lang),
        _field("app.types", _multi(ids.TYPE, vocab, "type", lang, list(f.types)), lang),
        _field("app.importance", dbc.RadioItems(id=ids.IMPORTANCE,
                                                options=choice_options("importance", (1, 2, 3), lang),
                                                value=f.min_importance, inline=True, className="small"), lang),
        _field("app.status", dbc.Checklist(id=ids.STATUS, options=options(vocab, "status", lang),
                                           value=list(f.statuses), inline=True, className="small"), lang),
        _field("app.evidence", dbc.Checklist(id=ids.EVIDENCE, options=options(vocab, "evidence", lang),
                                             value=list(f.evidence), inline=True, className="small"), lang),
        _field("app.group", dbc.RadioItems(id=ids.GROUP, options=choice_options("group", GROUPS, lang),
                                           value=state.group, inline=True, className="small"), lang),
        _field("app.labels", dbc.Input(id=ids.LABELS, type="number", min=0, max=MAX_LABELS, step=1, size="sm",
                                       debounce=True, placeholder=t("app.labels_ph", lang), value=state.labels), lang),
        html.Div(dbc.Switch(id=ids.BANDS, label=label("app.bands", lang), value=state.bands, className="small"),
                 className="mb-3"),
        _field("app.since", dbc.Input(id=ids.SINCE, type="text", placeholder="YYYY-MM-DD", size="sm", debounce=True,
                                      value=state.since), lang),
        dbc.Button(label("app.clear", lang), id=ids.CLEAR, color="secondary", outline=True, size="sm"),
    ])


def header(lang: str, currency=None) -> dbc.Navbar:
    export_menu = dbc.DropdownMenu(
        label=label("app.export", lang), color="primary", size="sm", align_end=True, className="ms-2",
        id=ids.EXPORT_MENU,
        children=[dbc.DropdownMenuItem(t(f"format.{f}", lang), id={"type": ids.EXPORT_ITEM, "fmt": f})
                  for f in ALL_FORMATS]
        + [dbc.DropdownMenuItem(divider=True),
           # a header item, not a button: the size chooser is a control of its own inside the menu
           dbc.DropdownMenuItem(html.Div([label("app.template", lang, className="small me-2"),
                                          dcc.Dropdown(id=ids.EXPORT_TEMPLATE, options=list(TEMPLATES),
                                                       value="slide", clearable=False,
                                                       style={"width": "8rem", "display": "inline-block"})]),
                                header=True)],
    )
    return dbc.Navbar(dbc.Container([
        html.Div([html.H1(label("app.title", lang), className="navbar-brand fw-semibold mb-0 h5"),
                  html.Span(currency, id=ids.CURRENCY, className="currency small")],
                 className="d-flex align-items-center flex-wrap"),
        html.Div([
            html.Div(dbc.RadioItems(id=ids.LANG, options=[{"label": LANG_NAMES[x], "value": x} for x in UI_LANGS],
                                    value=lang, inline=True, className="me-3 text-white small"),
                     role="radiogroup", **{"aria-label": "Language / 言語 / 언어"}),
            html.Span(id=ids.SHARE_URL, hidden=True),
            dbc.Button(label("app.copy", lang), id=ids.COPY,
                       color="light", outline=True, size="sm"),
            html.Span(id=ids.COPY_STATUS, className="text-white small ms-2", role="status",
                      **{"aria-live": "polite"}),
            export_menu,
        ], className="d-flex align-items-center flex-wrap"),
    ], fluid=True), color="dark", dark=True, className="mb-2 py-1")


def table_grid() -> dag.AgGrid:
    return dag.AgGrid(
        id=ids.TABLE, columnDefs=[], rowData=[], className="ag-theme-alpine",
        dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False, "enableClickSelection": True},
                         "animateRows": False, "domLayout": "normal", "tooltipShowDelay": 300,
                         "ensureDomOrder": True},
        defaultColDef={"sortable": True, "resizable": True},
        getRowId="params.data.id", columnSize="responsiveSizeToFit",
        style={"height": "70vh"})


def tab_bar(active: str, lang: str) -> html.Div:
    """Timeline, table and outlook as tabs (buttons with the ARIA tab roles; the active one is kept in
    the TABS store, which the URL follows)."""
    return html.Div([html.Button(label(f"app.{name}", lang, slot="tab"), id=ids.tab_button(name), type="button",
                                 role="tab", n_clicks=0, className="nav-link" + (" active" if name == active else ""),
                                 **{"aria-selected": "true" if name == active else "false",
                                    "aria-controls": ids.tab_panel(name)})
                     for name in TABS], role="tablist", className="nav nav-tabs mb-2")


def briefing_panel(lang: str) -> list:
    """The digest of the view as plain text (filled when the tab is looked at) and a button copying it."""
    return [html.Div([label("app.briefing_intro", lang, className="small text-muted me-2"),
                      dbc.Button(label("app.copy_text", lang), id=ids.BRIEFING_COPY, color="secondary", outline=True,
                                 size="sm"),
                      html.Span(id=ids.BRIEFING_COPY_STATUS, className="small ms-2", role="status",
                                **{"aria-live": "polite"})], className="my-2 d-flex align-items-center flex-wrap"),
            html.Pre(id=ids.BRIEFING, className="briefing-text small p-3 border rounded bg-light")]


def tab_panel(name: str, active: str, children: list) -> html.Div:
    return html.Div(children, id=ids.tab_panel(name), role="tabpanel", hidden=name != active,
                    **{"aria-labelledby": ids.tab_button(name)})


def build_layout(vocab: Vocabulary, lang: str = "en", version: str | None = None, problems: list = (),
                 initial: tuple | None = None, rendered: dict | None = None,
                 state: ViewState | None = None, no_data: bool = False) -> html.Div:
    """The page. `initial` is the rendered view of the page's URL (figures, counter, table, hint, chain
    heading, coverage) when known, `rendered` what it was rendered from: the page then draws at once,
    without waiting for its first callbacks; `state` sets the controls."""
    state = state or ViewState(lang=lang)
    lang = state.lang
    active = state.tab if state.tab in TABS else "timeline"
    initial = initial or ({}, {}, None, {"display": "none"}, [], [], None, None, [])
    timeline, activity, counter, empty_style = initial[:4]
    hint, chain_head, currency = initial[6:9]
    main = html.Div([
        html.Div(problems_banner(list(problems), lang, no_data), id=ids.RELOAD_BANNER),
        html.Div(id=ids.NOTES),
        html.Div(id=ids.EXPORT_ERROR, role="alert"),
        html.Div([html.Span(counter, id=ids.COUNTER, className="fw-semibold", role="status"),
                  html.Span(chain_head, id=ids.CHAIN_HEAD, className="ms-2 chain-head")], className="mb-1"),
        html.Div(dbc.Alert([label("app.empty", lang, className="me-3"),
                            dbc.Button(label("app.clear", lang, slot="empty"), id=ids.CLEAR_EMPTY, size="sm",
                                       color="secondary")],
                           color="light", className="d-flex align-items-center py-2"),
                 id=ids.EMPTY, style=empty_style),
        tab_bar(active, lang),
        tab_panel("timeline", active, [
            html.Div(dcc.Graph(id=ids.TIMELINE, figure=timeline, config=graph_config(lang, "korea-timeline")),
                     role="figure", id=ids.TIMELINE_WRAP, **{"aria-label": t("app.chart_alt", lang)}),
            dcc.Graph(id=ids.ACTIVITY, figure=activity, config=graph_config(lang, "korea-timeline-activity", 360)),
        ]),
        tab_panel("table", active, [table_grid()]),
        tab_panel("outlook", active, [
            html.Div([label("app.outlook_intro", lang, className="me-2 small"),
                      dcc.Dropdown(id=ids.OUTLOOK_RANGE, options=list(OUTLOOK_MONTHS), value=state.months,
                                   clearable=False, style={"width": "6rem", "display": "inline-block"}),
                      label("app.months", lang, className="ms-1 small")], className="my-2"),
            html.Div(id=ids.OUTLOOK),
        ]),
        tab_panel("briefing", active, briefing_panel(lang)),
        tab_panel("compare", active, [html.Div(id=ids.COMPARE)]),
    ])
    detail = dbc.Offcanvas(id=ids.DETAIL, title=label("app.detail", lang), placement="end", is_open=False,
                           backdrop=False, scrollable=True, keyboard=True, className="detail-panel",
                           children=[html.Div(id=ids.DETAIL_BODY)])
    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.EVENT, data=state.event),
        dcc.Store(id=ids.DATA_VERSION, data=version),
        dcc.Store(id=ids.PRERENDERED, data=rendered),
        dcc.Store(id=ids.TABS, data=active),
        dcc.Store(id=ids.VIEWPORT),
        dcc.Interval(id=ids.RELOAD_TICK, interval=3000),
        dcc.Download(id=ids.DOWNLOAD),
        header(lang, currency),
        html.Div(id="copied-texts", hidden=True, **{f"data-{x}": t("app.copied", x) for x in UI_LANGS},
                 **{f"data-title-{x}": t("app.title", x) for x in UI_LANGS},
                 **{f"data-text-{x}": t("app.text_copied", x) for x in UI_LANGS}),
        dbc.Container(dbc.Row([
            dbc.Col([
                dbc.Button(label("app.filters_button", lang, slot="toggle"), id=ids.FILTERS_TOGGLE, size="sm",
                           color="secondary", outline=True, className="d-lg-none mb-2"),
                dbc.Collapse(html.Div([html.H2(label("app.filters", lang), className="h6"),
                                       filters_panel(vocab, state, hint)], className="filters-panel"),
                             id=ids.FILTERS_COLLAPSE, is_open=False, className="filters-collapse"),
            ], width=12, lg=3, className="mb-3"),
            dbc.Col(html.Main(main), width=12, lg=9),
        ]), fluid=True),
        detail,
    ], lang=lang)
