"""Choice lists at run time: secondary instances, external files and choice filters.

External CSV/XML files beside the form become ``<root><item>…</item></root>`` instances as
in ODK. A choice filter of a common shape (``name = ${x}``, ``cf = ${x}``,
``selected(${x}, cf)`` and conjunctions of them) is answered from a dict index built once
per list and column; any other filter is evaluated item by item.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from fieldsurvey.errors import FormError
from fieldsurvey.forms.file_errors import file_error
from fieldsurvey.forms.model import DEFAULT_LANG, Choice, FormDefinition, Itemset
from fieldsurvey.forms.xform_parser import ITEMSETS_CSV, localize, parse_xml
from fieldsurvey.i18n import N_
from fieldsurvey.safe_names import MEDIA_FILE, check_name

log = logging.getLogger(__name__)

_NAME = r"[A-Za-z_][\w.\-]*"
_EQ_LEFT = re.compile(rf"^\s*({_NAME})\s*=\s*(.+?)\s*$", re.S)
_EQ_RIGHT = re.compile(rf"^\s*(.+?)\s*=\s*({_NAME})\s*$", re.S)
_SELECTED = re.compile(rf"^\s*selected\(\s*(.+?)\s*,\s*({_NAME})\s*\)\s*$", re.S)
_AND = re.compile(r"\s+and\s+")
_XML_NAME = re.compile(r"[^\w.\-]")


@dataclass(frozen=True, slots=True)
class ChoiceView:
    """A choice as shown: its value, its label in the current language, its media."""

    value: str
    label: str
    media: dict[str, str]


def _is_outside_item(expr: str) -> bool:
    """True when ``expr`` does not read the choice item (absolute, current(), literal)."""
    text = expr.strip()
    if text.startswith(("/", "current()", "'", '"')):
        return "[" not in text or text.startswith("current()")
    try:
        float(text)
        return False  # numbers compare numerically: leave to the evaluator
    except ValueError:
        return False


@dataclass(frozen=True, slots=True)
class FilterTerm:
    """One indexable part of a filter: ``column`` equals / is among ``expr``'s value."""

    column: str
    expr: str
    multi: bool


def index_terms(predicate: str) -> list[FilterTerm] | None:
    """The indexable terms of a choice filter, or None when it has another shape."""
    if " or " in predicate or predicate.count("(") != predicate.count(")"):
        return None
    terms = []
    for part in _AND.split(predicate.strip()):
        if part.count("(") != part.count(")"):
            return None
        m = _SELECTED.match(part)
        if m and _is_outside_item(m.group(1)):
            terms.append(FilterTerm(m.group(2), m.group(1), True))
            continue
        term = _equality_term(part)
        if term is None:
            return None
        terms.append(term)
    return terms or None


def _equality_term(part: str) -> FilterTerm | None:
    """``column = expr`` or ``expr = column``, ``expr`` read outside the item; else None."""
    if "!" in part or "<" in part or ">" in part:
        return None
    for pattern, column, expr in ((_EQ_LEFT, 1, 2), (_EQ_RIGHT, 2, 1)):
        m = pattern.match(part)
        if m and _is_outside_item(m.group(expr)):
            return FilterTerm(m.group(column), m.group(expr), False)
    return None


def load_external(definition: FormDefinition, folder: Path | None) -> dict[str, ET.Element]:
    """Read the CSV/XML files the form names (``instance id -> root``); missing ones are empty."""
    out = {}
    itemsets: str | None = None
    for iid, name in definition.external_instances.items():
        # The form names the file; it must stay beside the form.
        path = (folder / check_name(name, MEDIA_FILE, error=FormError)) if folder else None
        if name == ITEMSETS_CSV:
            # select_one_external: one file holds every list; the rows of a list carry
            # its name in list_name (ODK Collect's external itemsets)
            if itemsets is None:
                itemsets = _read_itemsets(path, definition)
            out[iid] = csv_instance(itemsets, list_name=iid.partition("#")[2] or iid)
            continue
        if path is None or not path.is_file():
            out[iid] = ET.Element("root")
            continue
        try:
            if name.lower().endswith(".csv"):
                out[iid] = csv_instance(path.read_text(encoding="utf-8-sig"))
            else:
                out[iid] = localize(parse_xml(path.read_bytes(), what=name))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            raise file_error(
                N_("The file {name} beside the form cannot be read."),
                "form.attachment",
                path,
                detail=str(exc),
            ) from None
    return out


def _read_itemsets(path: Path | None, definition: FormDefinition) -> str:
    """itemsets.csv beside the form, else the one generated from external_choices."""
    if path is not None and path.is_file():
        try:
            return path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise file_error(
                N_("The file {name} beside the form cannot be read."),
                "form.attachment",
                path,
                detail=str(exc),
            ) from None
    return definition.itemsets_csv or ""


def csv_instance(text: str, list_name: str | None = None) -> ET.Element:
    """CSV rows as the instance ODK builds of them: ``<root><item><col>value</col>…</item>…</root>``.

    With ``list_name``, only the rows whose ``list_name`` column holds it (itemsets.csv).
    """
    root = ET.Element("root")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if not header:
        return root
    names = [_XML_NAME.sub("_", h.strip()) or f"column{i}" for i, h in enumerate(header)]
    column = None
    if list_name is not None:
        # pyxform reads the external_choices headers in any case (LIST_NAME, NAME)
        names = [n.lower() if n.lower() in ("list_name", "name", "label") else n for n in names]
        column = names.index("list_name") if "list_name" in names else None
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if column is not None and (row[column] if column < len(row) else "") != list_name:
            continue
        item = ET.SubElement(root, "item")
        for name, cell in zip(names, row, strict=False):
            ET.SubElement(item, name).text = cell
    return root


class ChoiceIndex:
    """Per (list, column) dict of value -> item positions, built on first use."""

    def __init__(self) -> None:
        self._indexes: dict[tuple[int, str], dict[str, list[int]]] = {}

    def lookup(self, items: list[ET.Element], column: str, values: set[str]) -> set[int]:
        """The positions of the items whose ``column`` holds one of ``values``."""
        key = (id(items), column)
        index = self._indexes.get(key)
        if index is None:
            index = {}
            for pos, item in enumerate(items):
                child = item.find(column)
                index.setdefault(child.text or "" if child is not None else "", []).append(pos)
            self._indexes[key] = index
        out: set[int] = set()
        for value in values:
            out.update(index.get(value, ()))
        return out


def choice_from_element(item: ET.Element, spec: Itemset, definition: FormDefinition) -> Choice:
    """A Choice for an item of an external or repeat-based list."""
    value = item.findtext(spec.value_ref) or ""
    choice = Choice(value=value)
    if spec.label_is_itext:
        tid = item.findtext(spec.label_ref) or ""
        for lang, texts in definition.itext.items():
            forms = texts.get(tid)
            if forms and "" in forms:
                choice.labels[lang] = "".join(p for p in forms[""] if isinstance(p, str))
    else:
        label = item.findtext(spec.label_ref)
        choice.labels[DEFAULT_LANG] = label if label is not None else value
        # CSV files may carry translated labels as label::Language columns
        for child in item:
            if child.tag.startswith("label__"):
                choice.labels[child.tag[len("label__") :]] = child.text or ""
    return choice
