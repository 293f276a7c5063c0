"""One question on a page: label (bold, red asterisk when required), hint (grey),
guidance, image, the answer widget, and the inline message (red) under it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout

from fieldsurvey.ui.interview.widgets import WidgetContext, create_answer_widget

HINT_COLOR = QColor("#5f6368")
MESSAGE_COLOR = QColor("#b00020")


def _colored(label: QLabel, color: QColor) -> None:
    # A palette, not a style sheet: style sheets on hundreds of rows slow a page down.
    palette = label.palette()
    palette.setColor(QPalette.ColorRole.WindowText, color)
    label.setPalette(palette)


class QuestionRow(QFrame):
    """Shows one question and forwards its widget's answers with the question's path."""

    edited = Signal(str, object)
    committed = Signal(str, object)
    advance = Signal(str)

    def __init__(self, path: str, item, session, context: WidgetContext, *,
                 read_only: bool = False, depth: int = 0, parent=None) -> None:
        super().__init__(parent)
        self.path = path
        self.item = item
        self.session = session
        self.read_only_view = read_only
        self.touched = False  # the answer was left once: its messages may show
        self.setObjectName("questionRow")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.label = QLabel(self)
        self.label.setObjectName("questionLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self.hint = QLabel(self)
        self.hint.setObjectName("questionHint")
        self.hint.setWordWrap(True)
        _colored(self.hint, HINT_COLOR)
        self.guidance = QLabel(self)
        self.guidance.setObjectName("questionGuidance")
        self.guidance.setWordWrap(True)
        _colored(self.guidance, HINT_COLOR)
        font = self.guidance.font()
        font.setItalic(True)
        self.guidance.setFont(font)
        self.image = QLabel(self)
        self.image.setVisible(False)
        choices = session.choices(path) if _has_choices(item) else []
        self.widget = create_answer_widget(item, choices, context, self)
        self.message = QLabel(self)
        self.message.setObjectName("questionMessage")
        self.message.setWordWrap(True)
        _colored(self.message, MESSAGE_COLOR)
        self.message.setVisible(False)
        self.label.setBuddy(self.widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12 + 16 * depth, 6, 12, 6)
        layout.setSpacing(3)
        for widget in (self.label, self.hint, self.guidance, self.image, self.widget,
                       self.message):
            layout.addWidget(widget)
        self.widget.edited.connect(lambda value: self.edited.emit(self.path, value))
        self.widget.committed.connect(self._committed)
        self.widget.advance.connect(lambda: self.advance.emit(self.path))
        self._required = False
        self.refresh_texts()
        self.update_state(session.state(path), show_message=False)

    def _committed(self, value) -> None:
        self.touched = True
        self.committed.emit(self.path, value)

    @property
    def is_note(self) -> bool:
        return self.item.type == "note"

    def focusable(self) -> bool:
        return bool(self.widget.inputs()) and self.isVisible() and not self.is_note

    def focus(self) -> None:
        self.widget.focus_input()

    def refresh_texts(self) -> None:
        """Label, hint, guidance and image in the current form language."""
        session = self.session
        label = session.label(self.path) or self.item.name
        self._label_text = label
        self._render_label()
        hint = session.hint(self.path)
        self.hint.setText(hint or "")
        self.hint.setVisible(bool(hint))
        guidance = session.guidance(self.path) if hasattr(session, "guidance") else ""
        self.guidance.setText(guidance or "")
        self.guidance.setVisible(bool(guidance))
        self.widget.set_accessible_name(label)
        self.widget.setToolTip(hint or "")
        self._show_image()
        if _has_choices(self.item):
            self.widget.set_choices(session.choices(self.path))

    def _render_label(self) -> None:
        text = html.escape(self._label_text).replace("\n", "<br>")
        star = ' <span style="color:#b00020">*</span>' if self._required else ""
        self.label.setText(f"<b>{text}</b>{star}")

    def _show_image(self) -> None:
        media = _pick(self.item.media, self.session.language)
        name = (media or {}).get("image") if isinstance(media, dict) else None
        finder = self.widget.context.media_path
        path = finder(name) if (name and finder) else None
        pixmap = QPixmap(str(path)) if path else None
        if pixmap is not None and not pixmap.isNull():
            self.image.setPixmap(pixmap.scaled(480, 240, Qt.AspectRatioMode.KeepAspectRatio,
                                               Qt.TransformationMode.SmoothTransformation))
            self.image.setVisible(True)
        else:
            self.image.setVisible(False)

    def refresh_choices(self) -> None:
        if _has_choices(self.item):
            self.widget.set_choices(self.session.choices(self.path))

    def update_state(self, state, *, show_message: bool | None = None,
                     keep_value: bool = False) -> None:
        """Apply a NodeState: visibility, value, read-only, required mark, message."""
        self.setVisible(bool(state.relevant))
        if not keep_value:
            self.widget.set_value(state.value or "")
        self.widget.set_read_only(bool(state.readonly) or self.read_only_view)
        required = bool(state.required)
        if required != self._required:
            self._required = required
            self._render_label()
        show = self.touched if show_message is None else show_message
        text = state.message if (show and not state.valid and state.relevant) else None
        self.set_message(text)

    def set_message(self, text: str | None) -> None:
        self.message.setText(text or "")
        self.message.setVisible(bool(text))
        self.setProperty("hasError", bool(text))


def _has_choices(item) -> bool:
    return bool(item.choices) or item.itemset is not None or item.type.startswith(
        ("select", "rank"))


def _pick(texts, language):
    if not texts:
        return None
    if language in texts:
        return texts[language]
    return texts.get("default") or next(iter(texts.values()))
