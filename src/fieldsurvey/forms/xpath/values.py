"""The ODK XPath value model: strings, numbers, booleans and node-sets, and conversions.

XPath 1.0 has four value types. Node values are always strings; an unanswered question is
the empty string. ODK extends ``number()`` so that date and dateTime strings become days
since 1970-01-01, which lets forms compare and subtract dates (XForms spec, ``number``).
"""

from __future__ import annotations

import math
import re
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element

from fieldsurvey.forms.xpath import dates

NAN = float("nan")

# XPath 1.0 Number production (no exponent, no sign but a leading minus).
_NUMBER_RE = re.compile(r"\s*-?(?:\d+(?:\.\d*)?|\.\d+)\s*$")


class Document:
    """The document node above an instance's root element (what ``/`` selects).

    ElementTree has no document node, and ``/data`` must select the root element as a
    *child* of something, so each evaluation wraps the roots it uses in one of these.
    """

    __slots__ = ("root",)
    tag = "#document"

    def __init__(self, root: Element) -> None:
        self.root = root

    def __iter__(self):
        return iter((self.root,))

    def __len__(self) -> int:
        return 1

    @property
    def text(self) -> str | None:
        """None: a document has no text of its own, as an element without text."""
        return None

    def itertext(self):
        """The text of the whole document."""
        return self.root.itertext()

    def __repr__(self) -> str:
        return f"<Document of {self.root.tag}>"


def node_string(node) -> str:
    """The XPath string-value of a node: a leaf's text, or all text below a group."""
    if len(node):
        return "".join(node.itertext())
    return node.text or ""


def to_string(value) -> str:
    """Convert an XPath value to a string as ``string()`` does (XPath 1.0 §4.2)."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float | int):
        return format_number(value)
    if isinstance(value, list):
        return node_string(value[0]) if value else ""
    if value is None:
        return ""
    return str(value)


def string_to_number(text: str) -> float:
    """A string as a number: XPath numbers, or ODK dates/dateTimes as days since 1970."""
    if _NUMBER_RE.match(text):
        return float(text)
    stripped = text.strip()
    if stripped and stripped[0].isdigit() and "-" in stripped:
        days = dates.to_days(stripped)
        if days is not None:
            return days
    return NAN


def to_number(value) -> float:
    """Convert an XPath value to a number as ODK's extended ``number()`` does."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, str):
        return string_to_number(value)
    if isinstance(value, list):
        return string_to_number(node_string(value[0])) if value else NAN
    return NAN


def to_boolean(value) -> bool:
    """Convert an XPath value to a boolean: non-empty strings and node-sets are true."""
    if isinstance(value, bool):
        return value
    if isinstance(value, float | int):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str | list):
        return len(value) > 0
    return bool(value)


def format_number(number: float) -> str:
    """Show a number as ODK does: ``3.0`` -> ``"3"``, no exponent, ``NaN``, ``Infinity``.

    Non-integers use the shortest text that reads back as the same float (what Enketo
    shows, e.g. ``0.30000000000000004`` for ``0.1 + 0.2``), written without an exponent.
    """
    if isinstance(number, bool):
        return "1" if number else "0"
    number = float(number)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer():
        return str(int(number))
    text = repr(number)
    if "e" in text or "E" in text:
        text = format(Decimal(text), "f")
    return text


def to_storage(value, datatype: str | None = None) -> str:
    """The text to store in an instance node for an expression result (a calculate).

    ``datatype`` is the XForm bind type: NaN stores as ``""`` in every node, other
    non-numbers store as ``""`` in int/decimal nodes, ``int`` nodes keep the whole part,
    a number in a date/dateTime node is taken as days since 1970 (``today() + 7``),
    booleans store as ``true``/``false``.
    """
    if isinstance(value, float) and math.isnan(value):
        # A result that is not a number is no answer, whatever the node's type: JavaRosa
        # stores nothing ("if NaN or empty string, null", IAnswerData.wrapData).
        return ""
    kind = (datatype or "string").split(":")[-1]
    if kind in ("int", "integer", "decimal", "double", "float"):
        number = to_number(value) if not isinstance(value, str) or value != "" else NAN
        if math.isnan(number) or math.isinf(number):
            return ""
        if kind in ("int", "integer"):
            return str(int(number))
        return format_number(number)
    if kind in ("date", "dateTime") and isinstance(value, float | int) and not isinstance(
        value, bool
    ):
        if math.isnan(value) or math.isinf(value):
            return ""
        return dates.days_to_date(value) if kind == "date" else dates.days_to_datetime(value)
    if kind == "boolean" and not isinstance(value, str):
        return "true" if to_boolean(value) else "false"
    return to_string(value)


def decimal_of(number: float) -> Decimal | None:
    """The exact decimal value of a float, or None for NaN/infinity."""
    try:
        result = Decimal(number)
    except (InvalidOperation, ValueError, OverflowError):
        return None
    return result if result.is_finite() else None
