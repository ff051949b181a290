"""The chart options of `export`: labels, bands, the comparison chart; and the URL parameters."""
import html

import pytest

from timeline import labels
from timeline.cli import main
from timeline.load import load_events, load_vocab
from timeline.query import ViewState, state_from_query, state_to_query

from .conftest import ROOT

EVENTS = str(ROOT / "events.yaml")
LEE = "2025-06-04-lee-jae-myung-inauguration"


def svg(tmp_path, *args):
    out = tmp_path / "chart.svg"
    assert main(["export", "--events", EVENTS, "--format", "svg", "--out", str(out), "--date", "2026-11-28",
                 *args]) == 0
    return html.unescape(out.read_text(encoding="utf-8"))


def test_labels_forced_and_bands_in_the_export(tmp_path):
    text = svg(tmp_path, "--from", "2025-01", "--labels", "2", "--label", LEE, "--lang", "ja")
    log = load_events(EVENTS)
    date, short = labels.label_texts(log[log["id"] == LEE], "ja")[LEE]
    assert date == "2025年6月4日" and date in text
    assert all(line in text for line in labels.wrap(short))  # the forced label's short title, in Japanese
    assert "米韓合同演習" in text and "高市" in text
    plain = svg(tmp_path, "--from", "2025-01", "--labels", "0", "--no-bands")
    assert "4 Jun 2025" not in plain and "US–ROK exercises" not in plain and "Takaichi" not in plain


def test_comparison_chart_export(tmp_path):
    text = svg(tmp_path, "--chart", "compare", "--from", "2025-06", "--compare-to", "2024-06..2025-05")
    assert "By theme" in text and "what changed" in text and "1 Jun 2024" in text


@pytest.mark.parametrize("args,message", [
    (["--labels", "99"], "--labels 99"), (["--label", "no-such-event"], "no-such-event"),
    (["--compare-to", "2024"], "FROM..TO"), (["--chart", "pie"], "invalid choice")])
def test_bad_chart_options_say_what_to_do(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) if args[0] == "--chart" else _nothing():
        code = main(["export", "--format", "svg", "--out", str(tmp_path / "x.svg"), *args])
        assert code == 2
    assert message in capsys.readouterr().err


class _nothing:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_label_url_parameters_round_trip():
    vocab = load_vocab()
    state, notes = state_from_query(f"?labels=8&label={LEE},2025-09-03-x&bands=1", vocab)
    assert not notes and state.labels == 8 and state.label == (LEE, "2025-09-03-x") and state.bands
    assert state_from_query(state_to_query(state), vocab)[0] == state
    assert state_to_query(ViewState(labels=0)) == "?labels=0"
    state, notes = state_from_query("?labels=many&label=Not_An_Id", vocab)
    assert state.labels is None and state.label == () and len(notes) == 2
