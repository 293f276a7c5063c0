"""The XForm body: groups, repeats, controls and the actions inside them."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fieldsurvey.forms.model import ItemDef, Output, Trigger
from fieldsurvey.forms.xform_parser.itemsets import ITEMSETS_CSV
from fieldsurvey.forms.xform_parser.xml_input import JR, local, norm_path, qualified_attrs

CONTROLS = {"input", "select1", "select", "rank", "range", "upload", "trigger", "secret"}


class Body:
    """Reading the body and setvalue actions (part of :class:`XFormReader`)."""

    def _read_setvalue(self, elem: ET.Element, source: str | None) -> None:
        ref = elem.get("ref") or elem.get("bind")
        if not ref:
            return
        target = norm_path(ref)
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
            self.device_actions.setdefault(norm_path(ref), set()).add(tag)

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
        ref = norm_path(ref)
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
        info: dict = {"control": tag, "attrs": qualified_attrs(elem)}
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
