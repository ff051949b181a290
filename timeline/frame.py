"""Validated records -> the events DataFrame: one row per event, with what filtering needs computed once."""
from __future__ import annotations

from sys import intern

import pandas as pd

from .model import PartialDate, search_fold

COLUMNS = ("id", "date", "end", "precision", "start", "stop", "approximate", "title_en", "title_ja",
           "title_ko", "summary_en", "summary_ja", "summary_ko", "aliases", "countries", "themes", "type",
           "importance", "status", "sources", "related", "notes", "tags", "added", "updated", "line",
           "search", "country_key", "theme_key", "short_en", "short_ja", "short_ko", "evidence", "claimed_by")

_EMPTY_TYPES = {"start": "datetime64[s]", "stop": "datetime64[s]", "importance": "int64"}


def to_frame(records: list[dict], locate=None) -> pd.DataFrame:
    """Validated records -> one row per event, with what filtering needs computed once, here.

    `start`/`stop` are the first and last day the (partial) dates can mean; `search` is the
    normalised text that free-text search matches (titles, summaries, aliases, notes, tags and the
    id; see `model.search_fold`; other spellings of names are added to the query, at query time).
    """
    if not records:  # no values to infer the column types from
        return pd.DataFrame({c: pd.Series([], dtype=_EMPTY_TYPES.get(c, object)) for c in COLUMNS})
    starts = [PartialDate.parse(r["date"]) for r in records]
    ends = [PartialDate.parse(r["end"]) if r.get("end") else None for r in records]
    lines = [locate(i, ())[0] if locate else 0 for i in range(len(records))]
    # sorted here, on Python lists, before any column is built: sorting the frame would copy every column
    order = sorted(range(len(records)), key=lambda i: (starts[i].first, records[i]["id"]))
    recs = [records[i] for i in order]
    starts, ends = [starts[i] for i in order], [ends[i] for i in order]
    columns = {  # built column by column: a list per column is what the DataFrame stores anyway
        "id": [r["id"] for r in recs], "date": [s.text for s in starts],
        "end": [e.text if e else "" for e in ends], "precision": [s.precision for s in starts],
        "start": _days([s.first for s in starts]),
        "stop": _days([(e or s).last for s, e in zip(starts, ends, strict=True)]),
        "approximate": [bool(r.get("approximate", False)) for r in recs],
        **_texts(recs, "title"), **_texts(recs, "summary"),
        "aliases": [list(r.get("aliases") or []) for r in recs],
        "countries": [[intern(c) for c in r["countries"]] for r in recs],
        "themes": [[intern(t) for t in r["themes"]] for r in recs],
        "type": [r["type"] for r in recs], "importance": pd.array([int(r["importance"]) for r in recs], "int64"),
        "status": [r["status"] for r in recs], "sources": [list(r["sources"]) for r in recs],
        "related": [list(r.get("related") or []) for r in recs], "notes": [r.get("notes") or "" for r in recs],
        "tags": [[intern(t) for t in r.get("tags") or []] for r in recs],
        "added": [r.get("added") or "" for r in recs], "updated": [r.get("updated") or "" for r in recs],
        "line": [lines[i] for i in order],
        "search": [_search_text(r) for r in recs],
        # "|KR|JP|": lets the filters test list membership with one vectorised string match
        "country_key": ["|" + "|".join(r["countries"]) + "|" for r in recs],
        "theme_key": ["|" + "|".join(r["themes"]) + "|" for r in recs],
        **_texts(recs, "short"),
        "evidence": [r.get("evidence") or "" for r in recs], "claimed_by": [r.get("claimed_by") or "" for r in recs],
    }
    return pd.DataFrame(columns, columns=list(COLUMNS))


def _texts(recs: list[dict], key: str) -> dict:
    """One column per language of a text field (`title_en`...); "" where a language is not given."""
    fields = [r.get(key) or {} for r in recs]
    return {f"{key}_{lang}": [f.get(lang, "") for f in fields] for lang in ("en", "ja", "ko")}


def _search_text(r: dict) -> str:
    """What free-text search matches, folded part by part (the NFKC quick check then skips nearly all
    the work); the spaces around let a search pattern find a word's edges with plain characters
    (timeline.search)."""
    texts = [*r["title"].values(), *r["summary"].values(), *(r.get("aliases") or []), r.get("notes") or "",
             *(r.get("tags") or []), r["id"]]
    return " " + " \u241f ".join(map(search_fold, texts)) + " "


def _days(days: list) -> pd.Series:
    return pd.to_datetime(pd.Series(days, dtype="object"))
