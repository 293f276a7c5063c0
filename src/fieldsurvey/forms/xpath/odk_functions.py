"""The ODK XPath function library (ODK XForms spec, "XPath Functions").

Each function receives the evaluation focus and its arguments as *unevaluated* compiled
closures, so ``if()``, ``coalesce()`` and ``once()`` evaluate only what they need and
node-set functions see node-sets. ``FUNCTIONS`` also gives the argument counts the parser
enforces when a form is loaded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import math
import re
import string as _string
import uuid as _uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache

from fieldsurvey.forms.xpath import dates, geo
from fieldsurvey.forms.xpath.values import (
    NAN,
    Document,
    decimal_of,
    node_string,
    string_to_number,
    to_boolean,
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


def odk_function(name: str, min_args: int, max_args: int | None = -1, *, prefix=None,
                 reads_context=False):
    """Register an implementation; ``max_args`` defaults to ``min_args``, None = any."""

    def register(impl):
        spec = FunctionSpec(min_args, min_args if max_args == -1 else max_args, impl,
                            reads_context)
        if prefix:
            PREFIXED_FUNCTIONS[(prefix, name)] = spec
        else:
            FUNCTIONS[name] = spec
        return impl

    return register


# -- argument helpers ----------------------------------------------------------------------

def _str(focus, arg) -> str:
    return to_string(arg(focus))


def _num(focus, arg) -> float:
    return to_number(arg(focus))


def _strings(value) -> list[str]:
    """All string values in a value: every node of a node-set, or the one value."""
    if isinstance(value, list):
        return [node_string(node) for node in value]
    return [to_string(value)]


def _context_string(focus) -> str:
    node = focus.node
    return node_string(node) if node is not None else ""


# -- strings -------------------------------------------------------------------------------

@odk_function("string", 0, 1, reads_context=True)
def fn_string(focus, args):
    return _str(focus, args[0]) if args else _context_string(focus)


@odk_function("concat", 0, None)
def fn_concat(focus, args):
    return "".join(text for arg in args for text in _strings(arg(focus)))


@odk_function("join", 1, None)
def fn_join(focus, args):
    separator = _str(focus, args[0])
    return separator.join(text for arg in args[1:] for text in _strings(arg(focus)))


def _index(number: float) -> int | None:
    return None if math.isnan(number) else int(max(min(number, 1e15), -1e15))


@odk_function("substr", 2, 3)
def fn_substr(focus, args):
    text = _str(focus, args[0])
    start = _index(_num(focus, args[1]))
    end = _index(_num(focus, args[2])) if len(args) > 2 else len(text)
    if start is None or end is None:
        return ""
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    return text[start:end]


@odk_function("substring", 2, 3)
def fn_substring(focus, args):
    # XPath 1.0: 1-based, positions rounded, characters p with start <= p < start + length.
    text = _str(focus, args[0])
    start = _xpath_round(_num(focus, args[1]))
    end = start + _xpath_round(_num(focus, args[2])) if len(args) > 2 else math.inf
    if math.isnan(start) or math.isnan(end):
        return ""
    return "".join(ch for pos, ch in enumerate(text, 1) if start <= pos < end)


def _xpath_round(number: float) -> float:
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.floor(number + 0.5))


@odk_function("substring-before", 2)
def fn_substring_before(focus, args):
    text, sep = _str(focus, args[0]), _str(focus, args[1])
    index = text.find(sep)
    return text[:index] if index >= 0 else ""


@odk_function("substring-after", 2)
def fn_substring_after(focus, args):
    text, sep = _str(focus, args[0]), _str(focus, args[1])
    index = text.find(sep)
    return text[index + len(sep):] if index >= 0 else ""


@odk_function("string-length", 0, 1, reads_context=True)
def fn_string_length(focus, args):
    return float(len(_str(focus, args[0]) if args else _context_string(focus)))


@odk_function("normalize-space", 0, 1, reads_context=True)
def fn_normalize_space(focus, args):
    text = _str(focus, args[0]) if args else _context_string(focus)
    return " ".join(text.split())


@odk_function("contains", 2)
def fn_contains(focus, args):
    return _str(focus, args[1]) in _str(focus, args[0])


@odk_function("starts-with", 2)
def fn_starts_with(focus, args):
    return _str(focus, args[0]).startswith(_str(focus, args[1]))


@odk_function("ends-with", 2)
def fn_ends_with(focus, args):
    return _str(focus, args[0]).endswith(_str(focus, args[1]))


@odk_function("translate", 3)
def fn_translate(focus, args):
    text, source, target = (_str(focus, arg) for arg in args)
    table: dict[int, int | None] = {}
    for index, char in enumerate(source):
        # The first occurrence of a character in `source` wins (XPath 1.0).
        table.setdefault(ord(char), ord(target[index]) if index < len(target) else None)
    return text.translate(table)


@lru_cache(maxsize=256)
def _regex(pattern: str) -> re.Pattern | None:
    try:
        return re.compile(pattern)
    except re.error:
        return None


@odk_function("regex", 2)
def fn_regex(focus, args):
    # Like ODK Collect and Enketo: true when the pattern is found in the value, so anchor
    # with ^...$ for a whole-value match. A pattern that does not compile matches nothing.
    compiled = _regex(_str(focus, args[1]))
    return bool(compiled and compiled.search(_str(focus, args[0])))


_UUID_CHARS = _string.ascii_letters + _string.digits


@odk_function("uuid", 0, 1)
def fn_uuid(focus, args):
    rng = focus.ctx.rng
    if not args:
        return str(_uuid.UUID(int=rng.getrandbits(128), version=4))
    length = _index(_num(focus, args[0])) or 0
    return "".join(rng.choice(_UUID_CHARS) for _ in range(max(0, length)))


@odk_function("digest", 2, 3)
def fn_digest(focus, args):
    data = _str(focus, args[0]).encode("utf-8")
    algorithm = _str(focus, args[1]).upper().replace("-", "")
    encoding = _str(focus, args[2]).lower() if len(args) > 2 else "base64"
    names = {"MD5": "md5", "SHA1": "sha1", "SHA256": "sha256", "SHA384": "sha384",
             "SHA512": "sha512"}
    if algorithm not in names:
        return ""
    digest = hashlib.new(names[algorithm], data).digest()
    if encoding == "hex":
        return digest.hex()
    return base64.b64encode(digest).decode("ascii")


@odk_function("base64-decode", 1)
def fn_base64_decode(focus, args):
    try:
        return base64.b64decode(_str(focus, args[0]), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return ""


@odk_function("pulldata", 4)
def fn_pulldata(focus, args):
    instance_id, wanted, key_column, key = (_str(focus, arg) for arg in args)
    top = focus.ctx.instance_document(instance_id)
    if top is None:
        return ""
    for root in top:
        for item in root:
            fields = {_local(child.tag): child for child in item}
            key_node = fields.get(key_column)
            if key_node is not None and node_string(key_node) == key:
                value = fields.get(wanted)
                return node_string(value) if value is not None else ""
    return ""


def _local(tag: str) -> str:
    if tag[:1] == "{":
        tag = tag.rpartition("}")[2]
    return tag.rpartition(":")[2]


# -- booleans ------------------------------------------------------------------------------

@odk_function("if", 3)
def fn_if(focus, args):
    return args[1](focus) if to_boolean(args[0](focus)) else args[2](focus)


@odk_function("coalesce", 2)
def fn_coalesce(focus, args):
    first = _str(focus, args[0])
    return first if first else _str(focus, args[1])


@odk_function("once", 1, reads_context=True)
def fn_once(focus, args):
    current = node_string(focus.ctx.node) if focus.ctx.node is not None else ""
    return current if current else _str(focus, args[0])


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
    return _str(focus, args[0]).strip() in ("true", "1")


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
    minimum, maximum = _num(focus, args[0]), _num(focus, args[1])
    total = 0.0
    for arg in args[2:]:
        value = arg(focus)
        items = value if isinstance(value, list) else [value]
        total += sum(_checked(node_string(i) if not isinstance(i, str | float | bool) else i)
                     for i in items)
    return _within(total, minimum, maximum)


@odk_function("weighted-checklist", 2, None)
def fn_weighted_checklist(focus, args):
    minimum, maximum = _num(focus, args[0]), _num(focus, args[1])
    pairs = args[2:]
    if len(pairs) % 2:
        return False
    total = 0.0
    for value_arg, weight_arg in zip(pairs[::2], pairs[1::2], strict=True):
        values, weights = _strings(value_arg(focus)), _strings(weight_arg(focus))
        for value, weight in zip(values, weights, strict=False):
            if _checked(value):
                total += string_to_number(weight)
    return _within(total, minimum, maximum)


# -- numbers -------------------------------------------------------------------------------

@odk_function("number", 0, 1, reads_context=True)
def fn_number(focus, args):
    return _num(focus, args[0]) if args else string_to_number(_context_string(focus))


@odk_function("random", 0)
def fn_random(focus, args):
    return focus.ctx.rng.random()


@odk_function("int", 1)
def fn_int(focus, args):
    number = _num(focus, args[0])
    if math.isnan(number) or math.isinf(number):
        return number
    return float(math.trunc(number))


@odk_function("round", 1, 2)
def fn_round(focus, args):
    number = _num(focus, args[0])
    places = _num(focus, args[1]) if len(args) > 1 else 0.0
    exact = decimal_of(number)
    if exact is None or math.isnan(places):
        return number if exact is None else NAN
    # Half away from zero on the exact binary value, as ODK Collect's BigDecimal does.
    quantum = Decimal(1).scaleb(-int(places))
    return float(exact.quantize(quantum, rounding=ROUND_HALF_UP))


@odk_function("floor", 1)
def fn_floor(focus, args):
    number = _num(focus, args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.floor(number))


@odk_function("ceiling", 1)
def fn_ceiling(focus, args):
    number = _num(focus, args[0])
    return number if math.isnan(number) or math.isinf(number) else float(math.ceil(number))


def _math(name: str, func: Callable[[float], float]):
    def impl(focus, args):
        try:
            return float(func(_num(focus, args[0])))
        except (ValueError, OverflowError):
            return NAN

    odk_function(name, 1)(impl)


for _name, _func in {
    "log": math.log, "log10": math.log10, "abs": abs, "sin": math.sin, "cos": math.cos,
    "tan": math.tan, "asin": math.asin, "acos": math.acos, "atan": math.atan,
    "sqrt": math.sqrt, "exp": math.exp, "exp10": lambda x: 10.0 ** x,
}.items():
    _math(_name, _func)


@odk_function("pow", 2)
def fn_pow(focus, args):
    try:
        return float(math.pow(_num(focus, args[0]), _num(focus, args[1])))
    except (ValueError, OverflowError):
        return NAN


@odk_function("atan2", 2)
def fn_atan2(focus, args):
    return math.atan2(_num(focus, args[0]), _num(focus, args[1]))


@odk_function("pi", 0)
def fn_pi(focus, args):
    return math.pi


# -- node-sets -----------------------------------------------------------------------------

def _nodes(focus, arg) -> list:
    value = arg(focus)
    return value if isinstance(value, list) else []


@odk_function("count", 1)
def fn_count(focus, args):
    return float(len(_nodes(focus, args[0])))


@odk_function("count-non-empty", 1)
def fn_count_non_empty(focus, args):
    return float(sum(1 for node in _nodes(focus, args[0]) if node_string(node)))


@odk_function("sum", 1)
def fn_sum(focus, args):
    value = args[0](focus)
    if not isinstance(value, list):
        return to_number(value)
    return float(sum(string_to_number(node_string(node)) for node in value))


def _numbers(focus, args) -> list[float]:
    return [string_to_number(text) if isinstance(arg_value, list) else to_number(arg_value)
            for arg in args for arg_value in [arg(focus)] for text in _strings(arg_value)]


@odk_function("max", 1, None)
def fn_max(focus, args):
    numbers = _numbers(focus, args)
    if not numbers or any(math.isnan(n) for n in numbers):
        return NAN
    return max(numbers)


@odk_function("min", 1, None)
def fn_min(focus, args):
    numbers = _numbers(focus, args)
    if not numbers or any(math.isnan(n) for n in numbers):
        return NAN
    return min(numbers)


@odk_function("position", 0, 1)
def fn_position(focus, args):
    if not args:
        return float(focus.pos)
    nodes = _nodes(focus, args[0])
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
    values = _nodes(focus, args[0])
    ctx = focus.ctx
    chosen = None
    for repeat_arg, index_arg in zip(args[1::2], args[2::2], strict=True):
        instances = _nodes(focus, repeat_arg)
        if chosen is not None:
            instances = [node for node in instances if _is_below(ctx, node, chosen)]
        index = _index(_num(focus, index_arg))
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
    top = focus.ctx.instance_document(_str(focus, args[0]))
    return [top] if top is not None else []


@odk_function("current", 0)
def fn_current(focus, args):
    return [focus.ctx.current] if focus.ctx.current is not None else []


@odk_function("randomize", 1, 2)
def fn_randomize(focus, args):
    nodes = list(_nodes(focus, args[0]))
    if len(args) > 1:
        seed = _num(focus, args[1])
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
    nodes = _nodes(focus, args[0]) if args else [focus.node]
    node = nodes[0] if nodes else None
    return _local(node.tag) if node is not None and not isinstance(node, Document) else ""


FUNCTIONS["local-name"] = FUNCTIONS["name"]


# -- selects -------------------------------------------------------------------------------

@odk_function("selected", 2)
def fn_selected(focus, args):
    return _str(focus, args[1]).strip() in _str(focus, args[0]).split()


@odk_function("count-selected", 1)
def fn_count_selected(focus, args):
    return float(len(_str(focus, args[0]).split()))


@odk_function("selected-at", 2)
def fn_selected_at(focus, args):
    items = _str(focus, args[0]).split()
    index = _index(_num(focus, args[1]))
    return items[index] if index is not None and 0 <= index < len(items) else ""


@odk_function("choice-name", 2, prefix="jr")
def fn_choice_name(focus, args):
    ctx = focus.ctx
    value = _str(focus, args[0]).strip()
    where = args[1](focus)
    if isinstance(where, list):
        # An unquoted reference to the select: use the path of its node.
        path = template_path(ctx, where[0]) if where else ""
    else:
        path = strip_predicates(to_string(where))
    if not value or ctx.choice_label is None:
        return ""
    return ctx.choice_label(path, value) or ""


@odk_function("itext", 1, prefix="jr")
def fn_itext(focus, args):
    lookup = focus.ctx.itext
    return (lookup(_str(focus, args[0])) or "") if lookup else ""


_PREDICATE_RE = re.compile(r"\[[^\]]*\]")
_PREFIX_RE = re.compile(r"(?<=/)[\w.-]+:")


def strip_predicates(path: str) -> str:
    """``/data/orx:meta/rep[2]/q`` -> ``/data/meta/rep/q``: a template path."""
    return _PREFIX_RE.sub("", _PREDICATE_RE.sub("", path.strip()))


def template_path(ctx, node) -> str:
    """The template path (no indexes) of an instance element."""
    names = []
    while node is not None and not isinstance(node, Document) and node.tag != "instance":
        names.append(_local(node.tag))
        node = ctx.parent(node)
    return "/" + "/".join(reversed(names))


# -- dates ---------------------------------------------------------------------------------

def _as_datetime(value):
    """A date/dateTime value, a number of days, or None."""
    if isinstance(value, float | int) and not isinstance(value, bool):
        if math.isnan(value) or math.isinf(value):
            return None
        return dates.parse_datetime(dates.days_to_datetime(value)[:23])
    text = to_string(value)
    if not text:
        return None
    moment = dates.parse_datetime(text)
    if moment is None:
        number = string_to_number(text)
        if not math.isnan(number):
            return _as_datetime(number)
    return moment


@odk_function("today", 0)
def fn_today(focus, args):
    return focus.ctx.now().date().isoformat()


@odk_function("now", 0)
def fn_now(focus, args):
    return dates.format_datetime(focus.ctx.now())


@odk_function("date", 1)
def fn_date(focus, args):
    moment = _as_datetime(args[0](focus))
    return moment.date().isoformat() if moment else ""


@odk_function("date-time", 1)
def fn_date_time(focus, args):
    value = args[0](focus)
    moment = _as_datetime(value)
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=focus.ctx.now().tzinfo)
    return dates.format_datetime(moment)


def _days(value) -> float:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return float(value)
    text = to_string(value).strip()
    days = dates.to_days(text) if text else None
    return days if days is not None else NAN


@odk_function("decimal-date", 1)
def fn_decimal_date(focus, args):
    return _days(args[0](focus))


@odk_function("decimal-date-time", 1)
def fn_decimal_date_time(focus, args):
    return _days(args[0](focus))


@odk_function("decimal-time", 1)
def fn_decimal_time(focus, args):
    text = _str(focus, args[0])
    moment = dates.parse_time(text)
    if moment is None:
        full = dates.parse_datetime(text) if "T" in text else None
        if full is None:
            return NAN
        moment = full.timetz()
    if moment.tzinfo is not None:
        # A time written in another offset is read in the interview's timezone.
        local_tz = focus.ctx.now().tzinfo
        today = focus.ctx.now().date()
        moment = datetime.combine(today, moment).astimezone(local_tz).time()
    seconds = moment.hour * 3600 + moment.minute * 60 + moment.second
    return (seconds + moment.microsecond / 1e6) / 86400


def _format(focus, args):
    moment = _as_datetime(args[0](focus))
    if moment is None:
        return ""
    return dates.format_pattern(moment, _str(focus, args[1]))


odk_function("format-date", 2)(_format)
odk_function("format-date-time", 2)(_format)


# -- geography -----------------------------------------------------------------------------

def _geo_points(focus, arg) -> list[tuple[float, float]]:
    value = arg(focus)
    texts = _strings(value)
    if len(texts) == 1:
        return geo.parse_points(texts[0])
    points = []
    for text in texts:
        points.extend(geo.parse_points(text))
    return points


@odk_function("area", 1)
def fn_area(focus, args):
    return geo.area(_geo_points(focus, args[0]))


@odk_function("distance", 1)
def fn_distance(focus, args):
    return geo.distance(_geo_points(focus, args[0]))
