"""The label layout itself: for the real log and synthetic logs, every template and both languages,
label boxes never overlap, stay in the plot area, point at their events and cover no marker."""
import datetime as dt
import html
import itertools

import numpy as np
import pytest

from timeline import export, figures, labels
from timeline.devtools.synth import synth_log
from timeline.load import load_events, load_periods
from timeline.query import Filters

from .conftest import ROOT, TODAY

LOGS = ("real", 20, 200, 2000)


@pytest.fixture(scope="module")
def logs(vocab, tmp_path_factory):
    out = {"real": load_events(ROOT / "events.yaml", vocab)}
    for n in LOGS[1:]:
        path = tmp_path_factory.mktemp("synth") / f"synth-{n}.yaml"
        path.write_text(synth_log(n, 7, vocab), encoding="utf-8")
        out[n] = load_events(path, vocab)
    return out


def layout_of(df, vocab, lang, template, n=None, forced=()):
    b = export.Briefing(df, vocab, Filters(), lang, date=TODAY, labels=n, label_ids=forced,
                        periods=list(load_periods()))
    p = figures.place_events(df, vocab, "country", TODAY)
    x_range = figures.initial_range(p, TODAY)
    if forced:
        x_range = figures.range_with(x_range, p, forced)
    return p, export.briefing_labels(b, p, template, x_range)


def overlap(a, b):
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def check_layout(p, lay):
    f = lay.frame
    boxes = [lab.box for lab in lay.labels]
    for a, b in itertools.combinations(boxes, 2):
        assert not overlap(a, b), (a, b)
    lane_top, lane_bottom = f.px_y(-0.5), f.px_y(p.lane_count - 0.5)
    markers = np.column_stack([[f.px_x(x) for x in p.x], [f.px_y(y) for y in p.y]])
    for lab in lay.labels:
        left, top, right, bottom = lab.box
        assert 0 <= left < right <= f.width and 0 <= top < bottom <= f.height, lab
        # it points at its event: the leader runs vertically from the box to the event's marker
        rows = np.flatnonzero(p.ids == lab.id)
        assert any(p.x[k] == lab.x and p.y[k] == lab.y for k in rows)
        assert lab.anchor == pytest.approx((f.px_x(lab.x), f.px_y(lab.y)))
        assert left <= lab.anchor[0] <= right
        # boxes sit beside the lanes, never on them: no marker (of any event) under a box
        assert bottom <= lane_top + 1e-6 if lab.side == "above" else top >= lane_bottom - 1e-6
        inside = (markers[:, 0] > left) & (markers[:, 0] < right) & (markers[:, 1] > top) & (markers[:, 1] < bottom)
        assert not inside.any(), lab
        # no leader crosses another label's box
        for other in lay.labels:
            if other is not lab and other.side == lab.side and other.tier < lab.tier:
                assert not other.box[0] <= lab.anchor[0] <= other.box[2]


@pytest.mark.parametrize("log,lang,template", list(itertools.product(LOGS, ("en", "ja"), tuple(export.TEMPLATES))))
def test_label_boxes_never_overlap_and_stay_in_the_plot(logs, vocab, log, lang, template):
    p, lay = layout_of(logs[log], vocab, lang, template)
    check_layout(p, lay)
    assert 0 < len(lay.labels) <= labels.COUNTS[template]
    if log in ("real", 2000):  # a realistic log fills the template's quota
        assert len(lay.labels) >= labels.COUNTS[template] - 2
    _, again = layout_of(logs[log], vocab, lang, template)
    assert again == lay  # deterministic


@pytest.mark.parametrize("log", LOGS)
def test_forced_labels_are_always_labelled(logs, vocab, log):
    df = logs[log]
    low = df.sort_values(["importance", "id"])  # the least important: never chosen on their own
    forced = tuple(low["id"].iloc[[0, len(low) // 2, -1]].unique())
    for n in (0, 5):
        p, lay = layout_of(df, vocab, "en", "slide", n=n, forced=forced)
        check_layout(p, lay)
        shown = [lab.id for lab in lay.labels]
        assert set(forced) <= set(shown)
        if n == 0:
            assert sorted(shown) == sorted(forced)


def test_labels_zero_is_none(logs, vocab):
    b = export.Briefing(logs["real"], vocab, Filters(), "en", date=TODAY, labels=0)
    names = [a.name for a in export.briefing_figure(b).layout.annotations]
    assert not [n for n in names if n and n.startswith("label:")]


def test_choice_is_importance_then_recency(logs):
    df = logs["real"]
    ids = labels.choose(df, 3)
    top = df.sort_values(["importance", "start"], ascending=False)
    assert ids[:3] == top["id"].head(3).tolist()
    assert labels.choose(df, 0) == [] and labels.choose(df, 0, ("x",)) == []


def test_label_text_is_date_and_short_title_in_the_language(valid_df):
    en, ja = labels.label_texts(valid_df, "en"), labels.label_texts(valid_df, "ja")
    row = valid_df.set_index("id").loc["2025-06-04-lee-inauguration"]
    assert en["2025-06-04-lee-inauguration"][0] == "4 Jun 2025"
    assert ja["2025-06-04-lee-inauguration"][0] == "2025年6月4日"
    assert en["2025-06-04-lee-inauguration"][1] == labels.shorten(row["title_en"])
    df = valid_df.assign(short_ja=["短い見出し", "", ""])
    assert labels.label_texts(df, "ja")[df["id"].iloc[0]][1] == "短い見出し"
    month = valid_df.assign(date="2025-09", end="", precision="month")
    assert labels.label_texts(month.head(1), "ja")[month["id"].iloc[0]][0] == "2025年9月"


def test_titles_are_shortened_at_a_word_or_phrase_boundary(logs):
    df = logs["real"]
    for title in df["title_en"]:
        title = " ".join(title.split())
        short = labels.shorten(title)
        assert len(short) <= labels.MAX_CHARS["narrow"] + 1
        if short != title:
            head = short[:-1]
            assert title.startswith(head) and title[len(head)] in " ,;:-–", (title, short)
    for title in df["title_ja"]:
        title = " ".join(title.split())  # runs of spaces (and ideographic spaces) read as one
        short = labels.shorten(title)
        assert len(short) <= labels.MAX_CHARS["wide"] + 1
        if short != title:
            assert title.startswith(short[:-1].rstrip("、")) and short.endswith("…")


def test_width_estimate_is_right_for_latin_and_cjk():
    assert labels.text_width("北朝鮮", 10) == 30
    assert labels.text_width("한국어", 10) == 30
    assert 0.45 * 10 * 10 <= labels.text_width("abcdefghij", 10) <= 0.65 * 10 * 10
    lines = labels.wrap("金正恩総書記、北京の抗日戦勝80年軍事パレードに出席")
    assert all(sum(map(labels.char_em, line)) <= labels.LINE_EM + 1 for line in lines)
    assert not any(line.startswith(("、", "。")) for line in lines)


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_svg_holds_the_labels_and_the_bands(logs, vocab, lang):
    df = logs["real"]
    b = export.Briefing(df, vocab, Filters(date_from="2025-01"), lang, date=TODAY, periods=list(load_periods()))
    b.df = df[df["stop"] >= "2025-01-01"]
    svg = html.unescape(export.export_bytes(b, "svg").decode())
    p = figures.place_events(b.df, vocab, "country", TODAY)
    lay = export.briefing_labels(b, p, "slide", figures.initial_range(p, TODAY))
    assert len(lay.labels) >= 8
    texts = labels.label_texts(b.df, lang)
    for lab in lay.labels:
        assert lab.date in svg
        for line in lab.lines:  # each line of the short title, in the chosen language
            assert line in svg, line
        assert " ".join(lab.lines).replace("… ", "").startswith(texts[lab.id][1][:6])
    for period in ("kr-lee-jae-myung", "us-trump"):
        label = next(x for x in load_periods() if x.id == period).text(lang)
        assert label in svg


def test_app_timeline_has_the_same_labels(logs, vocab):
    df = logs["real"]
    fig = figures.timeline_figure(df, vocab, "ja", today=TODAY, labels=6,
                                  label_ids=("2025-06-04-lee-jae-myung-inauguration",), as_dict=True)
    names = [a["name"] for a in fig["layout"]["annotations"] if a.get("name", "").startswith("label:")]
    assert "label:2025-06-04-lee-jae-myung-inauguration" in names and len(names) == 6
    text = " ".join(a["text"] for a in fig["layout"]["annotations"])
    assert "2025年6月4日" in text
    plain = figures.timeline_figure(df, vocab, "ja", today=TODAY, as_dict=True)
    assert not [a for a in plain["layout"]["annotations"] if a.get("name", "").startswith("label:")]
    assert plain["layout"]["height"] < fig["layout"]["height"]


def test_app_timeline_bands(logs, vocab):
    fig = figures.timeline_figure(logs["real"], vocab, "en", today=dt.date(2026, 11, 28), periods=list(load_periods()),
                                  as_dict=True)
    texts = [a["text"] for a in fig["layout"]["annotations"]]
    assert "Lee Jae-myung" in texts and "Takaichi" in texts and "US–ROK exercises" in texts


def test_a_japanese_label_breaks_at_a_phrase_not_before_its_last_character():
    from timeline.labels import wrap

    assert wrap("金正恩氏、北京の軍事パレード参列") == ["金正恩氏、北京の", "軍事パレード参列"]
