"""The event detail panel. Every piece of log text is a Dash text child, so it is never markup."""
from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
from dash import dcc, html

from ..figures import chain_figure
from ..model import Vocabulary
from ..outlook import chain
from ..query import highlight_spans
from ..tables import date_label, evidence_label, field_column, header, labels
from ..text import field_text, t
from . import ids


def marked(text: str, query: str, vocab: Vocabulary) -> list:
    """`text` as Dash children with the words `query` found in it wrapped in <mark> (text nodes, never markup)."""
    out, at = [], 0
    for start, end in highlight_spans(text, query, vocab) if query else ():
        out += [text[at:start], html.Mark(text[start:end])]
        at = end
    return [x for x in out + [text[at:]] if x != ""]


def detail_body(events: pd.DataFrame, event_id: str, vocab: Vocabulary, lang: str, query: str = "",
                labelled: bool = False):
    """The detail panel of one event; `labelled`: the view labels it on the timeline (the button then
    takes the label off)."""
    match = events[events["id"] == event_id]
    if match.empty:
        return html.P(t("detail.missing", lang))
    r = match.iloc[0].to_dict()
    title = field_text(r, "title", lang)
    by_id = dict(zip(events["id"], field_column(events, "title", lang), strict=False))
    facts = [
        (header("countries", lang), labels(r["countries"], vocab, "country", lang)),
        (header("themes", lang), labels(r["themes"], vocab, "theme", lang)),
        (header("type", lang), vocab.label("type", r["type"], lang)),
        (header("importance", lang), "●" * r["importance"] + "○" * (3 - r["importance"])),
        (header("status", lang), vocab.label("status", r["status"], lang)),
    ]
    if r.get("evidence"):
        facts.append((header("evidence", lang),
                      html.Span(evidence_label(r["evidence"], r.get("claimed_by", ""), vocab, lang),
                                id="detail-evidence")))
    toggle = dbc.Button(t("detail.label_remove" if labelled else "detail.label_add", lang), id=ids.LABEL_TOGGLE,
                        size="sm", color="secondary", outline=True, className="mb-2", n_clicks=0)
    body = [
        html.H5(marked(title, query, vocab), id="detail-title", tabIndex="-1"),
        toggle,
        html.Div([html.Strong(date_label(r, lang)), html.Span(f"  ({t('detail.' + r['precision'], lang)})",
                                                               className="text-muted small")], className="mb-2"),
        html.Dl(sum(([html.Dt(k, className="col-4 small"), html.Dd(v, className="col-8 small mb-1")]
                     for k, v in facts), []), className="row mb-2"),
        html.H6(t("detail.summary", lang)),
        html.P(marked(field_text(r, "summary", lang), query, vocab), id="detail-summary"),
    ]
    if r["notes"]:
        body += [dbc.Alert([html.Strong(t("detail.notes", lang) + ": "), r["notes"]], color="warning",
                           className="small py-2")]
    body += [html.H6(t("detail.sources", lang)), html.Ul(_sources(r["sources"], lang), className="small",
                                                          id="detail-sources")]
    return body + _related(events, event_id, r, by_id, vocab, lang)


def _sources(sources: list[dict], lang: str) -> list:
    out = []
    for s in sources:
        text = f"{s.get('publisher', '')}: {s.get('title', '')}"
        extra = f" ({t('detail.published', lang)} {s['published']})" if s.get("published") else ""
        if s.get("url"):
            out.append(html.Li([html.A(text, href=s["url"], target="_blank", rel="noopener noreferrer",
                                       className="source-link"), html.Span(extra, className="text-muted")]))
        else:
            out.append(html.Li(f"{text} §{s.get('section', '')}{extra}"))
    return out


def _related(events: pd.DataFrame, event_id: str, r: dict, by_id: dict, vocab: Vocabulary, lang: str) -> list:
    """Links to related events (both ways) and the chain of linked events as a small timeline."""
    names = {k: term.label(lang) for k, term in vocab.relations.items()}
    related = [html.Li([html.Span(f"{names.get(x['type'], x['type'])}: ", className="text-muted"),
                        html.A(by_id.get(x["id"], x["id"]), href="#", className="related-link",
                               id={"type": ids.RELATED_LINK, "id": x["id"]})])
               for x in r["related"]]
    # events that point at this one are related too
    back = [(eid, link["type"]) for eid, links in zip(events["id"], events["related"], strict=False) for link in links
            if link["id"] == event_id]
    related += [html.Li([html.Span("← ", className="text-muted"),
                         html.A(by_id.get(eid, eid), href="#", className="related-link",
                                id={"type": ids.RELATED_LINK, "id": eid})]) for eid, _ in back]
    body = []
    if related:
        body += [html.H6(t("detail.related", lang)), html.Ul(related, className="small", id="detail-related")]
        linked = chain(events, event_id)
        if len(linked) > 1:
            fig = chain_figure(linked, vocab, lang, selected=event_id)
            body += [html.H6(t("fig.chain", lang)),
                     dcc.Graph(id="chain-graph", figure=fig, config={"displayModeBar": False, "locale": lang}),
                     dcc.Link(t("detail.chain_view", lang), href=f"?chain={event_id}&lang={lang}",
                              id="chain-view-link", className="small")]
    return body
