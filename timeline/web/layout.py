"""The page: filters on the left, timeline, activity chart and table on the right, detail panel.

Every visible label comes from TEXT so the language switch can change all of them.
"""
from __future__ import annotations

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import dcc, html

from ..export import FORMATS, TEMPLATES
from ..model import Vocabulary
from ..text import t
from . import ids

TEXT = {
    "en": {
        "app": "Korean Peninsula event timeline", "filters": "Filters", "period": "Period", "from": "From",
        "to": "To", "countries": "Countries", "themes": "Themes", "types": "Event types",
        "importance": "Minimum importance", "status": "Status", "search": "Search (English, 日本語, 한국어)",
        "search_ph": "e.g. Nakatani, 이재명, 党大会", "group": "Lanes", "clear": "Clear filters",
        "copy": "Copy link", "export": "Export", "any": "Any", "timeline": "Timeline", "table": "Table",
        "outlook": "Outlook", "empty": "No events match these filters.", "detail": "Event",
        "close": "Close", "date_ph": "YYYY-MM(-DD)", "template": "Chart size",
        "outlook_intro": "Planned and expected events from today on.", "months": "months ahead",
        "since": "Highlight events added since", "lang": "Language", "chain": "Chain of related events",
        "copied": "Link copied",
    },
    "ja": {
        "app": "朝鮮半島情勢タイムライン", "filters": "絞り込み", "period": "期間", "from": "開始", "to": "終了",
        "countries": "国・地域", "themes": "テーマ", "types": "種別", "importance": "重要度（以上）",
        "status": "状況", "search": "検索（日本語・English・한국어）", "search_ph": "例：中谷、이재명、党大会",
        "group": "レーン", "clear": "条件をクリア", "copy": "リンクをコピー", "export": "書き出し", "any": "すべて",
        "timeline": "タイムライン", "table": "一覧表", "outlook": "今後の予定",
        "empty": "条件に合う出来事はありません。", "detail": "出来事", "close": "閉じる", "date_ph": "YYYY-MM(-DD)",
        "template": "図のサイズ", "outlook_intro": "今日以降の予定・見込みの出来事。", "months": "か月先まで",
        "since": "次の日付以降に追加された出来事を強調", "lang": "言語", "chain": "関連する出来事の連鎖",
        "copied": "コピーしました",
    },
}
PRESET_TEXT = {"en": {"3m": "3 months", "6m": "6 months", "12m": "12 months", "lee": "Since Lee gov't", "all": "All"},
               "ja": {"3m": "直近3か月", "6m": "直近6か月", "12m": "直近12か月", "lee": "李在明政権以降", "all": "全期間"}}
GROUP_TEXT = {"en": {"country": "Country", "theme": "Theme", "type": "Type"},
              "ja": {"country": "国", "theme": "テーマ", "type": "種別"}}
FORMAT_TEXT = {f: t(f"format.{f}", "en") for f in FORMATS}     # the catalogue's labels of every format
FORMAT_TEXT_JA = {f: t(f"format.{f}", "ja") for f in FORMATS}


def label(key: str, lang: str = "en", slot: str = "0", **kw) -> html.Span:
    """A translatable label; the language callback rewrites every one of them."""
    return html.Span(TEXT[lang][key], id={"type": ids.LABEL, "key": key, "slot": slot}, **kw)


def options(vocab: Vocabulary, kind: str, lang: str) -> list[dict]:
    return [{"label": term.label(lang), "value": tid} for tid, term in vocab.kind(kind).items()]


def importance_options(lang: str) -> list[dict]:
    names = {"en": ["Any", "2+ notable", "3 major"], "ja": ["すべて", "2以上（注目）", "3（重大）"]}[lang]
    return [{"label": n, "value": v} for n, v in zip(names, (1, 2, 3))]


def _field(key: str, control, lang: str):
    return html.Div([html.Label(label(key, lang), className="form-label small fw-semibold mb-1"), control],
                    className="mb-3")


def problems_banner(problems: list, lang: str = "en"):
    """The warning shown while the file on disk is invalid and the last valid events are served."""
    errs = [p for p in problems if p.severity == "error"]
    if not errs:
        return None
    head = ("The events file has errors; showing the last valid version until it is fixed:"
            if lang != "ja" else "イベントファイルにエラーがあります。修正されるまで直前の正しい版を表示しています：")
    return dbc.Alert([html.Strong(head), html.Ul([html.Li(p.format()) for p in errs[:10]],
                                                 className="mb-0 small font-monospace")],
                     color="warning", id="reload-problems", className="py-2")


def build_layout(vocab: Vocabulary, lang: str = "en", version: str | None = None, problems: list = (),
                 initial: tuple | None = None, search: str | None = None) -> html.Div:
    """The page. `initial` is the rendered view of `search` (figures and counter) when known: the
    page then draws at once, without waiting for its first callbacks."""
    timeline, activity, counter, empty_style = (initial or ({}, {}, None, {"display": "none"}))[:4]
    t = TEXT[lang]
    filters = html.Div([
        _field("period", html.Div([
            dbc.RadioItems(id=ids.PRESET, options=[{"label": v, "value": k} for k, v in PRESET_TEXT[lang].items()],
                           value=None, inline=True, className="small preset-buttons", inputClassName="btn-check",
                           labelClassName="btn btn-outline-secondary btn-sm me-1 mb-1",
                           labelCheckedClassName="active"),
            dbc.Row([
                dbc.Col(dbc.Input(id=ids.DATE_FROM, type="text", placeholder=t["date_ph"], size="sm",
                                  debounce=True), width=6),
                dbc.Col(dbc.Input(id=ids.DATE_TO, type="text", placeholder=t["date_ph"], size="sm",
                                  debounce=True), width=6),
            ], className="g-1 mt-1"),
        ]), lang),
        _field("search", dbc.Input(id=ids.QUERY, type="search", placeholder=t["search_ph"], size="sm",
                                   debounce=True), lang),
        _field("countries", dcc.Dropdown(id=ids.COUNTRY, options=options(vocab, "country", lang), multi=True), lang),
        _field("themes", dcc.Dropdown(id=ids.THEME, options=options(vocab, "theme", lang), multi=True), lang),
        _field("types", dcc.Dropdown(id=ids.TYPE, options=options(vocab, "type", lang), multi=True), lang),
        _field("importance", dbc.RadioItems(id=ids.IMPORTANCE, options=importance_options(lang), value=1,
                                            inline=True, className="small"), lang),
        _field("status", dbc.Checklist(id=ids.STATUS, options=options(vocab, "status", lang), value=[],
                                       inline=True, className="small"), lang),
        _field("group", dbc.RadioItems(id=ids.GROUP, options=[{"label": v, "value": k}
                                                              for k, v in GROUP_TEXT[lang].items()],
                                       value="country", inline=True, className="small"), lang),
        _field("since", dbc.Input(id=ids.SINCE, type="text", placeholder="YYYY-MM-DD", size="sm", debounce=True),
               lang),
        dbc.Button(label("clear", lang), id=ids.CLEAR, color="secondary", outline=True, size="sm"),
    ])

    export_menu = dbc.DropdownMenu(
        label=label("export", lang), color="primary", size="sm", align_end=True, className="ms-2",
        children=[dbc.DropdownMenuItem(FORMAT_TEXT[f], id={"type": ids.EXPORT_ITEM, "fmt": f}) for f in FORMATS]
        + [dbc.DropdownMenuItem(divider=True),
           dbc.DropdownMenuItem(html.Div([label("template", lang, className="small me-2"),
                                          dcc.Dropdown(id=ids.EXPORT_TEMPLATE, options=list(TEMPLATES),
                                                       value="slide", clearable=False,
                                                       style={"width": "8rem", "display": "inline-block"})]),
                                toggle=False)],
    )
    header = dbc.Navbar(dbc.Container([
        html.Span(label("app", lang), className="navbar-brand fw-semibold"),
        html.Div([
            dbc.RadioItems(id=ids.LANG, options=[{"label": "English", "value": "en"}, {"label": "日本語", "value": "ja"}],
                           value=lang, inline=True, className="me-3 text-white small"),
            html.Span(id=ids.SHARE_URL, hidden=True),
            dcc.Clipboard(id=ids.COPY, target_id=ids.SHARE_URL, title="Copy link",
                          className="btn btn-outline-light btn-sm", content=""),
            html.Span(label("copy", lang, className="text-white small ms-1")),
            export_menu,
        ], className="d-flex align-items-center"),
    ], fluid=True), color="dark", dark=True, className="mb-2 py-1")

    main = html.Div([
        html.Div(problems_banner(list(problems), lang), id=ids.RELOAD_BANNER),
        html.Div(id=ids.NOTES),
        html.Div(id=ids.EXPORT_ERROR),
        html.Div([html.Span(counter, id=ids.COUNTER, className="fw-semibold"), ], className="mb-1"),
        html.Div(dbc.Alert([label("empty", lang, className="me-3"),
                            dbc.Button(label("clear", lang, slot="empty"), id=ids.CLEAR_EMPTY, size="sm", color="secondary")],
                           color="light", className="d-flex align-items-center py-2"),
                 id=ids.EMPTY, style=empty_style),
        dbc.Tabs(id=ids.TABS, active_tab="timeline", children=[
            dbc.Tab(label=t["timeline"], tab_id="timeline", id="tab-timeline", children=[
                dcc.Graph(id=ids.TIMELINE, figure=timeline, config={
                    "displaylogo": False, "scrollZoom": False, "plotGlPixelRatio": 1,
                    "toImageButtonOptions": {"format": "png", "filename": "korea-timeline", "width": 1280,
                                             "height": 720, "scale": 1.5},
                    "modeBarButtonsToRemove": ["lasso2d", "select2d"]}),
                dcc.Graph(id=ids.ACTIVITY, figure=activity, config={"displaylogo": False, "toImageButtonOptions": {
                    "format": "png", "filename": "korea-timeline-activity", "width": 1280, "height": 360,
                    "scale": 1.5}}),
            ]),
            dbc.Tab(label=t["outlook"], tab_id="outlook", id="tab-outlook", children=[
                html.Div([html.Span(label("outlook_intro", lang), className="me-2 small"),
                          dcc.Dropdown(id=ids.OUTLOOK_RANGE, options=[3, 6, 12, 24], value=12, clearable=False,
                                       style={"width": "6rem", "display": "inline-block"}),
                          html.Span(label("months", lang), className="ms-1 small")], className="my-2"),
                html.Div(id=ids.OUTLOOK),
            ]),
        ]),
        html.H6(label("table", lang), className="mt-3"),
        dag.AgGrid(id=ids.TABLE, columnDefs=[], rowData=[], className="ag-theme-alpine",
                   dashGridOptions={"rowSelection": {"mode": "singleRow", "checkboxes": False,
                                                     "enableClickSelection": True},
                                    "animateRows": False, "domLayout": "normal", "tooltipShowDelay": 300},
                   getRowId="params.data.id", columnSize="responsiveSizeToFit",
                   style={"height": "420px"}),
    ])

    detail = dbc.Offcanvas(id=ids.DETAIL, title=label("detail", lang), placement="end", is_open=False,
                           backdrop=False, scrollable=True, style={"width": "460px"},
                           children=[html.Div(id=ids.DETAIL_BODY)])

    return html.Div([
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.EVENT),
        dcc.Store(id=ids.DATA_VERSION, data=version),
        dcc.Store(id=ids.PRERENDERED, data={"search": search, "version": version} if initial else None),
        dcc.Interval(id=ids.RELOAD_TICK, interval=3000),
        dcc.Download(id=ids.DOWNLOAD),
        header,
        dbc.Container(dbc.Row([
            dbc.Col(html.Div([html.H6(label("filters", lang)), filters], className="filters-panel"),
                    width=12, lg=3, className="mb-3"),
            dbc.Col(main, width=12, lg=9),
        ]), fluid=True),
        detail,
    ])
