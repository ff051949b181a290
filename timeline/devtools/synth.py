"""Synthetic logs for benchmarks and scale tests: valid, realistic, deterministic for a seed.

Events use the real vocabularies, text lengths like the curated log in both languages, one to three
sources, links to earlier events, partial dates and spans in realistic proportions.
"""
from __future__ import annotations

import datetime as dt
import json
import random

from ..model import Vocabulary

ACTORS = [("Kim Jong Un", "金正恩"), ("Lee Jae-myung", "李在明"), ("Takaichi Sanae", "高市早苗"),
          ("Donald Trump", "トランプ"), ("Xi Jinping", "習近平"), ("Vladimir Putin", "プーチン"),
          ("Ahn Gyu-back", "安圭伯"), ("Koizumi Shinjiro", "小泉進次郎"), ("Choe Son Hui", "崔善姫"),
          ("Cho Hyun", "趙顕"), ("Motegi Toshimitsu", "茂木敏充"), ("Kim Yo Jong", "金与正")]
PLACES = [("Seoul", "ソウル"), ("Pyongyang", "平壌"), ("Tokyo", "東京"), ("Beijing", "北京"), ("Moscow", "モスクワ"),
          ("Washington", "ワシントン"), ("Busan", "釜山"), ("Gyeongju", "慶州"), ("Vladivostok", "ウラジオストク"),
          ("Nara", "奈良"), ("Yokosuka", "横須賀"), ("Panmunjom", "板門店")]
VERBS = [("holds talks in", "で会談"), ("visits", "を訪問"), ("announces measures in", "で措置を発表"),
         ("oversees a test near", "近郊で試験を視察"), ("signs an agreement in", "で合意に署名"),
         ("gives a policy speech in", "で政策演説")]
PUBLISHERS = [("Yonhap News Agency", "https://en.yna.co.kr/view/AEN"), ("Kyodo News", "https://english.kyodonews.net/news/"),
              ("NHK World", "https://www3.nhk.or.jp/nhkworld/en/news/"), ("KBS World", "https://world.kbs.co.kr/service/news_view.htm?no="),
              ("Reuters", "https://www.reuters.com/world/asia-pacific/"), ("AP", "https://apnews.com/article/"),
              ("Ministry of Foreign Affairs of Japan", "https://www.mofa.go.jp/press/release/"),
              ("The Korea Herald", "https://www.koreaherald.com/article/")]
FILLER_EN = ("The meeting focused on regional security, economic cooperation and the situation on the peninsula. "
             "Officials said both sides agreed to keep communicating closely and to follow up at working level. "
             "Analysts noted the timing relative to recent missile launches and upcoming elections. ")
FILLER_JA = ("地域の安全保障と経済協力、朝鮮半島情勢が主な議題となった。双方は緊密な意思疎通を続け、実務レベルで"
             "協議を進めることで一致した。専門家は最近のミサイル発射や今後の選挙との関係に注目している。")


def synth_log(n: int, seed: int, vocab: Vocabulary, start: dt.date = dt.date(2015, 1, 1),
              end: dt.date = dt.date(2027, 6, 30)) -> str:
    """YAML text of a valid log of `n` events."""
    rng = random.Random(seed)
    countries, themes, types = list(vocab.countries), list(vocab.themes), list(vocab.types)
    core = countries[:6]
    days = (end - start).days
    q = json.dumps  # JSON strings are valid YAML double-quoted scalars
    dates = sorted(start + dt.timedelta(days=rng.randrange(days)) for _ in range(n))
    out = ["# synthetic log: python -m timeline synth", f"# events: {n}, seed: {seed}",
           "meta:", f"  title: {q(f'Synthetic log ({n} events, seed {seed})')}", "events:"]
    ids: list[str] = []
    for i, day in enumerate(dates):
        precision = rng.choices(("day", "month", "year"), (85, 13, 2))[0]
        date_text = {"day": day.isoformat(), "month": day.isoformat()[:7], "year": str(day.year)}[precision]
        eid = f"{date_text}-synthetic-{i:06d}"
        (actor_en, actor_ja), (place_en, place_ja), (verb_en, verb_ja) = (rng.choice(ACTORS), rng.choice(PLACES),
                                                                          rng.choice(VERBS))
        status = "occurred" if day < dt.date(2026, 11, 28) else rng.choice(("scheduled", "expected"))
        if rng.random() < 0.02:
            status = rng.choice(("postponed", "cancelled"))
        lines = [
            f"  - id: {eid}", f"    date: {q(date_text)}",
            f"    title: {{en: {q(f'{actor_en} {verb_en} {place_en}')}, "
            f"ja: {q(f'{actor_ja}氏が{place_ja}{verb_ja}')}}}",
            "    summary:",
            f"      en: {q(f'{actor_en} {verb_en} {place_en} (event {i}). ' + FILLER_EN[:rng.randint(60, 280)])}",
            f"      ja: {q(f'{actor_ja}氏が{place_ja}{verb_ja}した（第{i}件）。' + FILLER_JA[:rng.randint(25, 110)])}",
        ]
        if precision == "day" and rng.random() < 0.08:
            lines.append(f"    end: {q((day + dt.timedelta(days=rng.randint(1, 10))).isoformat())}")
        if rng.random() < 0.3:
            lines.append(f"    aliases: [{q(actor_ja)}, {q(actor_en)}]")
        picked = rng.sample(core, rng.randint(1, 2)) + ([rng.choice(countries[6:])] if rng.random() < 0.15 else [])
        lines += [f"    countries: [{', '.join(picked)}]",
                  f"    themes: [{', '.join(rng.sample(themes, rng.choice((1, 1, 2, 2, 3))))}]",
                  f"    type: {rng.choice(types)}", f"    importance: {rng.choices((1, 2, 3), (50, 38, 12))[0]}",
                  f"    status: {status}", "    sources:"]
        for _ in range(rng.choice((1, 1, 2, 3))):
            name, url = rng.choice(PUBLISHERS)
            lines.append(f"      - {{title: {q(f'{actor_en} {verb_en} {place_en}')}, publisher: {q(name)}, "
                         f"url: {q(url + str(rng.randrange(10**9)))}, published: {q(day.isoformat())}}}")
        if ids and rng.random() < 0.25:
            target = ids[max(0, len(ids) - rng.randint(1, 40))]
            relation = rng.choice(("follows", "response-to", "part-of", "see-also"))
            lines += ["    related:", f"      - {{type: {relation}, id: {target}}}"]
        if rng.random() < 0.1:
            lines.append(f"    notes: {q('Sources differ on the exact day; the earlier report is used.')}")
        out += lines
        ids.append(eid)
    return "\n".join(out) + "\n"
