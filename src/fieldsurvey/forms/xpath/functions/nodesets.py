"""Node-set and repeat functions: counts, aggregates, positions, instances, pulldata."""

from __future__ import annotations

import math
from collections.abc import Callable

from fieldsurvey.forms.xpath.functions.registry import (
    FUNCTIONS,
    local_name,
    nodes_arg,
    num_arg,
    odk_function,
    str_arg,
    strings_of,
    to_index,
)
from fieldsurvey.forms.xpath.values import (
    NAN,
    Document,
    node_string,
    string_to_number,
    to_number,
)


@odk_function("pulldata", 4)
def fn_pulldata(focus, args):
    instance_id, wanted, key_column, key = (str_arg(focus, arg) for arg in args)
    top = focus.ctx.instance_document(instance_id)
    if top is None:
        return ""
    for root in top:
        for item in root:
            fields = {local_name(child.tag): child for child in item}
            key_node = fields.get(key_column)
            if key_node is not None and node_string(key_node) == key:
                value = fields.get(wanted)
                return node_string(value) if value is not None else ""
    return ""


@odk_function("count", 1)
def fn_count(focus, args):
    return float(len(nodes_arg(focus, args[0])))


@odk_function("count-non-empty", 1)
def fn_count_non_empty(focus, args):
    return float(sum(1 for node in nodes_arg(focus, args[0]) if node_string(node)))


@odk_function("sum", 1)
def fn_sum(focus, args):
    value = args[0](focus)
    if not isinstance(value, list):
        return to_number(value)
    return float(sum(string_to_number(node_string(node)) for node in value))


def _numbers(focus, args) -> list[float]:
    return [
        string_to_number(text) if isinstance(arg_value, list) else to_number(arg_value)
        for arg in args
        for arg_value in [arg(focus)]
        for text in strings_of(arg_value)
    ]


def _extreme(focus, args, pick) -> float:
    """``pick`` (max or min) of the numbers in the arguments; NaN if one is not a number."""
    numbers = _numbers(focus, args)
    if not numbers or any(math.isnan(n) for n in numbers):
        return NAN
    return pick(numbers)


@odk_function("max", 1, None)
def fn_max(focus, args):
    return _extreme(focus, args, max)


@odk_function("min", 1, None)
def fn_min(focus, args):
    return _extreme(focus, args, min)


@odk_function("position", 0, 1)
def fn_position(focus, args):
    if not args:
        return float(focus.pos)
    nodes = nodes_arg(focus, args[0])
    if not nodes or isinstance(nodes[0], Document):
        return NAN
    node = nodes[0]
    parent = focus.ctx.parent(node)
    if parent is None:
        return 1.0
    same = [child for child in parent if child.tag == node.tag]
    return float(next(i for i, child in enumerate(same, 1) if child is node))


@odk_function("last", 0)
def fn_last(focus, args):
    return float(focus.size)


@odk_function("indexed-repeat", 3, 7)
def fn_indexed_repeat(focus, args):
    values = nodes_arg(focus, args[0])
    ctx = focus.ctx
    chosen = None
    for repeat_arg, index_arg in zip(args[1::2], args[2::2], strict=True):
        instances = nodes_arg(focus, repeat_arg)
        if chosen is not None:
            instances = [node for node in instances if _is_below(ctx, node, chosen)]
        index = to_index(num_arg(focus, index_arg))
        if index is None or not 1 <= index <= len(instances):
            return ""
        chosen = instances[index - 1]
    for node in values:
        if _is_below(ctx, node, chosen):
            return node_string(node)
    return ""


def _is_below(ctx, node, ancestor) -> bool:
    while node is not None:
        if node is ancestor:
            return True
        node = ctx.parent(node)
    return False


@odk_function("instance", 1)
def fn_instance(focus, args):
    top = focus.ctx.instance_document(str_arg(focus, args[0]))
    return [top] if top is not None else []


@odk_function("current", 0)
def fn_current(focus, args):
    return [focus.ctx.current] if focus.ctx.current is not None else []


@odk_function("randomize", 1, 2)
def fn_randomize(focus, args):
    nodes = list(nodes_arg(focus, args[0]))
    if len(args) > 1:
        seed = num_arg(focus, args[1])
        if math.isnan(seed) or math.isinf(seed):
            return nodes
        draw = _park_miller(seed)
    else:
        draw = focus.ctx.rng.random
    # Fisher-Yates "inside-out", as the spec prescribes, so seeded orders match ODK.
    result: list = []
    for index, node in enumerate(nodes):
        target = int(draw() * (index + 1))
        if target == index:
            result.append(node)
        else:
            result.append(result[target])
            result[target] = node
    return result


def _park_miller(seed: float) -> Callable[[], float]:
    state = int(seed) % 2147483647
    if state <= 0:
        state += 2147483646

    def draw() -> float:
        nonlocal state
        state = state * 16807 % 2147483647
        return (state - 1) / 2147483646

    return draw


@odk_function("name", 0, 1)
def fn_name(focus, args):
    nodes = nodes_arg(focus, args[0]) if args else [focus.node]
    node = nodes[0] if nodes else None
    return local_name(node.tag) if node is not None and not isinstance(node, Document) else ""


FUNCTIONS["local-name"] = FUNCTIONS["name"]
