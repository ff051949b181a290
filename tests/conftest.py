import datetime as dt
from pathlib import Path

import pytest

from timeline.load import load_events, load_vocab

DATA = Path(__file__).parent / "data"
ROOT = Path(__file__).parent.parent
TODAY = dt.date(2026, 11, 28)


def event_yaml(event_id: str, date: str, title_en: str, title_ja: str) -> str:
    """One valid event as it appears in a log's `events:` list (for tests that add events)."""
    return f"""  - id: {event_id}
    date: "{date}"
    title: {{en: {title_en}, ja: {title_ja}}}
    summary: {{en: Added by a test., ja: テストで追加。}}
    countries: [JP]
    themes: [japan-politics]
    type: other
    importance: 1
    status: occurred
    sources:
      - {{title: Example, publisher: NHK, url: "https://www3.nhk.or.jp/example"}}
"""


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


@pytest.fixture(scope="session")
def local_server():
    """Base URL of a local HTTP server with saved pages and failing links (tests/localserver.py)."""
    from .localserver import LocalServer

    with LocalServer() as server:
        yield server.url
