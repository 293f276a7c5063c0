"""A repeat nested inside a field-list page: entries added and removed on the page."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from .conftest import install, write_xlsform

PAGE = "/data/household"


def household_form(tmp_path):
    return write_xlsform(tmp_path / "household.xlsx", [
        ["type", "name", "label", "required", "appearance"],
        ["begin_group", "household", "Household", "", "field-list"],
        ["text", "head", "Head of household", "", ""],
        ["begin_repeat", "member", "Member", "", ""],
        ["text", "mname", "Member name", "yes", ""],
        ["integer", "age", "Age", "", ""],
        ["end_repeat", "", "", "", ""],
        ["end_group", "", "", "", ""],
    ], settings={"form_id": "household"})


def test_add_and_remove_entries_of_a_repeat_inside_a_field_list(qtbot, main_window,
                                                                tmp_path, monkeypatch):
    install(qtbot, main_window, household_form(tmp_path))
    view = main_window.new_interview("household")
    assert view.pages[view.current].key == PAGE
    page = view.page_widget
    # One page holds the group's question and the first member's questions.
    assert {"/data/household/head", "/data/household/member[1]/mname"} <= set(page.rows)
    first = page.rows["/data/household/member[1]/mname"].widget.edit
    first.setFocus()
    qtbot.keyClicks(first, "member-1")
    qtbot.keyClick(first, Qt.Key.Key_Return)

    # The add button on the page (and Ctrl+Shift+A) adds a second member on the same page.
    add = view.page_widget.findChild(QPushButton, "addRepeat")
    assert add is not None and add.isVisible()
    add.click()
    assert view.session.repeat_count("/data/household/member") == 2
    assert view.pages[view.current].key == PAGE
    second = view.page_widget.rows["/data/household/member[2]/mname"].widget.edit
    second.setFocus()
    qtbot.keyClicks(second, "member-2")
    qtbot.keyClick(second, Qt.Key.Key_Tab)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.session.repeat_count("/data/household/member") == 3
    assert view.session.state("/data/household/member[2]/mname").value == "member-2"

    # Removing the first member asks first; "No" keeps it.
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    monkeypatch.setattr(QMessageBox, "exec", lambda self: next(answers))
    removes = [b for b in view.page_widget.findChildren(QPushButton, "removeRepeat")
               if b.isVisible()]
    assert len(removes) == 3
    removes[0].click()
    assert view.session.repeat_count("/data/household/member") == 3
    removes[0].click()
    assert view.session.repeat_count("/data/household/member") == 2
    # The page is rebuilt with the remaining members, in order, and it is saved.
    assert view.pages[view.current].key == PAGE
    names = [view.session.state(f"/data/household/member[{i}]/mname").value
             for i in (1, 2)]
    assert names == ["member-2", ""]
    record = main_window.store.get_interview(view.instance_id)
    assert "<mname>member-1</mname>" not in record.xml
    assert "<mname>member-2</mname>" in record.xml
