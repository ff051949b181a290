"""The real log is tested like code."""
import re

import pandas as pd
import pytest

from timeline.load import read_log

from .conftest import ROOT

# every item the source report mentions, looked up by id (issue: the curated event log)
REPORT_ITEMS = {
    "US strike on Venezuela": "2026-01-03-us-operation-venezuela-maduro-capture",
    "US–Israel strikes on Iran": "2026-02-28-us-israel-strikes-iran",
    "9th WPK Congress opens": "2026-02-19-wpk-9th-congress-opens",
    "Kim re-elected General Secretary": "2026-02-22-kim-reelected-general-secretary",
    "9th WPK Congress closes": "2026-02-25-wpk-9th-congress-closes",
    "Yoon martial law": "2024-12-03-yoon-martial-law",
    "Yoon impeachment": "2024-12-14-yoon-impeachment-vote",
    "Constitutional Court removes Yoon": "2025-04-04-constitutional-court-removes-yoon",
    "Presidential election": "2025-06-03-rok-presidential-election",
    "Lee government starts": "2025-06-04-lee-jae-myung-inauguration",
    "Shuttle diplomacy: Lee–Ishiba Tokyo": "2025-08-23-lee-ishiba-tokyo-summit",
    "Shuttle diplomacy: Ishiba Busan": "2025-09-30-ishiba-busan-summit",
    "Lee–Takaichi Gyeongju": "2025-10-30-lee-takaichi-gyeongju-summit",
    "January 2026 Japan–ROK summit (economic security, supply chains)": "2026-01-13-lee-takaichi-nara-summit",
    "Nakatani visit to Seoul and joint press statement": "2025-09-08-nakatani-seoul-visit",
    "Koizumi–Ahn meeting and statement": "2026-01-30-koizumi-ahn-yokosuka-defense-talks",
    "Black Eagles refuelling at a JASDF base": "2026-01-28-black-eagles-naha-refueling",
    "Phnom Penh statement": "2022-11-13-phnom-penh-statement",
    "US National Defense Strategy": "2026-01-23-us-national-defense-strategy",
    "ROK 2026 defense budget": "2025-12-02-rok-2026-defense-budget",
    "China–ROK summit Nov 2025": "2025-11-01-lee-xi-gyeongju-summit",
    "China–ROK summit Jan 2026": "2026-01-05-lee-xi-beijing-summit",
    "DPRK troop dispatch to Russia": "2024-10-18-nis-reports-dprk-troop-dispatch-to-russia",
    "DPRK nuclear submarine (construction)": "2025-03-08-nuclear-submarine-construction-revealed",
    "DPRK nuclear submarine (hull)": "2025-12-25-nuclear-submarine-hull-unveiled",
    "Abe 2019 policy speech": "2019-01-28-abe-policy-speech-kim-jong-un",
    "Kishida 2024 policy speech": "2024-01-30-kishida-policy-speech-dprk-summit",
    "Ishiba 2025 policy speech": "2025-01-24-ishiba-policy-speech-abductions",
    "Takaichi 2026 policy speech": "2026-02-20-takaichi-policy-speech-kim-summit",
    "February 2026 general election": "2026-02-08-japan-general-election",
}


@pytest.fixture(scope="module")
def report():
    return read_log(ROOT / "events.yaml", cache=False)


@pytest.fixture(scope="module")
def df(report):
    assert report.ok, [p.format() for p in report.problems if p.severity == "error"]
    return report.events


def test_the_log_validates(report):
    assert report.ok


def test_at_least_300_events(df):
    assert len(df) >= 300


# months of 2025-01..2026-05 with fewer than 6 events, each explained in the spot-check document
SHORT_MONTHS = {"2026-05"}
SPOTCHECK = ROOT / "docs" / "spotcheck-2026-11-29.md"


def test_every_month_of_2025_to_may_2026_has_six_events_or_a_documented_reason(df):
    counts = df["date"].str[:7].value_counts()
    months = [f"{y}-{m:02d}" for y in (2025, 2026) for m in range(1, 13) if f"{y}-{m:02d}" <= "2026-05"]
    short = {m for m in months if counts.get(m, 0) < 6}
    assert short == SHORT_MONTHS, {m: int(counts.get(m, 0)) for m in short}
    document = SPOTCHECK.read_text(encoding="utf-8")
    assert all(m in document for m in short)


def test_every_event_has_a_korean_title(df):
    assert (df["title_ko"].str.strip() != "").all(), list(df.loc[df["title_ko"].str.strip() == "", "id"])


def test_every_major_event_has_a_short_label_in_three_languages(df):
    major = df[df["importance"] == 3]
    lacking = major[(major["short_en"] == "") | (major["short_ja"] == "") | (major["short_ko"] == "")]
    assert len(major) > 0 and lacking.empty, list(lacking["id"])


def test_every_dprk_weapons_event_says_how_it_is_established(df):
    weapons = df[df["type"].isin(["missile-launch", "weapons-test"]) & df["country_key"].str.contains("|KP|",
                                                                                                       regex=False)]
    assert len(weapons) > 20 and (weapons["evidence"] != "").all(), list(weapons.loc[weapons["evidence"] == "", "id"])


_CJK = "[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"


def test_japanese_text_has_no_stray_spaces_from_line_wrapping(df):
    # "…を表明 した", "示した。 6月には": a folded line once left a space between Japanese characters
    stray = re.compile(f"{_CJK} +(?:{_CJK}|[0-9])")
    checked = [(eid, col) for col in ("title_ja", "summary_ja", "short_ja")
               for eid, text in zip(df["id"], df[col], strict=True) if stray.search(text)]
    assert checked == []


def test_the_log_states_its_coverage_and_nothing_after_it_is_reported_as_occurred(report, df):
    through = pd.Timestamp(report.meta["coverage"]["through"])
    assert report.meta["coverage"]["note"]["en"] and report.meta["coverage"]["note"]["ja"]
    later = df[df["start"] > through]
    assert not (later["status"] == "occurred").any(), list(later.loc[later["status"] == "occurred", "id"])


def test_no_warning_is_left_unexplained(report):
    assert [p.format() for p in report.problems] == []


def test_every_event_has_a_web_source_and_both_languages(df):
    checked = 0
    for row in df.itertuples():
        assert any(str(s.get("url", "")).startswith(("http://", "https://")) for s in row.sources), row.id
        assert row.title_en.strip() and row.title_ja.strip() and row.summary_en.strip() and row.summary_ja.strip()
        checked += 1
    assert checked == len(df) > 0


def test_japanese_text_is_japanese(df):
    # guards against an English sentence pasted into `ja`
    kana_or_kanji = df["title_ja"].str.contains(r"[\u3040-\u30ff\u4e00-\u9fff]", regex=True)
    assert kana_or_kanji.all(), list(df.loc[~kana_or_kanji, "id"])


@pytest.mark.parametrize("item", sorted(REPORT_ITEMS))
def test_every_report_item_is_present(df, item):
    assert REPORT_ITEMS[item] in set(df["id"])


def test_report_items_cite_the_report_or_the_web(df):
    by_id = df.set_index("id")
    for eid in REPORT_ITEMS.values():
        assert by_id.loc[eid, "sources"], eid


def test_chains_are_linked(df):
    by_id = df.set_index("id")
    assert {"type": "follows", "id": "2025-06-03-rok-presidential-election"} in by_id.loc[
        "2025-06-04-lee-jae-myung-inauguration", "related"]
    congress = [r["id"] for r in by_id.loc["2026-02-25-wpk-9th-congress-closes", "related"]]
    assert "2026-02-19-wpk-9th-congress-opens" in congress


def test_coverage_is_densest_from_june_2025(df):
    recent = (df["start"] >= pd.Timestamp("2025-06-01")).sum()
    assert recent > len(df) / 2
    assert df["start"].min() <= pd.Timestamp("2022-11-13")


def test_importance_three_has_a_non_aggregator_source(df):
    aggregators = ("menafn", "deepnewz", "livedoor", "overviewpress", "tippinsights", "topnews")
    for row in df[df["importance"] == 3].itertuples():
        urls = [s.get("url", "") for s in row.sources if s.get("url")]
        assert any(not any(a in u for a in aggregators) for u in urls), row.id


def test_every_event_id_named_in_the_report_map_exists(df):
    text = (ROOT / "docs" / "npi-report-map.md").read_text(encoding="utf-8")
    named = set(re.findall(r"\b(?:19|20)\d\d-\d\d(?:-\d\d)?-[a-z][a-z0-9-]*[a-z0-9]", text))
    assert len(named) > 40 and named <= set(df["id"]), sorted(named - set(df["id"]))
