import datetime as dt
from pathlib import Path

import pytest

from timeline.load import load_events, load_vocab

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 28)


@pytest.fixture(autouse=True)
def _isolated_cache(tmp_path, monkeypatch):
    """Every test gets its own disk cache, so no test sees another's (or the user's) cache."""
    monkeypatch.setenv("TIMELINE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture(scope="session")
def vocab():
    return load_vocab()


@pytest.fixture
def valid_df(vocab):
    return load_events(DATA / "valid.yaml", vocab)
