"""Events -> display tables in one language: the chronology (年表), counts, sources, labels.

Shared by the command line (`list`, `stats`), the app's table and every export, so a date or a
label reads the same everywhere.
"""
from __future__ import annotations

import functools

import pandas as pd

from .model import PartialDate, Vocabulary, format_span
from .text import FALLBACK, field_lang, field_text, join, t


def date_label(row, lang: str = "en") -> str:
    """"Sep 2025", "8–9 Sep 2025", "2025年9月頃": never more precise than the log."""
    return _span_label(row["date"], row["end"] or "", bool(row["approximate"]), lang)


@functools.lru_cache(maxsize=65536)
def _span_label(date: str, end: str, approximate: bool, lang: str) -> str:
    # big logs repeat the same dates: label each distinct one once
    return format_span(PartialDate.parse(date), PartialDate.parse(end) if end else None, lang, approximate)


def field_column(df: pd.DataFrame, field: str, lang: str) -> list[str]:
    """`field` (title, summary, short) of every row in `lang`, falling back as text.field_text does."""
    columns = [c for c in (f"{field}_{x}" for x in (lang, *FALLBACK.get(lang, ("en",)))) if c in df.columns]
    if not columns:
        return [""] * len(df)
    arrays = [df[c].to_numpy(object) for c in columns]
    return [next((v for v in values if isinstance(v, str) and v), "") for values in zip(*arrays, strict=False)]


def marked_text(row, field: str, lang: str) -> str:
    """An event's `field` in `lang`, or else in English (every event has English) marked as such:
    "(영어) Opening the ordinary Diet session..." for a Korean reader of an English-only summary."""
    text = field_text(row, field, lang)
    return t("untranslated_text", lang, text=text) if text and field_lang(row, field, lang) != lang else text


def labels(values, vocab: Vocabulary, kind: str, lang: str, sep: str | None = None) -> str:
    """Vocabulary labels joined as the language joins them ("韓国・北朝鮮"), or with `sep`."""
    names = (vocab.label(kind, v, lang) for v in values)
    return sep.join(names) if sep is not None else join(names, lang, kind)


def header(column: str, lang: str) -> str:
    """Column heading of a display table ("Date", "日付")."""
    return t(f"col.{column}", lang)


def evidence_label(evidence: str, claimed_by: str, vocab: Vocabulary, lang: str) -> str:
    """How an event is established, in the language, with whose claim it is: "Claimed (by KCNA)"; "" when not stated."""
    if not evidence:
        return ""
    name = vocab.label("evidence", evidence, lang)
    return t("evidence.by", lang, label=name, who=claimed_by) if claimed_by else name


def source_line(source: dict) -> str:
    """"Publisher: title <url>" (or the report's section)."""
    where = source.get("url") or (f"section {source['section']}" if source.get("section") else "")
    return f"{source.get('publisher', '')}: {source.get('title', '')}" + (f" <{where}>" if where else "")


def chronology(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", with_summary: bool = True) -> pd.DataFrame:
    """One row per event with display columns in `lang`, date-sorted (the 年表)."""
    rows = []
    for row in df.itertuples(index=False):
        r = row._asdict()
        rows.append({
            "id": r["id"],
            "date": date_label(r, lang),
            "title": marked_text(r, "title", lang),
            "summary": marked_text(r, "summary", lang),
            "countries": labels(r["countries"], vocab, "country", lang),
            "themes": labels(r["themes"], vocab, "theme", lang),
            "type": vocab.label("type", r["type"], lang),
            "importance": r["importance"],
            "status": vocab.label("status", r["status"], lang),
            "sources": "; ".join(source_line(s) for s in r["sources"]),
            "notes": r["notes"],
        })
    cols = ["id", "date", "title", "summary", "countries", "themes", "type", "importance", "status", "sources",
            "notes"]
    out = pd.DataFrame(rows, columns=cols)
    return out if with_summary else out.drop(columns=["summary"])


def publishers(df: pd.DataFrame) -> list[str]:
    """Publishers cited by these events, most cited first (ties alphabetical)."""
    counts: dict[str, int] = {}
    for sources in df["sources"]:
        for s in sources:
            name = s.get("publisher", "").strip()
            if name:
                counts[name] = counts.get(name, 0) + 1
    return sorted(counts, key=lambda n: (-counts[n], n))


def cited_urls(df: pd.DataFrame) -> dict[str, list[str]]:
    """Every source URL of these events -> the ids of the events that cite it, in event order."""
    out: dict[str, list[str]] = {}
    for eid, sources in zip(df["id"], df["sources"], strict=False):
        for s in sources:
            if s.get("url"):
                ids = out.setdefault(s["url"], [])
                if eid not in ids:
                    ids.append(eid)
    return out


def all_sources(df: pd.DataFrame) -> list[dict]:
    """Every distinct source cited by these events, in event order."""
    seen, out = set(), []
    for sources in df["sources"]:
        for s in sources:
            key = (s.get("url") or "", s.get("title", ""), s.get("section", ""))
            if key not in seen:
                seen.add(key)
                out.append(s)
    return out


def stats(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en") -> dict[str, pd.Series]:
    """Counts by month, country, theme and type (an event counts once per country and theme it has)."""
    month = df["start"].dt.strftime("%Y-%m").value_counts().sort_index()
    if len(month):
        full = pd.period_range(month.index[0], month.index[-1], freq="M").strftime("%Y-%m")
        month = month.reindex(full, fill_value=0)
    country = df["countries"].explode().dropna().value_counts()
    theme = df["themes"].explode().dropna().value_counts()
    kind = df["type"].value_counts()
    relabel = lambda s, k: s.rename(index=lambda v: vocab.label(k, v, lang))  # noqa: E731
    return {"month": month, "country": relabel(country, "country"), "theme": relabel(theme, "theme"),
            "type": relabel(kind, "type")}


GRID_LIMIT = 2000


def grid_rows(df: pd.DataFrame, vocab: Vocabulary, lang: str = "en", limit: int = GRID_LIMIT) -> list[dict]:
    """Rows for the app's table: ISO date to sort by, a label to show, and text columns.

    At most `limit` rows go to the browser (the newest; the most relevant when `df` was ordered by
    `query.rank_events`, whose `relevance` each row then carries); exports always carry every event.
    """
    ranked = "relevance" in df.columns
    df = df.head(limit) if ranked else df.tail(limit)
    rows = chronology(df, vocab, lang, with_summary=False)
    pubs = df["sources"].map(lambda ss: ", ".join(dict.fromkeys(s.get("publisher", "") for s in ss)))
    evidence = [evidence_label(e, by, vocab, lang) for e, by in zip(df["evidence"], df["claimed_by"], strict=True)]
    return [{"id": r.id, "date": d.strftime("%Y-%m-%d"), "date_label": r.date, "title": r.title,
             "status": r.status, "evidence": e, "countries": r.countries, "themes": r.themes, "type": r.type,
             "importance": r.importance, "sources": p, **({"relevance": int(v)} if ranked else {})}
            for r, d, p, e, v in zip(rows.itertuples(index=False), df["start"], pubs, evidence,
                                     df["relevance"] if ranked else df["importance"], strict=True)]
