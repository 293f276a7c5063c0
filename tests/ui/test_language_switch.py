"""The interface language is switched in the settings and every open window follows at
once: the main window's menus and panels, the open interview's buttons, Qt's own buttons
and the date and number conventions. The questionnaire keeps its own language."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialogButtonBox,
    QDoubleSpinBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)

from fieldsurvey.i18n import _, current_language, set_language

from .conftest import install

NAME = "/data/intro/org_name"


def visible_texts(window) -> dict[tuple[int, str], str]:
    """What a user can read in the window: menus, actions, labels, buttons, placeholders,
    table headers; keyed on (object, kind) so that two snapshots can be compared."""
    texts: dict[tuple[int, str], str] = {}
    for action in window.findChildren(type(window.act_new)):
        if action.text():
            texts[(id(action), "action")] = action.text()
    for menu in (window.menu_file, window.menu_interview, window.menu_help):
        texts[(id(menu), "menu")] = menu.title()
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window):
            continue
        if isinstance(widget, QLabel | QAbstractButton) and widget.text():
            texts[(id(widget), "text")] = widget.text()
        if isinstance(widget, QGroupBox) and widget.title():
            texts[(id(widget), "title")] = widget.title()
        if isinstance(widget, QLineEdit) and widget.placeholderText():
            texts[(id(widget), "placeholder")] = widget.placeholderText()
    for view in (window.forms_panel, window.interviews_panel):
        for table in view.findChildren(QWidget):
            model = getattr(table, "model", None)
            header = getattr(table, "horizontalHeader", None)
            if model is None or header is None or model() is None:
                continue
            for column in range(model().columnCount()):
                title = model().headerData(column, header().orientation())
                if title:
                    texts[(id(table), f"header{column}")] = str(title)
    return texts


def translatable(text: str, code: str) -> bool:
    """True when ``text`` is a string of our catalogs with a different translation."""
    previous = current_language()
    set_language(code)
    try:
        return _(text) != text
    finally:
        set_language(previous)


def switch_in_settings(qtbot, window, code: str) -> None:
    """Choose the language in the settings dialog and press OK, as a user does."""
    dialog = window.show_settings()
    qtbot.waitUntil(dialog.isVisible)
    dialog.language.setCurrentIndex(dialog.language.findData(code))
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    with qtbot.waitSignal(dialog.finished, timeout=5000):
        ok.click()


def untranslated(before: dict, after: dict, code: str) -> list[str]:
    """Texts of ``before`` (English) still shown unchanged although we translate them."""
    return [text for key, text in before.items()
            if after.get(key) == text and translatable(text, code)]


@pytest.mark.parametrize(("code", "file_menu", "next_button", "forms_title"), [
    ("fr", "&Fichier", "Suivant (Ctrl+N) ▶", "Questionnaires"),
    ("ru", "&Файл", "Далее (Ctrl+N) ▶", "Анкеты"),
])
def test_switching_language_relabels_open_windows_without_restart(
        qtbot, main_window, organization_form, code, file_menu, next_button, forms_title):
    window = main_window
    install(qtbot, window, organization_form)
    english_home = visible_texts(window)
    view = window.new_interview("organizations")
    instance_id = view.instance_id
    question = view.page_widget.rows[NAME].label.text()
    english_interview = visible_texts(window)
    assert window.menu_file.title() == "&File"

    switch_in_settings(qtbot, window, code)

    assert current_language() == code
    assert window.settings.get("interface_language") == code  # kept for the next start
    # The same window, the same interview: nothing was restarted.
    assert window.interview_view.instance_id == instance_id
    assert window.stack.currentWidget() is window.interview_view
    assert window.menu_file.title() == file_menu
    buttons = {b.text() for b in view.findChildren(QAbstractButton) if b.isVisibleTo(window)}
    assert next_button in buttons
    # The questionnaire's own labels stay in the questionnaire language.
    assert view.page_widget.rows[NAME].label.text() == question
    left = untranslated(english_interview, visible_texts(window), code)
    assert not left, f"interview screen still in English after switching to {code}: {left}"

    # Back on the list: the panels were relabelled while they were hidden.
    view.close_interview()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home)
    home = visible_texts(window)
    assert forms_title in home.values()
    left = untranslated(english_home, home, code)
    assert not left, f"main window still in English after switching to {code}: {left}"


def test_messages_under_questions_follow_the_language(qtbot, main_window, organization_form):
    install(qtbot, main_window, organization_form)
    view = main_window.new_interview("organizations")
    # "Next error": the empty required question shows its message under it.
    # The question being left shows its message; F8 moves on to the next problem, whose
    # message shows too.
    view.error_button.click()
    message = view.page_widget.rows[NAME].message
    qtbot.waitUntil(message.isVisible)
    assert message.text() == "This answer is required."
    projects = view.page_widget.rows["/data/intro/has_projects"]
    assert projects.message.text() == "This answer is required."
    # A commit elsewhere on the page keeps both messages.
    members = view.page_widget.rows["/data/intro/members"].widget.edit
    members.setFocus()
    qtbot.keyClicks(members, "12")
    qtbot.keyClick(members, Qt.Key.Key_Tab)
    assert message.isVisible() and projects.message.isVisible()
    switch_in_settings(qtbot, main_window, "pt")
    assert message.text() == "Esta resposta é obrigatória."
    assert projects.message.text() == "Esta resposta é obrigatória."


def test_qt_own_buttons_and_locale_follow_the_language(qtbot, main_window):
    box = QMessageBox(QMessageBox.Icon.Question, "FieldSurvey", "?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
                      main_window)
    qtbot.addWidget(box)
    cancel = box.button(QMessageBox.StandardButton.Cancel)
    assert cancel.text() == "Cancel"
    switch_in_settings(qtbot, main_window, "es")
    # An open Qt dialog re-labels its standard buttons, from our catalog (glossary words).
    qtbot.waitUntil(lambda: cancel.text() == "Cancelar")
    assert box.button(QMessageBox.StandardButton.Yes).text().replace("&", "") == "Sí"
    assert QLocale().name().startswith("es")
    assert QLocale().toString(12345.5, "f", 1) == "12.345,5"
    # Widgets that already exist follow too (setDefault alone would only reach new ones).
    spin = QDoubleSpinBox(main_window.home)
    assert spin.locale().name().startswith("es")
    switch_in_settings(qtbot, main_window, "ru")
    assert spin.locale().name().startswith("ru")
    assert spin.locale().decimalPoint() == ","
    # Strings we do not translate ourselves come from Qt's catalog, not English.
    assert QApplication.translate("QFileDialog", "File &name:") != "File &name:"
    switch_in_settings(qtbot, main_window, "en")
    qtbot.waitUntil(lambda: cancel.text() == "Cancel")
    assert QLocale().name().startswith("en")


def test_first_start_uses_the_system_language(qtbot, data_dir, monkeypatch):
    from fieldsurvey.settings import Settings

    from .conftest import open_window

    monkeypatch.setenv("LANGUAGE", "it_IT.UTF-8")
    window = open_window(data_dir)
    qtbot.addWidget(window)
    assert window.menu_interview.title() == "&Intervista"
    assert Settings(data_dir.settings_file).get("interface_language") == "it"
    window.store.close()
    # The stored choice wins over the system language at the next start.
    monkeypatch.setenv("LANGUAGE", "ru")
    set_language("en")
    second = open_window(data_dir)
    qtbot.addWidget(second)
    assert second.menu_interview.title() == "&Intervista"
    second.store.close()


def test_two_hundred_switches_with_an_interview_open_and_a_draft_selected(
        qtbot, main_window, organization_form):
    """Once, a live switch killed the application ("Fatal Python error: none_dealloc"):
    Qt for Python 6.12.0 freed None a little at every call (see test_qt_references.py).
    Every switch here goes through the settings dialog, as a user makes it, with the form
    language changed between switches."""
    window = main_window
    install(qtbot, window, organization_form)
    draft = window.new_interview("organizations")
    draft_id = draft.instance_id
    draft.page_widget.rows[NAME].widget.edit.setText("Casa Honduras")
    draft.close_interview()
    qtbot.waitUntil(lambda: window.stack.currentWidget() is window.home)
    assert window.interviews_panel.select(draft_id)
    view = window.new_interview("organizations")
    languages = ["es", "fr", "pt", "it", "ru", "en"]
    form_languages = [view.language_combo.itemData(i) for i in range(view.language_combo.count())]
    assert len(form_languages) == 2
    for number in range(200):
        switch_in_settings(qtbot, window, languages[number % len(languages)])
        view.language_combo.setCurrentIndex(number % 2)
        assert view.session.language == form_languages[number % 2]
    switch_in_settings(qtbot, window, "en")
    assert current_language() == "en" and window.menu_file.title() == "&File"
    assert window.interview_view.instance_id == view.instance_id
    assert window.interviews_panel.selected_id() == draft_id
