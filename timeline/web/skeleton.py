"""The page's first response: the header, counter, tabs and the timeline of the linked view as static
markup, in the places the live page puts them, before any script has run.

The live page (Dash) renders under it once its scripts have booted; `firstpaint.js` (inline) then
moves the static chart onto the live chart's place, gives it hover tooltips meanwhile, and removes it
once the live chart has drawn itself over it. The markup mirrors `layout.build_layout` (the same
Bootstrap classes), so nothing moves when the page takes over; the browser tests check it.
"""
from __future__ import annotations

import functools
import html
from pathlib import Path

from ..firstpaint import hover_json, static_chart
from ..query import TABS, ViewState
from ..text import UI_LANGS, t
from .layout import LANG_NAMES

HOVER_ID = "fp-data"
SCRIPT = Path(__file__).with_name("firstpaint.js")  # inline: it must run before the page's scripts load


def _text_of(component) -> str:
    """The text of a small Dash component tree (the currency badges)."""
    if component is None:
        return ""
    if isinstance(component, str):
        return component
    if isinstance(component, (list, tuple)):
        return "".join(_text_of(c) for c in component)
    return _text_of(getattr(component, "children", None))


def _header(state: ViewState, currency) -> str:
    lang = state.lang
    badges = "".join(f'<span class="{html.escape(getattr(c, "className", "") or "")}">{html.escape(_text_of(c))}</span>'
                     for c in (currency or ()))
    radios = "".join(f'<div class="form-check form-check-inline"><input class="form-check-input" type="radio"'
                     f'{" checked" if x == lang else ""} disabled><label class="form-check-label">{LANG_NAMES[x]}'
                     f"</label></div>" for x in UI_LANGS)
    return ('<nav class="mb-2 py-1 navbar navbar-expand-md navbar-dark bg-dark"><div class="container-fluid">'
            '<div class="d-flex align-items-center flex-wrap"><h1 class="navbar-brand fw-semibold mb-0 h5">'
            f'{html.escape(t("app.title", lang))}</h1><span class="currency small">{badges}</span></div>'
            '<div class="d-flex align-items-center flex-wrap"><div><div class="me-3 text-white small">'
            f'{radios}</div></div><button class="btn btn-outline-light btn-sm" disabled>'
            f'{html.escape(t("app.copy", lang))}</button><span class="text-white small ms-2"></span>'
            '<div class="ms-2 dropdown"><button class="dropdown-toggle btn btn-primary btn-sm" disabled>'
            f'{html.escape(t("app.export", lang))}</button></div></div></div></nav>')


def _tabs(active: str, lang: str) -> str:
    return ('<div class="nav nav-tabs mb-2">'
            + "".join(f'<button type="button" class="nav-link{" active" if n == active else ""}" disabled>'
                      f'{html.escape(t(f"app.{n}", lang))}</button>' for n in TABS)
            + "</div>")


def first_paint(state: ViewState, view: tuple) -> tuple[str, str]:
    """The static page for `view` (the rendered view tuple of the app's render callbacks) and the data
    its hover tooltips read (for the end of the page: it is not needed to paint), or ("", "") when
    its timeline is not the tab shown (the other tabs are drawn by the live page)."""
    if state.tab not in ("", "timeline"):
        return "", ""
    lang = state.lang
    figure, counter, currency = view[0], view[2], view[8]
    chart = static_chart(figure, t("app.chart_alt", lang))
    if not chart:
        return "", ""
    main = (f'<main><div class="mb-1"><span class="fw-semibold" id="fp-counter">{html.escape(counter or "")}</span>'
            f'</div>{_tabs("timeline", lang)}<div id="fp-slot">{chart["html"]}'
            '<div class="fp-tip" hidden></div></div></main>')
    page = ('<div class="container-fluid"><div class="row"><div class="mb-3 col-lg-3 col-12">'
            '<button class="d-lg-none mb-2 btn btn-outline-secondary btn-sm" disabled>'
            f'{html.escape(t("app.filters_button", lang))}</button></div>'
            f'<div class="col-lg-9 col-12">{main}</div></div></div>')
    return (f'<div id="first-paint" lang="{lang}">{_header(state, currency)}{page}</div><script>{_script()}</script>',
            f'<script type="application/json" id="{HOVER_ID}">{hover_json(chart)}</script>')


@functools.cache
def _script() -> str:
    return SCRIPT.read_text(encoding="utf-8")
