"""Compiled ODK XPath expressions: ``compile_expression(text).evaluate(ctx)``.

elementpath parses the text; the token tree is then compiled once into Python closures
that evaluate straight on ``xml.etree.ElementTree`` elements with ODK's value model (see
``values.py``). Compiling once and skipping elementpath's per-call context set-up keeps an
evaluation in the tens of microseconds, which the engine needs to re-run every affected
bind on each keystroke.
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable
from functools import lru_cache

from elementpath.exceptions import ElementPathError
from elementpath.xpath_tokens import XPathFunction

from fieldsurvey.errors import FormError
from fieldsurvey.forms.xpath import parser as _parser
from fieldsurvey.forms.xpath.context import EvalContext, Focus
from fieldsurvey.forms.xpath.odk_functions import FUNCTIONS, PREFIXED_FUNCTIONS, FunctionSpec
from fieldsurvey.forms.xpath.paths import compile_path, is_path_token
from fieldsurvey.forms.xpath.references import collect_references
from fieldsurvey.forms.xpath.values import (
    NAN,
    node_string,
    string_to_number,
    to_boolean,
    to_number,
    to_string,
)
from fieldsurvey.i18n import N_

Compiled = Callable[[Focus], object]


class XPathSyntaxError(FormError):
    """An expression that cannot be read: bad syntax or a function ODK does not have."""

    code = "xpath_syntax"
    default_message = N_("The expression {expression} cannot be read: {reason}")

    def __init__(self, expression: str, reason: str, *, function: str | None = None,
                 **context) -> None:
        self.expression = expression
        self.reason = reason
        self.function = function
        if function:
            message = N_("The expression {expression} uses {function}(), which is not an "
                         "ODK function.")
            code = "xpath_unknown_function"
        else:
            message = self.default_message
            code = self.code
        super().__init__(message, code=code, params={
            "expression": expression, "reason": reason, "function": function or ""}, **context)


class XPathEvaluationError(FormError):
    """An expression that failed while it ran (a bug in the form or in the engine)."""

    code = "xpath_evaluation"
    default_message = N_("The expression {expression} could not be evaluated: {reason}")

    def __init__(self, expression: str, reason: str, **context) -> None:
        self.expression = expression
        self.reason = reason
        super().__init__(self.default_message,
                         params={"expression": expression, "reason": reason}, **context)


_RUNTIME_ERRORS = (ValueError, TypeError, ArithmeticError, RecursionError, KeyError,
                   IndexError, AttributeError, StopIteration)


class Expression:
    """A compiled expression. Immutable and shared: one per distinct text."""

    __slots__ = ("text", "_tree", "_run", "_references")

    def __init__(self, text: str, tree, run: Compiled) -> None:
        self.text = text
        self._tree = tree
        self._run = run
        self._references: dict[str, frozenset[str]] = {}

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def evaluate(self, ctx: EvalContext):
        """The raw XPath value: str, float, bool, or a list of nodes (elements)."""
        try:
            return self._run(Focus(ctx, ctx.node))
        except _RUNTIME_ERRORS as exc:
            raise XPathEvaluationError(self.text, str(exc) or type(exc).__name__) from exc

    def evaluate_string(self, ctx: EvalContext) -> str:
        """The value as a string (``string()``)."""
        return to_string(self.evaluate(ctx))

    def evaluate_number(self, ctx: EvalContext) -> float:
        """The value as a number (ODK ``number()``: dates become days since 1970)."""
        return to_number(self.evaluate(ctx))

    def evaluate_boolean(self, ctx: EvalContext) -> bool:
        """The value as a boolean (``boolean()``)."""
        return to_boolean(self.evaluate(ctx))

    def references(self, context_path: str) -> set[str]:
        """Template paths of the primary-instance nodes this expression reads.

        Relative steps (``.``, ``..``, ``current()``) are resolved against
        ``context_path`` (``/data/grp/q``); predicates and indexes are dropped, prefixes
        removed. Nodes of secondary instances (``instance('x')/...``) are left out. The
        set is conservative: a path may name a group or repeat (depend on everything
        under it), and ``*`` or ``//`` in a path stand for any name / any depth (see
        ``reference_matches``).
        """
        refs = self._references.get(context_path)
        if refs is None:
            refs = frozenset(collect_references(self._tree, context_path, _function_spec))
            self._references[context_path] = refs
        return set(refs)


@lru_cache(maxsize=16384)
def compile_expression(text: str) -> Expression:
    """Compile (once per distinct text) an ODK XPath expression.

    Raises XPathSyntaxError for bad syntax, an unknown function or a wrong number of
    arguments, with the expression in the message.
    """
    source = text.strip()
    if not source:
        raise XPathSyntaxError(text, "the expression is empty")
    try:
        tree = _parser.parse(source)
    except ElementPathError as exc:
        raise _syntax_error(text, exc) from None
    except (ValueError, TypeError, KeyError, IndexError, RecursionError) as exc:
        raise XPathSyntaxError(text, str(exc)) from None
    try:
        run = _compile(tree)
    except _Unsupported as exc:
        raise XPathSyntaxError(text, str(exc)) from None
    return Expression(text, tree, run)


_UNKNOWN_FUNCTION_RE = re.compile(r"unknown function '([^']+)'")
_ERROR_CODE_RE = re.compile(r"\[err:\w+\]\s*")


def _syntax_error(text: str, exc: ElementPathError) -> XPathSyntaxError:
    message = str(exc)
    unknown = _UNKNOWN_FUNCTION_RE.search(message)
    reason = _ERROR_CODE_RE.sub("", message).replace("'fn:", "'")
    if unknown:
        return XPathSyntaxError(text, reason, function=unknown.group(1))
    return XPathSyntaxError(text, reason)


class _Unsupported(Exception):
    """A construct the parser accepts but ODK does not (variables, sibling axes...)."""


def _function_spec(tok) -> tuple[str, FunctionSpec] | None:
    """The ODK function a token calls, or None when it is not a function call."""
    if tok.symbol == ":" and len(tok) == 2 and tok[1].label.endswith("function"):
        prefix, name = tok[0].value, tok[1].symbol
        spec = PREFIXED_FUNCTIONS.get((prefix, name))
        if spec is None:
            spec = next((s for (_, n), s in PREFIXED_FUNCTIONS.items() if n == name), None)
        return (f"{prefix}:{name}", spec) if spec else None
    if isinstance(tok, XPathFunction) and "function" in str(tok.label):
        name = tok.symbol
        spec = FUNCTIONS.get(name)
        if spec is None:
            spec = next((s for (_, n), s in PREFIXED_FUNCTIONS.items() if n == name), None)
        return (name, spec) if spec else None
    return None


# -- compiler ------------------------------------------------------------------------------

def _compile(tok) -> Compiled:
    symbol = tok.symbol
    if symbol == "(string)":
        text = tok.value
        return lambda focus: text
    if symbol in ("(integer)", "(decimal)", "(float)"):
        number = float(tok.value)
        return lambda focus: number
    called = _function_spec(tok)
    if called is not None:
        return _compile_call(tok if symbol != ":" else tok[1], *called)
    if symbol in _BINARY and len(tok) == 2:
        return _BINARY[symbol](_compile(tok[0]), _compile(tok[1]))
    if symbol == "-" and len(tok) == 1:
        operand = _compile(tok[0])
        return lambda focus: -to_number(operand(focus))
    if symbol == "+" and len(tok) == 1:
        operand = _compile(tok[0])
        return lambda focus: to_number(operand(focus))
    if symbol == "(" and len(tok) == 1:
        return _compile(tok[0])
    if symbol == "|":
        left, right = _compile_nodes(tok[0]), _compile_nodes(tok[1])
        return lambda focus: _union(left(focus), right(focus))
    if is_path_token(tok):
        return compile_path(tok, _compile, _compile_nodes, _Unsupported)
    if symbol == "$":
        raise _Unsupported("variables ($name) are not part of ODK XPath")
    raise _Unsupported(f"{tok.symbol!r} is not supported in ODK XPath")


def _compile_nodes(tok) -> Compiled:
    """Compile a sub-expression that must give a node-set (a path or a union)."""
    run = _compile(tok)

    def nodes(focus):
        value = run(focus)
        return value if isinstance(value, list) else []

    return nodes


def _compile_call(tok, name: str, spec: FunctionSpec) -> Compiled:
    args = tuple(_compile(arg) for arg in tok)
    if name == "indexed-repeat" and len(args) % 2 == 0:
        raise _Unsupported("indexed-repeat() takes 3, 5 or 7 arguments")
    if name == "weighted-checklist" and len(args) % 2:
        raise _Unsupported("weighted-checklist() takes values and weights in pairs")
    impl = spec.impl
    return lambda focus: impl(focus, args)


def _union(left: list, right: list) -> list:
    if not left:
        return right
    seen = {id(node) for node in left}
    return left + [node for node in right if id(node) not in seen]


# -- operators -----------------------------------------------------------------------------

def _equals(a, b) -> bool:
    if isinstance(a, list):
        if isinstance(b, list):
            others = {node_string(node) for node in b}
            return any(node_string(node) in others for node in a)
        if isinstance(b, bool):
            return to_boolean(a) == b
        if isinstance(b, float):
            return any(string_to_number(node_string(node)) == b for node in a)
        return any(node_string(node) == to_string(b) for node in a)
    if isinstance(b, list):
        return _equals(b, a)
    if isinstance(a, bool) or isinstance(b, bool):
        return to_boolean(a) == to_boolean(b)
    if isinstance(a, float) or isinstance(b, float):
        return to_number(a) == to_number(b)
    return a == b


def _not_equals(a, b) -> bool:
    if isinstance(a, list):
        if isinstance(b, list):
            return any(node_string(x) != node_string(y) for x in a for y in b)
        if isinstance(b, bool):
            return to_boolean(a) != b
        if isinstance(b, float):
            return any(string_to_number(node_string(node)) != b for node in a)
        return any(node_string(node) != to_string(b) for node in a)
    if isinstance(b, list):
        return _not_equals(b, a)
    return not _equals(a, b)


def _numbers_of(value) -> list[float]:
    return [string_to_number(node_string(node)) for node in value]


def _relational(compare: Callable[[float, float], bool]):
    def test(a, b) -> bool:
        if isinstance(a, list) and isinstance(b, bool):
            a = to_boolean(a)
        if isinstance(b, list) and isinstance(a, bool):
            b = to_boolean(b)
        if isinstance(a, list):
            if isinstance(b, list):
                rights = _numbers_of(b)
                return any(compare(x, y) for x in _numbers_of(a) for y in rights)
            right = to_number(b)
            return any(compare(x, right) for x in _numbers_of(a))
        if isinstance(b, list):
            left = to_number(a)
            return any(compare(left, y) for y in _numbers_of(b))
        return compare(to_number(a), to_number(b))

    return test


def _divide(a: float, b: float) -> float:
    if b == 0:
        if a == 0 or math.isnan(a):
            return NAN
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _modulo(a: float, b: float) -> float:
    if b == 0 or math.isnan(a) or math.isnan(b) or math.isinf(a):
        return NAN
    return math.fmod(a, b)


def _arithmetic(func: Callable[[float, float], float]):
    def build(left: Compiled, right: Compiled) -> Compiled:
        def run(focus):
            try:
                return func(to_number(left(focus)), to_number(right(focus)))
            except OverflowError:
                return NAN

        return run

    return build


def _comparison(test: Callable[[object, object], bool]):
    def build(left: Compiled, right: Compiled) -> Compiled:
        return lambda focus: test(left(focus), right(focus))

    return build


def _or(left: Compiled, right: Compiled) -> Compiled:
    return lambda focus: to_boolean(left(focus)) or to_boolean(right(focus))


def _and(left: Compiled, right: Compiled) -> Compiled:
    return lambda focus: to_boolean(left(focus)) and to_boolean(right(focus))


_BINARY: dict[str, Callable[[Compiled, Compiled], Compiled]] = {
    "or": _or,
    "and": _and,
    "=": _comparison(_equals),
    "!=": _comparison(_not_equals),
    "<": _comparison(_relational(operator.lt)),
    "<=": _comparison(_relational(operator.le)),
    ">": _comparison(_relational(operator.gt)),
    ">=": _comparison(_relational(operator.ge)),
    "+": _arithmetic(operator.add),
    "-": _arithmetic(operator.sub),
    "*": _arithmetic(operator.mul),
    "div": _arithmetic(_divide),
    "mod": _arithmetic(_modulo),
}


_WILDCARD_RE_CACHE: dict[str, re.Pattern] = {}


def reference_matches(reference: str, path: str) -> bool:
    """Whether a template ``path`` is one that ``reference`` (from ``references()``) names.

    A reference also covers everything below it (a group's value is its descendants').
    """
    pattern = _WILDCARD_RE_CACHE.get(reference)
    if pattern is None:
        parts = re.split(r"(//|/|\*)", reference)
        regex = "".join(
            "(?:/.*)?/" if part == "//" else "[^/]+" if part == "*" else re.escape(part)
            for part in parts
        )
        pattern = _WILDCARD_RE_CACHE[reference] = re.compile(regex + "(?:/.*)?$")
    return pattern.match(path) is not None
