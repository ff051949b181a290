"""The shared name spellings (vocab.yaml `names`) cover the people, places and organisations of the log.

A name in an English title that no spelling group covers is a name that a Japanese or Korean analyst
cannot find in their own script: `test_every_name_in_the_titles_has_spellings` lists them. When it
fails after new events, add a group to `names` in timeline/vocab.yaml (English romanisations,
kanji/hanja, hangul, katakana) or, when the word is not a name, add it to NOT_NAMES below.
"""
import re

import pytest

from timeline.load import load_events
from timeline.model import DOTS, name_key
from timeline.query import Filters, filter_events

from .conftest import ROOT

# Capitalised words of English titles that are not names: sentence starts, titles and ranks, months,
# demonyms (their country is in the vocabulary), and acronyms written the same in en/ja/ko.
NOT_NAMES = frozenset("""
    Abductee Acting After Air Airshow Anti Asian Assembly Base Central Chinese Committee Congress Constitution
    Cosmodrome Council Court Defence Defense Department Destroyer Development Direct Economic Election Energy
    First Foreign Force Former General Inaugural Insurrection Iranian Japanese Korean Koreans Leader Leaders
    Meeting Minister Ministry Nationwide Nearly New Ninth Opposition Outgoing Parade Party Premier Preliminary
    President Reported Ruling Russian Second Secretary Section Special Speaker State Supreme Third Year Day
    Statement Declaration Drone North South Korea Security Prosecutors
    January February March April May June July August September October November December
    AI FOC FTA FY2026 GDP ICBM ICBMs IRBM SRBM SRBMs IT KN KF F K MOU OPCON PM SAREX SMA G7 G20 LG IEEPA N In
    Kim Lee Yoon Cho Ahn Han Choe Park Jung Jang Woo Choi Yi Xi Moon
""".split())

_WORDS = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'.]*")


def _known_pattern(vocab) -> re.Pattern:
    """Every Latin spelling of the vocabulary's names and countries, longest first."""
    spellings = {s for group in vocab.names for s in group if s.isascii() or not re.search(r"[^\x00-\u024f]", s)}
    for term in vocab.countries.values():
        spellings.update(p.strip() for p in re.split(r"[()]", term.en) if p.strip())
        spellings.add(term.id)
    alternatives = ("[\\s-]*".join(map(re.escape, s.translate(DOTS).replace("-", " ").split()))
                    for s in sorted(spellings, key=len, reverse=True))
    return re.compile(r"(?<![\w])(?:" + "|".join(alternatives) + r")(?![\w])")


def unnamed(title: str, known: re.Pattern) -> list[str]:
    """Runs of capitalised words in `title` that are neither a known spelling nor in NOT_NAMES."""
    text = known.sub(" | ", title.translate(DOTS).replace("-", " "))
    out, run = [], []
    for word in _WORDS.findall(text) + ["|"]:
        word = re.sub(r"('s|'|\.)$", "", word)
        if word[:1].isupper() and word not in NOT_NAMES:
            run.append(word)
            continue
        if run:
            out.append(" ".join(run))
        run = []
    return out


@pytest.fixture(scope="module")
def log(vocab):
    return load_events(ROOT / "events.yaml", vocab)


def test_every_name_in_the_titles_has_spellings(log, vocab):
    known = _known_pattern(vocab)
    missing = {}
    for event_id, title in zip(log["id"], log["title_en"], strict=True):
        names = unnamed(title, known)
        if names:
            missing[event_id] = names
    assert len(log) > 100  # the check ran on the real log
    assert not missing, ("names in titles without a spelling group in timeline/vocab.yaml `names` (or add "
                         "non-names to NOT_NAMES in tests/test_names.py): "
                         + "; ".join(f"{k}: {', '.join(v)}" for k, v in missing.items()))


def test_the_check_finds_a_missing_name(vocab):
    known = _known_pattern(vocab)
    assert unnamed("Kim Jong Un meets Zelensky in Vladivostok", known) == ["Zelensky", "Vladivostok"]
    assert unnamed("Lee-Trump summit in Gyeongju; Putin's visit", known) == []


def test_a_spelling_belongs_to_one_name(vocab):
    owners: dict[str, set[int]] = {}
    for i, group in enumerate(vocab.names):
        for spelling in group:
            owners.setdefault(name_key(spelling), set()).add(i)
    assert [k for k, v in owners.items() if len(v) > 1] == []


# Every spelling of a name finds the same events of the real log: romanisations, kanji/hanja, hangul,
# katakana (with and without the middle dot, and half-width).
SPELLINGS = {
    "Kim Jong Un": ["Kim Jong Un", "Kim Jong-un", "Kim Jongun", "KIM JONG UN", "金正恩", "김정은", "キム・ジョンウン",
                    "キムジョンウン", "ｷﾑ･ｼﾞｮﾝｳﾝ"],
    "Kim Yo Jong": ["Kim Yo Jong", "Kim Yo-jong", "金与正", "김여정", "キム・ヨジョン"],
    "Lee Jae-myung": ["Lee Jae-myung", "Lee Jae Myung", "Yi Jae-myeong", "李在明", "이재명", "イ・ジェミョン"],
    "Yoon Suk Yeol": ["Yoon Suk Yeol", "Yoon Suk-yeol", "尹錫悦", "윤석열", "ユン・ソンニョル"],
    "Ahn Gyu-back": ["Ahn Gyu-back", "An Gyu-baek", "安圭伯", "안규백", "アン・ギュベク"],
    "Choe Son Hui": ["Choe Son Hui", "Choe Son-hui", "崔善姫", "최선희", "チェ・ソンヒ"],
    "Cho Hyun": ["Cho Hyun", "趙顕", "조현", "チョ・ヒョン"],
    "Takaichi": ["Sanae Takaichi", "Takaichi Sanae", "Takaichi", "高市早苗", "高市", "다카이치"],
    "Xi Jinping": ["Xi Jinping", "Xi", "習近平", "习近平", "시진핑"],
    "Putin": ["Vladimir Putin", "Putin", "プーチン", "푸틴"],
    "Lavrov": ["Lavrov", "ラブロフ", "라브로프"],
    "Kursk": ["Kursk", "クルスク", "쿠르스크"],
    "Yokosuka": ["Yokosuka", "横須賀", "요코스카"],
    "Gyeongju": ["Gyeongju", "慶州", "경주", "キョンジュ"],
    "Busan": ["Busan", "Pusan", "釜山", "부산"],
    "Nara": ["Nara", "奈良"],
    "Pyongyang": ["Pyongyang", "平壌", "평양", "ピョンヤン"],
    "Workers' Party of Korea": ["Workers' Party of Korea", "WPK", "朝鮮労働党", "조선노동당"],
}


@pytest.mark.parametrize("name", sorted(SPELLINGS))
def test_every_spelling_finds_the_same_events(log, vocab, name):
    found = {q: set(filter_events(log, Filters(query=q), vocab)["id"]) for q in SPELLINGS[name]}
    first = found[SPELLINGS[name][0]]
    assert first, name
    assert {q: len(ids) for q, ids in found.items() if ids != first} == {}
