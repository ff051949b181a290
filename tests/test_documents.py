"""Briefing documents: the Markdown digest, the Word briefing, the A4 chronology PDF and the slide pack."""
import io
import re
import subprocess

import pandas as pd
import pytest

from timeline import export, outputs, slides
from timeline.cli import main
from timeline.load import load_events
from timeline.query import Filters, filter_events

from .conftest import DATA, ROOT, TODAY

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
KP_RU = Filters(date_from="2025-06", countries=("KP", "RU"))


@pytest.fixture(scope="module")
def real_log(vocab):
    return load_events(ROOT / "events.yaml", vocab)


def briefing(log, vocab, f: Filters, lang: str, **kw) -> export.Briefing:
    return export.Briefing(filter_events(log, f, vocab), vocab, f, lang, date=TODAY, log_size=len(log), log=log, **kw)


@pytest.fixture(scope="module")
def kp_ru_ja(real_log, vocab):
    return briefing(real_log, vocab, KP_RU, "ja")


def test_digest_export_is_markdown_of_the_view(kp_ru_ja):
    md = outputs.export_bytes(kp_ru_ja, "digest").decode()
    assert md.startswith("## 朝鮮半島情勢：北朝鮮・ロシア　主な動き") and "### 主な出来事" in md and "### 出典" in md
    assert md == outputs.export_bytes(kp_ru_ja, "digest").decode()
    assert export.file_name(kp_ru_ja, "digest").endswith("-kp-ru.md")


def test_docx_holds_heading_digest_one_row_per_event_and_notes(kp_ru_ja):
    from docx import Document

    doc = Document(io.BytesIO(outputs.export_bytes(kp_ru_ja, "docx")))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "朝鮮半島情勢：北朝鮮・ロシア"
    assert "主な動き" in texts and "主な出来事" in texts and "出典" in texts
    assert any(re.match(r"2026年2月25日　第9回党大会が閉幕", x) for x in texts)
    table = doc.tables[0]
    assert len(table.rows) == len(kp_ru_ja.df) + 1
    assert [c.text for c in table.rows[0].cells] == ["日付", "出来事", "国・地域", "#"]
    numbers = [int(r.cells[3].text) for r in table.rows[1:]]
    assert numbers == list(range(1, len(kp_ru_ja.df) + 1))        # the chronology takes notes 1..n in order
    notes = texts[texts.index("出典") + 1:]
    first_url = kp_ru_ja.df.iloc[0]["sources"][0]["url"]
    assert notes[0].startswith("1. ") and first_url in notes[0]


def test_docx_layout_a4_fonts_page_numbers_and_table_rows(kp_ru_ja, real_log, vocab):
    from docx import Document

    data = outputs.export_bytes(kp_ru_ja, "docx")
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    fonts = doc.styles["Normal"].element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "Noto Sans CJK JP"
    assert 'w:instr="PAGE"' in section.footer._element.xml
    rows = doc.tables[0].rows
    assert rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    assert all(r._tr.trPr.find(f"{W}cantSplit") is not None for r in rows)
    assert data == outputs.export_bytes(kp_ru_ja, "docx")                 # same log and date, same bytes
    ko = Document(io.BytesIO(outputs.export_bytes(briefing(real_log, vocab, KP_RU, "ko"), "docx")))
    assert ko.styles["Normal"].element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia") == "Noto Sans CJK KR"


def test_a4_chronology_pdf_has_the_title_and_japanese_rows(kp_ru_ja, tmp_path):
    from pypdf import PdfReader

    data = outputs.export_bytes(kp_ru_ja, "pdf", "a4-chronology")
    page = PdfReader(io.BytesIO(data)).pages[0]
    assert (round(float(page.mediabox.width) / 72 * 25.4), round(float(page.mediabox.height) / 72 * 25.4)) == (210, 297)
    (tmp_path / "c.pdf").write_bytes(data)
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "c.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "朝鮮半島情勢：北朝鮮・ロシア" in text and "主な動き" in text
    assert re.search(r"2025年6月17日\s+ショイグ氏訪朝", text)
    assert text.count("日付") >= 2                                       # the table header repeats on each page
    assert outputs.export_bytes(kp_ru_ja, "pdf", "a4-chronology") == data   # the print time is fixed to --date


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_kp_ru_slide_pack_is_short_dated_and_fits(real_log, vocab, lang):
    from pptx import Presentation

    b = briefing(real_log, vocab, KP_RU, lang)
    prs = Presentation(io.BytesIO(outputs.export_bytes(b, "pptx")))
    pack = list(prs.slides)
    assert len(b.df) >= 50 and len(pack) <= 12
    key = pack[1].shapes[1].text_frame.text
    date = r"\d+ [A-Z][a-z]{2} 20\d\d —" if lang == "en" else r"20\d\d年\d+月\d+日"
    assert len(re.findall(rf"^[-・] ?{date}", key, re.M)) >= 5, key
    checked = 0
    for slide in pack:
        for shape in slide.shapes:
            if shape.has_text_frame:
                assert slides.shape_fits(shape), shape.text_frame.text[:80]
                assert shape.top + shape.height <= prs.slide_height
                sizes = [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs if r.text]
                assert min(sizes) >= 12
                checked += 1
            if shape.has_table:
                rows = list(shape.table.rows)
                assert sum(slides.row_height([c.text for c in r.cells]) for r in rows) <= slides.BODY_H
                assert shape.top + sum(r.height for r in rows) <= prs.slide_height
                checked += 1
    assert checked > 10


def test_slides_list_the_most_important_major_events_unless_all(real_log, vocab):
    from pptx import Presentation

    def listed(b):
        prs = Presentation(io.BytesIO(outputs.export_bytes(b, "pptx")))
        texts = [s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame]
        rows = [[c.text for c in r.cells] for slide in prs.slides for s in slide.shapes if s.has_table
                for r in list(s.table.rows)[1:]]
        return rows, texts

    b = briefing(real_log, vocab, KP_RU, "en")
    major = b.df[b.df["importance"] >= 2]
    ranked = major.sort_values(["importance", "start", "id"], ascending=[False, False, True])
    expected = b.df[b.df.index.isin(ranked.head(slides.CHRONOLOGY_ROWS).index)]      # in date order
    rows, texts = listed(b)
    assert [r[1] for r in rows] == list(expected["title_en"])
    assert len(b.df) > len(expected)
    assert f"{len(expected)} of the {len(b.df)} events in this view" in "\n".join(texts)
    rows, texts = listed(briefing(real_log, vocab, KP_RU, "en", all_events=True))
    assert [r[1] for r in rows] == list(b.df["title_en"])
    assert not any("events in this view" in x for x in texts)


def test_fit_estimate_counts_cjk_as_wider_than_latin():
    width = 240 * slides.EMU_PER_PT + 2 * slides.INSET_X   # 240 pt of text: 20 em at 12 pt
    assert slides.text_lines("あ" * 20, 12, width) == 1 and slides.text_lines("あ" * 21, 12, width) == 2
    assert slides.text_lines("a" * 36, 12, width) == 1 and slides.text_lines("a" * 37, 12, width) == 2
    assert slides.text_lines("word " * 20, 12, width) == 3


def test_cli_writes_documents_and_checks_options(tmp_path, capsys):
    out = tmp_path / "d.md"
    args = ["export", "--events", str(DATA / "valid.yaml"), "--out", str(out), "--date", "2026-11-28"]
    assert main(args + ["--format", "digest", "--since", "2026-01-01", "--lang", "ja"]) == 0
    assert out.read_text().splitlines()[0] == "## 朝鮮半島情勢：出来事　主な動き"
    assert main(args + ["--format", "digest", "--since", "June"]) == 2
    assert main(args + ["--format", "docx", "--template", "a4-chronology"]) == 2
    assert "use it with --format pdf" in capsys.readouterr().err


def developments(df, lo, hi):
    """The digest's count by pandas: events with a known outcome overlapping [lo, hi]."""
    known = ~df["status"].isin(["scheduled", "expected", "unconfirmed"])
    return int((known & (df["stop"] >= lo) & (df["start"] <= hi)).sum())


def test_without_the_whole_log_the_digest_does_not_compare(real_log, vocab):
    view = filter_events(real_log, KP_RU, vocab)
    md = outputs.export_bytes(export.Briefing(view, vocab, KP_RU, "en", date=TODAY, through="12 Jun 2026"),
                              "digest").decode()
    planned = view[view["status"].isin(["scheduled", "expected"]) & (view["stop"] >= pd.Timestamp(TODAY))
                   & (view["start"] <= pd.Timestamp(TODAY) + pd.DateOffset(months=3))]
    assert ("Nothing scheduled or expected in the log, which is complete through 12 Jun 2026." in md) == planned.empty
    lo, hi = pd.Timestamp("2025-06-01"), pd.Timestamp(TODAY)
    assert f"Events: {developments(view, lo, hi)}\n" in md and "previous period" not in md
    kp_ru = real_log[real_log["countries"].map(lambda c: bool({"KP", "RU"} & set(c)))]
    prev_hi = lo - pd.Timedelta(days=1)
    before = developments(kp_ru, prev_hi - pd.Timedelta(days=(hi - lo).days), prev_hi)
    md = outputs.export_bytes(briefing(real_log, vocab, KP_RU, "en"), "digest").decode()
    assert f"previous period {before};" in md
