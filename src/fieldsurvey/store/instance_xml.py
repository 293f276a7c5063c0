"""Reading and editing the few parts of an OpenRosa instance that the store needs.

An interview is the XML document ODK Collect would submit: the root element carries the
form ``id`` and ``version``; ``meta/instanceID`` names this revision and, after a
correction, ``meta/deprecatedID`` names the revision it replaces. ``meta`` may be in no
namespace or in the OpenRosa one (``orx:meta``); both are read, and new elements are
created in the namespace their siblings use.
"""

from __future__ import annotations

import re
import uuid
import xml.etree.ElementTree as ET
import xml.parsers.expat as expat
from collections.abc import Iterable
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
    """Lower-cased display name and every text of the instance, one per line, for the
    interview list's text filter.

    ``meta`` is left out: instance ids are searched through their own column.
    :func:`scan_instance` gives the same text from a string without building the tree.
    """
    texts: list[str | None] = []
    if xml is not None:
        try:
            root = parse_instance(xml) if isinstance(xml, str) else xml
        except StoreError:
            root = None
        if root is not None:
            meta = _meta(root)
            texts.append(root.text)
            for child in root:
                if child is not meta:
                    # itertext walks the subtree in C: this runs for every saved interview.
                    texts += child.itertext()
                texts.append(child.tail)
    return _search_text(display_name, texts)


def _search_text(display_name: str | None, texts: Iterable[str | None]) -> str:
    """The search text's form, whether the texts come from the tree or the scan."""
    parts = [display_name] if display_name else []
    parts += [t for text in texts if text and (t := text.strip())]
    return "\n".join(parts).casefold()


_TAG_END = frozenset(" \t\n/>")
_PREFIX = re.compile(r"[^\s<>/:!?=\"'&]+")
_TEXT = re.compile(r">([^<]+)<")
_REFERENCE = re.compile(r"&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);")
_PREDEFINED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"', "apos": "'"}


def _unescape(text: str) -> str:
    """``text`` with XML's references replaced (expat has checked that they are valid)."""
    if "&" not in text:
        return text

    def one(match: re.Match) -> str:
        ref = match.group(1)
        if ref[0] != "#":
            return _PREDEFINED[ref]
        return chr(int(ref[2:], 16) if ref[1] == "x" else int(ref[1:]))

    return _REFERENCE.sub(one, text)


def _start_tag(xml: str, name: str, begin: int = 0, end: int | None = None) -> int | None:
    """Where the one start tag whose local name is ``name`` begins in ``xml[begin:end]``;
    -1 for none; None when there are several."""
    found = -1
    end = len(xml) if end is None else end
    at = xml.find(name, begin, end)
    while at != -1:
        lt = xml.rfind("<", begin, at)
        prefix = xml[lt + 1 : at]
        if (lt != -1 and xml[at + len(name) : at + len(name) + 1] in _TAG_END
                and (not prefix or (prefix[-1] == ":" and _PREFIX.fullmatch(prefix[:-1])))):
            if found != -1:
                return None
            found = lt
        at = xml.find(name, at + len(name), end)
    return found


def _depth(xml: str, begin: int, end: int) -> int:
    """Elements opened and not closed in ``xml[begin:end]`` (tags only, see _scan)."""
    return (xml.count("<", begin, end) - 2 * xml.count("</", begin, end)
            - xml.count("/>", begin, end))


def _element_end(xml: str, start: int) -> tuple[int, int]:
    """Where the start tag at ``start`` ends and where its element ends (just after)."""
    tag_end = xml.index(">", start) + 1
    if xml[tag_end - 2] == "/":
        return tag_end, tag_end
    name_end = start + 1
    while xml[name_end] not in _TAG_END:
        name_end += 1
    closing = "</" + xml[start + 1 : name_end]
    close = xml.index(closing, tag_end)
    while xml[close + len(closing)] not in " \t\n>":  # </metadata> is not </meta>
        close = xml.index(closing, close + 1)
    return tag_end, xml.index(">", close) + 1


class _Unusual(Exception):
    """A construct the scan leaves to the tree (see :func:`_scan`)."""


def _unusual(*_args) -> None:
    raise _Unusual


def _check(xml: str) -> bool:
    """True when ``xml`` is well formed and has none of what :func:`_scan` cannot read.

    Expat calls these handlers only when the document has such a construct, so they cost
    nothing on an ordinary instance (handlers for every element would double the time).
    """
    parser = expat.ParserCreate(namespace_separator="}")  # as ElementTree's
    parser.CommentHandler = parser.ProcessingInstructionHandler = _unusual
    parser.StartCdataSectionHandler = parser.StartDoctypeDeclHandler = _unusual
    try:
        parser.Parse(xml, True)
    except (expat.ExpatError, _Unusual):
        return False  # the tree reads it, or raises the parser's error
    return True


def _scan(xml: str) -> tuple[str | None, list[str]] | None:
    """See :func:`scan_instance`; None when the tree must decide.

    Only for documents whose every ``<`` begins a tag and every ``>`` ends one (no
    comments, CDATA, processing instructions or DTD; ``>`` escaped in texts and
    attributes, as ElementTree writes them) and that expat finds well formed: in those,
    the texts are exactly what lies between tags, and tags can be counted.
    """
    if "\r" in xml or xml.count("<") != xml.count(">") or not _check(xml):
        return None
    start = _start_tag(xml, "meta")
    if start is None:
        return None
    if start == -1:
        return None, _TEXT.findall(xml)
    tag_end, end = _element_end(xml, start)
    rest = xml[end:].rstrip()
    if rest.startswith("</") and rest.count("<") == 1:
        # The root's end tag follows: meta is the root's last child (pyxform puts it there).
        after = []
    else:
        declaration = 1 if xml.startswith("<?") else 0
        if _depth(xml, 0, start) - declaration != 1:  # this meta is not the root's child
            return None
        after = _TEXT.findall(xml, end - 1)
    instance_id = None
    child = _start_tag(xml, "instanceID", tag_end, end)
    if child is None:
        return None
    if child != -1:
        if _depth(xml, tag_end, child) != 0:  # not a child of meta
            return None
        child_end = xml.index(">", child) + 1
        if xml[child_end - 2] != "/":
            instance_id = _unescape(xml[child_end : xml.index("<", child_end)]).strip() or None
    return instance_id, _TEXT.findall(xml, 0, start + 1) + after


def scan_instance(xml: str, display_name: str | None = "") -> tuple[str | None, str]:
    """``meta/instanceID`` and :func:`search_text_of` of an instance, without building
    its tree (a merge checks every interview this way; about twice as fast).

    StoreError when the text is not XML, exactly as :func:`parse_instance`. Documents
    with a DTD, comments, CDATA or processing instructions, unescaped ``>``, several
    elements named ``meta`` or ``instanceID``, or a ``meta`` that is not the root's child
    are read through the tree.
    """
    scanned = _scan(xml)
    if scanned is None:
        root = parse_instance(xml)
        return read_meta(root).instance_id, search_text_of(root, display_name)
    instance_id, texts = scanned
    if "&" in xml:
        texts = [_unescape(text) for text in texts]
    return instance_id, _search_text(display_name, texts)
