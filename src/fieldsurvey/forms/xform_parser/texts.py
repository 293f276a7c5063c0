"""Labels, hints and messages: itext translations and ``<output>`` templates."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from fieldsurvey.forms.model import (
    DEFAULT_LANG,
    Choice,
    ItemDef,
    Output,
    TextTemplate,
    template_to_text,
)
from fieldsurvey.forms.xform_parser.xml_input import local

ITEXT_REF = re.compile(r"""^\s*jr:itext\(\s*['"](.+?)['"]\s*\)\s*$""")


def template(elem: ET.Element) -> TextTemplate:
    """Text with ``<output value=.../>`` parts of a label/hint/value element."""
    parts: list[str | Output] = []
    if elem.text:
        parts.append(elem.text)
    for child in elem:
        if local(child.tag) == "output":
            expr = child.get("value") or child.get("ref") or ""
            parts.append(Output(expr))
        else:  # markup such as <span> inside a label: keep its text
            parts.append("".join(child.itertext()))
        if child.tail:
            parts.append(child.tail)
    # pyxform pads outputs with spaces in text that starts or ends with one
    if parts and isinstance(parts[0], str):
        parts[0] = parts[0].lstrip()
    if parts and isinstance(parts[-1], str):
        parts[-1] = parts[-1].rstrip()
    return tuple(p for p in parts if p != "")


class Texts:
    """Reading itext and attaching texts to items (part of :class:`XFormReader`)."""

    def _read_itext(self, itext: ET.Element) -> None:
        for translation in itext:
            lang = translation.get("lang") or DEFAULT_LANG
            if translation.get("default") and self.default_language is None:
                self.default_language = lang
            texts = self.itext.setdefault(lang, {})
            for text in translation:
                forms: dict[str, TextTemplate] = {}
                for value in text:
                    forms[value.get("form") or ""] = template(value)
                texts[text.get("id", "")] = forms

    def _text_ref(self, elem: ET.Element) -> dict[str, dict[str, TextTemplate]]:
        """Label/hint element -> language -> form -> template."""
        ref = elem.get("ref")
        match = ITEXT_REF.match(ref) if ref else None
        if match:
            tid = match.group(1)
            return {lang: texts[tid] for lang, texts in self.itext.items() if tid in texts}
        return {DEFAULT_LANG: {"": template(elem)}}

    def _message(self, text: str) -> dict[str, dict[str, TextTemplate]]:
        match = ITEXT_REF.match(text)
        if match:
            tid = match.group(1)
            return {lang: texts[tid] for lang, texts in self.itext.items() if tid in texts}
        return {DEFAULT_LANG: {"": (text,)}}

    def _set_texts(
        self, item: ItemDef, kind: str, texts: dict[str, dict[str, TextTemplate]]
    ) -> None:
        plain_target = {
            "label": item.labels,
            "hint": item.hints,
            "constraint": item.constraint_messages,
            "required": item.required_messages,
        }[kind]
        for lang, forms in texts.items():
            for form, tmpl in forms.items():
                if form in ("", "long", "short"):
                    if form == "short" and "" in forms:
                        continue
                    item.text_templates.setdefault(kind, {})[lang] = tmpl
                    plain_target[lang] = template_to_text(tmpl)
                elif form == "guidance":
                    item.text_templates.setdefault("guidance", {})[lang] = tmpl
                    item.guidance_hints[lang] = template_to_text(tmpl)
                elif kind == "label":
                    item.media.setdefault(lang, {})[form] = template_to_text(tmpl).rsplit("/", 1)[
                        -1
                    ]

    def _itext_outputs(self) -> dict[str, set[str]]:
        """itext id -> the ``<output>`` expressions of its texts (any language)."""
        found: dict[str, set[str]] = {}
        for texts in self.itext.values():
            for tid, forms in texts.items():
                for tmpl in forms.values():
                    for part in tmpl:
                        if isinstance(part, Output):
                            found.setdefault(tid, set()).add(part.expr)
        return found


def add_choice_texts(choice: Choice, lang: str, forms: dict[str, TextTemplate]) -> None:
    """One language's label (with its template when it has outputs) and media."""
    for form, tmpl in forms.items():
        if form in ("", "long", "short"):
            choice.labels[lang] = template_to_text(tmpl)
            if any(isinstance(p, Output) for p in tmpl):
                choice.label_templates[lang] = tmpl
        else:
            choice.media.setdefault(lang, {})[form] = template_to_text(tmpl).rsplit("/", 1)[-1]
