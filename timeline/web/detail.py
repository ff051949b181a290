"""The event detail panel. Every piece of log text is a Dash text child, so it is never markup."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from ..figures import chain_figure
from ..model import Vocabulary
from ..outlook import chain
from ..tables import date_label, labels
from . import ids

T = {"en": {"summary": "Summary", "sources": "Sources", "related": "Related events", "notes": "Notes and caveats",
            "precision": {"day": "exact day", "month": "month only", "year": "year only"}, "countries": "Countries",
            "themes": "Themes", "type": "Type", "importance": "Importance", "status": "Status",
            "published": "published", "chain": "Chain of related events", "missing": "No event has this id.",
            "chain_view": "Show this chain as the view (then export it from the Export menu)"},
     "ja": {"summary": "概要", "sources": "出典", "related": "関連する出来事", "notes": "注記・留意点",
            "precision": {"day": "日付確定", "month": "月のみ判明", "year": "年のみ判明"}, "countries": "国・地域",
            "themes": "テーマ", "type": "種別", "importance": "重要度", "status": "状況", "published": "公開",
            "chain": "関連する出来事の連鎖", "missing": "このIDの出来事はありません。",
            "chain_view": "この連鎖だけを表示（書き出しメニューから出力できます）"}}


def detail_body(events: pd.DataFrame, event_id: str, vocab: Vocabulary, lang: str):
    t = T[lang]
    match = events[events["id"] == event_id]
    if match.empty:
        return html.P(t["missing"])
    r = match.iloc[0].to_dict()
    other = "ja" if lang == "en" else "en"
    title = r[f"title_{lang}"] or r[f"title_{other}"]
    by_id = dict(zip(events["id"], events[f"title_{lang}"]))
    facts = [
        (t["countries"], labels(r["countries"], vocab, "country", lang)),
        (t["themes"], labels(r["themes"], vocab, "theme", lang)),
        (t["type"], vocab.label("type", r["type"], lang)),
        (t["importance"], "●" * r["importance"] + "○" * (3 - r["importance"])),
        (t["status"], vocab.label("status", r["status"], lang)),
    ]
    sources = []
    for s in r["sources"]:
        text = f"{s.get('publisher', '')}: {s.get('title', '')}"
        extra = f" ({t['published']} {s['published']})" if s.get("published") else ""
        if s.get("url"):
            sources.append(html.Li([html.A(text, href=s["url"], target="_blank", rel="noopener noreferrer",
                                           className="source-link"), html.Span(extra, className="text-muted")]))
        else:
            sources.append(html.Li(f"{text} §{s.get('section', '')}{extra}"))
    related = [html.Li([html.Span(f"{vocab.relations[x['type']].label(lang) if x['type'] in vocab.relations else x['type']}: ",
                                  className="text-muted"),
                        html.A(by_id.get(x["id"], x["id"]), href="#", className="related-link",
                               id={"type": ids.RELATED_LINK, "id": x["id"]})])
               for x in r["related"]]
    # events that point at this one are related too
    back = [(eid, link["type"]) for eid, links in zip(events["id"], events["related"]) for link in links
            if link["id"] == event_id]
    related += [html.Li([html.Span("← ", className="text-muted"),
                         html.A(by_id.get(eid, eid), href="#", className="related-link",
                                id={"type": ids.RELATED_LINK, "id": eid})]) for eid, _ in back]
    body = [
        html.H5(title, id="detail-title"),
        html.Div([html.Strong(date_label(r, lang)), html.Span(f"  ({t['precision'][r['precision']]})",
                                                               className="text-muted small")], className="mb-2"),
        html.Dl(sum(([html.Dt(k, className="col-4 small"), html.Dd(v, className="col-8 small mb-1")]
                     for k, v in facts), []), className="row mb-2"),
        html.H6(t["summary"]), html.P(r[f"summary_{lang}"] or r[f"summary_{other}"], id="detail-summary"),
    ]
    if r["notes"]:
        body += [dbc.Alert([html.Strong(t["notes"] + ": "), r["notes"]], color="warning", className="small py-2")]
    body += [html.H6(t["sources"]), html.Ul(sources, className="small", id="detail-sources")]
    if related:
        body += [html.H6(t["related"]), html.Ul(related, className="small", id="detail-related")]
        linked = chain(events, event_id)
        if len(linked) > 1:
            fig = chain_figure(linked, vocab, lang, selected=event_id)
            body += [html.H6(t["chain"]), dcc.Graph(id="chain-graph", figure=fig, config={"displayModeBar": False}),
                     dcc.Link(t["chain_view"], href=f"?chain={event_id}&lang={lang}", id="chain-view-link",
                              className="small")]
    return body
