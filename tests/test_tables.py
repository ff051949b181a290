from timeline.tables import chronology, marked_text


def test_text_in_another_language_is_marked_as_such(valid_df, vocab):
    row = {"title_en": "Lee sworn in", "title_ja": "李在明氏が就任", "title_ko": "", "summary_en": "He took office."}
    assert marked_text(row, "title", "ja") == "李在明氏が就任"
    assert marked_text(row, "title", "ko") == "(영어) Lee sworn in"
    assert marked_text(row, "summary", "ja") == "（英語）He took office."
    rows = chronology(valid_df, vocab, "ko")
    assert rows["type"].str.contains("[가-힣]").all()            # Korean labels, not the English ones
    assert rows["summary"].str.startswith("(영어) ").any()


def test_grid_rows_keep_the_most_relevant_when_ranked(valid_df, vocab):
    from timeline.query import rank_events
    from timeline.tables import grid_rows

    assert [r["id"] for r in grid_rows(valid_df, vocab, limit=2)] == list(valid_df["id"][-2:])   # the newest
    ranked = rank_events(valid_df, "kim", vocab)
    rows = grid_rows(ranked, vocab, limit=1)
    assert [r["id"] for r in rows] == [ranked["id"].iloc[0]] and rows[0]["relevance"] == ranked["relevance"].iloc[0]
