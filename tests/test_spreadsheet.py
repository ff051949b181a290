"""The spreadsheet round trip: export the log, edit the table, import it back (keyed by id)."""
import csv
import shutil

import pytest
from openpyxl import Workbook, load_workbook

from timeline.cli import main
from timeline.load import event_spans, read_log

from .conftest import DATA, ROOT


@pytest.fixture
def real_log(tmp_path):
    path = tmp_path / "events.yaml"
    shutil.copy(ROOT / "events.yaml", path)
    return path


def export(log, fmt, tmp_path):
    out = tmp_path / f"export.{fmt}"
    assert main(["export", "--events", str(log), "--format", fmt, "--out", str(out), "--date", "2026-11-29"]) == 0
    return out


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(rows)


def test_an_unchanged_export_imports_as_no_change(real_log, tmp_path, capsys):
    before = real_log.read_bytes()
    for fmt in ("xlsx", "csv"):
        table = export(real_log, fmt, tmp_path)
        capsys.readouterr()
        assert main(["import", str(table), "--events", str(real_log)]) == 0
        assert "No differences." in capsys.readouterr().out
    assert real_log.read_bytes() == before


def test_one_changed_cell_changes_exactly_that_field(real_log, tmp_path, capsys):
    before = real_log.read_text(encoding="utf-8")
    table = export(real_log, "xlsx", tmp_path)
    wb = load_workbook(table)
    ws = wb["Events"]
    head = [c.value for c in ws[1]]
    row = 10
    eid = ws.cell(row, head.index("id") + 1).value
    ws.cell(row, head.index("title_ja") + 1).value = "見出しを表計算ソフトで修正"
    wb.save(table)
    capsys.readouterr()
    assert main(["import", str(table), "--events", str(real_log)]) == 0
    out = capsys.readouterr().out
    assert "Added (0 events):" in out and "Changed (1 events):" in out and f"[{eid}]: title" in out
    after = real_log.read_text(encoding="utf-8")
    old_lines, new_lines = before.split("\n"), after.split("\n")
    changed = [(a, b) for a, b in zip(old_lines, new_lines, strict=False) if a != b]
    assert len(old_lines) == len(new_lines) and len(changed) == 1
    assert changed[0][1] == "    ja: 見出しを表計算ソフトで修正"
    assert read_log(real_log, cache=False).events.set_index("id").at[eid, "title_ja"] == "見出しを表計算ソフトで修正"


def test_a_new_row_becomes_an_event_at_its_date(real_log, tmp_path, capsys):
    table = export(real_log, "csv", tmp_path)
    rows = read_csv(table)
    head = rows[0]
    new = dict(zip(head, rows[5], strict=True))
    new.update(id="2025-01-15-test-import", date="2025-01-15", end="", title_en="Imported from a spreadsheet",
               title_ja="表計算ソフトから追加", countries="JP,KR", sources="NHK <https://www3.nhk.or.jp/example>")
    rows.append([new[c] for c in head])
    write_csv(table, rows)
    assert main(["import", str(table), "--events", str(real_log), "--today", "2026-11-29"]) == 1
    out = capsys.readouterr().out
    # a source in the sources column has no headline: the Sources sheet of an xlsx gives it, a CSV cannot
    assert f"{table.name}, row {len(rows)}, column " in out and "needs \"title\"" in out
    wb = load_workbook(export(real_log, "xlsx", tmp_path))
    wb["Events"].append([new[c] for c in head])
    wb["Sources"].append(["2025-01-15-test-import", "NHK", "日韓が協議", "https://www3.nhk.or.jp/example", "", "", ""])
    wb.save(tmp_path / "new.xlsx")
    capsys.readouterr()
    assert main(["import", str(tmp_path / "new.xlsx"), "--events", str(real_log), "--today", "2026-11-29"]) == 0
    assert "Added (1 events):" in capsys.readouterr().out
    events = read_log(real_log, cache=False).events.set_index("id")
    assert events.at["2025-01-15-test-import", "sources"] == [
        {"title": "日韓が協議", "publisher": "NHK", "url": "https://www3.nhk.or.jp/example"}]
    assert events.at["2025-01-15-test-import", "added"] == "2026-11-29"
    dates = [(span.id, span.date) for span in event_spans(real_log.read_text(encoding="utf-8"))]
    at = dates.index(("2025-01-15-test-import", "2025-01-15"))
    assert dates[at - 1][1] <= "2025-01-15" < dates[at + 1][1]


def test_bad_date_unknown_country_and_duplicate_id_write_nothing(real_log, tmp_path, capsys):
    before = real_log.read_bytes()
    table = export(real_log, "csv", tmp_path)
    rows = read_csv(table)
    head = rows[0]
    rows[3][head.index("date")] = "2025-13-01"
    rows[7][head.index("countries")] = "KR,XX"
    rows.append(list(rows[12]))
    write_csv(table, rows)
    capsys.readouterr()
    assert main(["import", str(table), "--events", str(real_log)]) == 1
    out = capsys.readouterr().out.splitlines()
    name = table.name
    assert any(line.startswith(f"{name}, row 4, column B (date): ") and line.endswith("[bad-date]") for line in out)
    assert any(line.startswith(f"{name}, row 8, column H (countries): ") and "XX" in line for line in out)
    assert any(line.startswith(f"{name}, row {len(rows)}, column A (id): ") and "also in row 13" in line
               for line in out)
    assert real_log.read_bytes() == before


def test_unknown_columns_are_refused(real_log, tmp_path, capsys):
    table = export(real_log, "csv", tmp_path)
    rows = read_csv(table)
    rows[0].append("priority")
    write_csv(table, rows)
    capsys.readouterr()
    assert main(["import", str(table), "--events", str(real_log)]) == 1
    out = capsys.readouterr().out
    from openpyxl.utils import get_column_letter

    letter = get_column_letter(len(rows[0]))  # the column after the export's own
    assert f"{table.name}, row 1, column {letter} (priority): \"priority\" is not a column" in out


def test_the_machine_sheet_is_found_by_name_and_header_not_position(tmp_path, capsys):
    log = tmp_path / "valid.yaml"
    shutil.copy(DATA / "valid.yaml", log)
    rows = read_csv(export(log, "csv", tmp_path))
    rows[1][rows[0].index("importance")] = "2"
    wb = Workbook()
    wb.active.title = "Briefing"
    wb.active.append(["Date", "Event"])  # a people-readable sheet first
    data = wb.create_sheet("Data")
    for r in rows:
        data.append(r)
    wb.save(tmp_path / "two-sheets.xlsx")
    capsys.readouterr()
    assert main(["import", str(tmp_path / "two-sheets.xlsx"), "--events", str(log), "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "Changed (1 events):" in out and "importance" in out and "dry run" in out
    assert log.read_bytes() == (DATA / "valid.yaml").read_bytes()
