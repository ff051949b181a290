from timeline.tables import chronology, marked_text


def test_text_in_another_language_is_marked_as_such(valid_df, vocab):
    row = {"title_en": "Lee sworn in", "title_ja": "李在明氏が就任", "title_ko": "", "summary_en": "He took office."}
    assert marked_text(row, "title", "ja") == "李在明氏が就任"
    assert marked_text(row, "title", "ko") == "(영어) Lee sworn in"
    assert marked_text(row, "summary", "ja") == "（英語）He took office."
    rows = chronology(valid_df, vocab, "ko")
    assert rows["type"].str.contains("[가-힣]").all()            # Korean labels, not the English ones
    assert rows["summary"].str.startswith("(영어) ").any()
