"""The interface text catalogue (timeline/text.yaml): complete in every language, the same
placeholders everywhere, and no language branches left in the code."""
import re
import string
from pathlib import Path

import pytest

from timeline import text
from timeline.text import UI_LANGS, catalogue, field_text, join, t

ROOT = Path(__file__).resolve().parent.parent


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_key_has_every_language_with_the_same_placeholders():
    entries = catalogue()
    assert len(entries) > 150  # guards against checking nothing
    missing = [(key, lang) for key, entry in entries.items() for lang in UI_LANGS if not entry.get(lang)]
    assert missing == []
    # date formats take the same values everywhere (year, month number, English month name, day)
    # and each language uses the ones it writes
    differ = [key for key, entry in entries.items() if not key.startswith("date.")
              and len({frozenset(placeholders(entry[lang])) for lang in UI_LANGS}) != 1]
    assert differ == []
    date_values = {"y", "m", "d", "d2", "mon", "text"}
    assert all(placeholders(entry[lang]) <= date_values for key, entry in entries.items() if key.startswith("date.")
               for lang in UI_LANGS)


def test_t_fills_values_and_falls_back_to_english(monkeypatch):
    assert t("app.counter", "ja", shown=1234, total=10000) == "全10,000件中1,234件を表示"
    assert t("app.counter", "ko", shown=2, total=3) == "전체 3건 중 2건 표시"
    assert t("app.counter", "fr", shown=2, total=3) == "Showing 2 of 3 events"  # unknown language: English
    monkeypatch.setitem(catalogue(), "test.only_en", {"en": "only {x}"})
    assert t("test.only_en", "ja", x=1) == "only 1"


def test_field_text_falls_back_in_a_fixed_order():
    row = {"title_en": "Summit", "title_ja": "首脳会談", "title_ko": ""}
    assert field_text(row, "title", "ko") == "Summit"
    assert field_text(row, "title", "ja") == "首脳会談"
    assert field_text({"title_en": "", "title_ja": "首脳会談"}, "title", "en") == "首脳会談"
    assert join(["韓国", "北朝鮮"], "ja") == "韓国・北朝鮮"
    assert join(["日韓関係", "北朝鮮の軍事"], "ja", "theme") == "日韓関係、北朝鮮の軍事"


@pytest.mark.parametrize("path", sorted(p for p in (ROOT / "timeline").rglob("*.py") if p.name != "text.py"))
def test_no_language_branches_outside_the_catalogue(path):
    """Interface text is chosen by key, not by `if lang == "ja"` in the code."""
    source = path.read_text(encoding="utf-8")
    branches = re.findall(r"""lang\s*[!=]=\s*["'](?:ja|ko)["']|["'](?:ja|ko)["']\s*[!=]=\s*lang""", source)
    assert branches == [], f"{path.relative_to(ROOT)}: put the text in timeline/text.yaml and use t()"
    assert text.TEXT_PATH.is_file()
