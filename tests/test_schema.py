"""The JSON Schema: generated from the model, committed, and in agreement with the validator."""
import json

import jsonschema
import pytest
import yaml

from timeline.cli import main
from timeline.load import parse_log
from timeline.model import FIELDS, SOURCE_FIELDS
from timeline.schema import SCHEMA_PATH, log_schema, schema_text

from .conftest import DATA, ROOT
from .test_load import CATALOGUE

# defects a schema can express (shape, vocabulary, patterns)...
SCHEMA_CODES = {"unknown-theme", "unknown-country", "unknown-type", "unknown-status", "unknown-relation",
                "unknown-field", "missing-field", "missing-language", "wrong-type", "empty-value", "bad-importance",
                "bad-url", "no-sources", "bad-id", "bad-date", "not-a-mapping", "bad-root", "unknown-evidence"}
# ...and those it cannot: they need the file's bytes, the calendar, or more than one event at a time
NOT_SCHEMA = {"impossible-date": "Feb 30 matches the date pattern; month lengths are the validator's",
              "duplicate-id": "uniqueness of a field across items", "end-before-start": "comparing two fields",
              "dangling-related": "a reference to another event", "self-related": "a reference to the event itself",
              "yaml-syntax": "not YAML", "tab-character": "not YAML", "duplicate-key": "lost by any YAML parser",
              "python-object-tag": "refused by the reader", "unknown-tag": "refused by the reader",
              "not-utf8": "not text", "alias-bomb": "refused by the reader", "empty-file": "no document",
              "bad-coverage-date": "June 31 matches the date pattern; month lengths are the validator's",
              "unconfirmed-in-future": "comparing a date with today",
              "missing-claimed-by": "a field required by another field's value is left to the validator",
              "number-too-large": "refused by the reader before any schema sees it"}


@pytest.fixture(scope="module")
def validator():
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def document(path):
    """The file as the reader sees it (dates stay text), as a schema-aware editor checks it."""
    records, meta, _, problems = parse_log(path.read_bytes(), str(path))
    if records is None:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"meta": meta, "events": records} if meta else {"events": records}


def test_committed_schema_is_not_stale(vocab):
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(vocab), \
        "regenerate it: python -m timeline schema --out schema/events.schema.json"


def test_schema_check_command_fails_on_a_stale_file(tmp_path, capsys):
    stale = tmp_path / "s.json"
    stale.write_text("{}\n")
    assert main(["schema", "--check", "--out", str(stale)]) == 1
    assert "python -m timeline schema" in capsys.readouterr().err
    assert main(["schema", "--check"]) == 0


def test_every_field_and_vocabulary_value_is_in_the_schema(vocab):
    schema = log_schema(vocab)
    event = schema["$defs"]["event"]
    assert list(event["properties"]) == list(FIELDS)
    assert set(event["required"]) == {name for name, (required, _) in FIELDS.items() if required}
    assert list(schema["$defs"]["source"]["properties"]) == list(SOURCE_FIELDS)
    assert event["properties"]["countries"]["items"]["enum"] == list(vocab.countries)
    assert event["properties"]["status"]["enum"] == list(vocab.statuses)
    assert "韓国" in " ".join(event["properties"]["countries"]["items"]["enumDescriptions"])
    assert "出典が裏付ける精度" in event["properties"]["date"]["description"]


def test_a_field_added_to_the_model_reaches_the_schema(vocab, monkeypatch):
    monkeypatch.setitem(FIELDS, "evidence", (False, "how firm the claim is"))
    monkeypatch.setitem(FIELDS, "short", (False, "mapping with en, ja, ko: a short title"))
    event = log_schema(vocab)["$defs"]["event"]["properties"]
    assert event["evidence"]["type"] == "string" and event["short"]["type"] == "object"


def test_schema_validates_the_real_log(validator):
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(document(ROOT / "events.yaml"))]
    assert errors == []


@pytest.mark.parametrize("name", ["valid", "byte-order-mark", "stale-scheduled", "id-date-mismatch"])
def test_every_valid_fixture_passes_the_schema(validator, name):
    assert [e.message for e in validator.iter_errors(document(DATA / f"{name}.yaml"))] == []


@pytest.mark.parametrize("name", sorted(n for n, (code, *_) in CATALOGUE.items() if code in SCHEMA_CODES
                                        and n not in NOT_SCHEMA))
def test_every_schema_expressible_defect_fails_the_schema(validator, name):
    assert list(validator.iter_errors(document(DATA / f"{name}.yaml")))


def test_every_defect_fixture_is_either_schema_checked_or_explained():
    schema_checked = {n for n, (code, *_) in CATALOGUE.items() if code in SCHEMA_CODES} - set(NOT_SCHEMA)
    assert len(schema_checked) >= 15 and set(NOT_SCHEMA) <= set(CATALOGUE)
    assert schema_checked | set(NOT_SCHEMA) == set(CATALOGUE)


def test_events_yaml_points_editors_at_the_schema():
    first = (ROOT / "events.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema/events.schema.json"
    assert (ROOT / first.split("=", 1)[1]).exists()
