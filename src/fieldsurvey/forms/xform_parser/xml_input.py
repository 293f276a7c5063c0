"""Untrusted XML in: safe parsing, namespaces, local names."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from defusedxml.common import DefusedXmlException

from fieldsurvey.errors import FormError
from fieldsurvey.gc_pause import paused_gc  # noqa: F401 - part of this module's API
from fieldsurvey.i18n import N_
from fieldsurvey.safe_xml import parse_untrusted

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


def parse_xml(text: str | bytes, *, what: str = "XForm") -> ET.Element:
    """Parse untrusted XML safely (defusedxml rules: no entities); failure is a FormError."""
    try:
        return parse_untrusted(text)
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
