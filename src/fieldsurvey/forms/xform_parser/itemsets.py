"""Choice lists: inline items, itemsets over secondary instances, external files."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fieldsurvey.errors import FormError
from fieldsurvey.forms.model import DEFAULT_LANG, Choice, ItemDef, Itemset, LazyChoices
from fieldsurvey.forms.xform_parser.texts import ITEXT_REF, add_choice_texts
from fieldsurvey.forms.xform_parser.xml_input import XF, norm_path
from fieldsurvey.i18n import N_

#: The file ``select_one_external`` lists come from, as in ODK Collect.
ITEMSETS_CSV = "itemsets.csv"

_INSTANCE_NODESET = re.compile(
    r"""^\s*instance\(\s*['"]([^'"]+)['"]\s*\)\s*/root/item\s*(?:\[(.*)\])?\s*$""", re.S
)
_PATH_NODESET = re.compile(r"^\s*(/[^\[]+?)\s*(?:\[(.*)\])?\s*$", re.S)


class Itemsets:
    """Building choice lists (part of :class:`XFormReader`)."""

    def _inline_choice(self, el: ET.Element) -> Choice:
        choice = Choice(value=(el.findtext(f"{{{XF}}}value") or "").strip())
        label = el.find(f"{{{XF}}}label")
        if label is not None:
            for lang, forms in self._text_ref(label).items():
                add_choice_texts(choice, lang, forms)
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
        match = ITEXT_REF.match(label_ref) if "jr:itext(" in label_ref else None
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
                source_path=norm_path(m.group(1)),
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
            add_choice_texts(choice, lang, texts.get(tid, {}))
    else:
        label = it.findtext(spec.label_ref)
        if label is not None:
            choice.labels[DEFAULT_LANG] = label
    return choice
