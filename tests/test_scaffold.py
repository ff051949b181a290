"""`python -m timeline new`: a valid scaffold at its place by date, pre-filled from a (local) page."""
import shutil

from timeline.cli import main
from timeline.load import read_log
from timeline.scaffold import slugify

from .conftest import DATA, ROOT, TODAY


def copy_of_log(tmp_path, name="events.yaml"):
    path = tmp_path / "events.yaml"
    shutil.copy(ROOT / name if name == "events.yaml" else DATA / name, path)
    return path


def test_slugify():
    assert slugify("Lee Jae-myung meets Takaichi in Nara, again") == "lee-jae-myung-meets-takaichi-in"
    assert slugify("日韓首脳会談") == ""


def test_new_writes_a_valid_event_in_place_and_nothing_else(tmp_path, capsys):
    path = copy_of_log(tmp_path)
    before = path.read_bytes()
    assert main(["new", "--events", str(path), "--date", "2025-06-04", "--title", "Test talks in Tokyo",
                 "--country", "JP,KR", "--theme", "japan-rok", "--today", "2026-11-29"]) == 0
    assert "added 2025-06-04-test-talks-in-tokyo" in capsys.readouterr().out
    report = read_log(path, today=TODAY, cache=False)
    assert report.ok, [p.format() for p in report.problems]
    row = report.events.set_index("id").loc["2025-06-04-test-talks-in-tokyo"]
    assert row["countries"] == ["JP", "KR"] and row["added"] == "2026-11-29" and row["status"] == "occurred"
    after = path.read_bytes()
    # the new block is the only difference: cut it out and the file is the old one, byte for byte
    start = after.index(b"- id: 2025-06-04-test-talks-in-tokyo")
    start = after.rindex(b"\n", 0, start) + 1
    end = after.index(b"  added: '2026-11-29'\n", start) + len(b"  added: '2026-11-29'\n")
    assert after[:start] + after[end:] == before
    assert b"# type: summit" in after[start:end]


def test_a_future_date_is_scheduled(tmp_path, capsys):
    path = copy_of_log(tmp_path, "valid.yaml")
    assert main(["new", "--events", str(path), "--date", "2027-03", "--slug", "trilateral summit", "--dry-run",
                 "--today", "2026-11-29"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("- id: 2027-03-trilateral-summit\n") and "status: scheduled" in out
    assert path.read_bytes() == (DATA / "valid.yaml").read_bytes()


def test_new_refuses_bad_input_and_writes_nothing(tmp_path, capsys):
    path = copy_of_log(tmp_path, "valid.yaml")
    before = path.read_bytes()
    assert main(["new", "--events", str(path), "--date", "2025-06-04", "--slug", "lee inauguration"]) == 2
    assert "already in" in capsys.readouterr().err
    assert main(["new", "--events", str(path), "--date", "2025-02-30", "--slug", "x"]) == 2
    assert "28 days" in capsys.readouterr().err
    assert main(["new", "--events", str(path), "--date", "2025-05", "--title", "日韓首脳会談"]) == 2
    assert "--slug" in capsys.readouterr().err
    assert main(["new", "--events", str(path), "--date", "2025-05", "--slug", "x", "--country", "XX"]) == 1
    assert "unknown-country" in capsys.readouterr().out
    assert path.read_bytes() == before


def test_new_url_prefills_the_source_from_a_saved_page(tmp_path, capsys, local_server):
    path = copy_of_log(tmp_path, "valid.yaml")
    url = f"{local_server}/pages/og-article.html"
    assert main(["new", "--events", str(path), "--date", "2025-11-20", "--slug", "defense ministers",
                 "--country", "JP,KR", "--url", url, "--today", "2026-11-29"]) == 0
    source = read_log(path, cache=False).events.set_index("id").loc["2025-11-20-defense-ministers", "sources"][0]
    assert source == {"title": "日韓防衛相が会談　共同訓練の拡大で一致", "publisher": "東都新聞", "url": url,
                      "published": "2026-11-20", "accessed": "2026-11-29"}


def test_new_url_takes_the_id_from_an_english_page_title(tmp_path, capsys, local_server):
    path = copy_of_log(tmp_path, "valid.yaml")
    assert main(["new", "--events", str(path), "--date", "2025-11-20", "--url",
                 f"{local_server}/pages/jsonld-article.html", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("- id: 2025-11-20-seoul-tokyo-defense-chiefs-agree-to\n")
    assert "publisher: Example Agency" in out and 'published: "2026-11-20"' in out


def test_new_url_failure_is_one_line_and_writes_nothing(tmp_path, capsys, local_server):
    path = copy_of_log(tmp_path, "valid.yaml")
    before = path.read_bytes()
    for route, reason in (("/missing", "HTTP 404"), ("/slow", "timeout"), ("/reset", "reset")):
        assert main(["new", "--events", str(path), "--date", "2025-11", "--slug", "x", "--timeout", "0.5", "--url",
                     local_server + route]) == 2
        err = capsys.readouterr().err
        assert reason in err and "nothing was written" in err and len(err.strip().splitlines()) == 1, err
    closed = "http://127.0.0.1:9/"  # the discard port: nothing listens, as when offline
    assert main(["new", "--events", str(path), "--date", "2025-11", "--slug", "x", "--url", closed]) == 2
    assert "nothing was written" in capsys.readouterr().err
    assert path.read_bytes() == before
