"""The options of select questions in a running interview.

Static lists come with the FormDefinition; lists from secondary instances or files are
built on first use, filtered by the question's choice filter (through a column index
where the filter allows it) and cached per node until what the filter reads changes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.forms.choices import ChoiceView, choice_from_element, index_terms
from fieldsurvey.forms.model import DEFAULT_LANG, Choice, ItemDef, pick_language, strip_indexes
from fieldsurvey.forms.session.nodes import Node
from fieldsurvey.forms.types import MULTI_TYPES, SELECT_TYPES


class SelectChoices:
    """Choice lists, choice filters and choice labels for :class:`FormSession`."""

    def _choice_label(self, path: str, value: str) -> str | None:
        try:
            node = self._node(path) if "[" in path else None
        except FieldSurveyError:
            node = None
        if node is None:
            nodes = self._live.get(strip_indexes(path.strip()))
            node = nodes[0] if nodes else None
        if node is None:
            return None
        for choice in self._all_choices(node):
            if choice.value == value:
                return pick_language(choice.labels, self.language) or value
        return None

    def _drop_filtered_out(self, node: Node) -> bool:
        """Remove from a select's answer the choices its filter no longer offers.

        JavaRosa does this whenever it recomputes a filtered list
        (ItemsetBinding.getChoices: "any item currently selected ... that is no longer
        part of the new filtered list is removed and the new answer is saved back to the
        model"), so a later calculation never reads a choice that cannot be chosen. A list
        that cannot be read (its file missing) keeps the answer: nothing is lost.
        """
        item = node.item
        if item.type not in SELECT_TYPES or not (
            item.itemset.source_path or self._choices_checkable(item)
        ):
            return False
        offered = {choice.value for choice in self._filtered(node)}
        chosen = node.value.split() if item.type in MULTI_TYPES else [node.value.strip()]
        kept = [value for value in chosen if value in offered]
        if len(kept) == len(chosen):
            return False
        return self._set_value(node, " ".join(kept))

    def _choices_checkable(self, item: ItemDef) -> bool:
        spec = item.itemset
        if spec is None:
            return item.choices is not None
        if spec.source_path:
            return False
        return bool(spec.instance_id in self.instances and len(self.instances[spec.instance_id]))

    # -- choices -----------------------------------------------------------------------
    def _list_items(self, spec) -> list[ET.Element]:
        # One list per instance: the choice index is keyed on it
        items = self._item_lists.get(spec.instance_id)
        if items is None:
            root = self.instances.get(spec.instance_id)
            items = self._item_lists[spec.instance_id] = (
                list(root.iter("item")) if root is not None else []
            )
        return items

    def _all_choices(self, node: Node) -> list[Choice]:
        """Every option of a select, before any filter."""
        item = node.item
        spec = item.itemset
        if spec is None or (
            spec.instance_id in self.definition.instances and item.choices is not None
        ):
            return item.choices or []
        if spec.source_path:
            return self._filtered(node)
        key = f"all:{item.path}"
        cached = self._choice_cache.get(key)
        if cached is None:
            cached = [choice_from_element(e, spec, self.definition) for e in self._list_items(spec)]
            self._choice_cache[key] = cached
        return cached

    def _filtered(self, node: Node) -> list[Choice]:
        item = node.item
        spec = item.itemset
        if spec is None:
            return item.choices or []
        cached = self._choice_cache.get(node.path)
        if cached is not None:
            return cached
        if spec.source_path:
            expr = self.graph.compiled.get(spec.nodeset)
            from fieldsurvey.forms.xpath import to_string

            found = self._eval(expr, node) if expr is not None else []
            result, seen = [], set()
            for elem in found if isinstance(found, list) else []:
                value = (
                    to_string([elem.find(spec.value_ref)])
                    if elem.find(spec.value_ref) is not None
                    else ""
                )
                if value and value not in seen:
                    seen.add(value)
                    result.append(Choice(value=value, labels={"default": value}))
        else:
            every = self._all_choices(node)
            if not spec.predicate:
                result = every
            else:
                items = self._list_items(spec)
                positions = self._filter_positions(spec, items, node)
                result = [every[i] for i in positions]
        self._choice_cache[node.path] = result
        return result

    def _filter_positions(self, spec, items: list[ET.Element], node: Node) -> list[int]:
        terms = index_terms(spec.predicate)
        if terms is not None:
            selected: set[int] | None = None
            for term in terms:
                expr = self._compiled(term.expr, node)
                raw = self._eval(expr, node)
                if isinstance(raw, (float, bool)):
                    terms = None
                    break
                if isinstance(raw, list):
                    from fieldsurvey.forms.xpath import to_string

                    values = {to_string([e]) for e in raw}
                else:
                    values = {raw}
                if term.multi:
                    # selected() as JavaRosa reads it: an empty list holds the empty value
                    empty = any("  " in f" {text} " for text in values)
                    values = {v for text in values for v in text.split()}
                    if empty:
                        values.add("")
                hits = self._choice_index.lookup(items, term.column, values)
                selected = hits if selected is None else selected & hits
            if terms is not None:
                return sorted(selected or ())
        predicate = self._compiled(spec.predicate, node)
        ctx = self._context()
        out = []
        from fieldsurvey.forms.xpath import to_boolean

        for pos, elem in enumerate(items):
            ctx.node = elem
            ctx.current = node.elem
            try:
                if to_boolean(predicate.evaluate(ctx)):
                    out.append(pos)
            except FieldSurveyError:
                continue
        return out

    def choices(self, path: str) -> list[ChoiceView]:
        """The options of a select after its choice filter, labels in the current language."""
        node = self._node(path)
        out = []
        for choice in self._filtered(node):
            template = (
                choice.label_templates.get(_language_key(choice.labels, self.language))
                if choice.label_templates
                else None
            )
            if template is not None:
                # <output> in a choice label is evaluated from the question, as in
                # JavaRosa (FormEntryPrompt.getSelectChoiceText fills it at the prompt).
                label = self._render(template, node)
            else:
                label = pick_language(choice.labels, self.language)
            out.append(
                ChoiceView(
                    choice.value,
                    label if label is not None else choice.value,
                    pick_language(choice.media, self.language) or {},
                )
            )
        return out


def _language_key(texts: dict, language: str | None) -> str | None:
    """The key :func:`pick_language` reads for ``language``."""
    if language in texts:
        return language
    if DEFAULT_LANG in texts:
        return DEFAULT_LANG
    return next(iter(texts), None)
