"""Property-based tests: no input makes the validator, the filters or the URL parser crash."""
import datetime as dt

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from timeline.load import parse_log, read_log
from timeline.model import FIELDS, fold
from timeline.query import Filters, filter_events, state_from_query, state_to_query
from timeline.validate import CODES, validate_records

scalars = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False), st.text(max_size=12),
                    st.sampled_from(["2025-06-04", "2025-13", "2025", "KR", "japan-rok", "summit", "occurred",
                                     "https://example.org", "javascript:x", ""]))
yamlish = st.recursive(scalars, lambda kids: st.one_of(st.lists(kids, max_size=4),
                                                       st.dictionaries(st.one_of(st.sampled_from(list(FIELDS)),
                                                                                 st.text(max_size=6)), kids,
                                                                       max_size=6)), max_leaves=25)
events = st.lists(st.one_of(yamlish, st.fixed_dictionaries({k: yamlish for k in list(FIELDS)[:8]})), max_size=5)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                             HealthCheck.function_scoped_fixture])


@SETTINGS
@given(events)
def test_validator_only_returns_problems(vocab, records):
    problems = validate_records(records, vocab, lambda i, p: (i + 1, 1), "x.yaml", dt.date(2026, 11, 28))
    assert all(p.code in CODES for p in problems)


@SETTINGS
@given(st.one_of(events, yamlish))
def test_the_whole_loader_only_returns_problems_or_events(tmp_path_factory, vocab, data):
    path = tmp_path_factory.mktemp("p") / "log.yaml"
    path.write_text(yaml.safe_dump({"events": data} if isinstance(data, list) else data, allow_unicode=True))
    report = read_log(path, vocab, cache=False)
    assert report.ok or report.problems
    assert all(p.code in CODES for p in report.problems)


@SETTINGS
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash_the_parser(data):
    records, meta, locate, problems = parse_log(data, "x")
    assert records is None or isinstance(records, list)


def partial_dates():
    return st.one_of(st.none(), st.dates(dt.date(1990, 1, 1), dt.date(2040, 12, 31)).flatmap(
        lambda d: st.sampled_from([d.isoformat(), d.isoformat()[:7], d.isoformat()[:4]])))


@SETTINGS
@given(st.builds(Filters, date_from=partial_dates(), date_to=partial_dates(),
                 countries=st.lists(st.sampled_from(["KR", "KP", "JP", "CN", "ZZ"]), max_size=3).map(tuple),
                 themes=st.lists(st.sampled_from(["japan-rok", "china-dprk", "nope"]), max_size=3).map(tuple),
                 types=st.lists(st.sampled_from(["summit", "visit", "election"]), max_size=2).map(tuple),
                 min_importance=st.integers(1, 3),
                 statuses=st.lists(st.sampled_from(["occurred", "scheduled"]), max_size=2).map(tuple),
                 query=st.text(max_size=15)))
def test_filters_never_fail(valid_df, filters):
    out = filter_events(valid_df, filters)
    assert set(out["id"]) <= set(valid_df["id"])


@SETTINGS
@given(st.text(max_size=200))
def test_url_parser_never_fails(vocab, query):
    state, notes = state_from_query(query, vocab, {"a"})
    again, _ = state_from_query(state_to_query(state), vocab, {"a"})
    assert again == state


@SETTINGS
@given(st.dictionaries(st.sampled_from(["from", "to", "country", "theme", "type", "importance", "status", "q", "lang",
                                        "group", "event", "since", "tab", "x"]), st.text(max_size=30), max_size=8))
def test_url_parser_round_trips_whatever_it_accepts(vocab, params):
    from urllib.parse import urlencode

    state, _ = state_from_query("?" + urlencode(params), vocab, {"a"})
    assert state_from_query(state_to_query(state), vocab, {"a"})[0] == state


@given(st.text(alphabet=st.characters(codec="utf-8"))
       | st.text("ＡＺａｚ０９（）～\u3000　…㎜ｶﾞ\u0301\u3099가각\u1100\u1161 ", max_size=30))
def test_fold_is_nfkc_then_casefold(text):
    import unicodedata

    assert fold(text) == unicodedata.normalize("NFKC", text).casefold()


TEXTS = st.text(alphabet=st.sampled_from(list("Kim Jong-un UN un・･·ｷﾑｼﾞｮﾝｳﾝキム ジョンウン金正恩김정은\"「」’ｶﾞ\u3099"))
                | st.characters(codec="utf-8"), max_size=40)


@SETTINGS
@given(text=TEXTS, query=TEXTS)
def test_highlight_spans_are_sorted_disjoint_and_inside_the_text(vocab, text, query):
    from timeline.query import highlight_spans, rank_events

    spans = highlight_spans(text, query, vocab)
    assert all(0 <= a < b <= len(text) for a, b in spans)
    assert all(b1 < a2 for (_, b1), (a2, _) in zip(spans, spans[1:], strict=False))
    assert rank_events(_one_event(text, query, vocab), query, vocab) is not None


def _one_event(text, query, vocab):
    import pandas as pd

    row = {f"{f}_{lang}": text for f in ("title", "summary") for lang in ("en", "ja", "ko")}
    return pd.DataFrame([{**row, "importance": 1, "start": pd.Timestamp("2025-01-01"), "id": "x"}])


filled = st.sampled_from(["x", 2, 0, False, 0.0, ["KR"], {"en": "a"}, None, "", [], {}])  # empty ones too
complete = st.fixed_dictionaries({k: filled for k, (required, _) in FIELDS.items() if required},
                                 optional={k: filled for k, (required, _) in FIELDS.items() if not required})


@SETTINGS
@given(st.lists(st.one_of(complete, yamlish), max_size=4))
def test_missing_and_empty_fields_are_those_a_loop_over_every_field_finds(vocab, records):
    # validation skips its loop over the fields when a quick check finds nothing to report: never a problem less
    problems = validate_records(records, vocab, lambda i, p: (i + 1, 1), "x.yaml", dt.date(2026, 11, 28))
    found = [(p.line, p.code, p.field) for p in problems
             if (p.code, p.field) == ("missing-field", "") or (p.code == "empty-value" and p.field in FIELDS)]
    expected = [(i + 1, "missing-field", "") if required and key not in rec else (i + 1, "empty-value", key)
                for i, rec in enumerate(records) if isinstance(rec, dict) for key, (required, _) in FIELDS.items()
                if (required and key not in rec)
                or (key in rec and rec[key] in (None, "", [], {}) and key != "sources")]
    assert found == expected
