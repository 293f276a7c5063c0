"""The running interview: :class:`FormSession` and its answers and record."""

from __future__ import annotations

import random
import re
import xml.etree.ElementTree as ET
from datetime import date, datetime, time

from fieldsurvey.errors import AnswerError, FormError
from fieldsurvey.forms import instance as instance_xml
from fieldsurvey.forms.choices import ChoiceIndex, load_external
from fieldsurvey.forms.dependencies import Computation, graph_of
from fieldsurvey.forms.model import Choice, FormDefinition, ItemDef
from fieldsurvey.forms.session.choice_lists import SelectChoices
from fieldsurvey.forms.session.nodes import Node, NodeTree
from fieldsurvey.forms.session.preloads import Preloads
from fieldsurvey.forms.session.recompute import Recompute
from fieldsurvey.forms.session.repeats import Repeats
from fieldsurvey.forms.session.views import Views
from fieldsurvey.forms.types import MULTI_TYPES, SELECT_TYPES, canonical
from fieldsurvey.forms.xform_parser import local, parse_xml, paused_gc
from fieldsurvey.forms.xml_chars import clean_xml_text
from fieldsurvey.i18n import N_

_OFFSET = re.compile(r"(Z|[+-]\d{2}:?\d{2})$")


def _parse_now(now) -> datetime | None:
    if now is None or isinstance(now, datetime):
        return now
    return datetime.fromisoformat(str(now).replace("Z", "+00:00"))


class FormSession(NodeTree, Recompute, SelectChoices, Repeats, Views, Preloads):
    """A running interview (see :mod:`fieldsurvey.forms.session` and the engine contract)."""

    def __init__(
        self,
        definition: FormDefinition,
        *,
        now: datetime | str | None = None,
        timezone: str | None = None,
        device_id: str | None = None,
        username: str | None = None,
        email: str | None = None,
        phone_number: str | None = None,
        language: str | None = None,
        seed: int | None = None,
        last_saved: str | bytes | None = None,
        _source: ET.Element | None = None,
    ) -> None:
        self.definition = definition
        self.graph = graph_of(definition)
        self.now = _parse_now(now)
        self.timezone = timezone
        self.device_id = device_id
        self.username = username
        self.email = email
        self.phone_number = phone_number
        self.language = (
            language if language in definition.languages else definition.default_language
        )
        self.rng = random.Random(seed)
        self.instances = dict(definition.instances)
        self.instances.update(load_external(definition, definition.attachments_dir))
        for iid, kind in definition.client_instances.items():
            # ${last-saved#q}: the last interview saved with this form (given by the
            # caller), else an empty instance so such defaults stay empty, as in Collect
            # for the first interview.
            self.instances[iid] = (
                _localized(parse_xml(last_saved, what="last saved interview"))
                if kind == "last-saved" and last_saved
                else ET.Element("root")
            )
        #: Answers given through set_answer that held characters XML cannot store: the
        #: path and how many were dropped or turned into line breaks (for the caller to say).
        self.cleaned: dict[str, int] = {}
        self._choice_index = ChoiceIndex()
        self._choice_cache: dict[str, list[Choice]] = {}
        self._revalued: list[Node] = []
        #: The subtree being created (new interview, new repeat instance): there a
        #: jr:count may also remove the instances the form wrote, as nothing is typed yet.
        self._creating: Node | None = None
        self._item_lists: dict[str, list[ET.Element]] = {}
        self._readers_cache: dict[str, list[Computation]] = {}
        self._wild = [
            c for c in self.graph.computations if any("*" in r or "//" in r for r in c.refs)
        ]
        resumed = _source is not None
        source = _source if resumed else definition.primary_instance
        with paused_gc():  # thousands of nodes that all stay alive (see paused_gc)
            self.root_elem = instance_xml.merge(definition.root, source)
            self._live: dict[str, list[Node]] = {}
            self._by_path: dict[str, Node] = {}
            self._parents: dict[ET.Element, ET.Element] = {}
            self.root = self._build(definition.root, self.root_elem, None, None)
            self._ctx = None
            if not resumed:
                self._drop_invalid_defaults(self.root)
                self._fill_preloads()
                self._apply_defaults(self.root, first_load=True)
                self._creating = self.root
            # A resumed record keeps a choice its filter leaves out: JavaRosa prunes an
            # answer only when it rebuilds the list (ItemsetBinding.getChoices), which
            # loading a record does not do.
            self._resuming = resumed
            self._compute_all(self.root)
            self._creating = None
            self._resuming = False

    @classmethod
    def from_xml(
        cls, definition: FormDefinition, instance_text: str | bytes, **kwargs
    ) -> FormSession:
        """Resume an interview from its OpenRosa instance XML (a draft or a submission)."""
        elem = parse_xml(instance_text, what="instance")
        if local(elem.tag) != definition.root_name:
            raise FormError(
                N_("This record is not an interview of the questionnaire {form}."),
                code="form.instance_mismatch",
                params={"form": definition.form_id},
            )
        form_id = elem.get("id")
        if form_id and form_id != definition.form_id:
            raise FormError(
                N_("This record belongs to the questionnaire {other}, not {form}."),
                code="form.instance_mismatch",
                params={"other": form_id, "form": definition.form_id},
            )
        return cls(definition, _source=_localized(elem), **kwargs)

    # -- answers -----------------------------------------------------------------------
    def set_answer(self, path: str, value) -> set[str]:
        """Set an answer; returns the paths whose value or state changed."""
        node = self._node(path)
        item = node.item
        if not item.is_leaf:
            raise AnswerError(
                N_("{path} is a group, not a question."), params={"path": path}, path=path
            )
        if item.kind in ("calculate", "meta") and item.calculate is not None:
            raise AnswerError(
                N_("{path} is calculated and cannot be answered."), params={"path": path}, path=path
            )
        if item.type == "note":
            raise AnswerError(
                N_("{path} is a note and takes no answer."), params={"path": path}, path=path
            )
        if isinstance(value, str):
            value, changed = clean_xml_text(value)
            if changed:
                self.cleaned[node.path] = changed
            else:
                self.cleaned.pop(node.path, None)
        known = None
        if item.type in SELECT_TYPES:
            known = (
                {c.value for c in self._all_choices(node)}
                if self._choices_checkable(item)
                else None
            )
        try:
            text = canonical(item, value, known)
        except AnswerError as exc:
            exc.path = node.path
            raise
        if text and known is not None and item.itemset is not None and item.itemset.predicate:
            self._check_offered(node, text)
        if text and item.type in ("time", "dateTime") and not _OFFSET.search(text):
            text += self._offset()
        touched = {node: node.snapshot()}
        if text == self._stored(node):
            return set()
        if not self._set_value(node, text):
            return set()  # kept for when the question is relevant again
        seeds = []
        for target_path, expr in self.graph.triggers.get(item.path, ()):
            target_item = self.definition.item(target_path)
            fake = Computation(target_item, "trigger", "", expr, frozenset(), True)
            for target in self._targets(fake, node):
                touched.setdefault(target, target.snapshot())
                if self._set_value(target, self._string(expr, target) if expr is not None else ""):
                    seeds.append(target)
        return self._propagate([node, *seeds], touched=touched)

    def _check_offered(self, node: Node, text: str) -> None:
        """Refuse a choice the question's choice filter leaves out now.

        A person never sees such a choice; an import or a script could still give it.
        Only answers are checked: a resumed record keeps what it holds.
        """
        offered = {c.value for c in self._filtered(node)}
        names = text.split() if node.item.type in MULTI_TYPES else [text]
        excluded = [n for n in names if n not in offered]
        if excluded:
            raise AnswerError(
                N_("{value} is not offered by {name} now: its choice filter leaves it out."),
                code="answer.filtered_out",
                params={"value": " ".join(excluded), "name": node.item.name},
                path=node.path,
                field=node.item.name,
            )

    def to_xml(self, *, keep_irrelevant: bool = False, submission: bool = False) -> str:
        """The OpenRosa instance: every node, non-relevant ones empty.

        Empty rather than absent keeps the record's shape (repeat instances in a skipped
        section), so a draft resumes exactly. ``submission=True`` leaves non-relevant
        nodes out altogether, byte for byte as Collect submits: JavaRosa's
        XFormSerializingVisitor writes no non-relevant node, and the ODK XForms spec says
        they are "removed from the primary instance on submission".
        ``keep_irrelevant=True`` writes the answers kept aside while their question is
        not relevant, so a draft saved so loses nothing.
        """
        drop: set[int] = set()
        blank: set[int] = set()
        fill: dict[int, str] = {}
        for node in self._iter(self.root):
            if keep_irrelevant:
                if node.kept is not None:
                    fill[id(node.elem)] = node.kept
            elif node.relevant:
                continue
            elif submission:
                if node.parent is None or node.parent.relevant:
                    drop.add(id(node.elem))  # the top of a non-relevant branch
            else:
                blank.add(id(node.elem))
        return instance_xml.serialize(self.root_elem, self.definition, drop, fill, blank)

    def display_name(self) -> str:
        """The interview's name: its instanceName, else the title (and start time, if any)."""
        node = self._by_path.get(f"/{self.definition.root_name}/meta/instanceName")
        if node is not None and node.value.strip():
            return node.value.strip()
        start = next(
            (n.value for n in self._iter(self.root) if n.item.type == "start" and n.value), None
        )
        return (
            f"{self.definition.title} {start[:16].replace('T', ' ')}"
            if start
            else self.definition.title
        )

    def _counted(self) -> list[Node]:
        return [
            n
            for n in self._iter(self.root)
            if n.item.is_leaf
            and n.item.has_control
            and n.relevant
            and n.item.type != "note"
            and not n.readonly
        ]

    def question_count(self) -> int:
        """How many questions a person can answer now (relevant, not read-only, not notes)."""
        return len(self._counted())

    def answered_count(self) -> int:
        """How many of those questions have an answer."""
        return sum(1 for n in self._counted() if n.value)


def _localized(elem: ET.Element) -> ET.Element:
    elem.tag = local(elem.tag)
    for child in elem:
        _localized(child)
    return elem


def python_value(item: ItemDef, text: str):
    """The answer text as a Python value (int, float, date, list...), for exports."""
    if not text:
        return None
    try:
        if item.type == "integer":
            return int(text)
        if item.type == "decimal":
            return float(text)
        if item.type in ("date", "today"):
            return date.fromisoformat(text)
        if item.type in ("dateTime", "start", "end"):
            return datetime.fromisoformat(text.replace("Z", "+00:00"))
        if item.type == "time":
            return time.fromisoformat(text[:8])
    except ValueError:
        return text
    if item.type in MULTI_TYPES:
        return text.split()
    return text
