"""What an expression is evaluated against: the instance, the context node, the clock."""

from __future__ import annotations

import random as _random
import weakref
from collections.abc import Callable, Mapping
from datetime import datetime, tzinfo
from xml.etree.ElementTree import Element

from fieldsurvey.forms.xpath import dates
from fieldsurvey.forms.xpath.values import Document


class EvalContext:
    """Everything one evaluation needs besides the expression.

    ``root`` is the primary instance's root element (e.g. ``<data>``), ``node`` the context
    element (the question whose bind is evaluated; ``.`` and ``current()``). ``instances``
    maps a secondary instance id to its root element (``<root>`` with ``<item>`` rows, or
    the ``<instance>`` element itself); external CSV data for ``pulldata()`` come the same
    way. ``now`` is an aware datetime (default: the real time), ``timezone`` an IANA name,
    an offset such as ``+02:00`` or a tzinfo (default: the system's). ``choice_label(path,
    value)`` gives the label in the current language for ``jr:choice-name``; ``itext(id)``
    the text for ``jr:itext``. ``rng`` is a ``random.Random`` for ``random()``/``uuid()``.
    ``parents`` may map each element to its parent element to spare a walk of the tree
    (``..`` needs parents and ElementTree does not keep them).
    """

    __slots__ = (
        "root", "node", "instances", "choice_label", "itext", "rng", "current",
        "_now", "_timezone", "_tz", "_given_parents", "_parents", "_documents",
    )

    def __init__(
        self,
        root: Element,
        node: Element | None = None,
        *,
        instances: Mapping[str, Element] | None = None,
        now: datetime | None = None,
        timezone: str | tzinfo | None = None,
        choice_label: Callable[[str, str], str | None] | None = None,
        rng: _random.Random | None = None,
        current: Element | None = None,
        parents: Mapping[Element, Element] | None = None,
        itext: Callable[[str], str | None] | None = None,
    ) -> None:
        self.root = root
        self.node = root if node is None else node
        self.instances = instances or {}
        self.choice_label = choice_label
        self.itext = itext
        self.rng = rng or _random
        self.current = self.node if current is None else current
        self._now = now
        self._timezone = timezone
        self._tz: tzinfo | None = None
        # Read as it is (the engine may keep it up to date), never written to.
        self._given_parents = parents
        self._parents: dict | None = None
        self._documents: dict[int, Document] = {}

    # -- documents and parents -------------------------------------------------------------

    def document(self, root: Element) -> Document:
        """The (one) document node above ``root`` for this evaluation."""
        try:
            doc = _DOCUMENTS.get(root)
            if doc is None:
                doc = _DOCUMENTS[root] = Document(root)
        except TypeError:  # an element type without weak references
            doc = self._documents.get(id(root))
            if doc is None:
                doc = self._documents[id(root)] = Document(root)
        return doc

    def primary_document(self) -> Document:
        """The document node of the primary instance (what a leading ``/`` selects)."""
        return self.document(self.root)

    def instance_document(self, instance_id: str):
        """The node that ``instance(id)`` selects, or None for an unknown id."""
        element = self.instances.get(instance_id)
        if element is None:
            return None
        # An <instance> element already plays the document's part: its child is <root>.
        if element.tag == "instance" or element.tag.endswith("}instance"):
            return element
        return self.document(element)

    def parent(self, node):
        """The parent of a node (a Document above a root element), or None.

        A context may live through many changes of the instance (the engine keeps one per
        interview and moves ``node``), so map entries are checked before they are trusted
        and the map is rebuilt when a node is missing from it.
        """
        if isinstance(node, Document):
            return None
        if self._given_parents is not None:
            parent = self._given_parents.get(node)
            if parent is not None and _holds(parent, node):
                return parent
        parents = self._parents
        if parents is None:
            parents = self._parents = _shared_parents(self.root)
        parent = parents.get(node)
        if parent is not None and _holds(parent, node):
            return parent
        if getattr(node, "parent", None) is not None:  # an attribute or text leaf
            return node.parent
        self._index_parents(parents)
        return parents.get(node)

    def _index_parents(self, parents: dict) -> None:
        parents.clear()
        for root in (self.root, *self.instances.values()):
            top = self.instance_top(root)
            if top is not root:
                parents[root] = top
            for element in root.iter():
                for child in element:
                    parents[child] = element

    def instance_top(self, root: Element):
        """What sits above ``root``: its Document, or itself when it is an <instance>."""
        if root.tag == "instance" or root.tag.endswith("}instance"):
            return root
        return self.document(root)

    # -- clock -----------------------------------------------------------------------------

    @property
    def tz(self) -> tzinfo | None:
        """The interview's timezone (None: the system's local time)."""
        if self._tz is None and self._timezone is not None:
            self._tz = dates.resolve_timezone(self._timezone)
        return self._tz

    def now(self) -> datetime:
        """The current moment as an aware datetime in the interview's timezone."""
        moment = self._now
        if moment is None:
            return datetime.now(self.tz) if self.tz else datetime.now().astimezone()
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=self.tz) if self.tz else moment.astimezone()
        elif self.tz is not None:
            moment = moment.astimezone(self.tz)
        return moment


# Parent maps shared by the evaluations over one instance tree: rebuilding one costs a walk
# of the whole instance, and entries are checked on use, so a changed tree stays correct.
_PARENT_MAPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_DOCUMENTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _holds(parent, node) -> bool:
    """Whether ``parent`` still has ``node`` as a child (a Document always holds its root)."""
    if isinstance(parent, Document):
        return parent.root is node
    return node in parent


def _shared_parents(root: Element) -> dict:
    try:
        parents = _PARENT_MAPS.get(root)
        if parents is None:
            parents = _PARENT_MAPS[root] = {}
    except TypeError:  # an element type without weak references
        parents = {}
    return parents


class Focus:
    """The dynamic focus while evaluating: the context, the context node, its position
    in the node-set being filtered and that node-set's size (XPath 1.0 §1)."""

    __slots__ = ("ctx", "node", "pos", "size")

    def __init__(self, ctx: EvalContext, node, pos: int = 1, size: int = 1) -> None:
        self.ctx = ctx
        self.node = node
        self.pos = pos
        self.size = size
