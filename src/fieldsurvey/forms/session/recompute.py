"""Evaluating expressions and recomputing what an answer changes.

A change queues the computations that read the changed node (see
:mod:`fieldsurvey.forms.dependencies`) and runs them by rank, each on the nodes it
concerns (only in the same repeat instance when its expression is relative); whatever
they change queues their own readers in turn.
"""

from __future__ import annotations

import heapq
import logging

from fieldsurvey.errors import FieldSurveyError
from fieldsurvey.forms.dependencies import Computation
from fieldsurvey.forms.model import ItemDef
from fieldsurvey.forms.session.nodes import Node

log = logging.getLogger(__name__)

#: How often one computation may run on one node in one change (see _propagate).
_MAX_RUNS = 50


class Recompute:
    """Expression evaluation and change propagation for :class:`FormSession`."""

    #: True while a resumed record is first evaluated (see FormSession.__init__).
    _resuming = False

    # -- evaluation --------------------------------------------------------------------
    def _context(self):
        if self._ctx is None:
            from fieldsurvey.forms.xpath import EvalContext

            self._ctx = EvalContext(
                self.root_elem,
                instances=self.instances,
                now=self.now,
                timezone=self.timezone,
                choice_label=self._choice_label,
                rng=self.rng,
                parents=self._parents,
            )
        return self._ctx

    def _eval(self, expr, node: Node, current: Node | None = None):
        ctx = self._context()
        ctx.node = node.elem
        ctx.current = (current or node).elem
        try:
            return expr.evaluate(ctx)
        except FieldSurveyError as exc:
            log.warning(
                "expression %s failed at %s: %s",
                getattr(expr, "text", expr),
                node.path,
                exc.english(),
            )
            return ""

    def _string(self, expr, node: Node, datatype: str | None = None) -> str:
        from fieldsurvey.forms.xpath import to_storage

        return to_storage(self._eval(expr, node), datatype)

    def _bool(self, expr, node: Node) -> bool:
        from fieldsurvey.forms.xpath import to_boolean

        return to_boolean(self._eval(expr, node))

    # -- computations ------------------------------------------------------------------
    def _readers(self, path: str) -> list[Computation]:
        """Computations that read ``path`` (or a group/repeat above it)."""
        found = self._readers_cache.get(path)
        if found is None:
            found = []
            p = path
            while p:
                found.extend(self.graph.readers_of(p))
                p = p.rsplit("/", 1)[0]
            if self._wild:
                from fieldsurvey.forms.xpath.expressions import reference_matches

                found.extend(
                    c for c in self._wild if any(reference_matches(r, path) for r in c.refs)
                )
            self._readers_cache[path] = found = list(dict.fromkeys(found))
        return found

    def _readers_below(self, repeat: ItemDef) -> list[Computation]:
        """Computations that read a repeat, anything below it or above it.

        Adding or removing an instance changes every such value at once (a ``sum()`` or
        ``count()`` over the repeat, ``position(..)`` in it), as JavaRosa's TriggerableDag
        re-evaluates after a repeat instance is created or deleted.
        """
        key = f"below:{repeat.path}"
        found = self._readers_cache.get(key)
        if found is None:
            found = []
            for item in repeat.iter_items():
                found.extend(self._readers(item.path))
            self._readers_cache[key] = found = list(dict.fromkeys(found))
        return found

    def _targets(self, comp: Computation, source: Node | None) -> list[Node]:
        item = comp.item.parent if comp.kind == "count" else comp.item
        if item is None:
            return []
        if comp.scoped and source is not None:
            scope = source
            while scope is not None and not (
                scope.item.kind == "repeat"
                and item.path.startswith(scope.item.path + "/")
                or scope.item is item
            ):
                scope = scope.parent
            # The node itself (a constraint reading ".") or its repeat instance; not
            # every instance of the question
            if scope is not None and (scope.item is item or scope.item.kind == "repeat"):
                return self._under(scope, item)
        return list(self._live.get(item.path, ()))

    def _under(self, scope: Node, item: ItemDef) -> list[Node]:
        if scope.item is item:
            return [scope]
        rest = item.path[len(scope.item.path) + 1 :].split("/")
        nodes = [scope]
        for name in rest:
            nodes = [c for n in nodes for c in n.children if c.item.name == name]
        return nodes

    def _run(self, comp: Computation, node: Node, touched: dict) -> bool:
        """Evaluate one computation on one node; True when a value changed."""
        if comp.kind == "calculate":
            if node not in touched:
                touched[node] = node.snapshot()
            value = self._string(comp.expr, node, node.item.datatype)
            if value != self._stored(node):
                return self._set_value(node, value)
            return False
        if comp.kind == "relevant":
            value = self._bool(comp.expr, node)
            if value != node.own_relevant:
                node.own_relevant = value
                self._inherit(node, touched)
        elif comp.kind == "readonly":
            value = self._bool(comp.expr, node)
            if value != node.own_readonly:
                node.own_readonly = value
                self._inherit(node, touched)
        elif comp.kind == "required":
            touched.setdefault(node, node.snapshot())
            node.required = self._bool(comp.expr, node)
        elif comp.kind == "constraint":
            touched.setdefault(node, node.snapshot())
            node.constraint_ok = True if not node.value else self._bool(comp.expr, node)
        elif comp.kind == "count":
            self._sync_count(comp, node, touched)
        elif comp.kind in ("choices", "text"):
            touched.setdefault(node, node.snapshot())
            self._choice_cache.pop(node.path, None)
            self._label_dirty.add(node)
            if comp.kind == "choices" and node.value and not self._resuming:
                return self._drop_filtered_out(node)
        return False

    def _inherit(self, node: Node, touched: dict) -> None:
        """Propagate relevance and readonly from ``node`` down its subtree."""
        stack = [node]
        while stack:
            n = stack.pop()
            parent = n.parent
            relevant = n.own_relevant and (parent.relevant if parent else True)
            readonly = n.own_readonly or (parent.readonly if parent else False)
            if n is not node and relevant == n.relevant and readonly == n.readonly:
                continue
            if n.item.is_leaf:
                touched.setdefault(n, n.snapshot())
                if relevant != n.relevant:
                    self._shadow(n, relevant)
            n.relevant, n.readonly = relevant, readonly
            stack.extend(n.children)

    def _shadow(self, node: Node, relevant: bool) -> None:
        """Hide a non-relevant answer from expressions, and bring it back when relevant.

        JavaRosa keeps the value of a non-relevant node in the model but reads it as
        empty in every expression (XPathPathExpr.getRefValue: ``node.isRelevant() ?
        node.getValue() : null``), and leaves it out of the submission. The answer is kept
        aside here, so calculations that read it see "" and it returns unchanged when the
        question is relevant again.
        """
        if not relevant:
            if node.elem.text:
                node.kept, node.elem.text = node.elem.text, None
                self._revalued.append(node)
        elif node.kept is not None:
            node.elem.text, node.kept = node.kept, None
            self._revalued.append(node)

    @staticmethod
    def _stored(node: Node) -> str:
        """The node's answer, kept aside or not."""
        return node.kept if node.kept is not None else node.value

    def _set_value(self, node: Node, text: str) -> bool:
        """Store an answer (aside when the node is not relevant); True when visible."""
        if node.relevant:
            node.elem.text = text or None
            return True
        node.kept = text or None
        return False

    def _propagate(
        self,
        sources: list[Node],
        seeds: list[tuple[Computation, Node]] = (),
        touched: dict | None = None,
        resized: list[tuple[ItemDef, Node]] = (),
    ) -> set[str]:
        """Run what reads ``sources`` (and what that changes), then return the paths
        whose state changed. ``resized`` lists (repeat, node) pairs of repeats that
        gained or lost an instance, ``node`` being one of its instances or its parent."""
        touched = {} if touched is None else touched
        self._label_dirty: set[Node] = set()
        self._added: list[Node] = []
        heap: list = []
        queued: set[tuple[int, int]] = set()
        counter = 0

        def push(comp: Computation, node: Node) -> None:
            nonlocal counter
            key = (id(comp), id(node))
            if key not in queued:
                queued.add(key)
                counter += 1
                heapq.heappush(heap, (comp.rank, counter, comp, node))

        def readers_of(node: Node) -> None:
            for comp in self._readers(node.item.path):
                for target in self._targets(comp, node):
                    push(comp, target)

        def readers_below(repeat: ItemDef, node: Node) -> None:
            for comp in self._readers_below(repeat):
                for target in self._targets(comp, node):
                    push(comp, target)

        for comp, node in seeds:
            push(comp, node)
        for node in sources:
            readers_of(node)
        for repeat, node in resized:
            readers_below(repeat, node)
        runs: dict[tuple[int, int], int] = {}
        while heap or self._revalued:
            while self._revalued:
                readers_of(self._revalued.pop())
            if not heap:
                break
            _rank, _n, comp, node = heapq.heappop(heap)
            key = (id(comp), id(node))
            queued.discard(key)
            # A form whose relevance and calculations feed each other could flip for
            # ever (blanking a value changes the relevance that blanked it): stop it.
            runs[key] = runs.get(key, 0) + 1
            if not node.alive or runs[key] > _MAX_RUNS:
                continue
            if self._run(comp, node, touched):
                readers_of(node)
            while self._added:
                added = self._added.pop()
                readers_below(added.item, added)
        changed = {n.path for n, before in touched.items() if n.alive and n.snapshot() != before}
        changed.update(n.path for n in self._label_dirty if n.alive)
        return changed

    def _compute_all(
        self, top: Node, touched: dict | None = None, resized: list[tuple[ItemDef, Node]] = ()
    ) -> set[str]:
        """Evaluate every computation of ``top`` and what is below it (and, in the same
        pass, what reads the repeats in ``resized``; see _propagate)."""
        seeds = []
        for node in self._iter(top):
            for comp in self.graph.by_item.get(node.item.path, ()):
                if comp.kind == "count":
                    continue
                seeds.append((comp, node))
            for child_item in node.item.children:
                if child_item.kind == "repeat":
                    for comp in self.graph.by_item.get(child_item.path, ()):
                        if comp.kind == "count":
                            seeds.append((comp, node))
        touched = {} if touched is None else touched
        self._inherit(top, touched)
        return self._propagate([], seeds, touched, resized)

    def _compiled(self, text: str, node: Node):
        expr = self.graph.compiled.get(text)
        if expr is None:
            from fieldsurvey.forms.xpath import compile_expression

            expr = self.graph.compiled[text] = compile_expression(text)
        return expr
