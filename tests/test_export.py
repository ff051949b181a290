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


@pytest.fixture
def hostile(vocab):
    from timeline.load import load_events

    from .conftest import DATA

    df = load_events(DATA / "hostile.yaml", vocab)
    return export.Briefing(df, vocab, lang="en", title="=HYPERLINK(\"https://evil.example\")", date=TODAY)


def _neutral(value) -> bool:
    return not (isinstance(value, str) and value.startswith(export.FORMULA_START))


def test_csv_cells_never_start_a_formula_and_cr_is_always_quoted(hostile):
    text = export.export_bytes(hostile, "csv").decode()
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert len(rows) == 4 and {len(r) for r in rows} == {len(export.DATA_COLUMNS)}  # CR split no row
    cells = [c for r in rows for c in r]
    assert all(_neutral(c) for c in cells)
    kim = dict(zip(rows[0], rows[3], strict=True))
    assert kim["title_en"].startswith("'=HYPERLINK") and kim["summary_en"] == "'+cmd|' /C calc'!A0"
    assert kim["title_ja"] == "金正恩が\r訪中" and '"金正恩が\r訪中"' in text
    assert kim["notes"].startswith("'-2+3")


def test_xlsx_has_no_formula_in_any_sheet_including_about(hostile):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export.export_bytes(hostile, "xlsx")))
    checked = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f" and _neutral(cell.value), (ws.title, cell.coordinate, cell.value)
                checked += 1
    assert checked > 50 and wb["About"]["A1"].value.startswith("'=HYPERLINK")
    assert any(c.value == "'@Reuters" for c in wb["Sources"]["B"])


def test_markdown_writes_no_link_or_image_and_urls_only_as_autolinks(hostile):
    for lang in ("en", "ko"):
        md = export.markdown_text(export.Briefing(hostile.df, hostile.vocab, lang=lang, date=TODAY))
        unescaped = re.sub(r"\\\S", "", md)  # what is left once every escaped character is gone
        assert "](" not in unescaped and "![" not in unescaped and "[" not in unescaped
        autolinks = re.findall(r"<([^>]*)>", md)
        assert autolinks and all(re.fullmatch(r"https://[^\s()\[\]|<>]+", u) for u in autolinks), autolinks
        assert "<https://example.com/%29%5Bx%5D%28javascript:alert%281%29%29>" in md
        for line in md.splitlines():
            if line.startswith("| 20"):
                assert len(re.findall(r"(?<!\\)\|", line)) == 5, line  # no cell split by text from the log
    assert "\\!\\[tracker\\]\\(https://tracker.example/p.png\\)" in md


def test_markdown_url_accepts_only_plain_http_urls():
    assert export.markdown_url("https://example.com/a?b=1") == "<https://example.com/a?b=1>"
    for bad in ("javascript:alert(1)", "https://", "https://a b", "https://x/<y>", "ftp://x", "http://x\n"):
        assert export.markdown_url(bad) == ""


def test_xlsx_rows_and_sources(briefing_ja):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(export.export_bytes(briefing_ja, "xlsx")))
    assert wb.sheetnames == ["年表", "Events", "Sources", "About"]
    events = list(wb["Events"].iter_rows(values_only=True))
    assert list(events[0]) == export.DATA_COLUMNS  # the machine layout, read by header by imports
    assert [r[0] for r in events[1:]] == ["2025-06-03-election", "2025-06-04-lee-inauguration"]
    assert events[1][events[0].index("countries")] == "KR" and events[1][events[0].index("type")] == "election"
    sources = list(wb["Sources"].iter_rows(values_only=True))
    expected = ("2025-06-04-lee-inauguration", "Yonhap", "Lee sworn in", "https://en.yna.co.kr/view/example")
    assert expected == sources[2][:4]
    assert wb["Sources"]["D3"].hyperlink.target == "https://en.yna.co.kr/view/example"


@pytest.mark.parametrize("lang, sheet, heads, first", [
    ("ja", "年表", ["日付", "出来事", "国・地域", "テーマ", "種別", "状況", "出典"],
     ["2025年6月3日", "大統領選挙", "韓国", "韓国の内政", "選挙", None]),
    ("en", "Chronology", ["Date", "Event", "Countries", "Themes", "Type", "Status", "Sources"],
     ["3 Jun 2025", "Snap presidential election", "South Korea (ROK)", None, None, None]),
    ("ko", "연표", ["날짜", "사건", "국가·지역", "주제", "유형", "상태", "출처"],
     ["2025년 6월 3일", None, "한국", None, None, None]),
])
def test_xlsx_first_sheet_is_a_chronology_for_people_in_the_language(valid_df, vocab, lang, sheet, heads, first):
    from openpyxl import load_workbook

    f = Filters(countries=("KR",))
    b = export.Briefing(filter_events(valid_df, f), vocab, f, lang, date=TODAY, log_size=3)
    wb = load_workbook(io.BytesIO(export.export_bytes(b, "xlsx")))
    assert wb.sheetnames[0] == sheet and wb.active.title == sheet
    rows = list(wb[sheet].iter_rows(values_only=True))
    assert list(rows[0]) == heads and len(rows) == 3
    for got, want in zip(rows[1], first, strict=False):
        assert want is None or got == want, (got, want)
    codes = {"KR", "rok-politics", "election", "occurred"}
    assert not codes & {v for r in rows[1:] for v in r}  # labels, never codes
    assert rows[1][6] == "KBS: Election result <https://world.kbs.co.kr/example>"
    assert wb[sheet].freeze_panes == "B2" and wb[sheet].auto_filter.ref == "A1:G3"
    assert wb[sheet].row_dimensions[2].height >= 15 and wb[sheet].page_setup.orientation == "landscape"


def test_long_titles_are_shortened_to_what_each_format_allows(valid_df, vocab, monkeypatch):
    from openpyxl import load_workbook
    from pptx import Presentation

    monkeypatch.setattr(export, "render_image", lambda *a, **k: _tiny_png())
    title = "North Korea / Russia / " * 30  # 690 characters: a view with every country comes near
    b = export.Briefing(valid_df, vocab, title=title, date=TODAY)
    props = Presentation(io.BytesIO(outputs.export_bytes(b, "pptx"))).core_properties
    assert len(props.title) == 255 and props.title.endswith("…")
    wb = load_workbook(io.BytesIO(export.export_bytes(b, "xlsx")))
    assert len(wb.properties.title) <= 255 and wb["About"]["A1"].value == title


def _tiny_png() -> bytes:
    import base64

    return base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5"
                            "ErkJggg==")


def test_markdown_chronology_in_japanese(briefing_ja):
    md = export.export_bytes(briefing_ja, "md").decode()
    assert "| 日付 | 出来事 | 国・地域 | 出典 |" in md
    assert "| 2025年6月4日 | 李在明大統領が就任 | 韓国 | Yonhap <https://en.yna.co.kr/view/example> |" in md
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
