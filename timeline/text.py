"""The interface text catalogue: `t(key, lang, **values)` over `text.yaml`, and the one helper that
picks an event field in a language with its fallback.

Every string the app, the exports and the command line show comes from here (vocabulary labels
come from vocab.yaml, event text from the log), so a new language is one column in text.yaml.
"""
from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from pathlib import Path

import yaml

TEXT_PATH = Path(__file__).with_name("text.yaml")
UI_LANGS = ("en", "ja", "ko")          # languages of the interface and of exports
FALLBACK = {"en": ("ja", "ko"), "ja": ("en", "ko"), "ko": ("en", "ja")}  # when a field lacks a language


@functools.lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """key -> {lang: template}, read once."""
    with open(TEXT_PATH, "rb") as fh:
        data = yaml.load(fh, Loader=yaml.CSafeLoader)
    return {str(k): {str(lang): str(v) for lang, v in entry.items()} for k, entry in data.items()}


def lang_of(lang: str | None) -> str:
    """A supported interface language (English for anything else)."""
    return lang if lang in UI_LANGS else "en"


def t(key: str, lang: str = "en", /, **values) -> str:
    """The text of `key` in `lang` (English when that language lacks it), filled with `values`."""
    entry = catalogue()[key]
    template = entry.get(lang) or entry["en"]
    return template.format(**values) if values else template


def join(items: Iterable[str], lang: str, kind: str = "list") -> str:
    """Join labels the way the language does: "A, B" / "A・B" (theme names, which contain ・, with 、)."""
    return t("theme_sep" if kind == "theme" else "list_sep", lang).join(items)


def field_text(row: Mapping, field: str, lang: str) -> str:
    """An event's `field` (title, summary, short) in `lang`, else in the nearest language that has it.

    Rows carry one column per language (`title_en`, `title_ja`, `title_ko`); missing columns count
    as empty.
    """
    value = row.get(f"{field}_{lang}") or ""
    if value:
        return value
    for other in FALLBACK.get(lang, ("en",)):
        value = row.get(f"{field}_{other}") or ""
        if value:
            return value
    return ""


def field_lang(row: Mapping, field: str, lang: str) -> str:
    """The language `field_text` actually used (to mark text shown in another language)."""
    if row.get(f"{field}_{lang}"):
        return lang
    for other in FALLBACK.get(lang, ("en",)):
        if row.get(f"{field}_{other}"):
            return other
    return lang
