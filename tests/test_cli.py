"""The command line, run as users run it: python -m timeline ..."""
import json
import re
import subprocess
import sys

import pytest

from timeline.cli import EXAMPLES, build_parser, main

from .conftest import DATA, ROOT


def run(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "timeline", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120)


def test_validate_ok_prints_count():
    result = run("validate", str(DATA / "valid.yaml"))
    assert result.returncode == 0 and result.stdout.strip() == "OK: 3 events"


def test_validate_prints_each_problem_and_exits_1():
    result = run("validate", str(DATA / "valid.yaml"), str(DATA / "bad-date.yaml"))
    assert result.returncode == 1
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r".*bad-date\.yaml:28:11: 2025-09-kim-beijing: date: .* \[bad-date\]", lines[0])
    assert lines[-1] == "1 error(s), 0 warning(s) in 2 file(s)"


def test_validate_json():
    result = run("validate", "--json", str(DATA / "duplicate-id.yaml"))
    assert result.returncode == 1
    codes = {p["code"] for p in json.loads(result.stdout)}
    assert "duplicate-id" in codes


def test_list_formats(capsys):
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--country", "KR", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [r["id"] for r in rows] == ["2025-06-03-election", "2025-06-04-lee-inauguration"]
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--query", "김정은", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("id,date,") and len(out) == 2 and out[1].startswith("2025-09-kim-beijing,")
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--lang", "ja"]) == 0
    out = capsys.readouterr().out
    assert "2025年9月" in out and "金正恩が訪中" in out and "3 件" in out


def test_list_filters_repeatable_and_comma_separated(capsys):
    main(["list", "--events", str(DATA / "valid.yaml"), "--country", "CN", "--country", "KR,JP", "--format", "json"])
    assert len(json.loads(capsys.readouterr().out)) == 3


def test_bad_arguments_say_what_is_accepted():
    result = run("list", "--events", str(DATA / "valid.yaml"), "--country", "XX")
    assert result.returncode == 2
    assert "XX" in result.stderr and "KR, KP, JP" in result.stderr
    result = run("list", "--events", str(DATA / "valid.yaml"), "--from", "2025-13")
    assert result.returncode == 2 and "YYYY-MM" in result.stderr


def test_invalid_log_is_one_clear_error():
    result = run("list", "--events", str(DATA / "duplicate-id.yaml"))
    assert result.returncode == 1 and "duplicate-id" in result.stderr and "Traceback" not in result.stderr


def test_stats_counts(capsys):
    assert main(["stats", "--events", str(DATA / "valid.yaml")]) == 0
    out = capsys.readouterr().out
    assert "3 events" in out
    assert re.search(r"2025-06\s+2", out) and re.search(r"2025-07\s+0", out) and re.search(r"2025-09\s+1", out)
    assert re.search(r"South Korea \(ROK\)\s+2", out)


def test_export_command_writes_the_file(tmp_path):
    out = tmp_path / "t.md"
    result = run("export", "--events", str(DATA / "valid.yaml"), "--format", "md", "--out", str(out), "--lang", "ja",
                 "--date", "2026-11-28", "--country", "KP")
    assert result.returncode == 0, result.stderr
    assert "金正恩が訪中" in out.read_text() and "2025年6月" not in out.read_text()


def test_export_is_byte_identical_for_the_same_date(tmp_path):
    for name in ("a", "b"):
        assert run("export", "--events", str(DATA / "valid.yaml"), "--format", "svg", "--out",
                   str(tmp_path / f"{name}.svg"), "--date", "2026-11-28").returncode == 0
    assert (tmp_path / "a.svg").read_bytes() == (tmp_path / "b.svg").read_bytes()


def test_export_without_browser_names_the_fix(tmp_path):
    import os

    env = {**os.environ, "BROWSER_PATH": "/nonexistent/chrome"}
    result = subprocess.run([sys.executable, "-m", "timeline", "export", "--events", str(DATA / "valid.yaml"),
                             "--format", "png", "--out", str(tmp_path / "x.png")], cwd=ROOT, capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode == 1 and "install Debian's chromium" in result.stderr
    assert not (tmp_path / "x.png").exists()


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices
    checked = 0
    for name, sub in commands.items():
        assert sub.description and EXAMPLES[name] in sub.format_help()
        assert f"python -m timeline {name}" in readme, name
        checked += 1
    assert checked >= 5


def test_a_chain_can_be_listed_and_exported(tmp_path, capsys):
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--chain", "2025-06-03-election", "--format",
                 "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["2025-06-03-election",
                                                                     "2025-06-04-lee-inauguration"]
    out = tmp_path / "chain.csv"
    assert main(["export", "--events", str(DATA / "valid.yaml"), "--chain", "2025-06-03-election", "--format", "csv",
                 "--out", str(out)]) == 0
    assert len(out.read_text().strip().splitlines()) == 3
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--chain", "nope"]) == 2


def test_every_problem_code_is_documented_in_the_readme():
    from timeline.validate import CODES

    readme = (ROOT / "README.md").read_text()
    assert [code for code in CODES if f"`{code}`" not in readme] == []


def test_evidence_filter_on_the_command_line(claims_log, capsys):
    assert main(["list", "--events", str(claims_log), "--evidence", "claimed,disputed", "--format", "json"]) == 0
    assert [r["id"] for r in json.loads(capsys.readouterr().out)] == ["2025-09-kim-beijing"]
    assert main(["list", "--events", str(claims_log), "--evidence", "confirmed", "--format", "csv"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[1].startswith("2025-06-03-election,")
    result = run("list", "--events", str(claims_log), "--evidence", "rumoured")
    assert result.returncode == 2 and "rumoured" in result.stderr and "confirmed, claimed" in result.stderr


def test_stats_print_the_coverage_and_the_past_due_count(claims_log, capsys):
    assert main(["stats", "--events", str(claims_log)]) == 0
    out = capsys.readouterr().out
    assert "events through 12 Jun 2026" in out and "1 planned event(s) past their date" in out
    assert main(["stats", "--events", str(DATA / "valid.yaml"), "--lang", "ja"]) == 0
    assert "2025年9月までの出来事を収録" in capsys.readouterr().out  # no coverage stated: the latest event


def test_outlook_lists_unconfirmed_outcomes_for_follow_up(claims_log, capsys):
    assert main(["outlook", "--events", str(claims_log), "--today", "2026-11-28"]) == 0
    out = capsys.readouterr().out
    assert "outcome is not confirmed" in out and "[2025-06-04-lee-inauguration]" in out


def test_validate_github_annotations():
    result = run("validate", "--format", "github", "tests/data/unknown-theme.yaml", "tests/data/stale-scheduled.yaml")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith("::error file=tests/data/unknown-theme.yaml,line=32,col=14,title=unknown-theme::"
                               "2025-09-kim-beijing: themes.0: \"china-dprkk\" is not a known theme")
    assert lines[1].startswith("::warning file=tests/data/stale-scheduled.yaml,line=35,col=13,title=stale-scheduled::")
    assert lines[-1] == "1 error(s), 1 warning(s) in 2 file(s)"
    assert run("validate", "--json", "tests/data/valid.yaml").stdout.strip() == "[]"


def test_github_annotations_escape_what_would_end_them():
    from timeline.validate import Problem, github_annotation

    line = github_annotation(Problem("bad-date", "100% wrong\nsecond line", "a,b:c.yaml", 3, 4))
    assert line == "::error file=a%2Cb%3Ac.yaml,line=3,col=4,title=bad-date::100%25 wrong%0Asecond line"


def test_the_curators_guide_explains_every_problem_code_in_both_languages():
    from timeline.validate import CODES

    guide = (ROOT / "docs" / "curating.md").read_text()
    english, japanese = guide.split("\n## 日本語\n")
    for part in (english, japanese):
        assert [code for code in [*CODES, "unknown-column"] if f"`{code}`" not in part] == []
        for command in ("new", "schema", "import", "links", "export"):
            assert f"python -m timeline {command}" in part
    assert "docs/curating.md" in (ROOT / "README.md").read_text()


def test_list_sorts_by_relevance_with_a_query_unless_asked_for_dates(capsys):
    from timeline.load import load_events, load_vocab
    from timeline.query import Filters, filter_events

    def listed(*args):
        assert main(["list", "--format", "json", *args]) == 0
        return [r["id"] for r in json.loads(capsys.readouterr().out)]

    query = "Kim Jong Un Putin"
    chronological = list(filter_events(load_events(ROOT / "events.yaml"), Filters(query=query), load_vocab())["id"])
    ranked = listed("--query", query)
    assert listed("--query", query, "--sort", "date") == chronological
    assert sorted(ranked) == sorted(chronological) and ranked != chronological
    assert ranked[0] in ("2025-09-03-beijing-victory-day-parade-xi-putin-kim", "2025-09-03-putin-kim-talks-beijing")
    assert listed("--from", "2025-06") == listed("--from", "2025-06", "--sort", "date")   # no query: by date


def test_list_and_stats_in_korean(capsys):
    assert main(["stats", "--events", str(DATA / "valid.yaml"), "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("3건") and "월별:" in out and "유형별:" in out and "한국" in out
    assert main(["list", "--events", str(DATA / "valid.yaml"), "--lang", "ko"]) == 0
    out = capsys.readouterr().out
    assert "날짜" in out and "3건" in out and "선거" in out          # headings, count and type labels in Korean


@pytest.mark.parametrize("out", ["", "{tmp}", "{tmp}/missing/x.csv", "/dev/full", "{tmp}/" + "a" * 300 + ".csv"])
def test_every_out_problem_is_one_line_exit_2_and_leaves_nothing(tmp_path, out):
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    out = out.format(tmp=tmp_path)
    before = sorted(tmp_path.rglob("*"))
    result = subprocess.run([sys.executable, "-m", "timeline", "export", "--events", str(DATA / "valid.yaml"),
                             "--format", "csv", "--out", out], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith("error: ")
    assert sorted(tmp_path.rglob("*")) == before


@pytest.mark.parametrize("fmt", ["csv", "md", "html", "xlsx"])
def test_a_write_cut_short_by_a_file_size_limit_leaves_nothing_behind(tmp_path, fmt):
    import resource

    def limit():  # Python ignores SIGXFSZ: the write fails with EFBIG instead of killing the process
        resource.setrlimit(resource.RLIMIT_FSIZE, (2000, 2000))

    folder = tmp_path / "out"
    folder.mkdir()
    result = subprocess.run([sys.executable, "-m", "timeline", "export", "--events", str(ROOT / "events.yaml"),
                             "--format", fmt, "--out", str(folder / f"briefing.{fmt}")], cwd=ROOT,
                            capture_output=True, text=True, timeout=120, preexec_fn=limit)
    # a write cut short exits 2 (nothing was written); xlsx fails earlier, in its own temporary files (1)
    assert result.returncode in ((1, 2) if fmt == "xlsx" else (2,)) and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert list(folder.iterdir()) == []


def test_an_export_replaces_the_old_file_whole_with_normal_permissions(tmp_path):
    out = tmp_path / "briefing.csv"
    out.write_text("old")
    assert main(["export", "--events", str(DATA / "valid.yaml"), "--format", "csv", "--out", str(out)]) == 0
    assert out.read_text().startswith("id,date") and oct(out.stat().st_mode & 0o777) == oct(0o666 & ~_umask())
    assert [p.name for p in tmp_path.iterdir() if p.name != "cache"] == ["briefing.csv"]


def _umask() -> int:
    import os

    mask = os.umask(0)
    os.umask(mask)
    return mask
