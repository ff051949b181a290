"""The slide pack people present: title, key developments, the timeline chart, the period comparison
(when timeline.compare exists), the chronology of the major events, and numbered sources.

The contract (tests hold it):
- 16:9 slides; no text below 12 pt; every text box and table fits its slide by the estimate of
  `text_height` (CJK characters 1 em wide, other characters 0.55 em, lines 1.2 em high): text
  shrinks from its preferred size down to 12 pt, then continues on the next slide;
- the chronology lists events of importance 2 and 3, at most `CHRONOLOGY_ROWS` (the most important,
  then the newest; a line under the table says how many of the view's events it shows and that the
  Excel export has them all), in date order (`Briefing.all_events`: every event), each with the number
  of its note; the sources slides list each note's publishers, and their speaker notes
  the full references (title, date, URL);
- the same log, filters and `date` give the same bytes.
"""
from __future__ import annotations

import datetime as dt
import io
import unicodedata
from dataclasses import dataclass

import pandas as pd

from . import digest as digests
from .documents import EAST_ASIAN_FONT, briefing_digest, chart_png, stable_zip
from .export import Briefing, comparison_chart, render_image, shorten
from .tables import chronology, header
from .text import t

EMU_PER_PT = 12700
SLIDE_W, SLIDE_H = 12192000, 6858000            # 13.33 x 7.5 in, 16:9
MARGIN = 457200                                  # 0.5 in
TITLE_TOP, TITLE_H = 300000, 700000
BODY_TOP = TITLE_TOP + TITLE_H + 100000
BODY_H = SLIDE_H - BODY_TOP - 350000
INSET_X, INSET_Y = 91440, 45720                  # python-pptx text box insets (0.1 in, 0.05 in)
MIN_PT = 12
LINE = 1.2                                       # line height in em, set exactly on every paragraph: Noto Sans
                                                 # CJK's own line height (1.45 em) would outgrow the estimate
LATIN_EM = 0.55
CHRONOLOGY_MIN_IMPORTANCE = 2
CHRONOLOGY_ROWS = 30        # what a reader takes in from a briefing: about three slides of the major events
COLUMNS = (("date", 2100000), ("title", 6450000), ("countries", 2250000), ("note", 477600))   # EMU; sum: the body width


# -- the fit estimate -------------------------------------------------------------------------------

def text_width_em(text: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else LATIN_EM for c in text)


def text_lines(text: str, size_pt: float, width_emu: int) -> int:
    """Lines that `text` takes at `size_pt` in a box `width_emu` wide (greedy word wrap, estimated)."""
    usable_em = max(1.0, (width_emu - 2 * INSET_X) / EMU_PER_PT / size_pt)
    lines = 0
    for para in text.split("\n"):
        line_em, count = 0.0, 1
        for word in _words(para):
            w = text_width_em(word)
            if line_em + w > usable_em and line_em > 0:
                count, line_em = count + 1, 0.0
                w = text_width_em(word.lstrip())
            while w > usable_em:   # a word longer than the line (a URL, a long CJK run) breaks anywhere
                count, w = count + 1, w - usable_em
            line_em += w
        lines += count
    return lines


def _words(text: str) -> list[str]:
    """Wrap units: CJK characters one by one (they break anywhere), Latin words with their leading space."""
    out, word = [], ""
    for c in text:
        if unicodedata.east_asian_width(c) in "WF":
            if word:
                out.append(word)
            out.append(c)
            word = ""
        elif c == " " and word.strip():
            out.append(word)
            word = c
        else:
            word += c
    return out + ([word] if word else [])


def text_height(paragraphs: list[tuple], width_emu: int) -> int:
    """EMU height of (text, size[, space before in pt]) paragraphs in a box `width_emu` wide, insets included."""
    pts = sum(text_lines(text, size, width_emu) * size * LINE + sum(before) for text, size, *before in paragraphs)
    return int(pts * EMU_PER_PT) + 2 * INSET_Y


def shape_fits(shape) -> bool:
    """Whether a text box's text fits its height (by `text_height`), read back from the slide."""
    paras = [(p.text, max((r.font.size.pt for r in p.runs if r.font.size), default=18),
              p.space_before.pt if p.space_before is not None else 0) for p in shape.text_frame.paragraphs]
    return text_height(paras, shape.width) <= shape.height


# -- building blocks --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Para:
    text: str
    size: float
    bold: bool = False
    color: str | None = None
    gap: float = 0.0            # space before the paragraph, in em


def _font(run, size: float, lang: str, bold: bool = False, color: str | None = None) -> None:
    from pptx.dml.color import RGBColor
    from pptx.util import Pt

    font_name = EAST_ASIAN_FONT.get(lang, EAST_ASIAN_FONT["en"])
    run.font.size, run.font.bold, run.font.name = Pt(size), bold, font_name
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    rpr = run._r.get_or_add_rPr()  # East Asian glyphs take their font from <a:ea>
    tag = "{http://schemas.openxmlformats.org/drawingml/2006/main}ea"
    ea = rpr.find(tag)
    if ea is None:
        ea = rpr.makeelement(tag, {})
        rpr.append(ea)
    ea.set("typeface", font_name)


def add_text(slide, paras: list[Para], left: int, top: int, width: int, height: int, lang: str):
    from pptx.util import Pt

    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    for k, p in enumerate(paras):
        para = frame.paragraphs[0] if k == 0 else frame.add_paragraph()
        _font(para.add_run(), p.size, lang, p.bold, p.color)
        para.line_spacing = Pt(p.size * LINE)
        if p.gap:
            para.space_before = Pt(p.size * p.gap)
        para.runs[0].text = p.text
    return box


def new_slide(prs, title: str, lang: str):
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    if title:
        add_text(slide, [Para(title, 26, True, "1F2D3D")], MARGIN, TITLE_TOP, SLIDE_W - 2 * MARGIN, TITLE_H, lang)
    return slide


def scaled(paras: list[Para], size: float) -> list[Para]:
    """The body text (the most common size) at `size`; the other paragraphs keep their difference to it (never
    below 12 pt)."""
    sizes = [p.size for p in paras]
    base = max(sorted(set(sizes)), key=sizes.count) if paras else MIN_PT
    return [Para(p.text, max(MIN_PT, p.size - base + size), p.bold, p.color, p.gap) for p in paras]


def fits(paras: list[Para], width: int, height: int) -> bool:
    return fits_height(paras, width) <= height


def paginate(paras: list[Para], width: int, height: int, sizes=(18, 16, 14, 13, MIN_PT)) -> list[list[Para]]:
    """Pages of paragraphs that fit the box: the largest size at which all fit on one page, else pages at 12 pt.

    Paragraph sizes are relative: a heading 2 pt over the body keeps its lead when the text shrinks.
    """
    for size in sizes:
        if fits(scaled(paras, size), width, height):
            return [scaled(paras, size)]
    pages, page = [], []
    for p in scaled(paras, MIN_PT):
        if page and not fits(page + [p], width, height):
            pages.append(page)
            page = []
        page.append(p)
    return pages + [page] if page else pages


# -- the slides -------------------------------------------------------------------------------------

def pptx_bytes(b: Briefing) -> bytes:
    """The slide pack (see the module's contract)."""
    from pptx import Presentation

    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    rows = _chronology_rows(b)
    d = briefing_digest(b, numbered=tuple(rows["id"]))
    _title_slide(prs, b)
    _digest_slides(prs, d)
    slide = new_slide(prs, "", b.lang)
    slide.shapes.add_picture(io.BytesIO(chart_png(b, "slide")), 0, 0, width=SLIDE_W, height=SLIDE_H)
    comparison = comparison_png(b)
    if comparison:
        slide = new_slide(prs, "", b.lang)
        slide.shapes.add_picture(io.BytesIO(comparison), 0, 0, width=SLIDE_W, height=SLIDE_H)
    _chronology_slides(prs, b, rows, d)
    _source_slides(prs, d)
    props = prs.core_properties
    # the most PPTX allows in its title property
    props.title, props.author, props.last_modified_by = shorten(b.heading(), 255), "timeline", "timeline"
    props.created = props.modified = dt.datetime.combine(b.date, dt.time())
    props.revision = 1
    buf = io.BytesIO()
    prs.save(buf)
    return stable_zip(buf.getvalue(), b.date)


def comparison_png(b: Briefing) -> bytes:
    """The period comparison (export.comparison_chart: the same figure as `--chart compare`)."""
    return render_image(comparison_chart(b, "slide"), "png", "slide")


def _title_slide(prs, b: Briefing) -> None:
    slide = new_slide(prs, "", b.lang)
    width = SLIDE_W - 2 * MARGIN
    for paras, top, height in (
            ([Para(b.heading(), 36, True, "1F2D3D")], 1900000, 1300000),
            ([Para(b.subtitle(), 16, color="333333")], 3300000, 1000000),
            ([Para(line, 12, color="555555") for line in b.footer(200).split("<br>")], 4500000, 1300000)):
        add_text(slide, paginate(paras, width, height, sizes=(paras[0].size, 14, MIN_PT))[0], MARGIN, top, width,
                 height, b.lang)


def _digest_slides(prs, d: digests.Digest) -> None:
    """Key developments: the period, headline numbers and the top developments; then what is new and what
    is ahead. Dated points carry their note numbers."""
    lang = d.lang
    first = [Para(x, 14, color="555555") for x in digests.period_lines(d)]
    first += [Para(t("digest.bullet", lang) + x, 16, gap=0.3 if k == 0 else 0)
              for k, x in enumerate(digests.headline_lines(d))]
    rest: list[Para] = []
    for k, (title, pts, empty) in enumerate(digests.sections(d)):
        paras = first if k == 0 else rest
        paras.append(Para(title, 18, True, "1F2D3D", gap=0.5))
        paras += [Para(t("digest.bullet", lang) + digests.point_line(p, lang), 16) for p in pts] or [Para(empty, 16)]
        if pts is d.new and d.new_total > len(d.new):
            paras.append(Para(t("digest.bullet", lang) + t("digest.more", lang, n=d.new_total - len(d.new)), 16))
    width = SLIDE_W - 2 * MARGIN
    if fits(scaled(first + rest, 14), width, BODY_H):   # a small view: everything on one slide
        pages = paginate(first + rest, width, BODY_H)
    else:
        pages = paginate(first, width, BODY_H) + paginate(rest, width, BODY_H)
    for k, page in enumerate(pages):
        title = t("digest.title", lang) if k == 0 else t("doc.continued", lang, title=t("digest.title", lang))
        add_text(new_slide(prs, title, lang), page, MARGIN, BODY_TOP, width, BODY_H, lang)


def chronology_events(b: Briefing) -> pd.DataFrame:
    """The events the chronology lists, in the view's order: every event with `Briefing.all_events`, else the
    `CHRONOLOGY_ROWS` most important events of importance 2 and 3 (importance first, then the newest: the
    digest's order), so that a large view still gives a short pack."""
    if b.all_events:
        return b.df
    major = b.df[b.df["importance"] >= CHRONOLOGY_MIN_IMPORTANCE]
    return b.df[b.df.index.isin(digests.top_developments(major, CHRONOLOGY_ROWS).index)]


def _chronology_rows(b: Briefing):
    return chronology(chronology_events(b), b.vocab, b.lang, with_summary=False)


def row_height(values: list[str], size: float = MIN_PT) -> int:
    """Estimated EMU height of a chronology row (the tallest cell)."""
    return max(text_height([(v, size)], w) for v, (_, w) in zip(values, COLUMNS, strict=False))


def _chronology_slides(prs, b: Briefing, rows, d: digests.Digest) -> None:
    """The chronology table over as few slides as it needs, evenly filled; when it leaves events of the view out,
    a line under the last table says how many are listed and where every event is."""
    lang = b.lang
    numbers = {event_id: str(n) for n, (event_id, _) in enumerate(d.notes, start=1)}
    heads = [header(c, lang) if c != "note" else "#" for c, _ in COLUMNS]
    values = [[r.date, r.title, r.countries, numbers.get(r.id, "")] for r in rows.itertuples()]
    left_out = len(b.df) - len(rows)
    note = [Para(t("doc.chronology_left_out", lang, shown=len(rows), total=len(b.df)), MIN_PT, color="555555")]
    note_h = fits_height(note, SLIDE_W - 2 * MARGIN) if left_out else 0
    pages = _table_pages(heads, values, BODY_H - note_h)
    even = _table_pages(heads, values, BODY_H - note_h, per_page=-(-len(values) // max(1, len(pages))))
    pages = even if len(even) == len(pages) else pages   # as many rows on each page as the height allows
    every = b.all_events or (b.filters.min_importance >= CHRONOLOGY_MIN_IMPORTANCE and not left_out)
    title = t("export.chronology", lang) if every else t("doc.major_only", lang)
    for k, chunk in enumerate(pages):
        label = f"{title} ({k + 1}/{len(pages)})" if len(pages) > 1 else title
        slide = new_slide(prs, label, lang)
        height = _table(slide, [heads] + chunk, lang)
        if left_out and k == len(pages) - 1:
            add_text(slide, note, MARGIN, BODY_TOP + height, SLIDE_W - 2 * MARGIN, note_h, lang)


def fits_height(paras: list[Para], width: int) -> int:
    """The EMU height `paras` take in a box `width` wide (by `text_height`)."""
    return text_height([(p.text, p.size, p.size * p.gap) for p in paras], width)


def _table_pages(heads: list[str], values: list[list[str]], height: int = BODY_H,
                 per_page: int | None = None) -> list[list[list[str]]]:
    pages, page, used = [], [], row_height(heads)
    for v in values:
        h = row_height(v)
        if page and (used + h > height or len(page) == per_page):
            pages.append(page)
            page, used = [], row_height(heads)
        page.append(v)
        used += h
    return pages + [page] if page else pages


def _table(slide, cells: list[list[str]], lang: str) -> int:
    """The table at the top of the slide body; returns its height."""
    from pptx.util import Pt

    height = sum(row_height(v) for v in cells)
    table = slide.shapes.add_table(len(cells), len(COLUMNS), MARGIN, BODY_TOP, SLIDE_W - 2 * MARGIN, height).table
    for j, (_, width) in enumerate(COLUMNS):
        table.columns[j].width = width
    for i, row in enumerate(cells):
        table.rows[i].height = row_height(row)
        for j, value in enumerate(row):
            cell = table.cell(i, j)
            cell.margin_left = cell.margin_right = INSET_X
            cell.margin_top = cell.margin_bottom = INSET_Y
            cell.text = value
            para = cell.text_frame.paragraphs[0]
            para.line_spacing = Pt(MIN_PT * LINE)
            _font(para.runs[0], MIN_PT, lang, bold=i == 0, color="FFFFFF" if i == 0 else None)
    return height


def _source_slides(prs, d: digests.Digest) -> None:
    """Numbered notes with their publishers, two columns at 12 pt; the full references in the speaker notes."""
    lang = d.lang
    lines = [Para(f"{n}. " + t("list_sep", lang).join(dict.fromkeys(s.get("publisher", "") for s in sources)),
                  MIN_PT) for n, (_, sources) in enumerate(d.notes, start=1)]
    full = [f"{n}. " + digests.note_text(sources, lang, url_format=" {url}") for n, (_, sources) in
            enumerate(d.notes, start=1)]
    column_w = (SLIDE_W - 2 * MARGIN - 200000) // 2
    columns = paginate(lines, column_w, BODY_H, sizes=(MIN_PT,))
    pages = [columns[i:i + 2] for i in range(0, len(columns), 2)]
    done = 0
    for k, pair in enumerate(pages):
        title = t("export.cited", lang) + (f" ({k + 1}/{len(pages)})" if len(pages) > 1 else "")
        slide = new_slide(prs, title, lang)
        for c, column in enumerate(pair):
            add_text(slide, column, MARGIN + c * (column_w + 200000), BODY_TOP, column_w, BODY_H, lang)
        count = sum(len(col) for col in pair)
        slide.notes_slide.notes_text_frame.text = "\n".join(full[done:done + count])
        done += count
