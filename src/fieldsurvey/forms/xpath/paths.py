"""Location paths (``/data/grp/q``, ``../q``, ``instance('x')/root/item[name=$v]``).

A step is compiled into ``step(focus, node) -> list``: the nodes it selects from one
context node, predicates applied with positions counted per context node (XPath 1.0
§2.4). Element names match by local name, so ``orx:meta`` finds ``<meta>``.
"""

from __future__ import annotations

from fieldsurvey.forms.xpath.context import Focus
from fieldsurvey.forms.xpath.values import Document, to_boolean

_STEP_SYMBOLS = frozenset({"(name)", ".", "..", "@", ":"})
_PATH_SYMBOLS = frozenset({"/", "//", "["}) | _STEP_SYMBOLS
_NUMBER_LITERALS = frozenset({"(integer)", "(decimal)", "(float)"})


class Leaf:
    """An attribute or text node: a value with a parent, and no children."""

    __slots__ = ("tag", "text", "parent")

    def __init__(self, tag: str, text: str, parent) -> None:
        self.tag = tag
        self.text = text
        self.parent = parent

    def __len__(self) -> int:
        return 0

    def __iter__(self):
        return iter(())

    def itertext(self):
        """The text of the leaf, as ``Element.itertext`` gives it."""
        yield self.text


def is_path_token(tok) -> bool:
    """Whether a token is a location path, a step or a filtered expression."""
    symbol = tok.symbol
    if symbol in _PATH_SYMBOLS:
        return True
    if symbol == "*":
        return len(tok) == 0
    return tok.label in ("axis", "kind test")


def _is_step(tok) -> bool:
    if tok.symbol in _STEP_SYMBOLS or (tok.symbol == "*" and len(tok) == 0):
        return True
    if tok.label in ("axis", "kind test"):
        return True
    return tok.symbol == "[" and _is_step(tok[0])


def local_name(tag) -> str:
    """A tag without its namespace ("" for comments and other non-element nodes)."""
    if not isinstance(tag, str):
        return ""
    if tag[:1] == "{":
        return tag.rpartition("}")[2]
    return tag


def compile_path(tok, compile_any, compile_nodes, unsupported):
    """Compile a path token into ``run(focus) -> list of nodes``."""
    return _PathCompiler(compile_any, compile_nodes, unsupported).nodes(tok)


class _PathCompiler:
    def __init__(self, compile_any, compile_nodes, unsupported) -> None:
        self.compile_any = compile_any
        self.compile_nodes = compile_nodes
        self.unsupported = unsupported

    def nodes(self, tok):
        symbol = tok.symbol
        if symbol in ("/", "//"):
            if len(tok) == 0:
                return lambda focus: [focus.ctx.primary_document()]
            if len(tok) == 1:
                def left(focus):
                    return [focus.ctx.primary_document()]
                step = self.step(tok[0])
            else:
                left = self.source(tok[0])
                step = self.step(tok[1])
            if symbol == "//":
                return lambda focus: _apply(focus, _descendants_or_self(left(focus)), step)
            return lambda focus: _apply(focus, left(focus), step)
        if symbol == "[" and not _is_step(tok[0]):
            base = self.source(tok[0])
            keep = self.predicate(tok[1])
            return lambda focus: keep(focus, base(focus))
        step = self.step(tok)
        return lambda focus: step(focus, focus.node)

    def source(self, tok):
        """The left side of ``/``: a path, or any expression giving a node-set."""
        if is_path_token(tok):
            return self.nodes(tok)
        return self.compile_nodes(tok)

    def predicate(self, tok):
        """``keep(focus, nodes) -> nodes`` for one predicate."""
        if tok.symbol in _NUMBER_LITERALS:
            number = float(tok.value)
            index = int(number) if number.is_integer() else 0

            def keep_at(focus, nodes):
                return nodes[index - 1:index] if index >= 1 else []

            return keep_at
        test = self.compile_any(tok)

        def keep(focus, nodes):
            # One focus moved along the nodes: nothing keeps a focus after it returns.
            inner = Focus(focus.ctx, None, 0, len(nodes))
            kept = []
            for position, node in enumerate(nodes, 1):
                inner.node = node
                inner.pos = position
                value = test(inner)
                if value.__class__ is float:
                    if value == position:
                        kept.append(node)
                elif to_boolean(value):
                    kept.append(node)
            return kept

        return keep

    def step(self, tok):
        symbol = tok.symbol
        if symbol == "[":
            if not _is_step(tok[0]):
                raise self.unsupported("a filter expression cannot follow '/'")
            base = self.step(tok[0])
            keep = self.predicate(tok[1])
            return lambda focus, node: keep(focus, base(focus, node))
        if symbol == ".":
            return lambda focus, node: [node]
        if symbol == "..":
            return lambda focus, node: _parent_of(focus, node)
        if symbol == "@":
            return self._attributes(tok[0])
        if tok.label == "axis":
            return self._axis(symbol, self.node_test(tok[0]))
        if tok.label == "kind test":
            if symbol == "text":
                return _text_nodes
            if symbol == "node":
                return lambda focus, node: list(node)
            raise self.unsupported(f"{symbol}() is not supported in ODK XPath")
        name = self._name(tok)
        if name is not None:
            if name == "*":
                return lambda focus, node: list(node)
            return lambda focus, node: _children_named(node, name)
        raise self.unsupported(f"{tok.symbol!r} cannot be used as a path step")

    @staticmethod
    def _name(tok) -> str | None:
        if tok.symbol == "(name)":
            return tok.value
        if tok.symbol == "*" and len(tok) == 0:
            return "*"
        if tok.symbol == ":" and len(tok) == 2:
            return tok[1].value if tok[1].symbol != "*" else "*"
        return None

    def node_test(self, tok):
        """``test(node) -> bool`` for the node test after an axis."""
        if tok.label == "kind test":
            if tok.symbol == "node":
                return lambda node: True
            raise self.unsupported(f"{tok.symbol}() is not supported after an axis")
        name = self._name(tok)
        if name is None:
            raise self.unsupported(f"{tok.symbol!r} is not a node test")
        if name == "*":
            return lambda node: not isinstance(node, Document | Leaf)
        return lambda node: not isinstance(node, Document) and local_name(node.tag) == name

    def _axis(self, axis: str, test):
        if axis == "child":
            return lambda focus, node: [child for child in node if test(child)]
        if axis == "self":
            return lambda focus, node: [node] if test(node) else []
        if axis == "parent":
            return lambda focus, node: [p for p in _parent_of(focus, node) if test(p)]
        if axis == "descendant":
            return lambda focus, node: [d for d in _descendants_or_self([node])[1:] if test(d)]
        if axis == "descendant-or-self":
            return lambda focus, node: [d for d in _descendants_or_self([node]) if test(d)]
        if axis in ("ancestor", "ancestor-or-self"):
            with_self = axis == "ancestor-or-self"

            def ancestors(focus, node):
                found = [node] if with_self and test(node) else []
                parent = focus.ctx.parent(node)
                while parent is not None:
                    if test(parent):
                        found.append(parent)
                    parent = focus.ctx.parent(parent)
                found.reverse()
                return found

            return ancestors
        raise self.unsupported(f"the {axis}:: axis is not supported in ODK XPath")

    def _attributes(self, tok):
        name = self._name(tok)
        if name is None:
            raise self.unsupported("@ must be followed by a name")

        def attributes(focus, node):
            if isinstance(node, Document | Leaf):
                return []
            return [Leaf(key, value, node) for key, value in node.attrib.items()
                    if name == "*" or local_name(key) == name]

        return attributes


def _children_named(node, name: str) -> list:
    found = [child for child in node if child.tag == name]
    if found or not len(node):
        return found
    # Namespaced tags (from a parsed XForm) are matched by their local name.
    return [child for child in node if local_name(child.tag) == name]


def _text_nodes(focus, node) -> list:
    if isinstance(node, Document | Leaf) or not node.text:
        return []
    return [Leaf("#text", node.text, node)]


def _parent_of(focus, node) -> list:
    parent = focus.ctx.parent(node)
    return [parent] if parent is not None else []


def _descendants_or_self(nodes: list) -> list:
    found = []
    for node in nodes:
        if isinstance(node, Document):
            found.append(node)
            found.extend(node.root.iter())
        elif isinstance(node, Leaf):
            found.append(node)
        else:
            found.extend(node.iter())
    return found


def _apply(focus, nodes: list, step) -> list:
    if len(nodes) == 1:
        return step(focus, nodes[0])
    seen: set[int] = set()
    result = []
    for node in nodes:
        for found in step(focus, node):
            if id(found) not in seen:
                seen.add(id(found))
                result.append(found)
    return result
