"""Binds and question types: what a bind says and which XLSForm type a node is."""

from __future__ import annotations

from fieldsurvey.forms.model import ItemDef

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


class Binds:
    """Applying binds and inferring types (part of :class:`XFormReader`)."""

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
