"""The node tree of a running interview: one :class:`Node` per instance element.

The tree mirrors the ElementTree instance and indexes it by path (``/data/rep[2]/q``)
and by template path (every live instance of ``/data/rep/q``), so an answer or a
computation finds its nodes without walking the document.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field

from fieldsurvey.errors import AnswerError
from fieldsurvey.forms.model import ItemDef
from fieldsurvey.i18n import N_

_STEP = re.compile(r"^([^\[\]]+)(?:\[(\d+)\])?$")


@dataclass(eq=False, slots=True)
class Node:
    """One node of the instance and its state (relevance, readonly, required, validity)."""

    item: ItemDef
    elem: ET.Element
    parent: Node | None
    path: str = ""
    index: int | None = None
    children: list[Node] = field(default_factory=list)
    own_relevant: bool = True
    relevant: bool = True
    own_readonly: bool = False
    readonly: bool = False
    required: bool = False
    constraint_ok: bool = True
    alive: bool = True
    #: The answer of a non-relevant leaf, kept aside (see FormSession._shadow).
    kept: str | None = None

    @property
    def value(self) -> str:
        """The answer as the instance holds it ("" when empty or not relevant)."""
        return self.elem.text or ""

    @property
    def valid(self) -> bool:
        """False when a relevant answer is missing though required, or breaks its constraint."""
        if not self.relevant:
            return True
        if not self.value:
            return not self.required
        return self.constraint_ok

    def snapshot(self) -> tuple:
        """What a person sees of the node, to tell afterwards whether a change altered it."""
        return (self.value, self.relevant, self.required, self.readonly, self.valid)


class NodeTree:
    """Building, indexing and addressing the nodes of :class:`FormSession`.

    Keeps ``root``, ``_by_path`` (path -> node), ``_live`` (template path -> nodes in
    document order) and ``_parents`` (element -> parent element, for XPath).
    """

    # -- building ----------------------------------------------------------------------
    def _build(
        self, item: ItemDef, elem: ET.Element, parent: Node | None, index: int | None
    ) -> Node:
        node = Node(item=item, elem=elem, parent=parent, index=index)
        node.path = self._path_of(node)
        self._by_path[node.path] = node
        self._live.setdefault(item.path, []).append(node)
        if parent is not None:
            self._parents[elem] = parent.elem
        if not item.is_leaf:
            counters: dict[str, int] = {}
            by_name = {c.name: c for c in item.children}
            for child_elem in elem:
                child_item = by_name.get(child_elem.tag)
                if child_item is None:
                    continue
                child_index = None
                if child_item.kind == "repeat":
                    child_index = counters[child_item.name] = counters.get(child_item.name, 0) + 1
                node.children.append(self._build(child_item, child_elem, node, child_index))
        return node

    @staticmethod
    def _path_of(node: Node) -> str:
        base = node.parent.path if node.parent is not None else ""
        step = f"{base}/{node.item.name}"
        return f"{step}[{node.index}]" if node.index is not None else step

    def _forget(self, node: Node) -> None:
        node.alive = False
        self._by_path.pop(node.path, None)
        self._parents.pop(node.elem, None)
        live = self._live.get(node.item.path)
        if live is not None:
            live.remove(node)
        for child in node.children:
            self._forget(child)

    def _repath(self, node: Node) -> None:
        self._by_path.pop(node.path, None)
        node.path = self._path_of(node)
        self._by_path[node.path] = node
        for child in node.children:
            self._repath(child)

    def _iter(self, node: Node) -> Iterator[Node]:
        yield node
        for child in node.children:
            yield from self._iter(child)

    # -- addressing --------------------------------------------------------------------
    def _node(self, path: str) -> Node:
        node = self._by_path.get(path)
        if node is not None:
            return node
        # Allow leaving out [1] for single instances and spaces around steps
        node = self.root
        steps = [s for s in path.strip().split("/") if s]
        if not steps or steps[0] != self.root.item.name:
            raise self._unknown(path)
        for step in steps[1:]:
            m = _STEP.match(step.strip())
            if not m:
                raise self._unknown(path)
            name, index = m.group(1), int(m.group(2) or 1)
            matches = [c for c in node.children if c.item.name == name]
            if not matches or index > len(matches):
                raise self._unknown(path)
            node = matches[index - 1]
        return node

    @staticmethod
    def _unknown(path: str) -> AnswerError:
        return AnswerError(
            N_("There is no question at {path}."),
            code="answer.unknown_path",
            params={"path": path},
            path=path,
        )
