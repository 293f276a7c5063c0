"""The function registry and the helpers that read arguments.

Each implementation receives the evaluation focus and its arguments as *unevaluated*
compiled closures, so ``if()``, ``coalesce()`` and ``once()`` evaluate only what they need
and node-set functions see node-sets.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from fieldsurvey.forms.xpath.values import (
    node_string,
    to_number,
    to_string,
)


@dataclass(frozen=True)
class FunctionSpec:
    """How many arguments a function takes and what it does.

    ``reads_context``: called with no argument it reads the context node's value
    (``string-length()``), which ``references()`` must know.
    """

    min_args: int
    max_args: int | None
    impl: Callable
    reads_context: bool = False


FUNCTIONS: dict[str, FunctionSpec] = {}
PREFIXED_FUNCTIONS: dict[tuple[str, str], FunctionSpec] = {}


def odk_function(
    name: str, min_args: int, max_args: int | None = -1, *, prefix=None, reads_context=False
):
    """Register an implementation; ``max_args`` defaults to ``min_args``, None = any."""

    def register(impl):
        spec = FunctionSpec(min_args, min_args if max_args == -1 else max_args, impl, reads_context)
        if prefix:
            PREFIXED_FUNCTIONS[(prefix, name)] = spec
        else:
            FUNCTIONS[name] = spec
        return impl

    return register


def str_arg(focus, arg) -> str:
    """The string value of an argument."""
    return to_string(arg(focus))


def num_arg(focus, arg) -> float:
    """The number value of an argument (NaN when it is not a number)."""
    return to_number(arg(focus))


def strings_of(value) -> list[str]:
    """All string values in a value: every node of a node-set, or the one value."""
    if isinstance(value, list):
        return [node_string(node) for node in value]
    return [to_string(value)]


def context_string(focus) -> str:
    """The string value of the context node ("" without one)."""
    node = focus.node
    return node_string(node) if node is not None else ""


def to_index(number: float) -> int | None:
    """A number as an index (truncated, clamped to a sane range); None for NaN."""
    return None if math.isnan(number) else int(max(min(number, 1e15), -1e15))


def local_name(tag: str) -> str:
    """A tag without its namespace or prefix."""
    if tag[:1] == "{":
        tag = tag.rpartition("}")[2]
    return tag.rpartition(":")[2]


def nodes_arg(focus, arg) -> list:
    """The nodes of a node-set argument ([] when it is not a node-set)."""
    value = arg(focus)
    return value if isinstance(value, list) else []
