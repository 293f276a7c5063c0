"""The main window: installing questionnaires, the interview list and its actions."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from fieldsurvey.i18n import current_language

from .conftest import ORGANIZATION_CHOICES, ORGANIZATION_SURVEY, install, write_xlsform


def make_interviews(window, names):
    from fieldsurvey.forms import FormSession

    definition = window.store.form_definition("organizations")
    ids = []
    for name in names:
        session = FormSession(definition)
        session.set_answer("/data/intro/org_name", name)
        rec = window.store.create_interview("organizations", definition.version,
                                            session.to_xml(), enumerator="Encuestador/a 07",
                                            display_name=session.display_name())
        ids.append(rec.instance_id)
    window.refresh()
    return ids


def test_install_lists_the_form_and_recognises_a_new_version(qtbot, main_window,
                                                             organization_form, tmp_path):
    install(qtbot, main_window, organization_form)
    table = main_window.forms_panel.table
    assert table.rowCount() == 1
    assert [table.item(0, c).text() for c in range(4)] == [
        "Organizations", "2024050101", "English, Español", "0"]
    newer = write_xlsform(tmp_path / "organizations-v2.xlsx", ORGANIZATION_SURVEY,
                          ORGANIZATION_CHOICES,
                          {"form_id": "organizations", "version": "2024060101",
                           "form_title": "Organizations"})
    install(qtbot, main_window, newer)
    assert main_window.last_install_results[0].is_new_version
    assert "new version" in main_window.statusBar().currentMessage()
    assert table.item(0, 1).text() == "2024060101"


def test_a_broken_form_is_explained_with_its_row(qtbot, main_window, tmp_path):
    broken = write_xlsform(tmp_path / "broken.xlsx", [
        ["type", "name", "label"],
        ["text", "a", "A"],
        ["integr", "b", "B"],
    ])
    op = main_window.install_files([broken])
    qtbot.waitUntil(lambda: op.done, timeout=20000)
    box = main_window.findChild(QMessageBox, "errorBox")
    assert box is not None
    shown = box.text()
    assert "Unknown question type 'integr'" in shown and "broken.xlsx" in shown
    assert main_window.forms_panel.table.rowCount() == 0


def test_search_filter_delete_and_undo(qtbot, main_window, organization_form):
    install(qtbot, main_window, organization_form)
    ids = make_interviews(main_window, ["Casa Mexico", "Red Honduras", "Casa Peru"])
    panel = main_window.interviews_panel
    assert panel.visible_count() == 3
    panel.search.setFocus()
    qtbot.keyClicks(panel.search, "casa")
    assert panel.visible_count() == 2
    panel.search.clear()
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("finalized"))
    assert panel.visible_count() == 0
    panel.status_filter.setCurrentIndex(panel.status_filter.findData("draft"))
    assert panel.visible_count() == 3
    # Sort by name.
    panel.view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    names = [panel.proxy.index(r, 0).data() for r in range(panel.proxy.rowCount())]
    assert names == sorted(names)
    # Delete, then undo.
    assert panel.select(ids[1])
    main_window.delete_selected()
    assert main_window.store.get_interview(ids[1]).deleted
    assert main_window.undo_button.isVisible()
    main_window.act_undo.trigger()
    assert not main_window.store.get_interview(ids[1]).deleted
    assert panel.selected_id() == ids[1]


def test_resume_from_the_list_with_enter(qtbot, main_window, organization_form):
    install(qtbot, main_window, organization_form)
    ids = make_interviews(main_window, ["Casa Mexico"])
    panel = main_window.interviews_panel
    panel.select(ids[0])
    panel.view.setFocus()
    qtbot.keyClick(panel.view, Qt.Key.Key_Return)
    assert main_window.stack.currentWidget() is main_window.interview_view
    assert main_window.interview_view.instance_id == ids[0]
    qtbot.keyClick(main_window.interview_view.focusWidget(), Qt.Key.Key_Escape)
    assert main_window.stack.currentWidget() is main_window.home


def test_interface_language_switches_live_and_is_stored(qtbot, main_window):
    dialog = main_window.show_settings()
    dialog.language.setCurrentIndex(dialog.language.findData("es"))
    dialog.enumerator.setText("Encuestador/a 07")
    with qtbot.waitSignal(main_window.interviews_panel.status_filter.currentIndexChanged,
                          timeout=100, raising=False):
        dialog.accept()
    assert current_language() == "es"
    assert main_window.settings.get("interface_language") == "es"
    assert main_window.settings.get("enumerator") == "Encuestador/a 07"
    # Qt's own catalog follows (standard buttons in Spanish).
    box = QMessageBox(QMessageBox.Icon.Question, "", "",
                      QMessageBox.StandardButton.Cancel)
    assert box.button(QMessageBox.StandardButton.Cancel).text().replace("&", "") == "Cancelar"
