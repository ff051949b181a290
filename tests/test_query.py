import datetime as dt

import pytest

from timeline.query import (
    Filters,
    ViewState,
    describe_filters,
    filter_events,
    preset_window,
    split_query,
    state_from_query,
    state_to_query,
)

from .conftest import event_yaml


def ids(df):
    return sorted(df["id"])


def test_no_filters_keep_everything(valid_df):
    assert len(filter_events(valid_df, Filters())) == 3


def test_partial_date_overlaps_a_window_by_its_real_span(valid_df):
    # "2025-09" means all of September, so a window ending 10 September contains it
    assert "2025-09-kim-beijing" in ids(filter_events(valid_df, Filters(date_from="2025-09-05", date_to="2025-09-10")))
    assert ids(filter_events(valid_df, Filters(date_to="2025-08-31"))) == ["2025-06-03-election",
                                                                           "2025-06-04-lee-inauguration"]
    # a partial window covers its whole period too
    assert ids(filter_events(valid_df, Filters(date_from="2025-06", date_to="2025-06"))) == [
        "2025-06-03-election", "2025-06-04-lee-inauguration"]
    assert ids(filter_events(valid_df, Filters(date_from="2025-06-04", date_to="2025-06-04"))) == [
        "2025-06-04-lee-inauguration"]
    assert ids(filter_events(valid_df, Filters(date_from="2026"))) == []


def test_country_matches_any_listed(valid_df):
    assert ids(filter_events(valid_df, Filters(countries=("CN",)))) == ["2025-09-kim-beijing"]
    assert len(filter_events(valid_df, Filters(countries=("CN", "KR")))) == 3
    assert ids(filter_events(valid_df, Filters(countries=("JP",)))) == []


def test_theme_type_importance_status(valid_df):
    assert ids(filter_events(valid_df, Filters(themes=("china-dprk",)))) == ["2025-09-kim-beijing"]
    assert ids(filter_events(valid_df, Filters(types=("election", "visit")))) == ["2025-06-03-election",
                                                                               "2025-09-kim-beijing"]
    assert len(filter_events(valid_df, Filters(min_importance=3))) == 2
    assert ids(filter_events(valid_df, Filters(statuses=("scheduled",)))) == []
    assert len(filter_events(valid_df, Filters(statuses=("occurred",)))) == 3


@pytest.mark.parametrize("query,expected", [
    ("inaugurated", ["2025-06-04-lee-inauguration"]),
    ("INAUGURATED", ["2025-06-04-lee-inauguration"]),       # case-insensitive
    ("就任", ["2025-06-04-lee-inauguration"]),              # Japanese
    ("이재명", ["2025-06-03-election", "2025-06-04-lee-inauguration"]),  # alias, and 李在明 in the other's text
    ("취임", ["2025-06-04-lee-inauguration"]),               # Korean title
    ("金正恩", ["2025-09-kim-beijing"]),
    ("김정은", ["2025-09-kim-beijing"]),                     # shared name variant from the vocabulary
    ("kim jong-un", ["2025-09-kim-beijing"]),
    ("ＫＩＭ", ["2025-09-kim-beijing"]),                     # full-width letters fold to ASCII
    ("kim parade", ["2025-09-kim-beijing"]),                 # every word must match
    ("kim election", []),
    ('"visits beijing"', ["2025-09-kim-beijing"]),           # quoted phrase
])
def test_free_text_search_in_every_language(valid_df, query, expected):
    assert ids(filter_events(valid_df, Filters(query=query))) == expected


def test_filters_combine(valid_df):
    f = Filters(date_from="2025-06", countries=("KR",), min_importance=3, query="wins")
    assert ids(filter_events(valid_df, f)) == ["2025-06-03-election"]


def test_filter_problems_list_what_is_accepted(vocab):
    problems = Filters(countries=("XX",), date_from="2025-13", min_importance=7).problems(vocab)
    assert any("XX" in p and "KR" in p for p in problems)
    assert any("2025-13" in p for p in problems)
    assert any("min-importance" in p for p in problems)


def test_split_query():
    assert split_query(' Kim  "Jong Un"  ') == ["kim", "jong un"]


def test_url_state_round_trip(vocab):
    query = ("?from=2025-06&to=2026-03&country=KP,RU&theme=russia-dprk&type=visit&importance=2&status=occurred"
             "&q=Kursk&lang=ja&group=theme&event=x")
    state, notes = state_from_query(query, vocab, {"x"})
    assert notes == []
    assert state.filters == Filters(date_from="2025-06", date_to="2026-03", countries=("KP", "RU"),
                                    themes=("russia-dprk",), types=("visit",), min_importance=2,
                                    statuses=("occurred",), query="Kursk")
    assert (state.lang, state.group, state.event) == ("ja", "theme", "x")
    again, _ = state_from_query(state_to_query(state), vocab, {"x"})
    assert again == state


def test_bad_url_parts_are_dropped_with_a_note(vocab):
    state, notes = state_from_query("?from=2025-13&country=KP,XX&lang=fr&importance=9&foo=bar&event=nope", vocab,
                                    {"a"})
    assert state.filters == Filters(countries=("KP",))
    assert state.lang == "en" and state.event is None
    assert len(notes) == 6
    assert any("foo" in n for n in notes)


def test_default_state_has_an_empty_query():
    assert state_to_query(ViewState()) == ""


def test_presets():
    today = dt.date(2026, 11, 28)
    assert preset_window("3m", today) == ("2026-08-28", None)
    assert preset_window("12m", today) == ("2025-11-28", None)
    assert preset_window("lee", today) == ("2025-06-04", None)
    assert preset_window("all", today) == (None, None)


def test_chain_filter_and_its_url_parameter(valid_df, vocab):
    assert ids(filter_events(valid_df, Filters(chain="2025-06-03-election"))) == ["2025-06-03-election",
                                                                                  "2025-06-04-lee-inauguration"]
    state, notes = state_from_query("?chain=2025-06-03-election&country=KR", vocab, set(valid_df["id"]))
    assert notes == [] and state.filters.chain == "2025-06-03-election"
    assert "chain=2025-06-03-election" in state_to_query(state)
    _, notes = state_from_query("?chain=nope", vocab, set(valid_df["id"]))
    assert notes == ["Ignored chain='nope': no event has that id."]


def test_search_finds_other_spellings_of_a_name(tmp_path, vocab):
    from timeline.load import load_events

    path = tmp_path / "log.yaml"
    path.write_text("events:\n" + event_yaml("2025-09-03-parade", "2025-09-03", "Kim Jong Un at a parade",
                                              "北京で軍事パレード"), encoding="utf-8")
    df = load_events(path, vocab)
    for query in ("김정은", "金正恩", "kim jong", "Kim Jong-un", "parade 金正恩"):
        assert ids(filter_events(df, Filters(query=query), vocab)) == ["2025-09-03-parade"], query
    for query in ("김여정", "金正恩 election"):
        assert ids(filter_events(df, Filters(query=query), vocab)) == [], query


def test_evidence_filter_and_its_url_parameter(claims_log, vocab):
    from timeline.load import load_events

    df = load_events(claims_log, vocab)
    state, notes = state_from_query("?evidence=claimed,disputed,rumoured", vocab, set(df["id"]))
    assert state.filters.evidence == ("claimed", "disputed") and notes and "rumoured" in notes[0]
    assert list(filter_events(df, state.filters, vocab)["id"]) == ["2025-09-kim-beijing"]
    assert state_to_query(state) == "?evidence=claimed,disputed"
    assert describe_filters(state.filters, vocab, "en") == "Evidence: Claimed, Disputed"
    assert describe_filters(state.filters, vocab, "ja") == "確認の度合い：一方の主張・異論あり"
