"""Each export format is checked for content, not just existence."""
import csv
import datetime as dt
import io
import re

import pytest

from timeline import export, outputs
from timeline.query import Filters, filter_events

from .conftest import TODAY


@pytest.fixture
def briefing(valid_df, vocab):
    return export.Briefing(valid_df, vocab, Filters(), "en", date=TODAY, log_size=3, log_updated="2026-11-28")


@pytest.fixture
def briefing_ja(valid_df, vocab):
    f = Filters(countries=("KR",))
    return export.Briefing(filter_events(valid_df, f), vocab, f, "ja", date=TODAY, log_size=3)


def test_every_export_says_what_it_shows(briefing_ja, vocab):
    assert briefing_ja.heading() == "朝鮮半島情勢：韓国"
    assert "国・地域：韓国" in briefing_ja.subtitle() and "2 件" in briefing_ja.subtitle()
    footer = briefing_ja.footer()
    assert "出典：KBS, Yonhap" in footer and "作成日：2026-11-28" in footer and "3 件" in footer


def test_footer_shortens_a_long_source_line(valid_df, vocab):
    df = valid_df.copy()
    df.at[0, "sources"] = [{"title": "t", "publisher": f"Publisher number {i}", "url": "https://x.org"}
                           for i in range(40)]
    footer = export.Briefing(df, vocab, date=TODAY).footer(120)
    assert "more" in footer and len(footer.split("<br>")[0]) < 160


@pytest.mark.parametrize("template,size", [("slide", (1920, 1080)), ("a4", (2246, 1588)), ("square", (1080, 1080))])
def test_png_size_per_template(briefing, template, size):
    from PIL import Image

    data = export.export_bytes(briefing, "png", template)
    assert Image.open(io.BytesIO(data)).size == size


def test_svg_carries_the_title_in_each_language(briefing, briefing_ja):
    assert "Korean Peninsula: events" in export.export_bytes(briefing, "svg").decode()
    svg_ja = export.export_bytes(briefing_ja, "svg").decode()
    assert "朝鮮半島情勢：韓国" in svg_ja


def test_svg_is_deterministic(briefing, vocab, valid_df):
    again = export.Briefing(valid_df, vocab, Filters(), "en", date=TODAY, log_size=3, log_updated="2026-11-28")
    assert export.export_bytes(briefing, "svg") == export.export_bytes(again, "svg")


def test_pdf_text_has_the_title(briefing, tmp_path):
    from pypdf import PdfReader

    data = export.export_bytes(briefing, "pdf", "a4")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Korean Peninsula: events" in text
    page = PdfReader(io.BytesIO(data)).pages[0]
    width_mm, height_mm = float(page.mediabox.width) / 72 * 25.4, float(page.mediabox.height) / 72 * 25.4
    assert abs(width_mm - 297) < 3 and abs(height_mm - 210) < 3


def test_csv_rows_are_exactly_the_filtered_events_with_sources(valid_df, briefing_ja):
    rows = list(csv.DictReader(io.StringIO(export.export_bytes(briefing_ja, "csv").decode())))
    assert [r["id"] for r in rows] == ["2025-06-03-election", "2025-06-04-lee-inauguration"]
    assert rows[1]["sources"] == "Yonhap <https://en.yna.co.kr/view/example>"
    assert rows[0]["title_ja"] == "大統領選挙"
    assert export.export_bytes(briefing_ja, "csv") == export.export_bytes(briefing_ja, "csv")


def test_csv_neutralises_nothing_but_xlsx_never_makes_formulas(valid_df, vocab):
    from openpyxl import load_workbook

    df = valid_df.copy()
    df.loc[0, "title_en"] = "=HYPERLINK(\"http://evil\")"
    data = export.export_bytes(export.Briefing(df, vocab, date=TODAY), "xlsx")
    ws = load_workbook(io.BytesIO(data))["Events"]
    cell = next(c for c in ws[2] if c.value and "HYPERLINK" in str(c.value))
    assert cell.data_type == "s" and str(cell.value).startswith("'=")


def test_xlsx_rows_and_sources(briefing_ja):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export.export_bytes(briefing_ja, "xlsx")))
    events = list(wb["Events"].iter_rows(values_only=True))
    assert events[0][0] == "id" and [r[0] for r in events[1:]] == ["2025-06-03-election",
                                                                 "2025-06-04-lee-inauguration"]
    sources = list(wb["Sources"].iter_rows(values_only=True))
    assert ("2025-06-04-lee-inauguration", "Yonhap", "Lee sworn in", "https://en.yna.co.kr/view/example") == sources[2][:4]


def test_markdown_chronology_in_japanese(briefing_ja):
    md = export.export_bytes(briefing_ja, "md").decode()
    assert "| 日付 | 出来事 | 国・地域 | 出典 |" in md
    assert "| 2025年6月4日 | 李在明大統領が就任 | 韓国 | [Yonhap](https://en.yna.co.kr/view/example) |" in md
    assert md == export.export_bytes(briefing_ja, "md").decode()


def test_markdown_escapes_pipes(valid_df, vocab):
    df = valid_df.copy()
    df.loc[0, "title_en"] = "a | b"
    md = export.markdown_text(export.Briefing(df, vocab, date=TODAY))
    assert "a \\| b" in md


def test_html_is_self_contained(briefing):
    page = export.export_bytes(briefing, "html").decode()
    assert not re.search(r"<script[^>]+src=", page) and not re.search(r"<link[^>]+href=.https?:", page)
    assert "Plotly.newPlot" in page and "Korean Peninsula: events" in page


def test_pptx_slides_and_table_rows(valid_df, vocab):
    from pptx import Presentation

    data = outputs.export_bytes(export.Briefing(valid_df, vocab, date=TODAY), "pptx")
    slides = list(Presentation(io.BytesIO(data)).slides)
    kinds = ["table" if any(s.has_table for s in sl.shapes) else "picture" if sl.shapes[0].shape_type == 13
             else "text" for sl in slides]
    # title, key developments, timeline chart, period comparison, chronology, sources
    assert kinds == ["text", "text", "picture", "picture", "table", "text"]
    assert "Korean Peninsula: events" in slides[0].shapes[0].text_frame.text
    table = next(s.table for s in slides[4].shapes if s.has_table)
    major = valid_df[valid_df["importance"] >= 2]
    assert [r.cells[1].text for r in list(table.rows)[1:]] == list(major["title_en"])
    assert "https://www.reuters.com/example" in slides[5].notes_slide.notes_text_frame.text


def test_missing_browser_gives_the_documented_error(briefing, monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/nonexistent/chromium")
    for fmt in ("png", "svg", "pdf", "pptx"):
        with pytest.raises(export.ExportError, match="install Debian's chromium"):
            outputs.export_bytes(briefing, fmt)
    monkeypatch.delenv("BROWSER_PATH")
    monkeypatch.setenv("PATH", "/nonexistent")
    with pytest.raises(export.ExportError, match="BROWSER_PATH"):
        export.browser_path()
    for fmt in ("csv", "xlsx", "md", "html"):  # these never need a browser
        assert export.export_bytes(briefing, fmt)


def test_warm_export_is_fast(briefing):
    import time

    export.export_bytes(briefing, "png")  # the first may start the browser
    start = time.perf_counter()
    export.export_bytes(briefing, "svg")
    # a loose bound against "a new browser per export" (several seconds); the benchmark holds the real target
    assert time.perf_counter() - start < 3


def test_file_name(briefing_ja):
    assert export.file_name(briefing_ja, "png") == "korea-timeline-2026-11-28-kr.png"


def test_big_counts_read_with_thousands_separators(valid_df, vocab):
    from timeline.query import Filters

    b = export.Briefing(valid_df, vocab, Filters(), "en", date=TODAY, log_size=12345)
    assert "12,345 events" in b.footer()
    assert export.describe_filters(Filters(), vocab, "en", count=10000).endswith("10,000 events")


def test_exports_carry_evidence_and_the_coverage_footer(claims_log, vocab):
    from timeline.load import read_log

    report = read_log(claims_log, vocab)
    facts = export.log_facts(report.meta, report.events, "ja", dt.date(2026, 11, 28))
    assert (facts["through"], facts["past_due"], facts["log_size"]) == ("2026年6月12日", 1, 3)
    briefing = export.Briefing(report.events, vocab, lang="ja", date=dt.date(2026, 11, 28), **facts)
    assert "2026年6月12日までの出来事を収録" in briefing.footer() and "結果未確認" in briefing.footer()
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(export.export_bytes(briefing, "csv").decode()))}
    assert (rows["2025-09-kim-beijing"]["evidence"], rows["2025-09-kim-beijing"]["claimed_by"]) == ("claimed", "KCNA")
    assert rows["2025-06-04-lee-inauguration"]["evidence"] == ""
