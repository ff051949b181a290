"""Briefing documents: the key-developments digest (Markdown), a Word briefing and an A4 chronology PDF.

The contract (tests hold it):
- one note register per document: the chronology's events take notes 1..n in date order, and the
  digest's points refer to the same notes (events outside the chronology, e.g. planned ones ahead,
  follow); the "Sources" section lists every note with each source's publisher, title, date and URL;
- `docx`: A4 portrait, the title, the filters and generation date, the digest, the timeline chart,
  the chronology table (date, event, countries, note) whose header row repeats on every page and
  whose rows never split across pages, the sources, page numbers in the footer, and the East Asian
  font set for the language (Noto Sans CJK JP, or KR for Korean);
- `pdf --template a4-chronology`: the same document as HTML printed by headless Chromium on A4
  portrait (the browser the charts use), with repeated table headers and unsplit rows;
- the same log, filters and `date` give the same text (and the same DOCX/PPTX/Markdown bytes).
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import re
import subprocess
import tempfile
import zipfile
from pathlib import Path

from . import digest as digests
from .export import Briefing, ExportError, briefing_figure, browser_path, render_image
from .tables import chronology, header
from .text import t

EAST_ASIAN_FONT = {"en": "Noto Sans CJK JP", "ja": "Noto Sans CJK JP", "ko": "Noto Sans CJK KR"}
LANG_TAG = {"en": "en-GB", "ja": "ja-JP", "ko": "ko-KR"}
EAST_ASIAN_LANGS = ("ja", "ko")   # the East Asian language tag of a document: its own, else Japanese
PRINT_TIMEOUT = 60   # seconds for Chromium to print the chronology


def briefing_digest(b: Briefing, numbered: tuple[str, ...] | None = None) -> digests.Digest:
    """The digest of the briefing's view. A document passes the ids of its chronology as `numbered`: they
    take the first notes, in order. Without the whole log (`b.log`) there is no previous period to compare
    with, and "ahead" sees only the view's own events."""
    log = b.log if b.log is not None else b.df
    return digests.build_digest(log, b.filters, b.vocab, b.lang, b.date, b.since, title=b.heading(),
                                numbered=numbered or (), compare=b.log is not None,
                                through=b.through, through_last=b.through_last)


def document_bytes(b: Briefing, fmt: str, template: str = "a4-chronology") -> bytes:
    if fmt == "digest":
        return digests.markdown(briefing_digest(b)).encode("utf-8")
    if fmt == "docx":
        return docx_bytes(b)
    return chronology_pdf(b)


def chart_png(b: Briefing, template: str = "a4") -> bytes:
    # the one call site for the labelled timeline chart in documents
    return render_image(briefing_figure(b, template), "png", template)


def stable_zip(data: bytes, when: dt.date) -> bytes:
    """Office files are zips whose entries carry the time of writing: fix it, so equal documents are equal bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, (when.year, when.month, when.day, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def meta_line(b: Briefing) -> str:
    """"Filters: … · 53 events · Generated: 2026-11-28"."""
    sep = t("sep", b.lang)
    return f"{t('export.filters', b.lang)}{sep}{b.subtitle()} · {t('export.generated', b.lang)}{sep}{b.date}"


# -- Word ---------------------------------------------------------------------------------------------

def docx_bytes(b: Briefing) -> bytes:
    """The Word briefing (see the module's contract)."""
    from docx import Document
    from docx.shared import Mm, Pt

    d = briefing_digest(b, numbered=tuple(b.df["id"]))
    doc = Document()
    _docx_page(doc, b.lang)
    doc.add_heading(b.heading(), level=0)
    _para(doc, meta_line(b), Pt(9))
    _docx_digest(doc, d)
    doc.add_heading(t("doc.chart", b.lang), level=1)
    doc.add_picture(io.BytesIO(chart_png(b)), width=Mm(170))
    doc.add_heading(t("export.chronology", b.lang), level=1)
    _docx_chronology(doc, b, d)
    doc.add_heading(t("export.sources", b.lang), level=1)
    for n, (_, sources) in enumerate(d.notes, start=1):
        p = _para(doc, f"{n}. " + "\n".join(digests.source_note(s, b.lang) + (f" {s['url']}" if s.get("url") else "")
                                            for s in sources), Pt(8))
        p.paragraph_format.space_after = Pt(2)
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = b.heading(), "timeline", "timeline"
    props.created = props.modified = dt.datetime.combine(b.date, dt.time())
    props.revision = 1
    buf = io.BytesIO()
    doc.save(buf)
    return stable_zip(buf.getvalue(), b.date)


def _docx_page(doc, lang: str) -> None:
    """A4 portrait, 20 mm margins, CJK fonts on every style used, the page number in the footer."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(20))
    for name in ("Normal", "Title", "Heading 1", "Heading 2", "List Bullet"):
        style = doc.styles[name]
        _east_asian(style.element.get_or_add_rPr(), lang)
    doc.styles["Normal"].font.size = Pt(10)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    footer._p.append(field)


def _east_asian(rpr, lang: str) -> None:
    """Latin and East Asian typefaces (not theme fonts, which Word resolves to MS Mincho or Calibri) and
    the East Asian language, so Japanese and Korean line-breaking and glyphs are right."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    font = EAST_ASIAN_FONT.get(lang, EAST_ASIAN_FONT["en"])
    for attr in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attr), font)
    tag = rpr.find(qn("w:lang"))
    if tag is None:
        tag = OxmlElement("w:lang")
        rpr.append(tag)
    tag.set(qn("w:val"), LANG_TAG.get(lang, "en-GB"))
    tag.set(qn("w:eastAsia"), LANG_TAG.get(lang if lang in EAST_ASIAN_LANGS else "ja"))  # East Asian text: ja or ko


def _para(doc, text: str, size=None, style: str | None = None):
    """A paragraph; "\n" in `text` becomes a line break."""
    p = doc.add_paragraph(style=style)
    for k, line in enumerate(text.split("\n")):
        run = p.add_run()
        if k:
            run.add_break()
        run.add_text(line)
        if size:
            run.font.size = size
    return p


def _docx_digest(doc, d: digests.Digest) -> None:
    from docx.shared import Pt

    lang = d.lang
    doc.add_heading(t("digest.title", lang), level=1)
    for line in digests.period_lines(d):
        _para(doc, line, Pt(9))
    for line in digests.headline_lines(d):
        _para(doc, line, style="List Bullet")
    for title, pts, empty in digests.sections(d):
        doc.add_heading(title, level=2)
        if not pts:
            _para(doc, empty)
        for p in pts:
            para = _para(doc, digests.point_line(p, lang, mark=""), style="List Bullet")
            note = para.add_run(str(p.note))
            note.font.superscript = True
        if pts is d.new and d.new_total > len(d.new):
            _para(doc, t("digest.more", lang, n=d.new_total - len(d.new)), style="List Bullet")


def _docx_chronology(doc, b: Briefing, d: digests.Digest) -> None:
    """Date, event, countries and note number; the header row repeats, rows never split."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    rows = chronology(b.df, b.vocab, b.lang, with_summary=False)
    numbers = {event_id: n for n, (event_id, _) in enumerate(d.notes, start=1)}
    table = doc.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    table.autofit = False
    widths = (Mm(32), Mm(100), Mm(28), Mm(10))
    for column, width in zip(table.columns, widths, strict=False):   # the grid, which LibreOffice and Word lay out by
        column.width = width
    heads = [header(c, b.lang) for c in ("date", "title", "countries")] + ["#"]
    for row_values, is_head in [(heads, True)] + [
            ((r.date, r.title, r.countries, str(numbers.get(r.id, ""))), False) for r in rows.itertuples()]:
        cells = table.rows[0].cells if is_head else table.add_row().cells
        for cell, value, width in zip(cells, row_values, widths, strict=False):
            cell.width = width
            run = cell.paragraphs[0].add_run(value)
            run.font.size = Pt(9)
            run.font.bold = is_head
    for k, row in enumerate(table.rows):
        trpr = row._tr.get_or_add_trPr()
        for tag in ("w:cantSplit",) + (("w:tblHeader",) if k == 0 else ()):
            trpr.append(OxmlElement(tag))
            trpr[-1].set(qn("w:val"), "true")


# -- the A4 chronology (HTML printed by Chromium) -------------------------------------------------------

CHRONOLOGY_CSS = """
@page { size: A4 portrait; margin: 16mm 15mm 18mm;
        @bottom-center { content: counter(page) " / " counter(pages); font: 8pt 'Noto Sans CJK JP'; color: #666; } }
body { font-family: 'Noto Sans CJK JP', 'Noto Sans CJK KR', sans-serif; font-size: 9.5pt; line-height: 1.45;
       color: #111; margin: 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 10.5pt; margin: 4mm 0 1mm; break-after: avoid; }
.meta { color: #555; font-size: 8.5pt; margin: 0 0 3mm; }
ul { margin: 0; padding-left: 5mm; } li { margin: 0.6mm 0; break-inside: avoid; }
sup { font-size: 7pt; color: #555; }
img.chart { width: 100%; break-inside: avoid; }
table { width: 100%; border-collapse: collapse; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th { background: #2c3e50; color: #fff; text-align: left; padding: 1.2mm 1.5mm; }
td { border-bottom: 0.5px solid #bbb; padding: 1.2mm 1.5mm; vertical-align: top; }
td.date { white-space: nowrap; width: 28mm; } td.n { width: 7mm; color: #555; text-align: right; }
td.countries { width: 40mm; }
ol.notes { font-size: 7.5pt; padding-left: 7mm; color: #333; } ol.notes li { word-break: break-all; }
"""


def chronology_html(b: Briefing, chart: bytes | None = None) -> str:
    """The A4 document as one HTML page (the chart inlined as a PNG when given)."""
    d = briefing_digest(b, numbered=tuple(b.df["id"]))
    lang, e = b.lang, html.escape
    parts = [f"<h1>{e(b.heading())}</h1>", f"<p class='meta'>{e(meta_line(b))}</p>",
             f"<h2>{e(t('digest.title', lang))}</h2>",
             "".join(f"<p class='meta'>{e(x)}</p>" for x in digests.period_lines(d)),
             "<ul>" + "".join(f"<li>{e(x)}</li>" for x in digests.headline_lines(d)) + "</ul>"]
    for title, pts, empty in digests.sections(d):
        items = "".join(f"<li>{e(digests.point_line(p, lang, mark=''))}<sup>{p.note}</sup></li>" for p in pts)
        if pts is d.new and d.new_total > len(d.new):
            items += f"<li>{e(t('digest.more', lang, n=d.new_total - len(d.new)))}</li>"
        parts.append(f"<h3>{e(title)}</h3>" + (f"<ul>{items}</ul>" if items else f"<p>{e(empty)}</p>"))
    if chart:
        parts.append(f"<h2>{e(t('doc.chart', lang))}</h2><img class='chart' alt='' "
                     f"src='data:image/png;base64,{base64.b64encode(chart).decode()}'>")
    parts.append(_html_table(b, d))
    notes = "".join("<li>" + "<br>".join(e(digests.source_note(s, lang)) + (f" {e(s['url'])}" if s.get("url") else "")
                                         for s in sources) + "</li>" for _, sources in d.notes)
    parts.append(f"<h2>{e(t('export.sources', lang))}</h2><ol class='notes'>{notes}</ol>")
    return (f"<!DOCTYPE html><html lang='{lang}'><head><meta charset='utf-8'><title>{e(b.heading())}</title>"
            f"<style>{CHRONOLOGY_CSS}</style></head><body>{''.join(parts)}</body></html>")


def _html_table(b: Briefing, d: digests.Digest) -> str:
    e = html.escape
    rows = chronology(b.df, b.vocab, b.lang, with_summary=False)
    numbers = {event_id: n for n, (event_id, _) in enumerate(d.notes, start=1)}
    head = "".join(f"<th>{e(header(c, b.lang))}</th>" for c in ("date", "title", "countries")) + "<th>#</th>"
    body = "".join(f"<tr><td class='date'>{e(r.date)}</td><td>{e(r.title)}</td><td class='countries'>"
                   f"{e(r.countries)}</td><td class='n'>{numbers.get(r.id, '')}</td></tr>"
                   for r in rows.itertuples())
    return (f"<h2>{e(t('export.chronology', b.lang))}</h2>"
            f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")


def chronology_pdf(b: Briefing) -> bytes:
    """The A4 chronology printed by headless Chromium (Kaleido prints charts, not pages)."""
    page = chronology_html(b, chart_png(b))
    browser = browser_path()
    with tempfile.TemporaryDirectory(prefix="timeline-print-") as tmp:
        src, out = Path(tmp) / "chronology.html", Path(tmp) / "chronology.pdf"
        src.write_text(page, encoding="utf-8")
        cmd = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={tmp}/profile", f"--print-to-pdf={out}", src.as_uri()]
        try:
            run = subprocess.run(cmd, capture_output=True, timeout=PRINT_TIMEOUT)
        except subprocess.TimeoutExpired:
            raise ExportError(f"Chromium ({browser}) did not print the chronology within {PRINT_TIMEOUT} s; "
                              f"check that `chromium --headless --version` works") from None
        if not out.is_file():
            raise ExportError(f"Chromium ({browser}) could not print the chronology: "
                              f"{run.stderr.decode(errors='replace').strip()[-300:]}")
        return _stable_pdf(out.read_bytes(), b.date)


def _stable_pdf(data: bytes, when: dt.date) -> bytes:
    """Chromium stamps the print time: replace it (same length, so the PDF's offsets stay right)."""
    stamp = f"{when:%Y%m%d}000000".encode()
    return re.sub(rb"(/(?:CreationDate|ModDate) \(D:)[0-9]{14}", lambda m: m.group(1) + stamp, data)
