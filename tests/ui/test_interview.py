"""A researcher runs whole interviews through the widgets, with the keyboard."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldsurvey.errors import StoreError
from fieldsurvey.i18n import N_

from .conftest import install, open_window, show

NAME = "/data/intro/org_name"
MEMBERS = "/data/intro/members"
PROJECTS = "/data/intro/has_projects"
WHY_NOT = "/data/intro/why_not"


def start(qtbot, window, form):
    install(qtbot, window, form)
    view = window.new_interview("organizations")
    assert view is not None
    return view


def row(view, path):
    return view.page_widget.rows[path]


def type_into(qtbot, view, path, text, *, enter=True):
    widget = row(view, path).widget
    target = widget.inputs()[0]
    target.setFocus()
    qtbot.keyClicks(target, text)
    if enter:
        qtbot.keyClick(target, Qt.Key.Key_Return)


def test_typing_skip_logic_and_constraint_messages(qtbot, main_window, organization_form):
    view = start(qtbot, main_window, organization_form)
    # Required questions are marked with a red asterisk.
    assert "*" in row(view, NAME).label.text()
    assert "*" not in row(view, MEMBERS).label.text()
    type_into(qtbot, view, NAME, "Casa de Mexico")
    # Enter moved on to the next question.
    qtbot.waitUntil(lambda: row(view, MEMBERS).widget.edit.hasFocus())
    assert main_window.store.get_interview(view.instance_id).display_name == "Casa de Mexico"
    # A word in a number: the engine's message appears beside the question.
    qtbot.keyClicks(row(view, MEMBERS).widget.edit, "abc")
    qtbot.keyClick(row(view, MEMBERS).widget.edit, Qt.Key.Key_Tab)
    members = row(view, MEMBERS)
    assert members.message.isVisible() and members.message.text()
    # A number outside the constraint: the form's own message, once the answer is left.
    members.widget.edit.setFocus()
    members.widget.edit.selectAll()
    qtbot.keyClicks(members.widget.edit, "0")
    assert not members.message.isVisible()  # not while typing
    qtbot.keyClick(members.widget.edit, Qt.Key.Key_Tab)
    assert members.message.text() == "Between 1 and 9999"
    members.widget.edit.setFocus()
    members.widget.edit.selectAll()
    qtbot.keyClicks(members.widget.edit, "12")
    qtbot.keyClick(members.widget.edit, Qt.Key.Key_Return)
    assert not members.message.isVisible()
    assert view.session.state(MEMBERS).value == "12"
    # Skip logic follows the choice at once.
    why = row(view, WHY_NOT)
    assert not why.isVisible()
    radio = row(view, PROJECTS).widget
    qtbot.waitUntil(lambda: any(b.hasFocus() for b in radio.buttons.values()))
    radio.buttons["no"].setFocus()
    qtbot.keyClick(radio.buttons["no"], Qt.Key.Key_Space)
    assert view.session.state(PROJECTS).value == "no"
    assert why.isVisible()
    qtbot.keyClick(radio.buttons["yes"], Qt.Key.Key_Space)
    assert not why.isVisible()
    saved = main_window.store.get_interview(view.instance_id).xml
    assert "<has_projects>yes</has_projects>" in saved
    assert main_window.save_state.text().startswith("Saved")


def test_skip_logic_follows_typing(qtbot, main_window, tmp_path):
    from .conftest import write_xlsform

    form = write_xlsform(tmp_path / "live.xlsx", [
        ["type", "name", "label", "relevant", "appearance"],
        ["begin_group", "g", "Group", "", "field-list"],
        ["integer", "age", "Age", "", ""],
        ["text", "school", "Which school?", "${age} < 18", ""],
        ["end_group", "", "", "", ""],
    ], settings={"form_id": "live"})
    install(qtbot, main_window, form)
    view = main_window.new_interview("live")
    school = view.page_widget.rows["/data/g/school"]
    age = view.page_widget.rows["/data/g/age"].widget.edit
    age.setFocus()
    qtbot.keyClicks(age, "1")  # no Enter: the page follows the keystrokes
    assert school.isVisible()
    qtbot.keyClicks(age, "9")
    assert not school.isVisible()


def test_repeats_by_keyboard_and_finalize(qtbot, main_window, organization_form,
                                          monkeypatch):
    view = start(qtbot, main_window, organization_form)
    type_into(qtbot, view, NAME, "Red Migrante")
    type_into(qtbot, view, MEMBERS, "40")
    view.page_widget.rows[PROJECTS].widget.buttons["yes"].click()
    # Ctrl+N: the first project's page.
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert view.pages[view.current].key == "/data/project[1]"
    type_into(qtbot, view, "/data/project[1]/pname", "School meals")
    budget = row(view, "/data/project[1]/budget").widget.edit
    qtbot.waitUntil(budget.hasFocus)
    qtbot.keyClicks(budget, "1500.5")
    # Ctrl+Shift+A adds an entry and opens it.
    qtbot.keyClick(budget, Qt.Key.Key_A,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.session.state("/data/project[1]/budget").value == "1500.5"
    assert view.pages[view.current].key == "/data/project[2]"
    type_into(qtbot, view, "/data/project[2]/pname", "Library")
    # Insert an entry before the second one, then move between entries with Alt+PgUp.
    focus = view.focusWidget()
    qtbot.keyClick(focus, Qt.Key.Key_I,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.session.repeat_count("/data/project") == 3
    assert view.session.state("/data/project[3]/pname").value == "Library"
    assert view.pages[view.current].key == "/data/project[2]"
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_PageUp, Qt.KeyboardModifier.AltModifier)
    assert view.pages[view.current].key == "/data/project[1]"
    # Finalize is refused: the inserted project has no name (required).
    dialog = view.show_finalize()
    assert not dialog.finalize_button.isEnabled()
    assert dialog.paths() == ["/data/project[2]/pname"]
    # Enter on the item jumps to the question.
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert view.pages[view.current].key == "/data/project[2]"
    pname = row(view, "/data/project[2]/pname")
    assert pname.message.isVisible()
    # Remove the empty entry, confirming.
    monkeypatch.setattr(QMessageBox, "exec", lambda self: QMessageBox.StandardButton.Yes)
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_Delete,
                   Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert view.session.repeat_count("/data/project") == 2
    assert view.session.state("/data/project[2]/pname").value == "Library"
    # Now it can be finalized.
    instance_id = view.instance_id
    dialog = view.show_finalize()
    assert dialog.finalize_button.isEnabled()
    dialog.finalize_button.click()
    record = main_window.store.get_interview(instance_id)
    assert record.status.value == "finalized"
    assert "<pname>School meals</pname>" in record.xml
    assert main_window.stack.currentWidget() is main_window.home


def test_finalize_summary_groups_problems_by_section(qtbot, main_window, organization_form):
    view = start(qtbot, main_window, organization_form)
    type_into(qtbot, view, MEMBERS, "0")
    view.page_widget.rows[PROJECTS].widget.buttons["yes"].click()
    dialog = view.show_finalize()
    assert dialog.isModal() or dialog.windowModality() != Qt.WindowModality.NonModal
    assert dialog.windowTitle() == "Finalize the interview"
    assert dialog.section_titles() == ["About the organization (2)", "Project 1 (1)"]
    assert dialog.paths() == [NAME, MEMBERS, "/data/project[1]/pname"]
    # "<question> — <message>"; the kind of problem is the icon, named in the tooltip.
    lines = [dialog.tree.topLevelItem(0).child(i) for i in range(2)]
    assert [line.text(0) for line in lines] == [
        "Organization name — This answer is required.",
        "Number of members — Between 1 and 9999"]
    assert [line.toolTip(0).split("<br>")[0] for line in lines] == [
        "<b>Required answer missing</b>", "<b>Answer not valid</b>"]
    assert not lines[0].icon(0).isNull()
    assert not dialog.finalize_button.isEnabled()
    # One click only selects; a double-click goes to the question.
    item = dialog.tree.topLevelItem(1).child(0)
    rect = dialog.tree.visualItemRect(item)
    qtbot.mouseClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert dialog.isVisible()
    qtbot.mouseDClick(dialog.tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert view.pages[view.current].key == "/data/project[1]"
    pname = row(view, "/data/project[1]/pname")
    qtbot.waitUntil(pname.widget.edit.hasFocus)
    assert pname.message.text() == "This answer is required."
    # Enter on a section heading goes nowhere.
    dialog = view.show_finalize()
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(0))
    qtbot.keyClick(dialog.tree, Qt.Key.Key_Return)
    assert dialog.isVisible()
    dialog.reject()


def test_next_error_key_jumps_to_the_first_problem(qtbot, main_window, organization_form):
    view = start(qtbot, main_window, organization_form)
    view.next_page()  # away from the first page, where both errors are
    assert view.pages[view.current].key == "/data/founded"
    qtbot.keyClick(view.focusWidget(), Qt.Key.Key_F8)
    # From the end, F8 wraps to the first problem, shows its message and focuses it.
    assert row(view, NAME).widget.isAncestorOf(QApplication.focusWidget())
    assert row(view, NAME).message.text() == "This answer is required."
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F8)
    assert row(view, PROJECTS).widget.isAncestorOf(QApplication.focusWidget())


def test_draft_resumes_on_its_page_after_restart(qtbot, data_dir, organization_form):
    window = open_window(data_dir)
    qtbot.addWidget(window)
    show(qtbot, window)
    view = start(qtbot, window, organization_form)
    type_into(qtbot, view, NAME, "Casa Honduras")
    view.page_widget.rows[PROJECTS].widget.buttons["yes"].click()
    view.next_page()
    type_into(qtbot, view, "/data/project[1]/pname", "Radio")
    # What is being typed is saved after a short pause, without Enter.
    budget = row(view, "/data/project[1]/budget").widget.edit
    budget.setFocus()
    qtbot.keyClicks(budget, "250")
    qtbot.waitUntil(lambda: "<budget>250</budget>" in window.store.get_interview(
        view.instance_id).xml, timeout=5000)
    instance_id = view.instance_id
    # The laptop goes off: no closing, no flush; the next start opens the same folder.
    window.store.close()
    window.hide()
    again = open_window(data_dir)
    qtbot.addWidget(again)
    show(qtbot, again)
    try:
        rec = again.store.get_interview(instance_id)
        assert rec.status.value == "draft"
        resumed = again.open_interview(instance_id)
        assert resumed.pages[resumed.current].key == "/data/project[1]"
        assert row(resumed, "/data/project[1]/pname").widget.value() == "Radio"
        assert row(resumed, "/data/project[1]/budget").widget.value() == "250"
    finally:
        again.store.close()


def test_failed_save_is_shown_and_the_answer_kept(qtbot, main_window, organization_form,
                                                  monkeypatch):
    view = start(qtbot, main_window, organization_form)
    real_save = main_window.store.save_answer

    def disk_full(*args, **kwargs):
        raise StoreError(N_("The disk is full."), code="store_full")

    monkeypatch.setattr(main_window.store, "save_answer", disk_full)
    type_into(qtbot, view, NAME, "Casa Guatemala")
    assert main_window.save_state.text() == "Not saved: The disk is full."
    assert main_window.findChild(QMessageBox, "errorBox") is not None
    assert view.session.state(NAME).value == "Casa Guatemala"
    # Space again: the next save writes everything that was kept.
    monkeypatch.setattr(main_window.store, "save_answer", real_save)
    assert view.save()
    assert main_window.save_state.text().startswith("Saved")
    assert "Casa Guatemala" in main_window.store.get_interview(view.instance_id).xml


def test_finalized_interview_opens_read_only_and_reopens(qtbot, main_window,
                                                          organization_form):
    view = start(qtbot, main_window, organization_form)
    type_into(qtbot, view, NAME, "Casa Salvador")
    type_into(qtbot, view, MEMBERS, "5")
    view.page_widget.rows[PROJECTS].widget.buttons["no"].click()
    first_id = view.instance_id
    assert view.finalize()
    opened = main_window.open_interview(first_id)
    assert opened.read_only and opened.banner.isVisible()
    assert row(opened, NAME).widget.edit.isReadOnly()
    opened.reopen()
    assert not opened.read_only
    assert opened.instance_id != first_id
    assert row(opened, NAME).widget.value() == "Casa Salvador"
    assert not row(opened, NAME).widget.edit.isReadOnly()


def test_form_language_switch_relabels_the_page(qtbot, main_window, organization_form):
    view = start(qtbot, main_window, organization_form)
    combo = view.language_combo
    combo.setCurrentIndex(combo.findData("Español (es)"))
    assert "Nombre de la organización" in row(view, NAME).label.text()
    assert row(view, NAME).hint.text() == "Como está registrada"
    assert main_window.settings.get("last_form_language") == "Español (es)"
