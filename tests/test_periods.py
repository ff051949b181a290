"""periods.yaml: validated like the events (one fixture per problem), drawn as context bands."""
import pytest

from timeline.load import is_periods_file, load_periods, read_periods
from timeline.validate import CODES

from .conftest import DATA, ROOT

PERIODS = DATA / "periods"
# fixture -> (code, line, period id)
CATALOGUE = {
    "unknown-period-kind": ("unknown-period-kind", 11, "ex-ufs-2025"),
    "unknown-row": ("unknown-row", 10, "ex-ufs-2025"),
    "overlapping-periods": ("overlapping-periods", 20, "kr-someone-else"),
    "end-before-start": ("end-before-start", 13, "ex-ufs-2025"),
    "no-sources": ("no-sources", 15, "ex-ufs-2025"),
}


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_period_defect_is_reported_with_code_line_and_id(name):
    report = read_periods(PERIODS / f"{name}.yaml")
    found = {(p.code, p.line, p.event_id) for p in report.problems}
    assert CATALOGUE[name] in found, [p.format() for p in report.problems]
    assert not report.ok


def test_every_period_fixture_is_catalogued():
    assert {p.stem for p in PERIODS.glob("*.yaml")} - {"valid"} == set(CATALOGUE)
    assert all(code in CODES for code, *_ in CATALOGUE.values())
    assert read_periods(PERIODS / "valid.yaml").ok


def test_the_real_periods_file_is_valid_and_sourced():
    report = read_periods(ROOT / "periods.yaml")
    assert report.ok, [p.format() for p in report.problems]
    assert not report.problems
    periods = load_periods()
    assert len(periods) >= 15
    rows = {p.row for p in periods}
    assert {"KR", "JP", "US", "exercise"} <= rows
    for p in periods:
        assert any(s.get("url", "").startswith("http") for s in p.sources), p.id
        assert p.label.get("en") and p.label.get("ja") and p.label.get("ko"), p.id
    # one governing period at a time per country, from Yoon to Lee without a gap
    kr = sorted((p for p in periods if p.row == "KR"), key=lambda p: p.start.first)
    for a, b in zip(kr, kr[1:], strict=False):
        assert 0 <= (b.start.first - a.end.last).days <= 1, (a.id, b.id)


def test_validate_command_checks_periods_files(tmp_path, capsys):
    from timeline.cli import main

    assert is_periods_file(ROOT / "periods.yaml") and not is_periods_file(ROOT / "events.yaml")
    assert main(["validate", str(ROOT / "periods.yaml")]) == 0
    assert f"{len(load_periods())} periods" in capsys.readouterr().out
    assert main(["validate", str(PERIODS / "unknown-row.yaml")]) == 1
    assert "[unknown-row]" in capsys.readouterr().out
