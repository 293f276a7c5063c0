"""A draft keeps the answers that skip logic hides, so that flipping a question back brings
them back, even after a restart; the finalized interview leaves them out as ODK does."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from PySide6.QtCore import Qt

from .conftest import install, open_window, show, write_xlsform

WORKING = "/data/status/working"
WHY = "/data/status/why_stopped"


def status_form(tmp_path):
    return write_xlsform(tmp_path / "status.xlsx", [
        ["type", "name", "label", "relevant", "required", "appearance"],
        ["begin_group", "status", "Status", "", "", "field-list"],
        ["select_one yesno", "working", "Does the organization still work?", "", "yes", ""],
        ["text", "why_stopped", "Why did it stop?", "${working} = 'no'", "", ""],
        ["end_group", "", "", "", "", ""],
    ], [
        ["list_name", "name", "label"],
        ["yesno", "yes", "Yes"],
        ["yesno", "no", "No"],
    ], {"form_id": "status", "version": "1", "form_title": "Status"})


def choose(qtbot, view, value):
    button = view.page_widget.rows[WORKING].widget.buttons[value]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)


def test_hidden_answer_survives_a_restart_and_is_left_out_when_finalized(
        qtbot, data_dir, tmp_path):
    window = open_window(data_dir)
    qtbot.addWidget(window)
    show(qtbot, window)
    install(qtbot, window, status_form(tmp_path))
    view = window.new_interview("status")
    choose(qtbot, view, "no")
    why = view.page_widget.rows[WHY]
    assert why.isVisible()
    why.widget.edit.setFocus()
    qtbot.keyClicks(why.widget.edit, "Funding ended")
    qtbot.keyClick(why.widget.edit, Qt.Key.Key_Tab)
    # Flipped: the question is hidden and its answer no longer counts.
    choose(qtbot, view, "yes")
    assert not why.isVisible()
    instance_id = view.instance_id
    view.close_interview()
    window.close()
    window.store.close()

    again = open_window(data_dir)
    qtbot.addWidget(again)
    show(qtbot, again)
    try:
        resumed = again.open_interview(instance_id)
        why = resumed.page_widget.rows[WHY]
        assert not why.isVisible()
        choose(qtbot, resumed, "no")
        assert why.isVisible()
        assert why.widget.value() == "Funding ended"
        assert resumed.session.state(WHY).value == "Funding ended"

        # Hidden again at the end: the finalized record leaves it out, as Collect submits.
        choose(qtbot, resumed, "yes")
        dialog = resumed.show_finalize()
        assert dialog.finalize_button.isEnabled()
        dialog.finalize_button.click()
        record = again.store.get_interview(instance_id)
        assert getattr(record.status, "value", record.status) == "finalized"
        root = ET.fromstring(record.xml)
        assert root.find("status/working").text == "yes"
        assert root.find("status/why_stopped") is None
    finally:
        again.interview_view.flush()
        again.store.close()
