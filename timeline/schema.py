"""The JSON Schema of the log, generated from the model and the vocabulary (`python -m timeline schema`).

Editors that read `# yaml-language-server: $schema=...` (VS Code's YAML extension, JetBrains IDEs,
Neovim) then complete field names and vocabulary values and mark mistakes as they are typed. The
schema is generated, never edited: every field of `model.FIELDS` and every vocabulary term is in it,
so a new field or term reaches editors with one `python -m timeline schema --out ...`.

A schema checks the shape of each value. The validator stays the authority: it also checks what a
schema cannot say (dates that do not exist, duplicate ids, links to missing events, stale plans).
"""
from __future__ import annotations

import json
from pathlib import Path

from .model import (
    FIELDS,
    ID_RE,
    LANGS,
    RELATED_FIELDS,
    SOURCE_DATES,
    SOURCE_FIELDS,
    SOURCE_URLS,
    TEXT_LANGS,
    Term,
    Vocabulary,
    field_kind,
)
from .text import catalogue, t

SCHEMA_PATH = Path(__file__).resolve().parent.parent / "schema" / "events.schema.json"
DRAFT = "https://json-schema.org/draft/2020-12/schema"
URL_PATTERN = r"^https?://\S+$"


def describe(key: str, fallback: str = "") -> str:
    """English and Japanese side by side: editors show one description whatever the curator's language."""
    if key in catalogue():
        return f"{t(key, 'en')} / {t(key, 'ja')}"
    name = key.rsplit(".", 1)[-1]
    label = f"field.{name}"
    return f"{fallback} / {t(label, 'ja')}" if label in catalogue() else fallback


def _date(description: str = "") -> dict:
    # YYYY, YYYY-MM or YYYY-MM-DD (model.DATE_RE) with months and days in range; month lengths are
    # the validator's (bad-date)
    pattern = r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"
    out = {"type": "string", "pattern": pattern}
    return {**out, "description": description} if description else out


def _terms_enum(terms: dict[str, Term]) -> dict:
    ids = list(terms)
    labels = [f"{term.en} / {term.ja}" for term in terms.values()]
    return {"type": "string", "enum": ids, "enumDescriptions": labels,
            "markdownEnumDescriptions": labels}


def _text(hint: str) -> dict:
    required = list(LANGS) if "en and ja" in hint else []
    return {"type": "object", "additionalProperties": False, "required": required,
            "properties": {lang: {"type": "string", "minLength": 1, "pattern": r"\S"} for lang in TEXT_LANGS}}


def _strings() -> dict:
    return {"type": "array", "minItems": 1, "items": {"type": "string", "minLength": 1, "pattern": r"\S"}}


def source_schema() -> dict:
    props: dict[str, dict] = {}
    for name in SOURCE_FIELDS:
        desc = describe(f"help.source.{name}", name)
        if name in SOURCE_URLS:
            props[name] = {"type": "string", "pattern": URL_PATTERN, "description": desc}
        elif name in SOURCE_DATES:
            props[name] = _date(desc)
        elif name in ("title", "publisher"):
            props[name] = {"type": "string", "minLength": 1, "pattern": r"\S", "description": desc}
        else:
            props[name] = {"type": ["string", "integer"], "description": desc}
    return {"type": "object", "additionalProperties": False, "required": ["title", "publisher"],
            "anyOf": [{"required": ["url"]}, {"required": ["section"]}], "properties": props}


def related_schema(vocab: Vocabulary) -> dict:
    props = {"type": {**_terms_enum(vocab.relations), "description": describe("help.related.type", "type")},
             "id": {"type": "string", "pattern": ID_RE.pattern, "description": describe("help.related.id", "id")}}
    return {"type": "object", "additionalProperties": False, "required": list(RELATED_FIELDS), "properties": props}


def field_schema(name: str, vocab: Vocabulary) -> dict:
    """The schema of one event field, from its kind (model.field_kind)."""
    hint = FIELDS[name][1]
    kind = field_kind(name, vocab)
    if kind == "slug":
        out = {"type": "string", "pattern": ID_RE.pattern}
    elif kind == "date":
        out = _date()
    elif kind == "flag":
        out = {"type": "boolean"}
    elif kind == "text":
        out = _text(hint)
    elif kind == "strings":
        out = _strings()
    elif kind == "terms":
        out = {"type": "array", "minItems": 1, "items": _terms_enum(vocab.section(name))}
    elif kind == "term":
        out = _terms_enum(vocab.section(name))
    elif kind == "rank":
        levels = sorted(vocab.importance) or [1, 2, 3]
        out = {"type": "integer", "enum": levels,
               "enumDescriptions": [f"{vocab.importance.get(n, {}).get('en', n)} / "
                                    f"{vocab.importance.get(n, {}).get('ja', n)}" for n in levels]}
    elif kind == "sources":
        out = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/source"}}
    elif kind == "related":
        out = {"type": "array", "minItems": 1, "items": {"$ref": "#/$defs/related"}}
    else:
        out = {"type": "string", "minLength": 1}
    out["description"] = describe(f"help.{name}", hint)
    return out


def event_schema(vocab: Vocabulary) -> dict:
    return {"type": "object", "additionalProperties": False,
            "required": [name for name, (required, _) in FIELDS.items() if required],
            "properties": {name: field_schema(name, vocab) for name in FIELDS}}


def log_schema(vocab: Vocabulary) -> dict:
    """The whole file: `meta:` (free keys; title and updated checked) and `events:`."""
    meta = {"type": "object", "description": describe("help.meta", "meta"),
            "properties": {"title": {"type": "string"}, "updated": _date()}}
    return {
        "$schema": DRAFT,
        "$comment": "Generated by `python -m timeline schema --out schema/events.schema.json`; do not edit by hand.",
        "title": "Korean Peninsula event log / 朝鮮半島イベントログ",
        "description": "Fields are defined in timeline/model.py, vocabularies in timeline/vocab.yaml. "
                       "Check with `python -m timeline validate`. / フィールドは timeline/model.py、"
                       "語彙は timeline/vocab.yaml で定義。`python -m timeline validate` で検証",
        "type": "object",
        "additionalProperties": False,
        "required": ["events"],
        "properties": {"meta": meta,
                       "events": {"type": "array", "description": describe("help.events", "events"),
                                  "items": {"$ref": "#/$defs/event"}}},
        "$defs": {"event": event_schema(vocab), "source": source_schema(), "related": related_schema(vocab)},
    }


def schema_text(vocab: Vocabulary) -> str:
    """The schema as committed: stable key order, UTF-8, one trailing newline (a re-run changes nothing)."""
    return json.dumps(log_schema(vocab), ensure_ascii=False, indent=2) + "\n"
