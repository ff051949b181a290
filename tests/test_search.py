"""Free-text search: whole words, names as a whole in every spelling, phrases, CJK, ranking, highlighting."""
import pytest

from timeline.load import load_events
from timeline.query import Filters, filter_events, highlight_spans, rank_events, split_query
from timeline.search import parse_query

from .conftest import ROOT


def _event(event_id, title, summary="Added by a test.", importance=1):
    return f"""  - id: {event_id}
    date: "{event_id[:10]}"
    title: {{en: "{title}", ja: テスト}}
    summary: {{en: "{summary}", ja: テストで追加。}}
    countries: [KP]
    themes: [dprk-politics]
    type: other
    importance: {importance}
    status: occurred
    sources:
      - {{title: Example, publisher: NHK, url: "https://www3.nhk.or.jp/example"}}
"""


@pytest.fixture
def small(tmp_path, vocab):
    path = tmp_path / "log.yaml"
    path.write_text("events:\n" + "".join([
        _event("2025-01-01-under", "Talks under way on missiles"),
        _event("2025-01-02-un", "UN Security Council meets on a missile launch"),
        _event("2025-01-03-kyj", "Kim Yo Jong issues a statement", "Kim Yo Jong rejects talks.", importance=2),
        _event("2025-01-04-kju", "Kim Jong-un visits a factory", "He visits Beijing later."),
        _event("2025-01-05-taxi", "Taxi fares rise", "Beijing visits are planned."),
        _event("2025-01-06-choe", "Choe Son Hui meets Lavrov"),
        _event("2025-01-07-summary", "A factory opens", "Kim Jong Un was not there."),
    ]), encoding="utf-8")
    return load_events(path, vocab)


def found(df, query, vocab):
    return sorted(filter_events(df, Filters(query=query), vocab)["id"].str[11:])


@pytest.mark.parametrize("query,expected", [
    ("un", ["un"]),                                  # a whole word: not "under"; and the UN, so not the
    ("UN", ["un"]),                                  # "Un" of Kim Jong Un (an acronym inside another name)
    ("xi", []),                                      # not inside "taxi"
    ("missile", ["un", "under"]),                    # four letters or more: also the start of a word
    ("cho", []),                                     # three letters: whole words only, so not "Choe"
    ("Kim Jong Un", ["kju", "summary"]),             # a known name as a whole: no Kim Yo Jong
    ("kim jongun", ["kju", "summary"]),              # spaces and hyphens inside a name are optional
    ("キム・ジョンウン", ["kju", "summary"]),           # every spelling of the name
    ("김정은", ["kju", "summary"]),
    ("kim", ["kju", "kyj", "summary"]),              # a word alone is a word
    ('"visits beijing"', ["kju"]),                   # a phrase: these words in this order
    ("visits beijing", ["kju", "taxi"]),             # words: all of them, anywhere
    ("Kim Jong Un factory", ["kju", "summary"]),     # a name and a word
    ('"Kim Jong Un" factory', ["kju", "summary"]),
])
def test_matching_rules(small, vocab, query, expected):
    assert found(small, query, vocab) == expected


def test_query_parts(vocab):
    assert split_query('Kim Jong-un "visits Beijing"  parade', vocab) == ["kim jong-un", "visits beijing", "parade"]
    assert split_query("キム・ジョンウン 訪中", vocab) == ["キムジョンウン", "訪中"]
    assert split_query("「党大会」 Kim,", vocab) == ["党大会", "kim"]
    assert split_query(' " " ', vocab) == []
    kju = parse_query("Kim Jong Un", vocab)[0]
    assert kju.kind == "name" and "金正恩" in kju.spellings and "キムジョンウン" in kju.spellings
    assert "김정은" in parse_query("正恩", vocab)[0].spellings    # part of a CJK spelling finds the name


@pytest.fixture(scope="module")
def log(vocab):
    return load_events(ROOT / "events.yaml", vocab)


def _mentions(row, spellings):
    text = " ".join([row.title_en, row.title_ja, row.title_ko, row.summary_en, row.summary_ja, row.summary_ko,
                     *row.aliases, row.notes]).casefold()
    return any(s.casefold() in text for s in spellings)


def test_kim_jong_un_finds_no_event_that_only_mentions_kim_yo_jong(log, vocab):
    kju = ("Kim Jong Un", "Kim Jong-un", "金正恩", "김정은", "キム・ジョンウン")
    kyj = ("Kim Yo Jong", "Kim Yo-jong", "金与正", "김여정")
    only_kyj = {r.id for r in log.itertuples() if _mentions(r, kyj) and not _mentions(r, kju)}
    assert len(only_kyj) >= 3   # the log has such events, so the test can fail
    result = filter_events(log, Filters(query="Kim Jong Un"), vocab)
    assert set(result["id"]) & only_kyj == set()
    assert all(_mentions(r, kju) for r in result.itertuples())
    assert len(result) >= 40


def test_realistic_searches_on_the_real_log(log, vocab):
    def ids(q):
        return set(filter_events(log, Filters(query=q), vocab)["id"])

    assert "2026-01-30-koizumi-ahn-yokosuka-defense-talks" in ids("アン・ギュベク 横須賀")
    assert ids("李在明 高市") == ids("이재명 다카이치") == ids("Lee Jae-myung Takaichi") != set()
    assert "2026-02-19-wpk-9th-congress-opens" in ids("党大会")
    assert ids('"Freedom Edge"') == ids("フリーダムエッジ") == ids("프리덤 에지") != set()


def test_ranking_puts_title_matches_first(small, vocab):
    df = filter_events(small, Filters(query="Kim Jong Un"), vocab)
    ranked = rank_events(df, "Kim Jong Un", vocab)
    assert list(ranked["id"].str[11:]) == ["kju", "summary"]      # in the title, then in the summary
    assert list(ranked["relevance"]) == [4, 2]
    df = filter_events(small, Filters(query="kim"), vocab)
    # all three in the title: the more important first, then the more recent
    assert list(rank_events(df, "kim", vocab)["id"].str[11:]) == ["kyj", "kju", "summary"][:2] + ["summary"]
    assert list(rank_events(small, "", vocab)["id"]) == list(small["id"])   # no query: order kept


def test_ranking_on_the_real_log(log, vocab):
    ranked = rank_events(filter_events(log, Filters(query="Kursk"), vocab), "Kursk", vocab)
    assert "kursk" in ranked.iloc[0]["title_en"].lower()
    assert ranked["relevance"].is_monotonic_decreasing


@pytest.mark.parametrize("text,query,marked", [
    ("Kim Jong-un meets Putin", "Kim Jong Un", ["Kim Jong-un"]),
    ("Kim Jong-un meets Putin", "キム・ジョンウン putin", ["Kim Jong-un", "Putin"]),
    ("金正恩総書記がプーチン大統領と会談", "Kim Jong Un", ["金正恩"]),
    ("キム・ジョンウン総書記", "キムジョンウン", ["キム・ジョンウン"]),     # the dot inside the mark
    ("ｷﾑ･ｼﾞｮﾝｳﾝ", "キム・ジョンウン", ["ｷﾑ･ｼﾞｮﾝｳﾝ"]),                 # offsets into the half-width text
    ("Talks under the UN", "un", ["UN"]),
    ("Kim Jong Un at the UN", "UN", ["UN"]),
    ("missiles and a missile", "missile", ["missile", "missile"]),
    ("Japan–ROK talks", '"japan-rok talks"', ["Japan–ROK talks"]),
    ("Nothing here", "Kursk", []),
])
def test_highlight_spans(vocab, text, query, marked):
    assert [text[a:b] for a, b in highlight_spans(text, query, vocab)] == marked


def test_highlight_spans_merge_overlaps(vocab):
    assert highlight_spans("Kim Jong Un", 'kim "kim jong"', vocab) == [(0, 8)]


def test_key_terms_are_shared_across_languages(log, vocab):
    def ids(q):
        return set(filter_events(log, Filters(query=q), vocab)["id"])

    # most events have no Korean summary: the shared terms let a Korean search find them anyway
    assert ids("계엄") == ids("戒厳") == ids("martial law") and len(ids("계엄")) >= 5
    assert ids("납치") == ids("拉致") == ids("abduction") and len(ids("납치")) >= 10
    assert ids("summits") and ids("summits") <= ids("summit")            # a term also matches its longer words


def test_a_cjk_word_made_of_known_names_and_terms_is_cut_into_them(log, vocab):
    assert split_query("ミサイル発射 金正恩プーチン", vocab) == ["ミサイル", "発射", "金正恩", "プーチン"]
    assert split_query("北朝鮮外務省", vocab) == ["北朝鮮外務省"]     # 外務省 is no name or term: as typed

    def ids(q):
        return set(filter_events(log, Filters(query=q), vocab)["id"])

    assert ids("ミサイル発射") == ids("미사일 발사") == ids("missile launch") != set()
