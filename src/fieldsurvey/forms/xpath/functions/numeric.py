"""Number functions: conversion, rounding, arithmetic and trigonometry."""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from fieldsurvey.forms.xpath.functions.registry import (
    context_string,
    num_arg,
    odk_function,
)
from fieldsurvey.forms.xpath.values import (
    NAN,
    decimal_of,
    string_to_number,
)


@odk_function("number", 0, 1, reads_context=True)
def fn_number(focus, args):
    return num_arg(focus, args[0]) if args else string_to_number(context_string(focus))


@odk_function("random", 0)
def fn_random(focus, args):
    return focus.ctx.rng.random()


@odk_function("int", 1)
def fn_int(focus, args):
    number = num_arg(focus, args[0])
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


@odk_function("round", 1, 2)
def fn_round(focus, args):
    number = num_arg(focus, args[0])
    places = num_arg(focus, args[1]) if len(args) > 1 else 0.0
    exact = decimal_of(number)
    if exact is None or math.isnan(places):
        return number if exact is None else NAN
    # Half away from zero on the exact binary value, as ODK Collect's BigDecimal does.
    quantum = Decimal(1).scaleb(-int(places))
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


@odk_function("floor", 1)
def fn_floor(focus, args):
    number = num_arg(focus, args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.floor(number))


@odk_function("ceiling", 1)
def fn_ceiling(focus, args):
    number = num_arg(focus, args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.ceil(number))


def _math(name: str, func: Callable[[float], float]):
    def impl(focus, args):
        try:
            return float(func(num_arg(focus, args[0])))
        except (ValueError, OverflowError):
            return NAN

    odk_function(name, 1)(impl)


for _name, _func in {
    "log": math.log,
    "log10": math.log10,
    "abs": abs,
    "sin": math.sin,
    "cos": math.cos,
    "tan": math.tan,
    "asin": math.asin,
    "acos": math.acos,
    "atan": math.atan,
    "sqrt": math.sqrt,
    "exp": math.exp,
    "exp10": lambda x: 10.0**x,
}.items():
    _math(_name, _func)


@odk_function("pow", 2)
def fn_pow(focus, args):
    try:
        return float(math.pow(num_arg(focus, args[0]), num_arg(focus, args[1])))
    except (ValueError, OverflowError):
        return NAN


@odk_function("atan2", 2)
def fn_atan2(focus, args):
    return math.atan2(num_arg(focus, args[0]), num_arg(focus, args[1]))


@odk_function("pi", 0)
def fn_pi(focus, args):
    return math.pi
