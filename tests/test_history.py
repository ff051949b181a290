"""diff between log versions, and added/updated stamps from git history."""
import subprocess

import pytest

from timeline.cli import main
from timeline.history import compare_files, format_diff, history_dates, stamp_events
from timeline.load import load_events

from .conftest import DATA, event_yaml


@pytest.fixture
def versions(tmp_path):
    old = (DATA / "valid.yaml").read_text()
    new = old.replace("importance: 2", "importance: 3").replace(
        "title: {en: Snap presidential election, ja: 大統領選挙}",
        "title: {en: Snap presidential election held, ja: 大統領選挙を実施}")
    new = new.replace("  - id: 2025-09-kim-beijing",
                      event_yaml("2025-10-new", "2025-10", "New event", "新しい出来事") + "  - id: 2025-09-kim-beijing")
    new = new.replace('''    related:
      - {type: follows, id: 2025-06-03-election}
''', "")
    paths = tmp_path / "old.yaml", tmp_path / "new.yaml"
    paths[0].write_text(old)
    paths[1].write_text(new)
    return paths


def test_diff_lists_added_removed_and_changed_fields(versions):
    old, new = versions
    d = compare_files(old, new)
    assert list(d.added["id"]) == ["2025-10-new"] and d.removed.empty
    assert d.changed == {"2025-06-03-election": ["title"], "2025-06-04-lee-inauguration": ["related"],
                         "2025-09-kim-beijing": ["importance"]}
    back = compare_files(new, old)
    assert list(back.removed["id"]) == ["2025-10-new"]


def test_diff_reads_in_both_languages(versions):
    d = compare_files(*versions)
    assert "Added (1 events):" in format_diff(d, "en") and "importance" in format_diff(d, "en")
    ja = format_diff(d, "ja")
    assert "追加（1件）" in ja and "新しい出来事" in ja and "重要度" in ja and "見出し" in ja


def test_diff_command_and_since_a_git_revision(versions, tmp_path, capsys):
    old, new = versions
    assert main(["diff", str(old), str(new), "--format", "json"]) == 0
    assert '"2025-10-new"' in capsys.readouterr().out
    _, log = _one_commit(old, tmp_path)
    log.write_text(new.read_text())
    assert main(["diff", "--since", "HEAD", "--events", str(log)]) == 0
    assert "New event" in capsys.readouterr().out
    assert main(["diff", "--since", "no-such-rev", "--events", str(log)]) == 2


def test_stamp_fills_added_and_updated_from_history(versions, tmp_path):
    old, new = versions
    repo = tmp_path / "r"
    repo.mkdir()
    log = repo / "events.yaml"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)

    def commit(text, day):
        log.write_text(text)
        env = {"GIT_AUTHOR_DATE": f"{day}T12:00:00", "GIT_COMMITTER_DATE": f"{day}T12:00:00", "PATH": "/usr/bin:/bin"}
        subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
        subprocess.run(["git", "-C", str(repo), "-c", "user.email=t@e.org", "-c", "user.name=t", "commit", "-qm",
                        f"log of {day}"], env=env, check=True)

    commit(old.read_text(), "2025-01-02")
    commit(new.read_text(), "2025-03-04")
    dates = history_dates(log)
    assert dates["2025-06-04-lee-inauguration"] == ("2025-01-02", "2025-03-04")   # related removed later
    assert dates["2025-10-new"] == ("2025-03-04", "2025-03-04")
    assert dates["2025-09-kim-beijing"] == ("2025-01-02", "2025-03-04")
    before = log.read_text()
    assert stamp_events(log, dates) == 4
    df = load_events(log).set_index("id")
    assert df.loc["2025-06-03-election", "added"] == "2025-01-02"
    assert df.loc["2025-10-new", "updated"] == "2025-03-04"
    # only stamp lines were added: the rest of the file is untouched
    added_lines = [line for line in log.read_text().splitlines() if line not in before.splitlines()]
    assert len(added_lines) == 8 and all(line.strip().startswith(("added:", "updated:")) for line in added_lines)
    assert stamp_events(log, dates) == 0   # idempotent


@pytest.mark.parametrize("rev", ["--output=written.txt", "-p", "", "HEAD\n--output=x"])
def test_a_revision_is_never_passed_to_git_as_an_option(versions, tmp_path, capsys, monkeypatch, rev):
    repo, log = _one_commit(versions[0], tmp_path)
    monkeypatch.chdir(repo)
    assert main(["diff", f"--since={rev}", "--events", str(log)]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert sorted(p.name for p in repo.iterdir()) == [".git", "events.yaml"]


def test_git_reads_a_revision_after_end_of_options(versions, tmp_path):
    from timeline.history import log_at_revision

    repo, log = _one_commit(versions[0], tmp_path)
    assert log_at_revision(log, "HEAD") == versions[0].read_bytes()


def _one_commit(version, tmp_path):
    """A git repository holding `version` as events.yaml in one commit: (folder, log path)."""
    repo = tmp_path / "repo"
    repo.mkdir()
    log = repo / "events.yaml"
    git = ["git", "-C", str(repo), "-c", "user.email=t@example.org", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    log.write_text(version.read_text())
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-qm", "one"], check=True)
    return repo, log
