"""Read an ODK XForm (what pyxform writes, what ODK Central serves) into a FormDefinition.

The XML is parsed with defusedxml. Instance nodes get plain local names (no namespaces),
as the expression layer expects. Types are told apart the way pyxform writes them: the
body control, the bind type, preloads and readonly notes.
"""

from __future__ import annotations

import gc
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from fieldsurvey.errors import FormError
from fieldsurvey.forms.model import (
    DEFAULT_LANG,
    Choice,
    FormDefinition,
    ItemDef,
    Itemset,
    LazyChoices,
    Output,
    TextTemplate,
    Trigger,
    template_to_text,
)
from fieldsurvey.i18n import N_

XF = "http://www.w3.org/2002/xforms"
H = "http://www.w3.org/1999/xhtml"
JR = "http://openrosa.org/javarosa"
ODK = "http://www.opendatakit.org/xforms"
ORX = "http://openrosa.org/xforms"
_PREFIXES = {XF: "", H: "h:", JR: "jr:", ODK: "odk:", ORX: "orx:"}

#: The file ``select_one_external`` lists come from, as in ODK Collect.
ITEMSETS_CSV = "itemsets.csv"

CONTROLS = {"input", "select1", "select", "rank", "range", "upload", "trigger", "secret"}
_ITEXT_REF = re.compile(r"""^\s*jr:itext\(\s*['"](.+?)['"]\s*\)\s*$""")
_INSTANCE_NODESET = re.compile(
    r"""^\s*instance\(\s*['"]([^'"]+)['"]\s*\)\s*/root/item\s*(?:\[(.*)\])?\s*$""", re.S
)
_PATH_NODESET = re.compile(r"^\s*(/[^\[]+?)\s*(?:\[(.*)\])?\s*$", re.S)
_PRELOAD_TYPES = {
    ("timestamp", "start"): "start",
    ("timestamp", "end"): "end",
    ("date", "today"): "today",
    ("uid", None): "instanceID",
}
_BINARY_TYPES = {"image": "image", "audio": "audio", "video": "video"}
_SIMPLE_TYPES = {
    "int": "integer",
    "integer": "integer",
    "decimal": "decimal",
    "date": "date",
    "time": "time",
    "dateTime": "dateTime",
    "geopoint": "geopoint",
    "geotrace": "geotrace",
    "geoshape": "geoshape",
    "barcode": "barcode",
    "boolean": "text",
}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag.startswith("{") else tag


def qualified(name: str) -> str:
    """``{http://openrosa.org/javarosa}preload`` -> ``jr:preload``."""
    if name.startswith("{"):
        ns, _, rest = name[1:].partition("}")
        return _PREFIXES.get(ns, "") + rest
    return name


def _attrs(elem: ET.Element) -> dict[str, str]:
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


def _template(elem: ET.Element) -> TextTemplate:
    """Text with ``<output value=.../>`` parts of a label/hint/value element."""
    parts: list[str | Output] = []
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        if local(child.tag) == "output":
            expr = child.get("value") or child.get("ref") or ""
            parts.append(Output(expr))
        else:  # markup such as <span> inside a label: keep its text
            parts.append("".join(child.itertext()))
        if child.tail:
            parts.append(child.tail)
    # pyxform pads outputs with spaces in text that starts or ends with one
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return tuple(p for p in parts if p != "")


def _norm_path(text: str) -> str:
    return re.sub(r"\s+", "", text)


class _Parser:
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
        return FormError(message, code="form.xform", params=params)

    def run(self) -> FormDefinition:
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
                    self.binds[_norm_path(nodeset)] = _attrs(child)
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
            primary_instance=_without_templates(localize(primary)),
            attachments_dir=self.attachments_dir,
            submission_url=submission.get("action") if submission is not None else None,
            public_key=submission.get("base64RsaPublicKey") if submission is not None else None,
        )
        return definition

    # -- model -------------------------------------------------------------------------
    def _read_itext(self, itext: ET.Element) -> None:
        for translation in itext:
            lang = translation.get("lang") or DEFAULT_LANG
            if translation.get("default") and self.default_language is None:
                self.default_language = lang
            texts = self.itext.setdefault(lang, {})
            for text in translation:
                forms: dict[str, TextTemplate] = {}
                for value in text:
                    forms[value.get("form") or ""] = _template(value)
                texts[text.get("id", "")] = forms

    def _read_setvalue(self, elem: ET.Element, source: str | None) -> None:
        ref = elem.get("ref") or elem.get("bind")
        if not ref:
            return
        target = _norm_path(ref)
        value = elem.get("value")
        if value is None and (elem.text or "").strip():
            value = repr(elem.text.strip())  # literal text content
        for event in (elem.get("event") or "").split():
            if event in ("odk-instance-first-load", "xforms-ready"):
                self.first_load[target] = value or "''"
            elif event == "odk-new-repeat":
                self.new_repeat[target] = value or "''"
            self.triggers.append(Trigger(event, target, value, source))

    def _read_device_action(self, elem: ET.Element, tag: str) -> None:
        """odk:setgeopoint / odk:recordaudio: the device's location or a recording.

        A laptop has neither, so the node stays empty (as Collect leaves it when the
        location cannot be read); the action is only remembered to type the node.
        """
        ref = elem.get("ref") or elem.get("bind")
        if ref:
            self.device_actions.setdefault(_norm_path(ref), set()).add(tag)

    # -- body --------------------------------------------------------------------------
    def _read_body(self, elem: ET.Element, context: str) -> None:
        for child in elem:
            tag = local(child.tag)
            ref = child.get("ref") or child.get("nodeset") or child.get("bind")
            path = self._resolve(ref, context) if ref else None
            if tag == "group":
                if path:
                    self.body_info.setdefault(path, {}).update(self._control_info(child, "group"))
                self._read_body(child, path or context)
            elif tag == "repeat":
                if path:
                    self.repeat_paths.add(path)
                    info = self.body_info.setdefault(path, {})
                    info["count"] = child.get(f"{{{JR}}}count")
                    if child.get("appearance") and not info.get("appearance"):
                        info["appearance"] = child.get("appearance")
                self._read_body(child, path or context)
            elif tag in CONTROLS and path:
                self.body_info[path] = self._control_info(child, tag)
                for sub in child:
                    if local(sub.tag) == "setvalue":
                        self._read_setvalue(sub, source=path)
                    elif local(sub.tag) in ("setgeopoint", "recordaudio"):
                        self._read_device_action(sub, local(sub.tag))
            elif tag == "setvalue":
                self._read_setvalue(child, source=None)
            elif tag in ("setgeopoint", "recordaudio"):
                self._read_device_action(child, tag)

    @staticmethod
    def _resolve(ref: str, context: str) -> str:
        ref = _norm_path(ref)
        if ref.startswith("/"):
            return ref
        parts = [p for p in context.split("/") if p]
        for step in ref.split("/"):
            if step == "..":
                parts.pop()
            elif step and step != ".":
                parts.append(step)
        return "/" + "/".join(parts)

    def _control_info(self, elem: ET.Element, tag: str) -> dict:
        info: dict = {"control": tag, "attrs": _attrs(elem)}
        info["appearance"] = elem.get("appearance")
        for child in elem:
            ctag = local(child.tag)
            if ctag in ("label", "hint"):
                info[ctag] = self._text_ref(child)
            elif ctag == "itemset":
                info["itemset"] = child
            elif ctag == "item":
                info.setdefault("items", []).append(child)
        return info

    def _text_ref(self, elem: ET.Element) -> dict[str, dict[str, TextTemplate]]:
        """Label/hint element -> language -> form -> template."""
        ref = elem.get("ref")
        match = _ITEXT_REF.match(ref) if ref else None
        if match:
            tid = match.group(1)
            return {lang: texts[tid] for lang, texts in self.itext.items() if tid in texts}
        return {DEFAULT_LANG: {"": _template(elem)}}

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

    def _apply_bind(self, item: ItemDef, bind: dict[str, str]) -> None:
        item.datatype = bind.get("type", item.datatype if not item.is_leaf else "string")
        if ":" in item.datatype and not item.datatype.startswith("odk:"):
            item.datatype = item.datatype.split(":", 1)[1]  # xsd:int -> int
        item.relevant = bind.get("relevant")
        item.required = bind.get("required")
        item.readonly = bind.get("readonly")
        item.constraint = bind.get("constraint")
        item.calculate = bind.get("calculate")
        item.preload = bind.get("jr:preload")
        item.preload_params = bind.get("jr:preloadParams")
        for key, target in (("jr:constraintMsg", "constraint"), ("jr:requiredMsg", "required")):
            if key in bind:
                self._set_texts(item, target, self._message(bind[key]))
        known = {
            "nodeset",
            "type",
            "relevant",
            "required",
            "readonly",
            "constraint",
            "calculate",
            "jr:preload",
            "jr:preloadParams",
            "jr:constraintMsg",
            "jr:requiredMsg",
        }
        item.bind_attributes = {k: v for k, v in bind.items() if k not in known}

    def _message(self, text: str) -> dict[str, dict[str, TextTemplate]]:
        match = _ITEXT_REF.match(text)
        if match:
            tid = match.group(1)
            return {lang: texts[tid] for lang, texts in self.itext.items() if tid in texts}
        return {DEFAULT_LANG: {"": (text,)}}

    def _set_texts(
        self, item: ItemDef, kind: str, texts: dict[str, dict[str, TextTemplate]]
    ) -> None:
        plain_target = {
            "label": item.labels,
            "hint": item.hints,
            "constraint": item.constraint_messages,
            "required": item.required_messages,
        }[kind]
        for lang, forms in texts.items():
            for form, tmpl in forms.items():
                if form in ("", "long", "short"):
                    if form == "short" and "" in forms:
                        continue
                    item.text_templates.setdefault(kind, {})[lang] = tmpl
                    plain_target[lang] = template_to_text(tmpl)
                elif form == "guidance":
                    item.text_templates.setdefault("guidance", {})[lang] = tmpl
                    item.guidance_hints[lang] = template_to_text(tmpl)
                elif kind == "label":
                    item.media.setdefault(lang, {})[form] = template_to_text(tmpl).rsplit("/", 1)[
                        -1
                    ]

    def _apply_body(self, item: ItemDef, info: dict) -> None:
        if not info:
            return
        item.control = info.get("control") if info.get("control") != "group" else None
        item.appearance = info.get("appearance")
        if item.appearance and "field-list" in item.appearance.split():
            item.is_field_list = True
        if "label" in info:
            self._set_texts(item, "label", info["label"])
        if "hint" in info:
            self._set_texts(item, "hint", info["hint"])
        attrs = info.get("attrs", {})
        item.mediatype = attrs.get("mediatype")
        if item.control == "range":
            item.parameters = {k: attrs[k] for k in ("start", "end", "step") if k in attrs}
        for key in ("rows", "autoplay", "accuracyThreshold", "odk:quality", "query"):
            if key in attrs:
                item.parameters[key.split(":")[-1]] = attrs[key]
        if item.control == "input" and attrs.get("query"):
            # select_one_external: choices from itemsets.csv, rows of this list_name
            spec = self._itemset_from_nodeset(attrs["query"], "name", "label", False)
            if spec.instance_id:
                # keyed apart from a choices list of the same name in the form
                spec.instance_id = f"{ITEMSETS_CSV}#{spec.instance_id}"
                self.external[spec.instance_id] = ITEMSETS_CSV
                spec.src = ITEMSETS_CSV
            item.itemset = spec
        elif "itemset" in info:
            item.itemset = self._itemset(info["itemset"])
        elif "items" in info:
            item.choices = [self._inline_choice(el) for el in info["items"]]
            item.choice_outputs = sorted(
                {
                    part.expr
                    for choice in item.choices
                    for tmpl in choice.label_templates.values()
                    for part in tmpl
                    if isinstance(part, Output)
                }
            )

    def _inline_choice(self, el: ET.Element) -> Choice:
        choice = Choice(value=(el.findtext(f"{{{XF}}}value") or "").strip())
        label = el.find(f"{{{XF}}}label")
        if label is not None:
            for lang, forms in self._text_ref(label).items():
                _add_choice_texts(choice, lang, forms)
        return choice

    def _itemset(self, el: ET.Element) -> Itemset:
        nodeset = el.get("nodeset", "")
        value_ref = (
            el.find(f"{{{XF}}}value").get("ref")
            if el.find(f"{{{XF}}}value") is not None
            else "name"
        )
        label_el = el.find(f"{{{XF}}}label")
        label_ref = label_el.get("ref", "label") if label_el is not None else "label"
        match = _ITEXT_REF.match(label_ref) if "jr:itext(" in label_ref else None
        label_is_itext = "jr:itext(" in label_ref
        if label_is_itext:
            inner = re.match(r"^\s*jr:itext\(\s*(.+?)\s*\)\s*$", label_ref)
            label_ref = inner.group(1) if inner else "itextId"
        del match
        return self._itemset_from_nodeset(nodeset, value_ref, label_ref, label_is_itext)

    def _itemset_from_nodeset(
        self, nodeset: str, value_ref: str, label_ref: str, label_is_itext: bool
    ) -> Itemset:
        m = _INSTANCE_NODESET.match(nodeset)
        if m:
            iid, predicate = m.group(1), m.group(2)
            return Itemset(
                nodeset,
                iid,
                predicate.strip() if predicate else None,
                value_ref,
                label_ref,
                label_is_itext,
                src=self.external.get(iid),
            )
        m = _PATH_NODESET.match(nodeset)
        if m:
            return Itemset(
                nodeset,
                None,
                (m.group(2) or "").strip() or None,
                value_ref,
                label_ref,
                label_is_itext,
                source_path=_norm_path(m.group(1)),
            )
        raise self.fail(N_("The choice list {nodeset} cannot be read."), nodeset=nodeset)

    def _attach_static(self, root: ItemDef) -> None:
        """Static choices from inline secondary instances; check label nodes exist."""
        outputs = self._itext_outputs()
        shared: dict[tuple, LazyChoices] = {}
        for item in root.iter_items():
            spec = item.itemset
            if spec is None or spec.instance_id is None:
                continue
            if spec.instance_id not in self.instances:
                if spec.instance_id in self.external:
                    continue
                raise FormError(
                    N_("The choice list {list} used by {path} is not in the form."),
                    code="form.itemset",
                    params={"list": spec.instance_id, "path": item.path},
                )
            items = self.instances[spec.instance_id].findall("item")
            if (
                items
                and not spec.label_is_itext
                and spec.label_ref
                and all(it.find(spec.label_ref) is None for it in items)
            ):
                raise FormError(
                    N_(
                        "The choices of {path} have no labels: the <label> node for itemset "
                        "doesn't exist! [instance({list})/root/item/{ref}]"
                    ),
                    code="form.itemset_label",
                    params={"path": item.path, "list": spec.instance_id, "ref": spec.label_ref},
                    field=item.name,
                )
            key = (spec.instance_id, spec.value_ref, spec.label_ref, spec.label_is_itext)
            if key not in shared:
                shared[key] = LazyChoices(_choice_builder(items, spec, self.itext))
            item.choices = shared[key]
            if outputs and spec.label_is_itext:
                ids = {(it.findtext(spec.label_ref) or "").strip() for it in items}
                item.choice_outputs = sorted(
                    {expr for tid in ids & outputs.keys() for expr in outputs[tid]}
                )
            if spec.predicate is None:
                item.itemset = None if not spec.src else spec

    def _itext_outputs(self) -> dict[str, set[str]]:
        """itext id -> the ``<output>`` expressions of its texts (any language)."""
        found: dict[str, set[str]] = {}
        for texts in self.itext.values():
            for tid, forms in texts.items():
                for tmpl in forms.values():
                    for part in tmpl:
                        if isinstance(part, Output):
                            found.setdefault(tid, set()).add(part.expr)
        return found

    def _infer_type(self, item: ItemDef, bind: dict[str, str], info: dict) -> tuple[str, str]:
        control = info.get("control")
        dt = item.datatype
        root_meta = (
            item.parent is not None and item.parent.name == "meta" and item.parent.depth == 1
        )
        if item.preload:
            key = (item.preload, item.preload_params if item.preload != "uid" else None)
            if key in _PRELOAD_TYPES:
                return _PRELOAD_TYPES[key], "meta"
            return (item.preload_params or item.preload).replace("uri:", ""), "meta"
        if root_meta:
            if item.name == "audit":
                return "audit", "meta"
            return item.name, "meta"
        if control is None:
            client = self._client_type(item, self.device_actions.get(item.path, set()))
            if client is not None:
                return client, "meta"
            return (
                "calculate" if item.calculate is not None or item.dynamic_default else "hidden"
            ), "calculate"
        if control == "input" and item.itemset is not None:
            return "select_one_external", "question"
        if control == "select1":
            base = "select_one"
        elif control == "select":
            base = "select_multiple"
        elif control == "rank" or dt == "odk:rank":
            return "rank", "question"
        elif control == "range":
            return "range", "question"
        elif control == "trigger":
            return "acknowledge", "question"
        elif control == "upload":
            media = (item.mediatype or "").split("/")[0]
            return _BINARY_TYPES.get(media, "file"), "question"
        else:
            if dt in _SIMPLE_TYPES:
                return _SIMPLE_TYPES[dt], "question"
            if dt == "binary":
                return "file", "question"
            if (
                (bind.get("readonly") or "").replace(" ", "") == "true()"
                and item.calculate is None
                and item.default is None
            ):
                return "note", "question"
            return "text", "question"
        spec = item.itemset
        if spec is not None and spec.src:
            return base + "_from_file", "question"
        return base, "question"

    @staticmethod
    def _client_type(item: ItemDef, actions: set[str]) -> str | None:
        """start-geopoint / background-audio: set by the device, not by a person."""
        if "setgeopoint" in actions:
            return "start-geopoint"
        if "recordaudio" in actions:
            return "background-audio"
        return None


def _choice_builder(items: list[ET.Element], spec: Itemset, itext: dict):
    """A function building the Choices of a list (run on first use: see LazyChoices)."""

    def build() -> list[Choice]:
        return [choice_from_item(it, spec, itext) for it in items]

    return build


def choice_from_item(it: ET.Element, spec: Itemset, itext: dict) -> Choice:
    """A Choice from an ``<item>`` of a secondary instance (labels from itext or a node)."""
    choice = Choice(value=(it.findtext(spec.value_ref) or "").strip())
    if spec.label_is_itext:
        tid = (it.findtext(spec.label_ref) or "").strip()
        for lang, texts in itext.items():
            _add_choice_texts(choice, lang, texts.get(tid, {}))
    else:
        label = it.findtext(spec.label_ref)
        if label is not None:
            choice.labels[DEFAULT_LANG] = label
    return choice


def _add_choice_texts(choice: Choice, lang: str, forms: dict[str, TextTemplate]) -> None:
    """One language's label (with its template when it has outputs) and media."""
    for form, tmpl in forms.items():
        if form in ("", "long", "short"):
            choice.labels[lang] = template_to_text(tmpl)
            if any(isinstance(p, Output) for p in tmpl):
                choice.label_templates[lang] = tmpl
        else:
            choice.media.setdefault(lang, {})[form] = template_to_text(tmpl).rsplit("/", 1)[-1]


def _without_templates(elem: ET.Element) -> ET.Element:
    for child in list(elem):
        if "template" in child.attrib:
            elem.remove(child)
        else:
            _without_templates(child)
    return elem


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


@lru_cache(maxsize=32)
def _parse_cached(xml_text: str, attachments_dir: str | None) -> FormDefinition:
    with paused_gc():
        parser = _Parser(xml_text, Path(attachments_dir) if attachments_dir else None)
        definition = parser.run()
        from fieldsurvey.forms.dependencies import check_form

        check_form(definition)
    return definition


def parse_xform(xml_text: str, *, attachments_dir: Path | str | None = None) -> FormDefinition:
    """A stored XForm -> FormDefinition (cached per XForm text and attachments folder).

    Raises FormError when the XML is not a usable XForm, an expression cannot be
    compiled or calculations depend on each other in a cycle.
    """
    if isinstance(xml_text, bytes):
        xml_text = xml_text.decode("utf-8")
    return _parse_cached(xml_text, str(attachments_dir) if attachments_dir else None)
