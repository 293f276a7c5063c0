"""Text that an XML 1.0 document can hold.

An OpenRosa instance is XML 1.0, whose ``Char`` production allows tab, line feed, carriage
return and the code points from U+0020 on, except the surrogates (U+D800–U+DFFF) and
U+FFFE/U+FFFF. Text pasted from Word or e-mail brings others: vertical tab (Word's manual
line break), form feed (a page break), ESC, NUL. One such character in one answer made every
later save of the interview fail, so each door that takes text cleans it here.
"""

from __future__ import annotations

import re

# Everything outside XML 1.0's Char production (https://www.w3.org/TR/xml/#charsets).
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

# Word writes a line break inside a paragraph as a vertical tab and a page break as a form
# feed: both are kept as what the author meant, a new line.
_AS_LINE_BREAK = frozenset("\x0b\x0c")


def has_non_xml(text: str) -> bool:
    """Whether ``text`` holds a character that XML 1.0 cannot."""
    return _NOT_XML.search(text) is not None


def clean_xml_text(text: str, *, line_break: str = "\n") -> tuple[str, int]:
    """``text`` with what XML 1.0 cannot hold removed, and how many characters were changed.

    Vertical tab and form feed become ``line_break`` (a space suits a one-line answer);
    every other such character is dropped.
    """
    changed = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal changed
        changed += 1
        return line_break if match.group() in _AS_LINE_BREAK else ""

    if _NOT_XML.search(text) is None:
        return text, 0
    return _NOT_XML.sub(replace, text), changed
