"""Which expressions read which nodes: compile a form's expressions once and order them.

Every expression of a form (bind relevant/required/readonly/constraint/calculate, repeat
counts, choice filters, ``<output>`` in texts) becomes a :class:`Computation` that knows
the template paths it reads. An answer then re-evaluates only the computations that read
it, calculations first in topological order. A cycle among calculations is a FormError
found when the form is loaded.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from fieldsurvey.errors import AnswerError, FormError
from fieldsurvey.forms.model import FormDefinition, ItemDef, Output
from fieldsurvey.forms.types import canonical
from fieldsurvey.i18n import N_

#: Kinds of computation, in the order they are evaluated for one item.
KINDS = ("calculate", "count", "relevant", "readonly", "required", "constraint", "choices", "text")
#: Which XLSForm column each kind comes from (for error messages).
COLUMNS = {
    "calculate": "calculation",
    "count": "repeat_count",
    "relevant": "relevant",
    "readonly": "read_only",
    "required": "required",
    "constraint": "constraint",
    "choices": "choice_filter",
    "text": "label",
    "default": "default",
    "trigger": "trigger",
}


@dataclass(eq=False, slots=True)
class Computation:
    """One expression of one item, with what it reads."""

    item: ItemDef
    kind: str
    text: str
    expr: Any
    refs: frozenset[str]
    #: True when every path it reads is relative (``../x``), so inside a repeat it reads
    #: only its own repeat instance and an answer elsewhere cannot change it.
    scoped: bool
    rank: int = 0


@dataclass(eq=False)
class DependencyGraph:
    """The computations of a form, indexed by the template paths they read."""

    computations: list[Computation] = field(default_factory=list)
    readers: dict[str, list[Computation]] = field(default_factory=lambda: defaultdict(list))
    by_item: dict[str, list[Computation]] = field(default_factory=lambda: defaultdict(list))
    #: Compiled dynamic defaults and trigger values: target path -> expression.
    defaults: dict[str, Any] = field(default_factory=dict)
    triggers: dict[str, list[tuple[str, Any]]] = field(default_factory=lambda: defaultdict(list))
    compiled: dict[str, Any] = field(default_factory=dict)
    #: Questions whose static default does not fit their type (see _invalid_default).
    invalid_defaults: set[str] = field(default_factory=set)

    def readers_of(self, path: str) -> list[Computation]:
        """The computations whose expressions read ``path`` itself."""
        return self.readers.get(path, [])


def compile_text(text: str, item: ItemDef, column: str):
    """Compile an expression of ``item``; bad syntax or unknown function -> FormError."""
    try:
        from fieldsurvey.forms.xpath import compile_expression
    except ImportError:  # the expression layer is not there (partial checkout)
        return _Uncompiled(text)
    try:
        return compile_expression(text)
    except FormError as exc:
        function = getattr(exc, "function", None)
        if function:
            # Worded as ODK Validate words it, so designers recognise the problem
            message = N_("The {column} of {name} cannot handle function '{function}': {expression}")
        else:
            message = N_("The {column} of {name} is not a valid expression: {expression}")
        raise FormError(
            message,
            code="form.xpath",
            params={
                "column": column,
                "name": item.name,
                "expression": text.strip(),
                "function": function,
            },
            detail=exc.english(),
            field=item.name,
            column=column,
        ) from None
    except Exception as exc:  # the parser's own errors: still the designer's to fix
        raise FormError(
            N_("The {column} of {name} is not a valid expression: {expression}"),
            code="form.xpath",
            params={"column": column, "name": item.name, "expression": text.strip()},
            detail=str(exc),
            field=item.name,
            column=column,
        ) from None


class _Uncompiled:
    """Stands for an expression when the expression layer cannot be imported."""

    def __init__(self, text: str) -> None:
        self.text = text

    def references(self, context_path: str) -> set[str]:
        """No references: nothing can be known of an expression that was not compiled."""
        return set()


def _item_expressions(item: ItemDef):
    for kind in ("calculate", "relevant", "readonly", "required", "constraint"):
        text = getattr(item, kind)
        if text is not None and text.strip():
            yield kind, text
    if item.kind == "repeat" and item.repeat_count and item.repeat_count.strip():
        yield "count", item.repeat_count
    spec = item.itemset
    if spec is not None and (spec.predicate or spec.source_path):
        yield "choices", spec.nodeset
    outputs = []
    for templates in item.text_templates.values():
        for tmpl in templates.values():
            outputs.extend(part.expr for part in tmpl if isinstance(part, Output))
    outputs.extend(item.choice_outputs)
    if outputs:
        yield "text", outputs


#: Types whose static default is read as a typed value (numbers, dates, times).
_TYPED_DEFAULTS = ("integer", "decimal", "date", "time", "dateTime")


def _invalid_default(item: ItemDef) -> bool:
    """Whether a static default cannot be read as its question's type.

    JavaRosa reads the form's instance into typed answers, so a default that is no date
    (pyxform writes an Excel date cell as ``1900-01-01 00:00:00``) leaves the question
    empty in ODK Collect.
    """
    if item.type not in _TYPED_DEFAULTS:
        return False
    try:
        canonical(item, item.default)
    except AnswerError:
        return True
    return False


def _is_scoped(texts: list[str], root_name: str) -> bool:
    """Whether an expression reads only relative paths (see Computation.scoped)."""
    for text in texts:
        if f"/{root_name}/" in text or f"/{root_name} " in text or "indexed-repeat" in text:
            return False
        if "position(" in text or "instance(" in text:
            return False
    return True


def build_graph(definition: FormDefinition) -> DependencyGraph:
    """Compile every expression of the form and index it by what it reads."""
    graph = DependencyGraph()
    root_name = definition.root_name
    for item in definition.iter_items():
        for kind, text in _item_expressions(item):
            texts = text if isinstance(text, list) else [text]
            refs: set[str] = set()
            exprs = []
            for t in texts:
                expr = compile_text(t, item, COLUMNS[kind])
                graph.compiled[t] = expr
                exprs.append(expr)
                refs |= set(expr.references(item.path))
            if kind == "choices" and item.itemset.source_path:
                refs.add(item.itemset.source_path)
            comp = Computation(
                item=item,
                kind=kind,
                text=texts[0] if len(texts) == 1 else " | ".join(texts),
                expr=exprs[0] if len(exprs) == 1 else exprs,
                refs=frozenset(refs),
                scoped=_is_scoped(texts, root_name),
            )
            graph.computations.append(comp)
            graph.by_item[item.path].append(comp)
            for ref in refs:
                graph.readers[ref].append(comp)
        if item.default is not None and _invalid_default(item):
            graph.invalid_defaults.add(item.path)
        if item.dynamic_default:
            graph.defaults[item.path] = compile_text(item.dynamic_default, item, COLUMNS["default"])
    for trig in definition.triggers:
        if trig.event == "xforms-value-changed" and trig.source:
            target = definition.item(trig.target) if definition.has_item(trig.target) else None
            if target is None:
                raise FormError(
                    N_("The trigger of {path} sets {target}, which is not in the form."),
                    code="form.trigger",
                    params={"path": trig.source, "target": trig.target},
                )
            expr = compile_text(trig.value, target, COLUMNS["trigger"]) if trig.value else None
            graph.triggers[trig.source].append((trig.target, expr))
    if definition.instance_name:
        meta = (
            definition.item(f"/{root_name}/meta/instanceName")
            if definition.has_item(f"/{root_name}/meta/instanceName")
            else definition.root
        )
        graph.compiled[definition.instance_name] = compile_text(
            definition.instance_name, meta, "instance_name"
        )
    _rank(graph)
    return graph


def _rank(graph: DependencyGraph) -> None:
    """Give calculations a topological rank; a cycle is a FormError naming the fields."""
    calcs = {c.item.path: c for c in graph.computations if c.kind == "calculate"}
    deps = {path: {r for r in c.refs if r in calcs and r != path} for path, c in calcs.items()}
    order: list[str] = []
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    for start in calcs:
        if state.get(start):
            continue
        stack = [(start, iter(sorted(deps[start])))]
        state[start] = 1
        trail = [start]
        while stack:
            node, children = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                trail.pop()
                state[node] = 2
                order.append(node)
                continue
            if state.get(child) == 1:
                cycle = trail[trail.index(child) :] + [child]
                names = [calcs[p].item.name for p in cycle]
                raise FormError(
                    N_("These calculations depend on each other in a cycle: {fields}."),
                    code="form.cycle",
                    params={"fields": " -> ".join(names)},
                    field=names[0],
                )
            if not state.get(child):
                state[child] = 1
                trail.append(child)
                stack.append((child, iter(sorted(deps[child]))))
    rank = {path: i for i, path in enumerate(order)}
    n = len(order)
    kind_index = {k: i for i, k in enumerate(KINDS)}
    for comp in graph.computations:
        if comp.kind == "calculate":
            comp.rank = rank[comp.item.path]
        else:
            # After all calculations; groups before what they contain (document order),
            # so inherited relevance is known when a child is evaluated.
            comp.rank = n + comp.item.order * len(KINDS) + kind_index[comp.kind]


def check_form(definition: FormDefinition) -> DependencyGraph:
    """Compile and order the form's expressions, caching the graph on the definition."""
    graph = build_graph(definition)
    definition.graph = graph  # type: ignore[attr-defined]
    return graph


def graph_of(definition: FormDefinition) -> DependencyGraph:
    """The dependency graph of ``definition``, built and checked on first use."""
    graph = getattr(definition, "graph", None)
    return graph if graph is not None else check_form(definition)
