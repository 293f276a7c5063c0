"""What the field trial found on the interview screen, as a researcher meets it: who ran
the interview, sections and pages that skip logic leaves out, when a missing answer is
flagged, the finalize list, the Errors column, dates, and the finalized record."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from fieldsurvey.i18n import set_language

from .conftest import install, write_xlsform

EN = "label::English (en)"

#: Consent first; a section of subsections and a repeat only once it is given, as in
#: the diaspora questionnaire (section F and the projects).
CONSENT_SURVEY = [
    ["type", "name", EN, "required", "relevant", "appearance"],
    ["select_one yesno", "consent", "Do you agree to take part?", "yes", "", ""],
    ["begin_group", "gov", "F. Governments", "", "${consent} = 'yes'", ""],
    ["begin_group", "enable", "Enable", "", "", ""],
    ["text", "services", "Which consular services?", "yes", "", ""],
    ["integer", "visits", "Visits to the consulate", "", "", ""],
    ["end_group", "", "", "", "", ""],
    ["begin_group", "engage", "Engage", "", "", ""],
    ["text", "programs", "Which programmes?", "yes", "", ""],
    ["end_group", "", "", "", "", ""],
    ["end_group", "", "", "", "", ""],
    ["begin_repeat", "project", "Project", "", "${consent} = 'yes'", "field-list"],
    ["text", "pname", "Project name", "yes", "", ""],
    ["end_repeat", "", "", "", "", ""],
    ["date", "visit_date", "Date of the visit", "", "", ""],
]
CONSENT_CHOICES = [
    ["list_name", "name", EN],
    ["yesno", "yes", "Yes"],
    ["yesno", "no", "No"],
]
CONSENT = "/data/consent"


@pytest.fixture
def consent_form(tmp_path):
    return write_xlsform(tmp_path / "consent.xlsx", CONSENT_SURVEY, CONSENT_CHOICES,
                         {"form_id": "consent", "version": "1", "form_title": "Consent"})


def start(qtbot, window, form, enumerator="Equipo Norte"):
    window.settings.set("enumerator", enumerator)
    install(qtbot, window, form)
    return window.new_interview("consent")


def visible_nav_texts(view) -> list[str]:
    """The section tree's lines a researcher can see, top to bottom."""
    tree = view.navigation.tree
    found = []

    def walk(item):
        for i in range(item.childCount()):
            child = item.child(i)
            if not child.isHidden():
                found.append(child.text(0))
                walk(child)

    walk(tree.invisibleRootItem())
    return found


def type_answer(qtbot, view, path, text):
    """Type into the question at ``path`` and leave it with Tab; its input widget."""
    edit = view.page_widget.rows[path].widget.inputs()[0]
    edit.setFocus()
    qtbot.keyClicks(edit, text)
    qtbot.keyClick(edit, Qt.Key.Key_Tab)
    return edit


def answer_consent(qtbot, view, value):
    button = view.page_widget.rows[CONSENT].widget.buttons[value]
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    view.refresh_navigation()  # what the short pause after an answer does


def test_first_new_interview_asks_for_the_enumerator_name(qtbot, main_window,
                                                         consent_form):
    install(qtbot, main_window, consent_form)
    main_window.forms_panel.select_form("consent")
    assert main_window.settings.get("enumerator") == ""
    main_window.act_new.trigger()
    dialog = main_window.enumerator_dialog
    qtbot.waitUntil(dialog.isVisible)
    # Empty, never guessed from the laptop's account, and not accepted empty.
    assert dialog.name.text() == ""
    assert dialog.label.text().replace("&", "") == "Your name:"
    assert not dialog.ok_button.isEnabled()
    assert main_window.store.list_interviews() == []
    dialog.name.setFocus()
    qtbot.keyClicks(dialog.name, "Equipo Norte")
    qtbot.keyClick(dialog.name, Qt.Key.Key_Return)
    view = main_window.interview_view
    qtbot.waitUntil(lambda: main_window.stack.currentWidget() is view)
    assert main_window.settings.get("enumerator") == "Equipo Norte"
    record = main_window.store.get_interview(view.instance_id)
    assert record.enumerator == "Equipo Norte"
    view.close_interview()

    # Asked once: the next interview starts at once, under the same name.
    main_window.enumerator_dialog = None
    main_window.act_new.trigger()
    assert main_window.enumerator_dialog is None
    assert main_window.stack.currentWidget() is view
    view.close_interview()

    # Changed in Settings: the next interviews carry the new name.
    settings = main_window.show_settings()
    settings.enumerator.setText("Equipo Sur")
    settings.accept()
    main_window.act_new.trigger()
    assert main_window.store.get_interview(view.instance_id).enumerator == "Equipo Sur"


def test_cancelling_the_name_starts_no_interview(qtbot, main_window, consent_form):
    install(qtbot, main_window, consent_form)
    dialog = main_window.request_new_interview("consent")
    qtbot.waitUntil(dialog.isVisible)
    dialog.reject()
    assert main_window.stack.currentWidget() is main_window.home
    assert main_window.store.list_interviews() == []
    assert main_window.settings.get("enumerator") == ""


def test_navigation_and_page_count_follow_skip_logic(qtbot, main_window, consent_form):
    view = start(qtbot, main_window, consent_form)
    # Before consent: no section F, no project; only the relevant pages are counted.
    lines = visible_nav_texts(view)
    assert not any("Governments" in line or "Project" in line for line in lines), lines
    assert view.where.text() == "Page 1 of 2"
    answer_consent(qtbot, view, "yes")
    lines = visible_nav_texts(view)
    assert any("F. Governments" in line for line in lines), lines
    assert any(line.startswith("Enable") for line in lines), lines
    # consent, services, visits, programs, project 1, the project list, visit date
    assert view.where.text() == "Page 1 of 7"
    view.next_page()
    assert view.where.text() == "Page 2 of 7"
    view.previous_page()
    answer_consent(qtbot, view, "no")
    assert not any("Governments" in line for line in visible_nav_texts(view))
    assert view.where.text() == "Page 1 of 2"


def test_missing_answers_are_flagged_once_left_or_at_finalize(qtbot, main_window,
                                                               consent_form):
    view = start(qtbot, main_window, consent_form)
    answer_consent(qtbot, view, "yes")
    # Nothing reached yet: required questions carry their asterisk, no red mark.
    assert not any("⚠" in line for line in visible_nav_texts(view))
    assert "*" in view.page_widget.rows[CONSENT].label.text()
    view.next_page()  # to "Which consular services?"
    assert not any("⚠" in line for line in visible_nav_texts(view))
    view.next_page()  # left empty: now it is flagged, the questions ahead are not
    flagged = [line for line in visible_nav_texts(view) if "⚠" in line]
    assert any("Which consular services?" in line for line in flagged), flagged
    assert not any("programmes" in line for line in flagged), flagged
    # Back on the page, its message shows.
    view.previous_page()
    services = view.page_widget.rows["/data/gov/enable/services"]
    assert services.message.text() == "This answer is required."
    # A finalize attempt flags every missing answer.
    dialog = view.show_finalize()
    dialog.reject()
    flagged = [line for line in visible_nav_texts(view) if "⚠" in line]
    assert any("programmes" in line for line in flagged), flagged
    assert any("Project" in line for line in flagged), flagged


def test_errors_column_counts_open_problems_of_a_draft(qtbot, main_window, consent_form):
    view = start(qtbot, main_window, consent_form)
    answer_consent(qtbot, view, "yes")
    expected = len(view.session.validate())
    assert expected == 3  # services, programmes, project name
    instance_id = view.instance_id
    view.close_interview()
    assert main_window.store.get_interview(instance_id).error_count == expected
    panel = main_window.interviews_panel
    panel.select(instance_id)
    model = panel.view.model()
    index = panel.view.currentIndex()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in
               range(model.columnCount())]
    errors = model.index(index.row(), headers.index("Errors"))
    assert model.data(errors) == "3"
    # Fixed and left again: the count follows.
    main_window.open_interview(instance_id)
    answer_consent(qtbot, view, "no")
    view.close_interview()
    assert main_window.store.get_interview(instance_id).error_count == 0


def test_dates_show_two_digit_day_and_four_digit_year(qtbot, main_window, consent_form):
    set_language("es")
    view = start(qtbot, main_window, consent_form)
    answer_consent(qtbot, view, "no")
    view.next_page()
    date = type_answer(qtbot, view, "/data/visit_date", "5/3/26")
    assert view.session.state("/data/visit_date").value == "2026-03-05"
    assert date.text() == "05/03/2026"
    assert date.placeholderText() == "dd/mm/yyyy"


def test_progress_count_is_written_beside_the_bar(qtbot, main_window, consent_form):
    view = start(qtbot, main_window, consent_form)
    answer_consent(qtbot, view, "yes")
    navigation = view.navigation
    assert not navigation.progress.isTextVisible()
    assert navigation.progress_text.text() == "1 of 6 answered"
    bar, text = navigation.progress.geometry(), navigation.progress_text.geometry()
    assert not bar.intersects(text)


def test_finalized_record_leaves_skipped_parts_out_and_can_be_corrected(
        qtbot, main_window, consent_form):
    view = start(qtbot, main_window, consent_form)
    answer_consent(qtbot, view, "no")
    instance_id = view.instance_id
    dialog = view.show_finalize()
    assert dialog.finalize_button.isEnabled()
    dialog.finalize_button.click()
    record = main_window.store.get_interview(instance_id)
    assert record.status.value == "finalized"
    root = ET.fromstring(record.xml)
    assert root.find("consent").text == "no"
    # As ODK Collect submits: no empty project entry, no section F.
    assert root.find("project") is None and root.find("gov") is None

    # Viewed read-only: the answers do not look like fields waiting to be typed in.
    view = main_window.open_interview(instance_id)
    assert view.read_only
    consent = view.page_widget.rows["/data/consent"].widget
    assert not any(button.isEnabled() for button in consent.buttons.values())
    view.jump_to("/data/visit_date")
    field = view.page_widget.rows["/data/visit_date"].widget.edit
    assert field.isReadOnly()
    assert (field.palette().color(QPalette.ColorRole.Base)
            == field.palette().color(QPalette.ColorRole.Window))
    view.close_interview()

    # Reopened for correction: consent was given after all.
    main_window.interviews_panel.select(instance_id)
    view = main_window.reopen_selected()
    assert view is not None and not view.read_only
    # The record holds no project entry: the repeat's closing page follows the consent.
    assert not any("Project" in line for line in visible_nav_texts(view))
    assert view.where.text() == "Page 1 of 2"
    answer_consent(qtbot, view, "yes")
    assert any("Project" in line for line in visible_nav_texts(view))
    view.next_page()
    type_answer(qtbot, view, "/data/gov/enable/services", "Passports")
    view.jump_to("/data/gov/engage/programs")
    type_answer(qtbot, view, "/data/gov/engage/programs", "Scholarships")
    # The finalized record had no project entry: the researcher adds one.
    assert view.session.repeat_count("/data/project") == 0
    view.go_to_page(view.page_of_prefix("/data/project") or next(
        i for i, page in enumerate(view.pages) if page.key == "/data/project#end"))
    view.page_widget.add_button.click()
    pname = view.page_widget.rows["/data/project[1]/pname"].widget
    qtbot.waitUntil(pname.edit.hasFocus)
    type_answer(qtbot, view, "/data/project[1]/pname", "Clinic")
    dialog = view.show_finalize()
    assert dialog.paths() == []
    dialog.finalize_button.click()
    record = main_window.store.get_interview(view.instance_id)
    assert record.status.value == "finalized" and record.revision == 2
    root = ET.fromstring(record.xml)
    assert root.find("gov/enable/services").text == "Passports"
    assert root.find("project/pname").text == "Clinic"
    assert QApplication.activeModalWidget() is None


def test_interview_list_dates_have_a_four_digit_year(qtbot):
    from datetime import UTC, datetime

    from fieldsurvey.ui.main_window.interviews_table import local_time

    noon = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
    set_language("es")
    assert local_time(noon).startswith("05/03/2026")
    set_language("en")
    assert local_time(noon).startswith("03/05/2026")


def test_settings_fields_have_room_for_a_name(qtbot, main_window):
    dialog = main_window.show_settings()
    qtbot.waitUntil(dialog.isVisible)
    # A full name or a proxy address fits: the text fields take the dialog's width.
    assert dialog.enumerator.width() > dialog.width() / 2
    assert dialog.proxy.width() == dialog.enumerator.width()
    dialog.reject()
