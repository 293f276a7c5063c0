"""The form definition: an immutable tree of items read from an XForm.

A :class:`FormDefinition` is what the rest of FieldSurvey reads about a questionnaire
(its id, version, languages and the tree of groups, repeats and questions). It holds no
answers: an interview is a :class:`fieldsurvey.forms.session.FormSession`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from fieldsurvey.errors import FormError
from fieldsurvey.i18n import N_

#: The key of texts that belong to no declared language (an untranslated form).
DEFAULT_LANG = "default"


@dataclass(frozen=True, slots=True)
class Output:
    """An ``<output value="..."/>`` inside a label, hint or message."""

    expr: str


#: A text with dynamic parts: plain strings and :class:`Output` pieces, in order.
TextTemplate = tuple["str | Output", ...]

_SIMPLE_PATH = re.compile(r"^\s*(?:/[\w.\-:]+)+\s*$")


def template_to_text(parts: TextTemplate) -> str:
    """The template as a designer would read it: outputs shown as ``${name}``."""
    out = []
    for part in parts:
        if isinstance(part, Output):
            expr = part.expr.strip()
            if _SIMPLE_PATH.match(expr) or expr.startswith(".."):
                out.append("${" + expr.rsplit("/", 1)[-1] + "}")
            else:
                out.append("${" + expr + "}")
        else:
            out.append(part)
    return "".join(out)


def pick_language(texts: Mapping[str, Any], language: str | None) -> Any:
    """The text for ``language``, else the untranslated one, else the first one."""
    if not texts:
        return None
    if language is not None and language in texts:
        return texts[language]
    if DEFAULT_LANG in texts:
        return texts[DEFAULT_LANG]
    return next(iter(texts.values()))


@dataclass(eq=False, slots=True)
class Choice:
    """One option of a select: its value, its label per language and its media."""

    value: str
    labels: dict[str, str] = field(default_factory=dict)
    media: dict[str, dict[str, str]] = field(default_factory=dict)
    #: Label templates when a label has ``<output>`` parts (rare), per language.
    label_templates: dict[str, TextTemplate] = field(default_factory=dict)


class LazyChoices(list):
    """A list of choices built on first use.

    A form can carry tens of thousands of choices (a list of places): building a
    :class:`Choice` for each when the form loads costs more than the rest of the load,
    and most lists are only read once the interview reaches their question.
    """

    __slots__ = ("_build",)

    def __init__(self, build) -> None:
        super().__init__()
        self._build = build

    def _fill(self) -> None:
        build, self._build = self._build, None
        if build is not None:
            super().extend(build())

    def __len__(self) -> int:
        self._fill()
        return super().__len__()

    def __bool__(self) -> bool:
        self._fill()
        return super().__len__() > 0

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __getitem__(self, index):
        self._fill()
        return super().__getitem__(index)

    def __contains__(self, value) -> bool:
        self._fill()
        return super().__contains__(value)

    def __reversed__(self):
        self._fill()
        return super().__reversed__()

    def __eq__(self, other) -> bool:
        self._fill()
        return super().__eq__(other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._fill()
        return super().__repr__()

    def __add__(self, other):
        self._fill()
        return list(super().__iter__()) + list(other)

    def index(self, *args):
        self._fill()
        return super().index(*args)

    def count(self, value) -> int:
        self._fill()
        return super().count(value)

    def copy(self) -> list:
        self._fill()
        return list(super().__iter__())


@dataclass(eq=False, slots=True)
class Itemset:
    """Where a select's options come from when they are not a fixed list.

    ``instance_id`` names a secondary instance (a choices list, or a CSV/XML file beside
    the form); ``nodeset`` is the itemset's full expression and ``predicate`` its filter
    (the ``choice_filter``) or None. ``source_path`` is set instead of ``instance_id`` for
    a select from the answers of a repeat (``/data/rep[./name != '']``).
    """

    nodeset: str
    instance_id: str | None
    predicate: str | None
    value_ref: str
    label_ref: str
    label_is_itext: bool
    source_path: str | None = None
    #: The file the instance comes from (``towns.csv``) for select_one_from_file.
    src: str | None = None


@dataclass(eq=False, slots=True)
class Trigger:
    """An ``odk:setvalue``/``setvalue`` action: set ``target`` to ``value`` on an event."""

    event: str
    target: str
    value: str | None
    #: For ``xforms-value-changed``: the question whose change fires it.
    source: str | None = None


@dataclass(eq=False, slots=True)
class ItemDef:
    """A group, repeat, question, calculate or metadata node of a form."""

    path: str
    name: str
    kind: str
    type: str = "text"
    datatype: str = "string"
    control: str | None = None
    appearance: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    hints: dict[str, str] = field(default_factory=dict)
    guidance_hints: dict[str, str] = field(default_factory=dict)
    media: dict[str, dict[str, str]] = field(default_factory=dict)
    children: list[ItemDef] = field(default_factory=list)
    parent: ItemDef | None = None
    readonly: str | None = None
    required: str | None = None
    relevant: str | None = None
    constraint: str | None = None
    calculate: str | None = None
    constraint_messages: dict[str, str] = field(default_factory=dict)
    required_messages: dict[str, str] = field(default_factory=dict)
    choices: list[Choice] | None = None
    #: ``<output>`` expressions in the choices' labels (known without building the list).
    choice_outputs: list[str] = field(default_factory=list)
    itemset: Itemset | None = None
    repeat_count: str | None = None
    is_field_list: bool = False
    #: Static default (the text of the node in the form's instance).
    default: str | None = None
    #: Dynamic default: an expression evaluated when the interview (or repeat) starts.
    dynamic_default: str | None = None
    #: The events that set the dynamic default (``odk-instance-first-load``,
    #: ``odk-new-repeat``).
    default_events: frozenset[str] = frozenset()
    preload: str | None = None
    preload_params: str | None = None
    mediatype: str | None = None
    #: Templates of label/hint/guidance/constraint/required texts per language.
    text_templates: dict[str, dict[str, TextTemplate]] = field(default_factory=dict)
    #: Other bind attributes as written (e.g. ``orx:max-pixels``), for round trips.
    bind_attributes: dict[str, str] = field(default_factory=dict)
    #: For repeats: the template element (``jr:template``) new instances are copied from.
    template: ET.Element | None = None
    #: For repeats: how many instances the form's own instance holds.
    initial_count: int = 0
    #: Position of the item in document order (0 = root); gives a stable sort key.
    order: int = 0

    def __repr__(self) -> str:
        return f"ItemDef({self.path!r}, kind={self.kind!r}, type={self.type!r})"

    @property
    def is_leaf(self) -> bool:
        """True for a question, calculation or metadata node; False for a group or repeat."""
        return self.kind not in ("group", "repeat")

    @property
    def has_control(self) -> bool:
        """True when the question is shown to the person who answers."""
        return self.control is not None

    @property
    def depth(self) -> int:
        """How deep the item is: 0 for the root, 1 for its children."""
        return self.path.count("/") - 1

    def repeat_ancestors(self) -> list[ItemDef]:
        """Repeats that contain this item (outermost first), itself included if a repeat."""
        out = []
        item: ItemDef | None = self
        while item is not None:
            if item.kind == "repeat":
                out.append(item)
            item = item.parent
        out.reverse()
        return out

    def iter_items(self) -> Iterator[ItemDef]:
        """This item and all below it, in document order."""
        yield self
        for child in self.children:
            yield from child.iter_items()


@dataclass(eq=False)
class FormDefinition:
    """A parsed questionnaire (see the module docstring). Treat it as immutable."""

    form_id: str
    version: str | None
    title: str
    root_name: str
    languages: list[str]
    default_language: str | None
    instance_name: str | None
    root: ItemDef
    xform: str
    #: Secondary instances written in the form (choice lists), id -> root Element.
    instances: dict[str, ET.Element] = field(default_factory=dict)
    #: Secondary instances that come from files: id -> file name (``towns.csv``).
    #: ``select_one_external`` lists read ``itemsets.csv`` (rows of their list_name).
    external_instances: dict[str, str] = field(default_factory=dict)
    #: Instances the client provides (``jr://instance/last-saved``): id -> kind.
    client_instances: dict[str, str] = field(default_factory=dict)
    #: First-load setvalue actions on attributes (an entity's ``@id``):
    #: (element template path, attribute name, expression).
    attribute_defaults: list[tuple[str, str, str]] = field(default_factory=list)
    #: ``itemsets.csv`` text generated from an XLSForm's external_choices sheet, used
    #: when no itemsets.csv is beside the form (set by the loader).
    itemsets_csv: str | None = None
    #: itext translations: language -> text id -> {form: template}.
    itext: dict[str, dict[str, dict[str, TextTemplate]]] = field(default_factory=dict)
    triggers: list[Trigger] = field(default_factory=list)
    #: Attributes of the primary instance root element (id, version, ...).
    root_attributes: dict[str, str] = field(default_factory=dict)
    #: Where attachments (external CSV/XML, media) are, when known.
    attachments_dir: Any = None
    submission_url: str | None = None
    public_key: str | None = None
    #: The primary instance as the form writes it (local names, repeat templates
    #: removed): what a new interview starts from.
    primary_instance: ET.Element | None = field(default=None, repr=False)
    #: The compiled expressions and what they read (set by the parser).
    graph: Any = field(default=None, repr=False)
    _items: dict[str, ItemDef] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        if not self._items:
            self._items = {item.path: item for item in self.root.iter_items()}

    def item(self, path: str) -> ItemDef:
        """The item at a template path (no repeat indexes), e.g. ``/data/grp/rep/q``."""
        try:
            return self._items[path]
        except KeyError:
            stripped = strip_indexes(path)
            if stripped in self._items:
                return self._items[stripped]
            raise FormError(
                N_("The questionnaire has no question at {path}."),
                code="form.unknown_path",
                params={"path": path},
            ) from None

    def has_item(self, path: str) -> bool:
        """True when the form has a node at ``path`` (repeat indexes are ignored)."""
        return strip_indexes(path) in self._items

    def iter_items(self) -> Iterator[ItemDef]:
        """Every item, document order, depth first (the root first)."""
        return self.root.iter_items()

    def questions(self) -> list[ItemDef]:
        """Items the person who answers sees (those with a control), document order."""
        return [i for i in self.iter_items() if i.is_leaf and i.has_control]

    def repeats(self) -> list[ItemDef]:
        """Every repeat, document order."""
        return [i for i in self.iter_items() if i.kind == "repeat"]


_INDEX = re.compile(r"\[\d+\]")


def strip_indexes(path: str) -> str:
    """The template path of ``path``: ``/data/rep[2]/q`` gives ``/data/rep/q``."""
    return _INDEX.sub("", path)
