"""Select functions: ``selected``, ``jr:choice-name``, ``jr:itext`` and template paths."""

from __future__ import annotations

import re

from fieldsurvey.forms.xpath.functions.registry import (
    local_name,
    num_arg,
    odk_function,
    str_arg,
    to_index,
)
from fieldsurvey.forms.xpath.values import (
    Document,
    to_string,
)


@odk_function("selected", 2)
def fn_selected(focus, args):
    # As JavaRosa's XPathSelectedFunc: the trimmed value, between spaces, is found in the
    # list between spaces; so selected(x, '') holds when x is empty (ODK Web Forms agrees).
    return f" {str_arg(focus, args[1]).strip()} " in f" {str_arg(focus, args[0])} "


@odk_function("count-selected", 1)
def fn_count_selected(focus, args):
    return float(len(str_arg(focus, args[0]).split()))


@odk_function("selected-at", 2)
def fn_selected_at(focus, args):
    items = str_arg(focus, args[0]).split()
    index = to_index(num_arg(focus, args[1]))
    return items[index] if index is not None and 0 <= index < len(items) else ""


@odk_function("choice-name", 2, prefix="jr")
def fn_choice_name(focus, args):
    ctx = focus.ctx
    value = str_arg(focus, args[0]).strip()
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
    return (lookup(str_arg(focus, args[0])) or "") if lookup else ""


_PREDICATE_RE = re.compile(r"\[[^\]]*\]")
_PREFIX_RE = re.compile(r"(?<=/)[\w.-]+:")


def strip_predicates(path: str) -> str:
    """The template path of ``path``: ``/data/orx:meta/rep[2]/q`` gives ``/data/meta/rep/q``."""
    return _PREFIX_RE.sub("", _PREDICATE_RE.sub("", path.strip()))


def template_path(ctx, node) -> str:
    """The template path (no indexes) of an instance element."""
    names = []
    while node is not None and not isinstance(node, Document) and node.tag != "instance":
        names.append(local_name(node.tag))
        node = ctx.parent(node)
    return "/" + "/".join(reversed(names))
