"""What a person sees of an interview: node states, labels, hints and messages."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from fieldsurvey.errors import FormError
from fieldsurvey.forms.model import FormDefinition, ItemDef, Output, pick_language
from fieldsurvey.forms.session.nodes import Node
from fieldsurvey.i18n import N_, _


@dataclass(frozen=True, slots=True)
class NodeState:
    """What a person sees of one answer node."""

    path: str
    value: str
    relevant: bool
    required: bool
    readonly: bool
    valid: bool
    message: str | None


@dataclass(frozen=True, slots=True)
class NodeView:
    """A group, repeat instance or question to render, in document order."""

    path: str
    item: ItemDef
    depth: int
    relevant: bool
    state: NodeState | None
    repeat_index: int | None


@dataclass(frozen=True, slots=True)
class Violation:
    """An answer that stops the interview from being finalized."""

    path: str
    kind: str  # "required" | "constraint"
    message: str


class Views:
    """States, texts in the questionnaire language and violations of :class:`FormSession`."""

    # -- reading state -----------------------------------------------------------------
    def _message(self, node: Node) -> str | None:
        if node.valid:
            return None
        if not node.value:
            text = self._text(node, "required")
            return text or _("This answer is required.")
        text = self._text(node, "constraint")
        return text or _("This answer is not valid.")

    def state(self, path: str) -> NodeState:
        """What a person sees of the answer at ``path``."""
        return self._state(self._node(path))

    def _state(self, node: Node) -> NodeState:
        return NodeState(
            node.path,
            node.value,
            node.relevant,
            node.required,
            node.readonly,
            node.valid,
            self._message(node),
        )

    def nodes(self) -> list[NodeState]:
        """Every leaf of the instance in document order (every repeat instance)."""
        return [self._state(n) for n in self._iter(self.root) if n.item.is_leaf]

    def walk(self) -> Iterator[NodeView]:
        """Groups, repeat instances and questions to render, in document order."""
        for node in self._iter(self.root):
            item = node.item
            if node is self.root or (item.is_leaf and not item.has_control):
                continue
            if item.kind == "group" and item.name == "meta" and node.parent is self.root:
                continue
            yield NodeView(
                node.path,
                item,
                item.depth,
                node.relevant,
                self._state(node) if item.is_leaf else None,
                node.index,
            )

    def set_language(self, language: str) -> set[str]:
        """Switch the questionnaire language (a name as written, or its code: ``es``).

        Calculations that read labels (``jr:choice-name``, ``jr:itext``) are evaluated
        again, so they follow the language; returns the paths that changed. (JavaRosa
        and ODK Web Forms keep the old language's text until an answer changes, which
        their maintainers track as bugs: getodk/javarosa#737, getodk/web-forms#489.)
        """
        matched = _match_language(self.definition, language)
        if matched is None:
            raise FormError(
                N_("The questionnaire has no language {language}."),
                code="form.language",
                params={"language": language},
            )
        if matched == self.language:
            return set()
        self.language = matched
        seeds = [
            (comp, node)
            for comp in self.graph.computations
            if comp.kind in ("calculate", "relevant", "constraint", "required")
            and ("choice-name" in comp.text or "itext(" in comp.text)
            for node in list(self._live.get(comp.item.path, ()))
        ]
        return self._propagate([], seeds) if seeds else set()

    def _render(self, template, node: Node) -> str:
        out = []
        for part in template:
            if isinstance(part, Output):
                expr = self.graph.compiled.get(part.expr)
                out.append(self._string(expr, node) if expr is not None else "")
            else:
                out.append(part)
        return "".join(out)

    def _text(self, node: Node, kind: str) -> str:
        templates = node.item.text_templates.get(kind, {})
        template = pick_language(templates, self.language)
        return self._render(template, node) if template is not None else ""

    def label(self, path: str) -> str:
        """The label of ``path`` in the questionnaire language, its outputs filled in."""
        return self._text(self._node(path), "label")

    def hint(self, path: str) -> str:
        """The hint of ``path`` in the questionnaire language, its outputs filled in."""
        return self._text(self._node(path), "hint")

    def guidance(self, path: str) -> str:
        """The guidance hint of ``path`` in the questionnaire language."""
        return self._text(self._node(path), "guidance")

    def constraint_message(self, path: str) -> str | None:
        """The form's constraint message for ``path``, or None when it has none."""
        node = self._node(path)
        return self._text(node, "constraint") or None

    # -- whole interview ---------------------------------------------------------------
    def validate(self) -> list[Violation]:
        """Every relevant answer that is required and empty or breaks its constraint."""
        out = []
        for node in self._iter(self.root):
            if node.item.is_leaf and not node.valid:
                kind = "required" if not node.value else "constraint"
                out.append(Violation(node.path, kind, self._message(node) or ""))
        return out


def _match_language(definition: FormDefinition, language: str | None) -> str | None:
    if not language:
        return None
    if language in definition.languages:
        return language
    for name in definition.languages:
        if name.endswith(f"({language})") or name.lower() == language.lower():
            return name
    return None
