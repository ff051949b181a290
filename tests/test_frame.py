"""The events DataFrame: the same columns and types whether a log has events or none."""
from timeline.frame import COLUMNS, to_frame


def test_an_empty_log_has_every_column_with_the_types_of_a_full_one(valid_df):
    empty = to_frame([])
    assert len(empty) == 0 and tuple(empty.columns) == COLUMNS == tuple(valid_df.columns)
    for name in ("start", "stop", "importance"):  # what filters compare and sort on
        assert empty[name].dtype == valid_df[name].dtype, name
    for name in COLUMNS:  # no column typed as numbers for want of values: text filters still work on it
        assert empty[name].dtype in (object, valid_df[name].dtype), name
    assert not empty["country_key"].str.contains("|KR|", regex=False).any()


def test_rows_are_sorted_by_start_then_id_with_their_line_and_search_text(valid_df):
    assert list(valid_df["start"]) == sorted(valid_df["start"])
    assert all(line > 0 for line in valid_df["line"])
    row = valid_df.set_index("id").loc["2025-09-kim-beijing"]
    assert row["search"].startswith(" ") and row["search"].endswith(" 2025-09-kim-beijing ")
    assert row["country_key"] == "|KP|CN|" and row["stop"] > row["start"]  # a month: its last day
