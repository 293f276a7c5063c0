"""What the engine fills in itself: preloads, dynamic defaults, timestamps, revisions."""

from __future__ import annotations

import uuid
import xml.etree.ElementTree as ET
from datetime import UTC, datetime

from fieldsurvey.errors import FormError
from fieldsurvey.forms.session.nodes import Node
from fieldsurvey.i18n import N_


class Preloads:
    """Metadata, setvalue defaults and revision ids of :class:`FormSession`."""

    # -- preloads and defaults ---------------------------------------------------------
    def clock(self) -> datetime:
        """The interview's notion of now (fixed when the session was given ``now``)."""
        if self.now is not None:
            return self.now
        from fieldsurvey.forms.xpath.dates import resolve_timezone

        tz = resolve_timezone(self.timezone) if self.timezone else None
        return datetime.now(tz or UTC).astimezone(tz)

    def _fill_preloads(self) -> None:
        moment = self.clock()
        stamp = moment.isoformat(timespec="milliseconds")
        properties = {
            "deviceid": self.device_id,
            "username": self.username,
            "email": self.email,
            "phonenumber": self.phone_number,
        }
        for node in self._iter(self.root):
            item = node.item
            if not item.is_leaf or not item.preload:
                continue
            if item.preload == "uid":
                node.elem.text = (
                    node.elem.text or f"uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"
                )
            elif item.preload == "timestamp" and item.preload_params == "start":
                node.elem.text = stamp
            elif item.preload == "date" and item.preload_params == "today":
                node.elem.text = moment.date().isoformat()
            elif item.preload == "property":
                key = (item.preload_params or "").replace("uri:", "")
                value = properties.get(key)
                if value:
                    node.elem.text = value

    def _apply_defaults(self, top: Node, *, first_load: bool) -> None:
        """Dynamic defaults (setvalue actions) for the event that happens now.

        ``odk-instance-first-load`` runs once when the interview starts, over the repeat
        instances the form holds; ``odk-new-repeat`` for each repeat instance added later,
        whether by a person or by ``jr:count`` (ODK XForms spec, Events and Actions).
        """
        event = "odk-instance-first-load" if first_load else "odk-new-repeat"
        if first_load:
            for path, attribute, text in self.definition.attribute_defaults:
                for node in list(self._live.get(path, ())):
                    value = self._string(self._compiled(text, node), node)
                    node.elem.set(attribute, value)
        for node in self._iter(top):
            expr = self.graph.defaults.get(node.item.path)
            if expr is not None and (
                event in node.item.default_events or not node.item.default_events
            ):
                node.elem.text = self._string(expr, node, node.item.datatype) or None

    def _drop_invalid_defaults(self, top: Node) -> None:
        """Leave empty the questions whose static default does not fit their type, as
        ODK does (see dependencies._invalid_default); only in a new interview or repeat
        instance, never in a record being resumed."""
        invalid = self.graph.invalid_defaults
        if not invalid:
            return
        for node in self._iter(top):
            if node.item.path in invalid and (node.elem.text or "").strip() == node.item.default:
                node.elem.text = None

    def finalize_preloads(self) -> set[str]:
        """Set the ``end`` timestamps (call before finalizing)."""
        stamp = self.clock().isoformat(timespec="milliseconds")
        changed = []
        for node in self._iter(self.root):
            if node.item.preload == "timestamp" and node.item.preload_params == "end":
                if self._set_value(node, stamp):
                    changed.append(node)
        return self._propagate(changed) | {n.path for n in changed}

    def _offset(self) -> str:
        """The interview's UTC offset as ``+HH:MM``.

        Collect writes times and dateTimes with the device's offset
        (``10:30:00.000-05:00``); the ODK XForms spec's dateTime "includes the timezone
        offset". An answer given without one gets the interview's.
        """
        raw = self.clock().strftime("%z") or "+0000"
        return f"{raw[:3]}:{raw[3:5]}"  # as the start/end preloads write it

    def new_revision(self) -> str:
        """Start editing a finalized interview as a new revision; returns its instanceID.

        As Collect does when a submission is edited: the record gets a new
        ``meta/instanceID`` and ``meta/deprecatedID`` names the one it replaces (ODK XForms
        spec, Metadata), so servers and merges keep both revisions apart.
        """
        meta = self._by_path.get(f"/{self.definition.root_name}/meta")
        node = self._by_path.get(f"/{self.definition.root_name}/meta/instanceID")
        if meta is None or node is None:
            raise FormError(
                N_("The questionnaire {form} has no meta/instanceID."),
                code="form.no_instance_id",
                params={"form": self.definition.form_id},
            )
        old = node.value
        deprecated = meta.elem.find("deprecatedID")
        if deprecated is None:
            deprecated = ET.Element("deprecatedID")
            meta.elem.insert(list(meta.elem).index(node.elem) + 1, deprecated)
        deprecated.text = old or None
        new = f"uuid:{uuid.UUID(int=self.rng.getrandbits(128), version=4)}"
        self._set_value(node, new)
        self._propagate([node])
        return new

    @property
    def deprecated_id(self) -> str:
        """``meta/deprecatedID``: the instanceID this revision replaces ("" if none)."""
        meta = self._by_path.get(f"/{self.definition.root_name}/meta")
        found = meta.elem.find("deprecatedID") if meta is not None else None
        return (found.text or "") if found is not None else ""

    @property
    def instance_id(self) -> str:
        """``meta/instanceID``: the record's id ("" if the form has none)."""
        node = self._by_path.get(f"/{self.definition.root_name}/meta/instanceID")
        return node.value if node is not None else ""
