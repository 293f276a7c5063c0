"""Choices by keyboard: arrows, Space, number keys, letters, Tab and Enter on radio
buttons, checkboxes and drop-downs, in every appearance that renders them."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit, QVBoxLayout, QWidget

from fieldsurvey.ui.interview.widgets import create_answer_widget

from .conftest import install, write_xlsform

ANSWERS = ["Sí", "No", "No sabe", "Prefiere no responder"]
COUNTRIES = ["Belice", "Costa Rica", "El Salvador", "Guatemala", "Honduras", "México",
             "Nicaragua", "Panamá", "Estados Unidos", "Canadá", "España", "Otro país"]


class Screen:
    """A line edit, the answer widget and another line edit, in an active window."""

    def __init__(self, qtbot, kind: str, labels, appearance: str = "") -> None:
        item = SimpleNamespace(type=kind, name="q", appearance=appearance, parameters={},
                               choices=None, itemset=None)
        choices = [SimpleNamespace(value=f"c{i + 1}", label=label)
                   for i, label in enumerate(labels)]
        self.window = QWidget()
        layout = QVBoxLayout(self.window)
        self.before = QLineEdit(self.window)
        self.widget = create_answer_widget(item, choices, None, self.window)
        self.widget.set_accessible_name("País")
        self.after = QLineEdit(self.window)
        for widget in (self.before, self.widget, self.after):
            layout.addWidget(widget)
        self.committed: list[str] = []
        self.advanced: list[bool] = []
        self.widget.committed.connect(self.committed.append)
        self.widget.advance.connect(lambda: self.advanced.append(True))
        qtbot.addWidget(self.window)
        self.window.show()
        self.window.activateWindow()
        qtbot.waitUntil(self.window.isActiveWindow)
        self.qtbot = qtbot

    def button(self, number: int):
        return self.widget.buttons[f"c{number}"]

    def focused(self):
        return QApplication.focusWidget()

    def keys(self, *keys) -> None:
        for key in keys:
            if isinstance(key, str):
                self.qtbot.keyClicks(self.focused(), key)
            else:
                self.qtbot.keyClick(self.focused(), key)


@pytest.fixture
def radios(qtbot):
    return Screen(qtbot, "select_one", COUNTRIES)


def test_options_show_the_number_that_picks_them(radios):
    assert radios.widget.kind == "radio"
    assert radios.button(1).text() == "1. Belice"
    assert radios.button(12).text() == "12. Otro país"
    assert radios.button(3).accessibleName() == "País: 3. El Salvador"
    radios.widget.focus_input()
    radios.keys("4")
    # The number is only shown: the answer is the choice's own value.
    assert radios.widget.value() == "c4"
    assert radios.committed == ["c4"]


@pytest.mark.parametrize("appearance", ["", "likert", "horizontal", "columns"])
def test_tab_comes_in_on_the_chosen_option_and_leaves_the_question(qtbot, appearance):
    screen = Screen(qtbot, "select_one", ANSWERS, appearance)
    screen.before.setFocus()
    screen.keys(Qt.Key.Key_Tab)
    assert screen.focused() is screen.button(1)
    screen.keys(Qt.Key.Key_Tab)
    assert screen.focused() is screen.after
    screen.widget.set_value("c3")  # answered: Tab comes back to the chosen option
    screen.keys(Qt.Key.Key_Backtab)
    assert screen.focused() is screen.button(3)
    screen.keys(Qt.Key.Key_Backtab)
    assert screen.focused() is screen.before
    # Moved to another option by arrow: Tab still leaves from there.
    screen.keys(Qt.Key.Key_Tab, Qt.Key.Key_Down)
    assert screen.focused() is screen.button(4)
    screen.keys(Qt.Key.Key_Tab)
    assert screen.focused() is screen.after


@pytest.mark.parametrize("appearance", ["", "likert", "horizontal", "columns"])
def test_arrows_move_and_space_picks(qtbot, appearance):
    screen = Screen(qtbot, "select_one", ANSWERS, appearance)
    screen.widget.focus_input()
    screen.keys(Qt.Key.Key_Down, Qt.Key.Key_Right)
    assert screen.focused() is screen.button(3)
    assert screen.widget.value() == "" and screen.committed == []  # looking is not answering
    screen.keys(Qt.Key.Key_Space)
    assert screen.widget.value() == "c3"
    screen.keys(Qt.Key.Key_Up)
    assert screen.focused() is screen.button(2)
    screen.keys(Qt.Key.Key_Left, Qt.Key.Key_Left)  # stops at the first option
    assert screen.focused() is screen.button(1)
    screen.keys(Qt.Key.Key_End)
    assert screen.focused() is screen.button(4)
    screen.keys(Qt.Key.Key_Space)
    assert screen.widget.value() == "c4"
    screen.keys(Qt.Key.Key_Space)  # Space again keeps the answer (Delete clears it)
    assert screen.widget.value() == "c4"
    screen.keys(Qt.Key.Key_Delete)
    assert screen.widget.value() == ""


def test_two_digits_typed_quickly_pick_option_ten_and_up(radios):
    radios.widget.focus_input()
    radios.keys("11")
    assert radios.widget.value() == "c11" and radios.focused() is radios.button(11)
    assert radios.committed == ["c11"]  # option 1 was never picked on the way
    radios.keys("7")  # no option 7x in a list of 12: picked at once
    assert radios.widget.value() == "c7"
    # "1" alone could still become 10, 11 or 12: it gets the focus, then is picked.
    radios.keys("1")
    assert radios.focused() is radios.button(1) and radios.widget.value() == "c7"
    radios.qtbot.waitUntil(lambda: radios.widget.value() == "c1", timeout=3000)
    # A lone digit is picked at once by the next key, too.
    radios.keys("1", Qt.Key.Key_Down)
    assert radios.widget.value() == "c1" and radios.focused() is radios.button(2)
    radios.keys("0")  # no option 0
    assert radios.widget.value() == "c1"


def test_letters_move_to_the_option_that_starts_with_them(radios):
    radios.widget.focus_input()
    radios.keys("gu")
    assert radios.focused() is radios.button(4)  # Guatemala
    radios.keys(Qt.Key.Key_Home, "mex")  # typed without the accent
    assert radios.focused() is radios.button(6)  # México
    assert radios.widget.value() == ""  # letters only move; Space or a number picks
    radios.keys(Qt.Key.Key_Home, "e")
    assert radios.focused() is radios.button(3)  # El Salvador
    # The same letter again steps through the options that start with it.
    radios.keys("e")
    assert radios.focused() is radios.button(9)  # Estados Unidos
    radios.keys("e")
    assert radios.focused() is radios.button(11)  # España
    radios.keys(Qt.Key.Key_Space)
    assert radios.widget.value() == "c11"


def test_checkboxes_arrows_space_numbers_and_enter(qtbot):
    screen = Screen(qtbot, "select_multiple", ANSWERS + ["Otra"])
    assert screen.widget.kind == "checkboxes"
    screen.before.setFocus()
    screen.keys(Qt.Key.Key_Tab, Qt.Key.Key_Down, Qt.Key.Key_Space)
    screen.keys(Qt.Key.Key_Down, Qt.Key.Key_Down, Qt.Key.Key_Space)
    assert screen.widget.value() == "c2 c4"
    screen.keys("5", "2")  # number keys toggle
    assert screen.widget.value() == "c4 c5"
    assert screen.focused() is screen.button(2)
    screen.keys(Qt.Key.Key_Return)
    assert screen.advanced == [True] and screen.widget.value() == "c4 c5"
    screen.keys(Qt.Key.Key_Tab)
    assert screen.focused() is screen.after
    screen.keys(Qt.Key.Key_Backtab)  # back in on the first chosen option
    assert screen.focused() is screen.button(4)


def test_enter_on_a_radio_button_picks_it_and_moves_on(radios):
    radios.widget.focus_input()
    radios.keys(Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert radios.widget.value() == "c2" and radios.advanced == [True]


def test_minimal_drop_down_numbers_letters_and_enter(qtbot):
    screen = Screen(qtbot, "select_one", COUNTRIES, "minimal")
    combo = screen.widget.combo
    assert screen.widget.kind == "combo"
    assert [combo.itemText(i) for i in (1, 12)] == ["1. Belice", "12. Otro país"]
    combo.setFocus()
    screen.keys("12")
    assert screen.widget.value() == "c12" and screen.committed == ["c12"]
    screen.keys("hon")
    assert screen.widget.value() == "c5"
    screen.keys(Qt.Key.Key_Return)
    assert screen.advanced == [True]


def test_searchable_list_takes_the_number_of_an_option(qtbot):
    screen = Screen(qtbot, "select_one", COUNTRIES, "autocomplete")
    assert screen.widget.kind == "search"
    edit = screen.widget.combo.lineEdit()
    edit.setFocus()
    qtbot.keyClicks(edit, "10")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert screen.widget.value() == "c10" and screen.advanced == [True]
    assert screen.widget.combo.currentText() == "10. Canadá"
    edit.selectAll()
    qtbot.keyClicks(edit, "guatem")  # any part of a label still finds it
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert screen.widget.value() == "c4" and screen.advanced == [True, True]


# ---- on a field-list page of an interview ---------------------------------------------

FIELD_LIST = [
    ["type", "name", "label::Español (es)", "appearance"],
    ["begin_group", "page", "Organización", "field-list"],
    ["select_one frequency", "often", "¿Con qué frecuencia?", "likert"],
    ["select_multiple services", "services", "Servicios", ""],
    ["text", "notes", "Notas", ""],
    ["end_group", "", "", ""],
]
FIELD_LIST_CHOICES = [
    ["list_name", "name", "label::Español (es)"],
    ["frequency", "never", "Nunca"], ["frequency", "sometimes", "A veces"],
    ["frequency", "often", "Seguido"],
    ["services", "passports", "Pasaportes"], ["services", "ids", "Matrícula consular"],
    ["services", "legal", "Asesoría legal"], ["services", "health", "Salud"],
]


def test_keys_on_a_field_list_page(qtbot, main_window, tmp_path):
    form = write_xlsform(tmp_path / "keys.xlsx", FIELD_LIST, FIELD_LIST_CHOICES,
                         {"form_id": "keys", "version": "1", "form_title": "Teclas"})
    install(qtbot, main_window, form)
    view = main_window.new_interview("keys")
    rows = view.page_widget.rows
    often, services = rows["/data/page/often"].widget, rows["/data/page/services"].widget
    qtbot.waitUntil(lambda: often.buttons["never"].hasFocus())
    focus = QApplication.focusWidget
    qtbot.keyClick(focus(), Qt.Key.Key_Right)
    qtbot.keyClick(focus(), Qt.Key.Key_Right)
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    assert view.session.state("/data/page/often").value == "often"
    qtbot.keyClick(focus(), Qt.Key.Key_Tab)  # leaves the question for the next one
    assert focus() is services.buttons["passports"]
    qtbot.keyClicks(focus(), "3")
    qtbot.keyClick(focus(), Qt.Key.Key_Down)
    qtbot.keyClick(focus(), Qt.Key.Key_Space)
    qtbot.keyClick(focus(), Qt.Key.Key_Return)  # Enter: the next question of the page
    assert focus() is rows["/data/page/notes"].widget.edit
    assert view.session.state("/data/page/services").value == "legal health"
    qtbot.keyClick(focus(), Qt.Key.Key_Backtab)  # back in on the first chosen option
    assert focus() is services.buttons["legal"]
    saved = main_window.store.get_interview(view.instance_id).xml
    assert "<services>legal health</services>" in saved
