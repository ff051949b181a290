"""The on-disk cache of validated logs: never stale, never trusted when damaged, safe under concurrency."""
import multiprocessing
import os

import pandas as pd

from timeline import load
from timeline.frame import COLUMNS
from timeline.load import read_log

from .conftest import DATA


def cache_files(folder):
    return sorted(p for p in folder.glob("log-*.pkl"))


def test_second_read_comes_from_the_cache(tmp_path, monkeypatch):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    first = read_log(log, cache=tmp_path / "c")
    assert len(cache_files(tmp_path / "c")) == 1
    calls = []
    monkeypatch.setattr(load, "parse_log", lambda *a, **k: calls.append(1) or (_ for _ in ()).throw(AssertionError))
    second = read_log(log, cache=tmp_path / "c")
    assert calls == [] and second.ok
    pd.testing.assert_frame_equal(first.events, second.events)


def test_a_changed_file_is_never_served_stale(tmp_path):
    log = tmp_path / "events.yaml"
    text = (DATA / "valid.yaml").read_text()
    log.write_text(text)
    assert read_log(log, cache=tmp_path / "c").ok
    # same size, same modification time: only the content differs
    stat = os.stat(log)
    log.write_text(text.replace("Kim Jong Un visits Beijing", "Kim Jong Un visits Beijinh"))
    os.utime(log, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    again = read_log(log, cache=tmp_path / "c")
    assert "Kim Jong Un visits Beijinh" in set(again.events["title_en"])
    # and an invalid change is reported, not hidden behind the cached good version
    log.write_text(text.replace('date: "2025-09"', 'date: "2025-13"'))
    assert not read_log(log, cache=tmp_path / "c").ok


def test_a_corrupted_cache_file_is_ignored_and_rebuilt(tmp_path):
    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    read_log(log, cache=tmp_path / "c")
    (cached,) = cache_files(tmp_path / "c")
    for damage in (b"", b"not a pickle", cached.read_bytes()[:50]):
        cached.write_bytes(damage)
        report = read_log(log, cache=tmp_path / "c")
        assert report.ok and len(report.events) == 3
        assert cache_files(tmp_path / "c") and cache_files(tmp_path / "c")[0].read_bytes() != damage


def test_a_foreign_pickle_is_not_trusted(tmp_path):
    import pickle

    log = tmp_path / "events.yaml"
    log.write_text((DATA / "valid.yaml").read_text())
    read_log(log, cache=tmp_path / "c")
    (cached,) = cache_files(tmp_path / "c")
    cached.write_bytes(pickle.dumps((pd.DataFrame({"x": [1]}), [], {})))
    assert list(read_log(log, cache=tmp_path / "c").events.columns) == list(COLUMNS)


def _load_many(args):
    path, cache, rounds = args
    sizes = set()
    for _ in range(rounds):
        report = read_log(path, cache=cache)
        assert report.ok
        sizes.add(len(report.events))
    return sizes


def test_two_processes_loading_at_once_do_not_corrupt_it(tmp_path):
    from timeline.devtools.synth import synth_log

    log = tmp_path / "events.yaml"
    log.write_text(synth_log(300, 3, load.load_vocab()))
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        results = pool.map(_load_many, [(str(log), str(tmp_path / "c"), 15)] * 4)
    assert all(r == {300} for r in results)
    assert len(cache_files(tmp_path / "c")) == 1 and not list((tmp_path / "c").glob(".tmp-*"))
    assert len(read_log(log, cache=tmp_path / "c").events) == 300


def test_unwritable_cache_folder_does_not_break_loading(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    report = read_log(DATA / "valid.yaml", cache=blocker / "sub")
    assert report.ok


def test_synthetic_logs_are_valid_and_deterministic():
    from timeline.devtools.synth import synth_log

    vocab = load.load_vocab()
    a, b = synth_log(200, 7, vocab), synth_log(200, 7, vocab)
    assert a == b and a != synth_log(200, 8, vocab)
