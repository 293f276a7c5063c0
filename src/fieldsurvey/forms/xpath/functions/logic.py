"""Boolean and conditional functions: ``if``, ``coalesce``, ``once``, checklists."""

from __future__ import annotations

from fieldsurvey.forms.xpath.functions.registry import (
    num_arg,
    odk_function,
    str_arg,
    strings_of,
)
from fieldsurvey.forms.xpath.values import (
    node_string,
    string_to_number,
    to_boolean,
    to_number,
)


@odk_function("if", 3)
def fn_if(focus, args):
    return args[1](focus) if to_boolean(args[0](focus)) else args[2](focus)


@odk_function("coalesce", 2)
def fn_coalesce(focus, args):
    first = str_arg(focus, args[0])
    return first if first else str_arg(focus, args[1])


@odk_function("once", 1, reads_context=True)
def fn_once(focus, args):
    current = node_string(focus.ctx.node) if focus.ctx.node is not None else ""
    return current if current else str_arg(focus, args[0])


@odk_function("true", 0)
def fn_true(focus, args):
    return True


@odk_function("false", 0)
def fn_false(focus, args):
    return False


@odk_function("boolean", 1)
def fn_boolean(focus, args):
    return to_boolean(args[0](focus))


@odk_function("boolean-from-string", 1)
def fn_boolean_from_string(focus, args):
    return str_arg(focus, args[0]).strip() in ("true", "1")


@odk_function("not", 1)
def fn_not(focus, args):
    return not to_boolean(args[0](focus))


def _checked(value) -> float:
    number = to_number(value)
    return 1.0 if number > 0 else 0.0


def _within(total: float, minimum: float, maximum: float) -> bool:
    return (minimum < 0 or total >= minimum) and (maximum < 0 or total <= maximum)


@odk_function("checklist", 2, None)
def fn_checklist(focus, args):
    minimum, maximum = num_arg(focus, args[0]), num_arg(focus, args[1])
    total = 0.0
    for arg in args[2:]:
        value = arg(focus)
        items = value if isinstance(value, list) else [value]
        total += sum(
            _checked(node_string(i) if not isinstance(i, str | float | bool) else i) for i in items
        )
    return _within(total, minimum, maximum)


@odk_function("weighted-checklist", 2, None)
def fn_weighted_checklist(focus, args):
    minimum, maximum = num_arg(focus, args[0]), num_arg(focus, args[1])
    pairs = args[2:]
    if len(pairs) % 2:
        return False
    total = 0.0
    for value_arg, weight_arg in zip(pairs[::2], pairs[1::2], strict=True):
        values, weights = strings_of(value_arg(focus)), strings_of(weight_arg(focus))
        for value, weight in zip(values, weights, strict=False):
            if _checked(value):
                total += string_to_number(weight)
    return _within(total, minimum, maximum)
