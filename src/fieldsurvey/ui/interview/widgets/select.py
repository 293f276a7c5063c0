"""Choices: select one (radio buttons, or a searchable list for long lists and the
``minimal`` / ``autocomplete`` appearances), select multiple (checkboxes) and rank."""

from __future__ import annotations

import time
import unicodedata

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
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


#: Keys typed within this many milliseconds of each other are read together: two digits
#: make one number (option 10 and up, as in CSPro), letters the start of a label.
TYPE_AHEAD_MS = 800


def option_text(number: int, label: str) -> str:
    """``3. Guatemala``: the number that picks the option, then its label."""
    return f"{number}. {label}"


def _folded(text: str) -> str:
    # "Él" and "el" start the same for someone typing on any keyboard.
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


class _TypeAhead(QObject):
    """Number keys and letters over a list of options.

    ``digit()`` picks the n-th option; while another digit could still follow (``1`` in a
    list of 12), the option gets the focus at once and is picked after TYPE_AHEAD_MS or
    by the next key. ``letter()`` finds the next option whose label starts with what was
    typed (the same letter again steps through the options that start with it).
    """

    def __init__(self, parent, *, count, labels, current, show, pick, found=None) -> None:
        super().__init__(parent)
        self._count, self._labels, self._current = count, labels, current
        self._show, self._pick = show, pick
        self._found = found or show
        self._digits = self._letters = ""
        self._digits_at = self._letters_at = 0.0
        self._pending: int | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(TYPE_AHEAD_MS)
        self._timer.timeout.connect(self.flush)

    def flush(self) -> None:
        """Another key: pick the option a lone digit was waiting on; letters typed
        after it start a new search."""
        self._letters = ""
        self._flush_digit()

    def _flush_digit(self) -> None:
        self._timer.stop()
        index, self._pending = self._pending, None
        if index is not None:
            self._pick(index)

    def key(self, event: QKeyEvent) -> bool:
        """A digit or a letter typed is taken (True); any other key ends what was typed."""
        typed, text = _typed_key(event)
        if typed == "digit":
            self.digit(text)
            return True
        if typed == "letter":
            self.letter(text)
            return True
        self.flush()
        return False

    def digit(self, digit: str) -> None:
        self._letters = ""
        now = time.monotonic()
        quick = self._pending is not None and now - self._digits_at < TYPE_AHEAD_MS / 1000
        self._digits_at = now
        count = self._count()
        typed = self._digits + digit if quick else digit
        if not 1 <= int(typed) <= count:
            typed = digit  # not an option together: the new digit starts over
            if not 1 <= int(typed) <= count:
                self._timer.stop()
                self._pending, self._digits = None, ""
                return
        self._digits = typed
        index = int(typed) - 1
        if int(typed) * 10 <= count:
            self._pending = index  # "1" of a list of 12 may become 10, 11 or 12
            self._show(index)
            self._timer.start()
        else:
            self._timer.stop()
            self._pending, self._digits = None, ""
            self._pick(index)

    def letter(self, text: str) -> None:
        self._flush_digit()
        now = time.monotonic()
        typed = self._letters + text if now - self._letters_at < TYPE_AHEAD_MS / 1000 else text
        self._letters_at = now
        self._letters = typed
        labels = [_folded(label) for label in self._labels()]
        current = self._current()
        wanted = _folded(typed)
        if len(set(wanted)) == 1:
            # "e", "e", "e": each press steps to the next option that starts with "e".
            wanted, start = wanted[0], current + 1
        else:
            start = max(current, 0)
        order = list(range(start, len(labels))) + list(range(0, min(start, len(labels))))
        match = next((i for i in order if labels[i].startswith(wanted)), None)
        if match is not None:
            self._found(match)


def _typed_key(event: QKeyEvent) -> tuple[str, str]:
    """("digit" | "letter" | "", text) for a key typed without Ctrl or Alt."""
    if event.modifiers() & (Qt.KeyboardModifier.ControlModifier
                            | Qt.KeyboardModifier.AltModifier
                            | Qt.KeyboardModifier.MetaModifier):
        return "", ""
    text = event.text()
    if len(text) != 1:
        return "", ""
    if text.isdigit() and text.isascii():
        return "digit", text
    if text.isalpha():
        return "letter", text
    return "", ""


class _ButtonKeys(QObject):
    """The keys of radio buttons and checkboxes (see :class:`_ButtonsAnswer`)."""

    def __init__(self, owner: _ButtonsAnswer) -> None:
        super().__init__(owner)
        self.owner = owner

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        owner = self.owner
        kind = event.type()
        if kind == QEvent.Type.FocusIn:
            owner._set_tab_stop(watched)  # Tab leaves from the option that has the focus
            return False
        if kind == QEvent.Type.FocusOut:
            owner._set_tab_stop(None)  # and comes back to the chosen one (or the first)
            return False
        if kind != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        if owner.typing.key(event):
            return True
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if not isinstance(watched, QCheckBox) and not watched.isChecked():
                watched.click()  # Enter picks the focused option, then moves on
            owner.advance.emit()
            return True
        if key in (Qt.Key.Key_Delete, Qt.Key.Key_Backspace):
            owner.clear()
            return True
        if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            return False
        steps = {Qt.Key.Key_Down: 1, Qt.Key.Key_Right: 1, Qt.Key.Key_Up: -1,
                 Qt.Key.Key_Left: -1}
        if key in steps:
            owner.show_option(owner.index_of(watched) + steps[key])
            return True
        if key in (Qt.Key.Key_Home, Qt.Key.Key_End):
            owner.show_option(0 if key == Qt.Key.Key_Home else len(owner.buttons) - 1)
            return True
        if key == Qt.Key.Key_Space and owner.exclusive and watched.isChecked():
            return True  # Space picks: it does not take back the chosen option
        return False


class _ButtonsAnswer(AnswerWidget):
    """Shared by radio buttons and checkboxes: one button per choice, in columns.

    Keys, the same in every appearance (``likert``, ``horizontal``, ``columns``,
    field-list pages): the arrow keys (and Home / End) move between the options of the
    question; Space picks a radio button or toggles a checkbox; the number shown before
    an option picks it (two digits typed quickly for option 10 and up); letters move to
    the option whose label starts with them; Enter moves on (on a radio button, after
    picking the focused option); Delete clears. Tab leaves the question: only one option
    at a time is in the Tab order, the chosen one (or the first) when Tab comes in.

    Arrows and letters only move the focus, numbers and Space pick: as in CSPro, looking
    through the options never changes the answer (each change re-runs skip logic and is
    saved and audited); a number is typed on purpose.
    """

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
        self._order: list[QAbstractButton] = []
        self.typing = _TypeAhead(
            self, count=lambda: len(self._order),
            labels=lambda: [c.label or c.value for c in self._choices],
            current=lambda: self.index_of(QApplication.focusWidget()),
            show=self.show_option, pick=self.pick_option)
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
        self._order = []
        count = len(choices)
        columns = count if self._horizontal else max(1, -(-count // PER_COLUMN))
        columns = min(columns, 4 if not self._horizontal else max(count, 1))
        rows = max(1, -(-count // columns))
        for index, choice in enumerate(choices):
            # "&" would make the next letter a shortcut and vanish from the label.
            label = (choice.label or choice.value).replace("&", "&&")
            button = self._make_button(option_text(index + 1, label))
            button.setProperty("choiceValue", choice.value)
            button.setObjectName(f"choice_{choice.value}")
            button.installEventFilter(self._keys)
            button.setEnabled(not self._read_only)
            self.group.addButton(button)
            self.buttons[choice.value] = button
            self._order.append(button)
            # Fill down the columns, the way people read a list of options.
            self.grid.addWidget(button, index % rows, index // rows)
        self.set_value(current if isinstance(current, str) else " ".join(current))
        if self.accessibleName():
            self.set_accessible_name(self.accessibleName())

    def inputs(self):
        return list(self.buttons.values())

    def index_of(self, widget) -> int:
        return self._order.index(widget) if widget in self._order else -1

    def _tab_target(self) -> QAbstractButton | None:
        checked = [b for b in self._order if b.isChecked()]
        return checked[0] if checked else next(iter(self._order), None)

    def _set_tab_stop(self, target: QAbstractButton | None) -> None:
        """Leave one option in the Tab order: ``target``, else the chosen or first one."""
        target = target or self._tab_target()
        for button in self._order:
            policy = (Qt.FocusPolicy.StrongFocus if button is target
                      else Qt.FocusPolicy.ClickFocus)
            if button.focusPolicy() != policy:
                button.setFocusPolicy(policy)

    def focus_input(self) -> None:
        target = self._tab_target()
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)

    def show_option(self, index: int) -> None:
        """Move the focus to the option at ``index`` (kept within the list)."""
        if self._order:
            self._order[max(0, min(index, len(self._order) - 1))].setFocus(
                Qt.FocusReason.OtherFocusReason)

    def pick_option(self, index: int) -> None:
        """Number keys: pick a radio button (not taking it back), toggle a checkbox."""
        if not 0 <= index < len(self._order) or self._read_only:
            return
        button = self._order[index]
        button.setFocus(Qt.FocusReason.OtherFocusReason)
        if not (self.exclusive and button.isChecked()):
            button.click()

    def set_accessible_name(self, name: str) -> None:
        self.setAccessibleName(name)
        for button in self.buttons.values():
            button.setAccessibleName(f"{name}: {button.text().replace('&&', '&')}")

    def _make_button(self, text: str) -> QAbstractButton:
        raise NotImplementedError

    def _clicked(self, button: QAbstractButton) -> None:
        if self.exclusive and button.isChecked():
            for other in self.buttons.values():
                if other is not button:
                    other.setChecked(False)
        self._emit_edited()
        self._emit_committed()

    def _after_show(self) -> None:
        # The option a Tab comes back to follows the answer, unless one has the focus.
        if not any(b.hasFocus() for b in self._order):
            self._set_tab_stop(None)

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
        self._after_show()


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
        self._after_show()


class ComboAnswer(AnswerWidget):
    """Select one as a drop-down; searchable (type any part of a label) for long lists
    and the ``autocomplete`` / ``search`` appearances.

    The options show their numbers. In the searchable list, a number typed alone picks
    that option when the answer is left; in the ``minimal`` drop-down, number keys pick
    at once (two digits typed quickly for option 10 and up), letters pick the option
    whose label starts with them (as a drop-down does), Enter moves on.
    """

    def __init__(self, item, context=None, parent=None, *, searchable: bool = True) -> None:
        super().__init__(item, context, parent)
        self.combo = QComboBox(self)
        self.combo.setObjectName("answerInput")
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.searchable = searchable
        self._returned = False
        if searchable:
            self.combo.setEditable(True)
            self.combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
            completer = self.combo.completer()
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.activated[str].connect(lambda _t: self._commit_text())
            self.combo.lineEdit().editingFinished.connect(self._commit_text)
            self.combo.lineEdit().returnPressed.connect(self._return_pressed)
            self.combo.lineEdit().textEdited.connect(self._return_done)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addStretch(1)
        self.setFocusProxy(self.combo)
        self._choices: list = []
        self.combo.activated.connect(lambda _i: self._commit_index())
        self.typing = _TypeAhead(
            self, count=lambda: len(self._choices),
            labels=lambda: [c.label or c.value for c in self._choices],
            current=lambda: self.combo.currentIndex() - 1,
            show=lambda i: self.combo.setCurrentIndex(i + 1),
            pick=self._pick, found=self._pick)
        if not searchable:
            self.combo.installEventFilter(self)
        self.retranslate_ui()

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 - Qt override
        if (watched is self.combo and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent)):
            if self.typing.key(event):
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.advance.emit()
                return True
        return False

    def _return_pressed(self) -> None:
        # With the list of matches open, one Enter reaches the line edit twice (itself,
        # then again through the combo box): it moves on once.
        if self._returned:
            return
        self._returned = True
        QTimer.singleShot(0, self._return_done)
        self._commit_text()  # the answer first ("3" is option 3), then the next question
        self.advance.emit()

    def _return_done(self, *_args) -> None:
        self._returned = False

    def _pick(self, index: int) -> None:
        if self._read_only or not 0 <= index < len(self._choices):
            return
        self.combo.setCurrentIndex(index + 1)
        self._commit_index()

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
            for number, choice in enumerate(choices, start=1):
                self.combo.addItem(option_text(number, choice.label or choice.value),
                                   choice.value)
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
        if index < 0 and text.isdigit() and 1 <= int(text) < self.combo.count():
            index = int(text)  # the number shown before the option
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

