"""Validated records -> the events DataFrame: one row per event, with what filtering needs computed once."""
from __future__ import annotations

from sys import intern

import pandas as pd

from .model import PartialDate, search_fold

COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
           "title_ko", "summary_en", "summary_ja", "summary_ko", "aliases", "countries", "themes", "type",
           "importance", "status", "sources", "related", "notes", "tags", "added", "updated", "line",
           "search", "country_key", "theme_key", "short_en", "short_ja", "short_ko", "evidence", "claimed_by")


def to_frame(records: list[dict], locate=None) -> pd.DataFrame:
    """Validated records -> one row per event, with what filtering needs computed once, here.

    `start`/`stop` are the first and last day the (partial) dates can mean; `search` is the
    normalised text that free-text search matches (titles, summaries, aliases, notes, tags and the
    id; see `model.search_fold`; other spellings of names are added to the query, at query time).
    """
    rows = []
    starts, stops = [], []
    for i, r in enumerate(records):
        start = PartialDate.parse(r["date"])
        end = PartialDate.parse(r["end"]) if r.get("end") else None
        starts.append(start.first)
        stops.append((end or start).last)
        title, summary = r["title"], r["summary"]
        aliases = list(r.get("aliases") or [])
        texts = [*title.values(), *summary.values(), *aliases, r.get("notes") or "", *(r.get("tags") or []),
                 r["id"]]
        rows.append({
            "id": r["id"], "date": start.text, "end": end.text if end else "", "precision": start.precision,
            "approximate": bool(r.get("approximate", False)),
            "title_en": title["en"], "title_ja": title["ja"], "title_ko": title.get("ko", ""),
            "summary_en": summary["en"], "summary_ja": summary["ja"], "summary_ko": summary.get("ko", ""),
            "aliases": aliases, "countries": [intern(c) for c in r["countries"]],
            "themes": [intern(t) for t in r["themes"]],
            "type": r["type"], "importance": int(r["importance"]), "status": r["status"],
            "sources": list(r["sources"]), "related": list(r.get("related") or []),
            "notes": r.get("notes") or "", "tags": [intern(t) for t in r.get("tags") or []],
            "added": r.get("added") or "", "updated": r.get("updated") or "",
            "line": locate(i, ())[0] if locate else 0,
            # folded part by part (the NFKC quick check then skips nearly all the work); the spaces
            # around let a search pattern find a word's edges with plain characters (timeline.search)
            "search": " " + " \u241f ".join(map(search_fold, texts)) + " ",
            # "|KR|JP|": lets the filters test list membership with one vectorised string match
            "country_key": "|" + "|".join(r["countries"]) + "|",
            "theme_key": "|" + "|".join(r["themes"]) + "|",
            **_claim_columns(r),
        })
    # sorted here, on Python lists: sorting the frame would copy every (Arrow) column once more
    order = sorted(range(len(rows)), key=lambda i: (starts[i], rows[i]["id"]))
    df = pd.DataFrame([rows[i] for i in order], columns=[c for c in COLUMNS if c not in ("start", "stop")])
    for name, days in (("start", starts), ("stop", stops)):
        df.insert(COLUMNS.index(name), name, pd.to_datetime(pd.Series([days[i] for i in order], dtype="object")))
    df["importance"] = df["importance"].astype("int64")
    return df


def _claim_columns(r: dict) -> dict:
    """The short chart label and how the event is established ("" = not stated)."""
    short = r.get("short") or {}
    return {"short_en": short.get("en", ""), "short_ja": short.get("ja", ""), "short_ko": short.get("ko", ""),
            "evidence": r.get("evidence") or "", "claimed_by": r.get("claimed_by") or ""}
