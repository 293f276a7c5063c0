"""Adding, inserting and removing repeat instances, by hand or by ``jr:count``."""

from __future__ import annotations

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms import instance as instance_xml
from fieldsurvey.forms.dependencies import Computation
from fieldsurvey.forms.model import ItemDef
from fieldsurvey.forms.session.nodes import _STEP, Node
from fieldsurvey.i18n import N_


class Repeats:
    """Repeat instances of :class:`FormSession`."""

    # -- repeats -----------------------------------------------------------------------
    def _repeat_parent(self, repeat_path: str) -> tuple[Node, ItemDef]:
        path = repeat_path.strip().rstrip("/")
        parent_path, _, last = path.rpartition("/")
        name = _STEP.match(last).group(1) if _STEP.match(last) else last
        parent = self._node(parent_path)
        item = next((c for c in parent.item.children if c.name == name), None)
        if item is None or item.kind != "repeat":
            raise AnswerError(
                N_("{path} is not a repeat."), params={"path": repeat_path}, path=repeat_path
            )
        return parent, item

    def repeat_count(self, repeat_path: str, parent_path: str | None = None) -> int:
        """How many instances of a repeat exist (under ``parent_path`` if given)."""
        if parent_path is not None:
            repeat_path = parent_path.rstrip("/") + "/" + repeat_path.rstrip("/").rsplit("/", 1)[-1]
        parent, item = self._repeat_parent(repeat_path)
        return sum(1 for c in parent.children if c.item is item)

    def repeat_relevant(self, repeat_path: str) -> bool:
        """Whether skip logic shows the repeat, even when it has no instance (a record
        submitted without its non-relevant entries): its parent is relevant and its
        ``relevant`` expression, read from the parent, holds."""
        parent, item = self._repeat_parent(repeat_path)
        if not parent.relevant:
            return False
        for instance in parent.children:
            if instance.item is item:
                return instance.relevant
        comp = next((c for c in self.graph.by_item.get(item.path, ())
                     if c.kind == "relevant"), None)
        return comp is None or self._bool(comp.expr, parent)

    def add_repeat(self, repeat_path: str) -> str:
        """Add an instance at the end; returns its path (``/data/rep[3]``)."""
        parent, item = self._repeat_parent(repeat_path)
        index = sum(1 for c in parent.children if c.item is item) + 1
        return self._insert(parent, item, index).path

    def insert_repeat(self, repeat_path: str, index: int) -> str:
        """Insert an instance so that it becomes number ``index`` (1-based)."""
        parent, item = self._repeat_parent(repeat_path)
        count = sum(1 for c in parent.children if c.item is item)
        if not 1 <= index <= count + 1:
            raise AnswerError(
                N_("There is no place {index} in {path}."),
                params={"index": index, "path": repeat_path},
                path=repeat_path,
            )
        return self._insert(parent, item, index).path

    def _insert(
        self,
        parent: Node,
        item: ItemDef,
        index: int,
        touched: dict | None = None,
        propagate: bool = True,
    ) -> Node:
        siblings = [c for c in parent.children if c.item is item]
        elem = instance_xml.new_repeat_element(item)
        if index <= len(siblings):
            before = siblings[index - 1]
            elem_pos = list(parent.elem).index(before.elem)
            node_pos = parent.children.index(before)
        elif siblings:
            elem_pos = list(parent.elem).index(siblings[-1].elem) + 1
            node_pos = parent.children.index(siblings[-1]) + 1
        else:
            later = [c for c in parent.children if c.item.order > item.order]
            node_pos = parent.children.index(later[0]) if later else len(parent.children)
            elem_pos = list(parent.elem).index(later[0].elem) if later else len(parent.elem)
        parent.elem.insert(elem_pos, elem)
        node = self._build(item, elem, parent, index)
        parent.children.insert(node_pos, node)
        self._renumber(parent, item)
        node.relevant = parent.relevant
        self._drop_invalid_defaults(node)
        self._apply_defaults(node, first_load=False)
        if propagate:
            touched = {} if touched is None else touched
            outer, self._creating = self._creating, node
            try:
                # One pass: the new instance, then the sums and counts that read it
                self._compute_all(node, touched, resized=[(item, node)])
            finally:
                self._creating = outer
        return node

    def _renumber(self, parent: Node, item: ItemDef) -> None:
        i = 0
        for child in parent.children:
            if child.item is item:
                i += 1
                if child.index != i or child.path != self._path_of(child):
                    child.index = i
                    self._repath(child)

    def remove_repeat(self, instance_path: str) -> set[str]:
        """Remove one repeat instance (``/data/rep[2]``); later ones move up."""
        node = self._node(instance_path)
        if node.item.kind != "repeat" or node.parent is None:
            raise AnswerError(
                N_("{path} is not a repeat instance."),
                params={"path": instance_path},
                path=instance_path,
            )
        parent = node.parent
        parent.elem.remove(node.elem)
        parent.children.remove(node)
        self._forget(node)
        self._renumber(parent, node.item)
        survivors = [c for c in parent.children if c.item is node.item]
        anchor = survivors[0] if survivors else parent
        changed = self._propagate([], resized=[(node.item, anchor)])
        return changed | {instance_path}

    def _sync_count(self, comp: Computation, parent: Node, touched: dict) -> None:
        from fieldsurvey.forms.xpath import to_number

        raw = self._eval(comp.expr, parent)
        number = to_number(raw)
        creating = self._creating is not None and self._within(parent, self._creating)
        if number != number or number < 0:  # NaN: no answer yet
            if not creating:
                return
            number = 0
        wanted = min(int(number), 10_000)
        have = sum(1 for c in parent.children if c.item is comp.item)
        if creating and have > wanted:
            # A new interview holds as many instances as its count says (the form's own
            # instance included), as ODK Web Forms and Enketo seed them
            for extra in [c for c in parent.children if c.item is comp.item][wanted:]:
                parent.elem.remove(extra.elem)
                parent.children.remove(extra)
                self._forget(extra)
                self._added.append(extra)  # what counts them is evaluated again
            return
        # Lowering the count later keeps instances (nothing typed is lost), as Collect
        # does and the ODK docs say (getodk/docs#991; ODK Web Forms getodk/web-forms#849).
        for index in range(have + 1, wanted + 1):
            self._insert(parent, comp.item, index, touched, propagate=False)
            new = [c for c in parent.children if c.item is comp.item][-1]
            self._compute_new(new, touched)
            self._added.append(new)

    @staticmethod
    def _within(node: Node, top: Node) -> bool:
        while node is not None:
            if node is top:
                return True
            node = node.parent
        return False

    def _compute_new(self, node: Node, touched: dict) -> None:
        for n in self._iter(node):
            for comp in self.graph.by_item.get(n.item.path, ()):
                if comp.kind != "count":
                    self._run(comp, n, touched)
