"""What every answer widget has in common.

An answer widget shows one question's value and reports two things: ``edited(value)``
while the user types (the session re-runs skip logic and calculations at once) and
``committed(value)`` when the answer is given (focus leaves, Enter, a choice is picked):
that is when it is saved and its constraint message shown. Values are the engine's
canonical text (``"12"``, ``"2024-05-01"``, ``"a b"``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from PySide6.QtCore import Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QAbstractScrollArea, QLineEdit, QWidget


@dataclass
class WidgetContext:
    """What a widget may need beyond its question: attachments and media files."""

    #: ``attach(file_path) -> answer value`` stores a file for the interview.
    attach: Callable[[str], str] | None = None
    #: ``media_path(filename) -> Path | None`` finds an image named in a media column.
    media_path: Callable[[str], object] | None = None
    #: Answer widgets call this with the node path when Enter asks for the next question.
    extras: dict = field(default_factory=dict)


class AnswerWidget(QWidget):
    """Base of the per-type widgets (see :mod:`fieldsurvey.ui.interview.widgets`)."""

    edited = Signal(object)
    committed = Signal(object)
    #: Enter pressed in a one-line answer: the page moves to the next question.
    advance = Signal()
    #: Typed or pasted text held characters an interview cannot store: how many were
    #: removed or turned into line breaks (the row says so under the question).
    cleaned = Signal(int)

    #: Whether the widget reports ``edited`` on every keystroke (text-like inputs).
    live = False

    def __init__(self, item, context: WidgetContext | None = None, parent=None) -> None:
        super().__init__(parent)
        self.item = item
        self.context = context or WidgetContext()
        self._read_only = False
        self._updating = False

    # The page calls these.
    def set_value(self, value: str) -> None:
        """Show ``value`` (canonical text) without emitting a signal."""
        self._updating = True
        try:
            self._show_value(value or "")
        finally:
            self._updating = False

    def value(self):
        raise NotImplementedError

    def set_read_only(self, read_only: bool) -> None:
        if read_only == self._read_only:
            return  # called on every state update: only a change costs anything
        self._read_only = read_only
        self._apply_read_only(read_only)
        # Text stays selectable in a read-only answer, so it is not disabled; without
        # the page's grey behind it, it looked like a field waiting to be typed in.
        for widget in self.inputs():
            if isinstance(widget, QLineEdit | QAbstractScrollArea):
                widget.setPalette(_read_only_palette(widget) if read_only else QPalette())

    def set_choices(self, choices) -> None:
        """Replace the options (select widgets; after a choice filter changed)."""

    def set_accessible_name(self, name: str) -> None:
        for widget in self.inputs():
            widget.setAccessibleName(name)

    def inputs(self) -> list[QWidget]:
        """The focusable inputs, first one first (for focus and accessible names)."""
        return [self]

    def focus_input(self) -> None:
        inputs = self.inputs()
        if inputs:
            inputs[0].setFocus()

    def retranslate_ui(self) -> None:
        """Re-label the widget's own words (buttons, placeholders)."""

    # Subclasses implement these.
    def _show_value(self, value: str) -> None:
        raise NotImplementedError

    def _apply_read_only(self, read_only: bool) -> None:
        for widget in self.inputs():
            widget.setEnabled(not read_only)

    # Helpers for subclasses.
    def _emit_edited(self) -> None:
        if not self._updating:
            self.edited.emit(self.value())

    def _emit_committed(self) -> None:
        if not self._updating and not self._read_only:
            self.committed.emit(self.value())


def _read_only_palette(widget: QWidget) -> QPalette:
    palette = QPalette(widget.palette())
    palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
    return palette
