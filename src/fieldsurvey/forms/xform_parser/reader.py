"""The XForm reader: the model, the items it defines, and the cached entry point."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from fieldsurvey.errors import FormError
from fieldsurvey.forms.instance import without_templates
from fieldsurvey.forms.model import FormDefinition, ItemDef, TextTemplate, Trigger
from fieldsurvey.forms.xform_parser.binds import Binds
from fieldsurvey.forms.xform_parser.body import Body
from fieldsurvey.forms.xform_parser.itemsets import Itemsets
from fieldsurvey.forms.xform_parser.texts import Texts
from fieldsurvey.forms.xform_parser.xml_input import (
    JR,
    XF,
    H,
    local,
    localize,
    norm_path,
    parse_xml,
    paused_gc,
    qualified,
    qualified_attrs,
    strip_namespaces,
)
from fieldsurvey.i18n import N_


class XFormReader(Texts, Body, Binds, Itemsets):
    """One XForm read into a FormDefinition (see :func:`parse_xform`)."""

    def __init__(self, text: str, attachments_dir: Path | None) -> None:
        self.text = text
        self.attachments_dir = attachments_dir
        self.xml = parse_xml(text)
        self.binds: dict[str, dict[str, str]] = {}
        self.body_info: dict[str, dict] = {}
        self.repeat_paths: set[str] = set()
        self.itext: dict[str, dict[str, dict[str, TextTemplate]]] = {}
        self.default_language: str | None = None
        self.instances: dict[str, ET.Element] = {}
        self.external: dict[str, str] = {}
        self.client_instances: dict[str, str] = {}
        self.triggers: list[Trigger] = []
        self.first_load: dict[str, str] = {}
        self.device_actions: dict[str, set[str]] = {}
        self.new_repeat: dict[str, str] = {}

    def fail(self, message: str, **params) -> FormError:
        """A FormError about this XForm (``message`` marked with N_)."""
        return FormError(message, code="form.xform", params=params)

    def run(self) -> FormDefinition:
        """Read the whole XForm into a FormDefinition; raises FormError when it cannot."""
        if local(self.xml.tag) != "html":
            raise self.fail(
                N_("This file is not an XForm (its root element is {tag})."),
                tag=local(self.xml.tag),
            )
        head = self.xml.find(f"{{{H}}}head")
        model = head.find(f"{{{XF}}}model") if head is not None else None
        if model is None:
            raise self.fail(N_("The XForm has no model."))
        title = (head.findtext(f"{{{H}}}title") or "").strip()
        primary = None
        submission = None
        for child in model:
            tag = local(child.tag)
            if tag == "instance":
                iid = child.get("id")
                if primary is None and not iid:
                    primary = next(iter(child), None)
                elif iid:
                    src = child.get("src")
                    if src and src.startswith("jr://instance/"):
                        # provided by the client (last-saved): never a file
                        self.client_instances[iid] = src[len("jr://instance/") :]
                    elif src:
                        self.external[iid] = src.rsplit("/", 1)[-1]
                    else:
                        inner = next(iter(child), None)
                        # renamed in place: copying a 50,000-item list costs seconds
                        self.instances[iid] = (
                            strip_namespaces(inner) if inner is not None else ET.Element("root")
                        )
            elif tag == "itext":
                self._read_itext(child)
            elif tag == "bind":
                nodeset = child.get("nodeset") or child.get("ref")
                if nodeset:
                    self.binds[norm_path(nodeset)] = qualified_attrs(child)
            elif tag == "setvalue":
                self._read_setvalue(child, source=None)
            elif tag in ("setgeopoint", "recordaudio"):
                self._read_device_action(child, tag)
            elif tag == "submission":
                submission = child
        if primary is None:
            raise self.fail(N_("The XForm has no primary instance."))
        body = self.xml.find(f"{{{H}}}body")
        if body is not None:
            self._read_body(body, context="")
        root_name = local(primary.tag)
        attrs = {qualified(k): v for k, v in primary.attrib.items()}
        form_id = attrs.get("id") or root_name
        self.order = 0
        root_item = self._build(primary, f"/{root_name}", None)
        self._attach_static(root_item)
        languages = [lang for lang in self.itext]
        instance_name = self.binds.get(f"/{root_name}/meta/instanceName", {}).get("calculate")
        definition = FormDefinition(
            form_id=form_id,
            version=attrs.get("version"),
            title=title or form_id,
            root_name=root_name,
            languages=languages,
            default_language=self.default_language or (languages[0] if languages else None),
            instance_name=instance_name,
            root=root_item,
            xform=self.text,
            instances=self.instances,
            external_instances=self.external,
            client_instances=self.client_instances,
            attribute_defaults=[
                (target.rsplit("/@", 1)[0], target.rsplit("/@", 1)[1], value)
                for target, value in self.first_load.items()
                if "/@" in target
            ],
            itext=self.itext,
            triggers=self.triggers,
            root_attributes=attrs,
            primary_instance=without_templates(localize(primary)),
            attachments_dir=self.attachments_dir,
            submission_url=submission.get("action") if submission is not None else None,
            public_key=submission.get("base64RsaPublicKey") if submission is not None else None,
        )
        return definition

    # -- items -------------------------------------------------------------------------
    def _build(self, elem: ET.Element, path: str, parent: ItemDef | None) -> ItemDef:
        name = local(elem.tag)
        children = list(elem)
        bind = self.binds.get(path, {})
        info = self.body_info.get(path, {})
        is_repeat = path in self.repeat_paths
        item = ItemDef(path=path, name=name, kind="question", parent=parent, order=self.order)
        self.order += 1
        if children or is_repeat or info.get("control") == "group" or parent is None:
            item.kind = "repeat" if is_repeat else "group"
            item.type = "repeat" if is_repeat else "group"
            item.datatype = ""
            item.repeat_count = info.get("count")
            seen: dict[str, ET.Element] = {}
            counts: dict[str, int] = {}
            for child in children:
                cname = local(child.tag)
                counts.setdefault(cname, 0)
                if child.get(f"{{{JR}}}template") is not None:
                    seen[cname] = child  # the template describes a repeat best
                else:
                    seen.setdefault(cname, child)
                    counts[cname] += 1
            built: set[str] = set()
            for child in children:
                cname = local(child.tag)
                if cname in built:
                    continue
                built.add(cname)
                sub = self._build(seen[cname], f"{path}/{cname}", item)
                if sub.kind == "repeat":
                    sub.template = localize(seen[cname])
                    sub.template.attrib.pop("template", None)
                    sub.initial_count = counts[cname]
                item.children.append(sub)
        else:
            item.default = elem.text.strip() if elem.text and elem.text.strip() else None
        self._apply_bind(item, bind)
        self._apply_body(item, info)
        if item.is_leaf:
            item.type, item.kind = self._infer_type(item, bind, info)
        events = set()
        for event, table in (
            ("odk-instance-first-load", self.first_load),
            ("odk-new-repeat", self.new_repeat),
        ):
            if path in table:
                item.dynamic_default = table[path]
                events.add(event)
        item.default_events = frozenset(events)
        return item


@lru_cache(maxsize=32)
def _parse_cached(xml_text: str, attachments_dir: str | None) -> FormDefinition:
    with paused_gc():
        parser = XFormReader(xml_text, Path(attachments_dir) if attachments_dir else None)
        definition = parser.run()
        from fieldsurvey.forms.dependencies import check_form

        check_form(definition)
    return definition


def parse_xform(xml_text: str, *, attachments_dir: Path | str | None = None) -> FormDefinition:
    """The FormDefinition of a stored XForm (cached per XForm text and attachments folder).

    Raises FormError when the XML is not a usable XForm, an expression cannot be
    compiled or calculations depend on each other in a cycle.
    """
    if isinstance(xml_text, bytes):
        xml_text = xml_text.decode("utf-8")
    return _parse_cached(xml_text, str(attachments_dir) if attachments_dir else None)
