"""atlas.present.escape: untrusted text comes out of each escaper with nothing left that its renderer
would read as markup (checked on the characters, and end to end in tests/test_untrusted_text.py)."""

from __future__ import annotations

import re

from atlas.present import escape

NASTY = (
    '**b** $x^2$ [l](http://x.example) ![i](http://203.0.113.9/x.png) <a href="http://evil.example">a</a>'
    " <img src=http://203.0.113.9/y.png> :red[r] :smile: :material/home: www.evil.example a@b.example"
    " `c` ~~s~~ %{customdata[0]} &amp;\nline\r\x00end"
)


def unescaped(text: str, chars: str) -> list[str]:
    """The characters of chars that appear in text without a backslash before them."""
    return re.findall(r"(?<!\\)[" + re.escape(chars) + "]", text)


def test_markdown_leaves_no_markup_character_unescaped():
    out = escape.markdown(NASTY)
    assert not unescaped(out, "*_$[]<>:`~&")
    assert "\n" not in out and "\r" not in out and "\x00" not in out
    # Found after parsing, where backslashes are gone: broken by a word joiner instead.
    for joined in ("www\u2060.", "http\u2060\\:", ":\u2060smile", ":\u2060material"):
        assert joined in out


def test_markdown_keeps_ordinary_names_readable():
    assert escape.markdown("RB-E01 St. Mary's, K-5 (2025-26) a@b.org") == "RB-E01 St. Mary's, K-5 (2025-26) a@b.org"
    assert escape.markdown("- dash") == "\\- dash" and escape.markdown("12. twelve") == "12\\. twelve"


def test_html_and_plotly_leave_no_tag_and_no_template():
    for out in (escape.html(NASTY), escape.plotly(NASTY)):
        assert "<" not in out and ">" not in out and "\n" not in out
        assert not re.search(r"&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);)", out)  # every & starts an entity
    assert "%" not in escape.plotly(NASTY)  # no %{…} a hover template would fill
    assert ":" not in escape.html(NASTY)
