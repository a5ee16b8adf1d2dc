"""Untrusted text (names, notes and labels from the data, values from a link) made safe for the
place it is shown, so that it is always read as the text it is, never as markup.

Three places interpret text:
- Streamlit's Markdown (st.markdown, caption, info, warning, title, metric values, widget labels
  and help): CommonMark with GitHub's extensions (links, images, bare URLs, tables), KaTeX between
  `$`, raw HTML when allowed, `:color[…]` directives, and `:emoji:` / `:material/icon:` shortcodes.
  `markdown()` backslash-escapes every ASCII punctuation character that can start markup (CommonMark
  reads an escaped one as itself) and a list marker at the start. Shortcodes and bare links
  (`http://…`, `www.…`) are found in the text after parsing, where a backslash is gone: a word
  joiner (U+2060, invisible) after the first colon and after `http`/`https`/`www` breaks them.
  An e-mail address stays a `mailto:` link (it opens the reader's mail program, requests nothing,
  and a contact's address must copy cleanly). Letters, digits, `-`, `.`, `,`, `'`, `(`, `)` and `@`
  stay as they are, so names read the same in the page's source.
- HTML written into Markdown with unsafe_allow_html (the headline paragraph): Markdown is not parsed
  inside an HTML block that has no blank line, and Streamlit rewrites `:material/` in the source
  before parsing; `html()` writes `&`, `<`, `>`, quotes and every character `markdown()` escapes
  as a numeric character reference, so the source holds no markup of either kind.
- Plotly (titles, subtitles, annotations, hover text and templates, tick labels): a subset of HTML
  (`<a href>`, `<b>`, `<br>`, `<span style>`…) and `%{…}` in hover
  templates. `plotly()` escapes `&`, `<`, `>` and writes `%` as `&#37;`, which Plotly shows as `%`
  after it has filled a template, so data can never name a template variable.

Every function first turns line breaks and other control characters into spaces: a name is one
line, and a line break would let it start a Markdown block or end an HTML one.
"""

from __future__ import annotations

import html as _html
import re

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
# Those that can start or end Markdown markup; '(' and '!' matter only next to '[', which is escaped.
_MARKUP = re.compile(r"[\\`*_{}\[\]<>#|~$&:]")
_HTML = re.compile(r"[\\`*_{}\[\]()<>#+!|~$&:@^=\"']")  # and the quotes that end an HTML attribute
_LIST_MARKER = re.compile(r"^(\s*)([-+]|[0-9]+[.)])(?=\s|$)")  # '- x', '1. x' at the start make a list
# Found in the parsed text (GitHub's bare links; `:smile:` and `:material/home:`): a word joiner goes
# where each match of these patterns ends.
_FOUND_AFTER_PARSING = re.compile(r"(?i)(?:\bhttps?(?=:)|\bwww(?=\.)|:(?=[\w+/-]+:))")
_WORD_JOINER = "\u2060"


def one_line(text) -> str:
    """text as a string with control characters (line breaks, tabs, NUL) turned into spaces."""
    return _CONTROL.sub(" ", str(text))


def markdown(text) -> str:
    """text to show inside Streamlit Markdown exactly as written."""
    text = _FOUND_AFTER_PARSING.sub(lambda found: found.group() + _WORD_JOINER, one_line(text))
    text = _MARKUP.sub(lambda found: "\\" + found.group(), text)
    return _LIST_MARKER.sub(lambda found: found.group(1) + found.group(2)[:-1] + "\\" + found.group(2)[-1], text)


def html(text) -> str:
    """text to put inside an HTML element written into Streamlit Markdown (unsafe_allow_html)."""
    text = _FOUND_AFTER_PARSING.sub(lambda found: found.group() + _WORD_JOINER, one_line(text))
    return _HTML.sub(lambda found: f"&#{ord(found.group())};", text)


def plotly(text) -> str:
    """text to put in a Plotly title, annotation, hover text or template, or tick label."""
    return _html.escape(one_line(text), quote=False).replace("%", "&#37;")


def plotly_each(texts) -> list[str]:
    """plotly() for each text of a column (each distinct text escaped once)."""
    texts = list(texts)
    escaped = {text: plotly(text) for text in set(texts)}
    return [escaped[text] for text in texts]
