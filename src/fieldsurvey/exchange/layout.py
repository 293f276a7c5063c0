"""Tables from a form: one for the interview, one per repeat, columns from the item tree.

The layout is computed from :class:`~fieldsurvey.forms.FormDefinition` objects only (one
per form version present in the export), so the same code serves every preset. Columns are
identified by the item's template path (plus a part: a geopoint component or a choice), not
by position: exports of several form versions get the union of their columns and a value
can never shift into another column.

:func:`flatten` turns one instance XML into rows: the interview row and one row per repeat
instance, with Central's ``KEY`` (``uuid:…/group/repeat[n]``) and ``PARENT_KEY``.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

NUMERIC_TYPES = {"integer", "decimal", "range"}
NUMERIC_DATATYPES = {"int", "integer", "decimal", "double", "float"}
GEOPOINT_PARTS = 4


@dataclass(frozen=True)
class Column:
    """One column of a table.

    ``role`` is ``value`` (the answer), ``geo`` (``part`` = 0..3 of a geopoint),
    ``choice`` (``part`` = the choice value of a split select_multiple: 1/0) or ``meta``
    (``part`` names a preset's own column such as ``KEY``).
    """

    header: str
    role: str
    item_path: str | None = None
    part: Any = None

    @property
    def ident(self) -> tuple:
        return (self.role, self.item_path, self.part)


@dataclass
class Table:
    """The interview table (``path`` None) or the table of one repeat."""

    name: str
    path: str | None
    parent: Table | None
    columns: list[Column] = field(default_factory=list)
    sheet_name: str = ""

    def add(self, column: Column, after: tuple | None = None) -> None:
        """Add a column unless present; after the column ``after`` when given."""
        idents = [c.ident for c in self.columns]
        if column.ident in idents:
            return
        if after is not None and after in idents:
            self.columns.insert(idents.index(after) + 1, column)
        else:
            self.columns.append(column)


@dataclass(frozen=True)
class Naming:
    """How a preset names columns."""

    separator: str = "-"  # between group names
    group_names: bool = True
    relative_to_repeat: bool = True  # Central: repeat columns do not repeat the repeat path
    include_notes: bool = True
    split_multiple: bool = False
    geo_style: str = "central"  # "central": q-Latitude; "kobo": q then _q_latitude
    multiple_keeps_text: bool = True


_CENTRAL_GEO = ("Latitude", "Longitude", "Altitude", "Accuracy")
_KOBO_GEO = ("latitude", "longitude", "altitude", "precision")


def _names_from(item, stop) -> list[str]:
    names = []
    node = item
    while node is not None and node is not stop and node.parent is not None:
        names.append(node.name)
        node = node.parent
    names.reverse()
    return names


def _header(item, table_item, naming: Naming) -> str:
    if not naming.group_names:
        return item.name
    stop = table_item if naming.relative_to_repeat else None
    return naming.separator.join(_names_from(item, stop))


CENTRAL_NAMING = Naming()


def column_name(definition, xpath: str) -> str:
    """The export column (Central's naming) of an instance path such as
    ``/data/project[2]/money/amount``: ``money-amount``, named inside the repeat's sheet
    as Central names it; "" for a path the form does not know."""
    template = "/".join(step.split("[", 1)[0] for step in xpath.split("/"))
    if not definition.has_item(template):
        return ""
    item = definition.item(template)
    table_item = item.parent
    while table_item is not None and table_item.kind != "repeat":
        table_item = table_item.parent
    return _header(item, table_item, CENTRAL_NAMING)


def _is_note(item) -> bool:
    return item.type == "note"


def item_columns(item, table_item, naming: Naming) -> list[Column]:
    """The columns one leaf item gives in a preset."""
    header = _header(item, table_item, naming)
    if item.type == "geopoint":
        if naming.geo_style == "kobo":
            base = [Column(header, "value", item.path)]
            return base + [
                Column(f"_{header}_{part}", "geo", item.path, i)
                for i, part in enumerate(_KOBO_GEO)
            ]
        return [
            Column(f"{header}-{part}", "geo", item.path, i) for i, part in enumerate(_CENTRAL_GEO)
        ]
    columns = [Column(header, "value", item.path)]
    if item.type == "select_multiple" and naming.split_multiple and item.choices:
        if not naming.multiple_keeps_text:
            columns = []
        columns += [
            Column(f"{header}/{choice.value}", "choice", item.path, choice.value)
            for choice in item.choices
        ]
    return columns


def build_tables(definitions: Iterable, naming: Naming, root_name: str) -> list[Table]:
    """The tables of an export of every version in ``definitions`` (newest first).

    Columns of older versions that the newest lacks are inserted after the column that
    precedes them in their own version, as formpack does, so related columns stay close.
    """
    tables: dict[str | None, Table] = {}
    order: list[Table] = []
    root = Table(root_name, None, None)
    tables[None] = root
    order.append(root)
    for definition in definitions:
        _add_items(definition.root, root, definition.root, naming, tables, order, [None])
    return order


def _add_items(item, table, table_item, naming, tables, order, last) -> None:
    for child in item.children:
        if child.kind == "repeat":
            sub = tables.get(child.path)
            if sub is None:
                sub = Table(child.name, child.path, table)
                tables[child.path] = sub
                order.append(sub)
            _add_items(child, sub, child, naming, tables, order, [None])
        elif child.kind == "group":
            _add_items(child, table, table_item, naming, tables, order, last)
        else:
            if _is_note(child) and not naming.include_notes:
                continue
            for column in item_columns(child, table_item, naming):
                table.add(column, after=last[0])
                last[0] = column.ident


# ----------------------------------------------------------------------------- rows


@dataclass
class RowData:
    """The answers of one table row: the interview, or one repeat instance."""

    table_path: str | None
    key: str
    parent: RowData | None
    index: int  # 1-based position among its siblings
    values: dict[str, str] = field(default_factory=dict)
    serial: int = 0  # running number in its table (Kobo's _index), set by the writer


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1] if tag[:1] == "{" else tag


_CHILD_CACHE: dict[int, tuple[Any, dict[str, Any]]] = {}


def _children(item) -> dict[str, Any]:
    entry = _CHILD_CACHE.get(id(item))
    if entry is None or entry[0] is not item:
        entry = (item, {child.name: child for child in item.children})
        if len(_CHILD_CACHE) > 100_000:
            _CHILD_CACHE.clear()
        _CHILD_CACHE[id(item)] = entry
    return entry[1]


def flatten(root: ET.Element, definition, instance_id: str) -> list[RowData]:
    """Rows of one instance: the interview row first, then repeat rows in document order.

    Elements the form does not know (an older or newer version's questions read with this
    version) are skipped, as Central does.
    """
    top = RowData(None, instance_id, None, 1)
    rows = [top]
    _walk(root, definition.root, top, "", rows)
    return rows


def _walk(elem: ET.Element, item, row: RowData, prefix: str, rows: list[RowData]) -> None:
    children = _children(item)
    counts: dict[str, int] = {}
    for child_elem in elem:
        tag = child_elem.tag
        if not isinstance(tag, str):
            continue
        child = children.get(_local(tag))
        if child is None:
            continue
        kind = child.kind
        if kind == "repeat":
            n = counts.get(child.name, 0) + 1
            counts[child.name] = n
            sub = RowData(child.path, f"{row.key}/{prefix}{child.name}[{n}]", row, n)
            rows.append(sub)
            _walk(child_elem, child, sub, "", rows)
        elif kind == "group":
            _walk(child_elem, child, row, f"{prefix}{child.name}/", rows)
        else:
            row.values[child.path] = child_elem.text or ""


def typed_value(item, text: str) -> Any:
    """A cell value for an answer: numbers as numbers, everything else as its text."""
    if text == "":
        return None
    if item.type in NUMERIC_TYPES or item.datatype in NUMERIC_DATATYPES:
        try:
            if item.type == "integer" or item.datatype in ("int", "integer"):
                return int(text)
            number = float(text)
            return int(number) if number.is_integer() and "." not in text else number
        except ValueError:
            return text
    return text


def choice_label(item, value: str, language: str) -> str:
    """The label of ``value`` in ``language`` (the value itself when unknown)."""
    for choice in item.choices or ():
        if choice.value == value:
            labels = choice.labels
            if language in labels:
                return labels[language]
            if labels:
                return labels.get("default") or next(iter(labels.values()))
            return value
    return value


class CellMaker:
    """Turns a row's answers into the cells of a table, per column."""

    def __init__(self, items: dict[str, Any], labels: str | None = None) -> None:
        self.items = items  # template path -> ItemDef (newest version wins)
        self.labels = labels

    def cell(self, column: Column, row: RowData) -> Any:
        text = row.values.get(column.item_path)
        if text is None:
            return None
        item = self.items[column.item_path]
        role = column.role
        if role == "value":
            if self.labels and item.choices:
                if item.type == "select_multiple":
                    return " ".join(choice_label(item, v, self.labels) for v in text.split())
                return choice_label(item, text, self.labels) if text else None
            if item.type == "geopoint" or not text:
                return text or None
            return typed_value(item, text)
        if role == "geo":
            parts = text.split()
            if column.part < len(parts):
                try:
                    return float(parts[column.part])
                except ValueError:
                    return parts[column.part]
            return None
        if role == "choice":
            if text == "":
                return None
            return 1 if column.part in text.split() else 0
        return None


def items_by_path(definitions: Iterable) -> dict[str, Any]:
    """Every leaf item of every version by template path; the first definition wins."""
    out: dict[str, Any] = {}
    for definition in definitions:
        for item in definition.root.iter_items():
            if item.kind not in ("group", "repeat"):
                out.setdefault(item.path, item)
    return out
