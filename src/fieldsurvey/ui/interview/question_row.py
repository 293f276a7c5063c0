"""One question on a page: label (bold, red asterisk when required), hint (grey),
guidance, image, the answer widget, and the inline message (red) under it."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAccessible, QAccessibleAnnouncementEvent, QColor, QPalette, QPixmap
from PySide6.QtWidgets import QFrame, QLabel, QSizePolicy, QVBoxLayout

from fieldsurvey.ui.interview.widgets import WidgetContext, create_answer_widget
from fieldsurvey.ui.text_guard import cleaned_notice

HINT_COLOR = QColor("#5f6368")
MESSAGE_COLOR = QColor("#b00020")


_PALETTES: dict[str, QPalette] = {}

#: The parts of a row from top to bottom; all but the label and the answer are made
#: only when a question has them (most have no hint, image or message), which keeps a
#: 300-question page quick to open.
SLOTS = ("label", "hint", "guidance", "image", "widget", "message", "notice")


def _colored(label: QLabel, color: QColor) -> None:
    # A palette, not a style sheet: style sheets on hundreds of rows slow a page down.
    # One palette per colour, shared by every label of that colour.
    palette = _PALETTES.get(color.name())
    if palette is None:
        palette = QPalette(label.palette())
        palette.setColor(QPalette.ColorRole.WindowText, color)
        _PALETTES[color.name()] = palette
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
        self.refused = False  # the session refused the last answer given (not a number...)
        self.setObjectName("questionRow")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.label = QLabel(self)
        self.label.setObjectName("questionLabel")
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        self._parts: dict[str, QLabel] = {}
        choices = session.choices(path) if _has_choices(item) else []
        self.widget = create_answer_widget(item, choices, context, self)
        self.label.setBuddy(self.widget)
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(12 + 16 * depth, 6, 12, 6)
        self._layout.setSpacing(3)
        self._layout.addWidget(self.label)
        self._layout.addWidget(self.widget)
        self.widget.edited.connect(self._edited)
        self.widget.committed.connect(self._committed)
        self.widget.advance.connect(self._advance)
        self.widget.cleaned.connect(self._cleaned)
        self._required = False
        self._label_html = ""
        self._message_text = ""
        self._hint_text = ""
        self.refresh_texts()
        self.update_state(session.state(path), show_message=False)

    # ---- the optional parts, made when first needed ------------------------------------
    def _part(self, name: str) -> QLabel:
        label = self._parts.get(name)
        if label is None:
            label = QLabel(self)
            label.setWordWrap(True)
            if name == "hint":
                label.setObjectName("questionHint")
                _colored(label, HINT_COLOR)
            elif name == "guidance":
                label.setObjectName("questionGuidance")
                _colored(label, HINT_COLOR)
                font = label.font()
                font.setItalic(True)
                label.setFont(font)
            elif name == "message":
                label.setObjectName("questionMessage")
                _colored(label, MESSAGE_COLOR)
            elif name == "notice":
                label.setObjectName("questionNotice")
                _colored(label, HINT_COLOR)
            present = {"label", "widget", *self._parts}
            index = sum(1 for slot in SLOTS[:SLOTS.index(name)] if slot in present)
            self._parts[name] = label
            self._layout.insertWidget(index, label)
            label.setVisible(False)
        return label

    def _set_part(self, name: str, text: str) -> None:
        """Show ``text`` in an optional part (nothing is made for an empty text)."""
        if not text and name not in self._parts:
            return
        label = self._part(name)
        if label.text() != text:
            label.setText(text)
        if label.isHidden() == bool(text):
            label.setVisible(bool(text))

    @property
    def hint(self) -> QLabel:
        return self._part("hint")

    @property
    def guidance(self) -> QLabel:
        return self._part("guidance")

    @property
    def image(self) -> QLabel:
        return self._part("image")

    @property
    def message(self) -> QLabel:
        return self._part("message")

    def _edited(self, value) -> None:
        self.edited.emit(self.path, value)

    def _cleaned(self, count: int) -> None:
        self._set_part("notice", cleaned_notice(count))

    def _advance(self) -> None:
        self.advance.emit(self.path)

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
        self._hint_text = hint or ""
        self._set_part("hint", hint or "")
        guidance = session.guidance(self.path) if hasattr(session, "guidance") else ""
        self._set_part("guidance", guidance or "")
        self.widget.set_accessible_name(label)
        self.widget.setToolTip(hint or "")
        self._show_image()
        if _has_choices(self.item):
            self.widget.set_choices(session.choices(self.path))
        self._describe()

    def _render_label(self) -> None:
        text = html.escape(self._label_text).replace("\n", "<br>")
        star = ' <span style="color:#b00020">*</span>' if self._required else ""
        rendered = f"<b>{text}</b>{star}"
        # Setting the same rich text again still re-parses it and relays the row out.
        if rendered != self._label_html:
            self._label_html = rendered
            self.label.setText(rendered)

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
        elif "image" in self._parts:
            self._parts["image"].setVisible(False)

    def refresh_choices(self) -> None:
        if _has_choices(self.item):
            self.widget.set_choices(self.session.choices(self.path))
            self._describe()  # new options are new buttons

    def update_state(self, state, *, show_message: bool | None = None,
                     keep_value: bool = False) -> None:
        """Apply a NodeState: visibility, value, read-only, required mark, message."""
        relevant = bool(state.relevant)
        # Only a change of visibility: setVisible(True) relays the whole page out.
        if self.isHidden() == relevant:
            self.setVisible(relevant)
        if not keep_value:
            self.widget.set_value(state.value or "")
        self.widget.set_read_only(bool(state.readonly) or self.read_only_view)
        required = bool(state.required)
        if required != self._required:
            self._required = required
            self._render_label()
        # A message already shown stays (re-read: the answer or the language changed)
        # until the answer is valid.
        show = (self.touched or self.message_shown) if show_message is None else show_message
        text = state.message if (show and not state.valid and state.relevant) else None
        self.set_message(text)

    @property
    def message_shown(self) -> bool:
        return bool(self._message_text)

    def set_message(self, text: str | None) -> None:
        text = text or ""
        if text == self._message_text:
            return
        self._message_text = text
        self._set_part("message", text)
        self.setProperty("hasError", bool(text))
        self._describe()

    def _describe(self) -> None:
        # A screen reader reads the description with the question: the message while
        # one is shown, else the hint.
        text = self._message_text or self._hint_text
        for widget in self.widget.inputs():
            if widget.accessibleDescription() != text:
                widget.setAccessibleDescription(text)

    def announce(self) -> None:
        """Have a screen reader say the message now (the focus did not move: moving on
        was refused on this very question)."""
        if self._message_text and QAccessible.isActive():
            QAccessible.updateAccessibility(
                QAccessibleAnnouncementEvent(self.widget, self._message_text))


def _has_choices(item) -> bool:
    return bool(item.choices) or item.itemset is not None or item.type.startswith(
        ("select", "rank"))


def _pick(texts, language):
    if not texts:
        return None
    if language in texts:
        return texts[language]
    return texts.get("default") or next(iter(texts.values()))
