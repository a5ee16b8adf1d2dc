"""Spanish mode on every page: no English string from the catalogues anywhere on screen (labels,
options, markdown, tables, charts, sidebar), in normal and presentation mode. Strings identical in
both languages, or used as Spanish elsewhere, do not count. Pages added later are covered too:
the test runs every page in atlas.app.navigation.PAGES."""

from __future__ import annotations

import html
import re

import pytest

from atlas.app.navigation import PAGES
from atlas.present.i18n import catalogue
from tests.test_presentation import DEEP_PARAMS, element_texts, page_id, run_page

PLACEHOLDER = re.compile(r"{\w+}")
TAG = re.compile(r"<[^>]+>|%\{[^}]*\}|\*\*|__")
# An English string is looked for inside longer texts (a headline within a paragraph) when it
# has at least this many words; shorter ones ("Schools", "High") only as a whole text, since
# school and partner names are English data ("Riverbend High School").
MIN_WORDS_INSIDE = 3
# Templated strings are looked for only with this many literal letters: "{x} of {y}" alone would
# match partner names such as "Boys & Girls Club of Riverbend".
MIN_LITERAL_LETTERS = 12


def english_patterns() -> list[tuple[str, re.Pattern, bool]]:
    """(key, pattern, search_inside) for every English message that differs from Spanish."""
    spanish = {texts["es"].strip() for texts in catalogue().values()}
    patterns = []
    for key, texts in catalogue().items():
        english = texts["en"].strip()
        if english == texts["es"].strip() or english in spanish:
            continue
        literal = PLACEHOLDER.sub("", english)
        if sum(c.isalpha() for c in literal) < (MIN_LITERAL_LETTERS if PLACEHOLDER.search(english) else 2):
            continue
        parts = [re.escape(part) for part in PLACEHOLDER.split(english)]
        regex = r".+?".join(parts)
        inside = len(literal.split()) >= MIN_WORDS_INSIDE
        patterns.append((key, re.compile(regex if inside else rf"^{regex}$"), inside))
    return patterns


def pieces(texts: list[str]) -> list[str]:
    """Texts split at tags and lines, entities decoded, whitespace normalised."""
    out = []
    for text in texts:
        for piece in re.split(r"\n|<br>|<[^>]+>", html.unescape(text)):
            piece = " ".join(TAG.sub(" ", piece).replace("#", " ").split())
            if piece:
                out.append(piece.strip(" :·*_"))
    return out


def english_found(texts: list[str]) -> list[str]:
    found = set()
    candidates = pieces(texts)
    for key, pattern, _ in english_patterns():
        for text in candidates:
            if pattern.search(text):
                found.add(f"{key}: {text[:90]!r}")
                break
    return sorted(found)


def test_the_check_finds_english():
    texts = ["<p class='atlas-headline'>Where do our partnerships leave gaps?</p>", "Escuelas", "Filters"]
    assert english_found(texts) == [
        "overview.title: 'Where do our partnerships leave gaps?'",
        "shell.filters: 'Filters'",
    ]
    assert english_found(["¿Dónde dejan vacíos nuestras alianzas?", "Riverbend High School"]) == []


@pytest.mark.parametrize("presenting", [False, True], ids=["normal", "presenting"])
@pytest.mark.parametrize("spec", PAGES, ids=page_id)
def test_spanish_page_shows_no_english_catalogue_string(spec, presenting, demo_db, monkeypatch):
    at = run_page(demo_db, monkeypatch, spec, lang="es", presenting=presenting, extra=DEEP_PARAMS.get(spec.url_path))
    assert not at.exception, [e.value for e in at.exception]
    assert english_found(element_texts(at, words_only=True)) == []
