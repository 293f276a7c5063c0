"""Untrusted XML in: safe parsing, namespaces, local names."""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from fieldsurvey.errors import FormError
from fieldsurvey.i18n import N_

XF = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
ODK = "http://www.opendatakit.org/xforms"
ORX = "http://openrosa.org/xforms"
_PREFIXES = {XF: "", H: "h:", JR: "jr:", ODK: "odk:", ORX: "orx:"}


def local(tag: str) -> str:
    """The local name of a tag: ``{http://www.w3.org/2002/xforms}bind`` gives ``bind``."""
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def qualified(name: str) -> str:
    """The prefixed name of a namespaced name: ``{http://openrosa.org/javarosa}preload``
    gives ``jr:preload``."""
    if name.startswith("{"):
        ns, _, rest = name[1:].partition("}")
        return _PREFIXES.get(ns, "") + rest
    return name


def qualified_attrs(elem: ET.Element) -> dict[str, str]:
    """The attributes of ``elem`` with prefixed names (see :func:`qualified`)."""
    return {qualified(k): v for k, v in elem.attrib.items()}


_DECLARED_ENCODING = re.compile(rb"""^<\?xml[^>]*encoding\s*=\s*["']([\w.\-]+)["']""")


def _has_doctype(data, marker, doctype) -> bool:
    start = data.find(marker)
    while start != -1:
        if data[start + 2 : start + 12].lstrip()[:7].upper() == doctype:
            return True
        start = data.find(marker, start + 2)
    return False


def _without_dtd(text: str | bytes) -> bool:
    """True when ``text`` surely has no DOCTYPE, so no entity can be declared in it.

    Without a DTD there is nothing for defusedxml to defuse (no entity declarations, no
    external references), and the C parser reads a large form several times faster.
    Bytes in an encoding other than UTF-8/ASCII take the defusedxml path.
    """
    if isinstance(text, str):
        return not _has_doctype(text, "<!", "DOCTYPE")
    data = bytes(text)
    if data[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in data[:4]:
        return False
    declared = _DECLARED_ENCODING.match(data.lstrip(b"\xef\xbb\xbf")[:200])
    if declared and declared.group(1).lower() not in (b"utf-8", b"utf8", b"us-ascii", b"ascii"):
        return False
    return not _has_doctype(data, b"<!", b"DOCTYPE")


def parse_xml(text: str | bytes, *, what: str = "XForm") -> ET.Element:
    """Parse untrusted XML safely (defusedxml rules: no entities); failure is a FormError."""
    try:
        if _without_dtd(text):
            return ET.fromstring(text)
        return SafeET.fromstring(text)
    except DefusedXmlException as exc:
        raise FormError(
            N_("The {what} contains forbidden XML constructs (entities or DTD)."),
            code="form.unsafe_xml",
            params={"what": what},
            detail=str(exc),
        ) from None
    except ET.ParseError as exc:
        raise FormError(
            N_("The {what} is not well-formed XML."),
            code="form.bad_xml",
            params={"what": what},
            detail=str(exc),
        ) from None


def localize(elem: ET.Element) -> ET.Element:
    """A copy of ``elem`` with local names only, for the expression layer."""
    copy = ET.Element(local(elem.tag), {local(k): v for k, v in elem.attrib.items()})
    copy.text = elem.text
    for child in elem:
        c = localize(child)
        c.tail = None
        copy.append(c)
    return copy


def strip_namespaces(elem: ET.Element) -> ET.Element:
    """Give ``elem`` and its descendants local names, in place (large choice lists:
    renaming is several times faster than copying)."""
    names: dict[str, str] = {}  # one string per tag, not one per element
    for el in elem.iter():
        tag = el.tag
        new = names.get(tag)
        if new is None:
            new = names[tag] = tag[tag.index("}") + 1 :] if tag[0] == "{" else tag
        el.tag = new
        if el.tail is not None:
            el.tail = None
        if el.keys():  # reading .attrib would create a dict for every element
            el.attrib = {local(k): v for k, v in el.attrib.items()}
    return elem


def norm_path(text: str) -> str:
    """A path without the spaces an XForm may put in it."""
    return re.sub(r"\s+", "", text)


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large form's objects are created.

    Parsing allocates hundreds of thousands of elements that all stay alive; each
    collection would walk them again, which made loading several times slower in an
    application that already holds many objects. Reference counting still frees memory.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
