"""Message catalogues: every key in both languages, every literal key used in code exists,
and numbers and dates are formatted for the language."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from atlas.present.i18n import (
    LANGUAGES,
    catalogue,
    fill_each,
    format_date,
    format_number,
    format_percent,
    number_texts,
    translate,
)

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\b(?:t|translate)\(\s*["']([a-z_]+\.[a-z0-9_]+)["']""")


def test_every_message_exists_in_every_language():
    missing = [(key, lang) for key, texts in catalogue().items() for lang in LANGUAGES if not texts.get(lang)]
    assert missing == []


def test_placeholders_match_between_languages():
    def names(text):
        return sorted(re.findall(r"{(\w+)}", text))

    mismatched = [key for key, texts in catalogue().items() if names(texts["en"]) != names(texts["es"])]
    assert mismatched == []


def test_every_key_used_in_code_exists():
    sources = [*ROOT.glob("atlas/**/*.py"), *ROOT.glob("pages/*.py"), ROOT / "app.py"]
    used = {key for path in sources for key in KEY_USE.findall(path.read_text(encoding="utf-8"))}
    assert used, "the scan found no keys: the pattern is wrong"
    assert sorted(used - catalogue().keys()) == []


def test_spanish_formats():
    assert translate("overview.x_of_y", "es", x=4, y=11) == "4 de 11"
    assert format_percent(45.4, "es") == "45\u00a0%"
    assert format_percent(45.4, "en") == "45%"
    assert format_number(1234.5, "es", 1) == "1,234.5"  # US Spanish (es-US) groups like US English
    assert format_date(date(2026, 11, 22), "es") == "22 de noviembre de 2026"
    assert format_date(date(2026, 11, 22), "en") == "November 22, 2026"
    assert format_percent(None, "en") == "not reported"  # a missing value is said in words
    assert format_number(pd.NA, "es") == "sin dato"  # pandas' NA (a nullable INTEGER) too
    assert format_date(pd.NaT, "en") == "not reported"


def test_fill_each_fills_a_message_for_every_row_as_str_format_does():
    names = pd.Series(["Ana", "Luis", "Mía"])
    counts = number_texts(pd.Series([1, 1234, 56]), "es")
    template = translate("plan.why_runs_many", "es")
    filled = fill_each(template, partner=names, strategy="3 · Datos", count=counts).to_pylist()
    rows = zip(names, counts.to_pylist(), strict=True)
    expected = [template.format(partner=name, strategy="3 · Datos", count=count) for name, count in rows]
    assert filled == expected
    assert filled[1] == "Luis ya realiza la Estrategia 3 · Datos en 1,234 escuelas"
    with pytest.raises(ValueError, match="plain"):
        fill_each("{n:.1f} miles", n=names)
