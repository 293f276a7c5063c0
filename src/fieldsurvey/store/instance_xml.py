"""Reading and editing the few parts of an OpenRosa instance that the store needs.

An interview is the XML document ODK Collect would submit: the root element carries the
form ``id`` and ``version``; ``meta/instanceID`` names this revision and, after a
correction, ``meta/deprecatedID`` names the revision it replaces. ``meta`` may be in no
namespace or in the OpenRosa one (``orx:meta``); both are read, and new elements are
created in the namespace their siblings use.
"""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from io import StringIO

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n.core import N_
from fieldsurvey.safe_xml import parse_untrusted

OPENROSA_NS = "http://openrosa.org/xforms"


@dataclass(frozen=True)
class InstanceMeta:
    """What the store reads from an instance."""

    root_name: str
    form_id: str | None
    version: str | None
    instance_id: str | None
    deprecated_id: str | None
    instance_name: str | None


def new_instance_id() -> str:
    """A fresh ``uuid:…`` instanceID, as ODK Collect makes them."""
    return f"uuid:{uuid.uuid4()}"


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _ns(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def parse_instance(xml: str) -> ET.Element:
    """The root element of an instance; StoreError when the text is not XML.

    Parsed by :func:`fieldsurvey.safe_xml.parse_untrusted`: fast without a DTD,
    defusedxml's refusals with one.
    """
    try:
        return parse_untrusted(xml)
    except (ET.ParseError, ValueError) as exc:
        raise StoreError(
            N_("The interview data is not valid XML."), code="bad_instance", detail=str(exc)
        ) from exc
    except Exception as exc:  # defusedxml refuses entities and DTDs with its own errors
        raise StoreError(
            N_("The interview data is not valid XML."), code="bad_instance", detail=str(exc)
        ) from exc


def _meta(root: ET.Element) -> ET.Element | None:
    # find() runs in C; the loop is for meta in another namespace (rare).
    found = root.find("meta")
    if found is None:
        found = root.find(f"{{{OPENROSA_NS}}}meta")
    if found is not None:
        return found
    for child in root:
        tag = child.tag  # compared without splitting: this runs for every child
        if tag == "meta" or (tag.endswith("}meta") and tag.startswith("{")):
            return child
    return None


def _child(parent: ET.Element | None, name: str) -> ET.Element | None:
    if parent is None:
        return None
    for child in parent:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None) -> str | None:
    if element is None:
        return None
    text = (element.text or "").strip()
    return text or None


def read_meta(xml: str | ET.Element) -> InstanceMeta:
    """The form id, version, instanceID, deprecatedID and instanceName of an instance."""
    root = parse_instance(xml) if isinstance(xml, str) else xml
    meta = _meta(root)
    return InstanceMeta(
        root_name=_local(root.tag),
        form_id=root.get("id"),
        version=root.get("version"),
        instance_id=_text(_child(meta, "instanceID")),
        deprecated_id=_text(_child(meta, "deprecatedID")),
        instance_name=_text(_child(meta, "instanceName")),
    )


def _namespaces(xml: str) -> dict[str, str]:
    """Prefix -> URI of every namespace declared in the document."""
    found: dict[str, str] = {}
    for _event, (prefix, uri) in ET.iterparse(StringIO(xml), events=("start-ns",)):
        found.setdefault(prefix, uri)
    return found


def _serialize(root: ET.Element, original: str) -> str:
    """Write the tree back, keeping the prefixes the original document used."""
    namespaces = _namespaces(original)
    default_ns = namespaces.pop("", None)
    for prefix, uri in namespaces.items():
        if not prefix.startswith("ns"):  # ElementTree reserves ns0, ns1...
            ET.register_namespace(prefix, uri)
    return ET.tostring(root, encoding="unicode", default_namespace=default_ns)


def _ensure_meta(root: ET.Element) -> ET.Element:
    meta = _meta(root)
    if meta is None:
        ns = _ns(root.tag)
        meta = ET.SubElement(root, f"{{{ns}}}meta" if ns else "meta")
    return meta


def _ensure_child(meta: ET.Element, name: str, *, after: str | None = None) -> ET.Element:
    element = _child(meta, name)
    if element is not None:
        return element
    sibling = _child(meta, after) if after else None
    ns = _ns(sibling.tag) if sibling is not None else _ns(meta.tag)
    element = ET.Element(f"{{{ns}}}{name}" if ns else name)
    if sibling is not None:
        meta.insert(list(meta).index(sibling) + 1, element)
    else:
        meta.insert(0, element) if name == "instanceID" else meta.append(element)
    return element


def with_instance_id(xml: str, instance_id: str) -> str:
    """The instance with ``meta/instanceID`` set (``meta`` created when missing)."""
    root = parse_instance(xml)
    _ensure_child(_ensure_meta(root), "instanceID").text = instance_id
    return _serialize(root, xml)


def reopened(xml: str, new_id: str | None = None) -> tuple[str, str, str]:
    """An instance prepared for correction, as ODK does it.

    The current ``meta/instanceID`` moves to ``meta/deprecatedID`` (created when
    missing) and a new instanceID is set. Returns ``(xml, new_id, old_id)``.
    """
    root = parse_instance(xml)
    meta = _ensure_meta(root)
    id_element = _ensure_child(meta, "instanceID")
    old_id = _text(id_element)
    if not old_id:
        raise StoreError(
            N_("The interview has no meta/instanceID and cannot be corrected."),
            code="bad_instance",
        )
    new_id = new_id or new_instance_id()
    id_element.text = new_id
    _ensure_child(meta, "deprecatedID", after="instanceID").text = old_id
    return _serialize(root, xml), new_id, old_id


def search_text_of(xml: str | ET.Element | None, display_name: str | None = "") -> str:
    """Lower-cased answers and display name, one per line, for the text filter.

    ``meta`` is left out: instance ids are searched through their own column.
    """
    parts = [display_name] if display_name else []
    if xml is not None:
        try:
            root = parse_instance(xml) if isinstance(xml, str) else xml
        except StoreError:
            root = None
        if root is not None:
            meta = _meta(root)
            # One comprehension, itertext walking each subtree in C: this runs for every
            # interview of a merge.
            parts += [t for child in root if child is not meta
                      for text in child.itertext() if (t := text.strip())]
    return "\n".join(parts).casefold()
