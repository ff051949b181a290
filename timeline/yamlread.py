"""Reading YAML defensively: bytes -> plain Python values, with every problem found on the way.

The file is decoded as strict UTF-8, parsed by PyYAML's C composer into nodes (never into Python
objects built from tags), and turned into plain values by our own walk, which keeps dates as
written, refuses unknown tags, reports duplicate keys and stops alias bombs. This is the only
module that parses YAML; `load.py` builds on it.
"""
from __future__ import annotations

import gc
import math
import re
from dataclasses import dataclass
from pathlib import Path
from sys import intern
from typing import Any

import yaml

from .validate import Problem, errors, validate_meta

_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_Y + t for t in ("int", "float", "bool", "null", "timestamp")}  # str: in _Walker.value
_TRUE, _FALSE = {"true", "True", "TRUE"}, {"false", "False", "FALSE"}
_STR, _SEQ, _MAP = _Y + "str", _Y + "seq", _Y + "map"
_SCALAR, _SEQUENCE = yaml.ScalarNode, yaml.SequenceNode
# the longest number the loader converts: Python refuses integers of 4,301+ digits, and no field of
# the log needs more than a few digits; longer ones are reported (number-too-large), never converted
MAX_NUMBER_CHARS = 32


class NumberTooLarge(ValueError):
    """A plain scalar that is a number too long (or too large) to convert."""


def read_trusted(path: str | Path) -> Any:
    """A file of the package itself (the vocabularies), read by the log's own rules (twice as fast as
    PyYAML's safe loader); its first error raises ValueError (a broken package file is a bug to fix)."""
    with open(path, "rb") as fh:
        data = fh.read()
    problems: list[Problem] = []
    text = _decode(data, str(path), problems)
    root = _compose(text, str(path), problems) if text is not None else None
    walker = _Walker(str(path), budget=len(data) + 10_000)
    value = walker.value(root) if root is not None else None
    problems += walker.problems
    if errors(problems):
        raise ValueError(errors(problems)[0].format())
    return value


def parse_log(data: bytes, path: str = "", root_key: str = "events") -> tuple[list | None, dict, Any, list[Problem]]:
    """Bytes -> (records, meta, locate, problems). records is None when the file cannot be read.
    `root_key`: the list the file holds (`events:`, or `periods:` in periods.yaml)."""
    problems: list[Problem] = []
    text = _decode(data, path, problems)
    before = len(problems)
    root = _compose(text, path, problems) if text is not None else None
    if root is None:
        if text is not None and len(problems) == before:  # composed, and nothing there
            problems.append(Problem("bad-root", f"the file is empty; it needs `{root_key}:` followed by a list",
                                    path, 1, 1))
        return None, {}, _NO_LOCATE, problems
    walker = _Walker(path, budget=len(data) + 10_000)
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector dominates the walk on big logs; nodes hold no cycles we leak
    try:
        value = walker.value(root)
    finally:
        if gc_was_enabled:
            gc.enable()
    problems.extend(walker.problems)
    if walker.exhausted:
        return None, {}, _NO_LOCATE, problems
    return _records(root, value, root_key, path, problems)


def _NO_LOCATE(index, sub=()):  # noqa: N802  (a constant function: where nothing can be located)
    return 0, 0


def _decode(data: bytes, path: str, problems: list[Problem]) -> str | None:
    """The file's text (a byte-order mark is dropped with a warning), or None when it is not UTF-8."""
    if data.startswith(b"\xef\xbb\xbf"):
        problems.append(Problem("byte-order-mark", "the file starts with a UTF-8 byte-order mark; save it as "
                                "UTF-8 without BOM (it was ignored)", path, 1, 1))
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        bad_line = data[data.rfind(b"\n", 0, exc.start) + 1:data.find(b"\n", exc.start) % (len(data) + 1)]
        problems.append(Problem("not-utf8", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as "
                                f"UTF-8 (this line looks like {_guess_encoding(bad_line)})", path, line, col))
        return None


def _compose(text: str, path: str, problems: list[Problem]) -> yaml.Node | None:
    """YAML text -> the node tree (None for an empty file, or with the syntax problem added)."""
    gc_was_enabled = gc.isenabled()
    gc.disable()  # the collector dominates parse time on big logs; nodes hold no cycles we leak
    try:
        # the base loader skips PyYAML's regex-based type guessing (a third of the parse time);
        # _Walker.scalar resolves plain scalars itself, keeping dates as written
        return yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        bad_line = text.split("\n")[mark.line] if mark and mark.line < text.count("\n") + 1 else ""
        if "\t" in bad_line[: (mark.column + 1) if mark else 0] or "\t" in str(exc.problem):
            problems.append(Problem("tab-character", "a tab character is used for indentation; YAML needs "
                                    "spaces, so replace the tab with spaces", path, line, col))
        else:
            problems.append(Problem("yaml-syntax", f"{exc.problem}"
                                    f"{'; ' + exc.context if exc.context else ''}; fix the YAML here "
                                    f"(check indentation, colons and quotes)", path, line, col))
    except yaml.YAMLError as exc:
        problems.append(Problem("yaml-syntax", f"{exc}; fix the YAML", path, 1, 1))
    finally:
        if gc_was_enabled:
            gc.enable()
    return None


def _records(root: yaml.Node, value: Any, root_key: str, path: str, problems: list[Problem]):
    """The list of records under `root_key:` (or a bare list), the meta mapping and the locator."""
    meta: dict = {}
    events_node = root
    if isinstance(value, dict) and isinstance(value.get(root_key), list):
        meta = value["meta"] if isinstance(value.get("meta"), dict) else {}
        problems.extend(validate_meta(meta, lambda sub: _locate(root, None, sub), path))
        for key in (k for k in value if k not in (root_key, "meta")):
            problems.append(Problem("unknown-field", f'top-level key "{key}" is not known; the file holds '
                                    f"`meta:` and `{root_key}:` only", path, *_key_mark(root, key)))
        records = value[root_key]
        events_node = _mapping_get(root, root_key)
    elif isinstance(value, list):
        records = value
    else:
        line, col = root.start_mark.line + 1, root.start_mark.column + 1
        problems.append(Problem("bad-root", f"the top level must be `{root_key}:` followed by a list "
                                "(each starting with `- id: ...`)", path, line, col))
        return None, meta, _NO_LOCATE, problems

    def locate(index: int, sub: tuple = ()) -> tuple[int, int]:
        return _locate(events_node, index, sub)

    return records, meta, locate, problems


_KIND_TAGS = {yaml.ScalarNode: _STR, yaml.SequenceNode: _SEQ, yaml.MappingNode: _MAP}


class _Loader(yaml.CBaseLoader):
    """The C parser and composer with the cheapest possible tag resolution (see _Walker.scalar)."""

    def __init__(self, stream):
        super().__init__(stream)
        # the C composer calls these two Python hooks around every node, for path resolvers we never
        # register: C builtins that do nothing take their place (8% of the parse time)
        self.descend_resolver = {}.get  # (parent, index) -> index, unused
        self.ascend_resolver = [].clear  # () -> None

    def resolve(self, kind, value, implicit):
        return _KIND_TAGS[kind]  # a module constant: no attribute lookup in this call made once per node


class _Walker:
    """Nodes -> plain values: dates stay strings, unknown tags are refused, aliases are bounded."""

    def __init__(self, path: str, budget: int):
        self.path, self.budget = path, budget
        self.problems: list[Problem] = []
        self.exhausted = False
        self.keys: dict[str, Any] = {}  # plain key text -> its (interned) value

    def value(self, node: yaml.Node) -> Any:
        if self.exhausted:
            return None
        self.budget -= 1
        if self.budget < 0:
            self.exhaust(node)
            return None
        cls = node.__class__
        if cls is _SCALAR:
            if node.tag == _STR:  # the usual case, inlined: this loop runs once per node of the file
                try:
                    return node.value if node.style else _plain(node.value)
                except NumberTooLarge:
                    return self.too_large(node)
            return self.scalar(node)
        if node.tag not in (_SEQ, _MAP):
            self.refuse(node)
            return None
        if cls is _SEQUENCE:
            value = self.value
            return [value(child) for child in node.value]
        return self.mapping(node)

    def mapping(self, node: yaml.MappingNode) -> dict:
        value, keys = self.value, self.keys
        out: dict = {}
        for key_node, value_node in node.value:
            # plain-text keys and values, by far the most nodes, are handled inline
            if key_node.__class__ is _SCALAR and key_node.tag == _STR and self.budget > 1:
                self.budget -= 1
                # keys shared between all mappings (smaller cache: pickle stores each once)
                text = key_node.value
                if key_node.style:  # quoted: text as written
                    key = intern(text)
                else:
                    key = keys.get(text, _TEXT)
                    if key is _TEXT:
                        try:
                            key = _plain(text)
                        except NumberTooLarge:
                            key = self.too_large(key_node)
                        key = keys[text] = intern(key) if key.__class__ is str else key
                if key is None:
                    key = "None"
            else:
                key = value(key_node)
                if self.exhausted:
                    break
                if not isinstance(key, (str, int, float, bool)):  # None and lists: their text
                    key = str(key)
            if key in out:
                self.problems.append(Problem(
                    "duplicate-key", f'"{key}" appears twice in this mapping; the second value would silently '
                    f"replace the first, so merge or remove one", self.path, key_node.start_mark.line + 1,
                    key_node.start_mark.column + 1, "", str(key)))
            if value_node.__class__ is _SCALAR and value_node.tag == _STR and self.budget > 0:
                self.budget -= 1
                try:
                    out[key] = value_node.value if value_node.style else _plain(value_node.value)
                except NumberTooLarge:
                    out[key] = self.too_large(value_node)
            else:
                out[key] = value(value_node)
        return out

    def exhaust(self, node: yaml.Node) -> None:
        self.exhausted = True
        self.problems.append(Problem(
            "too-many-nodes", "aliases (*name) expand to far more data than the file holds (an alias "
            "bomb); remove the anchors and aliases", self.path, node.start_mark.line + 1,
            node.start_mark.column + 1))

    def scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag not in _SCALAR_TAGS:
            self.refuse(node)
            return None
        if tag == _Y + "timestamp":
            return text  # dates are kept exactly as written
        if tag == _Y + "null":
            return None
        if tag == _Y + "bool":  # YAML 1.1 also reads yes/no/on/off as booleans: keep those as text
            return True if text in _TRUE else False if text in _FALSE else text
        if len(text) > MAX_NUMBER_CHARS:
            return self.too_large(node)
        if tag == _Y + "int":
            for base in (10, 0):
                try:
                    return int(text.replace("_", ""), base)
                except ValueError:
                    continue
            return text
        try:
            number = float(text.replace("_", ""))
        except ValueError:
            return text
        return number if math.isfinite(number) else self.too_large(node)

    def too_large(self, node: yaml.ScalarNode) -> str:
        """Report a number too long to convert; its text stays (validation then says what the field needs)."""
        text = node.value
        shown = text if len(text) <= 20 else f"{text[:20]}… ({len(text):,} characters)"
        self.problems.append(Problem(
            "number-too-large", f"the number {shown} is too large to read (the loader takes at most "
            f"{MAX_NUMBER_CHARS} characters, finite); shorten it, or quote it if it is text", self.path,
            node.start_mark.line + 1, node.start_mark.column + 1))
        return node.value[:MAX_NUMBER_CHARS] + "…"

    def refuse(self, node: yaml.Node) -> None:
        self.problems.append(Problem(
            "unknown-tag", f'the tag "{node.tag}" is refused (the log is data; tags that build objects are '
            f"never run); remove the tag", self.path, node.start_mark.line + 1, node.start_mark.column + 1))


_INT = re.compile(r"[-+]?[0-9]+")
_FLOAT = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")
_SPECIAL = {**dict.fromkeys(("", "~", "null", "Null", "NULL")), **dict.fromkeys(_TRUE, True),
            **dict.fromkeys(_FALSE, False)}
_TEXT = object()
_NUMBER_START = frozenset("0123456789+-.")


def _plain(text: str) -> Any:
    """Type of an unquoted scalar: null, true/false, integer, float, else the text as written.

    Dates stay text (2025-06-04 is what the curator wrote) and so do yes/no/on/off (NO is Norway).
    """
    special = _SPECIAL.get(text, _TEXT)
    if special is not _TEXT:
        return special
    if text[0] in _NUMBER_START:  # the regexes only for what can be a number
        if _INT.fullmatch(text):
            if len(text) > MAX_NUMBER_CHARS:
                raise NumberTooLarge(text)
            return int(text)
        if _FLOAT.fullmatch(text):
            number = float(text)
            if len(text) > MAX_NUMBER_CHARS or not math.isfinite(number):
                raise NumberTooLarge(text)
            return number
    return text


def _mapping_get(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _key_mark(node: yaml.Node, key: str) -> tuple[int, int]:
    for k, _ in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return k.start_mark.line + 1, k.start_mark.column + 1
    return node.start_mark.line + 1, node.start_mark.column + 1


def _locate(events_node: yaml.Node, index: int | None, sub: tuple) -> tuple[int, int]:
    """Line and column of events[index] followed by the path `sub` (keys and list indexes);
    with index None, of the path `sub` from `events_node` itself."""
    node = events_node
    if index is not None:
        if not isinstance(node, yaml.SequenceNode) or index >= len(node.value):
            return (node.start_mark.line + 1, node.start_mark.column + 1) if node is not None else (0, 0)
        node = node.value[index]
    for step in sub:
        child = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(step):
                    child = v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            child = node.value[step]
        if child is None:
            break
        node = child
    return node.start_mark.line + 1, node.start_mark.column + 1


def _guess_encoding(data: bytes) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return "UTF-16"
    for enc in ("shift_jis", "euc-kr", "cp1252"):
        try:
            data.decode(enc)
            return {"shift_jis": "Shift_JIS", "euc-kr": "EUC-KR", "cp1252": "Windows-1252"}[enc]
        except UnicodeDecodeError:
            continue
    return "a legacy encoding"


# -- where events sit in the text (for editing it without re-dumping) ---------------------------

@dataclass(frozen=True)
class EventSpan:
    """Where one event sits in the text of a log: lines [start, stop) and the column of its `- `."""

    id: str
    date: str
    start: int
    stop: int
    dash: int
    keys: tuple[tuple[str, int, int], ...] = ()   # (field, first line, line after it), top-level keys
    flow: bool = False                             # written as {id: ..., ...}: fields cannot be edited apart


def event_spans(text: str) -> list[EventSpan]:
    """The line span of every event in a log's text, for editing the text without re-dumping it.

    An event runs from its `- ` line to the line before the next event, less trailing blank and
    comment lines (a comment above an event belongs to that event). Raises ValueError when the text
    is not a log the spans can be found in.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        raise ValueError(f"the file is not valid YAML ({exc}); run `python -m timeline validate` first") from exc
    events = _mapping_get(root, "events") if isinstance(root, yaml.MappingNode) else root
    if not isinstance(events, yaml.SequenceNode):
        raise ValueError("the file has no `events:` list")
    lines = text.split("\n")
    spans = []
    for i, node in enumerate(events.value):
        start = node.start_mark.line
        stop = events.value[i + 1].start_mark.line if i + 1 < len(events.value) else events.end_mark.line
        if i + 1 == len(events.value) and events.end_mark.column > 0:
            stop += 1  # the list ends mid-line only at the end of a file without a final newline
        while stop > start + 1 and (not lines[stop - 1].strip() or lines[stop - 1].lstrip().startswith("#")):
            stop -= 1
        dash = len(lines[start]) - len(lines[start].lstrip(" "))
        id_node, date_node = _mapping_get(node, "id"), _mapping_get(node, "date")
        spans.append(EventSpan(getattr(id_node, "value", ""), getattr(date_node, "value", ""), start, stop, dash,
                               _key_spans(node, stop, lines), bool(getattr(node, "flow_style", False))))
    return spans


def _key_spans(node: yaml.Node, stop: int, lines: list[str]) -> tuple[tuple[str, int, int], ...]:
    if not isinstance(node, yaml.MappingNode):
        return ()
    starts = [(str(k.value), k.start_mark.line) for k, _ in node.value]
    out = []
    for j, (name, first) in enumerate(starts):
        end = starts[j + 1][1] if j + 1 < len(starts) else stop
        while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].lstrip().startswith("#")):
            end -= 1
        out.append((name, first, end))
    return tuple(out)
