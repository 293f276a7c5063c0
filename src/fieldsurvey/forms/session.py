"""One interview: answers, repeats, relevance and validation over a FormDefinition.

The answers live in an ElementTree instance (what expressions read). Each node of the
instance has a :class:`_Node` with its state. An answer re-evaluates only the
computations that read it (see :mod:`fieldsurvey.forms.dependencies`): calculations in
topological order, then relevance (groups before their content), readonly, required and
constraints, each only in the repeat instance it concerns when its expression is relative.
"""

from __future__ import annotations

import heapq
import logging
import random
import re
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from fieldsurvey.errors import AnswerError, FieldSurveyError, FormError
from fieldsurvey.forms import instance as instance_xml
from fieldsurvey.forms.choices import (
    ChoiceIndex,
    ChoiceView,
    choice_from_element,
    index_terms,
    load_external,
)
from fieldsurvey.forms.dependencies import Computation, graph_of
from fieldsurvey.forms.model import (
    DEFAULT_LANG,
    Choice,
    FormDefinition,
    ItemDef,
    Output,
    pick_language,
    strip_indexes,
)
from fieldsurvey.forms.types import MULTI_TYPES, SELECT_TYPES, canonical
from fieldsurvey.forms.xform_parser import local, parse_xml, paused_gc
from fieldsurvey.i18n import N_, _

log = logging.getLogger(__name__)

_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")

#: How often one computation may run on one node in one change (see _propagate).
_MAX_RUNS = 50

_STEP = re.compile(r"^([^\[\]]+)(?:\[(\d+)\])?$")


@dataclass(frozen=True, slots=True)
class NodeState:
    """What a person sees of one answer node."""

    path: str
    value: str
    relevant: bool
    required: bool
    readonly: bool
    valid: bool
    message: str | None


@dataclass(frozen=True, slots=True)
class NodeView:
    """A group, repeat instance or question to render, in document order."""

    path: str
    item: ItemDef
    depth: int
    relevant: bool
    state: NodeState | None
    repeat_index: int | None


@dataclass(frozen=True, slots=True)
class Violation:
    """An answer that stops the interview from being finalized."""

    path: str
    kind: str  # "required" | "constraint"
    message: str


@dataclass(eq=False, slots=True)
class _Node:
    item: ItemDef
    elem: ET.Element
    parent: _Node | None
    path: str = ""
    index: int | None = None
    children: list[_Node] = field(default_factory=list)
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
        return self.elem.text or ""

    @property
    def valid(self) -> bool:
        if not self.relevant:
            return True
        if not self.value:
            return not self.required
        return self.constraint_ok

    def snapshot(self) -> tuple:
        return (self.value, self.relevant, self.required, self.readonly, self.valid)


def _parse_now(now) -> datetime | None:
    if now is None or isinstance(now, datetime):
        return now
    return datetime.fromisoformat(str(now).replace("Z", "+00:00"))


class FormSession:
    """A running interview (see the module docstring and the engine contract)."""

    def __init__(
        self,
        definition: FormDefinition,
        *,
        now: datetime | str | None = None,
        timezone: str | None = None,
        device_id: str | None = None,
        username: str | None = None,
        email: str | None = None,
        phone_number: str | None = None,
        language: str | None = None,
        seed: int | None = None,
        last_saved: str | bytes | None = None,
        _source: ET.Element | None = None,
    ) -> None:
        self.definition = definition
        self.graph = graph_of(definition)
        self.now = _parse_now(now)
        self.timezone = timezone
        self.device_id = device_id
        self.username = username
        self.email = email
        self.phone_number = phone_number
        self.language = (
            language if language in definition.languages else definition.default_language
        )
        self.rng = random.Random(seed)
        self.instances = dict(definition.instances)
        self.instances.update(load_external(definition, definition.attachments_dir))
        for iid, kind in definition.client_instances.items():
            # ${last-saved#q}: the last interview saved with this form (given by the
            # caller), else an empty instance so such defaults stay empty, as in Collect
            # for the first interview.
            self.instances[iid] = (
                _localized(parse_xml(last_saved, what="last saved interview"))
                if kind == "last-saved" and last_saved
                else ET.Element("root")
            )
        self._choice_index = ChoiceIndex()
        self._choice_cache: dict[str, list[Choice]] = {}
        self._revalued: list[_Node] = []
        #: The subtree being created (new interview, new repeat instance): there a
        #: jr:count may also remove the instances the form wrote, as nothing is typed yet.
        self._creating: _Node | None = None
        self._item_lists: dict[str, list[ET.Element]] = {}
        self._readers_cache: dict[str, list[Computation]] = {}
        self._wild = [
            c for c in self.graph.computations if any("*" in r or "//" in r for r in c.refs)
        ]
        resumed = _source is not None
        source = _source if resumed else definition.primary_instance
        with paused_gc():  # thousands of nodes that all stay alive (see paused_gc)
            self.root_elem = instance_xml.merge(definition.root, source)
            self._live: dict[str, list[_Node]] = {}
            self._by_path: dict[str, _Node] = {}
            self._parents: dict[ET.Element, ET.Element] = {}
            self.root = self._build(definition.root, self.root_elem, None, None)
            self._ctx = None
            if not resumed:
                self._fill_preloads()
                self._apply_defaults(self.root, first_load=True)
                self._creating = self.root
            self._compute_all(self.root)
            self._creating = None

    @classmethod
    def from_xml(
        cls, definition: FormDefinition, instance_text: str | bytes, **kwargs
    ) -> FormSession:
        """Resume an interview from its OpenRosa instance XML (a draft or a submission)."""
        elem = parse_xml(instance_text, what="instance")
        if local(elem.tag) != definition.root_name:
            raise FormError(
                N_("This record is not an interview of the questionnaire {form}."),
                code="form.instance_mismatch",
                params={"form": definition.form_id},
            )
        form_id = elem.get("id")
        if form_id and form_id != definition.form_id:
            raise FormError(
                N_("This record belongs to the questionnaire {other}, not {form}."),
                code="form.instance_mismatch",
                params={"other": form_id, "form": definition.form_id},
            )
        return cls(definition, _source=_localized(elem), **kwargs)

    # -- building ----------------------------------------------------------------------
    def _build(
        self, item: ItemDef, elem: ET.Element, parent: _Node | None, index: int | None
    ) -> _Node:
        node = _Node(item=item, elem=elem, parent=parent, index=index)
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
    def _path_of(node: _Node) -> str:
        base = node.parent.path if node.parent is not None else ""
        step = f"{base}/{node.item.name}"
        return f"{step}[{node.index}]" if node.index is not None else step

    def _forget(self, node: _Node) -> None:
        node.alive = False
        self._by_path.pop(node.path, None)
        self._parents.pop(node.elem, None)
        live = self._live.get(node.item.path)
        if live is not None:
            live.remove(node)
        for child in node.children:
            self._forget(child)

    def _repath(self, node: _Node) -> None:
        self._by_path.pop(node.path, None)
        node.path = self._path_of(node)
        self._by_path[node.path] = node
        for child in node.children:
            self._repath(child)

    def _iter(self, node: _Node) -> Iterator[_Node]:
        yield node
        for child in node.children:
            yield from self._iter(child)

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

    def _eval(self, expr, node: _Node, current: _Node | None = None):
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

    def _string(self, expr, node: _Node, datatype: str | None = None) -> str:
        from fieldsurvey.forms.xpath import to_storage

        return to_storage(self._eval(expr, node), datatype)

    def _bool(self, expr, node: _Node) -> bool:
        from fieldsurvey.forms.xpath import to_boolean

        return to_boolean(self._eval(expr, node))

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

    def _targets(self, comp: Computation, source: _Node | None) -> list[_Node]:
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
            if scope is not None and scope.item.kind == "repeat":
                return self._under(scope, item)
        return list(self._live.get(item.path, ()))

    def _under(self, scope: _Node, item: ItemDef) -> list[_Node]:
        if scope.item is item:
            return [scope]
        rest = item.path[len(scope.item.path) + 1 :].split("/")
        nodes = [scope]
        for name in rest:
            nodes = [c for n in nodes for c in n.children if c.item.name == name]
        return nodes

    def _run(self, comp: Computation, node: _Node, touched: dict) -> bool:
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
            if comp.kind == "choices" and node.value:
                return self._drop_filtered_out(node)
        return False

    def _drop_filtered_out(self, node: _Node) -> bool:
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

    def _inherit(self, node: _Node, touched: dict) -> None:
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

    def _shadow(self, node: _Node, relevant: bool) -> None:
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
    def _stored(node: _Node) -> str:
        """The node's answer, kept aside or not."""
        return node.kept if node.kept is not None else node.value

    def _set_value(self, node: _Node, text: str) -> bool:
        """Store an answer (aside when the node is not relevant); True when visible."""
        if node.relevant:
            node.elem.text = text or None
            return True
        node.kept = text or None
        return False

    def _propagate(
        self,
        sources: list[_Node],
        seeds: list[tuple[Computation, _Node]] = (),
        touched: dict | None = None,
    ) -> set[str]:
        touched = {} if touched is None else touched
        self._label_dirty: set[_Node] = set()
        self._added: list[_Node] = []
        heap: list = []
        queued: set[tuple[int, int]] = set()
        counter = 0

        def push(comp: Computation, node: _Node) -> None:
            nonlocal counter
            key = (id(comp), id(node))
            if key not in queued:
                queued.add(key)
                counter += 1
                heapq.heappush(heap, (comp.rank, counter, comp, node))

        def readers_of(node: _Node) -> None:
            for comp in self._readers(node.item.path):
                for target in self._targets(comp, node):
                    push(comp, target)

        for comp, node in seeds:
            push(comp, node)
        for node in sources:
            readers_of(node)
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
                readers_of(self._added.pop())
        changed = {n.path for n, before in touched.items() if n.alive and n.snapshot() != before}
        changed.update(n.path for n in self._label_dirty if n.alive)
        return changed

    def _compute_all(self, top: _Node, touched: dict | None = None) -> set[str]:
        """Evaluate every computation of ``top`` and what is below it."""
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
        return self._propagate([], seeds, touched)

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

    def _apply_defaults(self, top: _Node, *, first_load: bool) -> None:
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

    # -- addressing --------------------------------------------------------------------
    def _node(self, path: str) -> _Node:
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
        node = self._by_path.get(f"/{self.definition.root_name}/meta/instanceID")
        return node.value if node is not None else ""

    # -- answers -----------------------------------------------------------------------
    def set_answer(self, path: str, value) -> set[str]:
        """Set an answer; returns the paths whose value or state changed."""
        node = self._node(path)
        item = node.item
        if not item.is_leaf:
            raise AnswerError(
                N_("{path} is a group, not a question."), params={"path": path}, path=path
            )
        if item.kind in ("calculate", "meta") and item.calculate is not None:
            raise AnswerError(
                N_("{path} is calculated and cannot be answered."), params={"path": path}, path=path
            )
        if item.type == "note":
            raise AnswerError(
                N_("{path} is a note and takes no answer."), params={"path": path}, path=path
            )
        known = None
        if item.type in SELECT_TYPES:
            known = (
                {c.value for c in self._all_choices(node)}
                if self._choices_checkable(item)
                else None
            )
        try:
            text = canonical(item, value, known)
        except AnswerError as exc:
            exc.path = node.path
            raise
        if text and item.type in ("time", "dateTime") and not _OFFSET.search(text):
            text += self._offset()
        touched = {node: node.snapshot()}
        if text == self._stored(node):
            return set()
        if not self._set_value(node, text):
            return set()  # kept for when the question is relevant again
        seeds = []
        for target_path, expr in self.graph.triggers.get(item.path, ()):
            target_item = self.definition.item(target_path)
            fake = Computation(target_item, "trigger", "", expr, frozenset(), True)
            for target in self._targets(fake, node):
                touched.setdefault(target, target.snapshot())
                if self._set_value(target, self._string(expr, target) if expr is not None else ""):
                    seeds.append(target)
        return self._propagate([node, *seeds], touched=touched)

    def _choices_checkable(self, item: ItemDef) -> bool:
        spec = item.itemset
        if spec is None:
            return item.choices is not None
        if spec.source_path:
            return False
        return bool(spec.instance_id in self.instances and len(self.instances[spec.instance_id]))

    # -- repeats -----------------------------------------------------------------------
    def _repeat_parent(self, repeat_path: str) -> tuple[_Node, ItemDef]:
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
        parent: _Node,
        item: ItemDef,
        index: int,
        touched: dict | None = None,
        propagate: bool = True,
    ) -> _Node:
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
        self._apply_defaults(node, first_load=False)
        if propagate:
            touched = {} if touched is None else touched
            outer, self._creating = self._creating, node
            try:
                self._compute_all(node, touched)
            finally:
                self._creating = outer
            self._propagate([node], touched=touched)
        return node

    def _renumber(self, parent: _Node, item: ItemDef) -> None:
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
        sources = survivors[:1] or [parent]
        changed = self._propagate(sources)
        return changed | {instance_path}

    def _sync_count(self, comp: Computation, parent: _Node, touched: dict) -> None:
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
    def _within(node: _Node, top: _Node) -> bool:
        while node is not None:
            if node is top:
                return True
            node = node.parent
        return False

    def _compute_new(self, node: _Node, touched: dict) -> None:
        for n in self._iter(node):
            for comp in self.graph.by_item.get(n.item.path, ()):
                if comp.kind != "count":
                    self._run(comp, n, touched)

    # -- reading state -----------------------------------------------------------------
    def _message(self, node: _Node) -> str | None:
        if node.valid:
            return None
        if not node.value:
            text = self._text(node, "required")
            return text or _("This answer is required.")
        text = self._text(node, "constraint")
        return text or _("This answer is not valid.")

    def state(self, path: str) -> NodeState:
        return self._state(self._node(path))

    def _state(self, node: _Node) -> NodeState:
        return NodeState(
            node.path,
            node.value,
            node.relevant,
            node.required,
            node.readonly,
            node.valid,
            self._message(node),
        )

    def nodes(self) -> list[NodeState]:
        """Every leaf of the instance in document order (every repeat instance)."""
        return [self._state(n) for n in self._iter(self.root) if n.item.is_leaf]

    def walk(self) -> Iterator[NodeView]:
        """Groups, repeat instances and questions to render, in document order."""
        for node in self._iter(self.root):
            item = node.item
            if node is self.root or (item.is_leaf and not item.has_control):
                continue
            if item.kind == "group" and item.name == "meta" and node.parent is self.root:
                continue
            yield NodeView(
                node.path,
                item,
                item.depth,
                node.relevant,
                self._state(node) if item.is_leaf else None,
                node.index,
            )

    def set_language(self, language: str) -> set[str]:
        """Switch the questionnaire language (a name as written, or its code: ``es``).

        Calculations that read labels (``jr:choice-name``, ``jr:itext``) are evaluated
        again, so they follow the language; returns the paths that changed. (JavaRosa
        and ODK Web Forms keep the old language's text until an answer changes, which
        their maintainers track as bugs: getodk/javarosa#737, getodk/web-forms#489.)
        """
        matched = _match_language(self.definition, language)
        if matched is None:
            raise FormError(
                N_("The questionnaire has no language {language}."),
                code="form.language",
                params={"language": language},
            )
        if matched == self.language:
            return set()
        self.language = matched
        seeds = [
            (comp, node)
            for comp in self.graph.computations
            if comp.kind in ("calculate", "relevant", "constraint", "required")
            and ("choice-name" in comp.text or "itext(" in comp.text)
            for node in list(self._live.get(comp.item.path, ()))
        ]
        return self._propagate([], seeds) if seeds else set()

    def _render(self, template, node: _Node) -> str:
        out = []
        for part in template:
            if isinstance(part, Output):
                expr = self.graph.compiled.get(part.expr)
                out.append(self._string(expr, node) if expr is not None else "")
            else:
                out.append(part)
        return "".join(out)

    def _text(self, node: _Node, kind: str) -> str:
        templates = node.item.text_templates.get(kind, {})
        template = pick_language(templates, self.language)
        return self._render(template, node) if template is not None else ""

    def label(self, path: str) -> str:
        return self._text(self._node(path), "label")

    def hint(self, path: str) -> str:
        return self._text(self._node(path), "hint")

    def guidance(self, path: str) -> str:
        return self._text(self._node(path), "guidance")

    def constraint_message(self, path: str) -> str | None:
        node = self._node(path)
        return self._text(node, "constraint") or None

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

    def _all_choices(self, node: _Node) -> list[Choice]:
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

    def _filtered(self, node: _Node) -> list[Choice]:
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

    def _filter_positions(self, spec, items: list[ET.Element], node: _Node) -> list[int]:
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
                    values = {v for text in values for v in text.split()}
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

    def _compiled(self, text: str, node: _Node):
        expr = self.graph.compiled.get(text)
        if expr is None:
            from fieldsurvey.forms.xpath import compile_expression

            expr = self.graph.compiled[text] = compile_expression(text)
        return expr

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

    # -- whole interview ---------------------------------------------------------------
    def validate(self) -> list[Violation]:
        """Every relevant answer that is required and empty or breaks its constraint."""
        out = []
        for node in self._iter(self.root):
            if node.item.is_leaf and not node.valid:
                kind = "required" if not node.value else "constraint"
                out.append(Violation(node.path, kind, self._message(node) or ""))
        return out

    def to_xml(self, *, keep_irrelevant: bool = False, submission: bool = False) -> str:
        """The OpenRosa instance: every node, non-relevant ones empty.

        Empty rather than absent keeps the record's shape (repeat instances in a skipped
        section), so a draft resumes exactly. ``submission=True`` leaves non-relevant
        nodes out altogether, byte for byte as Collect submits: JavaRosa's
        XFormSerializingVisitor writes no non-relevant node, and the ODK XForms spec says
        they are "removed from the primary instance on submission".
        ``keep_irrelevant=True`` writes the answers kept aside while their question is
        not relevant, so a draft saved so loses nothing.
        """
        drop: set[int] = set()
        blank: set[int] = set()
        fill: dict[int, str] = {}
        for node in self._iter(self.root):
            if keep_irrelevant:
                if node.kept is not None:
                    fill[id(node.elem)] = node.kept
            elif node.relevant:
                continue
            elif submission:
                if node.parent is None or node.parent.relevant:
                    drop.add(id(node.elem))  # the top of a non-relevant branch
            else:
                blank.add(id(node.elem))
        return instance_xml.serialize(self.root_elem, self.definition, drop, fill, blank)

    def display_name(self) -> str:
        node = self._by_path.get(f"/{self.definition.root_name}/meta/instanceName")
        if node is not None and node.value.strip():
            return node.value.strip()
        start = next(
            (n.value for n in self._iter(self.root) if n.item.type == "start" and n.value), None
        )
        return (
            f"{self.definition.title} {start[:16].replace('T', ' ')}"
            if start
            else self.definition.title
        )

    def _counted(self) -> list[_Node]:
        return [
            n
            for n in self._iter(self.root)
            if n.item.is_leaf
            and n.item.has_control
            and n.relevant
            and n.item.type != "note"
            and not n.readonly
        ]

    def question_count(self) -> int:
        return len(self._counted())

    def answered_count(self) -> int:
        return sum(1 for n in self._counted() if n.value)


def _language_key(texts: dict, language: str | None) -> str | None:
    """The key :func:`pick_language` reads for ``language``."""
    if language in texts:
        return language
    if DEFAULT_LANG in texts:
        return DEFAULT_LANG
    return next(iter(texts), None)


def _match_language(definition: FormDefinition, language: str | None) -> str | None:
    if not language:
        return None
    if language in definition.languages:
        return language
    for name in definition.languages:
        if name.endswith(f"({language})") or name.lower() == language.lower():
            return name
    return None


def _localized(elem: ET.Element) -> ET.Element:
    elem.tag = local(elem.tag)
    for child in elem:
        _localized(child)
    return elem


def python_value(item: ItemDef, text: str):
    """The answer text as a Python value (int, float, date, list...), for exports."""
    if not text:
        return None
    try:
        if item.type == "integer":
            return int(text)
        if item.type == "decimal":
            return float(text)
        if item.type in ("date", "today"):
            return date.fromisoformat(text)
        if item.type in ("dateTime", "start", "end"):
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        if item.type == "time":
            return time.fromisoformat(text[:8])
    except ValueError:
        return text
    if item.type in MULTI_TYPES:
        return text.split()
    return text
