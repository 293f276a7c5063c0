"""Choices: select one (radio buttons, or a searchable list for long lists and the
``minimal`` / ``autocomplete`` appearances), select multiple (checkboxes) and rank."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QGridLayout,
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from fieldsurvey.i18n import _
from fieldsurvey.ui.interview.widgets.base import AnswerWidget

#: Above this many options a select one becomes a searchable list.
LONG_LIST = 12
#: Options per column before checkboxes and radio buttons flow into a second column.
PER_COLUMN = 8


def appearance_tokens(item) -> set[str]:
    return set((item.appearance or "").split())


class _ButtonKeys(QObject):
    """Enter on a radio button or checkbox moves on; Delete clears a select one."""

    def __init__(self, owner: AnswerWidget) -> None:
        super().__init__(owner)
        self.owner = owner

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                if isinstance(watched, QCheckBox) or watched.isChecked():
                    self.owner.advance.emit()
                else:
                    watched.click()  # Enter picks the focused option, then moves on
                    self.owner.advance.emit()
                return True
            if event.key() in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace) and hasattr(
                self.owner, "clear"
            ):
                self.owner.clear()
                return True
        return False


class _ButtonsAnswer(AnswerWidget):
    """Shared by radio buttons and checkboxes: one button per choice, in columns."""

    exclusive = True

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(False)  # exclusivity handled here so that clearing works
        self.buttons: dict[str, QAbstractButton] = {}
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setHorizontalSpacing(24)
        self.grid.setVerticalSpacing(2)
        self._keys = _ButtonKeys(self)
        self._horizontal = bool(appearance_tokens(item) & {"horizontal", "likert",
                                                           "horizontal-compact", "columns"})
        self._choices: list = []
        self.group.buttonClicked.connect(self._clicked)

    def set_choices(self, choices) -> None:
        choices = list(choices)
        if [(c.value, c.label) for c in choices] == [(c.value, c.label) for c in self._choices]:
            return
        current = self.value()
        self._choices = choices
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = {}
        count = len(choices)
        columns = count if self._horizontal else max(1, -(-count // PER_COLUMN))
        columns = min(columns, 4 if not self._horizontal else max(count, 1))
        rows = max(1, -(-count // columns))
        for index, choice in enumerate(choices):
            button = self._make_button(choice.label or choice.value)
            button.setProperty("choiceValue", choice.value)
            button.setObjectName(f"choice_{choice.value}")
            button.installEventFilter(self._keys)
            button.setEnabled(not self._read_only)
            self.group.addButton(button)
            self.buttons[choice.value] = button
            # Fill down the columns, the way people read a list of options.
            self.grid.addWidget(button, index % rows, index // rows)
        self.set_value(current if isinstance(current, str) else " ".join(current))

    def inputs(self):
        return list(self.buttons.values())

    def focus_input(self) -> None:
        checked = [b for b in self.buttons.values() if b.isChecked()]
        target = checked[0] if checked else next(iter(self.buttons.values()), None)
        if target is not None:
            target.setFocus()

    def set_accessible_name(self, name: str) -> None:
        self.setAccessibleName(name)
        for button in self.buttons.values():
            button.setAccessibleName(f"{name}: {button.text()}")

    def _make_button(self, text: str) -> QAbstractButton:
        raise NotImplementedError

    def _clicked(self, button: QAbstractButton) -> None:
        if self.exclusive and button.isChecked():
            for other in self.buttons.values():
                if other is not button:
                    other.setChecked(False)
        self._emit_edited()
        self._emit_committed()

    def clear(self) -> None:
        if self._read_only:
            return
        for button in self.buttons.values():
            button.setChecked(False)
        self._emit_edited()
        self._emit_committed()

    def selected(self) -> list[str]:
        return [value for value, button in self.buttons.items() if button.isChecked()]


class RadioAnswer(_ButtonsAnswer):
    """Select one as radio buttons; Delete clears the answer."""

    def _make_button(self, text: str) -> QAbstractButton:
        button = QRadioButton(text, self)
        button.setAutoExclusive(False)
        return button

    def value(self):
        selected = self.selected()
        return selected[0] if selected else ""

    def _show_value(self, value: str) -> None:
        for choice, button in self.buttons.items():
            button.setChecked(choice == value)


class CheckboxAnswer(_ButtonsAnswer):
    """Select multiple as checkboxes; the value is the choices in list order."""

    exclusive = False

    def _make_button(self, text: str) -> QAbstractButton:
        return QCheckBox(text, self)

    def value(self):
        return " ".join(self.selected())

    def _show_value(self, value: str) -> None:
        chosen = set(value.split())
        for choice, button in self.buttons.items():
            button.setChecked(choice in chosen)


class ComboAnswer(AnswerWidget):
    """Select one as a drop-down; searchable (type any part of a label) for long lists
    and the ``autocomplete`` / ``search`` appearances."""

    def __init__(self, item, context=None, parent=None, *, searchable: bool = True) -> None:
        super().__init__(item, context, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("answerInput")
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.searchable = searchable
        if searchable:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.activated[str].connect(lambda _t: self._commit_text())
            self.combo.lineEdit().editingFinished.connect(self._commit_text)
            self.combo.lineEdit().returnPressed.connect(self.advance.emit)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        self._choices: list = []
        self.combo.activated.connect(lambda _i: self._commit_index())
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        if self.searchable:
            self.combo.lineEdit().setPlaceholderText(_("Type to search…"))
        if self.combo.count():
            self.combo.setItemText(0, "")

    def set_choices(self, choices) -> None:
        choices = list(choices)
        if [(c.value, c.label) for c in choices] == [(c.value, c.label) for c in self._choices]:
            return
        current = self.value()
        self._choices = choices
        self._updating = True
        try:
            self.combo.clear()
            self.combo.addItem("", "")
            for choice in choices:
                self.combo.addItem(choice.label or choice.value, choice.value)
        finally:
            self._updating = False
        self.set_value(current)

    def inputs(self):
        return [self.combo]

    def _commit_index(self) -> None:
        self._emit_edited()
        self._emit_committed()

    def _commit_text(self) -> None:
        text = self.combo.currentText().strip()
        index = self.combo.findText(text, Qt.MatchFlag.MatchFixedString)
        if index < 0 and text:
            # A unique partial match is what the user meant.
            matches = [i for i in range(1, self.combo.count())
                       if text.lower() in self.combo.itemText(i).lower()]
            index = matches[0] if len(matches) == 1 else -1
        if index >= 0:
            self.combo.setCurrentIndex(index)
        self._emit_edited()
        self._emit_committed()

    def value(self):
        index = self.combo.currentIndex()
        if self.searchable:
            text = self.combo.currentText().strip()
            if not text:
                return ""
            if index < 0 or self.combo.itemText(index) != text:
                return text  # not one of the options: the engine says so
        return self.combo.itemData(index) or "" if index >= 0 else ""

    def _show_value(self, value: str) -> None:
        index = self.combo.findData(value) if value else 0
        self.combo.setCurrentIndex(max(index, 0))
        if self.searchable and index < 0:
            self.combo.setEditText(value)


class RankAnswer(AnswerWidget):
    """``rank``: order every option; Alt+Up / Alt+Down move the selected one."""

    def __init__(self, item, context=None, parent=None) -> None:
        super().__init__(item, context, parent)
        self.list = QListWidget(self)
        self.list.setObjectName("answerInput")
        self.list.setDragDropMode(QListWidget.DragDropMode.InternalMove)
        self.list.setMaximumHeight(220)
        self.list.model().rowsMoved.connect(lambda *_a: self._moved())
        self.up = QPushButton(self)
        self.down = QPushButton(self)
        self.accept = QPushButton(self)
        self.up.clicked.connect(lambda: self._move(-1))
        self.down.clicked.connect(lambda: self._move(1))
        self.accept.clicked.connect(self._moved)
        buttons = QVBoxLayout()
        for button in (self.up, self.down, self.accept):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.list)
        self.list.installEventFilter(self)
        self._answered = False
        self._choices: list = []
        self.retranslate_ui()

    def retranslate_ui(self) -> None:
        self.up.setText(_("Move up"))
        self.down.setText(_("Move down"))
        self.accept.setText(_("Keep this order"))
        self.list.setToolTip(_("Alt+Up and Alt+Down move the selected option."))

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            if event.modifiers() & Qt.KeyboardModifier.AltModifier:
                if event.key() == Qt.Key.Key_Up:
                    self._move(-1)
                    return True
                if event.key() == Qt.Key.Key_Down:
                    self._move(1)
                    return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._moved()
                self.advance.emit()
                return True
        return False

    def set_choices(self, choices) -> None:
        self._choices = list(choices)
        self._show_value(self.value() if self._answered else "")

    def _move(self, step: int) -> None:
        row = self.list.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.list.count() or self._read_only:
            return
        item = self.list.takeItem(row)
        self.list.insertItem(target, item)
        self.list.setCurrentRow(target)
        self._moved()

    def _moved(self) -> None:
        if self._updating:
            return
        self._answered = True
        labels = {c.value: c.label or c.value for c in self._choices}
        for row in range(self.list.count()):
            item = self.list.item(row)
            choice = item.data(Qt.ItemDataRole.UserRole)
            item.setText(f"{row + 1}. {labels.get(choice, choice)}")
        self._emit_edited()
        self._emit_committed()

    def inputs(self):
        return [self.list]

    def _apply_read_only(self, read_only: bool) -> None:
        self.list.setDragEnabled(not read_only)
        for button in (self.up, self.down, self.accept):
            button.setEnabled(not read_only)

    def value(self):
        if not self._answered:
            return ""
        return " ".join(self.list.item(i).data(Qt.ItemDataRole.UserRole)
                        for i in range(self.list.count()))

    def _show_value(self, value: str) -> None:
        order = value.split()
        self._answered = bool(order)
        labels = {c.value: c.label or c.value for c in self._choices}
        ordered = [v for v in order if v in labels] + [v for v in labels if v not in order]
        self.list.clear()
        for position, choice in enumerate(ordered, start=1):
            item = QListWidgetItem(f"{position}. {labels[choice]}" if self._answered
                                   else labels[choice])
            item.setData(Qt.ItemDataRole.UserRole, choice)
            self.list.addItem(item)


def choose_select_one(item, choices_count: int) -> str:
    """Which select-one widget suits the question: ``radio``, ``combo`` or ``search``."""
    tokens = appearance_tokens(item)
    if tokens & {"autocomplete", "search"} or any(t.startswith("search(") for t in tokens):
        return "search"
    if "minimal" in tokens:
        return "combo"
    if choices_count > LONG_LIST:
        return "search"
    return "radio"


__all__ = [
    "CheckboxAnswer",
    "ComboAnswer",
    "RadioAnswer",
    "RankAnswer",
    "choose_select_one",
]

