"""Typed answers: text, multiline text, barcode, integer and decimal."""

from __future__ import annotations

from PySide6.QtCore import QLocale, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import QHBoxLayout, QLineEdit, QPlainTextEdit

from fieldsurvey.i18n import _
from fieldsurvey.ui.interview.widgets.base import AnswerWidget
from fieldsurvey.ui.text_guard import guard_line_edit, guard_plain_text


class LineAnswer(AnswerWidget):
    """One line edit; commits on Enter and when focus leaves (and reports each keystroke
    when ``live``)."""

    live = True

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.edit = QLineEdit(self)
        self.edit.setObjectName("answerInput")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        guard_line_edit(self.edit, self.cleaned.emit)  # first: later slots see clean text
        if self.live:
            self.edit.textEdited.connect(lambda _text: self._emit_edited())
        self.edit.editingFinished.connect(self._emit_committed)
        self.edit.returnPressed.connect(self.advance.emit)

    def inputs(self):
        return [self.edit]

    def _apply_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def value(self):
        return self.edit.text()

    def _show_value(self, value: str) -> None:
        if self.edit.text() != value:
            self.edit.setText(value)


class TextAnswer(LineAnswer):
    """``text`` and ``barcode`` (a scanner types into it like a keyboard)."""


class NumberAnswer(LineAnswer):
    """``integer`` and ``decimal``, typed the way the interface language writes numbers.

    ``1234,5`` in Spanish or French and ``1234.5`` in English both become ``1234.5``;
    input that is not a number is passed on unchanged, so the engine's own message
    ("not a whole number") appears beside the question.
    """

    def __init__(self, item, context=None, parent=None, *, decimal: bool = False) -> None:
        super().__init__(item, context, parent)
        self.decimal = decimal
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        locale = QLocale()
        self.edit.setPlaceholderText(
            _("A number, e.g. {example}").format(example=locale.toString(1234.5, "f", 1))
            if self.decimal
            else _("A whole number")
        )
        # Re-show the value in the new language's notation.
        if not self.edit.hasFocus() and self.edit.text():
            canonical = self.value()
            self.set_value(canonical)

    def value(self):
        return parse_number(self.edit.text(), decimal=self.decimal)

    def _show_value(self, value: str) -> None:
        text = format_number(value, decimal=self.decimal)
        if parse_number(self.edit.text(), decimal=self.decimal) != value:
            self.edit.setText(text)


def _locales() -> list[QLocale]:
    locale = QLocale()
    locale.setNumberOptions(QLocale.NumberOption.OmitGroupSeparator)
    return [locale, QLocale.c()]


def parse_number(text: str, *, decimal: bool) -> str:
    """Locale-written number -> canonical text; unparsable text comes back unchanged."""
    stripped = text.strip().replace("\u00a0", "").replace("\u202f", "")
    if not stripped:
        return ""
    for locale in _locales():
        if decimal:
            number, ok = locale.toDouble(stripped)
            if ok:
                canonical = (
                    stripped.replace(locale.groupSeparator(), "")
                    .replace(locale.decimalPoint(), ".")
                    .replace(" ", "")
                )
                try:
                    float(canonical)
                except ValueError:
                    canonical = repr(number)
                return canonical
        else:
            number, ok = locale.toLongLong(stripped)
            if ok:
                return str(number)
    return text


def format_number(value: str, *, decimal: bool) -> str:
    """Canonical text -> the interface language's notation (no group separators)."""
    if not value:
        return ""
    locale = _locales()[0]
    try:
        if decimal:
            places = len(value.split(".", 1)[1]) if "." in value else 0
            return locale.toString(float(value), "f", places)
        return locale.toString(int(value))
    except ValueError:
        return value


class _PlainText(QPlainTextEdit):
    focusLost = Signal()  # noqa: N815 - Qt naming

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt override
        super().focusOutEvent(event)
        self.focusLost.emit()


class MultilineAnswer(AnswerWidget):
    """``text`` with ``multiline`` appearance or ``rows`` parameter; Tab leaves it."""

    live = True

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.edit = _PlainText(self)
        self.edit.setObjectName("answerInput")
        self.edit.setTabChangesFocus(True)
        rows = 4
        try:
            rows = int((item.parameters or {}).get("rows", rows))
        except (TypeError, ValueError):
            pass
        line = self.edit.fontMetrics().lineSpacing()
        self.edit.setFixedHeight(line * max(2, min(rows, 12)) + 12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        guard_plain_text(self.edit, self.cleaned.emit)  # first: later slots see clean text
        self.edit.textChanged.connect(self._emit_edited)
        self.edit.focusLost.connect(self._emit_committed)

    def inputs(self):
        return [self.edit]

    def _apply_read_only(self, read_only: bool) -> None:
        self.edit.setReadOnly(read_only)

    def value(self):
        return self.edit.toPlainText()

    def _show_value(self, value: str) -> None:
        if self.edit.toPlainText() != value:
            self.edit.setPlainText(value)
