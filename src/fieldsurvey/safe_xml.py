"""Untrusted XML (forms, instances from other laptops), parsed safely and fast.

A document without a DTD cannot declare entities or reach external resources, so there
is nothing for defusedxml to defuse and ElementTree's C parser reads it several times
faster (autosave and merges parse every instance; large forms have 100,000s of
elements). Anything with a ``<!DOCTYPE`` goes through defusedxml, which refuses entity
tricks. Callers turn the parser's exceptions into their own errors.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml import ElementTree as SafeET

_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([\w.\-]+)["']""")
_PLAIN_ENCODINGS = (b"utf-8", b"utf8", b"us-ascii", b"ascii")


def _has_doctype(data, marker, doctype) -> bool:
    start = data.find(marker)
    while start != -1:
        if data[start + 2 : start + 12].lstrip()[:7].upper() == doctype:
            return True
        start = data.find(marker, start + 2)
    return False


def surely_without_dtd(text: str | bytes) -> bool:
    """True when ``text`` surely has no DOCTYPE, so no entity can be declared in it.

    Bytes in an encoding other than UTF-8/ASCII answer False (they take the defusedxml
    path), since the marker could not be searched for reliably in them.
    """
    if isinstance(text, str):
        return not _has_doctype(text, "<!", "DOCTYPE")
    data = bytes(text)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False
    declared = _DECLARED_ENCODING.match(data.lstrip(b"\xef\xbb\xbf")[:200])
    if declared and declared.group(1).lower() not in _PLAIN_ENCODINGS:
        return False
    return not _has_doctype(data, b"<!", b"DOCTYPE")


def parse_untrusted(text: str | bytes) -> ET.Element:
    """The root element of ``text``.

    Raises ``xml.etree.ElementTree.ParseError`` for text that is not well-formed, and
    defusedxml's ``DefusedXmlException`` subclasses for forbidden constructs (entities,
    external references).
    """
    if surely_without_dtd(text):
        return ET.fromstring(text)
    return SafeET.fromstring(text)
