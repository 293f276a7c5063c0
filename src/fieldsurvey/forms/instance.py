"""OpenRosa instance documents: build a session's tree from the form or a saved draft,
and write it out as the XML ODK Collect submits.
"""

from __future__ import annotations

import copy
import logging
import xml.etree.ElementTree as ET

from fieldsurvey.forms.model import FormDefinition, ItemDef
from fieldsurvey.forms.xml_chars import clean_xml_text, has_non_xml

log = logging.getLogger(__name__)


def without_templates(elem: ET.Element) -> ET.Element:
    """``elem`` with the repeat templates (``jr:template`` nodes) below it removed, in place."""
    for child in list(elem):
        if "template" in child.attrib:
            elem.remove(child)
        else:
            without_templates(child)
    return elem


def new_repeat_element(item: ItemDef) -> ET.Element:
    """A fresh instance of a repeat, from its template (nested repeats start empty)."""
    elem = copy.deepcopy(item.template) if item.template is not None else ET.Element(item.name)
    elem.attrib.pop("template", None)
    return without_templates(elem)


def merge(item: ItemDef, source: ET.Element | None) -> ET.Element:
    """An element for ``item`` laid out as the form says, with values from ``source``.

    Nodes missing from ``source`` (a draft saved by an older form version) are added
    empty; nodes the form does not know are dropped.
    """
    # Attributes are kept (an entity's dataset/create/id, which ODK Central reads)
    attrib = (
        {k: v for k, v in source.attrib.items() if k != "template"} if source is not None else {}
    )
    elem = ET.Element(item.name, attrib)
    if item.is_leaf:
        text = source.text if source is not None else None
        elem.text = text.strip() if text and text.strip() else (text or None)
        if elem.text is not None and not elem.text.strip():
            elem.text = None
        return elem
    by_name: dict[str, list[ET.Element]] = {}
    if source is not None:
        for child in source:
            if "template" in child.attrib:
                continue
            by_name.setdefault(child.tag.rsplit("}", 1)[-1], []).append(child)
    for child in item.children:
        found = by_name.get(child.name, [])
        if child.kind == "repeat":
            for instance in found:
                elem.append(merge(child, instance))
        else:
            elem.append(merge(child, found[0] if found else None))
    if (
        item.name == "meta"
        and "deprecatedID" in by_name
        and not any(c.name == "deprecatedID" for c in item.children)
    ):
        # Collect adds meta/deprecatedID to an edited submission even when the form
        # does not declare it: keep it, after instanceID.
        kept = ET.Element("deprecatedID")
        kept.text = (by_name["deprecatedID"][0].text or "").strip() or None
        names = [c.tag for c in elem]
        at = names.index("instanceID") + 1 if "instanceID" in names else len(names)
        elem.insert(at, kept)
    return elem


def initial_tree(definition: FormDefinition) -> ET.Element:
    """The primary instance a new interview starts from (static defaults included)."""
    return merge(definition.root, definition.primary_instance)


def serialize(
    root: ET.Element,
    definition: FormDefinition,
    drop: set[int],
    fill: dict[int, str] | None = None,
    blank: set[int] | None = None,
) -> str:
    """The OpenRosa instance XML.

    Elements whose ``id()`` is in ``drop`` are left out with all they contain: JavaRosa's
    XFormSerializingVisitor does not write non-relevant nodes ("don't serialize template
    nodes or non-relevant nodes"), and the ODK XForms spec says they are "removed from the
    primary instance on submission". Those in ``blank`` are emptied and those in ``fill``
    get that text (answers kept aside while not relevant, for a draft that keeps them).
    """
    changed = drop or fill or blank
    out = copy.deepcopy(root) if changed else root
    if changed:
        parents = {id(child): parent for parent in out.iter() for child in parent}
        removed = []
        for original, copied in zip(root.iter(), out.iter(), strict=True):
            if id(original) in drop:
                removed.append(copied)
            elif blank and id(original) in blank:
                copied.text = None
            elif fill and id(original) in fill:
                copied.text = fill[id(original)]
        for copied in removed:
            parent = parents.get(id(copied))
            if parent is not None and copied in list(parent):
                parent.remove(copied)
    attrs = {}
    for key in ("id", "version"):
        value = definition.root_attributes.get(key)
        if key == "id":
            value = value or definition.form_id
        if value:
            attrs[key] = value
    out.attrib.clear()
    out.attrib.update(attrs)
    text = ET.tostring(out, encoding="unicode", short_empty_elements=True)
    if has_non_xml(text):
        # set_answer cleans answers; this catches a value that came another way (a preload
        # from the settings, a calculation over one), so one value never fails the save.
        text, changed = clean_xml_text(text)
        log.warning("%d characters XML cannot hold removed from an instance", changed)
    return text
