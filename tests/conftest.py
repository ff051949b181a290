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


@pytest.fixture
def claims_log(tmp_path):
    """valid.yaml with a stated coverage, evidence on two events and a past-due unconfirmed plan."""
    text = (DATA / "valid.yaml").read_text(encoding="utf-8")
    text = text.replace("status: occurred\n    sources:\n      - {title: Kim in Beijing",
                        "status: occurred\n    evidence: claimed\n    claimed_by: KCNA\n"
                        "    sources:\n      - {title: Kim in Beijing")
    text = text.replace("    type: election\n    importance: 3\n    status: occurred\n",
                        "    type: election\n    importance: 3\n    status: occurred\n    evidence: confirmed\n")
    text = text.replace("    type: inauguration\n    importance: 3\n    status: occurred\n",
                        "    type: inauguration\n    importance: 3\n    status: unconfirmed\n")
    head = ('meta:\n  coverage:\n    through: "2026-06-12"\n'
            '    note: {en: Complete to mid-June 2026., ja: 2026年6月中旬まで収録。}\n')
    path = tmp_path / "claims.yaml"
    path.write_text(head + text, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def local_server():
    """Base URL of a local HTTP server with saved pages and failing links (tests/localserver.py)."""
    from .localserver import LocalServer

    with LocalServer() as server:
        yield server.url
