
import pytest

from timeline.model import PartialDate, format_span


@pytest.mark.parametrize("text,precision,first,last", [
    ("2025", "year", "2025-01-01", "2025-12-31"),
    ("2025-09", "month", "2025-09-01", "2025-09-30"),
    ("2024-02", "month", "2024-02-01", "2024-02-29"),
    ("2025-09-08", "day", "2025-09-08", "2025-09-08"),
])
def test_partial_dates_cover_their_whole_period(text, precision, first, last):
    d = PartialDate.parse(text)
    assert (d.precision, d.first.isoformat(), d.last.isoformat()) == (precision, first, last)


@pytest.mark.parametrize("text", ["2025-02-30", "2025-13", "2025-9", "25-09-01", "2025/09/01", "", "2025-00"])
def test_impossible_or_malformed_dates_are_refused(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


@pytest.mark.parametrize("text,lang,approx,label", [
    ("2025-09", "en", False, "Sep 2025"),
    ("2025-09", "ja", False, "2025年9月"),
    ("2025-09-08", "en", False, "8 Sep 2025"),
    ("2025-09-08", "ja", False, "2025年9月8日"),
    ("2025", "ja", True, "2025年頃"),
    ("2025-09", "en", True, "c. Sep 2025"),
])
def test_labels_never_claim_more_precision_than_the_log(text, lang, approx, label):
    assert PartialDate.parse(text).label(lang, approx) == label


def test_span_label():
    p = PartialDate.parse
    assert format_span(p("2025-09-08"), p("2025-09-09")) == "8–9 Sep 2025"
    assert format_span(p("2025-09-08"), p("2025-09-09"), "ja") == "2025年9月8日～9日"
    assert format_span(p("2026-09-19"), p("2026-10-04")) == "19 Sep 2026 – 4 Oct 2026"
    assert format_span(p("2025-09"), p("2025-10")) == "Sep 2025 – Oct 2025"


def test_vocabulary_has_labels_and_fixed_colours(vocab):
    assert vocab.label("theme", "japan-rok", "ja") == "日韓関係"
    assert vocab.color("country", "KP").startswith("#")
    assert len({t.color for t in vocab.themes.values()}) == len(vocab.themes)  # no two themes look alike
    assert set(vocab.importance) == {1, 2, 3}


def test_name_variants_are_shared(vocab):
    assert "김정은" in vocab.name_variants("金正恩")
    assert "Kim Jong Un" in vocab.name_variants("김정은")


def test_a_name_is_looked_up_whatever_its_spacing_hyphens_dots_or_width(vocab):
    group = vocab.name_group("Kim Jong Un")
    assert "金正恩" in group and "김정은" in group
    for spelling in ("kim jong-un", "KIM JONGUN", "キム・ジョンウン", "キム ジョンウン", "ｷﾑ･ｼﾞｮﾝｳﾝ"):
        assert vocab.name_group(spelling) == group, spelling
    assert vocab.name_group("Kim Yo Jong") != group
    assert vocab.name_group("Kim") == ()


def test_search_fold():
    from timeline.model import search_fold

    assert search_fold("キム・ジョンウン") == search_fold("ｷﾑ･ｼﾞｮﾝｳﾝ") == "キムジョンウン"
    assert search_fold("キム ジョンウン氏") == "キムジョンウン氏"
    assert search_fold("이재명·트럼프") == "이재명트럼프"
    assert search_fold("Japan–ROK, Trump’s") == "japan-rok, trump's"
    assert search_fold("Kim Jong Un") == "kim jong un"             # spaces between Latin words stay


def test_every_vocabulary_term_has_a_label_in_every_interface_language(vocab):
    from timeline.text import UI_LANGS

    missing = [f"{kind}.{term.id}.{lang}" for kind in ("countries", "themes", "types", "statuses", "relations")
               for term in getattr(vocab, kind).values() for lang in UI_LANGS if not getattr(term, lang)]
    missing += [f"importance.{n}.{lang}" for n, labels in vocab.importance.items() for lang in UI_LANGS
                if not labels.get(lang)]
    assert missing == []
