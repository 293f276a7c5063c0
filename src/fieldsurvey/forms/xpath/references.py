"""Which instance nodes an expression reads, as template paths (for the dependency graph).

The token tree is walked with *sets of template paths* in place of nodes: a step maps
``{"/data/grp"}`` to ``{"/data/grp/q"}``. Only a path used as a value is recorded (the
final step, not ``/data`` on the way to ``/data/q``); predicates are walked with their
step's paths as context. Secondary instances are followed under an ``instance(...)``
pseudo-root and dropped at the end. Where a name or depth is unknown (``*``, ``//``) the
path keeps the wildcard, so the result never misses a dependency.
"""

from __future__ import annotations

import re

_ANY_INSTANCE = "instance()"
_PREDICATE_RE = re.compile(r"\[[^\]]*\]")


def _parent(path: str) -> str | None:
    if path in ("/", "") or path.startswith("instance(") and "/" not in path:
        return None
    head, _, _tail = path.rpartition("/")
    if head.endswith("/"):
        # ".../a//x/..": the parent is some node below /a, or /a itself.
        return head + "*"
    return head or "/"


def _child(path: str, name: str) -> str:
    return f"/{name}" if path == "/" else f"{path}/{name}"


class _Walker:
    def __init__(self, context_path: str, function_spec) -> None:
        self.current = context_path
        self.function_spec = function_spec
        self.reads: set[str] = set()

    def value(self, tok, base: set[str]) -> None:
        """Walk a sub-expression used as a value: its node-set paths are read."""
        self.reads |= self.walk(tok, base)

    def walk(self, tok, base: set[str]) -> set[str]:
        """The paths a sub-expression selects (empty for non node-set values)."""
        symbol = tok.symbol
        if symbol in ("(string)", "(integer)", "(decimal)", "(float)"):
            return set()
        called = self.function_spec(tok)
        if called is not None:
            return self.call(tok if symbol != ":" else tok[1], called[0], called[1], base)
        if symbol == "|":
            return self.walk(tok[0], base) | self.walk(tok[1], base)
        if symbol == "(" and len(tok) == 1:
            return self.walk(tok[0], base)
        if symbol in ("/", "//"):
            if len(tok) == 0:
                return {"/"}
            if len(tok) == 1:
                left, right = {"/"}, tok[0]
            else:
                left, right = self.walk(tok[0], base), tok[1]
            if symbol == "//":
                left = {p + "//" if p != "/" else "//" for p in left}
            return self.step(right, left)
        if symbol == "[" and not self._is_step(tok[0]):
            selected = self.walk(tok[0], base)
            self.value(tok[1], selected)
            return selected
        if self._is_step(tok):
            return self.step(tok, base)
        for child in tok:
            self.value(child, base)
        return set()

    @staticmethod
    def _is_step(tok) -> bool:
        symbol = tok.symbol
        if symbol in ("(name)", ".", "..", "@", ":") or (symbol == "*" and len(tok) == 0):
            return True
        if tok.label in ("axis", "kind test"):
            return True
        return symbol == "[" and _Walker._is_step(tok[0])

    def step(self, tok, paths: set[str]) -> set[str]:
        symbol = tok.symbol
        if symbol == "[":
            selected = self.step(tok[0], paths)
            self.value(tok[1], selected)
            return selected
        if symbol == ".":
            return {p.rstrip("/") or "/" for p in paths}
        if symbol == "..":
            return {parent for p in paths if (parent := _parent(p.rstrip("/") or "/"))}
        if symbol == "@":
            return {self._join(p, "@" + self._name(tok[0])) for p in paths}
        if tok.label == "axis":
            return self._axis(symbol, tok[0], paths)
        if tok.label == "kind test":
            if tok.symbol == "text":
                return {p.rstrip("/") or "/" for p in paths}
            return {self._join(p, "*") for p in paths}
        return {self._join(p, self._name(tok)) for p in paths}

    @staticmethod
    def _join(path: str, name: str) -> str:
        if path.endswith("//"):
            return path + name
        return _child(path, name)

    @staticmethod
    def _name(tok) -> str:
        if tok.symbol == "(name)":
            return tok.value
        if tok.symbol == ":" and len(tok) == 2:
            return tok[1].value if tok[1].symbol != "*" else "*"
        return "*"

    def _axis(self, axis: str, test, paths: set[str]) -> set[str]:
        name = self._name(test) if test.label != "kind test" else "*"
        if axis == "child":
            return {self._join(p, name) for p in paths}
        if axis == "self":
            return {p.rstrip("/") or "/" for p in paths}
        if axis == "parent":
            return {parent for p in paths if (parent := _parent(p.rstrip("/") or "/"))}
        if axis in ("descendant", "descendant-or-self"):
            found = {(p.rstrip("/") or "") + "//" + name for p in paths}
            if axis == "descendant-or-self":
                found |= {p.rstrip("/") or "/" for p in paths}
            return found
        # ancestors: every prefix of the path.
        found = set()
        for p in paths:
            parent = _parent(p.rstrip("/") or "/")
            while parent:
                found.add(parent)
                parent = _parent(parent)
            if axis == "ancestor-or-self":
                found.add(p)
        return found

    def call(self, tok, name: str, spec, base: set[str]) -> set[str]:
        if name == "current":
            return {self.current}
        if name == "instance":
            for arg in tok:
                self.value(arg, base)
            literal = tok[0].value if tok[0].symbol == "(string)" else ""
            return {f"instance({literal})" if literal else _ANY_INSTANCE}
        if len(tok) == 0 and spec.reads_context:
            self.reads |= {p.rstrip("/") or "/" for p in base}
        if name == "once":
            self.reads.add(self.current)
        selected: set[str] = set()
        for arg in tok:
            paths = self.walk(arg, base)
            self.reads |= paths
            if name == "randomize":
                selected |= paths
        return selected


def collect_references(tree, context_path: str, function_spec) -> set[str]:
    """Template paths of primary-instance nodes read by the token ``tree``."""
    context_path = _PREDICATE_RE.sub("", context_path).rstrip("/") or "/"
    walker = _Walker(context_path, function_spec)
    walker.value(tree, {context_path})
    return {path for path in walker.reads if path.startswith("/") and path != "/"}
