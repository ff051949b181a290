"""Free-text search: how a query is read, what each part of it matches, ranking and highlighting.

The rules (the README and `--query --help` say the same):

- Text and query are normalised alike: NFKC (full-width letters and half-width katakana become
  the usual forms), case folded, middle dots (・ ･ ·) dropped and spaces between katakana dropped,
  so キム・ジョンウン, キムジョンウン and ｷﾑ･ｼﾞｮﾝｳﾝ are one spelling.
- A query is read as parts, and an event must match every part (AND). A part is a quoted phrase
  ("...", “...”, 「...」), a run of words that spells a name of the vocabulary (Kim Jong Un, Lee
  Jae-myung: the whole name, never its words one by one), or a single word.
- A name matches every spelling of it listed in the vocabulary (Kim Jong Un = 金正恩 = 김정은 =
  キム・ジョンウン); inside a Latin spelling, spaces and hyphens are optional (Kim Jong-un, Kim Jongun).
- Latin-script words and phrases match whole words: `un` does not match "under" nor `Xi` "taxi". A
  word of four letters or more also matches the start of a longer word (missile: missiles).
- Chinese characters, kana and hangul match anywhere (there are no spaces between words to anchor
  on); a word of two characters or more that is part of a name's spelling also finds the name's
  other spellings (正恩 finds 김정은).
"""
from __future__ import annotations

import dataclasses
import functools
import re
import unicodedata
from dataclasses import dataclass

import pandas as pd

from .model import CJK_RE, DOTS, KATAKANA_SPACE, SEPARATORS, TEXT_LANGS, Vocabulary, fold, search_fold

# Latin letters and digits: a Latin word starts and ends where none of these is next to it.
_WORD = "0-9a-zß-öø-ÿĀ-ɏ"
_QUOTED = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')
_TRIM = ",;:!?()[]{}<>"
PREFIX_MIN = 4          # Latin words this long also match the start of longer words
MAX_NAME_WORDS = 6      # the longest run of query words looked up as a name


def is_cjk(text: str) -> bool:
    """Whether `text` has Chinese characters, kana or hangul (matched anywhere, not by words)."""
    return bool(CJK_RE.search(text))


@dataclass(frozen=True)
class Part:
    """One part of a query: every event found must match it."""

    text: str                     # as typed, normalised
    kind: str                     # "word", "phrase", "name" or "term"
    spellings: tuple[str, ...]    # normalised spellings it stands for, its own first
    shadows: tuple[str, ...] = () # other names that contain it as a word: UN in Kim Jong Un

    @functools.cached_property
    def shadow(self) -> re.Pattern | None:
        """The other names this part must not be found inside (an acronym in a person's name)."""
        if not self.shadows:
            return None
        body = "|".join(_spelling_pattern(s, "name") for s in self.shadows)
        return re.compile(f"(?<![{_WORD}])(?:{body})(?![{_WORD}])")

    def blank_shadows(self, text: str) -> str:
        """`text` with the names this part must not be found inside blanked (offsets kept)."""
        return self.shadow.sub(lambda m: " " * len(m.group()), text) if self.shadow else text

    @functools.cached_property
    def cjk_regex(self) -> str | None:
        """The CJK spellings, matched anywhere."""
        return "|".join(_spelling_pattern(s, self.kind) for s in self.spellings if is_cjk(s)) or None

    @functools.cached_property
    def latin_regex(self) -> str | None:
        """The Latin spellings between word edges, over the `search` column (RE2 has no lookbehind,
        so the edges are characters: the column begins and ends with a space)."""
        return _latin(self, lead=True)

    @functools.cached_property
    def latin_prefilters(self) -> tuple[str, ...]:
        """Quick first passes for `latin_regex`: its spellings without the edge before the word, one
        pattern per first letter (RE2 then skips ahead to that letter), confirmed by `latin_regex` on
        the rows they keep."""
        by_letter: dict[str, list[str]] = {}
        for s in self.spellings:
            if not is_cjk(s):
                by_letter.setdefault(s[:1], []).append(s)
        return tuple(_latin(dataclasses.replace(self, spellings=tuple(group)), lead=False)
                     for group in by_letter.values())

    @functools.cached_property
    def shadow_regex(self) -> str | None:
        """`shadow` over the `search` column (edges as characters, as in `latin_regex`)."""
        if not self.shadows:
            return None
        return f"[^{_WORD}](?:{'|'.join(_spelling_pattern(s, 'name') for s in self.shadows)})[^{_WORD}]"

    @functools.cached_property
    def pattern(self) -> re.Pattern:
        """The same pattern for Python, with boundaries that match no character (for highlighting)."""
        return re.compile(_alternatives(self))

    @property
    def literal(self) -> str | None:
        """The plain text to look for when a substring test is enough (one CJK spelling)."""
        if len(self.spellings) == 1 and is_cjk(self.text) and " " not in self.text:
            return self.text
        return None


def _spelling_pattern(spelling: str, kind: str) -> str:
    words = [re.escape(w) for w in SEPARATORS.split(spelling) if w]
    if is_cjk(spelling):
        return " ?".join(words)  # a space inside a CJK spelling is optional (a plain space: RE2 is faster)
    return ("[ -]*" if kind in ("name", "term") else "[ -]+").join(words)


def _latin(part: Part, lead: bool, lookaround: bool = False) -> str | None:
    """The Latin spellings between word edges; a word or term of PREFIX_MIN letters or more may
    also be the start of a longer word (missile: missiles), a name never is."""
    latin = [s for s in part.spellings if not is_cjk(s)]
    if not latin:
        return None
    long = [s for s in latin if part.kind in ("word", "term") and len(s) >= PREFIX_MIN]
    whole = "|".join(_spelling_pattern(s, part.kind) for s in latin if s not in long)
    start = "|".join(_spelling_pattern(s, part.kind) for s in long)
    if lookaround:
        ends = [f"(?:{whole})(?![{_WORD}])" if whole else "", f"(?:{start})" if start else ""]
        return f"(?<![{_WORD}])(?:{'|'.join(e for e in ends if e)})"
    ends = [f"(?:{whole})[^{_WORD}]" if whole else "", f"(?:{start})" if start else ""]
    return (f"[^{_WORD}]" if lead else "") + f"(?:{'|'.join(e for e in ends if e)})"


def _alternatives(part: Part) -> str:
    """Every spelling of `part` as one Python pattern whose edges match no character."""
    return "|".join(p for p in (_latin(part, lead=True, lookaround=True), part.cjk_regex) if p)


def parse_query(query: str, vocab: Vocabulary) -> tuple[Part, ...]:
    """The parts of a query, each with the spellings it stands for (see the module's rules)."""
    return _parse(query or "", vocab)


@functools.lru_cache(maxsize=512)
def _parse(query: str, vocab: Vocabulary) -> tuple[Part, ...]:
    parts: list[Part] = []
    words: list[str] = []
    for m in _QUOTED.finditer(search_fold(query)):
        phrase = next((g for g in m.groups()[:3] if g is not None), None)
        if phrase is None:
            word = m.group(4).strip(_TRIM)
            if word.strip("\"“”「」'"):
                words.append(word.strip("\"“”「」"))
            continue
        parts.extend(_words_to_parts(words, vocab))
        words = []
        if phrase.strip():
            parts.append(_phrase_part(" ".join(phrase.split()), vocab))
    parts.extend(_words_to_parts(words, vocab))
    return tuple(dict.fromkeys(parts))


def _phrase_part(phrase: str, vocab: Vocabulary) -> Part:
    group = vocab.name_group(phrase)
    if group:
        return _name_part(phrase, group, vocab)
    return Part(phrase, "phrase", (phrase,))


def _name_part(text: str, group: tuple[str, ...], vocab: Vocabulary) -> Part:
    """A known name; when it is an acronym (UN, WPK), the other names with it as a later word (Kim
    Jong Un, not UN General Assembly) are its shadows: "un" there is not the UN."""
    acronyms = {search_fold(s) for s in group if s.isascii() and s.isupper() and " " not in s}
    shadows = tuple(dict.fromkeys(
        search_fold(s) for other in vocab.names if other != group for s in other
        if not is_cjk(s) and acronyms & set(SEPARATORS.split(search_fold(s))[1:])))
    return Part(text, "term" if group in vocab.terms else "name", _spellings(text, group), shadows)


def _words_to_parts(words: list[str], vocab: Vocabulary) -> list[Part]:
    """Single words, except that the longest runs of words spelling a known name become one part."""
    parts, i = [], 0
    while i < len(words):
        for j in range(min(len(words), i + MAX_NAME_WORDS), i, -1):
            text = " ".join(words[i:j])
            group = vocab.name_group(text)
            if group:
                parts.append(_name_part(text, group, vocab))
                i = j
                break
        else:
            pieces = _known_pieces(words[i], vocab) if is_cjk(words[i]) else None
            parts.extend([_name_part(p, vocab.name_group(p), vocab) for p in pieces] if pieces
                         else [_word_part(words[i], vocab)])
            i += 1
    return parts


def _known_pieces(word: str, vocab: Vocabulary) -> list[str] | None:
    """A CJK word written without spaces that is made entirely of known names and terms, cut into
    them (ミサイル発射 -> ミサイル, 発射; 金正恩プーチン -> 金正恩, プーチン); None when it is not."""
    pieces, i = [], 0
    while i < len(word):
        j = next((j for j in range(len(word), i + 1, -1) if vocab.name_group(word[i:j])), None)
        if j is None:
            return None
        pieces.append(word[i:j])
        i = j
    return pieces if len(pieces) > 1 else None


def _word_part(word: str, vocab: Vocabulary) -> Part:
    if is_cjk(word) and len(word) >= 2:
        groups = [g for g in (*vocab.names, *vocab.terms) if any(word in search_fold(s) for s in g if is_cjk(s))]
        if groups:
            return Part(word, "word", _spellings(word, *groups))
    return Part(word, "word", (word,))


def _spellings(text: str, *groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys([text, *(search_fold(s) for g in groups for s in g)]))


def matches(text: pd.Series, part: Part) -> pd.Series:
    """Which rows of a normalised text column match `part` (each text begins and ends with a space,
    as the `search` column does). CJK spellings first: rows they find need no word-edge test."""
    if part.literal is not None:
        return text.str.contains(part.literal, regex=False)
    if part.cjk_regex:
        found = text.str.contains(part.cjk_regex, regex=True).astype(bool)
    else:
        found = pd.Series(False, index=text.index)
    if part.latin_regex:
        rest = text[~found]
        candidate = pd.Series(False, index=rest.index)
        for prefilter in part.latin_prefilters:
            candidate |= rest.str.contains(prefilter, regex=True).astype(bool)
        rest = rest[candidate]
        rest = rest[rest.str.contains(part.latin_regex, regex=True).astype(bool)]
        if part.shadow_regex:  # found more often than inside the other names (UN besides Kim Jong Un)
            rest = rest[rest.str.count(part.latin_regex) > rest.str.count(part.shadow_regex)]
        found[rest.index] = True
    return found


# -- ranking and highlighting ----------------------------------------------------------------------

TIERS = (("title", 4), ("summary", 2))   # a part found in a title counts most; elsewhere (aliases, notes) 1


def rank_events(df: pd.DataFrame, query: str, vocab: Vocabulary) -> pd.DataFrame:
    """`df` (events that match `query`) ordered by relevance, with a `relevance` column.

    Each part of the query scores where it is found: 4 in a title (any language), else 2 in a
    summary, else 1 (aliases, notes, tags). Ties go to the more important, then the more recent
    event. Without a query the order is the date order and every relevance is 0.
    """
    parts = parse_query(query, vocab)
    out = df.copy()
    if not parts or df.empty:
        out["relevance"] = 0
        return out
    texts = {field: _folded(df, field) for field, _ in TIERS}
    score = pd.Series(0, index=df.index)
    for part in parts:
        best = pd.Series(1, index=df.index)
        for field, weight in reversed(TIERS):  # the lower tier first, so that a title match overwrites it
            best[matches(texts[field], part)] = weight
        score += best
    out["relevance"] = score
    return out.sort_values(["relevance", "importance", "start", "id"], ascending=[False, False, False, True],
                           kind="stable")


def _folded(df: pd.DataFrame, field: str) -> pd.Series:
    columns = [df[f"{field}_{lang}"].fillna("") for lang in TEXT_LANGS if f"{field}_{lang}" in df.columns]
    joined = columns[0].str.cat(columns[1:], sep=" \u241f ")
    return " " + joined.map(search_fold).astype(str) + " "


def highlight_spans(text: str, query: str, vocab: Vocabulary) -> list[tuple[int, int]]:
    """Where the parts of `query` occur in `text`, as sorted, non-overlapping (start, end) offsets
    into `text` itself (not its normalised form): what to mark in a title or a summary."""
    parts = parse_query(query, vocab)
    if not parts or not text:
        return []
    folded, starts, ends = _folded_with_offsets(text)
    spans = []
    for part in parts:
        for m in part.pattern.finditer(part.blank_shadows(folded)):
            if m.end() > m.start():
                spans.append((starts[m.start()], ends[m.end() - 1]))
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _clusters(text: str) -> list[tuple[int, int]]:
    """(start, end) of each character with the combining marks that follow it (ｶﾞ is one)."""
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if out and (unicodedata.combining(ch) or ch in "\uff9e\uff9f\u3099\u309a"):
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def _folded_with_offsets(text: str) -> tuple[str, list[int], list[int]]:
    """`search_fold(text)` built piece by piece, with the offsets in `text` each character came from."""
    pieces = [(fold(text[a:b]).translate(DOTS), a, b) for a, b in _clusters(text)]
    chars, starts, ends = [], [], []
    for k, (piece, a, b) in enumerate(pieces):
        if piece.strip() == "" and piece and 0 < k < len(pieces) - 1:
            before, after = pieces[k - 1][0], pieces[k + 1][0]
            if KATAKANA_SPACE.search(f"{before[-1:]}{piece}{after[:1]}"):
                continue
        for ch in piece:
            chars.append(ch)
            starts.append(a)
            ends.append(b)
    return "".join(chars), starts, ends
